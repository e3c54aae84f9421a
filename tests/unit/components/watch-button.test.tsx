// @vitest-environment jsdom
// The watch button: a toggle (aria-pressed) that PUTs and DELETEs the watch, shows the change at
// once, undoes it with the server's reason when refused, and cannot remove a configured watch
// or another visitor's.
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { SWRConfig } from 'swr';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { formatInterval, WatchButton } from '@/components/history/watch-button';
import type { WatchResponse } from '@/lib/swr/use-watch';

const repository = 'docker.io/library/alpine';
const state = (watched: boolean, origin: WatchResponse['origin'] = watched ? 'user' : null, removable = origin === 'user'): WatchResponse => ({
  repository,
  watched,
  origin,
  removable,
  intervalSeconds: 600,
});

let calls: { method: string; url: string; keepalive?: boolean }[];
let answer: (method: string) => Response;
/** The server's side: what PUT and DELETE set and GET reads. */
let watched: boolean;
const server = (method: string) => {
  if (method === 'PUT') watched = true;
  if (method === 'DELETE') watched = false;
  return Response.json(state(watched));
};

beforeEach(() => {
  calls = [];
  watched = false;
  answer = server;
  vi.stubGlobal('fetch', async (url: string, init?: RequestInit) => {
    const method = init?.method ?? 'GET';
    calls.push({ method, url, ...(init?.keepalive && { keepalive: true }) });
    return answer(method);
  });
});

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function show(initial: WatchResponse | null) {
  // A fresh cache per test: SWR's default one is shared by every render in the file.
  return render(
    <SWRConfig value={{ provider: () => new Map(), dedupingInterval: 0 }}>
      <WatchButton repository={repository} initial={initial} />
    </SWRConfig>,
  );
}

const button = () => screen.getByRole('button', { name: /Watch/ });

/** A click, and the button showing it at once. */
async function press(pressed: boolean) {
  fireEvent.click(button());
  await waitFor(() => expect(button()).toHaveAttribute('aria-pressed', String(pressed)));
}

/** The server answers PUT and DELETE only when the test calls the release each one pushes. */
function holdWrites(): (() => void)[] {
  const releases: (() => void)[] = [];
  answer = (method) => {
    const response = server(method);
    if (method === 'GET') return response;
    return new Promise<Response>((resolve) => releases.push(() => resolve(response))) as unknown as Response;
  };
  return releases;
}

describe('WatchButton', () => {
  it('counts presses made while a change is on its way: the last one is where the server ends', async () => {
    const releases = holdWrites();
    show(state(false));
    await press(true);
    await press(false);
    await press(true);
    await press(false);
    // One request in flight at a time; when it lands, one more for the last press.
    for (let i = 0; i < 10 && releases.length > 0; i++) {
      await act(async () => releases.shift()!());
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    await waitFor(() => expect(button()).toHaveAttribute('aria-pressed', 'false'));
    expect(watched).toBe(false);
    expect(calls.filter((call) => call.method !== 'GET').map((call) => call.method)).toEqual(['PUT', 'DELETE']);
  });

  it('a press waiting behind a change on its way is sent when the page is left, and both outlive it (keepalive)', async () => {
    const releases = holdWrites();
    show(state(false));
    await press(true);
    await press(false);
    const writes = () => calls.filter((call) => call.method !== 'GET');
    expect(writes()).toEqual([{ method: 'PUT', url: expect.any(String), keepalive: true }]);
    // A reload: the DELETE cannot wait for the PUT's answer, which this page will never see.
    fireEvent(window, new Event('pagehide'));
    expect(writes()).toEqual([
      { method: 'PUT', url: expect.any(String), keepalive: true },
      { method: 'DELETE', url: expect.any(String), keepalive: true },
    ]);
    expect(watched).toBe(false);
    // Nothing more to send: a second pagehide (a page back from the back-forward cache, left again) sends nothing.
    fireEvent(window, new Event('pagehide'));
    expect(writes()).toHaveLength(2);
    await act(async () => releases.forEach((release) => release()));
  });

  it('starts from the state the page read: not pressed, "Watch", and how often a watch polls', async () => {
    show(state(false));
    expect(button()).toHaveAttribute('aria-pressed', 'false');
    expect(button()).toHaveTextContent('Watch');
    expect(screen.getByText('Watching polls its tags every 10 min.')).toBeInTheDocument();
    await waitFor(() => expect(calls).toEqual([{ method: 'GET', url: `/api/v1/watches?repository=${encodeURIComponent(repository)}` }]));
  });

  it('pressing it PUTs the watch: "Watching", pressed, polled every N min', async () => {
    show(state(false));
    await act(async () => fireEvent.click(button()));
    await waitFor(() => expect(button()).toHaveAttribute('aria-pressed', 'true'));

    expect(button()).toHaveTextContent('Watching');
    expect(calls.some((call) => call.method === 'PUT')).toBe(true);
    expect(screen.getByText('Polled every 10 min for tag moves.')).toBeInTheDocument();
  });

  it('pressing it again DELETEs the watch', async () => {
    watched = true;
    show(state(true));
    expect(button()).toHaveTextContent('Watching');
    await act(async () => fireEvent.click(button()));
    await waitFor(() => expect(button()).toHaveAttribute('aria-pressed', 'false'));
    expect(calls.some((call) => call.method === 'DELETE')).toBe(true);
  });

  it('a refused change is undone and its reason said', async () => {
    answer = (method) =>
      method === 'PUT'
        ? Response.json({ error: { code: 'DENIED', message: 'Tagscope already watches 100 repositories added with the watch button, its limit' } }, { status: 403 })
        : server(method);
    show(state(false));
    await act(async () => fireEvent.click(button()));
    await waitFor(() => expect(screen.getByRole('alert')).toHaveTextContent('Could not watch this repository: Tagscope already watches 100 repositories'));
    expect(button()).toHaveAttribute('aria-pressed', 'false');
  });

  it('a configured watch: pressed, but off, with who can stop it', () => {
    show(state(true, 'config'));
    expect(button()).toHaveAttribute('aria-pressed', 'true');
    expect(button()).toBeDisabled();
    expect(button()).toHaveAccessibleDescription(/TAGSCOPE_WATCH.*only an administrator can stop it/);
  });

  it('another visitor’s watch: pressed, but off, with who can stop it', () => {
    show(state(true, 'user', false));
    expect(button()).toHaveAttribute('aria-pressed', 'true');
    expect(button()).toBeDisabled();
    expect(button()).toHaveAccessibleDescription(/another visitor.*only the browser that added it can stop it/);
  });

  it('history unavailable: off, with the reason', async () => {
    answer = () => Response.json({ error: { code: 'HISTORY_UNAVAILABLE', message: 'Tag history is unavailable: the history database is not open.' } }, { status: 503 });
    show(null);
    expect(button()).toBeDisabled();
    await waitFor(() => expect(button()).toHaveAccessibleDescription(/Watching is unavailable: Tag history is unavailable/));
  });
});

describe('formatInterval', () => {
  it.each([
    [600, 'every 10 min'],
    [3600, 'every 1 h'],
    [90, 'every 90 s'],
    [30, 'every 30 s'],
  ])('%i s: %s', (seconds, text) => {
    expect(formatInterval(seconds)).toBe(text);
  });
});

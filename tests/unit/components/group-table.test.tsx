// @vitest-environment jsdom
// The tags table as a person sees it: groups with their aliases, sorted and filtered rows,
// the platform table on expansion.
import { act, fireEvent, render, screen, within } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { cleanup } from '@testing-library/react';

afterEach(cleanup);
import { GroupTable } from '@/components/tags/group-table';
import type { Group, PlatformInfo, RepositoryEvent } from '@/lib/api/types';
import { applyEvents, buildRows, initialState } from '@/lib/swr/repository-state';
import { filterOf } from '../../support/name-matcher';
import { parseSort } from '@/lib/common/tag-order';

beforeAll(() => {
  // jsdom has no layout: give the virtualizer a screenful to fill and a ResizeObserver.
  globalThis.ResizeObserver ??= class {
    observe() {}
    unobserve() {}
    disconnect() {}
  } as unknown as typeof ResizeObserver;
  // Nor media queries: a desktop-wide window.
  window.matchMedia ??= ((query: string) => ({ matches: false, media: query, addEventListener() {}, removeEventListener() {} })) as unknown as typeof window.matchMedia;
  Object.defineProperty(HTMLElement.prototype, 'offsetHeight', { configurable: true, get: () => 800 });
  Object.defineProperty(HTMLElement.prototype, 'clientHeight', { configurable: true, get: () => 800 });
  Object.defineProperty(HTMLElement.prototype, 'clientWidth', { configurable: true, get: () => 1024 });
  Object.defineProperty(HTMLElement.prototype, 'offsetWidth', { configurable: true, get: () => 1024 });
});

const d = (n: number) => `sha256:${String(n).padStart(64, '0')}`;
const p = (platform: string, n: number): PlatformInfo => {
  const [os, architecture, variant] = platform.split('/');
  return { platform, os: os!, architecture: architecture!, variant: variant ?? null, osVersion: null, digest: d(n), mediaType: 'm', size: 500, compressedSize: 2_000_000 + n, configDigest: d(n + 500), lastPushed: null, lastPulled: null };
};
const g = (n: number, tags: string[], platforms: PlatformInfo[], extra: Partial<Group> = {}): Group => ({
  digest: d(n), mediaType: 'application/vnd.docker.distribution.manifest.list.v2+json', kind: 'index', size: 900, tags, platforms, attestations: [], signatures: [], artifactType: null, lastPushed: null, ...extra,
});
const events: RepositoryEvent[] = [
  { type: 'tags', repository: 'docker.io/library/demo', tags: ['3.12', '3.12.9', '3.9', 'edge', 'waiting'], truncated: false },
  { type: 'group', group: g(1, ['3.12', '3.12.9'], [p('linux/amd64', 11), p('linux/arm/v7', 12)], { attestations: [{ digest: d(13), for: d(11), type: 'attestation-manifest' }] }) },
  { type: 'group', group: g(2, ['3.9'], [p('linux/amd64', 21)]) },
  { type: 'group', group: g(3, ['edge'], [p('linux/amd64', 11), p('linux/s390x', 31)]) },
];
const state = applyEvents(initialState('docker.io/library/demo'), events);

function renderRows(filter = '', sort = 'version', platform = '') {
  const { rows } = buildRows(state, { filter: filterOf(filter), sort: parseSort(sort)!, platform });
  return render(<GroupTable repository="docker.io/library/demo" rows={rows} />);
}

function bodies(container: HTMLElement) {
  // The tag links of each row, in the order shown (digest links and the compare link left out).
  const tagLinks = (b: Element) => [...b.querySelectorAll('a')].filter((a) => a.getAttribute('href')?.startsWith('/r/') && !a.getAttribute('href')?.includes('@'));
  return [...container.querySelectorAll('tbody[data-row-kind]')].map((b) => tagLinks(b).map((a) => a.textContent).join(',') || b.textContent);
}

describe('GroupTable', () => {
  it('shows aliases together, one row per index digest, newest version first', () => {
    const { container } = renderRows();
    // Names that are not versions come after every version, newest first: waiting, then edge.
    // Inside a group the most specific tag comes first.
    expect(bodies(container)).toEqual(['3.12.9,3.12', '3.9', expect.stringContaining('waiting'), 'edge']);
    const row = container.querySelector(`tbody[data-digest="${d(1)}"]`) as HTMLElement;
    expect(within(row).getByText('Docker manifest list')).toBeInTheDocument();
    expect(within(row).getByText('provenance / SBOM')).toBeInTheDocument();
    expect(within(row).queryByText('unknown/unknown')).toBeNull();
    expect(within(row).getByText('shares 1 of 2 platform images with edge')).toBeInTheDocument();
  });

  it('sorts by name', () => {
    const { container } = renderRows('', 'name');
    expect(bodies(container).slice(0, 3)).toEqual(['3.12.9,3.12', '3.9', 'edge']);
  });

  it('filters by tag and by platform', () => {
    expect(bodies(renderRows('3.12').container)).toEqual(['3.12.9,3.12']);
    cleanup();
    // The tag filter keeps both 3.x groups; a platform keeps those of them that have it.
    expect(bodies(renderRows('3.').container)).toEqual(['3.12.9,3.12', '3.9']);
    cleanup();
    expect(bodies(renderRows('3.', 'version', 'linux/arm/v7').container)).toEqual(['3.12.9,3.12']);
    cleanup();
    expect(bodies(renderRows('3.', 'version', 'linux/amd64').container)).toEqual(['3.12.9,3.12', '3.9']);
    cleanup();
    // Both must hold: edge has linux/s390x but not the tag, the 3.x groups the tag but not s390x.
    expect(bodies(renderRows('3.', 'version', 'linux/s390x').container)).toEqual([]);
    cleanup();
    expect(bodies(renderRows('edge', 'version', 'linux/s390x').container)).toEqual(['edge']);
  });

  it('filters by platform', () => {
    expect(bodies(renderRows('', 'version', 'linux/s390x').container)).toEqual(['edge']);
  });

  it('expands a group into its platform table with platform digests and image IDs', () => {
    const { container } = renderRows();
    const button = screen.getByRole('button', { name: 'Show the platforms of 3.12.9, 3.12' });
    expect(button).toHaveAttribute('aria-expanded', 'false');
    fireEvent.click(button);
    expect(screen.getByRole('button', { name: 'Hide the platforms of 3.12.9, 3.12' })).toHaveAttribute('aria-expanded', 'true');
    const platformRow = container.querySelector('tr[data-platform="linux/arm/v7"]') as HTMLElement;
    const codes = [...platformRow.querySelectorAll('code')].map((c) => c.getAttribute('title'));
    expect(codes).toEqual([d(12), d(512)]);
  });

  it('renders only a window of rows for 5,000 tags (virtualized)', () => {
    const many: RepositoryEvent[] = [
      { type: 'tags', repository: 'docker.io/library/demo', tags: Array.from({ length: 5000 }, (_, i) => `1.${i}.0`), truncated: false },
      ...Array.from({ length: 2500 }, (_, i): RepositoryEvent => ({ type: 'group', group: g(1000 + i, [`1.${2 * i}.0`, `1.${2 * i + 1}.0`], [p('linux/amd64', 10_000 + i)]) })),
    ];
    const big = applyEvents(initialState('docker.io/library/demo'), many);
    const { rows } = buildRows(big, { filter: filterOf(''), sort: parseSort(null)!, platform: '' });
    expect(rows).toHaveLength(2500);
    const { container } = render(<GroupTable repository="docker.io/library/demo" rows={rows} />);
    const rendered = container.querySelectorAll('tbody[data-row-kind]').length;
    expect(rendered).toBeGreaterThan(5);
    expect(rendered).toBeLessThan(60);
  });

  it('opens a group on a click anywhere in its row, but not on a link or button in it', () => {
    const { container } = renderRows();
    const row = container.querySelector(`tbody[data-digest="${d(2)}"] tr`) as HTMLElement;
    const toggle = () => within(row).getByRole('button', { name: /the platforms of 3\.9$/ });
    fireEvent.click(within(row).getByText('linux/amd64'));
    expect(toggle()).toHaveAttribute('aria-expanded', 'true');
    fireEvent.click(within(row).getByText('linux/amd64'));
    expect(toggle()).toHaveAttribute('aria-expanded', 'false');
    // A link or a copy button does its own job and leaves the row as it is.
    fireEvent.click(within(row).getByRole('link', { name: '3.9' }));
    fireEvent.click(within(row).getByRole('button', { name: 'Copy the command docker pull demo:3.9' }));
    expect(toggle()).toHaveAttribute('aria-expanded', 'false');
  });

  it('copies docker pull for any tag of a group, and name@digest for one platform', async () => {
    const writeText = vi.fn(async () => {});
    Object.defineProperty(navigator, 'clipboard', { configurable: true, value: { writeText } });
    const { container } = renderRows();
    const row = container.querySelector(`tbody[data-digest="${d(1)}"]`) as HTMLElement;
    const menu = within(row).getByRole('button', { name: 'Copy a docker pull command for 3.12.9, 3.12' });
    fireEvent.click(menu);
    expect(menu).toHaveAttribute('aria-expanded', 'true');
    const commands = within(row).getByRole('list', { name: 'docker pull commands for 3.12.9, 3.12' });
    expect([...commands.querySelectorAll('code')].map((c) => c.textContent)).toEqual(['docker pull demo:3.12.9', 'docker pull demo:3.12']);
    await act(async () => fireEvent.click(within(commands).getByRole('button', { name: 'Copy the command docker pull demo:3.12' })));
    expect(writeText).toHaveBeenLastCalledWith('docker pull demo:3.12');
    // Escape closes the menu and gives the focus back to its button.
    fireEvent.keyDown(commands, { key: 'Escape' });
    expect(menu).toHaveAttribute('aria-expanded', 'false');
    expect(menu).toHaveFocus();

    fireEvent.click(within(row).getByRole('button', { name: /^Show the platforms/ }));
    const arm = container.querySelector('tr[data-platform="linux/arm/v7"]') as HTMLElement;
    await act(async () => fireEvent.click(within(arm).getByRole('button', { name: /^Copy demo@sha256:0+12, the reference that pulls only linux\/arm\/v7$/ })));
    expect(writeText).toHaveBeenLastCalledWith(`demo@${d(12)}`);
  });

  it('shows the chosen platform’s digest and size in each row, as Docker Hub does', () => {
    const sized = applyEvents(initialState('docker.io/library/demo'), [
      { type: 'tags', repository: 'docker.io/library/demo', tags: ['1.0'], truncated: false },
      { type: 'group', group: g(1, ['1.0'], [{ ...p('linux/amd64', 11), compressedSize: 3_100_000 }, { ...p('linux/arm64/v8', 12), compressedSize: 45_600_000 }]) },
    ]);
    const show = (platform: string) => {
      cleanup();
      const { rows } = buildRows(sized, { filter: filterOf(''), sort: parseSort(null)!, platform });
      return render(<GroupTable repository="docker.io/library/demo" rows={rows} />).container.querySelector(`tbody[data-digest="${d(1)}"] tr`) as HTMLElement;
    };
    // `linux/arm64` in the URL finds the chip `linux/arm64/v8`.
    const row = show('linux/arm64');
    const platformDigest = within(row).getByTestId('platform-digest');
    expect(platformDigest).toHaveTextContent('linux/arm64/v8');
    expect(platformDigest.querySelector('code')).toHaveAttribute('title', d(12));
    expect(row).toHaveTextContent('Compressed size 45.6 MB');
    // Without a platform, the index digest alone and the group's size range.
    const all = show('');
    expect(within(all).queryByTestId('platform-digest')).toBeNull();
    expect(all).toHaveTextContent('Compressed size 3.1 MB – 45.6 MB');
  });

  it('links "shares N of M platform images" to the compare page', () => {
    const { container } = renderRows();
    const row = container.querySelector(`tbody[data-digest="${d(1)}"]`) as HTMLElement;
    const link = within(row).getByRole('link', { name: 'shares 1 of 2 platform images with edge' });
    const url = new URL(link.getAttribute('href')!, 'http://x');
    expect(url.pathname).toBe('/compare');
    expect(url.searchParams.get('a')).toBe(`docker.io/library/demo@${d(1)}`);
    expect(url.searchParams.get('b')).toBe(`docker.io/library/demo@${d(3)}`);
  });

  it('dates each group: the push date where the registry gives one, relative, the exact time for screen readers', () => {
    const pushed = new Date(Date.now() - 3 * 24 * 3600 * 1000).toISOString();
    const dated = applyEvents(initialState('docker.io/library/demo'), [
      { type: 'tags', repository: 'docker.io/library/demo', tags: ['1.0', '2.0'], truncated: false },
      { type: 'group', group: g(1, ['1.0'], [p('linux/amd64', 11)], { lastPushed: pushed }) },
      { type: 'group', group: g(2, ['2.0'], [p('linux/amd64', 21)], { lastPushed: null, created: '2020-01-02T03:04:05Z' }) },
    ]);
    const { rows } = buildRows(dated, { filter: filterOf(''), sort: parseSort(null)!, platform: '' });
    const { container } = render(<GroupTable repository="docker.io/library/demo" rows={rows} />);
    expect(screen.getByRole('columnheader', { name: 'Last pushed' })).toBeInTheDocument();
    const date = (n: number) => container.querySelector(`tbody[data-digest="${d(n)}"] [data-testid="group-date"] time`) as HTMLElement;
    expect(date(1)).toHaveAttribute('datetime', pushed);
    expect(date(1)).toHaveTextContent(/^3 days ago, pushed \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    // Focusable, so the exact time can be read from the keyboard too.
    expect(date(1)).toHaveAttribute('tabindex', '0');
    expect(date(2)).toHaveTextContent(/years ago, built 2020-01-02 03:04 UTC/);
  });
});

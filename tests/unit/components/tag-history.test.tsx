// @vitest-environment jsdom
// A tag page's history as a person reads it: the runs newest first with each digest linking to
// its page and its source in words, the moves from → to, and the empty and unavailable states
// that leave the rest of the page alone.
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { RecentMoves } from '@/components/history/recent-moves';
import { TagHistory } from '@/components/history/tag-history';
import type { Move, Observation } from '@/lib/history/types';

afterEach(cleanup);

const repository = '127.0.0.1:5000/history/demo';
const d = (n: number) => `sha256:${String(n).repeat(64).slice(0, 64)}`;
const run = (digest: string, firstSeen: string, lastSeen: string | null, extra: Partial<Observation> = {}): Observation => ({
  tag: 'latest',
  digest,
  mediaType: null,
  firstSeen,
  lastSeen,
  source: 'observed',
  via: 'head',
  ...extra,
});
const move = (tag: string, from: string, to: string, at: string, source: Move['source'] = 'observed'): Move => ({ registry: '127.0.0.1:5000', repository, tag, from, to, at, source });

const observations = [
  run(d(2), '2024-06-03T10:00:00.000Z', '2024-06-04T10:00:00.000Z'),
  run(d(3), '2024-06-02T00:00:00.000Z', null, { source: 'registry', via: 'quay' }),
  run(d(1), '2024-06-01T10:00:00.000Z', '2024-06-02T09:00:00.000Z'),
];
const moves = [move('latest', d(1), d(2), '2024-06-03T10:00:00.000Z')];

function rows() {
  return within(screen.getByTestId('timeline')).getAllByRole('row').slice(1);
}

describe('TagHistory', () => {
  it('lists the runs newest first: short digest linking to the digest page, first and last seen, source in words', () => {
    render(<TagHistory repository={repository} tag="latest" currentDigest={d(2)} timeline={{ ok: true, value: { observations, moves } }} />);
    expect(screen.getByRole('heading', { level: 2, name: 'Tag history' })).toBeInTheDocument();
    const [newest, recorded, oldest] = rows();
    const link = within(newest!).getByRole('link');
    expect(link).toHaveAttribute('href', `/r/${repository}@${d(2)}`);
    expect(link).toHaveAttribute('title', d(2));
    expect(link).toHaveAccessibleName(d(2));
    expect(link).toHaveTextContent(/^sha256:222222222222$/);
    expect(newest).toHaveTextContent('sha256:222222222222');
    expect(newest).toHaveTextContent('now');
    expect(newest).toHaveTextContent('2024-06-03 10:00 UTC');
    expect(newest).toHaveTextContent('2024-06-04 10:00 UTC');
    expect(newest).toHaveTextContent('Tagscope saw');
    expect(recorded).toHaveTextContent('registry record (Quay)');
    expect(recorded).toHaveTextContent('still there');
    expect(oldest).not.toHaveTextContent('now');
  });

  it('marks no run "now" when the page found the tag elsewhere than Tagscope last saw it', () => {
    render(<TagHistory repository={repository} tag="latest" currentDigest={d(9)} timeline={{ ok: true, value: { observations, moves } }} />);
    for (const row of rows()) expect(row).not.toHaveTextContent(/\bnow\b/);
  });

  it('lists the moves from → to, each digest linking to its page, with when and whose record', () => {
    render(<TagHistory repository={repository} tag="latest" currentDigest={d(2)} timeline={{ ok: true, value: { observations, moves } }} />);
    const table = screen.getByRole('table', { name: 'Moves of latest, newest first' });
    const [row] = within(table).getAllByRole('row').slice(1);
    expect(within(row!).getAllByRole('link').map((a) => a.getAttribute('href'))).toEqual([`/r/${repository}@${d(1)}`, `/r/${repository}@${d(2)}`]);
    expect(row).toHaveTextContent('2024-06-03 10:00 UTC');
    expect(row).toHaveTextContent('Tagscope saw');
  });

  it('says when there is no move yet', () => {
    render(<TagHistory repository={repository} tag="latest" currentDigest={d(1)} timeline={{ ok: true, value: { observations: [observations[2]!], moves: [] } }} />);
    expect(screen.getByText(/No move recorded/)).toBeInTheDocument();
  });

  it('offers a date to look back to, as ?at= on the tag page, and the tag’s feed', () => {
    render(<TagHistory repository={repository} tag="latest" currentDigest={d(2)} timeline={{ ok: true, value: { observations, moves } }} />);
    const input = screen.getByLabelText('What did latest point at on');
    expect(input).toHaveAttribute('name', 'at');
    expect(input.closest('form')).toHaveAttribute('action', `/r/${repository}:latest`);
    expect(screen.getByTestId('feed-link')).toHaveAttribute('href', `/api/v1/feed?repository=${repository}&tag=latest`);
  });

  it('empty: explains that history starts with the first sighting and that watching makes it complete', () => {
    render(<TagHistory repository={repository} tag="latest" currentDigest={d(2)} timeline={{ ok: true, value: { observations: [], moves: [] } }} />);
    const empty = screen.getByTestId('history-empty');
    expect(empty).toHaveTextContent('It starts when Tagscope first sees the tag');
    expect(within(empty).getByRole('link', { name: 'Watch the repository' })).toHaveAttribute('href', `/r/${repository}`);
    expect(screen.queryByRole('table')).toBeNull();
  });

  it('unavailable: a quiet note with the reason, no table', () => {
    render(<TagHistory repository={repository} tag="latest" currentDigest={d(2)} timeline={{ ok: false, reason: 'Tag history is unavailable: the database did not answer within 1.5 s.' }} />);
    expect(screen.getByTestId('history-unavailable')).toHaveTextContent('the database did not answer within 1.5 s.');
    expect(screen.queryByRole('table')).toBeNull();
    expect(screen.queryByRole('alert')).toBeNull();
  });
});

describe('RecentMoves', () => {
  it('lists the latest moves with the tag linking to its page and both digests to theirs', () => {
    render(<RecentMoves repository={repository} moves={{ ok: true, value: [move('edge', d(4), d(5), '2024-06-05T00:00:00.000Z', 'registry'), ...moves] }} />);
    expect(screen.getByRole('heading', { level: 2, name: 'Recently moved' })).toBeInTheDocument();
    const [first, second] = within(screen.getByTestId('moves')).getAllByRole('row').slice(1);
    expect(within(first!).getByRole('link', { name: 'edge' })).toHaveAttribute('href', `/r/${repository}:edge`);
    expect(first).toHaveTextContent('registry record');
    expect(within(second!).getAllByRole('link').map((a) => a.getAttribute('href'))).toEqual([`/r/${repository}:latest`, `/r/${repository}@${d(1)}`, `/r/${repository}@${d(2)}`]);
  });

  it.each([
    ['no move', { ok: true as const, value: [] }],
    ['history unavailable', { ok: false as const, reason: 'Tag history is unavailable: the history database is not open.' }],
  ])('renders nothing with %s, so the page is as it was', (_, read) => {
    const { container } = render(<RecentMoves repository={repository} moves={read} />);
    expect(container).toBeEmptyDOMElement();
  });
});

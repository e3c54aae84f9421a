// @vitest-environment jsdom
// `?at=`'s answer says which source it comes from — the registry's record or Tagscope's
// sightings — says when a sighting only bounds the answer, and says "not observed before"
// instead of guessing.
import { cleanup, render, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { TagAtPanel } from '@/components/history/tag-at-panel';
import type { TagAt } from '@/lib/history/store';
import type { Observation } from '@/lib/history/types';

afterEach(cleanup);

const repository = 'quay.io/org/app';
const d = (n: number) => `sha256:${String(n).repeat(64)}`;
const run = (digest: string, firstSeen: string, lastSeen: string | null, source: Observation['source'] = 'observed'): Observation => ({
  tag: '1.0',
  digest,
  mediaType: null,
  firstSeen,
  lastSeen,
  source,
  via: source === 'registry' ? 'quay' : 'head',
});
const answer = (extra: Partial<TagAt>): TagAt => ({ at: '2024-06-10T00:00:00.000Z', registry: null, observed: null, observedSince: null, recordedSince: null, ...extra });

function show(read: Parameters<typeof TagAtPanel>[0]['read']) {
  render(<TagAtPanel repository={repository} tag="1.0" at="2024-06-10T00:00:00.000Z" read={read} />);
  return screen.getByTestId('tag-at');
}

describe('TagAtPanel', () => {
  it('the registry’s record: the digest, linked, "according to the registry’s record", when it was set and left', () => {
    const panel = show({ ok: true, value: answer({ registry: run(d(1), '2024-06-01T00:00:00.000Z', '2024-06-20T00:00:00.000Z', 'registry') }) });
    expect(within(panel).getByRole('heading', { level: 2 })).toHaveTextContent('1.0 on 2024-06-10 00:00 UTC');
    expect(panel).toHaveTextContent('On 2024-06-10 00:00 UTC, 1.0 pointed at sha256:111111111111');
    expect(panel).toHaveTextContent('according to the registry’s record (Quay): set to it');
    expect(panel).toHaveTextContent('moved off it');
    expect(within(panel).getAllByRole('link')[0]).toHaveAttribute('href', `/r/${repository}@${d(1)}`);
    expect(panel).not.toHaveTextContent('as Tagscope saw it');
  });

  it('the registry’s record and Tagscope’s sightings that disagree: both are said', () => {
    const panel = show({
      ok: true,
      value: answer({ registry: run(d(1), '2024-06-01T00:00:00.000Z', null, 'registry'), observed: run(d(2), '2024-06-02T00:00:00.000Z', '2024-06-09T00:00:00.000Z') }),
    });
    expect(panel).toHaveTextContent('and still there.');
    expect(panel).toHaveTextContent('Tagscope’s own sightings have it at sha256:222222222222');
  });

  it('Tagscope’s sightings: "as Tagscope saw it" with first and last seen, no caveat when the date is within them', () => {
    const panel = show({ ok: true, value: answer({ observed: run(d(2), '2024-06-01T00:00:00.000Z', '2024-06-12T00:00:00.000Z') }) });
    expect(panel).toHaveTextContent('On 2024-06-10 00:00 UTC, 1.0 pointed at sha256:222222222222');
    expect(panel).toHaveTextContent('as Tagscope saw it (first seen');
    expect(panel).toHaveTextContent('2024-06-01 00:00 UTC');
    expect(panel).toHaveTextContent('2024-06-12 00:00 UTC');
    expect(screen.queryByTestId('unseen-caveat')).toBeNull();
  });

  it('a date after the last sighting of that run: the caveat that it may have moved unseen', () => {
    show({ ok: true, value: answer({ observed: run(d(2), '2024-06-01T00:00:00.000Z', '2024-06-05T00:00:00.000Z') }) });
    expect(screen.getByTestId('unseen-caveat')).toHaveTextContent('it may have moved in between without Tagscope seeing it');
  });

  it('before the first sighting: "not observed before" that date, and no digest', () => {
    const panel = show({ ok: true, value: answer({ observedSince: '2024-06-15T08:30:00.000Z' }) });
    expect(screen.getByTestId('not-observed')).toHaveTextContent('Tagscope has not observed 1.0 before 2024-06-15 08:30 UTC');
    expect(within(panel).getAllByRole('link')).toHaveLength(1);
  });

  it('history unavailable: the reason', () => {
    const panel = show({ ok: false, reason: 'Tag history is unavailable: the history database is not open.' });
    expect(panel).toHaveTextContent('the history database is not open');
  });

  it('always links to the tag as it is now', () => {
    const panel = show({ ok: true, value: answer({}) });
    expect(within(panel).getByRole('link', { name: 'See 1.0 now' })).toHaveAttribute('href', `/r/${repository}:1.0`);
  });
});

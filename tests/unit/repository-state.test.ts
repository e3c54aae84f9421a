import { describe, expect, it } from 'vitest';
import type { Group, PlatformInfo, RepositoryEvent } from '@/lib/api/types';
import { formatBytes, sizeRange } from '@/lib/common/format';
import { applyEvents, buildRows, computeSharing, countSummary, findDigests, initialState } from '@/lib/swr/repository-state';
import { parseSort } from '@/lib/common/tag-order';
import { filterOf } from '../support/name-matcher';

const d = (n: number) => `sha256:${String(n).padStart(64, '0')}`;
function platform(p: string, digest: string, size: number): PlatformInfo {
  const [os, architecture, variant] = p.split('/');
  return { platform: p, os: os!, architecture: architecture!, variant: variant ?? null, osVersion: null, digest, mediaType: 'x', size: 500, compressedSize: size, configDigest: d(9000 + size), lastPushed: null, lastPulled: null };
}
function group(n: number, tags: string[], platforms: PlatformInfo[], extra: Partial<Group> = {}): Group {
  return { digest: d(n), mediaType: 'application/vnd.oci.image.index.v1+json', kind: 'index', size: 1000, tags, platforms, attestations: [], signatures: [], artifactType: null, lastPushed: null, ...extra };
}

const amd = platform('linux/amd64', d(101), 3_000_000);
const arm = platform('linux/arm64/v8', d(102), 2_900_000);
const armNew = platform('linux/arm64/v8', d(103), 2_950_000);
const events: RepositoryEvent[] = [
  { type: 'tags', repository: 'r', tags: ['1.0', '1.1', '1.10', 'latest', 'pending-one', `sha256-${'1'.repeat(64)}.sig`], truncated: false },
  { type: 'group', group: group(1, ['1.0'], [amd, arm]) },
  { type: 'group', group: group(2, ['1.10', 'latest'], [amd, armNew], { signatures: [{ tag: `sha256-${'1'.repeat(64)}.sig`, digest: d(5) }] }) },
  { type: 'error', tag: '1.1', error: { code: 'MANIFEST_UNKNOWN', message: 'gone' } },
  { type: 'progress', resolved: 5, total: 6 },
];

describe('applyEvents folds the stream', () => {
  const state = applyEvents(initialState('r'), events);
  it('keeps groups by digest, the latest send winning', () => {
    const regrown = applyEvents(state, [{ type: 'group', group: group(1, ['1.0', '1.0.0'], [amd, arm]) }]);
    expect(regrown.groups.get(d(1))!.tags).toEqual(['1.0', '1.0.0']);
    expect(regrown.groupOfTag.get('1.0.0')).toBe(d(1));
    expect(regrown.groups.size).toBe(2);
  });
  it('records tag errors, progress and done', () => {
    expect(state.tagErrors.get('1.1')?.code).toBe('MANIFEST_UNKNOWN');
    expect([state.resolved, state.total, state.done]).toEqual([5, 6, false]);
    expect(applyEvents(state, [{ type: 'done' }]).done).toBe(true);
  });
  it('returns the same state for no events', () => {
    expect(applyEvents(state, [])).toBe(state);
  });
});

describe('buildRows', () => {
  const state = applyEvents(initialState('r'), events);
  const rows = (filter = '', sort = 'version', p = '') => buildRows(state, { filter: filterOf(filter), sort: parseSort(sort)!, platform: p }).rows;
  const ids = (list: ReturnType<typeof rows>) => list.map((r) => (r.kind === 'group' ? r.group.tags.join('+') : `${r.kind}:${r.tag}`));

  it('shows groups, failed tags and resolving tags, never signature tags', () => {
    expect(ids(rows())).toEqual(['1.10+latest', 'error:1.1', '1.0', 'pending:pending-one']);
  });
  it('sorts by name when asked', () => {
    expect(ids(rows('', 'name'))).toEqual(['1.0', 'error:1.1', '1.10+latest', 'pending:pending-one']);
    // Oldest first: a group ranks by its most specific version tag (1.10, not latest); names
    // that are not versions come first.
    expect(ids(rows('', '-version'))).toEqual(['pending:pending-one', '1.0', 'error:1.1', '1.10+latest']);
  });
  it('sorts by push date where the registry gives one, newest first; undated rows fall back to version order', () => {
    const pushed = applyEvents(initialState('r'), [
      { type: 'tags', repository: 'r', tags: ['1.0', '2.0', '3.0', 'old'], truncated: false },
      { type: 'group', group: group(1, ['1.0'], [amd], { lastPushed: '2026-03-01T00:00:00Z' }) },
      { type: 'group', group: group(2, ['2.0'], [amd], { lastPushed: '2025-01-01T00:00:00Z' }) },
      { type: 'group', group: group(3, ['3.0'], [amd], { lastPushed: null }) },
      { type: 'group', group: group(4, ['old'], [amd], { lastPushed: '2026-06-01T12:00:00.123456789Z' }) },
      { type: 'done' },
    ]);
    const byPush = (sort: string) => ids(buildRows(pushed, { filter: filterOf(''), sort: parseSort(sort)!, platform: '' }).rows);
    expect(byPush('pushed')).toEqual(['old', '1.0', '2.0', '3.0']);
    expect(byPush('-pushed')).toEqual(['3.0', '2.0', '1.0', 'old']);
  });
  it('filters by substring or /regex/, keeping a group when any tag matches', () => {
    expect(ids(rows('LATEST'))).toEqual(['1.10+latest']);
    expect(ids(rows('/^1\\.1/'))).toEqual(['1.10+latest', 'error:1.1']);
  });
  it('filters by platform after normalization', () => {
    expect(ids(rows('', 'version', 'linux/arm64'))).toEqual(['1.10+latest', 'error:1.1', '1.0']);
    expect(ids(rows('', 'version', 'linux/s390x'))).toEqual(['error:1.1']);
  });
  it('reports an invalid expression instead of throwing', () => {
    expect(buildRows(state, { filter: filterOf('/[/'), sort: parseSort(null)!, platform: '' }).filterError).toMatch(/not a valid regular expression/);
  });
});

describe('computeSharing', () => {
  it('names the group sharing the most, but not all, platform images; a superset is not news', () => {
    const a = group(1, ['1.0'], [amd, arm]);
    const b = group(2, ['2.0'], [amd, armNew]);
    const superset = group(3, ['3.0'], [amd, arm, armNew]);
    const sharing = computeSharing([a, b, superset]);
    // b's images are all in the superset (skipped); it shares 1 of 2 with a.
    expect(sharing.get(d(2))).toEqual({ tag: '1.0', digest: d(1), shared: 1, of: 2 });
    // The superset shares 2 of 3 with a and with b; the higher version wins the tie.
    expect(sharing.get(d(3))).toEqual({ tag: '2.0', digest: d(2), shared: 2, of: 3 });
  });
  it('says "shares 1 of 2" between two rebuilds', () => {
    const sharing = computeSharing([group(1, ['1.0'], [amd, arm]), group(2, ['2.0'], [amd, armNew])]);
    expect(sharing.get(d(1))).toEqual({ tag: '2.0', digest: d(2), shared: 1, of: 2 });
  });
});

describe('sizes', () => {
  it.each([
    [0, '0 B'],
    [999, '999 B'],
    [2_809_473, '2.8 MB'],
    [812_000, '812 kB'],
    [null, '—'],
  ])('formatBytes(%s) = %s', (bytes, text) => expect(formatBytes(bytes)).toBe(text));
  it('shows a range across platforms', () => {
    expect(sizeRange(group(1, ['x'], [amd, arm]))).toBe('2.9 MB – 3.0 MB');
  });
});

describe('countSummary: the count follows the filter and platform', () => {
  const state = applyEvents(initialState('r'), [
    { type: 'tags', repository: 'r', tags: ['3.12', '3.12.9', '3.13', 'latest', `sha256-${'a'.repeat(64)}.sig`], truncated: false },
    { type: 'group', group: group(1, ['3.12', '3.12.9'], [amd]) },
    { type: 'group', group: group(2, ['3.13', 'latest'], [amd, arm]) },
    { type: 'done' },
  ]);
  const summary = (filter: string, p = '') => countSummary(state, buildRows(state, { filter: filterOf(filter), sort: parseSort(null)!, platform: p }).rows, { filter, platform: p });

  it.each([
    ['', '', '4 tags + 1 signature in 2 groups'],
    ['3.12', '', '1 of 2 groups · 2 of 4 tags match 3.12'],
    ['', 'linux/arm64', '1 of 2 groups · 2 of 4 tags match linux/arm64'],
    ['3.12', 'linux/arm64', '0 of 2 groups · 0 of 4 tags match 3.12 on linux/arm64'],
  ])('filter "%s", platform "%s": %s', (filter, p, words) => {
    expect(summary(filter, p)).toBe(words);
  });

  it('uses the singular for one', () => {
    const one = applyEvents(initialState('r'), [{ type: 'tags', repository: 'r', tags: ['1.0'], truncated: false }, { type: 'group', group: group(3, ['1.0'], [amd]) }]);
    expect(countSummary(one, [], { filter: '', platform: '' })).toBe('1 tag in 1 group');
  });
});

describe('version sort follows the most specific tag of a group', () => {
  const state = applyEvents(initialState('r'), [
    { type: 'tags', repository: 'r', tags: ['latest', '3', '3.14', '3.14.3', '3.13', '3.13.1', '2'], truncated: false },
    { type: 'group', group: group(1, ['latest', '3', '3.14', '3.14.3'], [amd]) },
    { type: 'group', group: group(2, ['3.13', '3.13.1'], [amd]) },
    { type: 'group', group: group(3, ['2'], [amd]) },
    { type: 'done' },
  ]);
  const order = (sort: string) => buildRows(state, { filter: filterOf(''), sort: parseSort(sort)!, platform: '' }).rows.map((r) => (r.kind === 'group' ? r.group.tags[0] : r.kind));
  it.each([
    ['version', ['latest', '3.13', '2']],
    ['-version', ['2', '3.13', 'latest']],
  ])('%s: the floating alias 3 does not rank its group as 3.0.0', (sort, firsts) => {
    expect(order(sort)).toEqual(firsts);
  });
});

describe('findDigests: the short IDs docker images and this page show', () => {
  const hex = (prefix: string) => `sha256:${prefix}${'0'.repeat(64 - prefix.length)}`;
  const withConfig = (p: PlatformInfo, config: string): PlatformInfo => ({ ...p, configDigest: config });
  const groups = [
    group(1, ['3.14', 'latest'], [withConfig(platform('linux/amd64', hex('1796265a1f43'), 1), hex('ec63636d43cc')), withConfig(platform('linux/arm64/v8', hex('1796aaaa'), 1), hex('5d94e8237eb8'))], { digest: hex('e022f375a36b') }),
    // The same platform image in a second group is one digest, found once.
    group(2, ['3.14.1'], [withConfig(platform('linux/amd64', hex('1796265a1f43'), 1), hex('ec63636d43cc'))], { digest: hex('ff67c2fef4d3') }),
  ];
  it('finds an index digest, a platform digest and an image ID by their 12 characters', () => {
    expect(findDigests(groups, 'e022f375a36b')).toEqual([{ digest: hex('e022f375a36b'), what: 'index digest of 3.14, latest' }]);
    expect(findDigests(groups, 'sha256:1796265a1f43')).toEqual([{ digest: hex('1796265a1f43'), what: 'platform digest of 3.14, latest (linux/amd64)' }]);
    expect(findDigests(groups, 'EC63636D43CC')).toEqual([{ digest: hex('ec63636d43cc'), what: 'image ID of 3.14, latest (linux/amd64)' }]);
  });
  it('lists every digest an ambiguous prefix starts, and nothing for an unknown one', () => {
    expect(findDigests(groups, '1796').map((m) => m.digest)).toEqual([hex('1796265a1f43'), hex('1796aaaa')]);
    expect(findDigests(groups, 'abcdef123456')).toEqual([]);
  });
});

import { describe, expect, it } from 'vitest';
import { compareVersions, parseSort, sortTags, tagsBySpecificity } from '@/lib/common/tag-order';

describe('compareVersions understands numbers and semver pre-releases', () => {
  it.each([
    ['3.9', '3.10'],
    ['1.2.0-rc1', '1.2.0'],
    ['1.2.0-rc.1', '1.2.0-rc.2'],
    ['1.2.0-rc9', '1.2.0-rc10'],
    ['v1.9.0', 'v1.10.0'],
    ['1', '1.0'],
    ['latest', '0.1'],
    ['edge', 'latest'],
    ['1.2.0', '1.2.0-alpine'.replace('-', '.') /* "1.2.0.alpine": a longer version */],
  ])('%s < %s', (a, b) => {
    expect(compareVersions(a, b)).toBeLessThan(0);
    expect(compareVersions(b, a)).toBeGreaterThan(0);
  });
  it('is 0 for equal tags', () => expect(compareVersions('1.2.3', '1.2.3')).toBe(0));
});

describe('parseSort', () => {
  it.each([
    [undefined, { key: 'version', descending: true }],
    ['version', { key: 'version', descending: true }],
    ['-version', { key: 'version', descending: false }],
    ['name', { key: 'name', descending: false }],
    ['-name', { key: 'name', descending: true }],
    ['created', { key: 'created', descending: true }],
    ['size', null],
    ['', null],
  ])('%s', (value, expected) => expect(parseSort(value)).toEqual(expected));
});

describe('sortTags', () => {
  const tags = ['latest', '3.9', '3.10', '3.10.1', '3.10.0-rc1'];
  it('newest version first by default', () => {
    // A shorter version is the floating tag of a line: 3.10 sorts below 3.10.0-rc1 and 3.10.1.
    expect(sortTags(tags, parseSort(null)!)).toEqual(['3.10.1', '3.10.0-rc1', '3.10', '3.9', 'latest']);
  });
  it('by name, A→Z', () => {
    expect(sortTags(tags, parseSort('name')!)).toEqual(['3.10', '3.10.0-rc1', '3.10.1', '3.9', 'latest']);
  });
  it('by created date, newest first, undated last, ties by version', () => {
    const created: Record<string, string> = { '3.9': '2020-01-01', '3.10': '2021-01-01', '3.10.1': '2021-01-01' };
    expect(sortTags(tags, parseSort('created')!, (t) => created[t] ?? null)).toEqual(['3.10.1', '3.10', '3.9', '3.10.0-rc1', 'latest']);
  });
});

describe('tagsBySpecificity: a group’s tags as people read them, most specific first', () => {
  it.each([
    [['latest', '3', '3.14', '3.14.3'], ['3.14.3', '3.14', '3', 'latest']],
    // A package revision pins more than the bare version; names that are not versions last, A–Z.
    [['3.12', '3.12.9', '3.12.9-r0'], ['3.12.9-r0', '3.12.9', '3.12']],
    [['stable', 'latest', 'v2', 'v2.1.0'], ['v2.1.0', 'v2', 'latest', 'stable']],
    [['1.25', '1.25-alpine', 'mainline'], ['1.25-alpine', '1.25', 'mainline']],
  ])('%j → %j', (tags, shown) => {
    expect(tagsBySpecificity(tags)).toEqual(shown);
  });
});

// Quay's tag list read from its real answer (docs/docker-hub-api.md §4) and from the rows its
// `_tag_dict` writes: dead rows keep when they ended, a row off the tag or digest grammar is
// no tag, a number out of range is no value, and a wrong type makes the page unreadable.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { quayTagPageSchema, quayTagSchema, toQuayTag } from '@/lib/quay/schemas';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(path.join(import.meta.dirname, '../../fixtures/quay', name), 'utf8')) as Record<string, unknown>;
const read = (json: unknown) => toQuayTag(quayTagSchema.parse(json));

const DIGEST = 'sha256:f19ab51cc9f23ee30225dd1c15ca545c2b767be7d7e1ed5cd83df47a40e5d324';
const SHA512 = `sha512:${'ab'.repeat(64)}`;
/** A dead row as `_tag_dict` writes one: the tag left this manifest at end_ts. */
const DEAD = {
  name: 'v0.4.0',
  reversion: false,
  start_ts: 1_700_000_000,
  end_ts: 1_718_406_240,
  manifest_digest: DIGEST,
  is_manifest_list: false,
  size: 3_412_345,
  last_modified: 'Tue, 14 Nov 2023 22:13:20 -0000',
  expiration: 'Fri, 14 Jun 2024 23:04:00 -0000',
};

describe('the real answer (konveyor/tackle2-hub, onlyActiveTags, specificTag=latest)', () => {
  it('reads as one live index row: digest, start in ms, no size, no end', () => {
    const page = quayTagPageSchema.parse(fixture('tackle2-hub-latest.json'));
    expect(page).toMatchObject({ page: 1, has_additional: false });
    expect(page.tags.map(toQuayTag)).toEqual([
      { name: 'latest', digest: DIGEST, isManifestList: true, size: null, start: 1_718_406_240_000, end: null, reversion: false },
    ]);
    expect(new Date(1_718_406_240_000).toISOString()).toBe('2024-06-14T23:04:00.000Z');
  });
});

describe('rows of tag history', () => {
  it('a dead row keeps when it ended; a single-platform manifest has its layers size', () => {
    expect(read(DEAD)).toEqual({ name: 'v0.4.0', digest: DIGEST, isManifestList: false, size: 3_412_345, start: 1_700_000_000_000, end: 1_718_406_240_000, reversion: false });
  });

  it('a restored row says so', () => {
    expect(read({ ...DEAD, end_ts: undefined, expiration: undefined, reversion: true })).toMatchObject({ reversion: true, end: null });
  });

  it('only name and digest are needed: the rest is absent, false or null, never made up', () => {
    expect(read({ name: 'latest', manifest_digest: SHA512 })).toEqual({ name: 'latest', digest: SHA512, isManifestList: false, size: null, start: null, end: null, reversion: false });
    expect(read({ name: 'latest', manifest_digest: DIGEST, reversion: null, is_manifest_list: null, size: null, start_ts: null, end_ts: null })).toMatchObject({
      reversion: false,
      isManifestList: false,
      start: null,
    });
  });

  it('fields of older and newer Quay versions are read past', () => {
    const older = { ...DEAD, docker_image_id: 'f'.repeat(64), image_id: 'f'.repeat(64) };
    const newer = { ...DEAD, is_manifest_list: true, size: null, is_sparse: false, child_manifest_count: 2, present_child_count: 2, child_manifests_presence: { [DIGEST]: true } };
    expect(read(older)).toEqual(read(DEAD));
    expect(read(newer)).toMatchObject({ isManifestList: true, size: null });
  });
});

describe('a row off the grammar is no tag (the caller counts it)', () => {
  it.each([
    ['a name starting with "-"', { name: '-latest' }],
    ['a name starting with "."', { name: '.hidden' }],
    ['a name with a space', { name: 'v 1' }],
    ['a name with a slash', { name: 'a/b' }],
    ['a name of 129 characters', { name: 'a'.repeat(129) }],
    ['an empty name', { name: '' }],
    ['no digest', { manifest_digest: undefined }],
    ['a null digest', { manifest_digest: null }],
    ['an empty digest', { manifest_digest: '' }],
    ['a short digest', { manifest_digest: 'sha256:abc' }],
    ['an uppercase digest', { manifest_digest: DIGEST.toUpperCase() }],
    ['another algorithm', { manifest_digest: `md5:${'a'.repeat(32)}` }],
    ['a path in a digest', { manifest_digest: 'sha256:../../../etc/passwd' }],
  ])('%s', (_, change) => {
    expect(read({ ...DEAD, ...change })).toBeNull();
  });

  it('a name of 128 characters is a tag', () => {
    expect(read({ ...DEAD, name: 'a'.repeat(128) })?.name).toHaveLength(128);
  });
});

describe('numbers out of range are no value', () => {
  it.each([
    ['start_ts 0 (Quay: not set)', { start_ts: 0 }, 'start', null],
    ['a negative start_ts', { start_ts: -1 }, 'start', null],
    ['a start_ts past what a Date holds', { start_ts: 8.64e12 + 1 }, 'start', null],
    ['the last start_ts a Date holds', { start_ts: 8.64e12 }, 'start', 8.64e15],
    ['an end_ts of 1e300', { end_ts: 1e300 }, 'end', null],
    ['a negative size', { size: -1 }, 'size', null],
    ['a fractional size', { size: 1.5 }, 'size', null],
    ['a size past 2^53', { size: 2 ** 60 }, 'size', null],
    ['a size of 0', { size: 0 }, 'size', 0],
  ])('%s', (_, change, field, expected) => {
    expect(read({ ...DEAD, ...change })).toMatchObject({ [field]: expected });
  });
});

describe('a wrong type makes the page unreadable', () => {
  const page = (tags: unknown[], rest: Record<string, unknown> = {}) => ({ tags, page: 1, has_additional: false, ...rest });
  it.each([
    ['a numeric name', page([{ ...DEAD, name: 5 }])],
    ['start_ts as a string', page([{ ...DEAD, start_ts: '1718406240' }])],
    ['size as a string', page([{ ...DEAD, size: '3 MB' }])],
    ['reversion as a string', page([{ ...DEAD, reversion: 'false' }])],
    ['tags not a list', { tags: { latest: DEAD }, page: 1, has_additional: false }],
    ['no has_additional', { tags: [DEAD], page: 1 }],
    ['a fractional page', page([DEAD], { page: 1.5 })],
    ['another API’s shape', { results: [DEAD], next: null }],
  ])('%s', (_, json) => {
    expect(quayTagPageSchema.safeParse(json).success).toBe(false);
  });

  it('a page without `page` is read (it is only checked when given)', () => {
    expect(quayTagPageSchema.parse({ tags: [], has_additional: false }).page).toBeUndefined();
  });
});

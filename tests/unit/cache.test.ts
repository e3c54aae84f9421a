import { describe, expect, it } from 'vitest';
import { Cache, freshKey } from '@/lib/cache/cache';
import { heapSize } from '@/lib/cache/heap-size';

const MiB = 1024 * 1024;

function tagList(tags: number, nameLength: number, seed: string) {
  const tail = 'x'.repeat(Math.max(0, nameLength - seed.length - 6));
  return { tags: Array.from({ length: tags }, (_, i) => `${seed}${String(i).padStart(6, '0')}${tail}`), truncated: false, pages: 1, google: null };
}

describe('heapSize: an estimate that errs high', () => {
  it.each([
    ['a string: two bytes a character', 'abcd', 24],
    ['a number', 42, 8],
    ['null', null, 8],
    ['an array: a word a slot plus its items', ['ab', 'cd'], 16 + 2 * (8 + 20)],
    ['an object: keys and values', { digest: 'sha256:0' }, 16 + 8 + (16 + 2 * 6) + (16 + 2 * 8)],
  ])('%s', (_what, value, size) => {
    expect(heapSize(value)).toBe(size);
  });

  it('a tag list counts at least its tag names', () => {
    const list = tagList(1000, 100, 't');
    expect(heapSize(list)).toBeGreaterThan(1000 * 100);
  });
});

describe('Cache: fresh answers bounded in bytes, not entries', () => {
  it('many big tag lists never hold more than the bound', () => {
    const cache = new Cache({ tagTtlMs: 60_000, freshMemoryBytes: 4 * MiB });
    const lists = Array.from({ length: 100 }, (_, i) => tagList(1000, 100, `r${i}-`)); // ~200 KB each, 20 MB in all
    lists.forEach((list, i) => cache.setFresh(freshKey.tagList(`registry.test/repo-${i}`), list));
    expect(cache.memoryUsage().fresh).toBeLessThanOrEqual(4 * MiB);
    const kept = lists.filter((_, i) => cache.peekFresh(freshKey.tagList(`registry.test/repo-${i}`)) !== undefined);
    expect(kept.length).toBeGreaterThan(0);
    // Each list holds 1,000 names of 100 characters, at least 200,000 bytes: 20 fit in 4 MiB.
    expect(kept.length).toBeLessThanOrEqual(20);
    expect(cache.peekFresh(freshKey.tagList('registry.test/repo-99'))).toBe(lists[99]); // the newest stays
  });

  it('a list larger than the whole bound is not kept at all (1,000 tags of 99 KB)', () => {
    const cache = new Cache({ tagTtlMs: 60_000 });
    const huge = tagList(1000, 99_000, 'h');
    cache.setFresh(freshKey.tagList('registry.test/huge'), huge);
    expect(cache.peekFresh(freshKey.tagList('registry.test/huge'))).toBeUndefined();
    expect(cache.memoryUsage().fresh).toBe(0);
  });

  it('the default bound holds 10,000 tag answers (a large repository within its TTL), and a flood stays under it', () => {
    const cache = new Cache({ tagTtlMs: 60_000 });
    const target = (i: number) => ({ digest: `sha256:${i.toString(16).padStart(64, '0')}`, mediaType: 'application/vnd.oci.image.index.v1+json', size: 1234 });
    for (let i = 0; i < 10_000; i++) cache.setFresh(freshKey.tag('registry.test/big', `tag-${i}`), target(i));
    expect(cache.peekFresh(freshKey.tag('registry.test/big', 'tag-0'))).toEqual(target(0));
    for (let i = 0; i < 300_000; i++) cache.setFresh(freshKey.tag('registry.test/flood', `tag-${i}`), target(i));
    expect(cache.memoryUsage().fresh).toBeLessThanOrEqual(32 * MiB);
    expect(cache.peekFresh(freshKey.tag('registry.test/big', 'tag-0'))).toBeUndefined();
  });
});

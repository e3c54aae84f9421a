import { createHash } from 'node:crypto';
import { mkdtemp, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DiskStore } from '@/lib/cache/disk-store';

const REPO = 'registry.test/library/app';
const KiB = 1024;
/** A 5,000-byte manifest and its `{}` headers: 8 KiB + 4 KiB of disk blocks. */
const ENTRY_ON_DISK = 12 * KiB;
const CAP = 100 * KiB; // eight entries fit, the ninth evicts down to 90 KiB: seven

function content(label: string) {
  const bytes = Buffer.alloc(5000, label);
  return { digest: `sha256:${createHash('sha256').update(bytes).digest('hex')}`, entry: { bytes, headers: {} } };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Every file under the cache directory, with what it takes on disk. */
async function onDisk(dir: string): Promise<{ files: string[]; length: number; allocated: number }> {
  const names = (await readdir(dir, { recursive: true })).map((name) => path.join(dir, name));
  let length = 0;
  let allocated = 0;
  const files: string[] = [];
  for (const name of names) {
    const info = await stat(name);
    if (!info.isFile()) continue;
    files.push(name);
    length += info.size;
    allocated += info.blocks * 512;
  }
  return { files, length, allocated };
}

describe('DiskStore: bounded by TAGSCOPE_CACHE_MAX_BYTES, least recently used evicted first', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'tagscope-disk-unit-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function fill(store: DiskStore, labels: string[]) {
    for (const label of labels) {
      const { digest, entry } = content(label);
      await store.set(REPO, digest, entry);
      await sleep(3); // distinct modification times, which order the entries after a restart
    }
  }
  const present = async (store: DiskStore, labels: string[]) =>
    Promise.all(labels.map(async (label) => (await store.get(REPO, content(label).digest)) !== undefined));

  it('counts bytes and headers files in disk blocks, and evicts the oldest-used down to 90% of the cap', async () => {
    const store = new DiskStore(dir, { maxBytes: CAP });
    await fill(store, ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h']);
    expect(await store.usage()).toEqual({ bytes: 8 * ENTRY_ON_DISK, entries: 8 });
    expect(await store.get(REPO, content('a').digest)).toBeDefined(); // a is now the most recently used
    await fill(store, ['i']);
    expect(await store.usage()).toEqual({ bytes: 7 * ENTRY_ON_DISK, entries: 7 });
    expect(await present(store, ['b', 'c'])).toEqual([false, false]);
    expect(await present(store, ['a', 'd', 'e', 'f', 'g', 'h', 'i'])).toEqual([true, true, true, true, true, true, true]);
    const disk = await onDisk(dir);
    expect(disk.files).toHaveLength(14);
    expect(disk.allocated).toBeLessThanOrEqual(CAP);
  });

  it('stays under the cap however much is written', async () => {
    const store = new DiskStore(dir, { maxBytes: CAP });
    for (let i = 0; i < 60; i++) {
      const { digest, entry } = content(`entry-${i}`);
      await store.set(REPO, digest, entry);
      expect((await store.usage()).bytes).toBeLessThanOrEqual(CAP);
    }
    expect((await onDisk(dir)).allocated).toBeLessThanOrEqual(CAP);
  });

  it('survives a restart: a new store on the same directory knows the sizes and the order of use', async () => {
    const first = new DiskStore(dir, { maxBytes: CAP });
    await fill(first, ['a', 'b', 'c', 'd', 'e', 'f', 'g']);
    await first.get(REPO, content('a').digest);
    const restarted = new DiskStore(dir, { maxBytes: CAP });
    expect(await restarted.usage()).toEqual({ bytes: 7 * ENTRY_ON_DISK, entries: 7 });
    await fill(restarted, ['x', 'y']); // nine entries: down to seven, a stays (it was read last)
    expect(await present(restarted, ['b', 'c'])).toEqual([false, false]);
    expect(await present(restarted, ['a', 'd', 'e', 'f', 'g', 'x', 'y'])).toEqual([true, true, true, true, true, true, true]);
  });

  it('a restart with a smaller cap trims at once', async () => {
    await fill(new DiskStore(dir, { maxBytes: CAP }), ['a', 'b', 'c', 'd', 'e', 'f']);
    const smaller = new DiskStore(dir, { maxBytes: 4 * ENTRY_ON_DISK });
    expect(await smaller.usage()).toEqual({ bytes: 3 * ENTRY_ON_DISK, entries: 3 });
    expect(await present(smaller, ['a', 'b', 'c', 'd', 'e', 'f'])).toEqual([false, false, false, true, true, true]);
  });

  it('counts what another process wrote once it is read', async () => {
    const one = new DiskStore(dir, { maxBytes: CAP });
    const other = new DiskStore(dir, { maxBytes: CAP });
    await one.usage();
    await fill(other, ['p']);
    expect(await one.usage()).toEqual({ bytes: 0, entries: 0 });
    expect(await one.get(REPO, content('p').digest)).toBeDefined();
    expect(await one.usage()).toEqual({ bytes: ENTRY_ON_DISK, entries: 1 });
  });

  it('the start-up scan removes temp files left by a dead writer, and no other', async () => {
    await fill(new DiskStore(dir, { maxBytes: CAP }), ['a']);
    const [folder] = await readdir(dir);
    const stale = path.join(dir, folder!, 'sha256', 'abc.1234.tmp');
    const live = path.join(dir, folder!, 'sha256', 'def.5678.tmp');
    await writeFile(stale, 'half a manifest');
    await writeFile(live, 'a manifest being written');
    const hourAgo = new Date(Date.now() - 3_600_000);
    await utimes(stale, hourAgo, hourAgo);
    expect(await new DiskStore(dir, { maxBytes: CAP }).usage()).toEqual({ bytes: ENTRY_ON_DISK, entries: 1 });
    const left = (await onDisk(dir)).files.map((file) => path.basename(file));
    expect(left).toContain('def.5678.tmp');
    expect(left).not.toContain('abc.1234.tmp');
  });

  it('a file that fails verification leaves the index with its bytes', async () => {
    const store = new DiskStore(dir, { maxBytes: CAP });
    await fill(store, ['a', 'b']);
    const { digest } = content('a');
    const [folder] = await readdir(dir);
    await writeFile(path.join(dir, folder!, 'sha256', digest.slice(7)), 'tampered');
    expect(await store.get(REPO, digest)).toBeUndefined();
    expect(await store.usage()).toEqual({ bytes: ENTRY_ON_DISK, entries: 1 });
  });
});

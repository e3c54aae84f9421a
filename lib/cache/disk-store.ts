// Content-addressed store on disk (TAGSCOPE_CACHE_DIR): manifests and configs never change,
// so they survive restarts. Every read is verified against its digest; a file that does not
// hash to its name is deleted and treated as a miss. Writes go to a temp file, then rename.
// The store stays under TAGSCOPE_CACHE_MAX_BYTES: an in-memory index of every entry's size, in
// order of last use, is built by scanning the directory once and kept up to date by get and
// set; past the cap the least recently used entries are deleted until 90% of it is left.

import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { getLogger } from '../server/log';
import { isDigest } from '../registry/reference';
import { DEFAULT_CACHE_MAX_BYTES, type ContentEntry, type ContentStore } from './types';

/** What a file costs on disk: its length rounded up to the 4 KiB block most file systems allocate. */
const BLOCK = 4096;
const onDisk = (length: number) => Math.ceil(length / BLOCK) * BLOCK;

/** Eviction stops at this share of the cap, so the next writes do not each evict again. */
const EVICT_TO = 0.9;
/** A temp file this old is left over from a write that died with its process. */
const STALE_TEMP_MS = 60_000;
/** Files statted at once by the start-up scan. */
const SCAN_CONCURRENCY = 64;

function hashOf(bytes: Buffer, algorithm: string): string {
  return createHash(algorithm).update(bytes).digest('hex');
}

export interface DiskStoreOptions {
  maxBytes?: number;
}

export class DiskStore implements ContentStore {
  readonly layer = 'disk';
  readonly maxBytes: number;
  /** Bytes file path → bytes + meta on disk; Map order is the order of last use, oldest first. */
  private entries = new Map<string, number>();
  private total = 0;
  private readonly scanned: Promise<void>;
  private evicting: Promise<void> | null = null;

  constructor(
    private readonly dir: string,
    { maxBytes = DEFAULT_CACHE_MAX_BYTES }: DiskStoreOptions = {},
  ) {
    this.maxBytes = maxBytes;
    this.scanned = this.scan()
      .then(() => this.evictIfOver())
      .catch((error: unknown) => getLogger().warn({ error: (error as Error).message }, 'the disk cache could not be sized or trimmed'));
  }

  /** `<dir>/<repository hash>/<algorithm>/<hex>`: per repository, so one never vouches for another. */
  private file(repository: string, digest: string): { bytes: string; meta: string; algorithm: string; hex: string } | null {
    if (!isDigest(digest)) return null;
    const [algorithm, hex] = digest.split(':');
    const folder = path.join(/*turbopackIgnore: true*/ this.dir, hashOf(Buffer.from(repository), 'sha256').slice(0, 24), algorithm!);
    return { bytes: path.join(/*turbopackIgnore: true*/ folder, hex!), meta: path.join(/*turbopackIgnore: true*/ folder, `${hex}.json`), algorithm: algorithm!, hex: hex! };
  }

  async get(repository: string, digest: string): Promise<ContentEntry | undefined> {
    const file = this.file(repository, digest);
    if (!file) return undefined;
    let bytes: Buffer;
    try {
      bytes = await readFile(file.bytes);
    } catch {
      // Not on disk (never stored, evicted, unreadable): a miss, and the registry is asked.
      return undefined;
    }
    if (hashOf(bytes, file.algorithm) !== file.hex) {
      await this.remove(file.bytes);
      return undefined;
    }
    let metaText = '';
    let headers: Record<string, string> = {};
    try {
      metaText = await readFile(file.meta, 'utf8');
      headers = JSON.parse(metaText) as Record<string, string>;
    } catch {
      // The headers are a nicety; the verified bytes are what matters.
    }
    // A file another process wrote joins the index here; the mtime carries the last use
    // across restarts. A failed touch only loses that ordering (the file may be evicted already).
    this.record(file.bytes, onDisk(bytes.length) + onDisk(Buffer.byteLength(metaText)));
    const now = new Date();
    await utimes(file.bytes, now, now).catch(() => {});
    return { bytes, headers };
  }

  async set(repository: string, digest: string, entry: ContentEntry): Promise<void> {
    const file = this.file(repository, digest);
    if (!file) return;
    const meta = JSON.stringify(entry.headers);
    await mkdir(path.dirname(file.bytes), { recursive: true });
    const temp = `${file.bytes}.${randomUUID()}.tmp`;
    try {
      await writeFile(temp, entry.bytes);
      await rename(temp, file.bytes);
    } catch (error) {
      await rm(temp, { force: true });
      throw error;
    }
    await writeFile(file.meta, meta);
    this.record(file.bytes, onDisk(entry.bytes.length) + onDisk(Buffer.byteLength(meta)));
    await this.scanned;
    await this.evictIfOver();
  }

  /** The folder exists (or can be made) and a file can be written in it (a read-only mount cannot). */
  async check(): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const probe = path.join(/*turbopackIgnore: true*/ this.dir, `ready.${randomUUID()}.tmp`);
    try {
      await writeFile(probe, '');
    } finally {
      await rm(probe, { force: true });
    }
  }

  /** What the index holds, once the start-up scan is done. */
  async usage(): Promise<{ bytes: number; entries: number }> {
    await this.scanned;
    await this.evicting;
    return { bytes: this.total, entries: this.entries.size };
  }

  /** Marks an entry as just used, with its size. */
  private record(bytesFile: string, size: number): void {
    this.total += size - (this.entries.get(bytesFile) ?? 0);
    this.entries.delete(bytesFile);
    this.entries.set(bytesFile, size);
  }

  private async remove(bytesFile: string): Promise<void> {
    this.total -= this.entries.get(bytesFile) ?? 0;
    this.entries.delete(bytesFile);
    await rm(bytesFile, { force: true });
    await rm(`${bytesFile}.json`, { force: true });
  }

  /** Deletes the least recently used entries down to 90% of the cap; one eviction at a time. */
  private evictIfOver(): Promise<void> {
    if (this.total > this.maxBytes) {
      this.evicting ??= (async () => {
        for (const oldest of this.entries.keys()) {
          if (this.total <= this.maxBytes * EVICT_TO) break;
          await this.remove(oldest);
        }
      })().finally(() => (this.evicting = null));
    }
    return this.evicting ?? Promise.resolve();
  }

  /**
   * Reads every entry's size and last use (its mtime) once, removes temp files left by dead
   * writers, and puts what it found before whatever get and set recorded meanwhile. Walks one
   * folder at a time (`<repository>/<algorithm>/`), so a large cache is never listed at once.
   */
  private async scan(): Promise<void> {
    const found = new Map<string, { size: number; used: number }>();
    const now = Date.now();
    const inspect = async (folder: string, name: string) => {
      const isTemp = name.endsWith('.tmp');
      const isMeta = name.endsWith('.json');
      if (!isTemp && !isMeta && !isDigest(`${path.basename(folder)}:${name}`)) return;
      const full = path.join(/*turbopackIgnore: true*/ folder, name);
      // Gone since the listing: another process evicted or renamed it.
      const info = await stat(full).catch(() => null);
      if (!info?.isFile()) return;
      if (isTemp) {
        // One that cannot be removed is only a few wasted bytes; the next scan tries again.
        if (now - info.mtimeMs > STALE_TEMP_MS) await rm(full, { force: true }).catch(() => {});
        return;
      }
      const key = isMeta ? full.slice(0, -'.json'.length) : full;
      const entry = found.get(key) ?? { size: 0, used: 0 };
      entry.size += onDisk(info.size);
      if (!isMeta) entry.used = info.mtimeMs;
      found.set(key, entry);
    };
    let repositories: string[];
    try {
      repositories = await readdir(this.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        getLogger().warn({ dir: this.dir, error: (error as Error).message }, 'cannot read the cache directory: its size is unknown until restart');
      }
      return;
    }
    // Not a folder (a stray file), or removed meanwhile: nothing of ours in it.
    const list = (folder: string) => readdir(folder).catch(() => [] as string[]);
    for (const repository of repositories) {
      for (const algorithm of await list(path.join(/*turbopackIgnore: true*/ this.dir, repository))) {
        const folder = path.join(/*turbopackIgnore: true*/ this.dir, repository, algorithm);
        const names = await list(folder);
        for (let i = 0; i < names.length; i += SCAN_CONCURRENCY) {
          await Promise.all(names.slice(i, i + SCAN_CONCURRENCY).map((name) => inspect(folder, name)));
        }
      }
    }
    const older = [...found].filter(([key]) => !this.entries.has(key)).sort(([, a], [, b]) => a.used - b.used);
    const merged = new Map<string, number>(older.map(([key, { size }]) => [key, size]));
    for (const [key, size] of this.entries) merged.set(key, size);
    this.entries = merged;
    this.total = 0;
    for (const size of merged.values()) this.total += size;
  }
}

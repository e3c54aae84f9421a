// Content-addressed store on disk (TAGSCOPE_CACHE_DIR): manifests and configs never change,
// so they survive restarts. Every read is verified against its digest; a file that does not
// hash to its name is deleted and treated as a miss. Writes go to a temp file, then rename.

import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ContentEntry, ContentStore } from './types';

function hashOf(bytes: Buffer, algorithm: string): string {
  return createHash(algorithm).update(bytes).digest('hex');
}

export class DiskStore implements ContentStore {
  constructor(private readonly dir: string) {}

  /** `<dir>/<repository hash>/<algorithm>/<hex>`: per repository, so one never vouches for another. */
  private file(repository: string, digest: string): { bytes: string; meta: string; algorithm: string; hex: string } | null {
    const match = /^(sha256|sha512):([a-f0-9]{64}|[a-f0-9]{128})$/.exec(digest);
    if (!match) return null;
    const [, algorithm, hex] = match;
    const folder = path.join(/*turbopackIgnore: true*/ this.dir, hashOf(Buffer.from(repository), 'sha256').slice(0, 24), algorithm!);
    return { bytes: path.join(folder, hex!), meta: path.join(folder, `${hex}.json`), algorithm: algorithm!, hex: hex! };
  }

  async get(repository: string, digest: string): Promise<ContentEntry | undefined> {
    const file = this.file(repository, digest);
    if (!file) return undefined;
    let bytes: Buffer;
    try {
      bytes = await readFile(file.bytes);
    } catch {
      return undefined;
    }
    if (hashOf(bytes, file.algorithm) !== file.hex) {
      await rm(file.bytes, { force: true });
      await rm(file.meta, { force: true });
      return undefined;
    }
    let headers: Record<string, string> = {};
    try {
      headers = JSON.parse(await readFile(file.meta, 'utf8')) as Record<string, string>;
    } catch {
      // The headers are a nicety; the verified bytes are what matters.
    }
    return { bytes, headers };
  }

  async set(repository: string, digest: string, entry: ContentEntry): Promise<void> {
    const file = this.file(repository, digest);
    if (!file) return;
    await mkdir(path.dirname(file.bytes), { recursive: true });
    const temp = `${file.bytes}.${randomUUID()}.tmp`;
    await writeFile(temp, entry.bytes);
    await rename(temp, file.bytes);
    await writeFile(file.meta, JSON.stringify(entry.headers));
  }
}

import 'server-only';
// The cache between the data verbs and the registry. Content-addressed data (manifests and
// configs, by digest) never changes and is kept in a bounded LRU; tag → digest answers and
// tag lists live for TAGSCOPE_TAG_TTL_SECONDS. Identical requests in flight are coalesced, so
// many browsers opening one repository cost one upstream fetch per URL.

import { LRUCache } from 'lru-cache';

const MiB = 1024 * 1024;

/** Stored content: the exact bytes, with whatever the fetch learned about them. */
export interface ContentEntry {
  bytes: Buffer;
  headers: Record<string, string>;
}

export class Cache {
  private readonly content = new LRUCache<string, ContentEntry>({
    maxSize: 256 * MiB,
    sizeCalculation: (entry) => Math.max(1, entry.bytes.length),
  });
  private readonly fresh: LRUCache<string, { value: unknown }>;
  private readonly inFlight = new Map<string, Promise<unknown>>();

  constructor(readonly tagTtlMs: number) {
    this.fresh = new LRUCache({ max: 200_000, ttl: Math.max(1, tagTtlMs), ttlAutopurge: false });
  }

  /** Bytes by content key (`<repository>@<digest>`); they never change once stored. */
  getContent(key: string): ContentEntry | undefined {
    return this.content.get(key);
  }

  setContent(key: string, entry: ContentEntry): void {
    this.content.set(key, entry);
  }

  /** A short-lived answer (tag → digest, tag lists), or undefined when stale or absent. */
  getFresh<T>(key: string): T | undefined {
    if (this.tagTtlMs === 0) return undefined;
    return this.fresh.get(key)?.value as T | undefined;
  }

  setFresh(key: string, value: unknown): void {
    if (this.tagTtlMs > 0) this.fresh.set(key, { value });
  }

  /** Runs `load` once for concurrent callers of the same key. */
  coalesce<T>(key: string, load: () => Promise<T>): Promise<T> {
    const running = this.inFlight.get(key);
    if (running) return running as Promise<T>;
    const promise = load().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, promise);
    return promise;
  }
}

/** Cache keys in one table (STYLE: no scattered string literals). */
export const cacheKey = {
  content: (repository: string, digest: string) => `content:${repository}@${digest}`,
  tagList: (repository: string) => `tags:${repository}`,
  tag: (repository: string, tag: string) => `tag:${repository}:${tag}`,
};

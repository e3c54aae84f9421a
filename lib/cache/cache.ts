import 'server-only';
// The cache between the data verbs and the registry. Content-addressed data (manifests and
// configs, by repository and digest) never changes: it is kept in an in-memory LRU bounded
// in bytes, and below that on disk (TAGSCOPE_CACHE_DIR, capped by TAGSCOPE_CACHE_MAX_BYTES) or
// in Redis (REDIS_URL), verified by digest when read back. Tag → digest answers, tag lists,
// repository lists and web API answers live for TAGSCOPE_TAG_TTL_SECONDS, in memory (an LRU
// bounded by their estimated heap bytes) and, with Redis, shared by every instance. Identical
// requests in flight are shared by the registry service (lib/registry/shared-work.ts), not here.

import { LRUCache } from 'lru-cache';
import { getLogger } from '../server/log';
import { recordCacheLookup } from '../server/metrics';
import { heapSize } from './heap-size';
import type { ContentEntry, ContentStore, FreshStore } from './types';

export type { ContentEntry } from './types';

const MiB = 1024 * 1024;

export interface CacheOptions {
  tagTtlMs: number;
  /** Where content goes below memory: disk or Redis. */
  content?: ContentStore;
  /** Where fresh answers are shared between instances: Redis. */
  fresh?: FreshStore;
  /** Content bytes kept in memory. */
  memoryBytes?: number;
  /** Heap held by tag lists and tag answers, as heapSize estimates it. */
  freshMemoryBytes?: number;
}

export class Cache {
  readonly tagTtlMs: number;
  private readonly memory: LRUCache<string, ContentEntry>;
  private readonly freshMemory: LRUCache<string, { value: unknown }>;
  /** Writes to disk or Redis still under way: they never hold up an answer. */
  private readonly writes = new Set<Promise<unknown>>();
  private readonly contentStore?: ContentStore;
  private readonly freshStore?: FreshStore;

  constructor(options: CacheOptions | number) {
    const o = typeof options === 'number' ? { tagTtlMs: options } : options;
    this.tagTtlMs = o.tagTtlMs;
    this.contentStore = o.content;
    this.freshStore = o.fresh;
    this.memory = new LRUCache({ maxSize: o.memoryBytes ?? 128 * MiB, sizeCalculation: (entry) => Math.max(1, entry.bytes.length) });
    // 32 MiB: some 65,000 tag answers (about 500 bytes each), enough for several 10,000-tag
    // repositories within the TTL. A value larger than the whole bound is not kept at all.
    this.freshMemory = new LRUCache({
      maxSize: o.freshMemoryBytes ?? 32 * MiB,
      sizeCalculation: (entry, key) => heapSize(key) + heapSize(entry.value),
      ttl: Math.max(1, this.tagTtlMs),
    });
  }

  /** Content by repository and digest: memory first, then the persistent store. */
  async getContent(repository: string, digest: string): Promise<ContentEntry | undefined> {
    const key = `${repository}@${digest}`;
    const hit = this.memory.get(key);
    recordCacheLookup('memory', hit !== undefined);
    if (hit || !this.contentStore) return hit;
    const stored = await this.contentStore.get(repository, digest);
    recordCacheLookup(this.contentStore.layer, stored !== undefined);
    if (stored) this.memory.set(key, stored);
    return stored;
  }

  /**
   * Content only in memory: the synchronous fast path of a warm view. Only a hit is counted:
   * a miss here is followed by getContent, which counts it.
   */
  peekContent(repository: string, digest: string): ContentEntry | undefined {
    const hit = this.memory.get(`${repository}@${digest}`);
    if (hit) recordCacheLookup('memory', true);
    return hit;
  }

  /** Whether the store below memory can be used now (GET /api/ready); memory alone always can. */
  async check(): Promise<void> {
    await this.contentStore?.check();
  }

  /** Keeps content in memory now, and below memory in the background. */
  setContent(repository: string, digest: string, entry: ContentEntry): void {
    this.memory.set(`${repository}@${digest}`, entry);
    if (!this.contentStore) return;
    this.background(
      this.contentStore.set(repository, digest, entry).catch((error: unknown) => {
        getLogger().warn({ digest, error: (error as Error).message }, 'could not store a blob in the cache');
      }),
    );
  }

  private background(write: Promise<unknown>): void {
    this.writes.add(write);
    void write.finally(() => this.writes.delete(write));
  }

  /** Waits for the background writes (tests, and a clean shutdown). */
  async flush(): Promise<void> {
    while (this.writes.size > 0) await Promise.all([...this.writes]);
  }

  /** A short-lived answer (tag → digest, tag lists), or undefined when stale or absent. */
  async getFresh<T>(key: string): Promise<T | undefined> {
    if (this.tagTtlMs === 0) return undefined;
    const hit = this.freshMemory.get(key);
    recordCacheLookup('memory', hit !== undefined);
    if (hit || !this.freshStore) return hit?.value as T | undefined;
    const shared = (await this.freshStore.get(key)) as T | undefined;
    recordCacheLookup(this.freshStore.layer, shared !== undefined);
    if (shared !== undefined) this.freshMemory.set(key, { value: shared });
    return shared;
  }

  /** A short-lived answer in memory only; like peekContent, only a hit is counted. */
  peekFresh<T>(key: string): T | undefined {
    if (this.tagTtlMs === 0) return undefined;
    const hit = this.freshMemory.get(key);
    if (hit) recordCacheLookup('memory', true);
    return hit?.value as T | undefined;
  }

  setFresh(key: string, value: unknown): void {
    if (this.tagTtlMs === 0) return;
    this.freshMemory.set(key, { value });
    if (this.freshStore) this.background(this.freshStore.set(key, value, this.tagTtlMs));
  }

  /** Bytes held in memory: content, and the estimated heap of fresh answers. */
  memoryUsage(): { content: number; fresh: number } {
    return { content: this.memory.calculatedSize, fresh: this.freshMemory.calculatedSize };
  }
}

/** Keys of the short-lived answers, in one table. */
export const freshKey = {
  tagList: (repository: string) => `tags:${repository}`,
  tag: (repository: string, tag: string) => `tag:${repository}:${tag}`,
  /** A registry web API's tag list (Docker Hub's), in one ordering. */
  webTags: (repository: string, ordering: string) => `webtags:${repository}:${ordering}`,
  /** A registry web API's repository information (description, stars, pulls). */
  webRepository: (repository: string) => `webrepo:${repository}`,
  /** A registry's repository list (/v2/_catalog), from the start or from after `last`. */
  catalog: (registry: string, last: string) => `catalog:${registry}:${last}`,
  /** A registry web API's search results (Docker Hub's). */
  webSearch: (registry: string, query: string) => `websearch:${registry}:${query}`,
  /** A registry web API's listing of one namespace, with its name filter. */
  webNamespace: (registry: string, namespace: string, name: string) => `webnamespace:${registry}:${namespace}:${name}`,
};

// What the cache layers share: stored content, the two kinds of store, and the disk store's
// default size (here, not in disk-store.ts, so the configuration can read it without the store).

/** 1 GiB: thousands of repositories' manifests and configs, and small beside any disk. */
export const DEFAULT_CACHE_MAX_BYTES = 2 ** 30;

/** Stored content: the exact bytes, with whatever the fetch learned about them. */
export interface ContentEntry {
  bytes: Buffer;
  headers: Record<string, string>;
}

/** Immutable content by repository and digest (disk, Redis). */
export interface ContentStore {
  /** Which layer this is, for the cache metrics. */
  readonly layer: 'disk' | 'redis';
  /** Resolves when the store can be used now (GET /api/ready); rejects saying why not. */
  check(): Promise<void>;
  get(repository: string, digest: string): Promise<ContentEntry | undefined>;
  set(repository: string, digest: string, entry: ContentEntry): Promise<void>;
}

/** Short-lived answers shared between instances (Redis). */
export interface FreshStore {
  readonly layer: 'disk' | 'redis';
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown, ttlMs: number): Promise<void>;
}

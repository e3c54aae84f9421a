// What the cache layers share: stored content, and the two kinds of store.

/** Stored content: the exact bytes, with whatever the fetch learned about them. */
export interface ContentEntry {
  bytes: Buffer;
  headers: Record<string, string>;
}

/** Immutable content by repository and digest (disk, Redis). */
export interface ContentStore {
  get(repository: string, digest: string): Promise<ContentEntry | undefined>;
  set(repository: string, digest: string, entry: ContentEntry): Promise<void>;
}

/** Short-lived answers shared between instances (Redis). */
export interface FreshStore {
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown, ttlMs: number): Promise<void>;
}

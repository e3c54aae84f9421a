// The shared cache for several instances (REDIS_URL): immutable content by repository and
// digest, verified on read like the disk store, and the short-lived answers with their TTL.
// Redis is a cache, never a dependency: when it is down, reads miss and writes are dropped.
// Every key expires: fresh answers after the tag TTL, content 30 days after it was stored (then
// it is fetched again once). Within that, memory is bounded by Redis itself: run it with
// `maxmemory` and `maxmemory-policy allkeys-lru`, so a full Redis drops the oldest keys.

import { createHash } from 'node:crypto';
import { Redis } from 'ioredis';
import { getLogger } from '../server/log';
import type { ContentEntry, ContentStore, FreshStore } from './types';

const PREFIX = 'tagscope:v1:';
const CONTENT_TTL_MS = 30 * 24 * 60 * 60 * 1000;

export class RedisStore implements ContentStore, FreshStore {
  readonly layer = 'redis';
  readonly redis: Redis;
  private warned = false;
  /** The first connection, waited for at most a moment; after that a disconnected Redis is skipped. */
  private readonly firstConnection: Promise<void>;

  constructor(url: string) {
    this.redis = new Redis(url, {
      lazyConnect: false,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      commandTimeout: 1_000,
      connectTimeout: 2_000,
    });
    this.redis.on('error', (error: Error) => this.warn(error));
    this.firstConnection = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 2_000);
      timer.unref();
      this.redis.once('ready', () => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private async usable(): Promise<boolean> {
    await this.firstConnection;
    return this.redis.status === 'ready';
  }

  private warn(error: unknown): void {
    if (this.warned) return;
    this.warned = true;
    getLogger().warn({ error: (error as Error).message }, 'Redis cache unavailable, continuing without it');
  }

  private ok(): void {
    this.warned = false;
  }

  async get(repository: string, digest: string): Promise<ContentEntry | undefined>;
  async get(key: string): Promise<unknown>;
  async get(first: string, digest?: string): Promise<unknown> {
    if (!(await this.usable())) return undefined;
    try {
      if (digest === undefined) {
        const text = await this.redis.get(`${PREFIX}fresh:${first}`);
        this.ok();
        return text === null ? undefined : (JSON.parse(text) as unknown);
      }
      const [bytes, headers] = await this.redis.hmgetBuffer(`${PREFIX}content:${first}@${digest}`, 'b', 'h');
      this.ok();
      if (!bytes) return undefined;
      const [algorithm, hex] = digest.split(':');
      if (createHash(algorithm!).update(bytes).digest('hex') !== hex) return undefined;
      return { bytes, headers: headers ? (JSON.parse(headers.toString('utf8')) as Record<string, string>) : {} } satisfies ContentEntry;
    } catch (error) {
      this.warn(error);
      return undefined;
    }
  }

  async set(repository: string, digest: string, entry: ContentEntry): Promise<void>;
  async set(key: string, value: unknown, ttlMs: number): Promise<void>;
  async set(first: string, second: unknown, third: unknown): Promise<void> {
    if (!(await this.usable())) return;
    try {
      if (typeof third === 'number') {
        await this.redis.set(`${PREFIX}fresh:${first}`, JSON.stringify(second), 'PX', Math.max(1, third));
      } else {
        const entry = third as ContentEntry;
        const key = `${PREFIX}content:${first}@${String(second)}`;
        const results = await this.redis.multi().hset(key, { b: entry.bytes, h: JSON.stringify(entry.headers) }).pexpire(key, CONTENT_TTL_MS).exec();
        const failed = results?.find(([error]) => error);
        if (failed) throw failed[0];
      }
      this.ok();
    } catch (error) {
      this.warn(error);
    }
  }

  /** PING answered: a Redis that is down fails at once, one that hangs after commandTimeout. */
  async check(): Promise<void> {
    await this.firstConnection;
    const answer = await this.redis.ping();
    if (answer !== 'PONG') throw new Error(`Redis answered PING with ${answer}`);
  }

  async close(): Promise<void> {
    this.redis.disconnect();
  }
}

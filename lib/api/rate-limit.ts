// Our own per-client limit on the API (TAGSCOPE_RATE_LIMIT requests per minute; 0 = off): a
// token bucket per client address, so a burst is fine and a flood is answered 429
// RATE_LIMITED with Retry-After instead of being passed on to registries.

import { LRUCache } from 'lru-cache';

export class RateLimiter {
  private readonly buckets = new LRUCache<string, { tokens: number; updated: number }>({ max: 50_000 });

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes one token for `client`; returns 0 when allowed, else the seconds until one is free. */
  take(client: string): number {
    if (this.perMinute <= 0) return 0;
    const now = this.now();
    const ratePerMs = this.perMinute / 60_000;
    const bucket = this.buckets.get(client) ?? { tokens: this.perMinute, updated: now };
    bucket.tokens = Math.min(this.perMinute, bucket.tokens + (now - bucket.updated) * ratePerMs);
    bucket.updated = now;
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      this.buckets.set(client, bucket);
      return 0;
    }
    this.buckets.set(client, bucket);
    return Math.max(1, Math.ceil((1 - bucket.tokens) / ratePerMs / 1000));
  }
}

/**
 * The client's address: the last X-Forwarded-For entry, which `next start` itself appends from
 * the socket (earlier entries are whatever the client claimed). Behind a proxy this is the
 * proxy; put the limit there instead, or set TAGSCOPE_RATE_LIMIT=0.
 */
export function clientAddress(request: Request): string {
  const forwarded = request.headers.get('x-forwarded-for');
  const last = forwarded?.split(',').at(-1)?.trim();
  return last || request.headers.get('x-real-ip') || 'unknown';
}

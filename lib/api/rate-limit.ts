// Our own per-client limit on the API (TAGSCOPE_RATE_LIMIT requests per minute; 0 = off): a
// token bucket per client address, so a burst is fine and a flood is answered 429
// RATE_LIMITED with Retry-After instead of being passed on to registries.

import { BlockList, isIP } from 'node:net';
import { LRUCache } from 'lru-cache';

export class RateLimiter {
  private readonly buckets = new LRUCache<string, { tokens: number; updated: number }>({ max: 50_000 });

  constructor(
    private readonly perMinute: number,
    private readonly now: () => number = Date.now,
  ) {}

  get enabled(): boolean {
    return this.perMinute > 0;
  }

  /** Takes one token for `client`; returns 0 when allowed, else the seconds until one is free. */
  take(client: string): number {
    if (!this.enabled) return 0;
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

/** `::ffff:10.0.0.1` (how a dual-stack socket reports an IPv4 peer) → `10.0.0.1`; null when not an address. */
export function normalizeAddress(text: string): string | null {
  const address = text.trim().replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');
  return isIP(address) ? address.toLowerCase() : null;
}

export function isTrusted(trusted: BlockList, address: string): boolean {
  return trusted.check(address, isIP(address) === 6 ? 'ipv6' : 'ipv4');
}

/** TAGSCOPE_TRUSTED_PROXIES: a comma list of addresses and CIDR ranges (`127.0.0.1,10.0.0.0/8,fd00::/8`). */
export function parseTrustedProxies(text: string | undefined): BlockList {
  const list = new BlockList();
  for (const entry of (text ?? '').split(',').map((e) => e.trim()).filter(Boolean)) {
    const [host = '', prefix, extra] = entry.split('/');
    const address = normalizeAddress(host);
    const bits = isIP(address ?? '') === 6 ? 128 : 32;
    const type = bits === 128 ? 'ipv6' : 'ipv4';
    if (!address || extra !== undefined || (prefix !== undefined && !(/^\d{1,3}$/.test(prefix) && Number(prefix) <= bits))) {
      throw new Error(`"${entry}" is not an IP address or CIDR range (e.g. 127.0.0.1,10.0.0.0/8)`);
    }
    if (prefix === undefined) list.addAddress(address, type);
    else list.addSubnet(address, Number(prefix), type);
  }
  return list;
}

export interface ClientAddressOptions {
  /** The header scripts/server.mjs overwrites with the socket's address on every request. */
  peerHeader: string | null;
  trustedProxies: BlockList;
}

/**
 * Who sent the request: the socket's address, unless that is a trusted proxy; then
 * X-Forwarded-For is walked from the right, past trusted proxies, and the first address not
 * trusted is the client (entries further left are whatever the client claimed). Null when
 * the server did not say who its peer is (plain `next start` keeps a client-sent
 * X-Forwarded-For as it is, so that header alone can never be believed).
 */
export function clientAddress(request: Request, { peerHeader, trustedProxies }: ClientAddressOptions): string | null {
  const peer = peerHeader ? normalizeAddress(request.headers.get(peerHeader) ?? '') : null;
  if (!peer) return null;
  let client = peer;
  const hops = (request.headers.get('x-forwarded-for') ?? '').split(',').reverse();
  for (const hop of hops) {
    if (!isTrusted(trustedProxies, client)) break;
    const address = normalizeAddress(hop);
    // Not an address: the trusted proxy nearest to it is as far as anything can be believed.
    if (!address) break;
    client = address;
  }
  return client;
}

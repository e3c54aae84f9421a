// A web API's request limit (Docker Hub: X-RateLimit-* per minute, Retry-After or the older
// X-Retry-After unix time on a 429; docs/docker-hub-api.md §1.8).
import { describe, expect, it } from 'vitest';
import { parseRetryAfterHeaders, parseWebRateLimit } from '@/lib/registry/rate-limit';

describe('parseWebRateLimit', () => {
  it.each([
    [{ 'X-RateLimit-Limit': '180', 'X-RateLimit-Remaining': '175', 'X-RateLimit-Reset': '1613958012' }, { limit: 180, remaining: 175, reset: 1613958012 }],
    [{ 'x-ratelimit-remaining': '0' }, { limit: null, remaining: 0, reset: null }],
    [{ 'x-ratelimit-limit': 'lots', 'x-ratelimit-remaining': '-1' }, null],
    [{}, null],
  ])('%j', (headers, expected) => {
    expect(parseWebRateLimit(new Headers(headers))).toEqual(expected);
  });
});

describe('parseRetryAfterHeaders', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it.each([
    [{ 'retry-after': '30' }, 30],
    [{ 'x-retry-after': String(now / 1000 + 45) }, 45],
    [{ 'retry-after': '5', 'x-retry-after': String(now / 1000 + 45) }, 5],
    [{ 'x-retry-after': String(now / 1000 - 10) }, 0],
    [{}, null],
  ])('%j → %s', (headers, expected) => {
    expect(parseRetryAfterHeaders(new Headers(headers), now)).toBe(expected);
  });
});

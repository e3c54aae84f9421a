import { describe, expect, it } from 'vitest';
import { parseRateLimit, parseRetryAfter } from '@/lib/registry/rate-limit';

describe('parseRateLimit reads Docker Hub headers', () => {
  it.each([
    [{ 'ratelimit-limit': '100;w=21600', 'ratelimit-remaining': '20;w=21600' }, { limit: 100, remaining: 20, window: 21600 }],
    [{ 'ratelimit-limit': '100;w=21600, 200;w=3600' }, { limit: 100, remaining: null, window: 21600 }],
    [{ 'ratelimit-remaining': '0' }, { limit: null, remaining: 0, window: null }],
    [{}, null],
  ])('%j', (headers, expected) => {
    expect(parseRateLimit(new Headers(headers))).toEqual(expected);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.parse('2026-01-01T00:00:00Z');
  it.each([
    ['120', 120],
    ['0', 0],
    ['Thu, 01 Jan 2026 00:01:00 GMT', 60],
    ['Wed, 31 Dec 2025 00:00:00 GMT', 0],
    ['soon', null],
    [null, null],
  ])('%s → %s', (value, expected) => {
    expect(parseRetryAfter(value, now)).toBe(expected);
  });
});

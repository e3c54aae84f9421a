import { describe, expect, it } from 'vitest';
import { clientAddress, RateLimiter } from '@/lib/api/rate-limit';

describe('RateLimiter: a token bucket per client', () => {
  it('allows a burst of the per-minute limit, then says when to retry', () => {
    let now = 0;
    const limiter = new RateLimiter(6, () => now);
    for (let i = 0; i < 6; i++) expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBe(10); // one token per 10 s
    expect(limiter.take('b')).toBe(0); // another client has its own bucket
    now += 10_000;
    expect(limiter.take('a')).toBe(0);
    expect(limiter.take('a')).toBe(10);
  });

  it('is off at 0', () => {
    const limiter = new RateLimiter(0);
    for (let i = 0; i < 1000; i++) expect(limiter.take('a')).toBe(0);
  });
});

describe('clientAddress', () => {
  it.each([
    [{ 'x-forwarded-for': '203.0.113.9' }, '203.0.113.9'],
    [{ 'x-forwarded-for': 'spoofed, 198.51.100.7' }, '198.51.100.7'],
    [{}, 'unknown'],
  ])('%j → %s', (headers, expected) => {
    expect(clientAddress(new Request('http://x/', { headers }))).toBe(expected);
  });
});

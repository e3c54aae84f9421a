import { describe, expect, it } from 'vitest';
import { clientAddress, parseTrustedProxies, RateLimiter } from '@/lib/api/rate-limit';

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
    expect(limiter.enabled).toBe(false);
    for (let i = 0; i < 1000; i++) expect(limiter.take('a')).toBe(0);
  });
});

describe('clientAddress: the socket address, and X-Forwarded-For only from trusted proxies', () => {
  const PEER = 'x-test-peer';
  it.each([
    // [what, TAGSCOPE_TRUSTED_PROXIES, socket address, X-Forwarded-For, client]
    ['no trusted proxies: X-Forwarded-For is ignored', '', '198.51.100.7', '203.0.113.9', '198.51.100.7'],
    ['no trusted proxies: a forged loopback entry is ignored too', '', '198.51.100.7', '127.0.0.1', '198.51.100.7'],
    ['a peer that is not trusted is the client, whatever it forwards', '127.0.0.1', '198.51.100.7', '203.0.113.9', '198.51.100.7'],
    ['trusted peer: the entry it appended', '127.0.0.1', '127.0.0.1', '203.0.113.9', '203.0.113.9'],
    ['trusted peer: spoofed leftmost entries are ignored', '127.0.0.1', '127.0.0.1', '1.1.1.1, 2.2.2.2, 203.0.113.9', '203.0.113.9'],
    ['a chain of trusted proxies is walked past', '127.0.0.1,10.0.0.0/8', '127.0.0.1', '6.6.6.6, 203.0.113.9, 10.1.2.3, 10.9.9.9', '203.0.113.9'],
    ['only trusted proxies in the chain: the farthest one', '127.0.0.1,10.0.0.0/8', '127.0.0.1', '10.1.2.3', '10.1.2.3'],
    ['trusted peer without X-Forwarded-For: the peer', '127.0.0.1', '127.0.0.1', null, '127.0.0.1'],
    ['a garbage entry ends the walk at the last trusted hop', '127.0.0.1,10.0.0.0/8', '127.0.0.1', '6.6.6.6, not-an-ip, 10.1.2.3', '10.1.2.3'],
    ['IPv4-mapped peer matches an IPv4 trusted proxy', '127.0.0.1', '::ffff:127.0.0.1', '203.0.113.9', '203.0.113.9'],
    ['IPv4-mapped peer is keyed as its IPv4 address', '', '::ffff:198.51.100.7', '203.0.113.9', '198.51.100.7'],
    ['IPv6 peer and IPv6 trusted range', '::1,fd00::/8', '::1', '2001:db8::1, fd12::5', '2001:db8::1'],
    ['IPv6 peer not trusted', '127.0.0.1', '2001:DB8::7', '203.0.113.9', '2001:db8::7'],
  ])('%s', (_what, trusted, peer, forwarded, expected) => {
    const headers: Record<string, string> = { [PEER]: peer };
    if (forwarded !== null) headers['x-forwarded-for'] = forwarded;
    const request = new Request('http://x/', { headers });
    expect(clientAddress(request, { peerHeader: PEER, trustedProxies: parseTrustedProxies(trusted) })).toBe(expected);
  });

  it.each([
    ['the server set no peer header (plain next start)', null, { 'x-forwarded-for': '203.0.113.9' }],
    ['the peer header is missing from the request', PEER, { 'x-forwarded-for': '203.0.113.9' }],
    ['a client sent a header of another name', PEER, { 'x-tagscope-peer': '203.0.113.9' }],
  ])('cannot tell when %s: null', (_what, peerHeader, headers) => {
    expect(clientAddress(new Request('http://x/', { headers }), { peerHeader, trustedProxies: parseTrustedProxies('127.0.0.1') })).toBeNull();
  });
});

describe('parseTrustedProxies (TAGSCOPE_TRUSTED_PROXIES)', () => {
  it.each(['', ' ', '127.0.0.1', '127.0.0.1, 10.0.0.0/8', '::1,fd00::/8', '192.168.0.0/16,::ffff:10.0.0.1'])('accepts %j', (text) => {
    expect(() => parseTrustedProxies(text)).not.toThrow();
  });

  it.each(['localhost', '10.0.0.0/33', '10.0.0.0/8/1', 'fd00::/129', '10.0.0.0/', '10.0.0.0/x', '1.2.3.4:80'])('refuses %j, naming the entry', (text) => {
    expect(() => parseTrustedProxies(text)).toThrow(`"${text}" is not an IP address or CIDR range`);
  });
});

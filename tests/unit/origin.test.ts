// The host names the server answers to (proxy.ts refuses the rest): loopback names and IP
// addresses always, other names only when TAGSCOPE_PUBLIC_ORIGIN lists them, X-Forwarded-Host
// included whoever sent it; and the origin links and the watch list's Origin check use.
import { describe, expect, it } from 'vitest';
import { isOwnOrigin, parsePublicOrigins, publicOrigin, refusedHost, requestOrigin, type OriginOptions } from '@/lib/api/origin';
import { parseTrustedProxies } from '@/lib/api/rate-limit';

const PEER = 'x-peer';
const options = (publicOrigins: string, trusted = ''): OriginOptions => ({
  peerHeader: PEER,
  trustedProxies: parseTrustedProxies(trusted),
  publicOrigins: parsePublicOrigins(publicOrigins),
});
const request = (headers: Record<string, string>, peer = '198.51.100.7') => new Request('http://127.0.0.1:3000/api/health', { headers: { [PEER]: peer, ...headers } });

describe('refusedHost', () => {
  it.each([
    // [what, TAGSCOPE_PUBLIC_ORIGIN, headers, refused name or null]
    ['unset: localhost', '', { host: 'localhost:3000' }, null],
    ['unset: a name under .localhost', '', { host: 'tagscope.localhost:3000' }, null],
    ['unset: an IPv4 address', '', { host: '10.1.2.3:3000' }, null],
    ['unset: an IPv6 address', '', { host: '[::1]:3000' }, null],
    ['unset: no Host at all (HTTP/1.0)', '', {}, null],
    ['unset: any other name', '', { host: 'attacker.example' }, 'attacker.example'],
    ['unset: a name that only starts like localhost', '', { host: 'localhost.attacker.example' }, 'localhost.attacker.example'],
    ['unset: what is not a host and port', '', { host: 'evil.example/path' }, 'evil.example/path'],
    ['listed: the name and port', 'http://tagscope.lan:3000', { host: 'tagscope.lan:3000' }, null],
    ['listed: any case', 'http://tagscope.lan:3000', { host: 'TAGSCOPE.lan:3000' }, null],
    ['listed: the default port of the origin’s scheme, written or not', 'https://tagscope.example', { host: 'tagscope.example:443' }, null],
    ['listed: the second origin', 'https://tagscope.example,http://tagscope.lan:3000', { host: 'tagscope.lan:3000' }, null],
    ['listed name on another port', 'http://tagscope.lan:3000', { host: 'tagscope.lan:8080' }, 'tagscope.lan:8080'],
    ['listed: another name', 'http://tagscope.lan:3000', { host: 'attacker.example:3000' }, 'attacker.example:3000'],
    ['listed: IP addresses still pass', 'http://tagscope.lan:3000', { host: '127.0.0.1:3000' }, null],
    ['X-Forwarded-Host not listed, from anyone', '', { host: '127.0.0.1:3000', 'x-forwarded-host': 'attacker.example' }, 'attacker.example'],
    ['X-Forwarded-Host: every value of a chain', 'https://tagscope.example', { host: '127.0.0.1:3000', 'x-forwarded-host': 'tagscope.example, attacker.example' }, 'attacker.example'],
    ['X-Forwarded-Host listed', 'https://tagscope.example', { host: '127.0.0.1:3000', 'x-forwarded-host': 'tagscope.example' }, null],
  ])('%s', (_what, origins, headers, refused) => {
    expect(refusedHost(request(headers), options(origins))).toBe(refused);
    // A trusted proxy's headers are held to the same list.
    expect(refusedHost(request(headers, '127.0.0.1'), options(origins, '127.0.0.1'))).toBe(refused);
  });
});

describe('parsePublicOrigins', () => {
  it('normalises each origin of a comma list', () => {
    expect(parsePublicOrigins(' HTTPS://Tagscope.Example:443/ , http://tagscope.lan:3000 ')).toEqual(['https://tagscope.example', 'http://tagscope.lan:3000']);
    expect(parsePublicOrigins(undefined)).toEqual([]);
  });

  it.each(['tagscope.lan:3000', 'ftp://tagscope.lan', 'https://tagscope.example/app', 'https://user:pw@tagscope.example', 'https://tagscope.example/?x=1', 'https://tagscope.example#'])('%j is refused, with an example', (text) => {
    expect(() => parsePublicOrigins(text)).toThrow(`"${text}" is not an origin: expected a scheme, a host name and maybe a port, such as http://tagscope.lan:3000`);
  });
});

describe('the origin of links and of the watch list’s Origin check', () => {
  const proxied = { host: '127.0.0.1:3000', 'x-forwarded-host': 'tagscope.lan:8443', 'x-forwarded-proto': 'https' };
  it.each([
    // [what, TAGSCOPE_PUBLIC_ORIGIN, TAGSCOPE_TRUSTED_PROXIES, peer, headers, the reader's origin, links' origin]
    ['unset: the Host asked', '', '', '198.51.100.7', { host: '10.1.2.3:3000' }, 'http://10.1.2.3:3000', 'http://10.1.2.3:3000'],
    ['unset: a trusted proxy says the address', '', '127.0.0.1', '127.0.0.1', proxied, 'https://tagscope.lan:8443', 'https://tagscope.lan:8443'],
    ['unset: anyone else’s X-Forwarded-* are not believed', '', '127.0.0.1', '198.51.100.7', proxied, 'http://127.0.0.1:3000', 'http://127.0.0.1:3000'],
    ['set: links use the first origin', 'https://tagscope.example,https://tagscope.lan:8443', '127.0.0.1', '127.0.0.1', proxied, 'https://tagscope.lan:8443', 'https://tagscope.example'],
  ])('%s', (_what, origins, trusted, peer, headers, reader, links) => {
    const config = options(origins, trusted);
    expect(requestOrigin(request(headers, peer), config)).toBe(reader);
    expect(publicOrigin(request(headers, peer), config)).toBe(links);
    expect(isOwnOrigin(reader, request(headers, peer), config)).toBe(true);
    expect(isOwnOrigin(links, request(headers, peer), config)).toBe(true);
    expect(isOwnOrigin('https://attacker.example', request(headers, peer), config)).toBe(false);
  });
});

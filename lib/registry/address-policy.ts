// Which network addresses the server may fetch: public unicast only. A web visitor types the
// registry host, and a registry names token realms, redirects and Links, so every address is
// checked — IP literals before anything is sent, host names after one DNS lookup whose
// answer is the one connected to (no second lookup: DNS rebinding fails). Entries of
// TAGSCOPE_INSECURE_REGISTRIES are the only exception, decided by the transport.
// Sources: registry-protocol.md §10; RFC 6890 (special-purpose address registries).

import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { RegistryError } from './errors';

// Two lists: a BlockList matches IPv4 addresses against IPv4-mapped IPv6 rules too.
const blockedV4 = new BlockList();
const blockedV6 = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network", unspecified
  ['10.0.0.0', 8], // RFC 1918
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, cloud metadata (169.254.169.254)
  ['172.16.0.0', 12], // RFC 1918
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation
  ['192.88.99.0', 24], // 6to4 relay anycast
  ['192.168.0.0', 16], // RFC 1918
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation
  ['203.0.113.0', 24], // documentation
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  blockedV4.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['::ffff:0:0', 96], // IPv4-mapped
  ['64:ff9b::', 96], // NAT64 (embeds IPv4)
  ['100::', 64], // discard
  ['2001:db8::', 32], // documentation
  ['2002::', 16], // 6to4 (embeds IPv4)
  ['fc00::', 7], // unique local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
] as const) {
  blockedV6.addSubnet(network, prefix, 'ipv6');
}

/** Is this IP (v4 or v6, no brackets) a public unicast address? */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  // IPv4-mapped, NAT64 and 6to4 forms are refused whole: they only spell an IPv4 address.
  return family === 4 ? !blockedV4.check(address, 'ipv4') : !blockedV6.check(address, 'ipv6');
}

function refused(host: string, address: string): RegistryError {
  return new RegistryError(
    'ADDRESS_NOT_ALLOWED',
    `${host} is ${address === host ? 'a' : `at ${address}, a`} private, loopback, link-local or otherwise non-public address; only TAGSCOPE_INSECURE_REGISTRIES entries may be reached there`,
    { host },
  );
}

/** Strips IPv6 brackets from a URL hostname. */
function bare(hostname: string): string {
  return hostname.startsWith('[') ? hostname.slice(1, -1) : hostname;
}

/**
 * Checks a URL's host before anything is sent: an IP literal must be public (the WHATWG URL
 * parser has already turned `2130706433`, `0x7f.1`, `127.1` into 127.0.0.1); a name is
 * checked when it is resolved, by `guardedLookup`.
 */
export function checkHostLiteral(url: URL): void {
  const host = bare(url.hostname);
  if (host === 'localhost' || host.endsWith('.localhost')) throw refused(url.hostname, '127.0.0.1');
  if (isIP(host) !== 0 && !isPublicAddress(host)) throw refused(url.hostname, host);
}

type LookupCallback = (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/**
 * A `lookup` for net.connect that resolves once, refuses the name when ANY answer is not
 * public, and hands the connection exactly the vetted addresses.
 */
export function guardedLookup(hostname: string, options: LookupOptions, callback: LookupCallback): void {
  const opts = options;
  const family = opts.family === 'IPv4' ? 4 : opts.family === 'IPv6' ? 6 : (opts.family ?? 0);
  const host = bare(hostname);
  if (isIP(host) !== 0) {
    if (!isPublicAddress(host)) return callback(refused(hostname, host) as unknown as NodeJS.ErrnoException, '');
    const literalFamily = isIP(host);
    return opts.all ? callback(null, [{ address: host, family: literalFamily }]) : callback(null, host, literalFamily);
  }
  dnsLookup(host, { all: true, family }, (error, addresses) => {
    if (error) return callback(error, '');
    const list = addresses as LookupAddress[];
    const bad = list.find((a) => !isPublicAddress(a.address));
    if (bad) return callback(refused(hostname, bad.address) as unknown as NodeJS.ErrnoException, '');
    if (list.length === 0) return callback(Object.assign(new Error(`no address for ${hostname}`), { code: 'ENOTFOUND' }), '');
    if (opts.all) return callback(null, list);
    return callback(null, list[0]!.address, list[0]!.family);
  });
}

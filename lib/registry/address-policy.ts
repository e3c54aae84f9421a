// Which network addresses the server may fetch: public unicast only. A web visitor types the
// registry host, and a registry names token realms, redirects and Links, so every address is
// checked — IP literals before anything is sent, host names after one DNS lookup whose
// answer is the one connected to (no second lookup: DNS rebinding fails). Entries of
// TAGSCOPE_INSECURE_REGISTRIES are the only exception: AddressPolicy below holds them and is
// the one gate every outbound request passes — the transport's, and the history webhook's.
// Sources: docs/registry-protocol.md §10; RFC 6890 (special-purpose address registries).

import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { Agent, type Dispatcher } from 'undici';
import { RegistryError } from './errors';
import { LIMITS } from './limits';

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
// The IANA IPv6 special-purpose registry (RFC 6890) blocks that are not globally reachable,
// and every block that only spells an IPv4 address (which the IPv4 list judges, not this one).
for (const [network, prefix] of [
  ['::', 128], // unspecified (RFC 4291 §2.5.2)
  ['::1', 128], // loopback (RFC 4291 §2.5.3)
  ['::', 96], // IPv4-compatible, deprecated: `[::127.0.0.1]` is `[::7f00:1]` (RFC 4291 §2.5.5.1)
  ['::ffff:0:0', 96], // IPv4-mapped (RFC 4291 §2.5.5.2)
  ['::ffff:0:0:0', 96], // IPv4-translated, SIIT (RFC 2765 §2.1; embeds IPv4)
  ['64:ff9b::', 96], // NAT64 well-known prefix (RFC 6052; embeds IPv4)
  ['64:ff9b:1::', 48], // NAT64 local-use (RFC 8215; embeds IPv4)
  ['100::', 64], // discard-only (RFC 6666)
  ['100:0:0:1::', 64], // dummy prefix (RFC 9780)
  ['2001::', 32], // Teredo (RFC 4380; embeds an obfuscated IPv4)
  ['2001:2::', 48], // benchmarking (RFC 5180)
  ['2001:10::', 28], // ORCHID, deprecated (RFC 4843)
  ['2001:db8::', 32], // documentation (RFC 3849)
  ['2002::', 16], // 6to4 (RFC 3056; embeds IPv4)
  ['3fff::', 20], // documentation (RFC 9637)
  ['5f00::', 16], // SRv6 SIDs (RFC 9602)
  ['fc00::', 7], // unique local (RFC 4193)
  ['fe80::', 10], // link-local (RFC 4291 §2.5.6)
  ['fec0::', 10], // site-local, deprecated (RFC 3879)
  ['ff00::', 8], // multicast (RFC 4291 §2.7)
] as const) {
  blockedV6.addSubnet(network, prefix, 'ipv6');
}

/** Is this IP (v4 or v6, no brackets) a public unicast address? */
export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  // IPv4-compatible, -mapped, -translated, NAT64, 6to4 and Teredo forms are refused whole:
  // they only spell an IPv4 address, which a translator or tunnel would then reach.
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

/** Connections to public hosts resolve through the address policy; connect to what was checked. */
const publicAgent = new Agent({ connect: { lookup: guardedLookup, timeout: LIMITS.connectTimeoutMs } });
/** TAGSCOPE_INSECURE_REGISTRIES entries: private addresses allowed by configuration. */
const insecureAgent = new Agent({ connect: { timeout: LIMITS.connectTimeoutMs } });

/**
 * The address policy with its one exception: https to public addresses, and plain http or a
 * private address only for the `host:port` entries of TAGSCOPE_INSECURE_REGISTRIES. A request
 * passes `check` before it is sent and goes out on `dispatcher`, which checks names when it
 * resolves them.
 */
export class AddressPolicy {
  private readonly insecure: Set<string>;

  /** `insecureRegistries`: parsed TAGSCOPE_INSECURE_REGISTRIES entries (parseInsecureRegistries). */
  constructor(insecureRegistries: Iterable<string> = []) {
    this.insecure = new Set([...insecureRegistries].map((host) => host.toLowerCase()));
  }

  isInsecure(host: string): boolean {
    return this.insecure.has(host.toLowerCase());
  }

  /** URL.host drops a default port (`registry.local:80` → `registry.local`); match both spellings. */
  isInsecureUrl(url: URL): boolean {
    return this.isInsecure(url.host) || this.isInsecure(`${url.hostname}:${url.port || (url.protocol === 'https:' ? 443 : 80)}`);
  }

  /**
   * Before anything is sent to `url`: https, to a public address (IP literals checked here,
   * names when resolved by the dispatcher); plain http and private addresses only for insecure
   * entries. Throws ADDRESS_NOT_ALLOWED.
   */
  check(url: URL): void {
    if (this.isInsecureUrl(url) && (url.protocol === 'http:' || url.protocol === 'https:')) return;
    if (url.protocol === 'https:') return checkHostLiteral(url);
    throw new RegistryError(
      'ADDRESS_NOT_ALLOWED',
      url.protocol === 'http:'
        ? `${url.host} would be reached over plain http, which is allowed only for TAGSCOPE_INSECURE_REGISTRIES entries`
        : `${url.protocol} addresses are not fetched`,
      { host: url.host },
    );
  }

  /**
   * `check`, and for a host name one lookup now, as the dispatcher would resolve it: for work
   * stored to be done later (a watch), so an address that would be refused then is refused now.
   * A name that does not resolve (yet), or not within `lookupTimeoutMs`, passes: the request
   * made later says so, and is checked again when it connects.
   */
  async vet(url: URL, lookupTimeoutMs: number = LIMITS.connectTimeoutMs): Promise<void> {
    this.check(url);
    if (this.isInsecureUrl(url) || isIP(bare(url.hostname)) !== 0) return;
    let timer: NodeJS.Timeout | undefined;
    const looked = new Promise<RegistryError | null>((resolve) => {
      guardedLookup(url.hostname, { all: true }, (error) => resolve(policyError(error)));
    });
    const gaveUp = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), lookupTimeoutMs)));
    const refusal = await Promise.race([looked, gaveUp]);
    clearTimeout(timer);
    if (refusal) throw refusal;
  }

  /** The connection pool a request to `url` goes out on: the one that checks resolved addresses, unless `url` is an insecure entry. */
  dispatcher(url: URL): Dispatcher {
    return this.isInsecureUrl(url) ? insecureAgent : publicAgent;
  }
}

/** The ADDRESS_NOT_ALLOWED guardedLookup raised at connect time, wrapped by fetch in its causes; null for any other failure. */
export function policyError(error: unknown): RegistryError | null {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof RegistryError) return e;
  }
  return null;
}

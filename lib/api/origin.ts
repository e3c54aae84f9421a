// The host names this server answers to, and the address a reader used to reach it. A Host
// header is a claim: a page on attacker.example whose name is re-pointed at a private Tagscope
// (DNS rebinding) sends `Host: attacker.example` and, being same-origin with itself, reads every
// answer. So a name is answered only when it cannot be rebound — a loopback name or an IP address,
// as Vite's allowedHosts does — or when TAGSCOPE_PUBLIC_ORIGIN lists it (proxy.ts refuses the
// rest before any route runs). Links that leave the server (the Atom feed's) use the first
// configured origin. Behind a reverse proxy, X-Forwarded-Host and X-Forwarded-Proto say the
// address, believed only from TAGSCOPE_TRUSTED_PROXIES, as X-Forwarded-For is for the rate
// limit; request.url is no evidence: Next builds its scheme from X-Forwarded-Proto, whoever sent it.

import { isIP } from 'node:net';
import { isTrusted, normalizeAddress, type ClientAddressOptions } from './rate-limit';

export interface OriginOptions extends ClientAddressOptions {
  /** TAGSCOPE_PUBLIC_ORIGIN, normalised (`http://tagscope.lan:3000`); the first is the one links use. */
  publicOrigins: readonly string[];
}

export const PUBLIC_ORIGIN_VARIABLE = 'TAGSCOPE_PUBLIC_ORIGIN';
const MAX_PUBLIC_ORIGINS = 20;

/** Tagscope itself serves plain HTTP (scripts/server.mjs); HTTPS is a proxy's to add, and to say. */
const OWN_PROTOCOL = 'http';

/** Every value of a header a chain of proxies may have appended to. */
function values(request: Request, name: string): string[] {
  return (request.headers.get(name) ?? '')
    .split(',')
    .map((value) => value.trim())
    .filter(Boolean);
}

/** `https://tagscope.example` from a scheme and a Host value; null when the value is more than a host and port. */
function originOf(protocol: string, host: string): URL | null {
  if (protocol !== 'http' && protocol !== 'https') return null;
  // `evil.example/path`, `user@host` or `host?x` parse as URLs too, but are not a Host.
  if (/[/?#@\\\s]/.test(host) || !URL.canParse(`${protocol}://${host}`)) return null;
  return new URL(`${protocol}://${host}`);
}

/** `localhost`, `*.localhost` (RFC 6761: never asked of DNS), and IP literals: names no DNS answer can re-point. */
function cannotBeRebound(hostname: string): boolean {
  return hostname === 'localhost' || hostname.endsWith('.localhost') || isIP(hostname.replace(/^\[|\]$/g, '')) !== 0;
}

/**
 * TAGSCOPE_PUBLIC_ORIGIN: a comma list of origins (`https://tagscope.example`,
 * `http://tagscope.lan:3000`) the server is reached at; empty when unset.
 */
export function parsePublicOrigins(text: string | undefined): string[] {
  const entries = (text ?? '').split(',').map((item) => item.trim()).filter(Boolean);
  if (entries.length > MAX_PUBLIC_ORIGINS) throw new Error(`at most ${MAX_PUBLIC_ORIGINS} origins, not ${entries.length}`);
  return entries.map((entry) => {
    const url = URL.canParse(entry) ? new URL(entry) : null;
    const plain = url && (url.protocol === 'http:' || url.protocol === 'https:') && !url.username && !url.password && url.pathname === '/' && !url.search && !url.hash && !entry.endsWith('#');
    if (!plain) throw new Error(`"${entry}" is not an origin: expected a scheme, a host name and maybe a port, such as http://tagscope.lan:3000 or https://tagscope.example`);
    return url.origin;
  });
}

/** True when the socket's peer is a trusted proxy, whose X-Forwarded-* headers are believed. */
function forwarded(request: Request, { peerHeader, trustedProxies }: ClientAddressOptions): boolean {
  const peer = peerHeader ? normalizeAddress(request.headers.get(peerHeader) ?? '') : null;
  return peer !== null && isTrusted(trustedProxies, peer);
}

/** The scheme the reader used: X-Forwarded-Proto's first value from a trusted proxy, else our own. */
function requestProtocol(request: Request, options: ClientAddressOptions): string {
  return (forwarded(request, options) && values(request, 'x-forwarded-proto')[0]?.toLowerCase()) || OWN_PROTOCOL;
}

/**
 * The first host name of this request that the server does not answer to — the Host header's,
 * or any X-Forwarded-Host value, whoever sent it (Next itself reads that header, for Server
 * Actions' origin check among others) — or null when every one is allowed. A request with no
 * Host at all (HTTP/1.0) names nothing to rebind and passes.
 */
export function refusedHost(request: Request, options: OriginOptions): string | null {
  const names = [request.headers.get('host'), ...values(request, 'x-forwarded-host')].filter((name) => name !== null);
  for (const name of names) {
    const url = originOf(OWN_PROTOCOL, name);
    if (!url) return name;
    if (cannotBeRebound(url.hostname)) continue;
    const listed = options.publicOrigins.some((origin) => {
      const configured = new URL(origin);
      return originOf(configured.protocol.slice(0, -1), name)?.host === configured.host;
    });
    if (!listed) return name;
  }
  return null;
}

/** The origin the reader used: from a trusted proxy's X-Forwarded-Host/-Proto, else the Host header. */
export function requestOrigin(request: Request, options: ClientAddressOptions): string {
  const host = request.headers.get('host');
  if (forwarded(request, options)) {
    const forwardedHost = values(request, 'x-forwarded-host')[0] ?? host;
    const url = forwardedHost ? originOf(requestProtocol(request, options), forwardedHost) : null;
    if (url) return url.origin;
  }
  return (host && originOf(OWN_PROTOCOL, host)?.origin) || `${OWN_PROTOCOL}://${new URL(request.url).host}`;
}

/** Where links that leave the server point: the first configured origin, else the one the reader used. */
export function publicOrigin(request: Request, options: OriginOptions): string {
  return options.publicOrigins[0] ?? requestOrigin(request, options);
}

/** True when a browser's Origin header is this server: the address the reader used, or a configured origin. */
export function isOwnOrigin(origin: string, request: Request, options: OriginOptions): boolean {
  return origin === requestOrigin(request, options) || options.publicOrigins.includes(origin);
}

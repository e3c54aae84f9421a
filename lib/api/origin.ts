// The address a reader used to reach this server, for links that leave it (the Atom feed's) and
// for the same-origin check on the API's writes. The Host header says it; behind a reverse
// proxy, X-Forwarded-Host and X-Forwarded-Proto say it, believed only from
// TAGSCOPE_TRUSTED_PROXIES — as X-Forwarded-For is for the rate limit — since anyone else can
// send them. request.url is no evidence: Next builds its scheme from X-Forwarded-Proto,
// whoever sent it.

import { isTrusted, normalizeAddress, type ClientAddressOptions } from './rate-limit';

/** The first value of a header a chain of proxies may have appended to (as Express reads it). */
function firstValue(request: Request, name: string): string | null {
  const value = request.headers.get(name)?.split(',')[0]?.trim();
  return value ? value : null;
}

/** `https://tagscope.example` from a scheme and a Host value; null when the value is more than a host and port. */
function originOf(protocol: string, host: string): string | null {
  if (protocol !== 'http' && protocol !== 'https') return null;
  // `evil.example/path`, `user@host` or `host?x` parse as URLs too, but are not a Host.
  if (/[/?#@\\\s]/.test(host) || !URL.canParse(`${protocol}://${host}`)) return null;
  return new URL(`${protocol}://${host}`).origin;
}

/** Tagscope itself serves plain HTTP (scripts/server.mjs); HTTPS is a proxy's to add, and to say. */
const OWN_PROTOCOL = 'http';

export function requestOrigin(request: Request, { peerHeader, trustedProxies }: ClientAddressOptions): string {
  const host = request.headers.get('host');
  const peer = peerHeader ? normalizeAddress(request.headers.get(peerHeader) ?? '') : null;
  if (peer && isTrusted(trustedProxies, peer)) {
    const forwardedHost = firstValue(request, 'x-forwarded-host') ?? host;
    const protocol = firstValue(request, 'x-forwarded-proto')?.toLowerCase() ?? OWN_PROTOCOL;
    const forwarded = forwardedHost ? originOf(protocol, forwardedHost) : null;
    if (forwarded) return forwarded;
  }
  return (host && originOf(OWN_PROTOCOL, host)) || `${OWN_PROTOCOL}://${new URL(request.url).host}`;
}

// The answer to a request for a host name this server does not answer to (lib/api/origin.ts
// says which): 421 Misdirected Request, as JSON in the API's error shape for the API and
// /metrics, as a short page for a browser, both naming the variable that would allow it.

import { ApiError, errorResponse } from './errors';
import { PUBLIC_ORIGIN_VARIABLE, refusedHost, type OriginOptions } from './origin';

/** A Host name is at most 253 characters and a port; anything longer is shown cut. */
const SHOWN_HOST_CHARS = 260;

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** null when every host name the request carries is allowed; else the response that refuses it. */
export function hostRefusal(request: Request, options: OriginOptions): Response | null {
  const refused = refusedHost(request, options);
  if (refused === null) return null;
  const host = refused.length > SHOWN_HOST_CHARS ? `${refused.slice(0, SHOWN_HOST_CHARS)}…` : refused;
  const example = URL.canParse(`http://${refused}`) ? `http://${host}` : 'http://tagscope.lan:3000';
  const allowed = options.publicOrigins.length > 0 ? `the origins in ${PUBLIC_ORIGIN_VARIABLE}` : `the origins in ${PUBLIC_ORIGIN_VARIABLE} (unset)`;
  const message =
    `Tagscope does not answer to the host name "${host}": only to localhost, IP addresses and ${allowed}, so that no other site can reach it through DNS rebinding. ` +
    `If this server is meant to be reached at that name, set ${PUBLIC_ORIGIN_VARIABLE}=${example} (a comma list for several origins) and restart it.`;
  const error = new ApiError('HOST_NOT_ALLOWED', message, { host, variable: PUBLIC_ORIGIN_VARIABLE });
  const path = new URL(request.url).pathname;
  if (path.startsWith('/api/') || path === '/metrics') return errorResponse(error);
  const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Host name not allowed · Tagscope</title></head><body><h1>Host name not allowed</h1><p>${escapeHtml(message)}</p></body></html>`;
  return new Response(page, { status: error.status, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' } });
}

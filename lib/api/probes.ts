import 'server-only';
// The operator's endpoints beside the API (README "Health and metrics"): liveness, readiness
// and the Prometheus scrape. None goes through apiRoute: a probe is never rate limited, never
// counted as an API answer, and never touches a registry. Readiness asks only the cache store
// below memory — the one thing this server needs that can be down — with a deadline, so a
// Redis that does not answer fails the probe instead of hanging it.

import { createHash, timingSafeEqual } from 'node:crypto';
import { getRegistryService } from '../data/service';
import { getServerConfig } from '../server/env';
import { scrape } from '../server/metrics';

/** How long a readiness check may take before its part is reported down. */
export const READY_TIMEOUT_MS = 2_000;

const NO_STORE = { 'cache-control': 'no-store' };

/** GET /api/health: the process answers. */
export function healthResponse(): Response {
  return Response.json({ status: 'ok' }, { headers: NO_STORE });
}

/** Settles as `work` does, or rejects after `ms` saying so. */
function within<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([work, deadline]).finally(() => clearTimeout(timer));
}

/** GET /api/ready: 200 when the cache store (disk folder or Redis) answers in time, else 503 naming it. */
export async function readyResponse(): Promise<Response> {
  const store = getServerConfig().redisUrl ? 'Redis' : 'the disk cache';
  let cache: { status: 'ok' } | { status: 'down'; error: string };
  try {
    await within(getRegistryService().cache.check(), READY_TIMEOUT_MS, store);
    cache = { status: 'ok' };
  } catch (error) {
    cache = { status: 'down', error: (error as Error).message || String(error) };
  }
  const status = cache.status === 'ok' ? 'ok' : 'down';
  return Response.json({ status, checks: { cache } }, { status: status === 'ok' ? 200 : 503, headers: NO_STORE });
}

/** Compares through fixed-length hashes, so neither the content nor the length leaks through timing. */
function sameSecret(given: string, expected: string): boolean {
  const hash = (text: string) => createHash('sha256').update(text).digest();
  return timingSafeEqual(hash(given), hash(expected));
}

/**
 * GET /metrics: 404 unless TAGSCOPE_METRICS=1 or TAGSCOPE_METRICS_TOKEN is set; with a token,
 * a request without `Authorization: Bearer <token>` gets a bare 401 that says nothing more.
 */
export async function metricsResponse(request: Request): Promise<Response> {
  const { enabled, token } = getServerConfig().metrics;
  if (!enabled) return new Response('Not Found\n', { status: 404, headers: NO_STORE });
  if (token !== null) {
    const given = /^Bearer (.+)$/i.exec(request.headers.get('authorization') ?? '')?.[1] ?? '';
    if (!sameSecret(given, token)) return new Response(null, { status: 401, headers: { ...NO_STORE, 'www-authenticate': 'Bearer' } });
  }
  const { body, contentType } = await scrape();
  return new Response(body, { headers: { ...NO_STORE, 'content-type': contentType } });
}

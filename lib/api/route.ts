// The one wrapper every /api/v1 route handler goes through: parses the query string with its
// zod schema, runs one data function, and maps any error to the JSON error body and status
// (lib/api/errors.ts). Handlers stay a few lines long. Each request gets an id (the
// X-Request-Id answer header, and its log lines), one log line and one count in the metrics.

import type { z } from 'zod';
import { getServerConfig } from '../server/env';
import { getLogger, logApiRequest, withRequestContext } from '../server/log';
import { recordApiResponse } from '../server/metrics';
import { ApiError, errorResponse, toApiError } from './errors';
import { clientAddress, RateLimiter } from './rate-limit';

let limiter: RateLimiter | undefined;
let warnedShared = false;

/**
 * Which client sent the request, as the rate limit tells them apart (its bucket, and the watch
 * list's per-client limit); one shared key when the peer is unknown.
 */
export function clientKey(request: Request): string {
  const { peerHeader, trustedProxies } = getServerConfig();
  const client = clientAddress(request, { peerHeader, trustedProxies });
  if (client) return client;
  if (!warnedShared) {
    warnedShared = true;
    getLogger().warn('the API rate limit cannot tell clients apart without scripts/server.mjs (npm start): every client shares one bucket');
  }
  return 'unknown';
}

type Handler<Q> = (query: Q, request: Request) => Promise<Response | object>;

export function apiRoute<S extends z.ZodType>(schema: S, handler: Handler<z.infer<S>>) {
  return function route(request: Request): Promise<Response> {
    // Only the /api/v1 endpoints come here, and none has a dynamic segment: a bounded label.
    const path = new URL(request.url).pathname;
    return withRequestContext(path, async (requestId) => {
      const started = performance.now();
      let errorCode: string | null = null;
      const response = await answer(schema, handler, request).catch((error: unknown) => {
        errorCode = toApiError(error).code;
        return errorResponse(error);
      });
      response.headers.set('x-request-id', requestId);
      recordApiResponse(path, response.status);
      logApiRequest(requestId, path, request.method, response.status, performance.now() - started, errorCode);
      return response;
    });
  };
}

/** The request answered: rate limit, query, handler; errors are thrown to the wrapper. */
async function answer<S extends z.ZodType>(schema: S, handler: Handler<z.infer<S>>, request: Request): Promise<Response> {
  limiter ??= new RateLimiter(getServerConfig().rateLimitPerMinute);
  const wait = limiter.enabled ? limiter.take(clientKey(request)) : 0;
  if (wait > 0) {
    throw new ApiError('RATE_LIMITED', `too many requests from this address; try again in ${wait} s`, { retryAfter: wait });
  }
  const url = new URL(request.url);
  const parsed = schema.safeParse(Object.fromEntries(url.searchParams));
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = issue.path.join('.') || 'query';
    throw new ApiError('INVALID_QUERY', `${name}: ${issue.message}`, { parameter: name });
  }
  const result = await handler(parsed.data, request);
  return result instanceof Response ? result : Response.json(result, { headers: { 'cache-control': 'no-store' } });
}

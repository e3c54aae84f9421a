import 'server-only';
// The server's structured log: one JSON line per API request and per failed upstream request,
// on stdout, at LOG_LEVEL (default info). Upstream lines carry the id and route of the API
// request that caused them, through an AsyncLocalStorage the API wrapper opens. Nothing here
// ever logs a URL, a header or a body: URLs carry repository names and token-realm accounts,
// headers carry credentials; the redaction below is a second net, not the first.

import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import pino, { type Logger } from 'pino';
import { getServerConfig } from './env';
import type { RequestEvent } from './registry/transport';

interface RequestContext {
  requestId: string;
  route: string;
}

const context = new AsyncLocalStorage<RequestContext>();

let logger: Logger | undefined;

export function getLogger(): Logger {
  logger ??= pino({
    level: getServerConfig().logLevel,
    base: undefined,
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    redact: { paths: ['authorization', 'password', 'token', '*.authorization', '*.password', '*.token'], censor: '[redacted]' },
  });
  return logger;
}

/** Runs `work` as the API request `route`, under a new request id that its log lines carry. */
export function withRequestContext<T>(route: string, work: (requestId: string) => T): T {
  const requestId = randomUUID();
  return context.run({ requestId, route }, () => work(requestId));
}

/**
 * One line for an answered API request; `durationMs` until its headers (a stream goes on
 * after). Only our own failure (500) is an error: a 502 or 504 is the registry's, logged as its
 * upstream line.
 */
export function logApiRequest(requestId: string, route: string, method: string, status: number, durationMs: number, errorCode: string | null): void {
  const log = getLogger();
  const level = status === 500 ? 'error' : 'info';
  log[level]({ requestId, route, method, status, durationMs: Math.round(durationMs), ...(errorCode && { errorCode }) }, 'api request');
}

/**
 * The transport's request hook for logs: a request that got no answer, or a 429 or 5xx, is one
 * warn line; other answers (a 401 before a token, a 404 for an unknown tag) are debug.
 */
export function logUpstream(event: RequestEvent): void {
  const failed = event.status === null || event.status === 429 || event.status >= 500;
  const log = getLogger();
  const level = failed ? 'warn' : 'debug';
  if (!log.isLevelEnabled(level)) return;
  const request = context.getStore();
  log[level](
    {
      ...(request && { requestId: request.requestId, route: request.route }),
      registry: event.registry,
      kind: event.kind,
      method: event.method,
      status: event.status,
      durationMs: Math.round(event.durationMs),
      ...(event.error && { errorCode: event.error }),
    },
    failed ? 'upstream request failed' : 'upstream request',
  );
}

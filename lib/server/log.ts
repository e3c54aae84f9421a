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
import type { RequestEvent } from '../registry/transport';

interface RequestContext {
  requestId: string;
  route: string;
}

const context = new AsyncLocalStorage<RequestContext>();

let logger: Logger | undefined;

export function getLogger(): Logger {
  logger ??= pino(
    {
      level: getServerConfig().logLevel,
      base: undefined,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
      redact: { paths: ['authorization', 'password', 'token', '*.authorization', '*.password', '*.token'], censor: '[redacted]' },
    },
    // `npm run dev`: the same lines for a person reading a terminal; JSON everywhere else.
    process.env.NODE_ENV === 'development' ? { write: (line: string) => void process.stdout.write(`${readableLine(line)}\n`) } : undefined,
  );
  return logger;
}

/**
 * A JSON log line as a person reads it: `12:03:04 INFO  api request route=/api/v1/tags
 * status=200 durationMs=12`. Text that is not a JSON object is passed through.
 */
export function readableLine(line: string): string {
  let record: Record<string, unknown>;
  try {
    record = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line.trimEnd();
  }
  if (record === null || typeof record !== 'object' || Array.isArray(record)) return line.trimEnd();
  const { time, level, msg, ...fields } = record;
  const clock = typeof time === 'string' ? time.slice(11, 19) : '';
  const rest = Object.entries(fields).map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`);
  return [clock, String(level ?? '').toUpperCase().padEnd(5), String(msg ?? ''), ...rest].filter(Boolean).join(' ');
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

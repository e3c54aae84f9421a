// Registry rate-limit headers: Docker Hub's `ratelimit-limit: 100;w=21600` and
// `ratelimit-remaining`, possibly several policies comma-separated (docs/registry-protocol.md §4.5),
// a web API's `X-RateLimit-*` (docs/docker-hub-api.md §1.8), and Retry-After as seconds or an
// HTTP date.

import { LIMITS } from './limits';

export interface RateLimit {
  limit: number | null;
  remaining: number | null;
  /** Window in seconds (`w=`), when given. */
  window: number | null;
}

function firstPolicy(value: string | null): { value: number | null; window: number | null } {
  if (!value) return { value: null, window: null };
  const first = value.split(',')[0]!;
  const [count, ...params] = first.split(';').map((part) => part.trim());
  const number = Number(count);
  const windowParam = params.find((p) => p.startsWith('w='));
  const window = windowParam ? Number(windowParam.slice(2)) : NaN;
  return {
    value: count !== '' && Number.isFinite(number) ? number : null,
    window: Number.isFinite(window) ? window : null,
  };
}

export function parseRateLimit(headers: Headers): RateLimit | null {
  const limit = firstPolicy(headers.get('ratelimit-limit'));
  const remaining = firstPolicy(headers.get('ratelimit-remaining'));
  if (limit.value === null && remaining.value === null) return null;
  return { limit: limit.value, remaining: remaining.value, window: limit.window ?? remaining.window };
}

/** Seconds to wait, from `Retry-After: 120` or `Retry-After: <HTTP date>`; null when absent. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return null;
  return Math.max(0, Math.ceil((date - now) / 1000));
}

/** A web API's request limit: `X-RateLimit-Limit` per minute, what is left, and when it resets. */
export interface WebRateLimit {
  limit: number | null;
  remaining: number | null;
  /** Unix seconds when the count resets (`X-RateLimit-Reset`). */
  reset: number | null;
}

function headerNumber(headers: Headers, name: string): number | null {
  const value = headers.get(name)?.trim();
  if (!value || !/^\d+$/.test(value)) return null;
  return Number(value);
}

export function parseWebRateLimit(headers: Headers): WebRateLimit | null {
  const limit = headerNumber(headers, 'x-ratelimit-limit');
  const remaining = headerNumber(headers, 'x-ratelimit-remaining');
  const reset = headerNumber(headers, 'x-ratelimit-reset');
  if (limit === null && remaining === null && reset === null) return null;
  return { limit, remaining, reset };
}

/**
 * Seconds to wait after a 429: `Retry-After`, else the `X-Retry-After` unix time an older Hub
 * spec names (docs/docker-hub-api.md §1.8); null when neither is given.
 */
export function parseRetryAfterHeaders(headers: Headers, now = Date.now()): number | null {
  const retryAfter = parseRetryAfter(headers.get('retry-after'), now);
  if (retryAfter !== null) return retryAfter;
  const at = headerNumber(headers, 'x-retry-after');
  return at === null ? null : Math.max(0, at - Math.floor(now / 1000));
}

/**
 * A pause a server asked for, in seconds, cut to LIMITS.maxRateLimitPauseMs: what a host is
 * told to wait and what Tagscope holds its requests for, wherever such a pause is kept.
 */
export function cappedPause(seconds: number): number {
  return Math.min(seconds, Math.floor(LIMITS.maxRateLimitPauseMs / 1000));
}

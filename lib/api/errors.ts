// One error type for the API and the pages, with the code → HTTP status table of docs/api.md "Errors".
// Registry errors keep their code and message; anything unexpected becomes INTERNAL with no
// stack trace or internal detail reaching the client.

import { getLogger } from '../server/log';
import { RegistryError } from '../registry/errors';
import type { ApiErrorCode, ApiErrorInfo } from './types';

export const ERROR_STATUS: Record<ApiErrorCode, number> = {
  INVALID_REFERENCE: 400,
  INVALID_QUERY: 400,
  // RFC 9110 §15.5.20: this server is not the one that name is meant to reach (proxy.ts).
  HOST_NOT_ALLOWED: 421,
  ADDRESS_NOT_ALLOWED: 403,
  UNAUTHORIZED: 401,
  DENIED: 403,
  NAME_UNKNOWN: 404,
  MANIFEST_UNKNOWN: 404,
  BLOB_UNKNOWN: 404,
  // The registry has no such thing to offer (a repository list): not found there, and not our failure.
  UNSUPPORTED: 404,
  TOOMANYREQUESTS: 429,
  PULL_RESERVE: 429,
  RATE_LIMITED: 429,
  DIGEST_MISMATCH: 502,
  TOO_LARGE: 502,
  UPSTREAM: 502,
  TIMEOUT: 504,
  UNREACHABLE: 502,
  INVALID_CONFIGURATION: 500,
  // Tag history's database is not open or does not answer; every other view still works.
  HISTORY_UNAVAILABLE: 503,
  INTERNAL: 500,
};

/** Details safe and useful to show: numbers, hosts, and the registry's own error list. */
const PUBLIC_DETAILS = ['status', 'retryAfter', 'ratelimitLimit', 'ratelimitRemaining', 'registryErrors', 'expected', 'actual', 'limit', 'size', 'host', 'reason', 'variable', 'reserve'];

export class ApiError extends Error {
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiError';
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }

  toJSON(): ApiErrorInfo {
    return Object.keys(this.details).length > 0
      ? { code: this.code, message: this.message, details: this.details }
      : { code: this.code, message: this.message };
  }
}

export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof RegistryError) {
    const details = Object.fromEntries(Object.entries(error.details).filter(([key]) => PUBLIC_DETAILS.includes(key)));
    if ('status' in details) {
      details.upstreamStatus = details.status;
      delete details.status;
    }
    return new ApiError(error.code, error.message, details);
  }
  getLogger().error({ err: error }, 'unexpected error');
  return new ApiError('INTERNAL', 'Tagscope hit an unexpected error; it has been logged on the server');
}

export function errorResponse(error: unknown): Response {
  const apiError = toApiError(error);
  const headers: Record<string, string> = { 'cache-control': 'no-store' };
  const retryAfter = apiError.details.retryAfter;
  if (typeof retryAfter === 'number') headers['retry-after'] = String(retryAfter);
  return Response.json({ error: apiError.toJSON() }, { status: apiError.status, headers });
}

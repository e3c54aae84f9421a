// The pages' JSON reader for /api/v1: the body, or an ApiRequestError carrying the API's
// `{ code, message }` (or the HTTP status, when a proxy answered with something else). `init`
// for the API's few writes (the watch button's PUT and DELETE).

import type { ApiErrorBody, ApiErrorInfo } from '../api/types';

export class ApiRequestError extends Error {
  constructor(readonly info: ApiErrorInfo) {
    super(info.message);
  }
}

export async function fetchJson<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, init);
  const body = (await response.json().catch(() => null)) as T | ApiErrorBody | null;
  if (!response.ok || body === null) {
    throw new ApiRequestError((body as ApiErrorBody | null)?.error ?? { code: 'UPSTREAM', message: `the server answered HTTP ${response.status}` });
  }
  return body as T;
}

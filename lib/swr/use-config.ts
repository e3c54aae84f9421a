'use client';
// One platform's image config, loaded when it is first shown (a group opened): configs are
// not part of the repository view's request floor. Content never changes, so SWR keeps it.

import useSWRImmutable from 'swr/immutable';
import type { ApiErrorBody, ConfigResponse } from '../api/types';

async function fetchJson<T>(url: string): Promise<T> {
  const response = await fetch(url);
  const body = (await response.json()) as T | ApiErrorBody;
  if (!response.ok) throw new Error((body as ApiErrorBody).error?.message ?? `HTTP ${response.status}`);
  return body as T;
}

export function configUrl(repository: string, platformDigest: string): string {
  return `/api/v1/config?reference=${encodeURIComponent(`${repository}@${platformDigest}`)}`;
}

/** `enabled: false` fetches nothing (the date is already known). */
export function useConfig(repository: string, platformDigest: string, enabled = true) {
  return useSWRImmutable<ConfigResponse, Error>(enabled ? configUrl(repository, platformDigest) : null, fetchJson);
}

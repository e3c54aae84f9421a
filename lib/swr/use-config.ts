'use client';
// One platform's image config, loaded when it is first shown (a group opened): configs are
// not part of the repository view's request floor. Content never changes, so SWR keeps it.

import useSWRImmutable from 'swr/immutable';
import type { ConfigResponse } from '../api/types';
import { fetchJson } from './fetch-json';

export function configUrl(repository: string, platformDigest: string): string {
  return `/api/v1/config?reference=${encodeURIComponent(`${repository}@${platformDigest}`)}`;
}

/** `enabled: false` fetches nothing (the date is already known). */
export function useConfig(repository: string, platformDigest: string, enabled = true) {
  return useSWRImmutable<ConfigResponse, Error>(enabled ? configUrl(repository, platformDigest) : null, fetchJson);
}

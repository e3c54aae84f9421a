'use client';
// The registry pages' smaller reads: a repository's tag list (for its count, asked for when its
// row is on screen) and Docker Hub's search or namespace listing.

import useSWR from 'swr';
import type { SearchResponse, TagsResponse } from '../api/types';
import { fetchJson, type ApiRequestError } from './fetch-json';

export function useTagList(repository: string) {
  return useSWR<TagsResponse, ApiRequestError>(`/api/v1/tags?repository=${encodeURIComponent(repository)}`, fetchJson, { revalidateOnFocus: false, dedupingInterval: 60_000 });
}

/** Docker Hub: a namespace's repositories (`q` filters their names), or a search for `q`; nothing without either. */
export function useHubSearch(registry: string, namespace: string | null, q: string) {
  const base = `/api/v1/search?registry=${encodeURIComponent(registry)}`;
  const url = namespace ? `${base}&namespace=${encodeURIComponent(namespace)}${q ? `&q=${encodeURIComponent(q)}` : ''}` : q ? `${base}&q=${encodeURIComponent(q)}` : null;
  return useSWR<SearchResponse, ApiRequestError>(url, fetchJson, { revalidateOnFocus: false, keepPreviousData: true });
}

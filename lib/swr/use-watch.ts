'use client';
// The watch button's state: whether a repository is polled for tag moves, and by whose wish
// (GET /api/v1/watches?repository=), changed with PUT and DELETE. The page hands the state it
// read on the server, so the button is right from the first paint; a change shows at once and
// is undone if the server refuses it, with the server's reason kept for the button to say.

import { useCallback, useState } from 'react';
import useSWR from 'swr';
import type { ApiErrorInfo } from '../api/types';
import type { WatchResponse } from '../data/watches';
import { ApiRequestError, fetchJson } from './fetch-json';

export type { WatchResponse };

export function watchUrl(repository: string): string {
  return `/api/v1/watches?repository=${encodeURIComponent(repository)}`;
}

function errorInfo(error: unknown): ApiErrorInfo {
  return error instanceof ApiRequestError ? error.info : { code: 'UNREACHABLE', message: `the request failed: ${String(error)}` };
}

export interface WatchControl {
  /** The watch as the server last said, or null before it has. */
  watch: WatchResponse | null;
  /** Why the state could not be read. */
  loadError: ApiErrorInfo | null;
  /** Why the last change was refused; cleared by the next one. */
  changeError: ApiErrorInfo | null;
  pending: boolean;
  setWatched(watched: boolean): Promise<void>;
}

export function useWatch(repository: string, initial: WatchResponse | null = null): WatchControl {
  const url = watchUrl(repository);
  const { data, error, mutate } = useSWR<WatchResponse, unknown>(url, (key: string) => fetchJson<WatchResponse>(key), {
    fallbackData: initial ?? undefined,
    revalidateOnFocus: false,
  });
  const [pending, setPending] = useState(false);
  const [changeError, setChangeError] = useState<ApiErrorInfo | null>(null);

  const setWatched = useCallback(
    async (watched: boolean) => {
      setPending(true);
      setChangeError(null);
      try {
        await mutate(fetchJson<WatchResponse>(url, { method: watched ? 'PUT' : 'DELETE' }), {
          optimisticData: data ? { ...data, watched, origin: watched ? 'user' : null } : undefined,
          rollbackOnError: true,
          populateCache: true,
          revalidate: false,
        });
      } catch (failure) {
        setChangeError(errorInfo(failure));
      } finally {
        setPending(false);
      }
    },
    [data, mutate, url],
  );

  return { watch: data ?? null, loadError: error === undefined ? null : errorInfo(error), changeError, pending, setWatched };
}

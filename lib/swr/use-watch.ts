'use client';
// The watch button's state: whether a repository is polled for tag moves, and by whose wish
// (GET /api/v1/watches?repository=), changed with PUT and DELETE. The page hands the state it
// read on the server, so the button is right from the first paint; a change shows at once and
// is undone if the server refuses it, with the server's reason kept for the button to say.
// Presses while a change is on its way count: the last one is where the server ends, even when
// the page is reloaded or left at once (keepalive requests outlive it).

import { useCallback, useEffect, useRef, useState } from 'react';
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
  // What the person asked for last: presses while a change is on its way are not lost, the
  // last one wins, and the requests go one after another so the server ends where they did.
  const wanted = useRef<boolean | null>(null);
  const sending = useRef(false);
  /** The change on its way (null: none). */
  const sent = useRef<boolean | null>(null);

  // Leaving the page (a reload, a link) ends its scripts: the request on its way carries on
  // (keepalive), and a press still waiting behind it is sent now rather than lost. The two then
  // travel side by side; the one on its way left first, so it is all but always applied first.
  useEffect(() => {
    const leave = () => {
      const want = wanted.current;
      if (want === null || want === sent.current) return;
      sent.current = want;
      void fetch(url, { method: want ? 'PUT' : 'DELETE', keepalive: true }).catch(() => {});
    };
    window.addEventListener('pagehide', leave);
    return () => window.removeEventListener('pagehide', leave);
  }, [url]);

  const setWatched = useCallback(
    async (watched: boolean) => {
      wanted.current = watched;
      setChangeError(null);
      // The page's state counts before SWR has fetched its own (fallbackData is not in its cache).
      await mutate(
        (current) => {
          const base = current ?? data;
          return base ? { ...base, watched, origin: watched ? 'user' : null, removable: watched } : base;
        },
        { revalidate: false },
      );
      if (sending.current) return;
      sending.current = true;
      setPending(true);
      try {
        for (;;) {
          const want: boolean | null = wanted.current;
          sent.current = want;
          const answer = await fetchJson<WatchResponse>(url, { method: want ? 'PUT' : 'DELETE', keepalive: true });
          if (wanted.current === want) {
            await mutate(answer, { revalidate: false });
            break;
          }
        }
      } catch (failure) {
        setChangeError(errorInfo(failure));
        // Back to what the server says.
        await mutate();
      } finally {
        wanted.current = null;
        sent.current = null;
        sending.current = false;
        setPending(false);
      }
    },
    [data, mutate, url],
  );

  return { watch: data ?? null, loadError: error === undefined ? null : errorInfo(error), changeError, pending, setWatched };
}

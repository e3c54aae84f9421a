'use client';
// The repository view in the browser: one SWR subscription per repository and sort, fed by
// the NDJSON stream of /api/v1/repository (read with fetch's stream reader). Events are
// applied in batches, once per animation frame, so thousands of them stay smooth.

import useSWRSubscription from 'swr/subscription';
import { readNdjson } from './ndjson-reader';
import type { ApiErrorInfo, RepositoryEvent } from '../api/types';
import { applyEvents, initialState, type RepositoryState } from './repository-state';

export function repositoryStreamUrl(repository: string, sort: string): string {
  return `/api/v1/repository?repository=${encodeURIComponent(repository)}&sort=${encodeURIComponent(sort)}`;
}

async function readStream(url: string, signal: AbortSignal, onEvents: (events: RepositoryEvent[]) => void): Promise<void> {
  const response = await fetch(url, { headers: { accept: 'application/x-ndjson' }, signal });
  if (!response.ok || !response.body) {
    // An error answer that is not our JSON (a proxy's page): its status says what happened.
    const body = (await response.json().catch(() => null)) as { error?: ApiErrorInfo } | null;
    onEvents([{ type: 'error', error: body?.error ?? { code: 'UPSTREAM', message: `the server answered HTTP ${response.status}` } }, { type: 'done' }]);
    return;
  }
  await readNdjson(response.body, onEvents);
}

export function useRepository(repository: string, sort: string, initialTags: string[]) {
  const key = repositoryStreamUrl(repository, sort);
  return useSWRSubscription<RepositoryState, ApiErrorInfo, string>(key, (url, { next }) => {
    const controller = new AbortController();
    let state = initialState(repository, initialTags);
    let pending: RepositoryEvent[] = [];
    let frame: number | null = null;
    const flush = () => {
      frame = null;
      state = applyEvents(state, pending);
      pending = [];
      next(null, state);
    };
    next(null, state);
    readStream(url, controller.signal, (events) => {
      pending.push(...events);
      if (frame === null) frame = requestAnimationFrame(flush);
    }).catch((error: unknown) => {
      if (controller.signal.aborted) return;
      pending.push({ type: 'error', error: { code: 'UNREACHABLE', message: `the stream broke off: ${String(error)}` } }, { type: 'done' });
      if (frame === null) frame = requestAnimationFrame(flush);
    });
    return () => {
      controller.abort();
      if (frame !== null) cancelAnimationFrame(frame);
    };
  });
}

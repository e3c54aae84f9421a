'use client';
// The repository view in the browser: one SWR subscription per repository and sort, fed by
// the NDJSON stream of /api/v1/repository (read with fetch's stream reader). Events are
// applied in batches: the first at once, then at most four times a second, so thousands of
// them stay smooth.

import { startTransition } from 'react';
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

/**
 * How often a streaming view is drawn again after its first rows: every batch drawn at once made
 * a 2,000-tag view re-render for 20 s at 60 frames a second (Lighthouse: 1.6 s of blocked main
 * thread on a desktop, 11.8 s on a phone). A quarter second still reads as live.
 */
const REDRAW_MS = 250;

export function useRepository(repository: string, sort: string, initialTags: string[]) {
  const key = repositoryStreamUrl(repository, sort);
  return useSWRSubscription<RepositoryState, ApiErrorInfo, string>(key, (url, { next }) => {
    const controller = new AbortController();
    let state = initialState(repository, initialTags);
    let pending: RepositoryEvent[] = [];
    let frame: number | null = null;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let drawn = 0;
    const flush = () => {
      frame = null;
      timer = null;
      drawn = performance.now();
      state = applyEvents(state, pending);
      pending = [];
      // A transition: React renders it in slices and lets typing, scrolling and clicks go
      // first, so a long stream never blocks the page for long.
      startTransition(() => next(null, state));
    };
    // The first rows and the end are drawn on the next frame; in between, at most every REDRAW_MS.
    const schedule = (urgent: boolean) => {
      if (frame !== null) return;
      if (urgent || drawn === 0) {
        if (timer !== null) clearTimeout(timer);
        timer = null;
        frame = requestAnimationFrame(flush);
      } else {
        timer ??= setTimeout(() => {
          timer = null;
          frame = requestAnimationFrame(flush);
        }, Math.max(0, drawn + REDRAW_MS - performance.now()));
      }
    };
    next(null, state);
    readStream(url, controller.signal, (events) => {
      pending.push(...events);
      schedule(events.some((event) => event.type === 'done' || event.type === 'error'));
    }).catch((error: unknown) => {
      if (controller.signal.aborted) return;
      pending.push({ type: 'error', error: { code: 'UNREACHABLE', message: `the stream broke off: ${String(error)}` } }, { type: 'done' });
      schedule(true);
    });
    return () => {
      controller.abort();
      if (frame !== null) cancelAnimationFrame(frame);
      if (timer !== null) clearTimeout(timer);
    };
  });
}

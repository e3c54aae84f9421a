'use client';
// A registry's repositories in the browser: the NDJSON stream of /api/v1/catalog, one page of
// names at a time, so a registry of 50,000 repositories shows its first rows at once. Events
// are applied once per animation frame, as the repository view's are.

import useSWRSubscription from 'swr/subscription';
import type { ApiErrorInfo, CatalogEvent } from '../api/types';
import { readNdjson } from './ndjson-reader';

export interface CatalogState {
  repositories: string[];
  truncated: boolean;
  truncatedBy: string | null;
  invalidRepositories: number;
  notices: ApiErrorInfo[];
  error: ApiErrorInfo | null;
  done: boolean;
}

export const emptyCatalog: CatalogState = { repositories: [], truncated: false, truncatedBy: null, invalidRepositories: 0, notices: [], error: null, done: false };

export function applyCatalogEvents(state: CatalogState, events: CatalogEvent[]): CatalogState {
  if (events.length === 0) return state;
  const next = { ...state };
  const added: string[] = [];
  for (const event of events) {
    switch (event.type) {
      case 'repositories':
        added.push(...event.repositories);
        break;
      case 'notice':
        next.notices = [...next.notices, event.notice];
        break;
      case 'summary':
        next.truncated = event.truncated;
        next.truncatedBy = event.truncatedBy;
        next.invalidRepositories = event.invalidRepositories;
        break;
      case 'error':
        next.error = event.error;
        break;
      case 'done':
        next.done = true;
        break;
    }
  }
  if (added.length > 0) next.repositories = [...state.repositories, ...added];
  return next;
}

export function catalogUrl(registry: string): string {
  return `/api/v1/catalog?registry=${encodeURIComponent(registry)}`;
}

export function useCatalog(registry: string) {
  return useSWRSubscription<CatalogState, ApiErrorInfo, string>(catalogUrl(registry), (url, { next }) => {
    const controller = new AbortController();
    let state = emptyCatalog;
    let pending: CatalogEvent[] = [];
    let frame: number | null = null;
    const flush = () => {
      frame = null;
      state = applyCatalogEvents(state, pending);
      pending = [];
      next(null, state);
    };
    const push = (events: CatalogEvent[]) => {
      pending.push(...events);
      if (frame === null) frame = requestAnimationFrame(flush);
    };
    next(null, state);
    (async () => {
      const response = await fetch(url, { headers: { accept: 'application/x-ndjson' }, signal: controller.signal });
      if (!response.ok || !response.body) {
        const body = (await response.json().catch(() => null)) as { error?: ApiErrorInfo } | null;
        push([{ type: 'error', error: body?.error ?? { code: 'UPSTREAM', message: `the server answered HTTP ${response.status}` } }, { type: 'done' }]);
        return;
      }
      await readNdjson<CatalogEvent>(response.body, push);
    })().catch((error: unknown) => {
      if (controller.signal.aborted) return;
      push([{ type: 'error', error: { code: 'UNREACHABLE', message: `the stream broke off: ${String(error)}` } }, { type: 'done' }]);
    });
    return () => {
      controller.abort();
      if (frame !== null) cancelAnimationFrame(frame);
    };
  });
}

import 'server-only';
// Tag history for the API and the pages: a repository's moves and runs, what a tag pointed at
// on a date, when a pinned tag moved away. Reads go through readHistory, so a database that is
// away costs a view at most READ_TIMEOUT_MS and says so in words. The pages' reads first write
// the changes the recorder holds (within that same bound): a tag page that has just found its
// tag at a new digest shows that move, instead of the history as it was a moment before.

import { ApiError } from '../api/errors';
import type { HistoryResponse } from '../api/types';
import { getServerConfig } from '../server/env';
import { FEED_ENTRIES } from '../history/atom';
import { recordImporter } from '../history/quay-record';
import { getHistoryRuntime, readHistory, type HistoryRead } from '../history/runtime';
import { getRegistryService } from './service';
import { MAX_HISTORY_ROWS, type HistoryStore, type TagAt } from '../history/store';
import type { HistorySource, Move, Observation } from '../history/types';
import type { Reference } from '../registry/reference';

/** One importer for every bundle Next builds (the pages and the API routes), so its once-per-TTL holds across them. */
const IMPORTER = Symbol.for('tagscope.history.importer');

/**
 * Brings the registry's own record of `tag` (or of the repository) into history before a read,
 * where the registry keeps one (Quay): at most once per tag TTL, within 1.5 s, never an error.
 */
export async function importRegistryRecord(repo: Reference, tag?: string): Promise<void> {
  const store = getHistoryRuntime().store;
  if (!store) return;
  const shared = globalThis as { [IMPORTER]?: ReturnType<typeof recordImporter> };
  shared[IMPORTER] ??= recordImporter(getRegistryService().client.transport, getServerConfig().tagTtlMs);
  await shared[IMPORTER](store, repo, tag);
}

/** A read for the API: its answer, or HISTORY_UNAVAILABLE (503) saying why there is none. */
export async function requireHistory<T>(read: (store: HistoryStore) => Promise<T>): Promise<T> {
  const result = await readHistory(read);
  if (!result.ok) throw new ApiError('HISTORY_UNAVAILABLE', result.reason);
  return result.value;
}

/** GET /api/v1/history: moves and runs of a repository (or one tag), newest first, since a date. */
export async function getHistory(repo: Reference, options: { tag?: string; since?: number } = {}): Promise<HistoryResponse> {
  await importRegistryRecord(repo, options.tag);
  const { moves, observations } = await requireHistory(async (store) => {
    const [moves, observations] = await Promise.all([store.moves(repo.repository, options), store.observations(repo.repository, options)]);
    return { moves, observations };
  });
  return {
    repository: repo.repository,
    moves: moves.map(({ tag, from, to, at, source }) => ({ tag, from, to, at, source })),
    observations,
    truncated: moves.length >= MAX_HISTORY_ROWS || observations.length >= MAX_HISTORY_ROWS,
  };
}

/** The longest a page waits for the recorder's pending changes before it reads anyway. */
const SETTLE_MS = 250;

/**
 * A read that includes what this request (or any other) has just seen but not yet written —
 * waiting at most SETTLE_MS for it, so a page after a 2,000-tag view is not held by its writes.
 */
function readSettled<T>(read: (store: HistoryStore) => Promise<T>): Promise<HistoryRead<T>> {
  return readHistory(async (store) => {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([getHistoryRuntime().recorder.flush(), new Promise((resolve) => (timer = setTimeout(resolve, SETTLE_MS)))]);
    clearTimeout(timer);
    return read(store);
  });
}

export interface TagTimeline {
  observations: Observation[];
  moves: Move[];
}

/** GET /api/v1/feed: the newest moves of a repository (or one tag), for its Atom feed. */
export async function feedMoves(repo: Reference, tag?: string): Promise<Move[]> {
  await importRegistryRecord(repo, tag);
  return requireHistory((store) => store.moves(repo.repository, { tag, limit: FEED_ENTRIES }));
}

/** A tag's timeline for its page: its runs and moves, newest first; or why there is none. */
export async function tagTimeline(repo: Reference, tag: string): Promise<HistoryRead<TagTimeline>> {
  await importRegistryRecord(repo, tag);
  return readSettled(async (store) => {
    const [observations, moves] = await Promise.all([store.observations(repo.repository, { tag, limit: 200 }), store.moves(repo.repository, { tag, limit: 200 })]);
    return { observations, moves };
  });
}

/**
 * A repository's latest moves, for its page's "recently moved". It does not wait for pending
 * writes: the page renders before its own stream sees any tag, so there is nothing of its own to wait for.
 */
export async function recentMoves(repo: Reference, limit = 10): Promise<HistoryRead<Move[]>> {
  return readHistory((store) => store.moves(repo.repository, { limit }));
}

/** What a tag pointed at on a date (`/r/…:tag?at=`). */
export async function tagAt(repo: Reference, tag: string, at: number): Promise<HistoryRead<TagAt>> {
  await importRegistryRecord(repo, tag);
  return readSettled((store) => store.tagAt(repo.repository, tag, at));
}

export interface MovedAway {
  at: string;
  /** Where the tag went; null when the next run is not known to this source. */
  to: string | null;
  source: HistorySource;
}

/** When a pinned tag left the digest it was pinned to, if history knows. */
export async function movedAway(repo: Reference, tag: string, digest: string): Promise<HistoryRead<MovedAway | null>> {
  await importRegistryRecord(repo, tag);
  return readSettled((store) => store.leftDigest(repo.repository, tag, digest));
}

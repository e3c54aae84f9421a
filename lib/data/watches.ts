import 'server-only';
// The watch list for the API and the watch button: which repositories are polled for tag moves.
// Configured watches (TAGSCOPE_WATCH) are listed but not removable here; the button's own are
// bounded by MAX_USER_WATCHES, since anyone who can reach the server can press it.

import { ApiError } from '../api/errors';
import { requireHistory } from './history';
import type { Watch } from '../history/store';
import type { Reference } from '../registry/reference';

/** Repositories the watch button may add in all (TAGSCOPE_WATCH's are on top of these). */
export const MAX_USER_WATCHES = 100;

export interface WatchesResponse {
  watches: Watch[];
}

export interface WatchResponse {
  repository: string;
  watched: boolean;
  /** `config` when TAGSCOPE_WATCH names it (the button cannot remove it), `user`, or null when not watched. */
  origin: Watch['origin'] | null;
  intervalSeconds: number;
}

export async function listWatches(): Promise<WatchesResponse> {
  return { watches: await requireHistory((store) => store.watches()) };
}

export async function watchState(repo: Reference, intervalSeconds: number): Promise<WatchResponse> {
  const watch = await requireHistory((store) => store.watch(repo.repository));
  return { repository: repo.repository, watched: watch !== null, origin: watch?.origin ?? null, intervalSeconds };
}

export async function addWatch(repo: Reference, intervalSeconds: number): Promise<WatchResponse> {
  await requireHistory(async (store) => {
    if ((await store.watch(repo.repository)) !== null) return;
    if ((await store.countWatches('user')) >= MAX_USER_WATCHES) {
      throw new ApiError('INVALID_QUERY', `Tagscope already watches ${MAX_USER_WATCHES} repositories added with the watch button, its limit; unwatch one first`, { limit: MAX_USER_WATCHES });
    }
    await store.addWatch(repo.registry, repo.repository, 'user', Date.now());
  });
  return watchState(repo, intervalSeconds);
}

export async function removeWatch(repo: Reference, intervalSeconds: number): Promise<WatchResponse> {
  const watch = await requireHistory((store) => store.watch(repo.repository));
  if (watch?.origin === 'config') {
    throw new ApiError('INVALID_QUERY', `${repo.repository} is watched because TAGSCOPE_WATCH names it; an administrator can remove it there`);
  }
  await requireHistory((store) => store.removeWatch(repo.repository));
  return watchState(repo, intervalSeconds);
}

import 'server-only';
// The watch list for the API and the watch button: which repositories are polled for tag moves.
// Watching costs the server requests on a stranger's behalf, so the button's watches are an
// owned, bounded resource: added only where the address policy lets the server go, at most
// MAX_WATCHES_PER_CLIENT per client and MAX_USER_WATCHES in all (counted atomically in the
// store), removed only by the browser that added one (its owner token) or by configuration.
// Configured watches (TAGSCOPE_WATCH) are listed but not removable here. The list shows
// nobody a repository on a registry this server holds credentials for, but their own.

import { ApiError } from '../api/errors';
import { API_ERROR_CODES, type ApiErrorCode } from '../api/types';
import { sha256Hex } from '../api/watch-owner';
import { requireHistory } from './history';
import { getRegistryService } from './service';
import type { Watch } from '../history/store';
import type { Reference } from '../registry/reference';

/** Repositories the watch button may add in all (TAGSCOPE_WATCH's are on top of these). */
export const MAX_USER_WATCHES = 100;
/** Of those, added by one client (as the API rate limit tells clients apart). */
export const MAX_WATCHES_PER_CLIENT = 5;

/** Who asks: the SHA-256 of their owner token, null without one. */
export interface WatchReader {
  ownerHash: string | null;
}

/** Who adds: their owner token's SHA-256, and their client key (the rate limit's; stored hashed). */
export interface WatchAdder {
  ownerHash: string;
  clientKey: string;
}

export interface ListedWatch {
  repository: string;
  origin: Watch['origin'];
  addedAt: string;
  lastPolledAt: string | null;
  /** The last poll's failure as an error code (docs/api.md "Errors"); the server log has the registry's words. */
  lastError: ApiErrorCode | null;
  /** Whether this reader added it (and so may remove it). */
  mine: boolean;
}

export interface WatchesResponse {
  watches: ListedWatch[];
}

export interface WatchResponse {
  repository: string;
  watched: boolean;
  /** `config` when TAGSCOPE_WATCH names it (the button cannot remove it), `user`, or null when not watched. */
  origin: Watch['origin'] | null;
  /** Whether this reader may remove it: a button watch their browser added. */
  removable: boolean;
  intervalSeconds: number;
}

const isMine = (watch: Watch, reader: WatchReader) => reader.ownerHash !== null && watch.ownerHash === reader.ownerHash;

function errorCode(stored: string | null): ApiErrorCode | null {
  if (stored === null) return null;
  return (API_ERROR_CODES as readonly string[]).includes(stored) ? (stored as ApiErrorCode) : 'INTERNAL';
}

/**
 * The watch list as `reader` may see it: without a repository on a registry this server holds
 * credentials for (a private one, perhaps), unless the reader added it.
 */
export async function listWatches(reader: WatchReader): Promise<WatchesResponse> {
  const transport = getRegistryService().client.transport;
  const watches = await requireHistory((store) => store.watches());
  return {
    watches: watches
      .filter((watch) => isMine(watch, reader) || !transport.hasCredentials(watch.registry))
      .map((watch) => ({
        repository: watch.repository,
        origin: watch.origin,
        addedAt: watch.addedAt,
        lastPolledAt: watch.lastPolledAt,
        lastError: errorCode(watch.lastError),
        mine: isMine(watch, reader),
      })),
  };
}

export async function watchState(repo: Reference, intervalSeconds: number, reader: WatchReader): Promise<WatchResponse> {
  const watch = await requireHistory((store) => store.watch(repo.repository));
  return {
    repository: repo.repository,
    watched: watch !== null,
    origin: watch?.origin ?? null,
    removable: watch !== null && watch.origin === 'user' && isMine(watch, reader),
    intervalSeconds,
  };
}

export async function addWatch(repo: Reference, intervalSeconds: number, adder: WatchAdder): Promise<WatchResponse> {
  // Refused here, before anything is stored, rather than at every poll.
  await getRegistryService().client.transport.checkRegistryAddress(repo.registry);
  const outcome = await requireHistory((store) =>
    store.addUserWatch(
      { registry: repo.registry, repository: repo.repository, ownerHash: adder.ownerHash, clientHash: sha256Hex(adder.clientKey) },
      { total: MAX_USER_WATCHES, perClient: MAX_WATCHES_PER_CLIENT },
      Date.now(),
    ),
  );
  if (outcome === 'full') {
    throw new ApiError('DENIED', `Tagscope already watches ${MAX_USER_WATCHES} repositories added with the watch button, its limit; one must be unwatched first`, { limit: MAX_USER_WATCHES });
  }
  if (outcome === 'client-full') {
    throw new ApiError('DENIED', `you have added ${MAX_WATCHES_PER_CLIENT} watches, the limit per visitor; unwatch one of yours first`, { limit: MAX_WATCHES_PER_CLIENT });
  }
  return watchState(repo, intervalSeconds, adder);
}

export async function removeWatch(repo: Reference, intervalSeconds: number, reader: WatchReader): Promise<WatchResponse> {
  const watch = await requireHistory((store) => store.watch(repo.repository));
  if (watch?.origin === 'config') {
    throw new ApiError('DENIED', `${repo.repository} is watched because TAGSCOPE_WATCH names it; only an administrator can stop it, by leaving it out of TAGSCOPE_WATCH`);
  }
  if (watch && !isMine(watch, reader)) {
    throw new ApiError(
      'DENIED',
      `${repo.repository} was added by another visitor: only the browser that added it can stop watching it, or an administrator (by naming it in TAGSCOPE_WATCH, then leaving it out)`,
    );
  }
  if (watch) await requireHistory((store) => store.removeWatch(repo.repository, reader.ownerHash));
  return watchState(repo, intervalSeconds, reader);
}

// When a web API and the registry disagree about a tag, the registry's answer wins. Docker
// Hub's tag list lags real pushes (by seconds to minutes), so in normal use it can still name
// the old digest after a HEAD has seen the new one; taken as sightings like any other, that
// made two moves within a second (new → old → new) that reached "Recently moved", the feed and
// the webhook. One rule, applied by the recorder in memory and by the store in the database
// (which is the truth across instances and restarts).

import type { Sighting, SightingVia } from './types';

/**
 * How long a run only a web API vouched for is taken as that API's lag when the registry
 * contradicts it: within it the registry's answer corrects the run (no move); after it, the
 * registry's answer is a move like any other (the tag was pushed since).
 */
export const WEB_API_LAG_MS = 10 * 60_000;

/** A sighting from a web API's answer (Docker Hub's tag list), not from the registry itself. */
export const fromWebApi = (via: SightingVia | string | null): boolean => via === 'hub';

/**
 * A web API's sighting that disagrees with a run the registry confirmed, last seen at
 * `confirmedAt`, is stale — not a move — unless the web API says the tag was pushed after
 * that (a push nobody has asked the registry about yet).
 */
export function isStaleWebSighting(sighting: Pick<Sighting, 'via' | 'pushedAt'>, confirmedAt: number): boolean {
  if (!fromWebApi(sighting.via)) return false;
  return sighting.pushedAt === undefined || sighting.pushedAt === null || sighting.pushedAt <= confirmedAt;
}

/**
 * The registry contradicts a run that only a web API vouched for, begun at `runFirstSeen`: while
 * that is within the web API's lag, the run was the lag, and the registry's digest replaces it.
 */
export function correctsWebRun(run: { via: string | null; first_seen: number }, sighting: Pick<Sighting, 'via' | 'at'>): boolean {
  return fromWebApi(run.via) && !fromWebApi(sighting.via) && sighting.at - run.first_seen <= WEB_API_LAG_MS;
}

// Tag history's words, shared by the store, the recorder, the watcher, the webhook, the feeds
// and the pages. A *sighting* is one tag → digest answer Tagscope obtained; an *observation*
// is a run of sightings of one tag at one digest (only a change adds one); a *move* is a tag
// found at a new digest. The registry's own record (Quay's tag history) is kept beside
// Tagscope's sightings, never mixed with them: `source` says which.

/** `observed`: Tagscope's own sightings; `registry`: the registry's record of its tags (Quay). */
export type HistorySource = 'observed' | 'registry';

/** How a sighting was obtained: a HEAD or GET by tag, a web API's tag list, or a tag list with digests (Google's). */
export type SightingVia = 'head' | 'get' | 'hub' | 'quay' | 'list';

/** One tag → digest answer, as the data path hands it to the recorder. */
export interface Sighting {
  /** Canonical registry host: `docker.io`, `ghcr.io`, `127.0.0.1:5000`. */
  registry: string;
  /** Registry + path: `docker.io/library/alpine`. */
  repository: string;
  tag: string;
  digest: string;
  mediaType: string | null;
  /** When it was seen, milliseconds since the epoch. */
  at: number;
  via: SightingVia;
  /** When a web API says the tag was last pushed (ms), for its sightings: what tells a push the registry has not been asked about from a stale answer. */
  pushedAt?: number | null;
}

/** A run of one tag at one digest. Times are ISO 8601 strings (UTC). */
export interface Observation {
  tag: string;
  digest: string;
  mediaType: string | null;
  firstSeen: string;
  /** For the registry's record: when the tag left this digest, or null while it is still there. */
  lastSeen: string | null;
  source: HistorySource;
  via: SightingVia | null;
}

/** A tag found at a new digest. `from` is null for a tag's first recorded digest in the registry's record. */
export interface Move {
  registry: string;
  repository: string;
  tag: string;
  from: string | null;
  to: string;
  /** ISO 8601: when the move was seen (observed) or made (the registry's record). */
  at: string;
  source: HistorySource;
}

/**
 * How a delivery ended. `delivered`: a 2xx. `rejected`: the receiver's final answer, a 3xx or a
 * 4xx other than 408 and 429. `failed`: every attempt met a network error, a timeout, a 5xx, a
 * 408 or a 429. `refused`: the address policy did not allow the address. `dropped`: pushed out
 * of a full queue. `abandoned`: still unsent when close() gave up.
 */
export type WebhookOutcome = 'delivered' | 'rejected' | 'failed' | 'refused' | 'dropped' | 'abandoned';

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

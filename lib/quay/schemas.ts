// zod schemas for Quay's tag list (`GET /api/v1/repository/{ns}/{repo}/tag/`, listRepoTags),
// and the reshape from its tag dicts to Tagscope's plain type (docs/docker-hub-api.md §4;
// quay/quay endpoints/api/tag.py `_tag_dict`). A wrong type anywhere makes the page
// unreadable, as a manifest's would be. A row Tagscope cannot use — a name off the tag
// grammar, a digest missing or off the digest grammar — is left out and counted by the
// caller, never shown; a number out of range (a negative size, a time before 1970 or past
// what a Date holds) is no value.

import { z } from 'zod';
import { isDigest, isTag } from '../registry/reference';

/**
 * One row of Quay's tag history: the tag `name` at `digest` from `start` until `end`. A tag
 * moved to another digest has two rows: the old one ended, the new one started then.
 */
export interface QuayTag {
  name: string;
  /** The manifest digest: an index's for multi-platform tags. */
  digest: string;
  /** `digest` names an index (a manifest list). */
  isManifestList: boolean;
  /** Σ compressed layer sizes (`manifest_layers_size`); null when Quay gives none, as for indexes. */
  size: number | null;
  /** When this row began, ms since the epoch; null when Quay does not say. */
  start: number | null;
  /** When this row ended (the tag moved or was deleted), or when it will expire; null while alive. */
  end: number | null;
  /** Quay restored the tag to this digest (a "revert" in its UI). */
  reversion: boolean;
}

/** The latest instant a Date holds, in seconds (ECMA-262 §21.4.1.1). */
const MAX_EPOCH_SECONDS = 8.64e12;

/** Unix seconds → ms; absent, 0 (Quay's "not set"), negative or out of range → null. */
const epochSeconds = z
  .number()
  .nullish()
  .transform((value) => (value != null && value > 0 && value <= MAX_EPOCH_SECONDS ? Math.round(value * 1000) : null));

/** A byte count, or null when absent or not a whole non-negative number. */
const byteCount = z
  .number()
  .nullish()
  .transform((value) => (value != null && Number.isSafeInteger(value) && value >= 0 ? value : null));

/**
 * `_tag_dict`: `name`, `reversion`, `start_ts` and `end_ts` when set, `manifest_digest`,
 * `is_manifest_list`, `size`, `last_modified` and `expiration` (RFC 1123 spellings of the two
 * times, not read). Older versions add `docker_image_id`/`image_id`, newer ones `is_sparse`
 * and child-manifest counts: not read either.
 */
export const quayTagSchema = z.object({
  name: z.string(),
  reversion: z
    .boolean()
    .nullish()
    .transform((value) => value ?? false),
  start_ts: epochSeconds,
  end_ts: epochSeconds,
  manifest_digest: z.string().nullish(),
  is_manifest_list: z
    .boolean()
    .nullish()
    .transform((value) => value ?? false),
  size: byteCount,
});

/** `{"tags":[…],"page":N,"has_additional":bool}`, newest first. */
export const quayTagPageSchema = z.object({
  tags: z.array(quayTagSchema),
  page: z.number().int().optional(),
  has_additional: z.boolean(),
});

/** A row as Tagscope uses it, or null when its name or digest is off the grammar (counted by the caller). */
export function toQuayTag(row: z.infer<typeof quayTagSchema>): QuayTag | null {
  const digest = row.manifest_digest;
  if (!isTag(row.name) || !digest || !isDigest(digest)) return null;
  return {
    name: row.name,
    digest,
    isManifestList: row.is_manifest_list,
    size: row.size,
    start: row.start_ts,
    end: row.end_ts,
    reversion: row.reversion,
  };
}

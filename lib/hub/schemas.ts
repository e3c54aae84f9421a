// zod schemas for Docker Hub's web API (hub.docker.com/v2), and the reshape from its fields to
// Tagscope's plain types. Lenient where Hub is known to be unreliable (docs/docker-hub-api.md
// §1.4): `digest` missing on old tags, `images` empty or null, nullable variant, os_version and
// timestamps, the config media type given for single-arch tags, 0/6/9 fractional digits.
// Strict where a wrong value would mislead: digests follow the sha256/sha512 grammar or the
// answer is unreadable, as a manifest's would be; tag names are checked by the caller with
// isTag, like names from tags/list.

import { z } from 'zod';
import { baseMediaType, isImageConfig } from '../registry/media-types';
import { isDigest } from '../registry/reference';

/** One platform of a tag, as Hub's OS/ARCH table shows it. */
export interface HubImage {
  os: string;
  architecture: string;
  variant: string | null;
  osVersion: string | null;
  /** The platform digest. */
  digest: string | null;
  /** Compressed size of the platform (Σ layers), as Hub's "Compressed size". */
  size: number | null;
  lastPushed: string | null;
  lastPulled: string | null;
  /** A buildx attestation manifest (`unknown/unknown`), not a platform. */
  attestation: boolean;
}

export interface HubTag {
  name: string;
  /** The index digest for multi-platform tags, the manifest digest for single-platform ones; absent on old tags. */
  digest: string | null;
  /** The media type of what `digest` names, when Hub says it (never the config type it gives for single-platform tags). */
  mediaType: string | null;
  lastPushed: string | null;
  lastPulled: string | null;
  images: HubImage[];
}

export interface HubRepository {
  namespace: string;
  name: string;
  /** A Docker Official Image: namespace `library` (§1.6). */
  official: boolean;
  description: string | null;
  starCount: number | null;
  pullCount: number | null;
  lastUpdated: string | null;
}

/** ISO 8601 with any number of fractional digits; Hub sends 0, 6 and 9 (§1.4). */
const ISO_TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})$/;

/** A timestamp as one spelling (`…T15:11:57.444Z`), or null when absent or not a timestamp. */
const timestamp = z
  .string()
  .nullish()
  .transform((value) => {
    if (!value || !ISO_TIMESTAMP.test(value)) return null;
    const time = Date.parse(value);
    return Number.isFinite(time) ? new Date(time).toISOString() : null;
  });

/** Absent, null or "" is no digest; anything else must be one (it becomes a path and a link). */
const digest = z
  .string()
  .nullish()
  .refine((value) => !value || isDigest(value), 'not a sha256 or sha512 digest')
  .transform((value) => value || null);

const optionalText = z
  .string()
  .nullish()
  .transform((value) => value || null);

const count = z.number().int().nonnegative().nullish().transform((value) => value ?? null);

export const hubImageSchema = z.object({
  architecture: z.string(),
  os: z.string(),
  variant: optionalText,
  os_version: optionalText,
  digest,
  size: count,
  last_pushed: timestamp,
  last_pulled: timestamp,
});

export const hubTagSchema = z.object({
  name: z.string(),
  digest,
  media_type: optionalText,
  last_updated: timestamp,
  tag_last_pushed: timestamp,
  tag_last_pulled: timestamp,
  // An array on the wire, though the OpenAPI spec says object (docker/docs#20552); [] for a while in 2025.
  images: z.array(hubImageSchema).nullish().transform((images) => images ?? []),
});

export const hubTagPageSchema = z.object({
  count: count,
  next: optionalText,
  results: z.array(hubTagSchema),
});

export const hubRepositorySchema = z.object({
  description: optionalText,
  star_count: count,
  pull_count: count,
  last_updated: timestamp,
});

/** One repository of listNamespaceRepositories (§3): the fields Tagscope shows. */
export const hubNamespaceRepositorySchema = hubRepositorySchema.extend({
  name: z.string(),
  namespace: z.string(),
});

export const hubNamespacePageSchema = z.object({
  count: count,
  next: optionalText,
  results: z.array(hubNamespaceRepositorySchema),
});

/** One result of `/v2/search/repositories/` (undocumented, §3): no namespace for official images, no dates. */
export const hubSearchResultSchema = z.object({
  repo_name: z.string(),
  short_description: optionalText,
  star_count: count,
  pull_count: count,
});

export const hubSearchPageSchema = z.object({
  count: count,
  next: optionalText,
  results: z.array(hubSearchResultSchema),
});

export const hubTokenSchema = z.object({ access_token: z.string().min(1) });

export function toHubTag(tag: z.infer<typeof hubTagSchema>): HubTag {
  const mediaType = baseMediaType(tag.media_type);
  return {
    name: tag.name,
    digest: tag.digest,
    // Single-platform tags carry the config's type (§1.4) while `digest` names the manifest.
    mediaType: isImageConfig(mediaType) ? null : mediaType,
    lastPushed: tag.tag_last_pushed ?? tag.last_updated,
    lastPulled: tag.tag_last_pulled,
    images: tag.images.map((image) => ({
      os: image.os,
      architecture: image.architecture,
      variant: image.variant,
      osVersion: image.os_version,
      digest: image.digest,
      size: image.size,
      lastPushed: image.last_pushed,
      lastPulled: image.last_pulled,
      attestation: image.os === 'unknown' && image.architecture === 'unknown',
    })),
  };
}

export function toHubRepository(repository: z.infer<typeof hubRepositorySchema>, namespace: string, name: string): HubRepository {
  return {
    namespace,
    name,
    official: namespace === 'library',
    description: repository.description,
    starCount: repository.star_count,
    pullCount: repository.pull_count,
    lastUpdated: repository.last_updated,
  };
}

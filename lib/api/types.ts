// The JSON API's shapes (docs/design.md "JSON API", docs/api.md): the contract between the route handlers, the
// pages' client code and anyone automating against Tagscope. Field names do not change.
// Shapes the registry client already defines are reused, not restated.

import type { ImageConfig } from '../registry/image-config';
import type { ResolvedPlatform } from '../registry/index-walk';
import { REGISTRY_ERROR_CODES } from '../registry/errors';
import type { PullState } from '../registry/pull-budget';
import type { Reference } from '../registry/reference';
import type { HistorySource } from '../history/types';

/** The registry client's codes, and the API's own: a bad query, a Host name not answered to, our rate limit, a bug. */
export const API_ERROR_CODES = [...REGISTRY_ERROR_CODES, 'INVALID_QUERY', 'HOST_NOT_ALLOWED', 'RATE_LIMITED', 'HISTORY_UNAVAILABLE', 'INTERNAL'] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

export interface ApiErrorInfo {
  code: ApiErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

export interface ApiErrorBody {
  error: ApiErrorInfo;
}

/** GET /api/v1/history: a repository's tag moves and the runs they come from, newest first. */
export interface HistoryResponse {
  repository: string;
  moves: { tag: string; from: string | null; to: string; at: string; source: HistorySource }[];
  observations: { tag: string; digest: string; mediaType: string | null; firstSeen: string; lastSeen: string | null; source: HistorySource; via: string | null }[];
  /** More moves or runs matched than one answer carries (MAX_HISTORY_ROWS each); narrow with tag or since. */
  truncated: boolean;
}

/** registry, path, repository, tag, digest, canonical, familiar: a parsed Reference as it is. */
export type ReferenceResponse = Reference;

export interface TagsResponse {
  repository: string;
  tags: string[];
  truncated: boolean;
  /** Why the list is incomplete, in words (pages, tags, bytes or time), when it is. */
  truncatedBy: string | null;
  /** Names the registry listed that are not tags by the grammar: left out. */
  invalidTags: number;
}

/**
 * One platform of a group: `platform` as the index says it (`linux/arm/v7`); `digest` the
 * platform digest; `size` the manifest's bytes; `compressedSize` Σ layers[].size;
 * `configDigest` the image ID.
 */
export interface PlatformInfo extends Omit<ResolvedPlatform, 'mediaType' | 'size'> {
  /** The platform manifest's media type and byte size; null where only a web API described it (Docker Hub's does not say). */
  mediaType: string | null;
  size: number | null;
  /** The config's `created`, when configs were loaded (sort=created, or a single manifest). */
  created?: string | null;
  /** When this platform's manifest was last pushed / pulled, where the registry says (Docker Hub's web API); else null, never invented. */
  lastPushed: string | null;
  lastPulled: string | null;
}

export type GroupKind = 'index' | 'manifest' | 'artifact' | 'schema1';

export interface Attestation {
  digest: string;
  /** The platform digest it describes. */
  for: string | null;
  /** BuildKit's vnd.docker.reference.type, usually `attestation-manifest`. */
  type: string;
}

export interface SignatureTag {
  tag: string;
  digest: string;
}

export interface Group {
  /** The index digest: what `docker pull` prints for every tag of the group. */
  digest: string;
  /** Null where a web API described the group without saying (Docker Hub, single-platform tags). */
  mediaType: string | null;
  kind: GroupKind;
  /** The byte size of what `digest` names; null where a web API described the group without saying. */
  size: number | null;
  tags: string[];
  platforms: PlatformInfo[];
  attestations: Attestation[];
  signatures: SignatureTag[];
  artifactType: string | null;
  /** The newest `created` among the platforms, when known. */
  created?: string | null;
  /** The newest push of the group's tags (ISO 8601), where the registry says; else null. */
  lastPushed: string | null;
  /**
   * True when no free source describes the group's platforms (a web API left it out, on a
   * host where each manifest GET is a pull): `platforms` is empty until someone asks.
   */
  platformsNeedPull?: boolean;
}

export interface TagError {
  tag: string;
  error: ApiErrorInfo;
}

export interface RepositoryResponse {
  repository: string;
  groups: Group[];
  unattached: SignatureTag[];
  errors: TagError[];
  truncated: boolean;
  /** Names the registry listed that are not tags by the grammar: left out, never requested. */
  invalidTags: number;
  /** What limited the view, in words: a tag list cut short, a budget or deadline reached. */
  notices: ApiErrorInfo[];
  /** The registry web API's description of the repository (Docker Hub's), when there is one. */
  info: RepositoryInfo | null;
  /** The registry's pull limit for this server as last seen (Docker Hub's ratelimit-* headers), with the reserve Tagscope keeps. */
  pulls: PullState | null;
}

export interface RepositoryInfo {
  description: string | null;
  stars: number | null;
  /** All-time pulls of the repository, as the web API counts them. */
  pullCount: number | null;
  lastUpdated: string | null;
}

export type RepositoryEvent =
  | { type: 'tags'; repository: string; tags: string[]; truncated: boolean; truncatedBy?: string | null; invalidTags?: number }
  | { type: 'notice'; notice: ApiErrorInfo }
  | { type: 'repository'; info: RepositoryInfo | null; pulls: PullState | null }
  | { type: 'group'; group: Group }
  | { type: 'unattached'; signatures: SignatureTag[] }
  | { type: 'error'; tag: string; error: ApiErrorInfo }
  | { type: 'error'; error: ApiErrorInfo; tag?: undefined }
  | { type: 'progress'; resolved: number; total: number }
  | { type: 'done' };

export interface ManifestResponse {
  reference: string;
  digest: string;
  mediaType: string;
  size: number;
  verified: boolean | null;
  headers: Record<string, string>;
  raw: string;
}

export interface ConfigResponse {
  /** The platform manifest the config belongs to, as `<repository>@<digest>`. */
  reference: string;
  manifestDigest: string;
  /** The image ID: the config's digest. */
  digest: string;
  mediaType: string;
  size: number;
  /** The config as parsed: created, author, config (Env, Cmd, Labels …), rootfs.diff_ids, history. */
  config: ImageConfig;
}

/**
 * `catalog?registry=`: the registry's repositories (/v2/_catalog) in its order, each a path
 * (`library/demo`). `truncated` with `truncatedBy` in words when a bound was met, and then
 * `last`, the name to pass as `last=` to read on; names off the grammar are only counted.
 */
export interface CatalogResponse {
  registry: string;
  repositories: string[];
  truncated: boolean;
  truncatedBy: string | null;
  /** When truncated: resume with `last=<this>`; else null. */
  last: string | null;
  /** Names the registry listed that are not repository paths: left out, never requested. */
  invalidRepositories: number;
  /** What limited the list, each `{ code, message }`, as a repository view's notices. */
  notices: ApiErrorInfo[];
}

export type CatalogEvent =
  | { type: 'repositories'; repositories: string[] }
  | { type: 'notice'; notice: ApiErrorInfo }
  | { type: 'summary'; registry: string; truncated: boolean; truncatedBy: string | null; last: string | null; invalidRepositories: number }
  | { type: 'error'; error: ApiErrorInfo }
  | { type: 'done' };

/** One repository a registry's web API describes (Docker Hub search and namespace listings). */
export interface RepositorySummary {
  /** registry + path: `docker.io/library/alpine`. */
  repository: string;
  description: string | null;
  stars: number | null;
  /** All-time pulls, as the web API counts them. */
  pulls: number | null;
  /** ISO 8601; null where the web API does not say (its search results never do). */
  lastUpdated: string | null;
  /** A Docker Official Image (namespace `library`). */
  official: boolean;
}

/** `search?registry=docker.io&q=` or `&namespace=`: repositories in the web API's order. */
export interface SearchResponse {
  registry: string;
  /** The text searched for (with `namespace`: the name filter), else null. */
  query: string | null;
  namespace: string | null;
  repositories: RepositorySummary[];
  /** How many the web API says match in all; more than `repositories` when truncated. */
  count: number | null;
  truncated: boolean;
  /** Names the web API gave that are not repository paths: left out. */
  invalidRepositories: number;
}

// The JSON API's shapes (DESIGN.md "JSON API"): the contract between the route handlers, the
// pages' client code and anyone automating against Tagscope. Field names do not change.

export const API_ERROR_CODES = [
  'INVALID_REFERENCE',
  'INVALID_QUERY',
  'ADDRESS_NOT_ALLOWED',
  'UNAUTHORIZED',
  'DENIED',
  'NAME_UNKNOWN',
  'MANIFEST_UNKNOWN',
  'BLOB_UNKNOWN',
  'TOOMANYREQUESTS',
  'RATE_LIMITED',
  'DIGEST_MISMATCH',
  'TOO_LARGE',
  'UPSTREAM',
  'TIMEOUT',
  'UNREACHABLE',
  'INTERNAL',
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

export interface ApiErrorInfo {
  code: ApiErrorCode;
  message: string;
  details?: Record<string, unknown>;
}

export interface ApiErrorBody {
  error: ApiErrorInfo;
}

export interface ReferenceResponse {
  registry: string;
  path: string;
  repository: string;
  tag: string | null;
  digest: string | null;
  canonical: string;
  familiar: string;
}

export interface TagsResponse {
  repository: string;
  tags: string[];
  truncated: boolean;
}

export interface PlatformInfo {
  /** `linux/arm/v7`, as the index says it. */
  platform: string;
  os: string;
  architecture: string;
  variant: string | null;
  osVersion: string | null;
  /** The platform digest: sha256 of this platform's image manifest. */
  digest: string;
  mediaType: string;
  /** Bytes of the manifest itself. */
  size: number;
  /** Σ layers[].size of the platform manifest. */
  compressedSize: number | null;
  /** The image ID: digest of the image config. */
  configDigest: string | null;
  /** The config's `created`, when configs were loaded (sort=created, or a single manifest). */
  created?: string | null;
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
  mediaType: string;
  kind: GroupKind;
  size: number;
  tags: string[];
  platforms: PlatformInfo[];
  attestations: Attestation[];
  signatures: SignatureTag[];
  artifactType: string | null;
  /** The newest `created` among the platforms, when known. */
  created?: string | null;
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
}

export type RepositoryEvent =
  | { type: 'tags'; repository: string; tags: string[]; truncated: boolean }
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

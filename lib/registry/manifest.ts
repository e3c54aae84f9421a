// Reads manifest bytes into what Tagscope shows: an index with its platform entries and its
// attestation manifests kept apart, an image manifest with its config and compressed size, an
// artifact, or a legacy schema1 manifest. Pure: bytes in, typed data out.
// Sources: image-spec image-index.md, manifest.md; buildkit attestation-storage.md
// (docs/registry-protocol.md §5).

import { createHash } from 'node:crypto';
import { RegistryError } from './errors';
import { isImageConfig, isIndex, isSchema1, MediaType, baseMediaType } from './media-types';
import { formatPlatform, isUnknownPlatform, type Platform } from './platform';
import { isDigest } from './reference';
import { imageManifestSchema, indexSchema, schema1Schema, type Descriptor } from './schemas';

export type { Descriptor };

/** BuildKit's annotations on reference manifests (attestations) in an index. */
export const REFERENCE_TYPE_ANNOTATION = 'vnd.docker.reference.type';
export const REFERENCE_DIGEST_ANNOTATION = 'vnd.docker.reference.digest';
export const ATTESTATION_MANIFEST = 'attestation-manifest';

export interface PlatformEntry {
  descriptor: Descriptor;
  platform: Platform | null;
  /** `linux/arm/v7` as the index says it, or null when the entry names none. */
  platformText: string | null;
}

export interface AttestationEntry {
  descriptor: Descriptor;
  /** The image manifest it describes. */
  for: string | null;
  type: string;
}

export type ParsedManifest =
  | {
      kind: 'index';
      mediaType: string;
      manifests: PlatformEntry[];
      attestations: AttestationEntry[];
      artifactType: string | null;
      subject: Descriptor | null;
      annotations: Record<string, string>;
    }
  | {
      kind: 'image' | 'artifact';
      mediaType: string;
      config: Descriptor;
      layers: Descriptor[];
      /** Σ layers[].size, each distinct layer counted once (docs/registry-protocol.md §6.1). */
      compressedSize: number;
      artifactType: string | null;
      subject: Descriptor | null;
      annotations: Record<string, string>;
    }
  | {
      kind: 'schema1';
      mediaType: string;
      architecture: string | null;
      layers: string[];
    };

function invalidManifest(reason: string): never {
  throw new RegistryError('UPSTREAM', `the registry sent a manifest Tagscope cannot read: ${reason}`);
}

function parseJson(bytes: Uint8Array): unknown {
  try {
    return JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch {
    return invalidManifest('it is not JSON');
  }
}

/** An annotation naming a digest is used (linked, matched) only when it is one. */
function subjectDigest(value: string | undefined): string | null {
  return value !== undefined && isDigest(value) ? value : null;
}

export function compressedSize(layers: Descriptor[]): number {
  const seen = new Set<string>();
  let total = 0;
  for (const layer of layers) {
    if (seen.has(layer.digest)) continue;
    seen.add(layer.digest);
    total += layer.size;
  }
  return total;
}

/** Which media type the bytes are: the body's own field first, then Content-Type, then shape. */
export function detectMediaType(body: unknown, contentType: string | null): string {
  const record = (typeof body === 'object' && body !== null ? body : {}) as Record<string, unknown>;
  if (typeof record.mediaType === 'string' && record.mediaType.length > 0) return record.mediaType;
  const header = baseMediaType(contentType);
  if (header && header !== 'application/json' && header !== 'application/octet-stream') return header;
  if (record.schemaVersion === 1) return 'signatures' in record ? MediaType.DockerSchema1Signed : MediaType.DockerSchema1;
  if (Array.isArray(record.manifests)) return MediaType.OciIndex;
  if (typeof record.config === 'object') return MediaType.OciManifest;
  return header ?? 'application/octet-stream';
}

export function parseManifest(bytes: Uint8Array, contentType: string | null = null): ParsedManifest {
  const body = parseJson(bytes);
  const mediaType = detectMediaType(body, contentType);

  if (isSchema1(mediaType)) {
    // A signed manifest is read from its payload, the bytes its digest is computed over.
    const payload = mediaType === MediaType.DockerSchema1Signed ? schema1Payload(bytes) : null;
    const parsed = schema1Schema.safeParse(payload ? parseJson(payload) : body);
    if (!parsed.success) invalidManifest(`schema 1 manifest: ${parsed.error.issues[0]?.message}`);
    return {
      kind: 'schema1',
      mediaType,
      architecture: parsed.data.architecture ?? null,
      layers: (parsed.data.fsLayers ?? []).map((l) => l.blobSum),
    };
  }

  if (isIndex(mediaType)) {
    const parsed = indexSchema.safeParse(body);
    if (!parsed.success) invalidManifest(`index: ${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`);
    const manifests: PlatformEntry[] = [];
    const attestations: AttestationEntry[] = [];
    for (const descriptor of parsed.data.manifests) {
      const referenceType = descriptor.annotations?.[REFERENCE_TYPE_ANNOTATION];
      if (referenceType !== undefined || isUnknownPlatform(descriptor.platform)) {
        // Attestation (and other BuildKit reference) manifests are never platforms.
        attestations.push({
          descriptor,
          for: subjectDigest(descriptor.annotations?.[REFERENCE_DIGEST_ANNOTATION]),
          type: referenceType ?? 'unknown',
        });
        continue;
      }
      manifests.push({
        descriptor,
        platform: descriptor.platform ?? null,
        platformText: descriptor.platform ? formatPlatform(descriptor.platform) : null,
      });
    }
    return {
      kind: 'index',
      mediaType,
      manifests,
      attestations,
      artifactType: parsed.data.artifactType ?? null,
      subject: parsed.data.subject ?? null,
      annotations: parsed.data.annotations ?? {},
    };
  }

  const parsed = imageManifestSchema.safeParse(body);
  if (!parsed.success) invalidManifest(`${parsed.error.issues[0]?.path.join('.')} ${parsed.error.issues[0]?.message}`);
  const { config, layers } = parsed.data;
  const image = isImageConfig(config.mediaType);
  return {
    kind: image ? 'image' : 'artifact',
    mediaType,
    config,
    layers,
    compressedSize: compressedSize(layers),
    artifactType: parsed.data.artifactType ?? (image ? null : config.mediaType),
    subject: parsed.data.subject ?? null,
    annotations: parsed.data.annotations ?? {},
  };
}

export function sha256Digest(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

export function sha512Digest(bytes: Uint8Array): string {
  return `sha512:${createHash('sha512').update(bytes).digest('hex')}`;
}

/** Hashes with the algorithm the expected digest names (sha256 unless it says sha512). */
export function digestOf(bytes: Uint8Array, algorithmOf = 'sha256:'): string {
  return algorithmOf.startsWith('sha512:') ? sha512Digest(bytes) : sha256Digest(bytes);
}

const SIGNATURES_KEY = /^,\s*"signatures"\s*:\s*/;

/**
 * The JWS payload of a signed schema1 manifest — what its digest is computed over — or null
 * when the body does not follow libtrust's rule. The payload is the body cut at `formatLength`
 * plus the base64url `formatTail` from the protected header (distribution api.md "Digest
 * Header"; libtrust jsonsign.go ParsePrettySignature). That header is not verified, so it can
 * name any cut: the payload is believed only when it is exactly the body without its
 * signatures block — body = payload's head + `,"signatures": [...]` + payload's tail, every
 * signature naming the same cut, and the payload itself a JSON object with no signatures.
 * Otherwise a body could carry another image's payload and claim that image's digest while
 * showing different content.
 */
export function schema1Payload(bytes: Uint8Array): Buffer | null {
  try {
    const body = Buffer.from(bytes);
    const signatures = (JSON.parse(body.toString('utf8')) as { signatures?: unknown }).signatures;
    if (!Array.isArray(signatures) || signatures.length === 0) return null;
    let cut: { length: number; tail: string } | null = null;
    for (const signature of signatures) {
      const protectedHeader = (signature as { protected?: unknown })?.protected;
      if (typeof protectedHeader !== 'string') return null;
      const header = JSON.parse(Buffer.from(protectedHeader, 'base64url').toString('utf8')) as { formatLength?: unknown; formatTail?: unknown };
      const { formatLength, formatTail } = header;
      if (typeof formatLength !== 'number' || !Number.isInteger(formatLength) || typeof formatTail !== 'string') return null;
      if (cut && (cut.length !== formatLength || cut.tail !== formatTail)) return null;
      cut = { length: formatLength, tail: formatTail };
    }
    if (!cut || cut.length <= 0 || cut.length > body.length) return null;
    const tail = Buffer.from(cut.tail, 'base64url');
    const rest = body.subarray(cut.length).toString('utf8');
    const key = SIGNATURES_KEY.exec(rest);
    const tailText = tail.toString('utf8');
    if (!key || tail.length === 0 || !rest.endsWith(tailText)) return null;
    // Between the key and the tail stands the signatures array and nothing else.
    const block = JSON.parse(rest.slice(key[0].length, rest.length - tailText.length)) as unknown;
    if (!Array.isArray(block) || block.length !== signatures.length) return null;
    const payload = Buffer.concat([body.subarray(0, cut.length), tail]);
    const parsed = JSON.parse(payload.toString('utf8')) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || 'signatures' in parsed) return null;
    return payload;
  } catch {
    // Any part that does not parse breaks the rule: the payload is not believed.
    return null;
  }
}

/** sha256 of a signed schema1 manifest's payload, or null when libtrust's rule does not hold. */
export function schema1PayloadDigest(bytes: Uint8Array): string | null {
  const payload = schema1Payload(bytes);
  return payload ? sha256Digest(payload) : null;
}

/** The digest that identifies these manifest bytes, as a registry computes it. */
export function manifestDigest(bytes: Uint8Array, mediaType: string, algorithmOf?: string): string {
  if (mediaType === MediaType.DockerSchema1Signed) {
    const payload = schema1PayloadDigest(bytes);
    if (payload) return payload;
  }
  return digestOf(bytes, algorithmOf);
}

// Builds real image content for the test registries: tar layers, gzip'd; image configs whose
// rootfs.diff_ids are the sha256 of the uncompressed tars; Docker v2 and OCI manifests; Docker
// manifest lists and OCI indexes; BuildKit attestation manifests; cosign-style signatures.
// Deliberately independent of lib/registry: the truth the tests compare against must not come
// from the code under test.

import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';

export const MT = {
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  ociEmpty: 'application/vnd.oci.empty.v1+json',
  dockerList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  inToto: 'application/vnd.in-toto+json',
  cosignSimpleSigning: 'application/vnd.dev.cosign.simplesigning.v1+json',
} as const;

export type Format = 'docker' | 'oci';

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  platform?: PlatformSpec;
  annotations?: Record<string, string>;
}

export interface PlatformSpec {
  os: string;
  architecture: string;
  variant?: string;
}

/** A blob or manifest: its exact bytes and what they hash to. */
export interface Content {
  bytes: Buffer;
  digest: string;
  size: number;
  mediaType: string;
}

export function sha256(bytes: Buffer | string): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

export function content(bytes: Buffer | string, mediaType: string): Content {
  const buffer = Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes);
  return { bytes: buffer, digest: sha256(buffer), size: buffer.length, mediaType };
}

export function descriptor(item: Content, extra: Partial<Descriptor> = {}): Descriptor {
  return { mediaType: item.mediaType, digest: item.digest, size: item.size, ...extra };
}

/** A ustar archive of regular files, as `tar` writes it (512-byte blocks, two zero blocks). */
export function tar(files: { path: string; content: string | Buffer }[]): Buffer {
  const blocks: Buffer[] = [];
  for (const file of files) {
    const body = Buffer.isBuffer(file.content) ? file.content : Buffer.from(file.content);
    const header = Buffer.alloc(512);
    header.write(file.path, 0, 100, 'utf8');
    header.write('0000644\0', 100);
    header.write('0000000\0', 108);
    header.write('0000000\0', 116);
    header.write(`${body.length.toString(8).padStart(11, '0')}\0`, 124);
    header.write(`${(1_600_000_000).toString(8).padStart(11, '0')}\0`, 136);
    header.write('        ', 148); // checksum is computed with this field as spaces
    header.write('0', 156);
    header.write('ustar\0', 257);
    header.write('00', 263);
    let sum = 0;
    for (const byte of header) sum += byte;
    header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148);
    blocks.push(header, body, Buffer.alloc((512 - (body.length % 512)) % 512));
  }
  blocks.push(Buffer.alloc(1024));
  return Buffer.concat(blocks);
}

export interface Layer extends Content {
  diffId: string;
}

export function layer(format: Format, files: { path: string; content: string | Buffer }[], level = 6): Layer {
  const archive = tar(files);
  const gz = gzipSync(archive, { level });
  return { ...content(gz, format === 'oci' ? MT.ociLayerGzip : MT.dockerLayerGzip), diffId: sha256(archive) };
}

export interface ImageInput {
  format: Format;
  platform: PlatformSpec;
  layers: Layer[];
  created: string;
  /** One history step per layer, in order; `emptySteps` adds metadata-only steps after them. */
  steps: string[];
  emptySteps?: string[];
  labels?: Record<string, string>;
}

export interface Image {
  manifest: Content;
  config: Content;
  layers: Layer[];
  platform: PlatformSpec;
  created: string;
}

export function image(input: ImageInput): Image {
  const config = content(
    JSON.stringify({
      architecture: input.platform.architecture,
      os: input.platform.os,
      ...(input.platform.variant ? { variant: input.platform.variant } : {}),
      created: input.created,
      author: 'Tagscope test harness',
      config: {
        Env: ['PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
        Cmd: ['/bin/sh'],
        WorkingDir: '/',
        Labels: input.labels ?? {},
      },
      rootfs: { type: 'layers', diff_ids: input.layers.map((l) => l.diffId) },
      history: [
        ...input.steps.map((created_by) => ({ created: input.created, created_by })),
        ...(input.emptySteps ?? []).map((created_by) => ({ created: input.created, created_by, empty_layer: true })),
      ],
    }),
    input.format === 'oci' ? MT.ociConfig : MT.dockerConfig,
  );
  const mediaType = input.format === 'oci' ? MT.ociManifest : MT.dockerManifest;
  const manifest = content(
    JSON.stringify(
      {
        schemaVersion: 2,
        mediaType,
        config: descriptor(config),
        layers: input.layers.map((l) => descriptor(l)),
      },
      null,
      3,
    ),
    mediaType,
  );
  return { manifest, config, layers: input.layers, platform: input.platform, created: input.created };
}

export interface Attestation {
  manifest: Content;
  blobs: Content[];
  /** The image manifest it describes. */
  for: string;
}

/** A BuildKit attestation manifest (moby/buildkit docs/attestations/attestation-storage.md). */
export function attestation(subject: Image, predicates: ('provenance' | 'sbom')[]): Attestation {
  const empty = content('{}', MT.ociEmpty);
  const layers = predicates.map((kind) => {
    const predicateType = kind === 'sbom' ? 'https://spdx.dev/Document' : 'https://slsa.dev/provenance/v0.2';
    const statement = content(
      JSON.stringify({
        _type: 'https://in-toto.io/Statement/v0.1',
        predicateType,
        subject: [{ name: 'pkg:docker/demo', digest: { sha256: subject.manifest.digest.slice(7) } }],
        predicate: kind === 'sbom' ? { spdxVersion: 'SPDX-2.3', name: 'demo' } : { builder: { id: 'tagscope-test' } },
      }),
      MT.inToto,
    );
    return { blob: statement, annotation: predicateType };
  });
  const manifest = content(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MT.ociManifest,
      config: descriptor(empty),
      layers: layers.map(({ blob, annotation }) => descriptor(blob, { annotations: { 'in-toto.io/predicate-type': annotation } })),
    }),
    MT.ociManifest,
  );
  return { manifest, blobs: [empty, ...layers.map((l) => l.blob)], for: subject.manifest.digest };
}

export function index(format: Format, images: Image[], attestations: Attestation[] = [], annotations?: Record<string, string>): Content {
  const mediaType = format === 'oci' ? MT.ociIndex : MT.dockerList;
  const manifests: Descriptor[] = [
    ...images.map((img) => descriptor(img.manifest, { platform: img.platform })),
    ...attestations.map((att) =>
      descriptor(att.manifest, {
        platform: { architecture: 'unknown', os: 'unknown' },
        annotations: {
          'vnd.docker.reference.digest': att.for,
          'vnd.docker.reference.type': 'attestation-manifest',
        },
      }),
    ),
  ];
  return content(
    JSON.stringify({ schemaVersion: 2, mediaType, manifests, ...(annotations ? { annotations } : {}) }, null, 2),
    mediaType,
  );
}

/** A cosign signature: an OCI image manifest with a simplesigning layer (cosign SIGNATURE_SPEC). */
export function signature(subjectDigest: string, repository: string): { manifest: Content; blobs: Content[] } {
  const payload = content(
    JSON.stringify({
      critical: {
        identity: { 'docker-reference': repository },
        image: { 'docker-manifest-digest': subjectDigest },
        type: 'cosign container image signature',
      },
      optional: null,
    }),
    MT.cosignSimpleSigning,
  );
  const config = content(
    JSON.stringify({ architecture: '', os: '', config: {}, rootfs: { type: 'layers', diff_ids: [payload.digest] } }),
    MT.ociConfig,
  );
  const manifest = content(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: MT.ociManifest,
      config: descriptor(config),
      layers: [
        descriptor(payload, {
          annotations: { 'dev.cosignproject.cosign/signature': Buffer.from(`sig-for-${subjectDigest}`).toString('base64') },
        }),
      ],
    }),
    MT.ociManifest,
  );
  return { manifest, blobs: [config, payload] };
}

/** `sha256:abc…` → `sha256-abc….sig` (cosign's tag scheme). */
export function signatureTag(digest: string, suffix = '.sig'): string {
  return `${digest.replace(':', '-')}${suffix}`;
}

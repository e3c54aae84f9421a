// Media types as one table of constants, with the predicates the rest of the code asks.
// Sources: opencontainers/image-spec media-types.md; distribution manifest-v2-2.md;
// docs/registry-protocol.md §4.2.

export const MediaType = {
  OciIndex: 'application/vnd.oci.image.index.v1+json',
  OciManifest: 'application/vnd.oci.image.manifest.v1+json',
  OciConfig: 'application/vnd.oci.image.config.v1+json',
  OciEmpty: 'application/vnd.oci.empty.v1+json',
  OciLayer: 'application/vnd.oci.image.layer.v1.tar',
  OciLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  OciLayerZstd: 'application/vnd.oci.image.layer.v1.tar+zstd',
  DockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  DockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  DockerSchema1: 'application/vnd.docker.distribution.manifest.v1+json',
  DockerSchema1Signed: 'application/vnd.docker.distribution.manifest.v1+prettyjws',
  DockerConfig: 'application/vnd.docker.container.image.v1+json',
  DockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  DockerForeignLayerGzip: 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
  InToto: 'application/vnd.in-toto+json',
  CosignSimpleSigning: 'application/vnd.dev.cosign.simplesigning.v1+json',
} as const;

export type KnownMediaType = (typeof MediaType)[keyof typeof MediaType];

/**
 * One Accept list for HEAD and GET alike: a registry that sees different lists may answer
 * HEAD and GET with different digests (§4.3). Index types first; schema1 last, so legacy
 * images are shown rather than refused.
 */
export const MANIFEST_ACCEPT = [
  MediaType.OciIndex,
  MediaType.DockerManifestList,
  MediaType.OciManifest,
  MediaType.DockerManifest,
  `${MediaType.DockerSchema1Signed};q=0.5`,
  `${MediaType.DockerSchema1};q=0.5`,
].join(', ');

/** Strips parameters (`; charset=utf-8`) and case, as the spec tells clients to. */
export function baseMediaType(contentType: string | null | undefined): string | null {
  if (!contentType) return null;
  const base = contentType.split(';')[0]!.trim().toLowerCase();
  return base.length > 0 ? base : null;
}

export function isIndex(mediaType: string | null | undefined): boolean {
  return mediaType === MediaType.OciIndex || mediaType === MediaType.DockerManifestList;
}

export function isImageManifest(mediaType: string | null | undefined): boolean {
  return mediaType === MediaType.OciManifest || mediaType === MediaType.DockerManifest;
}

export function isSchema1(mediaType: string | null | undefined): boolean {
  return mediaType === MediaType.DockerSchema1 || mediaType === MediaType.DockerSchema1Signed;
}

export function isManifest(mediaType: string | null | undefined): boolean {
  return isIndex(mediaType) || isImageManifest(mediaType) || isSchema1(mediaType);
}

export function isImageConfig(mediaType: string | null | undefined): boolean {
  return mediaType === MediaType.OciConfig || mediaType === MediaType.DockerConfig;
}

export function isDockerMediaType(mediaType: string | null | undefined): boolean {
  return !!mediaType && mediaType.startsWith('application/vnd.docker.');
}

/** What a person calls it: "OCI index", "Docker manifest list", … */
export function describeMediaType(mediaType: string | null | undefined): string {
  switch (mediaType) {
    case MediaType.OciIndex:
      return 'OCI index';
    case MediaType.DockerManifestList:
      return 'Docker manifest list';
    case MediaType.OciManifest:
      return 'OCI manifest';
    case MediaType.DockerManifest:
      return 'Docker manifest (v2 schema 2)';
    case MediaType.DockerSchema1:
    case MediaType.DockerSchema1Signed:
      return 'Docker schema 1 (legacy)';
    case MediaType.OciConfig:
    case MediaType.DockerConfig:
      return 'image config';
    default:
      return mediaType ?? 'unknown';
  }
}

// What a digest is, resolved the way `docker pull` resolves it but for every platform: an
// index walked to its platform images (nested indexes followed, attestations kept apart), a
// single manifest with its platform read from its config, an artifact, or a legacy schema 1
// manifest. The one implementation of "digest → platform table", for the registry client's
// `resolve` (scripts, `npm run inspect`) and the app's groups (lib/data/repository.ts); the
// caller says how manifests and configs are fetched — straight from the registry, or through
// a cache.

import { RegistryError } from './errors';
import type { ImageConfig } from './image-config';
import { platformFromConfig } from './image-config';
import { platformRow, walkIndex, type FetchedChild, type ResolvedPlatform } from './index-walk';
import { isIndex } from './media-types';
import type { Descriptor } from './schemas';

export interface ImageSource {
  /** A manifest by digest, verified. */
  manifest(digest: string): Promise<FetchedChild>;
  /** An image config by its descriptor, verified. */
  config(descriptor: Descriptor): Promise<ImageConfig>;
}

export interface ResolveOptions {
  /** Read every platform's config for its `created` date (a single manifest's always is). */
  withCreated?: boolean;
  /** The caller's cancellation or budget: its end stops the walk instead of becoming a problem. */
  signal?: AbortSignal;
  /**
   * Told of an index as soon as it is read, before its platform manifests are: the platforms as
   * its entries name them (digest, platform, media type, size), without compressed size or image
   * ID yet — so a page can show the group one round trip sooner.
   */
  onIndex?: (preview: ResolvedImage) => void;
}

export interface ResolvedImage {
  digest: string;
  mediaType: string;
  size: number;
  kind: 'index' | 'manifest' | 'artifact' | 'schema1';
  artifactType: string | null;
  platforms: (ResolvedPlatform & { created?: string | null })[];
  attestations: { digest: string; for: string | null; type: string }[];
  /** What could not be read, each naming the manifest or config it concerns; the rest stands. */
  errors: { digest: string; error: RegistryError }[];
  /** The newest `created` of the platforms, when their configs were read. */
  created?: string | null;
}

/** Newest of ISO dates, ignoring missing ones. */
function newest(dates: (string | null | undefined)[]): string | null {
  return dates.filter((d): d is string => typeof d === 'string' && d.length > 0).sort().at(-1) ?? null;
}

const cancelled = (error: unknown, signal: AbortSignal | undefined) => signal?.aborted === true && error === signal.reason;

/** Resolves the manifest `top` (already fetched, by tag or digest) into its platform table. */
export async function resolveImage(top: FetchedChild, source: ImageSource, options: ResolveOptions = {}): Promise<ResolvedImage> {
  const m = top.manifest;
  const result: ResolvedImage = {
    digest: top.digest,
    mediaType: top.mediaType,
    size: top.size,
    kind: m.kind === 'image' ? 'manifest' : m.kind,
    artifactType: m.kind === 'schema1' ? null : m.artifactType,
    platforms: [],
    attestations: [],
    errors: [],
  };
  if (m.kind === 'index') {
    if (options.onIndex) {
      const platforms = m.manifests
        .filter((entry) => !isIndex(entry.descriptor.mediaType))
        .map((entry) => ({
          platform: entry.platformText ?? 'unknown',
          os: entry.platform?.os ?? 'unknown',
          architecture: entry.platform?.architecture ?? 'unknown',
          variant: entry.platform?.variant ?? null,
          osVersion: entry.platform?.['os.version'] ?? null,
          digest: entry.descriptor.digest,
          mediaType: entry.descriptor.mediaType,
          size: entry.descriptor.size,
          compressedSize: null,
          configDigest: null,
        }));
      const attestations = m.attestations.map((a) => ({ digest: a.descriptor.digest, for: a.for, type: a.type }));
      options.onIndex({ ...result, platforms, attestations });
    }
    const walk = await walkIndex(m, top.digest, (digest) => source.manifest(digest), { signal: options.signal });
    result.platforms.push(...walk.images.map((image) => image.row));
    result.attestations.push(...walk.attestations);
    result.errors.push(...walk.problems);
    if (options.withCreated) {
      // Configs are read only when dates are wanted: they are not part of the request floor.
      await Promise.all(
        walk.images.map(async ({ row, manifest }, i) => {
          if (manifest.kind !== 'image') return;
          try {
            result.platforms[i] = { ...row, created: (await source.config(manifest.config)).created ?? null };
          } catch (error) {
            if (!(error instanceof RegistryError) || cancelled(error, options.signal)) throw error;
            result.platforms[i] = { ...row, created: null };
            result.errors.push({ digest: manifest.config.digest, error: new RegistryError(error.code, `image config of ${row.platform}: ${error.message}`, error.details) });
          }
        }),
      );
      result.created = newest(result.platforms.map((p) => p.created));
    }
  } else if (m.kind === 'image') {
    // A config that cannot be read leaves the platform unknown, said in `errors`; the image stands.
    try {
      const config = await source.config(m.config);
      result.platforms.push({ ...platformRow(top.digest, top.mediaType, top.size, m, platformFromConfig(config)), created: config.created ?? null });
    } catch (error) {
      if (!(error instanceof RegistryError) || cancelled(error, options.signal)) throw error;
      result.errors.push({ digest: m.config.digest, error: new RegistryError(error.code, `image config ${m.config.digest}: ${error.message}`, error.details) });
      result.platforms.push(platformRow(top.digest, top.mediaType, top.size, m, null));
    }
    result.created = newest(result.platforms.map((p) => p.created));
  } else if (m.kind === 'schema1') {
    // Schema 1 names its architecture, and was Linux-only; it has no config digest (image ID).
    result.platforms.push({
      platform: `linux/${m.architecture ?? 'unknown'}`,
      os: 'linux',
      architecture: m.architecture ?? 'unknown',
      variant: null,
      osVersion: null,
      digest: top.digest,
      mediaType: top.mediaType,
      size: top.size,
      compressedSize: null,
      configDigest: null,
    });
  }
  return result;
}

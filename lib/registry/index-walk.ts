// Walks an index to its platform images: nested indexes followed to a bounded depth, each
// manifest fetched once (a visited set), attestation manifests kept apart, and a child that
// cannot be fetched reported without failing the rest. The caller decides how children are
// fetched (straight from the registry, or through a cache).

import { RegistryError } from './errors';
import { LIMITS } from './limits';
import type { ParsedManifest } from './manifest';
import { formatPlatform, type Platform } from './platform';

type IndexManifest = Extract<ParsedManifest, { kind: 'index' }>;
export type ImageManifest = Extract<ParsedManifest, { kind: 'image' | 'artifact' }>;

/** One platform image of a resolved reference (the API's PlatformInfo). */
export interface ResolvedPlatform {
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
}

export interface FetchedChild {
  digest: string;
  mediaType: string;
  size: number;
  manifest: ParsedManifest;
}

export interface IndexWalk {
  /** Every platform image, in index order (a nested index's images where it stands). */
  images: { row: ResolvedPlatform; manifest: ImageManifest }[];
  attestations: { digest: string; for: string | null; type: string }[];
  /** What could not be read, each naming the manifest it concerns. */
  problems: { digest: string; error: RegistryError }[];
}

export function platformRow(digest: string, mediaType: string, size: number, manifest: ImageManifest, platform: Platform | null): ResolvedPlatform {
  return {
    platform: platform ? formatPlatform(platform) : 'unknown',
    os: platform?.os ?? 'unknown',
    architecture: platform?.architecture ?? 'unknown',
    variant: platform?.variant ?? null,
    osVersion: platform?.['os.version'] ?? null,
    digest,
    mediaType,
    size,
    compressedSize: manifest.compressedSize,
    configDigest: manifest.config.digest,
  };
}

export async function walkIndex(
  root: IndexManifest,
  rootDigest: string,
  fetchChild: (digest: string) => Promise<FetchedChild>,
  options: { maxManifests?: number; signal?: AbortSignal } = {},
): Promise<IndexWalk> {
  const maxManifests = options.maxManifests ?? LIMITS.groupManifests;
  const walk: IndexWalk = { images: [], attestations: [], problems: [] };
  const visited = new Set([rootDigest]);
  // Fan-out is bounded for the whole walk, not per index: 64 indexes of 64 would be 4,160 GETs.
  let fetches = 0;
  let overBudget = false;
  const visit = async (index: IndexManifest, digest: string, depth: number): Promise<void> => {
    walk.attestations.push(...index.attestations.map((a) => ({ digest: a.descriptor.digest, for: a.for, type: a.type })));
    const entries = index.manifests.slice(0, LIMITS.indexEntries);
    if (index.manifests.length > entries.length) {
      walk.problems.push({ digest, error: new RegistryError('TOO_LARGE', `the index lists ${index.manifests.length} manifests; only the first ${entries.length} were read`) });
    }
    const children = await Promise.all(
      entries.map(async (entry) => {
        if (visited.has(entry.descriptor.digest)) return null;
        visited.add(entry.descriptor.digest);
        if (fetches >= maxManifests) {
          if (!overBudget) {
            overBudget = true;
            walk.problems.push({ digest, error: new RegistryError('TOO_LARGE', `the index names more than ${maxManifests} manifests, nested indexes included; only ${maxManifests} were read`, { limit: maxManifests }) });
          }
          return null;
        }
        fetches++;
        try {
          return { entry, child: await fetchChild(entry.descriptor.digest) };
        } catch (error) {
          // The caller's work was cancelled or ran out of budget: not this child's problem.
          if (!(error instanceof RegistryError) || (options.signal?.aborted && error === options.signal.reason)) throw error;
          const what = entry.platformText ? `platform ${entry.platformText}` : `manifest ${entry.descriptor.digest}`;
          walk.problems.push({ digest: entry.descriptor.digest, error: new RegistryError(error.code, `${what}: ${error.message}`, error.details) });
          return null;
        }
      }),
    );
    for (const item of children) {
      if (!item) continue;
      const { entry, child } = item;
      if (child.manifest.kind === 'index') {
        if (depth >= LIMITS.indexDepth) {
          walk.problems.push({ digest: child.digest, error: new RegistryError('TOO_LARGE', `indexes nested deeper than ${LIMITS.indexDepth} levels are not followed`) });
        } else {
          await visit(child.manifest, child.digest, depth + 1);
        }
      } else if (child.manifest.kind === 'image' || child.manifest.kind === 'artifact') {
        walk.images.push({ row: platformRow(child.digest, child.mediaType, child.size, child.manifest, entry.platform), manifest: child.manifest });
      }
    }
  };
  await visit(root, rootDigest, 1);
  return walk;
}

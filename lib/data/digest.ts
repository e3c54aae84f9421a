import 'server-only';
// "What is this digest?" in a repository: an index, a platform manifest, an attestation, an
// image config (an image ID) or a layer — and which tags lead to it. Content digests that are
// not manifests are found through the cached repository view and its platform manifests,
// within a lookup budget (LIMITS.lookupManifests GETs, LIMITS.lookupDeadlineMs): a digest
// that is nowhere must not cost a whole view of a huge repository.

import type { Group } from '../api/types';
import { getRegistryService } from './service';
import { Budget, LIMITS, type Reference } from '../registry';
import { getRepository } from './repository';

export type DigestRole = 'config' | 'layer' | 'attestation';

export interface DigestUse {
  tags: string[];
  indexDigest: string;
  platform: string | null;
  platformDigest: string;
}

export interface BlobLocation {
  digest: string;
  role: DigestRole;
  mediaType: string | null;
  size: number | null;
  usedBy: DigestUse[];
  /** For a layer: its diff_id (the uncompressed digest), when the config says. */
  diffId: string | null;
  /** When the search stopped at its budget: what was left unsearched, in words. */
  incomplete: string | null;
}

const usage = (group: Group, platform: Group['platforms'][number] | null): DigestUse => ({
  tags: group.tags,
  indexDigest: group.digest,
  platform: platform?.platform ?? null,
  platformDigest: platform?.digest ?? group.digest,
});

/** Finds a digest that is not a manifest among the configs and layers of the repository. */
export async function locateBlob(reference: Reference, digest: string): Promise<BlobLocation | null> {
  const service = getRegistryService();
  const view = await getRepository(reference, { budget: { fetches: LIMITS.lookupManifests, deadlineMs: LIMITS.lookupDeadlineMs } });
  const { groups, notices } = await view.run();
  const incomplete = notices.length > 0 ? notices.map((n) => n.message).join(' ') : null;
  // The layer search below reads platform manifests the view has cached; a budget bounds the rest.
  // A view cut at its budget has spent the search's GETs: the rest is read from the cache only.
  const budget = new Budget({ fetches: incomplete ? 0 : LIMITS.lookupManifests, deadlineMs: LIMITS.lookupDeadlineMs, what: `the search for ${digest}` });

  const configs = groups.flatMap((g) => g.platforms.filter((p) => p.configDigest === digest).map((p) => ({ group: g, platform: p })));
  const attestations = groups.flatMap((g) => g.attestations.filter((a) => a.digest === digest).map(() => g));
  if (attestations.length > 0) {
    return { digest, role: 'attestation', mediaType: null, size: null, usedBy: attestations.map((g) => usage(g, null)), diffId: null, incomplete };
  }

  // An image ID: its descriptor is in any one manifest that names it; no other GET is needed.
  if (configs.length > 0) {
    // A failed GET leaves the media type and size unknown ("—"); the use is still shown.
    const first = await service.manifest(reference, configs[0]!.platform.digest, { budget }).catch(() => null);
    const config = first && (first.manifest.kind === 'image' || first.manifest.kind === 'artifact') ? first.manifest.config : null;
    return { digest, role: 'config', mediaType: config?.mediaType ?? null, size: config?.size ?? null, usedBy: configs.map(({ group, platform }) => usage(group, platform)), diffId: null, incomplete };
  }

  // A layer: look in every platform manifest (cached by the view above), in parallel.
  const platforms = groups.flatMap((g) => g.platforms.map((p) => ({ group: g, platform: p }))).slice(0, LIMITS.indexEntries * 4);
  // A manifest that cannot be read (or is past the budget) is one place the layer is not found.
  const manifests = await Promise.all(platforms.map(({ platform }) => service.manifest(reference, platform.digest, { budget }).catch(() => null)));
  const usedBy: DigestUse[] = [];
  let descriptor: { mediaType: string; size: number } | null = null;
  let diffId: string | null = null;
  for (const [i, { group, platform }] of platforms.entries()) {
    const manifest = manifests[i];
    if (!manifest || (manifest.manifest.kind !== 'image' && manifest.manifest.kind !== 'artifact')) continue;
    const index = manifest.manifest.layers.findIndex((l) => l.digest === digest);
    if (index === -1) continue;
    const layer = manifest.manifest.layers[index]!;
    descriptor ??= { mediaType: layer.mediaType, size: layer.size };
    if (diffId === null && manifest.manifest.kind === 'image') {
      // A config that cannot be read leaves the layer's diff_id unknown ("—"); the layer still shows.
      const config = await service.config(reference, manifest.manifest.config, { budget }).catch(() => null);
      diffId = config?.rootfs?.diff_ids[index] ?? null;
    }
    usedBy.push(usage(group, platform));
  }
  budget.done();
  const searched = [incomplete, budget.cut?.message].filter(Boolean).join(' ') || null;
  if (usedBy.length > 0) return { digest, role: 'layer', mediaType: descriptor?.mediaType ?? null, size: descriptor?.size ?? null, usedBy, diffId, incomplete: searched };
  return null;
}

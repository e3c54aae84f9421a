import 'server-only';
// Are two references the same image — two tags, or one image in two registries (a mirror)?
// Compared level by level, strongest first (docs/registry-protocol.md §6): the same index digest;
// per platform (matched after normalization) the same platform digest (same bytes), the same
// image ID (same config: survives Docker↔OCI conversion and recompression), the same diff_ids
// (same filesystem), the same compressed layers. And why they differ when they do.

import type { PlatformInfo } from '../api/types';
import { getRegistryService, type RegistryService } from './service';
import { DEFAULT_TAG, isDockerMediaType, platformKey, platformOfRow, type Reference } from '../registry';
import { resolveGroup } from './repository';

export type Verdict = 'identical' | 'same-image' | 'same-filesystem' | 'different';

export interface CompareSide {
  reference: string;
  digest: string;
  mediaType: string | null;
}

export interface PlatformComparison {
  platform: string;
  a: PlatformInfo | null;
  b: PlatformInfo | null;
  samePlatformDigest: boolean;
  sameImageId: boolean;
  sameDiffIds: boolean;
  sameCompressedLayers: boolean;
  reason: string;
}

export interface CompareResponse {
  a: CompareSide;
  b: CompareSide;
  sameIndexDigest: boolean;
  platforms: PlatformComparison[];
  verdict: Verdict;
  reason: string;
}

const keyOf = (p: PlatformInfo) => platformKey(platformOfRow(p));

async function side(service: RegistryService, reference: Reference) {
  const digest = reference.digest ?? (await service.resolveTag(reference, reference.tag ?? DEFAULT_TAG)).digest;
  const { group } = await resolveGroup(service, reference, digest);
  return { reference, group };
}

/** Layer digests and diff_ids of one platform image. */
async function layersOf(service: RegistryService, reference: Reference, platform: PlatformInfo) {
  const manifest = await service.manifest(reference, platform.digest);
  if (manifest.manifest.kind !== 'image') return { layers: [] as string[], diffIds: [] as string[] };
  const config = await service.config(reference, manifest.manifest.config);
  return { layers: manifest.manifest.layers.map((l) => l.digest), diffIds: config.rootfs?.diff_ids ?? [] };
}

const same = (x: string[], y: string[]) => x.length === y.length && x.every((v, i) => v === y[i]);

function platformReason(c: Omit<PlatformComparison, 'reason'>): string {
  const { a, b } = c;
  if (!a) return 'only in b';
  if (!b) return 'only in a';
  if (c.samePlatformDigest) return 'the same manifest bytes';
  const mediaTypes = isDockerMediaType(a.mediaType) !== isDockerMediaType(b.mediaType) ? 'Docker v2 vs OCI media types' : null;
  if (c.sameImageId) {
    if (mediaTypes) return `the same config and filesystem; the manifests differ in ${mediaTypes}${c.sameCompressedLayers ? '' : ', and the layers were recompressed'}`;
    if (!c.sameCompressedLayers) return 'the same config and filesystem; the layers were recompressed (other compressed digests, same diff_ids)';
    return 'the same config and layers; the manifest JSON is encoded differently';
  }
  if (c.sameDiffIds) return `the same filesystem; the config differs (created date, labels, history or settings): a rebuild${c.sameCompressedLayers ? '' : ', with recompressed layers'}`;
  return 'a different build: the filesystem layers differ';
}

export async function compareImages(ra: Reference, rb: Reference, service = getRegistryService()): Promise<CompareResponse> {
  const [a, b] = await Promise.all([side(service, ra), side(service, rb)]);

  const keys: string[] = [];
  const byKey = (platforms: PlatformInfo[]) => new Map(platforms.map((p) => [keyOf(p), p]));
  const pa = byKey(a.group.platforms);
  const pb = byKey(b.group.platforms);
  for (const key of [...pa.keys(), ...pb.keys()]) if (!keys.includes(key)) keys.push(key);

  const platforms = await Promise.all(
    keys.map(async (key): Promise<PlatformComparison> => {
      const x = pa.get(key) ?? null;
      const y = pb.get(key) ?? null;
      let sameDiffIds = false;
      let sameCompressedLayers = false;
      if (x && y) {
        const [lx, ly] = await Promise.all([layersOf(service, a.reference, x), layersOf(service, b.reference, y)]);
        sameDiffIds = lx.diffIds.length > 0 && same(lx.diffIds, ly.diffIds);
        sameCompressedLayers = lx.layers.length > 0 && same(lx.layers, ly.layers);
      }
      const comparison = {
        platform: (x ?? y)!.platform,
        a: x,
        b: y,
        samePlatformDigest: !!x && !!y && x.digest === y.digest,
        sameImageId: !!x && !!y && x.configDigest !== null && x.configDigest === y.configDigest,
        sameDiffIds,
        sameCompressedLayers,
      };
      return { ...comparison, reason: platformReason(comparison) };
    }),
  );

  const sameIndexDigest = a.group.digest === b.group.digest;
  const common = platforms.filter((p) => p.a && p.b);
  const onlyOne = platforms.filter((p) => !p.a || !p.b).map((p) => `${p.platform} (${p.a ? 'only in a' : 'only in b'})`);
  let verdict: Verdict;
  let reason: string;
  if (sameIndexDigest) {
    verdict = 'identical';
    reason = 'both references point at the same index digest: the very same bytes';
  } else if (common.length === 0) {
    verdict = 'different';
    reason = 'they have no platform in common';
  } else if (common.every((p) => p.samePlatformDigest)) {
    verdict = 'identical';
    reason = 'every platform image is byte-identical; only the index differs (attestations added or removed, entries reordered, or another list format)';
  } else if (common.every((p) => p.sameImageId)) {
    verdict = 'same-image';
    reason = `every platform has the same image ID; ${common.find((p) => !p.samePlatformDigest)!.reason}`;
  } else if (common.every((p) => p.sameDiffIds)) {
    verdict = 'same-filesystem';
    reason = `every platform has the same layers (diff_ids) but ${common.find((p) => !p.sameImageId)!.reason.replace(/^the same filesystem; /, '')}`;
  } else {
    verdict = 'different';
    reason = common.find((p) => !p.sameDiffIds)!.reason;
  }
  if (onlyOne.length > 0 && !sameIndexDigest) reason += `; not in both: ${onlyOne.join(', ')}`;

  return {
    a: { reference: ra!.canonical, digest: a.group.digest, mediaType: a.group.mediaType },
    b: { reference: rb!.canonical, digest: b.group.digest, mediaType: b.group.mediaType },
    sameIndexDigest,
    platforms,
    verdict,
    reason,
  };
}

import 'server-only';
// The permalink views: one tag, one digest, or a tag pinned to a digest. Each is the group the
// reference names (its platforms, attestations) plus the tags that point at it.

import { toApiError } from './api/errors';
import type { ApiErrorInfo, Group } from './api/types';
import { getRegistryService } from './registry-service';
import { DEFAULT_TAG, type Reference } from './registry';
import { openRepositoryView, resolveGroup } from './repository-view';

export interface ImageView {
  reference: Reference;
  group: Group;
  problems: ApiErrorInfo[];
  /** For a pinned reference: where its tag points now (null when the tag is gone). */
  pinned: { tag: string; current: string | null; stillPoints: boolean } | null;
}

export async function getImageView(reference: Reference): Promise<ImageView> {
  const service = getRegistryService();
  let digest = reference.digest;
  if (digest === null) digest = (await service.resolveTag(reference, reference.tag ?? DEFAULT_TAG)).digest;
  const { group, problems } = await resolveGroup(service, reference, digest);
  let pinned: ImageView['pinned'] = null;
  if (reference.tag !== null && reference.digest !== null) {
    try {
      const current = (await service.resolveTag(reference, reference.tag)).digest;
      pinned = { tag: reference.tag, current, stillPoints: current === reference.digest };
    } catch (error) {
      if (toApiError(error).code !== 'MANIFEST_UNKNOWN') throw error;
      pinned = { tag: reference.tag, current: null, stillPoints: false };
    }
  }
  return { reference, group, problems: problems.map((p) => toApiError(p).toJSON()), pinned };
}

export interface DigestOwners {
  /** Tags pointing at the digest itself. */
  direct: string[];
  /** Tags pointing at an index that contains it, with that index's digest. */
  viaIndex: { tags: string[]; index: string; platform: string }[];
}

/** Which tags point at a digest, directly or through an index (uses the cached repository view). */
export async function findTagsFor(reference: Reference, digest: string): Promise<DigestOwners> {
  const view = await openRepositoryView(reference);
  const { groups } = await view.run();
  const direct = groups.find((g) => g.digest === digest)?.tags ?? [];
  const viaIndex = groups.flatMap((g) =>
    g.digest === digest ? [] : g.platforms.filter((p) => p.digest === digest).map((p) => ({ tags: g.tags, index: g.digest, platform: p.platform })),
  );
  return { direct, viaIndex };
}

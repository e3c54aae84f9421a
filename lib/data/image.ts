import 'server-only';
// The permalink pages' data: one tag (getTag), one digest (getDigest), or a tag pinned to a
// digest. Each is the group the reference names (its platforms, attestations), the exact
// manifest, the config of a single image, and — arriving later, as a promise the page renders
// when it resolves — the tags that point at it. A digest that is no manifest is looked up as a
// config or layer of the repository (lib/data/digest.ts).

import { toApiError } from '../api/errors';
import type { ApiErrorInfo, Attestation, Group, ManifestResponse } from '../api/types';
import { groupOf, undescribedGroup } from './listing';
import { getRegistryService, type RegistryService, type TagTarget } from './service';
import { Budget, DEFAULT_TAG, formatPlatform, isIndex, LIMITS, parseSignatureTag, platformOfRow, type Descriptor, type ImageConfig, type Reference } from '../registry';
import { resolveGroup } from './repository';
import { compareVersions } from '../common/tag-order';
import { locateBlob, type BlobLocation } from './digest';
import { manifestResponse } from './manifest';

export interface ImageView {
  reference: Reference;
  group: Group;
  problems: ApiErrorInfo[];
  /** For a pinned reference: where its tag points now (null when the tag is gone). */
  pinned: { tag: string; current: string | null; stillPoints: boolean } | null;
  /**
   * The exact bytes of the manifest the reference names, as the manifest API gives them; null
   * on a host where reading it is a pull (Docker Hub) until someone asks (`pull`).
   */
  manifest: ManifestResponse | null;
  /** For a single image manifest: its config and layers. */
  image: { config: ImageConfig | null; configDescriptor: Descriptor; layers: Descriptor[] } | null;
}

/**
 * On a host with a web API (Docker Hub), a page spends no pull unless asked: the digest from a
 * HEAD (free — the registry is the truth), the group as the web API describes it, and a
 * difference between the two flagged with the registry winning.
 */
async function describedView(reference: Reference, service: RegistryService): Promise<ImageView> {
  const head = reference.digest ? null : await service.resolveTag(reference, reference.tag ?? DEFAULT_TAG);
  const digest = reference.digest ?? head!.digest;
  const problems: ApiErrorInfo[] = [];
  let described: Group | null = null;
  // The web API's word is a nicety here: a failure leaves the group undescribed, said below.
  const listed = await service.webTags(reference, 'last_updated').catch(() => null);
  if (reference.tag !== null) {
    const tag = listed?.tags.find((t) => t.name === reference.tag) ?? (await service.webTag(reference, reference.tag).catch(() => null));
    if (tag?.digest && tag.digest !== digest) {
      problems.push({
        code: 'DIGEST_MISMATCH',
        message: `${reference.registry}'s web API says ${reference.tag} is ${tag.digest}, but the registry answers ${digest}; the registry's answer is shown.`,
        details: { expected: digest, actual: tag.digest },
      });
    } else if (tag) {
      described = groupOf(tag, digest); // a legacy tag without digest: joined to the HEAD's
    }
  } else {
    const tag = listed?.tags.find((t) => t.digest === digest);
    described = tag ? groupOf(tag, digest) : null;
  }
  // Not described: a HEAD by digest (free) says whether it is a manifest at all; a 404 sends
  // the page to the blob lookup, as a GET's would.
  const checked = described || head ? null : await service.client.headManifest(reference, digest);
  const group = described ?? undescribedGroup(digest, head?.mediaType ?? checked?.mediaType ?? null, head?.size ?? checked?.size ?? null);
  return { reference, group, problems, pinned: await pinnedStatus(reference, service), manifest: null, image: null };
}

async function pinnedStatus(reference: Reference, service: RegistryService): Promise<ImageView['pinned']> {
  if (reference.tag === null || reference.digest === null) return null;
  try {
    const current = (await service.resolveTag(reference, reference.tag)).digest;
    return { tag: reference.tag, current, stillPoints: current === reference.digest };
  } catch (error) {
    if (toApiError(error).code !== 'MANIFEST_UNKNOWN') throw error;
    return { tag: reference.tag, current: null, stillPoints: false };
  }
}

async function imageView(reference: Reference, pull: boolean): Promise<ImageView> {
  const service = getRegistryService();
  if (service.webApi(reference) && !pull) return describedView(reference, service);
  // By tag: the cached HEAD gives the digest, the manifest is then fetched (once) by digest,
  // so its bytes are verified against it and a page view costs no pull on Docker Hub.
  const digest = reference.digest ?? (await service.resolveTag(reference, reference.tag ?? DEFAULT_TAG)).digest;
  const fetched = { ...(await service.manifest(reference, digest)), verified: true };
  const { group, problems } = await resolveGroup(service, reference, digest);
  const m = fetched.manifest;
  const image =
    m.kind === 'image' || m.kind === 'artifact'
      ? {
          // A config that cannot be read leaves the config section out; the manifest still shows.
          config: m.kind === 'image' ? await service.config(reference, m.config).catch(() => null) : null,
          configDescriptor: m.config,
          layers: m.layers,
        }
      : null;
  const manifest = manifestResponse(reference.canonical, fetched);
  return { reference, group, problems: problems.map((p) => toApiError(p).toJSON()), pinned: await pinnedStatus(reference, service), manifest, image };
}

/** An index that holds the digest as one of its platforms, and the tags that point at it. */
export interface IndexOwner {
  tags: string[];
  index: string;
  platform: string;
  /** Attestation manifests the index holds for the digest (BuildKit's provenance, SBOM). */
  attestations: Attestation[];
  /** Signature tags naming the index (cosign's tag scheme). */
  signatures: string[];
}

export interface DigestOwners {
  /** Tags pointing at the digest itself. */
  direct: string[];
  /** Indexes that contain it, with the tags pointing at each. */
  viaIndex: IndexOwner[];
  /**
   * Signature tags naming the digest or, for an index, one of its platforms: the tags the
   * repository view attaches to its group as `signatures` (docs/registry-protocol.md §5.5).
   */
  signatures: string[];
  /** When the search stopped at its budget (time, GETs), what was left out, in words. */
  incomplete: string | null;
}

export interface OwnerSearch {
  /**
   * Look inside the indexes even when tags name the digest directly: it is an image manifest
   * asked for by digest, which may be a platform of indexes as well as tagged on its own.
   */
  throughIndexes?: boolean;
  /** The digest's own platforms (an index's): a signature naming one of them signs it too. */
  platforms?: string[];
}

/**
 * Which tags lead to a digest: tags pointing at it, tags pointing at an index that contains it,
 * and the signature tags naming it. Frugal, because a GET is a pull on Docker Hub: one (cached)
 * HEAD per tag finds the direct aliases; indexes are read only when no tag names the digest or
 * `throughIndexes` asks, and then only the tag targets the HEADs say are indexes, each GET once
 * (cached) and its entries read — children are not fetched. Signature tags cost nothing more:
 * they name their subject.
 */
export async function findTagsFor(reference: Reference, digest: string, search: OwnerSearch = {}): Promise<DigestOwners> {
  const service = getRegistryService();
  const budget = new Budget({ fetches: LIMITS.lookupManifests, deadlineMs: LIMITS.lookupDeadlineMs, what: 'the search for the tags that lead here' });
  try {
    const list = await service.listTags(reference, { budget });
    const subjects = new Set([digest, ...(search.platforms ?? [])]);
    const signaturesOf = (subject: string) => list.tags.filter((tag) => parseSignatureTag(tag)?.subject === subject);
    const tags = list.tags.filter((tag) => parseSignatureTag(tag) === null);
    const signatures = list.tags.filter((tag) => subjects.has(parseSignatureTag(tag)?.subject ?? ''));
    // A tag that cannot be resolved (or is past the budget) is one that does not lead here.
    const targets = await Promise.all(tags.map((tag, i) => service.resolveTag(reference, tag, { priority: i, budget }).catch(() => null)));
    const direct = tags.filter((_, i) => targets[i]?.digest === digest);
    if (direct.length > 0 && !search.throughIndexes) return { direct, viaIndex: [], signatures, incomplete: incompleteness(budget, targets) };
    const byIndex = new Map<string, string[]>();
    targets.forEach((target, i) => {
      // A target the HEAD says is no index cannot hold the digest: no GET for it.
      if (!target || target.digest === digest || (target.mediaType !== null && !isIndex(target.mediaType))) return;
      byIndex.set(target.digest, [...(byIndex.get(target.digest) ?? []), tags[i]!]);
    });
    // Where a GET is a pull (a host with a web API), an index's entries are read from the web
    // API's description of it instead of the index itself; it does not say which platform an
    // attestation is for. A description that cannot be read finds nothing, like an index that
    // cannot be read.
    const described = service.webApi(reference) ? await service.webTags(reference, 'last_updated', { budget }).catch(() => null) : null;
    const entriesIn = async (index: string): Promise<{ platform: string; attestations: Attestation[] }[]> => {
      if (service.webApi(reference)) {
        const images = described?.tags.find((tag) => tag.digest === index)?.images ?? [];
        return images.filter((image) => image.digest === digest).map((image) => ({ platform: formatPlatform(platformOfRow(image)), attestations: [] }));
      }
      const stored = await service.manifest(reference, index, { budget }).catch(() => null);
      if (stored?.manifest.kind !== 'index') return [];
      const attestations = stored.manifest.attestations
        .filter((entry) => entry.for === digest)
        .map((entry) => ({ digest: entry.descriptor.digest, for: entry.for, type: entry.type }));
      return stored.manifest.manifests
        .filter((entry) => entry.descriptor.digest === digest)
        .map((entry) => ({ platform: entry.platformText ?? 'unknown', attestations }));
    };
    const viaIndex: IndexOwner[] = [];
    await Promise.all(
      [...byIndex].map(async ([index, indexTags]) => {
        for (const { platform, attestations } of await entriesIn(index)) {
          viaIndex.push({ tags: indexTags.sort(compareVersions), index, platform, attestations, signatures: signaturesOf(index) });
        }
      }),
    );
    // Newest first, by each index's highest version tag.
    viaIndex.sort((a, b) => compareVersions(b.tags.at(-1)!, a.tags.at(-1)!));
    return { direct, viaIndex, signatures, incomplete: incompleteness(budget, targets) };
  } finally {
    budget.done();
  }
}

function incompleteness(budget: Budget, targets: (TagTarget | null)[]): string | null {
  if (!budget.cut) return null;
  const missing = targets.filter((t) => t === null).length;
  return `${budget.cut.message}; ${missing} of ${targets.length} tags were not resolved.`;
}

/** What a permalink page shows: an image, a blob of the repository, or why neither. */
export type ImagePage =
  | { kind: 'image'; view: ImageView; owners: Promise<OwnersResult> }
  | { kind: 'blob'; location: BlobLocation }
  | { kind: 'error'; error: ApiErrorInfo };

export type OwnersResult = { ok: true; owners: DigestOwners } | { ok: false; error: ApiErrorInfo };

function withOwners(reference: Reference, view: ImageView): ImagePage {
  const { group } = view;
  const search: OwnerSearch = {
    // A platform manifest asked for by digest: every tag leading to it, directly or through an index.
    throughIndexes: reference.tag === null && group.kind === 'manifest',
    platforms: group.kind === 'index' ? group.platforms.map((p) => p.digest) : [],
  };
  const owners = findTagsFor(reference, group.digest, search).then(
    (found): OwnersResult => ({ ok: true, owners: found }),
    (error: unknown): OwnersResult => ({ ok: false, error: toApiError(error).toJSON() }),
  );
  return { kind: 'image', view, owners };
}

/** How a page may spend: `pull` — the person asked for what costs a pull on this host. */
export interface PageOptions {
  pull?: boolean;
}

/** A tag's page, or a tag pinned to a digest: the image, and the tags that alias it. */
export async function getTag(reference: Reference, { pull = false }: PageOptions = {}): Promise<ImagePage> {
  try {
    return withOwners(reference, await imageView(reference, pull));
  } catch (error) {
    return { kind: 'error', error: toApiError(error).toJSON() };
  }
}

/**
 * A digest's page: the manifest it names, with the tags that lead to it; a digest that is no
 * manifest may be a config (an image ID) or a layer of this repository. Registries answer
 * such a GET with 404, or (distribution 2.8) with a 500 after failing to read the blob as a
 * manifest.
 */
export async function getDigest(reference: Reference, { pull = false }: PageOptions = {}): Promise<ImagePage> {
  try {
    return withOwners(reference, await imageView(reference, pull));
  } catch (error) {
    const info = toApiError(error).toJSON();
    if (reference.digest && !reference.tag && (info.code === 'MANIFEST_UNKNOWN' || info.code === 'UPSTREAM')) {
      // The lookup failing too leaves the manifest's own error as the answer.
      const location = await locateBlob(reference, reference.digest).catch(() => null);
      if (location) return { kind: 'blob', location };
    }
    return { kind: 'error', error: info };
  }
}

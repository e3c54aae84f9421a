import 'server-only';
// Where a repository's tags, and what is known of them before any manifest is fetched, come
// from — chosen per registry host here and nowhere else. A plain registry gives names only
// (tags/list). A registry whose host has a web API configured (TAGSCOPE_REGISTRY_APIS; Docker
// Hub's `hub` kind) also describes each tag — its index digest, platform digests, compressed
// sizes, push and pull dates — without spending a pull, so the view takes groups from the
// description and asks the registry only for what it leaves out: a HEAD (free) for a tag it
// does not describe, never a GET. Docs: docs/registry-protocol.md §4.5; the plan in
// docs/docker-hub-api.md §0.4, the Hub API's quirks in §1.4 (a digest missing on old tags,
// `images: []`, attestations as unknown/unknown) and its anonymous offset cap at 1000 in §0.2.

import { toApiError } from '../api/errors';
import type { ApiErrorInfo, Group, PlatformInfo } from '../api/types';
import type { HubRepository, HubTag } from '../hub';
import { formatPlatform, isRegistryError, MediaType, type Budget, type Reference, type TagList } from '../registry';
import type { RegistryService } from './service';

export interface Listing {
  /** Every tag name (grammar-checked), as a registry's tag list gives them. */
  list: TagList;
  /** Tag → the digest the web API says it points at; a tag not here is HEADed. */
  digests: Map<string, string>;
  /** Digest → the group the web API describes (tags empty: the view fills them). */
  groups: Map<string, Group>;
  /** Tag → when it was last pushed, where the web API says. */
  pushed: Map<string, string>;
  /**
   * Tag → the web API's record of a tag it lists the platforms of but names no digest for (a
   * legacy tag): a free HEAD gives the digest, describedGroup joins the two.
   */
  undigested: Map<string, HubTag>;
  /**
   * The host counts manifest GETs as pulls and a web API describes it: a group it leaves out
   * is shown without platforms, saying so, instead of spending a pull.
   */
  freeOnly: boolean;
  /** What the view should say about where its data came from. */
  notices: ApiErrorInfo[];
  /** The web API's repository information, when it gave it. */
  repository: HubRepository | null;
}

/** Lists a repository from the source its host is configured with. */
export async function listRepository(service: RegistryService, repo: Reference, budget: Budget): Promise<Listing> {
  if (!service.webApi(repo)) return registryListing(await service.listTags(repo, { budget }), []);
  try {
    return await webListing(service, repo, budget);
  } catch (error) {
    // The web API failed (5xx, garbage, an unexpected schema, its own rate limit): the
    // registry's tag list instead, said once; GETs then go through the pull budget.
    if (budget.signal.aborted || !isRegistryError(error) || ['NAME_UNKNOWN', 'UNAUTHORIZED', 'DENIED', 'ADDRESS_NOT_ALLOWED'].includes(error.code)) throw error;
    const info = toApiError(error).toJSON();
    const notice: ApiErrorInfo = { code: info.code, message: `${repo.registry}'s web API could not list the tags (${info.message}); the registry's own tag list was used instead, and its groups cost pulls.` };
    return registryListing(await service.listTags(repo, { budget }), [notice]);
  }
}

function registryListing(list: TagList, notices: ApiErrorInfo[]): Listing {
  return { list, digests: new Map(), groups: new Map(), pushed: new Map(), undigested: new Map(), freeOnly: false, notices, repository: null };
}

async function webListing(service: RegistryService, repo: Reference, budget: Budget): Promise<Listing> {
  // Asked for at once, beside the tags: the header's description and counts are a nicety, and
  // the view stands without them.
  const repository = service.webRepository(repo, { budget }).catch((error: unknown) => {
    if (budget.signal.aborted) throw error;
    return null;
  });
  repository.catch(() => {}); // awaited below; if the listing fails first, nobody is left to ask
  const newest = await service.webTags(repo, 'last_updated', { budget });
  const notices: ApiErrorInfo[] = [];
  const described: HubTag[] = [...newest.tags];
  let list: TagList;
  if (newest.cappedAt === null) {
    list = { tags: newest.tags.map((t) => t.name).sort(), truncated: newest.truncatedBy !== null, truncatedBy: newest.truncatedBy, pages: newest.pages, invalidTags: newest.invalidTags, google: null };
  } else {
    // Anonymous paging stops at offset 1000: the oldest 1000 from the other end, and every name
    // from the registry's tag list (not a pull); tags neither end describes are HEADed.
    const [oldest, names] = await Promise.all([service.webTags(repo, '-last_updated', { budget }), service.listTags(repo, { budget })]);
    described.push(...oldest.tags);
    list = names;
    const known = new Set(described.map((t) => t.name));
    const undescribed = names.tags.filter((t) => !known.has(t)).length;
    if (undescribed > 0) {
      notices.push({
        code: 'TOO_LARGE',
        message: `Docker Hub's web API lists only 1,000 tags from each end without signing in; ${undescribed} tags in between were looked up with the registry (free HEADs). Sign in (REGISTRY_AUTH_FILE) to read them all from the web API.`,
        details: { undescribed },
      });
    }
  }
  const listing: Listing = { list, digests: new Map(), groups: new Map(), pushed: new Map(), undigested: new Map(), freeOnly: true, notices, repository: null };
  const listed = new Set(list.tags);
  for (const tag of described) {
    if (!listed.has(tag.name)) continue; // the registry is the truth of which tags exist
    if (tag.lastPushed) listing.pushed.set(tag.name, tag.lastPushed);
    if (!tag.digest) {
      // A legacy tag: HEADed; its listed platforms are the group's once the digest is known.
      if (describedImages(tag).length > 0) listing.undigested.set(tag.name, tag);
      continue;
    }
    const group = groupOf(tag, tag.digest);
    if (!group) continue; // images: [] → HEAD
    listing.digests.set(tag.name, tag.digest);
    const known = listing.groups.get(tag.digest);
    if (!known) listing.groups.set(tag.digest, group);
    else known.lastPushed = newestPush(known.lastPushed, group.lastPushed);
  }
  // The registry's pull numbers come with any manifest answer, and a HEAD is free: one for the
  // newest tag when none is known yet, so the header can say how many pulls are left.
  const newestTag = newest.tags.find((t) => listed.has(t.name))?.name;
  if (newestTag && !service.pulls(repo)) {
    await service.resolveTag(repo, newestTag, { budget }).catch((error: unknown) => {
      // Only the numbers were wanted; the tag's own row says what failed, if anything.
      if (budget.signal.aborted) throw error;
    });
  }
  // The registry's answer wins over the web API's, which lags pushes: a tag the registry has
  // answered for already (a cached HEAD, no request) and the web API places elsewhere is shown
  // where the registry says, and the view says so.
  const disagreeing = [...listing.digests].flatMap(([tag, digest]) => {
    const registry = service.knownTag(repo, tag);
    return registry && registry.digest !== digest ? [{ tag, web: digest, registry: registry.digest }] : [];
  });
  for (const { tag } of disagreeing) listing.digests.delete(tag);
  if (disagreeing.length > 0) notices.push(disagreementNotice(repo.registry, disagreeing));
  listing.repository = await repository;
  return listing;
}

/** Tags named in a notice at most; the count says the rest. */
const NOTICE_TAGS = 20;

function disagreementNotice(registry: string, tags: { tag: string; web: string; registry: string }[]): ApiErrorInfo {
  const [first] = tags;
  const which = tags.length === 1 ? `${first!.tag} is ${first!.web}, but the registry answers ${first!.registry}` : `${tags.length} tags point elsewhere than the registry says (${first!.tag}: ${first!.web}, the registry ${first!.registry})`;
  return {
    code: 'DIGEST_MISMATCH',
    message: `${registry}'s web API says ${which}; the registry's answer is shown. The web API catches up with pushes within minutes.`,
    details: { expected: first!.registry, actual: first!.web, tags: tags.slice(0, NOTICE_TAGS).map((t) => t.tag) },
  };
}

/** The newer of two push dates (the web API's, normalized to one spelling, so text order is time order). */
export function newestPush(a: string | null, b: string | null): string | null {
  return a === null || (b !== null && b > a) ? b : a;
}

function describedImages(tag: HubTag) {
  return tag.images.filter((image) => !image.attestation && image.digest);
}

/**
 * The group of `digest` as the web API's record of a tag pointing at it lists its platforms, or
 * null when the record lists none. `digest` is the record's own, or for a legacy tag the one a
 * HEAD gave.
 */
export function groupOf(tag: HubTag, digest: string): Group | null {
  const images = describedImages(tag);
  if (images.length === 0) return null;
  const single = images.length === 1 && images[0]!.digest === digest;
  const platforms: PlatformInfo[] = images.map((image) => ({
    platform: formatPlatform({ os: image.os, architecture: image.architecture, ...(image.variant ? { variant: image.variant } : {}), ...(image.osVersion ? { 'os.version': image.osVersion } : {}) }),
    os: image.os,
    architecture: image.architecture,
    variant: image.variant,
    osVersion: image.osVersion,
    digest: image.digest!,
    // The web API says neither the manifest's media type nor its byte size; the image ID
    // (config digest) needs the manifest itself, which is a pull: fetched when asked for.
    mediaType: single ? tag.mediaType : null,
    size: null,
    compressedSize: image.size,
    configDigest: null,
    lastPushed: image.lastPushed,
    lastPulled: image.lastPulled,
  }));
  return {
    digest,
    mediaType: tag.mediaType,
    kind: single ? 'manifest' : 'index',
    size: null,
    tags: [],
    platforms,
    attestations: tag.images.filter((image) => image.attestation && image.digest).map((image) => ({ digest: image.digest!, for: null, type: 'attestation-manifest' })),
    signatures: [],
    artifactType: null,
    lastPushed: tag.lastPushed,
  };
}

/** A group the web API did not describe, on a host where describing it would cost a pull. */
export function undescribedGroup(digest: string, mediaType: string | null, size: number | null): Group {
  return {
    digest,
    mediaType,
    kind: mediaType === MediaType.OciIndex || mediaType === MediaType.DockerManifestList ? 'index' : 'manifest',
    size,
    tags: [],
    platforms: [],
    attestations: [],
    signatures: [],
    artifactType: null,
    lastPushed: null,
    platformsNeedPull: true,
  };
}


// A local Docker Hub web API (hub.docker.com/v2) for tests: the tag list, one tag, repository
// metadata, a namespace's repositories, search and the token route, with Hub's paging
// envelope, orderings, anonymous offset cap, per-minute rate limit and the quirks of its tag
// objects (docs/docker-hub-api.md §1–§3; what it reproduces, §8). Its data is built from a
// harness registry's truth, so the emulator describes the images a real registry serves, as
// Docker Hub's web API describes Docker Hub; the registry stays the source of truth. It can be made to disagree with the registry (a stale
// digest) or to fail, so fallbacks can be tested.

import { createHash, createHmac, randomBytes } from 'node:crypto';
import http from 'node:http';
import { listenOnLoopback } from '../ports';
import { MT } from './oci';
import { platformString, scaleLayout, tagPushTimes, type ScaleOptions, type Truth } from './seed';

/** One element of a tag's `images[]` (§1.4). */
export interface HubImage {
  architecture: string;
  features: string;
  variant: string | null;
  digest: string | null;
  os: string;
  os_features: string;
  os_version: string | null;
  /** Compressed size of the platform (Σ layer sizes). */
  size: number;
  status: 'active' | 'inactive';
  last_pulled: string | null;
  last_pushed: string | null;
}

/** One element of `results`, and the single-tag answer (§1.4). */
export interface HubTag {
  creator: number;
  id: number;
  images: HubImage[];
  last_updated: string;
  last_updater: number;
  last_updater_username: string;
  name: string;
  /** The repository's integer ID. */
  repository: number;
  full_size: number;
  v2: boolean;
  tag_status: 'active' | 'inactive';
  tag_last_pulled: string | null;
  tag_last_pushed: string | null;
  media_type: string;
  content_type: string;
  /** Absent on tags pushed before about 2021 (§1.5d). */
  digest?: string;
}

/** `repository_info` of GET /v2/namespaces/{ns}/repositories/{repo} (§3). */
export interface HubRepositoryInfo {
  user: string;
  name: string;
  namespace: string;
  repository_type: string;
  status: number;
  status_description: string;
  description: string;
  is_private: false;
  is_automated: boolean;
  star_count: number;
  pull_count: number;
  last_updated: string | null;
  last_modified: string | null;
  date_registered: string;
  collaborator_count: number;
  affiliation: string;
  hub_user: string;
  has_starred: boolean;
  full_description: string;
  permissions: { read: boolean; write: boolean; admin: boolean };
  media_types: string[];
  content_types: string[];
  categories: { name: string; slug: string }[];
  immutable_tags_settings: { enabled: boolean; rules: string[] };
  storage_size: number;
  source: string | null;
}

/** What the emulator serves for one `namespace/name`; mutable while it runs. */
export interface HubRepository {
  namespace: string;
  name: string;
  info: HubRepositoryInfo;
  tags: HubTag[];
}

/** How one tag departs from a plain description of the registry's truth (§1.4, §1.5). */
export interface TagQuirks {
  /** List the tag's attestation manifests as `unknown/unknown` images of about 17 KB (Hub does). */
  attestationImages: boolean;
  /** A tag pushed before 2021: no `digest` key, `full_size: 0`, inactive (§1.5d). */
  legacy: boolean;
  /** `images: []`, as in Aug 2025 (docker/hub-feedback#2484). */
  emptyImages: boolean;
  /** Single-platform tags: `media_type` is the config type, as observed (§1.5c); false: the manifest's own. */
  configMediaType: boolean;
  /** `images[]` in index order; Hub's order is not (here: the first platform moves last). */
  indexOrder: boolean;
  /** Fractional second digits of every timestamp of the tag; by default tags cycle 0, 6, 9. */
  fractionDigits: 0 | 6 | 9;
  /** A digest the registry no longer serves for this tag (`true`: one derived from the real one). */
  staleDigest: string | true | null;
}

export interface FromTruthOptions {
  /** `namespace/name` on the emulator; default the truth's repository path. */
  path?: string;
  /** Quirks for every tag … */
  quirks?: Partial<TagQuirks>;
  /** … and per tag, over those. */
  tagQuirks?: Record<string, Partial<TagQuirks>>;
  info?: Partial<HubRepositoryInfo>;
}

export type HubRequestKind = 'tagList' | 'tag' | 'repository' | 'namespaceList' | 'search' | 'token' | 'other';

export interface HubRecord {
  method: string;
  path: string;
  kind: HubRequestKind;
  status: number;
  /** A valid token came with the request. */
  authenticated: boolean;
}

/** An answer in place of the real one, to test fallbacks. */
export interface HubFault {
  /** `error`: HTTP `status` (default 500) with a Hub error body; `garbage`: 200 that is not JSON; `schema`: 200 JSON of another shape; `reset`: the connection dropped. */
  answer: 'error' | 'garbage' | 'schema' | 'reset';
  status?: number;
  /** Which requests fail (default: the tag list and single tags). */
  kinds?: HubRequestKind[];
  /** How many answers fail before the fault clears itself (default: all). */
  times?: number;
}

export interface HubEmulatorOptions {
  repositories: HubRepository[];
  /** identifier → secret accepted by POST /v2/auth/token. */
  users: Record<string, string>;
  /** Requests per window (Hub: 180 a minute, §1.8). */
  rateLimit: { limit: number; windowSeconds: number };
  /** Lifetime of an access token (Hub: 10 minutes). */
  tokenTtlSeconds: number;
  fault: HubFault | null;
  /** Added before every answer (benchmarks: a round trip to hub.docker.com). */
  delayMs: number;
}

export interface HubEmulator {
  url: string;
  host: string;
  options: HubEmulatorOptions;
  log: HubRecord[];
  counts(): Record<HubRequestKind, number>;
  /** The served data of `namespace/name`; throws when there is none. */
  repository(path: string): HubRepository;
  /** Makes the tag's Hub digest stale (the registry serves another); returns the digest now listed. */
  disagree(path: string, tag: string, digest?: string): string;
  /** Clears the log and starts a fresh rate-limit window; issued tokens stay valid. */
  reset(): void;
  stop(): Promise<void>;
}

export const HUB_USER = { identifier: 'hubuser', secret: 'dckr_pat_tagscope-test' };

/** Hub's documented and observed constants (§1.2, §0.2, §1.4). */
export const HUB = {
  defaultPageSize: 10,
  maxPageSize: 100,
  anonymousOffsetCap: 1000,
  attestationSize: 17_278,
  officialUpdater: { id: 1_156_886, username: 'doijanky' },
} as const;

export const HUB_ERRORS = {
  offsetCap: { message: 'pagination offset too large for anonymous requests; sign in to page further', errinfo: {} },
  rateLimited: { detail: 'Rate limit exceeded', error: false },
  // The bodies below are not quoted in any source read [inf]; clients should rely on the status.
  notFound: { message: 'httperror 404: object not found', errinfo: {} },
  invalidPage: { detail: 'Invalid page.' },
  badCredentials: { detail: 'Incorrect authentication credentials', error: true },
  badRequest: { message: 'invalid request body', errinfo: {} },
  internal: { message: 'internal server error', errinfo: {} },
} as const;

const DEFAULT_QUIRKS: Omit<TagQuirks, 'fractionDigits'> = {
  attestationImages: true,
  legacy: false,
  emptyImages: false,
  configMediaType: true,
  indexOrder: false,
  staleDigest: null,
};

function hashInt(text: string, modulo: number): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0) % modulo;
}

function fakeDigest(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

/** A whole-second instant written with 0, 6 or 9 fractional digits, as Hub mixes them (§1.4). */
function timestamp(ms: number, digits: 0 | 6 | 9, seed: string): string {
  const whole = new Date(Math.floor(ms / 1000) * 1000).toISOString().slice(0, 19);
  if (digits === 0) return `${whole}Z`;
  const fraction = createHash('sha256').update(seed).digest().readUInt32BE(4).toString().padStart(10, '0').slice(1, 1 + digits);
  return `${whole}.${fraction}Z`;
}

const DAY = 86_400_000;

function pathOf(truth: Truth): string {
  return truth.repository.slice(truth.repository.indexOf('/') + 1);
}

function fullInfo(namespace: string, name: string, tags: HubTag[], info: Partial<HubRepositoryInfo> = {}): HubRepositoryInfo {
  const newest = tags.map((t) => t.last_updated).sort((a, b) => Date.parse(b) - Date.parse(a))[0] ?? null;
  const oldest = tags.map((t) => t.last_updated).sort((a, b) => Date.parse(a) - Date.parse(b))[0] ?? '2015-01-01T00:00:00Z';
  return {
    user: namespace,
    name,
    namespace,
    repository_type: 'image',
    status: 1,
    status_description: 'active',
    description: `${namespace}/${name}, described by the Tagscope test Hub`,
    is_private: false,
    is_automated: false,
    star_count: 42,
    pull_count: 1_234_567,
    last_updated: newest,
    last_modified: newest,
    date_registered: oldest,
    collaborator_count: 0,
    affiliation: '',
    hub_user: namespace,
    has_starred: false,
    full_description: `# ${name}\n`,
    permissions: { read: true, write: false, admin: false },
    media_types: [...new Set(tags.map((t) => t.media_type))].sort(),
    content_types: [...new Set(tags.map((t) => t.content_type))].sort(),
    categories: [],
    immutable_tags_settings: { enabled: false, rules: [] },
    storage_size: tags.reduce((sum, t) => sum + t.images.reduce((s, i) => s + i.size, 0), 0),
    source: null,
    ...info,
  };
}

/** A complete tag record from the fields a test cares about (explicit records, no truth). */
export function hubTag(fields: Partial<HubTag> & { name: string }): HubTag {
  const pushed = fields.tag_last_pushed ?? fields.last_updated ?? '2024-06-21T05:14:48.231504Z';
  return {
    creator: HUB.officialUpdater.id,
    id: 100_000 + hashInt(fields.name, 1_000_000),
    images: [],
    last_updated: pushed,
    last_updater: HUB.officialUpdater.id,
    last_updater_username: HUB.officialUpdater.username,
    repository: 51_054,
    full_size: fields.images?.[0]?.size ?? 0,
    v2: true,
    tag_status: 'active',
    tag_last_pulled: pushed,
    tag_last_pushed: pushed,
    media_type: MT.ociIndex,
    content_type: 'image',
    ...fields,
  };
}

/** A repository from explicit tag records. */
export function hubRepository(path: string, tags: HubTag[], info: Partial<HubRepositoryInfo> = {}): HubRepository {
  const [namespace, name] = splitPath(path);
  return { namespace, name, info: fullInfo(namespace, name, tags, info), tags };
}

function splitPath(path: string): [string, string] {
  const [namespace, name, ...rest] = path.split('/');
  if (!namespace || !name || rest.length > 0) throw new Error(`a Docker Hub repository is namespace/name, not ${path}`);
  return [namespace, name];
}

/** The Hub's description of a harness repository; a tag was pushed at its tagPushTimes. */
export function hubRepositoryFromTruth(truth: Truth, options: FromTruthOptions = {}): HubRepository {
  const path = options.path ?? pathOf(truth);
  const [namespace, name] = splitPath(path);
  const repositoryId = 10_000 + hashInt(path, 90_000_000);
  const updater = namespace === 'library' ? HUB.officialUpdater : { id: 924_487 + hashInt(namespace, 1000), username: namespace };
  const names = Object.keys(truth.tags).sort();
  const pushTimes = tagPushTimes(truth);
  const tags = names.map((tag, position): HubTag => {
    const entry = truth.tags[tag]!;
    const quirks: TagQuirks = {
      ...DEFAULT_QUIRKS,
      fractionDigits: ([0, 6, 9] as const)[position % 3]!,
      ...options.quirks,
      ...options.tagQuirks?.[tag],
    };
    const pushedMs = pushTimes.get(tag)!;
    const at = (ms: number, seed: string) => timestamp(ms, quirks.fractionDigits, `${tag} ${seed}`);
    const pushed = at(pushedMs, 'pushed');
    const pulled = quirks.legacy ? null : at(pushedMs + 30 * DAY, 'pulled');
    // Fields in Hub's order (§1.5a).
    const image = ({ architecture, os, variant, digest, size }: Pick<HubImage, 'architecture' | 'os' | 'variant' | 'digest' | 'size'>, wasPulled: boolean): HubImage => ({
      architecture,
      features: '',
      variant,
      digest,
      os,
      os_features: '',
      os_version: null,
      size,
      status: quirks.legacy ? 'inactive' : 'active',
      last_pulled: wasPulled ? pulled : null,
      last_pushed: pushed,
    });
    const platforms = entry.platforms.map((p) =>
      image({ architecture: p.architecture, os: p.os, variant: p.variant, digest: p.digest, size: p.compressedSize }, true),
    );
    const ordered = quirks.indexOrder || platforms.length < 2 ? platforms : [...platforms.slice(1), platforms[0]!];
    const attestations = quirks.attestationImages
      ? entry.attestations.map((a) =>
          image({ architecture: 'unknown', os: 'unknown', variant: null, digest: a.digest, size: HUB.attestationSize + hashInt(a.digest, 700) }, false),
        )
      : [];
    const isImage = entry.kind === 'index' || entry.kind === 'manifest';
    const digest = quirks.staleDigest === true ? fakeDigest(`stale ${entry.digest}`) : (quirks.staleDigest ?? entry.digest);
    const record: HubTag = {
      creator: updater.id,
      id: repositoryId * 100_000 + position,
      images: quirks.emptyImages ? [] : [...ordered, ...attestations],
      last_updated: pushed,
      last_updater: updater.id,
      last_updater_username: updater.username,
      name: tag,
      repository: repositoryId,
      full_size: quirks.legacy ? 0 : (entry.platforms[0]?.compressedSize ?? 0),
      v2: true,
      tag_status: quirks.legacy ? 'inactive' : 'active',
      tag_last_pulled: pulled,
      tag_last_pushed: pushed,
      media_type: entry.kind === 'manifest' && quirks.configMediaType ? MT.dockerConfig : entry.mediaType,
      // Signatures and other artifacts: no source shows how Hub lists them [inf].
      content_type: isImage ? 'image' : 'unrecognized',
    };
    if (!quirks.legacy) record.digest = digest;
    return record;
  });
  return { namespace, name, info: fullInfo(namespace, name, tags, options.info), tags };
}

/**
 * A truth for a scale repository that was never pushed: the tags, platforms and created dates
 * seedScaleRepository would push, with made-up digests and sizes. Builds 2,000+ tags in
 * milliseconds for Hub-side benchmarks and paging tests; hubRepositoryFromTruth serves it.
 */
export function syntheticScaleTruth(repository: string, options: ScaleOptions): Truth {
  const truth: Truth = { repository, tags: {}, groups: [] };
  for (const [i, { tags, platforms, created }] of scaleLayout(options).entries()) {
    const digest = fakeDigest(`${repository} index ${i}`);
    const truthPlatforms = platforms.map((p, k) => ({
      platform: platformString(p),
      os: p.os,
      architecture: p.architecture,
      variant: p.variant ?? null,
      digest: fakeDigest(`${repository} manifest ${i} ${k}`),
      mediaType: MT.ociManifest,
      size: 400 + hashInt(`${i} ${k}`, 100),
      configDigest: fakeDigest(`${repository} config ${i} ${k}`),
      compressedSize: 2_000_000 + hashInt(`${repository} size ${i} ${k}`, 30_000_000),
      created,
    }));
    for (const tag of tags) {
      truth.tags[tag] = { kind: 'index', digest, mediaType: MT.ociIndex, size: 300 + 200 * platforms.length, platforms: truthPlatforms, attestations: [] };
    }
    truth.groups.push({ digest, tags: [...tags].sort() });
  }
  truth.groups.sort((a, b) => a.tags[0]!.localeCompare(b.tags[0]!));
  return truth;
}

type Answer = { status: number; body: unknown; headers?: Record<string, string> } | { status: number; raw: string; headers?: Record<string, string> };

const ROUTES: { pattern: RegExp; kind: HubRequestKind; legacy?: boolean }[] = [
  { pattern: /^\/v2\/namespaces\/([^/]+)\/repositories\/?$/, kind: 'namespaceList' },
  // Undocumented, and the one search hub.docker.com's public callers use (§3).
  { pattern: /^\/v2\/search\/repositories\/?$/, kind: 'search' },
  { pattern: /^\/v2\/namespaces\/([^/]+)\/repositories\/([^/]+)\/tags\/?$/, kind: 'tagList' },
  { pattern: /^\/v2\/namespaces\/([^/]+)\/repositories\/([^/]+)\/tags\/([^/]+)\/?$/, kind: 'tag' },
  { pattern: /^\/v2\/namespaces\/([^/]+)\/repositories\/([^/]+)\/?$/, kind: 'repository' },
  // Legacy and undocumented, still used by hub.docker.com itself and renovate (§1.1).
  { pattern: /^\/v2\/repositories\/([^/]+)\/([^/]+)\/tags\/?$/, kind: 'tagList' },
  { pattern: /^\/v2\/repositories\/([^/]+)\/([^/]+)\/tags\/([^/]+)\/?$/, kind: 'tag' },
  { pattern: /^\/v2\/repositories\/([^/]+)\/([^/]+)\/?$/, kind: 'repository', legacy: true },
  { pattern: /^\/v2\/auth\/token\/?$/, kind: 'token' },
];

/** Django REST's page number: a missing page is 1, a bad one is no page. */
function pageNumber(raw: string | null): number | null {
  if (raw === null || raw === '') return 1;
  const page = /^\d+$/.test(raw) ? Number(raw) : NaN;
  return page >= 1 ? page : null;
}

function pageSize(raw: string | null): number {
  const size = raw !== null && /^\d+$/.test(raw) ? Number(raw) : 0;
  return size >= 1 ? Math.min(size, HUB.maxPageSize) : HUB.defaultPageSize;
}

/** `ordering`: default and `last_updated` newest first, `-last_updated` oldest first (§1.2); `name` A→Z by code unit [inf]. */
function ordered(tags: HubTag[], ordering: string | null): HubTag[] {
  const byName = (a: HubTag, b: HubTag) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const newest = (a: HubTag, b: HubTag) => Date.parse(b.last_updated) - Date.parse(a.last_updated) || byName(a, b);
  const list = [...tags];
  if (ordering === 'name') return list.sort(byName);
  if (ordering === '-name') return list.sort((a, b) => byName(b, a));
  if (ordering === '-last_updated') return list.sort((a, b) => -newest(a, b));
  return list.sort(newest);
}

/**
 * A namespace's repositories in `ordering`: `name`/`-name` by code unit, `pull_count` ascending
 * and `-pull_count` descending as Django orders; `last_updated` newest first, as Hub's tag
 * ordering is observed to be (§1.2) [inf]. Default: by name.
 */
function orderedRepositories(repositories: HubRepository[], ordering: string | null): HubRepository[] {
  const byName = (a: HubRepository, b: HubRepository) => {
    const x = `${a.namespace}/${a.name}`;
    const y = `${b.namespace}/${b.name}`;
    return x < y ? -1 : x > y ? 1 : 0;
  };
  const updated = (r: HubRepository) => Date.parse(r.info.last_updated ?? '1970-01-01T00:00:00Z');
  const list = [...repositories];
  switch (ordering) {
    case '-name':
      return list.sort((a, b) => byName(b, a));
    case 'pull_count':
      return list.sort((a, b) => a.info.pull_count - b.info.pull_count || byName(a, b));
    case '-pull_count':
      return list.sort((a, b) => b.info.pull_count - a.info.pull_count || byName(a, b));
    case 'last_updated':
      return list.sort((a, b) => updated(b) - updated(a) || byName(a, b));
    case '-last_updated':
      return list.sort((a, b) => updated(a) - updated(b) || byName(a, b));
    default:
      return list.sort(byName);
  }
}

/** One entry of listNamespaceRepositories, with the fields §3 lists. */
function namespaceEntry({ info }: HubRepository) {
  return {
    name: info.name,
    namespace: info.namespace,
    repository_type: info.repository_type,
    status: info.status,
    status_description: info.status_description,
    description: info.description,
    is_private: info.is_private,
    star_count: info.star_count,
    pull_count: info.pull_count,
    last_updated: info.last_updated,
    last_modified: info.last_modified,
    date_registered: info.date_registered,
    affiliation: info.affiliation,
    media_types: info.media_types,
    content_types: info.content_types,
    categories: info.categories,
    storage_size: info.storage_size,
  };
}

/** One search result (§3): official images without their `library/` namespace, no dates. */
function searchResult({ namespace, name, info }: HubRepository) {
  return {
    repo_name: namespace === 'library' ? name : `${namespace}/${name}`,
    short_description: info.description,
    star_count: info.star_count,
    pull_count: info.pull_count,
    repo_owner: '',
    is_automated: info.is_automated,
    is_official: namespace === 'library',
  };
}

/** Another shape with the same content, for `schema` faults. */
function otherShape(kind: HubRequestKind, repository: HubRepository | undefined): unknown {
  const tags = repository?.tags ?? [];
  if (kind === 'tagList') return { total: String(tags.length), data: { items: tags.map((t) => ({ tag: t.name, sha: t.digest ?? null, images: {} })) } };
  if (kind === 'tag') return { tag: tags[0]?.name ?? null, images: {} };
  return { data: null, ok: true };
}

export async function startHubEmulator(initial: Partial<HubEmulatorOptions> = {}): Promise<HubEmulator> {
  const options: HubEmulatorOptions = {
    repositories: [],
    users: { [HUB_USER.identifier]: HUB_USER.secret },
    rateLimit: { limit: 180, windowSeconds: 60 },
    tokenTtlSeconds: 600,
    fault: null,
    delayMs: 0,
    ...initial,
  };
  const log: HubRecord[] = [];
  const tokens = new Map<string, number>();
  const signingKey = randomBytes(32);
  let window = { start: 0, used: 0 };
  let selfUrl = '';

  const find = (path: string) => options.repositories.find((r) => `${r.namespace}/${r.name}` === path);
  const issue = (identifier: string) => {
    const now = Math.floor(Date.now() / 1000);
    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const unsigned = `${encode({ alg: 'HS256', typ: 'JWT' })}.${encode({ sub: identifier, iat: now, exp: now + options.tokenTtlSeconds, jti: randomBytes(8).toString('hex') })}`;
    const token = `${unsigned}.${createHmac('sha256', signingKey).update(unsigned).digest('base64url')}`;
    tokens.set(token, (now + options.tokenTtlSeconds) * 1000);
    return token;
  };
  // `Bearer` is documented, `JWT` works too (§1.7). A bad or expired token reads as anonymous [inf].
  const authenticated = (header: string | undefined) => {
    const token = /^(?:Bearer|JWT)\s+(\S+)$/i.exec(header ?? '')?.[1];
    const expires = token ? tokens.get(token) : undefined;
    return expires !== undefined && expires > Date.now();
  };

  /** Django REST's PageNumberPagination over `items`: `count`, `next`, `previous`, `results`. */
  const paged = (items: unknown[], url: URL, guard: (page: number, size: number) => Answer | null = () => null): Answer => {
    const page = pageNumber(url.searchParams.get('page'));
    const size = pageSize(url.searchParams.get('page_size'));
    if (page === null) return { status: 404, body: HUB_ERRORS.invalidPage };
    const refused = guard(page, size);
    if (refused) return refused;
    const pages = Math.max(1, Math.ceil(items.length / size));
    if (page > pages) return { status: 404, body: HUB_ERRORS.invalidPage };
    // The request's own query, `page` replaced.
    const link = (target: number) => {
      const next = new URL(url.pathname + url.search, selfUrl);
      if (target === 1) next.searchParams.delete('page');
      else next.searchParams.set('page', String(target));
      return next.href;
    };
    return {
      status: 200,
      body: {
        count: items.length,
        next: page < pages ? link(page + 1) : null,
        previous: page > 1 ? link(page - 1) : null,
        results: items.slice((page - 1) * size, page * size),
      },
    };
  };

  const tagList = (repository: HubRepository, url: URL, signedIn: boolean): Answer => {
    const filter = url.searchParams.get('name')?.toLowerCase() ?? '';
    const matching = ordered(repository.tags, url.searchParams.get('ordering')).filter((t) => t.name.toLowerCase().includes(filter));
    return paged(matching, url, (page, size) => (!signedIn && (page - 1) * size >= HUB.anonymousOffsetCap ? { status: 403, body: HUB_ERRORS.offsetCap } : null));
  };

  /** listNamespaceRepositories (§3): `name` a partial match, `ordering` by name, last_updated or pull_count. */
  const namespaceList = (namespace: string, url: URL): Answer => {
    const repositories = options.repositories.filter((r) => r.namespace === namespace);
    if (repositories.length === 0) return { status: 404, body: HUB_ERRORS.notFound };
    const filter = url.searchParams.get('name')?.toLowerCase() ?? '';
    const matching = orderedRepositories(repositories.filter((r) => r.name.includes(filter)), url.searchParams.get('ordering'));
    return paged(matching.map(namespaceEntry), url);
  };

  /** `/v2/search/repositories/?query=`: a substring of namespace/name or description, most pulled first [inf]. */
  const search = (url: URL): Answer => {
    const query = url.searchParams.get('query')?.trim().toLowerCase() ?? '';
    if (query === '') return { status: 400, body: HUB_ERRORS.badRequest };
    const matching = options.repositories.filter((r) => `${r.namespace}/${r.name}`.includes(query) || r.info.description.toLowerCase().includes(query));
    return paged(orderedRepositories(matching, '-pull_count').map(searchResult), url);
  };

  const answer = async (req: http.IncomingMessage, url: URL, kind: HubRequestKind, match: RegExpExecArray | null, legacy: boolean): Promise<Answer> => {
    const method = req.method ?? 'GET';
    if (kind === 'token') {
      if (method !== 'POST') return { status: 405, body: { detail: `Method "${method}" not allowed.` } };
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      let credentials: { identifier?: unknown; secret?: unknown };
      try {
        credentials = JSON.parse(Buffer.concat(chunks).toString()) as typeof credentials;
      } catch {
        return { status: 400, body: HUB_ERRORS.badRequest };
      }
      const { identifier, secret } = credentials ?? {};
      if (typeof identifier !== 'string' || typeof secret !== 'string') return { status: 400, body: HUB_ERRORS.badRequest };
      if (options.users[identifier] !== secret) return { status: 401, body: HUB_ERRORS.badCredentials };
      return { status: 200, body: { access_token: issue(identifier) } };
    }
    if (!match || (method !== 'GET' && method !== 'HEAD')) return { status: 404, body: HUB_ERRORS.notFound };
    if (kind === 'search') return search(url);
    if (kind === 'namespaceList') return namespaceList(decodeURIComponent(match[1]!), url);
    const repository = find(`${decodeURIComponent(match[1]!)}/${decodeURIComponent(match[2]!)}`);
    if (!repository) return { status: 404, body: HUB_ERRORS.notFound };
    if (kind === 'repository') return { status: 200, body: legacy ? { ...repository.info, can_edit: false } : repository.info };
    if (kind === 'tag') {
      const tag = repository.tags.find((t) => t.name === decodeURIComponent(match[3]!));
      return tag ? { status: 200, body: tag } : { status: 404, body: HUB_ERRORS.notFound };
    }
    return tagList(repository, url, authenticated(req.headers.authorization));
  };

  const server = http.createServer(async (req, res) => {
    if (options.delayMs > 0) await new Promise((resolve) => setTimeout(resolve, options.delayMs));
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://hub.local');
    const route = ROUTES.find((r) => r.pattern.test(url.pathname));
    const kind = route?.kind ?? 'other';
    const record = { method, path: url.pathname + url.search, kind, authenticated: authenticated(req.headers.authorization) };

    // Hub's per-minute limit covers every request, so every answer carries it (§1.8).
    const now = Date.now();
    const { limit, windowSeconds } = options.rateLimit;
    if (now >= window.start + windowSeconds * 1000) window = { start: now, used: 0 };
    const resetAt = Math.ceil((window.start + windowSeconds * 1000) / 1000);
    const limited = window.used >= limit;
    if (!limited) window.used++;
    const headers: Record<string, string> = {
      'x-ratelimit-limit': String(limit),
      'x-ratelimit-remaining': String(Math.max(0, limit - window.used)),
      'x-ratelimit-reset': String(resetAt),
    };
    const send = (result: Answer) => {
      log.push({ ...record, status: result.status });
      const text = 'raw' in result ? result.raw : JSON.stringify(result.body);
      res.writeHead(result.status, {
        ...headers,
        'content-type': 'raw' in result ? 'text/html; charset=utf-8' : 'application/json',
        'content-length': String(Buffer.byteLength(text)),
        ...result.headers,
      });
      res.end(method === 'HEAD' ? undefined : text);
    };

    if (limited) {
      send({ status: 429, body: HUB_ERRORS.rateLimited, headers: { 'retry-after': String(Math.max(1, resetAt - Math.floor(now / 1000))) } });
      return;
    }
    const fault = options.fault;
    if (fault && (fault.kinds ?? ['tagList', 'tag']).includes(kind)) {
      if (fault.times !== undefined && --fault.times <= 0) options.fault = null;
      if (fault.answer === 'reset') {
        log.push({ ...record, status: 0 });
        req.socket.destroy();
        return;
      }
      if (fault.answer === 'error') send({ status: fault.status ?? 500, body: HUB_ERRORS.internal });
      else if (fault.answer === 'garbage') send({ status: 200, raw: '<html><body>Docker Hub is under maintenance</body></html>\n{"count": 3, "results": [' });
      else {
        const match = route?.pattern.exec(url.pathname);
        send({ status: 200, body: otherShape(kind, match ? find(`${match[1]}/${match[2]}`) : undefined) });
      }
      return;
    }
    try {
      send(await answer(req, url, kind, route?.pattern.exec(url.pathname) ?? null, route?.legacy ?? false));
    } catch (error) {
      send({ status: 500, body: { ...HUB_ERRORS.internal, detail: String(error) } });
    }
  });
  server.keepAliveTimeout = 5_000;
  const listening = await listenOnLoopback(server);
  selfUrl = listening.url;

  const repository = (path: string) => {
    const found = find(path);
    if (!found) throw new Error(`the Hub emulator serves no repository ${path}`);
    return found;
  };
  return {
    host: listening.host,
    url: selfUrl,
    options,
    log,
    counts() {
      const counts: Record<HubRequestKind, number> = { tagList: 0, tag: 0, repository: 0, namespaceList: 0, search: 0, token: 0, other: 0 };
      for (const entry of log) counts[entry.kind]++;
      return counts;
    },
    repository,
    disagree(path, tag, digest) {
      const record = repository(path).tags.find((t) => t.name === tag);
      if (!record) throw new Error(`the Hub emulator has no tag ${path}:${tag}`);
      record.digest = digest ?? fakeDigest(`stale ${record.digest ?? tag}`);
      return record.digest;
    },
    reset() {
      log.length = 0;
      window = { start: 0, used: 0 };
    },
    stop: listening.stop,
  };
}

// Whatever people copy to name an image — a registry site's web page (Docker Hub, GitHub
// Packages, Quay, the ECR Public Gallery, the Google Cloud console), a `docker pull` line, a
// Tagscope link, a plain reference or a registry host — turned into the one Tagscope page it
// means (docs/design.md "URLs"). Every input is a stranger's: it is bounded, every name, tag and
// digest read out of it passes the reference grammar (lib/registry/reference.ts), only query
// parameters that mean something on the page survive, and the answer is a path on Tagscope
// (`/r/…`) or an error that says why. Pure string work, so the home page's box runs it in the
// browser and the `/r/` route on the server.

import { isRegistryError, RegistryError } from '../registry/errors';
import { parsePlatform, platformKey } from '../registry/platform';
import {
  canonicalRegistry,
  DOCKER_HUB,
  isPathComponent,
  parseDigest,
  parseReference,
  parseTag,
  type Reference,
} from '../registry/reference';
import { referenceHref, referenceInputFromSegments } from './routes';
import { DEFAULT_SORT, parseSort } from './tag-order';

/** A registry's own page (`/r/<host>`): its repositories, or for Docker Hub a namespace or a search. */
export interface RegistryPageAddress {
  registry: string;
  namespace: string | null;
  q: string | null;
}

/** `registry` is set when the page is a registry's, not a reference's. */
export type WebAddress = { href: string; registry: RegistryPageAddress | null } | { error: string };

/** Longer input is refused unread: no address or command people copy comes near it. */
export const WEB_ADDRESS_MAX_LENGTH = 2_000;
/** A filter (`q`) longer than this is no tag filter anyone meant; it is left out. */
const FILTER_MAX_LENGTH = 256;
/** An `at` longer than this is no date; it is left out. */
const DATE_MAX_LENGTH = 64;

const UNDERSTOOD =
  'Tagscope opens an image reference (alpine, ghcr.io/org/app:1.4), a registry host (ghcr.io), a docker pull command, a Tagscope /r/ link, or a repository page on Docker Hub, GitHub Packages, Quay, the ECR Public Gallery or the Google Cloud console.';

/**
 * C0/C1 controls (tab and newline separate a command's words and are allowed), zero-width and
 * bidirectional formatting characters: nothing a real address holds, and what makes a shown
 * string lie about itself.
 */
const HIDDEN_CHARACTERS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/;

/** What an address names, before it is written as a Tagscope path. */
type Target =
  | { kind: 'registry'; registry: string; namespace: string | null; q: string | null }
  | { kind: 'reference'; reference: Reference; view: View };

/** The view state a page keeps in its query string (docs/design.md "URLs"). */
interface View {
  q?: string | null;
  sort?: string | null;
  platform?: string | null;
  at?: string | null;
}

/**
 * The Tagscope page an address, command or reference means: `{ href }`, a path that always
 * starts with `/r/` (links keep `:` and `@` readable, as referenceHref writes them), or
 * `{ error }` saying what is wrong and what Tagscope reads. Never throws.
 */
export function resolveWebAddress(input: string): WebAddress {
  try {
    const target = resolve(String(input), 0);
    const href = hrefOf(target);
    // Every href is built from checked parts; this says so once more for a path that must not
    // leave Tagscope (`//host`, a scheme).
    if (!/^\/r\/[^/\\]/.test(href)) return { error: `Tagscope could not read this address. ${UNDERSTOOD}` };
    return { href, registry: target.kind === 'registry' ? { registry: target.registry, namespace: target.namespace, q: target.q } : null };
  } catch (error) {
    if (isRegistryError(error)) return { error: error.message };
    return { error: `Tagscope could not read this address. ${UNDERSTOOD}` };
  }
}

function fail(message: string): never {
  throw new RegistryError('INVALID_REFERENCE', message);
}

function shown(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

function resolve(raw: string, depth: number): Target {
  if (raw.length > WEB_ADDRESS_MAX_LENGTH) {
    fail(`The address is ${raw.length.toLocaleString('en')} characters long; Tagscope reads at most ${WEB_ADDRESS_MAX_LENGTH.toLocaleString('en')}.`);
  }
  // A command copied over several lines (`docker pull \` + newline) is one command.
  const text = raw.replace(/\\\r?\n/g, ' ').trim();
  if (text === '') fail(`There is nothing to open. ${UNDERSTOOD}`);
  if (HIDDEN_CHARACTERS.test(text)) fail('The address contains control or invisible formatting characters; paste it as plain text.');
  if (/\s/.test(text)) return fromCommand(text);
  // `https:/host/…` too: a path segment can lose one of the two slashes on its way here.
  if (/^https?:/i.test(text)) return fromUrl(parseUrl(text), depth);
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(text);
  if (scheme && (text.startsWith(`${scheme[1]}://`) || /^(?:javascript|vbscript|data|file|blob|about|view-source)$/i.test(scheme[1]!))) {
    fail(`"${shown(scheme[1]!)}:" addresses are not opened; Tagscope reads http(s) web addresses only. ${UNDERSTOOD}`);
  }
  if (text.startsWith('/') || text.startsWith('\\')) return fromRelative(text, depth);
  if (SCHEMELESS_PAGE.test(text)) return fromUrl(parseUrl(`https://${text}`), depth);
  return fromReferenceText(text, null);
}

/**
 * Web pages copied without their scheme. Not every path on a registry's own host: `quay.io/x/y`
 * is a reference, only `quay.io/repository/…` is Quay's page; `registry.hub.docker.com/x/y`
 * is Docker Hub's registry, only its `/_/` `/r/` `/u/` paths are pages.
 */
const SCHEMELESS_PAGE =
  /^(?:(?:hub\.docker\.com|(?:www\.)?github\.com|gallery\.ecr\.aws|console\.cloud\.google\.com)(?:[/?#]|$)|registry\.hub\.docker\.com\/(?:_|r|u)\/|quay\.io\/repository\/)/i;

function parseUrl(text: string): URL {
  try {
    return new URL(text);
  } catch {
    fail(`"${shown(text)}" is not a valid web address.`);
  }
}

/** The sites whose pages name a repository, by host (with a port only if it is not the default). */
const SITES: ReadonlyMap<string, (url: URL) => Target> = new Map([
  ['hub.docker.com', fromDockerHub],
  // Docker Hub's pages were served here too, and old links still are (`registry.hub.docker.com/_/mysql/`).
  ['registry.hub.docker.com', fromDockerHub],
  ['github.com', fromGitHub],
  ['www.github.com', fromGitHub],
  ['quay.io', fromQuay],
  ['gallery.ecr.aws', fromEcrGallery],
  ['console.cloud.google.com', fromGoogleCloudConsole],
]);

/** Registry hosts, whose https:// address is no web page Tagscope knows: the hint says to drop the scheme. */
const REGISTRY_HOST =
  /(?:^|\.)(?:ghcr\.io|gcr\.io|pkg\.dev|docker\.io|public\.ecr\.aws|amazonaws\.com|azurecr\.io|registry\.k8s\.io|mcr\.microsoft\.com|registry\.gitlab\.com|nvcr\.io)$/;

function fromUrl(url: URL, depth: number): Target {
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    fail(`"${url.protocol}" addresses are not opened; Tagscope reads http(s) web addresses only.`);
  }
  // Not echoed: the message would show the password back.
  if (url.username !== '' || url.password !== '') fail('The web address carries a user name or password; remove them and paste it again.');
  const site = SITES.get(url.host);
  if (site) return site(url);
  // reddit's /r/<subreddit> is the one well-known /r/ that is not Tagscope's.
  if (/(?:^|\.)reddit\.com$/.test(url.hostname)) fail(`${url.hostname} is a forum, not a registry site. ${UNDERSTOOD}`);
  if (url.pathname === '/r' || url.pathname.startsWith('/r/')) return fromTagscope(url, depth);
  if (REGISTRY_HOST.test(url.hostname)) {
    fail(`${url.host} is a registry, not a web page Tagscope reads: leave out "${url.protocol}//" to open a repository on it (${shown(`${url.host}${url.pathname === '/' ? '' : url.pathname}`)}).`);
  }
  fail(`${url.host} is not a site Tagscope reads. ${UNDERSTOOD}`);
}

/** `/r/…` as Tagscope writes its own links; `//host/…` is a web address without its scheme. */
function fromRelative(text: string, depth: number): Target {
  const base = new URL('https://tagscope.invalid/');
  let url: URL;
  try {
    url = new URL(text, base);
  } catch {
    fail(`"${shown(text)}" is not a valid address.`);
  }
  if (url.host !== base.host) return fromUrl(url, depth);
  if (url.pathname === '/r' || url.pathname.startsWith('/r/')) return fromTagscope(url, depth);
  fail(`"${shown(text)}" is not a Tagscope page address: those start with /r/. ${UNDERSTOOD}`);
}

/**
 * A Tagscope link, from any instance: the path as the `/r/` route reads it (each segment
 * percent-decoded, then one reference or a registry host) and the view state that applies to
 * the page it names. A web address after `/r/` (`/r/https://hub.docker.com/_/alpine`) is read
 * as that address, with the link's query; nesting stops at two levels.
 */
function fromTagscope(url: URL, depth: number): Target {
  const rest = url.pathname.slice('/r/'.length);
  if (/^https?(?::|%3a)/i.test(rest)) {
    if (depth >= 2) fail('The address nests web addresses inside Tagscope links too deeply.');
    let inner: string;
    try {
      inner = decodeURIComponent(rest);
    } catch {
      fail(`"${shown(rest)}" is not validly percent-encoded.`);
    }
    return resolve(`${inner}${url.search}`, depth + 1);
  }
  const segments = rest.split('/');
  if (segments.at(-1) === '') segments.pop();
  if (segments.length === 0) fail(`The Tagscope address names nothing after /r/. ${UNDERSTOOD}`);
  return fromReferenceText(referenceInputFromSegments(segments), url.searchParams);
}

/**
 * A registry host, a Docker Hub namespace or a reference, as text; `query` is the view state of
 * a Tagscope link (null for text people typed).
 */
function fromReferenceText(text: string, query: URLSearchParams | null): Target {
  const registry = registryHostOf(text);
  if (registry !== null) {
    const namespace = query?.get('namespace') ?? null;
    return {
      kind: 'registry',
      registry,
      // A namespace means something where a web API lists one (Docker Hub's); the page decides.
      namespace: namespace !== null && isPathComponent(namespace) ? namespace : null,
      q: filterOf(query?.get('q') ?? null),
    };
  }
  const namespace = hubNamespaceOf(text);
  if (namespace !== null) return { kind: 'registry', registry: DOCKER_HUB, namespace, q: null };
  const reference = parseReference(text);
  if (query === null) return { kind: 'reference', reference, view: {} };
  return {
    kind: 'reference',
    reference,
    view: { q: filterOf(query.get('q')), sort: sortOf(query.get('sort')), platform: platformOf(query.get('platform')), at: dateOf(query.get('at')) },
  };
}

/**
 * A registry host alone is its registry page (docs/design.md "URLs": a single segment with a
 * "." or ":", or `localhost`): `ghcr.io`, `127.0.0.1:5000`, `localhost`, `[::1]:5000`, with or
 * without a trailing "/". A name before ":" counts as a host only when it has a "." (or is
 * `localhost` or `[IPv6]`) and a port follows, so `alpine:3.12` stays the tag docker pull reads.
 */
function registryHostOf(text: string): string | null {
  const host = text.endsWith('/') ? text.slice(0, -1) : text;
  if (host === '' || host.includes('/') || host.includes('@')) return null;
  const bracketed = host.startsWith('[');
  const colon = bracketed ? host.indexOf(']:') + 1 : host.indexOf(':');
  const name = colon > 0 ? host.slice(0, colon) : host;
  const port = colon > 0 ? host.slice(colon + 1) : null;
  if (!(bracketed || name.toLowerCase() === 'localhost' || name.includes('.'))) return null;
  if (port !== null && !/^[0-9]+$/.test(port)) return null;
  return canonicalRegistry(host, text);
}

/**
 * `docker.io/library` and `docker.io/<namespace>/` name a Docker Hub namespace. Docker reads
 * every other `docker.io/<name>` as `library/<name>` (distribution/reference normalize.go;
 * docs/registry-protocol.md §1.4), so `docker.io/alpine` and `docker.io/bitnami` stay
 * official images: only `library` (no official image is called that) and a trailing "/" (no
 * reference ends in one) say "namespace" without changing what docker pull would fetch.
 */
function hubNamespaceOf(text: string): string | null {
  const trailing = text.endsWith('/');
  const parts = (trailing ? text.slice(0, -1) : text).split('/');
  if (parts.length !== 2) return null;
  const [host, namespace] = parts as [string, string];
  if (!(trailing || namespace === 'library') || !isDockerHubHost(host)) return null;
  if (!isPathComponent(namespace)) fail(`"${shown(namespace)}" is not a valid Docker Hub namespace: use lowercase letters and digits, separated by ".", "_", "__" or "-".`);
  return namespace;
}

function isDockerHubHost(host: string): boolean {
  try {
    return canonicalRegistry(host) === DOCKER_HUB;
  } catch {
    return false;
  }
}

/** A reference from parts read out of a page, each checked by the grammar before they are joined. */
function referenceTarget(registry: string, path: string, tag: string | null = null, digest: string | null = null, view: View = {}): Target {
  // A ":" or "@" inside a path part would be read back as a tag or digest once joined.
  if (/[:@]/.test(path)) fail(`"${shown(path)}" is not a valid repository path.`);
  const suffix = `${tag === null ? '' : `:${parseTag(tag)}`}${digest === null ? '' : `@${parseDigest(digest)}`}`;
  return { kind: 'reference', reference: parseReference(`${registry}/${path}${suffix}`), view };
}

/**
 * A page's path segments, percent-decoded; empty ones (a trailing "/", "//") dropped. A "/"
 * encoded inside a segment (%2F) is part of a name only on the sites that write names so
 * (`slashes`); elsewhere it would smuggle extra path components into one part.
 */
function pathSegments(url: URL, { matrixParameters = false, slashes = false } = {}): string[] {
  return url.pathname
    .split('/')
    .map((segment) => (matrixParameters ? segment.replace(/;.*$/, '') : segment))
    .filter((segment) => segment !== '')
    .map((segment) => {
      let decoded: string;
      try {
        decoded = decodeURIComponent(segment);
      } catch {
        fail(`"${shown(segment)}" is not validly percent-encoded.`);
      }
      if (!slashes && decoded.includes('/')) fail(`"${shown(segment)}" holds an encoded "/", which this page's names never do.`);
      return decoded;
    });
}

// ---- Docker Hub ------------------------------------------------------------------------------
// Pages (docs/docker-hub-api.md §1.6, §7, and links as people publish them): `/_/<name>` an
// official image, `/r/<ns>/<name>` any other, each with `/tags` (`?name=` filters the tag list,
// `?ordering=` sorts it); `/repository/docker/<ns>/<name>/…` the owner's view of one;
// `/r/<ns>` and `/u/<ns>` a namespace; `/search?q=`; `/layers/<ns>/<name>/<tag>/images/
// sha256-<hex>` one platform image of a tag (older links: `/layers/<name>/<ns>/<name>/<tag>/…`,
// e.g. `/layers/rust/library/rust/1.49.0/images/sha256-…`).

/** Docker Hub's tag-list orders Tagscope has: `last_updated` newest first, `-last_updated` oldest first (docs/docker-hub-api.md §1.2). */
const HUB_ORDERING: ReadonlyMap<string, string> = new Map([
  ['last_updated', 'pushed'],
  ['-last_updated', '-pushed'],
]);

function fromDockerHub(url: URL): Target {
  const segments = pathSegments(url);
  const [section, a, b, c] = segments;
  const view: View = { q: filterOf(url.searchParams.get('name')), sort: HUB_ORDERING.get(url.searchParams.get('ordering') ?? '') ?? null };
  switch (section) {
    case undefined:
      return { kind: 'registry', registry: DOCKER_HUB, namespace: null, q: null };
    case '_':
      if (a) return referenceTarget(DOCKER_HUB, `library/${a}`, null, null, view);
      break;
    case 'r':
      if (a && b) return referenceTarget(DOCKER_HUB, `${a}/${b}`, null, null, view);
      if (a) return hubNamespace(a);
      break;
    case 'u':
      if (a) return hubNamespace(a);
      break;
    case 'repository':
      if (a === 'docker' && b && c) return referenceTarget(DOCKER_HUB, `${b}/${c}`, null, null, view);
      break;
    case 'layers':
      return hubLayers(segments.slice(1));
    case 'search':
      return { kind: 'registry', registry: DOCKER_HUB, namespace: null, q: filterOf(url.searchParams.get('q')) };
  }
  fail(`This Docker Hub page (${shown(url.pathname)}) is not a repository, namespace, tag or search page. ${UNDERSTOOD}`);
}

function hubNamespace(namespace: string): Target {
  if (!isPathComponent(namespace)) fail(`"${shown(namespace)}" is not a valid Docker Hub namespace.`);
  return { kind: 'registry', registry: DOCKER_HUB, namespace, q: null };
}

/**
 * A layers page shows one platform's image of a tag: the `sha256-<hex>` in it is the platform
 * digest Docker Hub lists per OS/ARCH. It opens as that digest's page (`@digest`), which names
 * the tag as the index it sits in; `:tag@digest` would say the tag no longer points there,
 * because a tag points at its index digest, never at one platform's.
 */
function hubLayers(rest: string[]): Target {
  // After the tag: `images` can also be a namespace or a name.
  const images = rest.indexOf('images', 3);
  const base = images === -1 ? rest.length : images;
  let parts: string[];
  if (base === 3) parts = rest.slice(0, 3);
  else if (base === 4 && rest[0] === rest[2]) parts = rest.slice(1, 4);
  else fail('This Docker Hub layers page does not name a repository and tag (hub.docker.com/layers/<namespace>/<name>/<tag>/images/sha256-…).');
  const [namespace, name, tag] = parts as [string, string, string];
  const image = images === -1 ? undefined : rest[images + 1];
  if (image === undefined) return referenceTarget(DOCKER_HUB, `${namespace}/${name}`, tag);
  const digest = /^([a-z0-9]+)-([0-9a-f]+)$/.exec(image);
  if (!digest) fail(`"${shown(image)}" on this Docker Hub layers page is not a digest (sha256-<64 hex characters>).`);
  return referenceTarget(DOCKER_HUB, `${namespace}/${name}`, null, `${digest[1]}:${digest[2]}`);
}

// ---- GitHub Packages -------------------------------------------------------------------------
// A container package's page: `github.com/<owner>/<repo>/pkgs/container/<name>` (a repository's
// package), `github.com/{users,orgs}/<owner>/packages/container/package/<name>`; one version:
// `…/pkgs/container/<name>/<version id>?tag=<tag>` and `github.com/orgs/<org>/packages/
// container/<name>/<version id>?tag=<tag>` (links in openwrt/docker and agicommies READMEs);
// `…/versions` lists them. A name in a sub-path arrives as one segment with %2F
// (`…/package/podnoms-pages%2Fpodnoms-pages` pulls ghcr.io/podnoms/podnoms-pages/podnoms-pages).

function fromGitHub(url: URL): Target {
  const s = pathSegments(url, { slashes: true });
  let owner: string | undefined;
  let name: string | undefined;
  let rest: string[] = [];
  if ((s[0] === 'users' || s[0] === 'orgs') && s[2] === 'packages' && s[3] === 'container') {
    owner = s[1];
    const named = s[4] === 'package' ? 5 : 4;
    name = s[named];
    rest = s.slice(named + 1);
  } else if (s[2] === 'pkgs' && s[3] === 'container') {
    owner = s[0];
    name = s[4];
    rest = s.slice(5);
  }
  if (!owner || !name) {
    fail('This GitHub page is not a container package: those are github.com/<owner>/<repository>/pkgs/container/<name> or github.com/orgs/<org>/packages/container/package/<name>.');
  }
  let tag: string | null = null;
  if (rest.length === 1 && /^[0-9]+$/.test(rest[0]!)) tag = url.searchParams.get('tag') || null;
  else if (!(rest.length === 0 || (rest.length === 1 && rest[0] === 'versions'))) fail(`This GitHub package page (${shown(url.pathname)}) is not one Tagscope reads.`);
  // GitHub spells the owner as the account does (`KFERMercer`); ghcr.io names are lowercase, as
  // GitHub's own pull command on that page says (`docker pull ghcr.io/kfermercer/ctbcap`).
  return referenceTarget('ghcr.io', `${owner}/${name}`.toLowerCase(), tag);
}

// ---- Quay ------------------------------------------------------------------------------------
// `quay.io/repository/<ns>/<name>` with `?tab=tags` and `?tag=<t1>,<t2>` (the tags the list
// selects: `$scope.setTags($routeParams.tag)` splits it on ",", quay/quay static/js/pages/
// repo-view.js); the new UI's `…/tag/<tag>` and `…/manifest/<digest>` (quay/quay web/src/routes/
// NavigationPath.tsx), which the old UI had for manifests too (static/js/pages/manifest-view.js).

/** Quay's pages below a repository, each followed by one segment. */
const QUAY_SUBPAGES = new Set(['tag', 'manifest', 'build', 'trigger']);

function fromQuay(url: URL): Target {
  const s = pathSegments(url);
  if (s[0] !== 'repository' || s.length < 3) fail('This Quay page is not a repository page (quay.io/repository/<namespace>/<name>).');
  let parts = s.slice(1);
  let tag: string | null = null;
  let digest: string | null = null;
  const subpage = parts.at(-2);
  if (parts.length >= 4 && subpage !== undefined && QUAY_SUBPAGES.has(subpage)) {
    if (subpage === 'tag') tag = parts.at(-1)!;
    if (subpage === 'manifest') digest = parts.at(-1)!;
    parts = parts.slice(0, -2);
  }
  // The old UI's selection is no view of its own here: the list, filtered to the selected tags.
  const view: View = tag === null && digest === null ? { q: selectedTagsFilter(url.searchParams.get('tag')) } : {};
  return referenceTarget('quay.io', parts.join('/'), tag, digest, view);
}

/** `a` → `a`; `a,b` → `/^(?:a|b)$/` (tags hold only `[\w.-]`, so "." is all there is to escape). */
function selectedTagsFilter(value: string | null): string | null {
  const tags = [...new Set((value ?? '').split(',').map((tag) => tag.trim()).filter((tag) => tag !== ''))];
  if (tags.length === 0) return null;
  for (const tag of tags) parseTag(tag);
  return filterOf(tags.length === 1 ? tags[0]! : `/^(?:${tags.map((tag) => tag.replace(/\./g, '\\.')).join('|')})$/`);
}

// ---- Amazon ECR Public Gallery ---------------------------------------------------------------
// `gallery.ecr.aws/<alias>/<name…>` is `public.ecr.aws/<alias>/<name…>` (AWS: "Every public
// repository created on Amazon ECR Public is available on the Amazon ECR Public Gallery";
// `gallery.ecr.aws/docker/library/node` is pulled as `public.ecr.aws/docker/library/node`).
// `gallery.ecr.aws/<alias>` lists an alias's repositories and `/search?searchTerm=` searches:
// neither is one repository, and public.ecr.aws has no catalog to list them from.

function fromEcrGallery(url: URL): Target {
  const s = pathSegments(url);
  if (s.length === 0 || s[0] === 'search') fail('This ECR Public Gallery page is a search: open one of its repositories (gallery.ecr.aws/<alias>/<name>).');
  if (s.length === 1) fail(`gallery.ecr.aws/${shown(s[0]!)} lists the repositories of a registry alias: open one of them (gallery.ecr.aws/<alias>/<name>).`);
  return referenceTarget('public.ecr.aws', s.join('/'));
}

// ---- Google Cloud console --------------------------------------------------------------------
// Artifact Registry: `console.cloud.google.com/artifacts/docker/<project>/<location>/
// <repository>/<image>[/<digest>]`, the image with %2F for "/" (`…/public-docker-us/
// sdktesters-v2%2Fsdk-tester`), tabs as matrix parameters (`…/sha256:<hex>;tab=vulnerabilities`),
// naming `<location>-docker.pkg.dev/<project>/<repository>/<image>` (cloud.google.com/
// artifact-registry/docs/docker/names). Container Registry: `console.cloud.google.com/gcr/
// images/<project>/<location>/<image…>[@<digest>|:<tag>][/details]` with location GLOBAL, US,
// EU or ASIA for gcr.io, us.gcr.io, eu.gcr.io, asia.gcr.io (container-registry/docs/overview;
// links such as `…/gcr/images/distroless/global/java17@sha256:…/details?tab=vulnz`). A project
// scoped to a domain (`example.com:proj`) is written with "/" in image names (same pages).

const GCR_HOSTS: ReadonlyMap<string, string> = new Map([
  ['global', 'gcr.io'],
  ['us', 'us.gcr.io'],
  ['eu', 'eu.gcr.io'],
  ['asia', 'asia.gcr.io'],
]);

function fromGoogleCloudConsole(url: URL): Target {
  const s = pathSegments(url, { matrixParameters: true, slashes: true });
  if (s[0] === 'artifacts' && s[1] === 'docker') return artifactRegistryImage(s.slice(2));
  if (s[0] === 'gcr' && s[1] === 'images') return containerRegistryImage(s.slice(2), url.searchParams);
  fail('This Google Cloud console page is not an Artifact Registry or Container Registry image page.');
}

function projectPath(project: string): string {
  return project.replace(':', '/');
}

function artifactRegistryImage(s: string[]): Target {
  const [project, location, repository, image, version, ...extra] = s;
  if (!project || !location || !repository) fail('This Artifact Registry page does not name a repository (…/artifacts/docker/<project>/<location>/<repository>/<image>).');
  if (!image) fail(`This Artifact Registry page is the repository "${shown(repository)}", which holds images: open one of them.`);
  if (extra.length > 0) fail('This Artifact Registry page is not one Tagscope reads.');
  if (!/^[a-z][a-z0-9-]*[a-z0-9]$/.test(location)) fail(`"${shown(location)}" is not an Artifact Registry location.`);
  return referenceTarget(`${location}-docker.pkg.dev`, `${projectPath(project)}/${repository}/${image}`, null, version ?? null);
}

function containerRegistryImage(s: string[], query: URLSearchParams): Target {
  const [project, location, ...image] = s;
  if (!project || !location || image.length === 0) fail('This Container Registry page lists a project\'s images: open one of them.');
  const host = GCR_HOSTS.get(location.toLowerCase());
  if (!host) fail(`"${shown(location)}" is not a Container Registry location (GLOBAL, US, EU or ASIA).`);
  if (image.length > 1 && image.at(-1) === 'details') image.pop();
  let last = image.pop()!;
  let digest: string | null = null;
  let tag: string | null = null;
  const at = last.indexOf('@');
  if (at !== -1) [last, digest] = [last.slice(0, at), last.slice(at + 1)];
  const colon = last.lastIndexOf(':');
  if (colon > last.lastIndexOf('/')) [last, tag] = [last.slice(0, colon), last.slice(colon + 1)];
  const view: View = tag === null && digest === null ? { q: filterOf(query.get('tag')) } : {};
  return referenceTarget(host, `${projectPath(project)}/${[...image, last].join('/')}`, tag, digest, view);
}

// ---- Pull commands ---------------------------------------------------------------------------
// `docker pull`, `docker image pull`, `podman [image] pull`, `nerdctl pull`, after an optional
// `$` prompt and `sudo`. Options are those of their pull commands; any other is refused rather
// than guessed at, since an option that takes a value would otherwise be read as the image.

const PULL_PROGRAMS = new Set(['docker', 'podman', 'nerdctl']);
/** Options that take a value (docker: --platform; podman: --arch --os --variant --authfile …; nerdctl: --unpack). */
const PULL_VALUE_OPTIONS = new Set(['--platform', '--arch', '--os', '--variant', '--authfile', '--cert-dir', '--creds', '--decryption-key', '--retry', '--retry-delay', '--policy', '--unpack']);
/** Options that take none (or `=true|false`). */
const PULL_FLAGS = new Set(['-a', '--all-tags', '-q', '--quiet', '--disable-content-trust', '--tls-verify', '--all-platforms']);

function fromCommand(text: string): Target {
  const words = text.split(/\s+/).map(unquote);
  let i = 0;
  if (words[i] === '$' || words[i] === '#') i++;
  if (words[i] === 'sudo') i++;
  const program = words[i] ?? '';
  if (!PULL_PROGRAMS.has(program)) fail(`"${shown(text)}" is neither a reference nor a pull command. ${UNDERSTOOD}`);
  i++;
  if (words[i] === 'image') i++;
  if (words[i] !== 'pull') fail(`Only pull commands are read ("${program} pull <image>"); "${shown(text)}" is not one.`);
  i++;

  const values = new Map<string, string>();
  let allTags = false;
  const images: string[] = [];
  let optionsEnded = false;
  for (; i < words.length; i++) {
    const word = words[i]!;
    if (optionsEnded || !word.startsWith('-') || word === '-') {
      images.push(word);
      continue;
    }
    if (word === '--') {
      optionsEnded = true;
      continue;
    }
    const equals = word.indexOf('=');
    const option = equals === -1 ? word : word.slice(0, equals);
    if (PULL_VALUE_OPTIONS.has(option)) {
      const value = equals === -1 ? words[++i] : word.slice(equals + 1);
      if (!value) fail(`The option ${option} has no value.`);
      values.set(option, value);
    } else if (PULL_FLAGS.has(option) || /^-[aq]+$/.test(option)) {
      if (/^(?:-[aq]*a[aq]*|--all-tags)$/.test(option)) allTags = equals === -1 || word.slice(equals + 1) !== 'false';
    } else {
      fail(`The pull command has an option Tagscope does not read: ${shown(option)}.`);
    }
  }
  if (images.length !== 1) {
    fail(images.length === 0 ? 'The pull command names no image.' : `A pull command names one image; this one names ${images.length}: ${shown(images.join(' '))}.`);
  }
  const reference = parseReference(images[0]!);
  if (allTags && (reference.tag !== null || reference.digest !== null)) {
    fail('A pull of all tags names a repository without a tag or digest, as docker pull --all-tags requires.');
  }
  return { kind: 'reference', reference, view: { platform: commandPlatform(values) } };
}

function unquote(word: string): string {
  return /^(['"]).*\1$/.test(word) && word.length >= 2 ? word.slice(1, -1) : word;
}

/** `--platform os/arch[/variant]`, or podman's `--os` `--arch` `--variant` (OS linux unless given). */
function commandPlatform(values: Map<string, string>): string | null {
  const arch = values.get('--arch');
  const given = values.get('--platform') ?? (arch ? [values.get('--os') ?? 'linux', arch, values.get('--variant')].filter(Boolean).join('/') : null);
  if (given === null) return null;
  const platform = parsePlatform(given);
  if (!platform) fail(`"${shown(given)}" is not a platform: write it as os/architecture[/variant], such as linux/arm64.`);
  return platformKey(platform);
}

// ---- View state --------------------------------------------------------------------------
// Query values arrive percent-decoded and may hold anything: each is kept only in the form the
// page reads it, else left out (the page is still the one the address named).

function filterOf(value: string | null): string | null {
  const text = value?.trim() ?? '';
  if (text === '' || text.length > FILTER_MAX_LENGTH || HIDDEN_CHARACTERS.test(text)) return null;
  return text;
}

function sortOf(value: string | null): string | null {
  return value !== null && value !== DEFAULT_SORT && parseSort(value) !== null ? value : null;
}

/** A platform as the toolbar matches it: normalized, so `linux/arm64/v8` is `linux/arm64`. */
function platformOf(value: string | null): string | null {
  const platform = value === null ? null : parsePlatform(value);
  return platform ? platformKey(platform) : null;
}

/**
 * `?at=` is kept as it came, bounded: the tag page reads it (lib/history/dates.ts) and answers a
 * value that is no date with a 400 that says the form it takes, which is more use to the person
 * who typed it than a redirect that quietly drops it.
 */
function dateOf(value: string | null): string | null {
  const text = value?.trim() ?? '';
  if (text === '' || text.length > DATE_MAX_LENGTH || HIDDEN_CHARACTERS.test(text)) return null;
  return text;
}

// ---- Writing the address ---------------------------------------------------------------------

function hrefOf(target: Target): string {
  if (target.kind === 'registry') {
    // The registry page: `/r/<host>`, as referenceHref writes one segment.
    return withQuery(referenceHref(target.registry), [
      ['namespace', target.namespace],
      ['q', target.q],
    ]);
  }
  const { reference, view } = target;
  const repositoryView = reference.tag === null && reference.digest === null;
  const tagView = reference.tag !== null && reference.digest === null;
  return withQuery(
    referenceHref(reference),
    repositoryView
      ? [
          ['q', view.q],
          ['sort', view.sort],
          ['platform', view.platform],
        ]
      : [
          ['platform', view.platform],
          ['at', tagView ? view.at : null],
        ],
  );
}

function withQuery(path: string, params: [string, string | null | undefined][]): string {
  const pairs = params.filter((pair): pair is [string, string] => typeof pair[1] === 'string' && pair[1] !== '');
  if (pairs.length === 0) return path;
  // `/` and `:` stay readable (`platform=linux/arm64`): RFC 3986 allows both in a query.
  const encode = (value: string) => encodeURIComponent(value).replace(/%2F/gi, '/').replace(/%3A/gi, ':');
  return `${path}?${pairs.map(([key, value]) => `${key}=${encode(value)}`).join('&')}`;
}

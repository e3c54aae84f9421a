// Image references: the grammar `docker pull` uses (distribution/reference), with Docker's
// normalization, but WITHOUT adding a default tag — `alpine` is a repository, `alpine:latest`
// a tag. Pure string work: no network, safe in the browser, in scripts and on the server.
// Facts and sources: docs/registry-protocol.md §1.

import { RegistryError } from './errors';

export const DOCKER_HUB = 'docker.io';
/** Docker Hub's v2 API answers here, not at docker.io (§1.5). */
export const DOCKER_HUB_API_HOST = 'registry-1.docker.io';
/** Host names that mean Docker Hub and normalize to `docker.io`. */
const DOCKER_HUB_ALIASES = new Set(['docker.io', 'index.docker.io', 'registry-1.docker.io']);
export const DEFAULT_TAG = 'latest';

/** distribution/reference: RepositoryNameTotalLengthMax, counted on the path only (aaca75e). */
export const PATH_MAX_LENGTH = 255;
export const TAG_MAX_LENGTH = 128;

// The grammar, built from named parts as distribution/reference's regexp.go builds it.
const alphanumeric = '[a-z0-9]+';
const separator = '(?:[._]|__|[-]+)';
const pathComponent = `${alphanumeric}(?:${separator}${alphanumeric})*`;
const domainNameComponent = '(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])';
const domainName = `${domainNameComponent}(?:\\.${domainNameComponent})*`;
const ipv6Address = '\\[[a-fA-F0-9:]+\\]';
const host = `(?:${domainName}|${ipv6Address})`;
const port = '[0-9]+';

const PATH_COMPONENT = new RegExp(`^${pathComponent}$`);
const DOMAIN = new RegExp(`^(${host})(?::(${port}))?$`);
const TAG = /^[\w][\w.-]{0,127}$/;
const DIGEST = /^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-zA-Z=_-]+$/;
/** The digest algorithms Tagscope accepts from people, with their encoded lengths. */
const DIGEST_ALGORITHMS: Record<string, number> = { sha256: 64, sha512: 128 };
const BARE_HEX_ID = /^[a-f0-9]{64}$/;
/** A `sha256-<hex>` tag: cosign signatures, attachments and the referrers fallback (§5.5). */
export const SIGNATURE_TAG = /^(sha256|sha512)-([0-9a-f]{64}|[0-9a-f]{128})(?:\.(sig|att|sbom))?$/;

export interface Reference {
  /** `docker.io`, `ghcr.io`, `localhost:5000`, `[::1]:5000` — one spelling per host (canonicalRegistry). */
  registry: string;
  /** `library/alpine` */
  path: string;
  /** registry + path: `docker.io/library/alpine` */
  repository: string;
  tag: string | null;
  digest: string | null;
  /** `docker.io/library/alpine:3.12`, never with an added tag. */
  canonical: string;
  /** As Docker prints it: `alpine:3.12`. */
  familiar: string;
}

function invalid(input: string, reason: string, hint?: string): never {
  const shown = input.length > 80 ? `${input.slice(0, 77)}…` : input;
  throw new RegistryError(
    'INVALID_REFERENCE',
    `"${shown}" is not a valid image reference: ${reason}${hint ? `. ${hint}` : ''}`,
    { reason },
  );
}

/** Checks a digest string a person typed or a registry sent; returns it unchanged. */
export function parseDigest(digest: string, input = digest): string {
  if (!DIGEST.test(digest)) {
    invalid(input, 'the digest must look like sha256:<64 hex characters>');
  }
  const colon = digest.indexOf(':');
  const algorithm = digest.slice(0, colon);
  const encoded = digest.slice(colon + 1);
  const length = DIGEST_ALGORITHMS[algorithm];
  if (length === undefined) {
    invalid(input, `unsupported digest algorithm "${algorithm}"`, 'Use sha256 or sha512');
  }
  if (encoded.length !== length) {
    invalid(input, `a ${algorithm} digest has ${length} hex characters, this one has ${encoded.length}`);
  }
  if (!/^[a-f0-9]+$/.test(encoded)) {
    invalid(input, 'the digest must be lowercase hexadecimal (0-9, a-f)');
  }
  return digest;
}

/**
 * A digest Tagscope uses — from a person, a registry's header or a manifest: sha256 or sha512
 * with exactly their lengths of lowercase hex (image-spec descriptor.md "Registered
 * algorithms"). It becomes a request path, a cache file name and a link, so nothing else is
 * let through. `parseDigest` accepts the same set and says what is wrong with the rest.
 */
export const CONTENT_DIGEST = /^(?:sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;

export function isDigest(value: string): boolean {
  return CONTENT_DIGEST.test(value);
}

/** Checks a tag name; tags may be uppercase, paths may not. */
export function parseTag(tag: string, input = tag): string {
  if (tag.length === 0) invalid(input, 'the tag after ":" is empty');
  if (tag.length > TAG_MAX_LENGTH) {
    invalid(input, `the tag is ${tag.length} characters long; at most ${TAG_MAX_LENGTH} are allowed`);
  }
  if (!TAG.test(tag)) {
    invalid(
      input,
      `the tag "${tag}" may only contain letters, digits, "_", "." and "-", and must not start with "." or "-"`,
    );
  }
  return tag;
}

/** Is this a tag by the grammar? The cheap test for names a registry lists (no exception). */
export function isTag(name: string): boolean {
  return name.length <= TAG_MAX_LENGTH && TAG.test(name);
}

/**
 * Is this a repository path by the grammar (`library/alpine`, `team/app/api`)? The cheap test
 * for names a registry's catalog lists (no exception): lowercase path components joined by
 * `/`, at most 255 characters. A name that fails is never requested, cached or shown.
 */
export function isRepositoryPath(name: string): boolean {
  return name.length > 0 && name.length <= PATH_MAX_LENGTH && name.split('/').every((component) => PATH_COMPONENT.test(component));
}

/**
 * A registry host as a person names one on its own (`ghcr.io`, `localhost:5000`,
 * `index.docker.io`), in its one spelling (canonicalRegistry). It must read as a host the way
 * `docker pull` tells one from a path — a `.` or `:`, or `localhost` — so `alpine` is refused
 * with a hint rather than taken for a registry named alpine.
 */
export function parseRegistryHost(input: string): string {
  const host = input.trim();
  if (!(host.toLowerCase() === 'localhost' || host.includes('.') || host.includes(':'))) {
    const shown = host.length > 80 ? `${host.slice(0, 77)}…` : host;
    throw new RegistryError(
      'INVALID_REFERENCE',
      `"${shown}" is not a registry host: a registry host has a "." or a ":" (ghcr.io, localhost:5000); Docker Hub is docker.io`,
      { reason: 'not a registry host' },
    );
  }
  return canonicalRegistry(host, input);
}

/**
 * The one spelling of a registry host, so every alias shares limits, caches, credentials and
 * auth state: the host as the WHATWG URL parser spells it (lower case; `127.1`, `2130706433`,
 * `0x7f.1` → `127.0.0.1`; `[0:0::1]` → `[::1]`), the port without leading zeros, and Docker
 * Hub's host names as `docker.io`. A port is neither added nor dropped: `example.com:443` is
 * a name of its own, as it is for `docker pull`. Throws INVALID_REFERENCE for a host the URL
 * parser refuses (`foo.123`, `999.1.1.1`, `[1::2::3]`).
 */
export function canonicalRegistry(domain: string, input = domain): string {
  const match = DOMAIN.exec(domain);
  if (!match) {
    invalid(input, `"${domain}" is not a valid registry host`, 'Use a host name, host:port or [IPv6]:port');
  }
  const [, hostText, portText] = match;
  const portNumber = portText === undefined ? null : Number(portText);
  if (portNumber !== null && !(portNumber >= 1 && portNumber <= 65535)) {
    invalid(input, `port ${portText} is out of range (1-65535)`);
  }
  let hostname: string;
  try {
    // Only the host goes through the parser: it drops a scheme's default port (`:80`).
    hostname = new URL(`http://${hostText}`).hostname;
  } catch {
    invalid(input, `"${hostText}" is not a valid registry host`, 'Use a host name, an IPv4 address or [IPv6]');
  }
  const canonical = portNumber === null ? hostname : `${hostname}:${portNumber}`;
  if (DOCKER_HUB_ALIASES.has(canonical)) return DOCKER_HUB;
  // A first element that is a host only because of its capitals (`Foo/bar`) keeps them, or
  // its canonical form would read as a Docker Hub path.
  return looksLikeDomain(canonical) ? canonical : domain;
}

/** Is this one path component by the grammar (`library`, `bitnami`, `a__b`)? No exception. */
export function isPathComponent(component: string): boolean {
  return PATH_COMPONENT.test(component);
}

/** Docker's splitDockerDomain (normalize.go): is the first path element a registry host? */
function looksLikeDomain(first: string): boolean {
  return (
    first === 'localhost' ||
    first.includes('.') ||
    first.includes(':') ||
    first.toLowerCase() !== first
  );
}

function parsePath(path: string, registry: string, input: string): string {
  if (path.length === 0) invalid(input, 'the repository name is empty');
  if (path.toLowerCase() !== path) {
    invalid(input, 'repository name must be lowercase', `Try "${path.toLowerCase()}"`);
  }
  const components = path.split('/');
  for (const component of components) {
    if (component.length === 0) {
      invalid(input, 'the repository name has an empty path component ("//" or a "/" at an end)');
    }
    if (!PATH_COMPONENT.test(component)) {
      invalid(
        input,
        `"${component}" is not a valid path component: use lowercase letters and digits, separated by ".", "_", "__" or "-"`,
      );
    }
  }
  const full = registry === DOCKER_HUB && components.length === 1 ? `library/${path}` : path;
  if (full.length > PATH_MAX_LENGTH) {
    invalid(input, `the repository name is ${full.length} characters long; at most ${PATH_MAX_LENGTH} are allowed`);
  }
  return full;
}

/**
 * Parses and normalizes a reference: `alpine`, `ghcr.io/org/app:1.4`, `quay.io/x/y@sha256:…`,
 * `localhost:5000/demo:3.12@sha256:…`. Throws RegistryError INVALID_REFERENCE with a reason a
 * person understands.
 */
export function parseReference(rawInput: string): Reference {
  const input = rawInput.trim();
  if (input.length === 0) invalid(rawInput, 'it is empty', 'Type a repository such as alpine or ghcr.io/org/app:1.4');
  if (/\s/.test(input)) invalid(input, 'it contains white space');
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(input)) {
    invalid(input, 'it is a URL, not a reference', 'Leave out the scheme: ghcr.io/org/app, not https://ghcr.io/org/app');
  }
  if (BARE_HEX_ID.test(input)) {
    invalid(input, 'a bare 64-character hex string is an image ID, not a reference', 'Use <repository>@sha256:<hex>');
  }

  let name = input;
  let digest: string | null = null;
  const at = name.indexOf('@');
  if (at !== -1) {
    digest = parseDigest(name.slice(at + 1), input);
    name = name.slice(0, at);
  }

  // The tag is after the last ":" that follows the last "/": `localhost:5000/app` has none.
  let tag: string | null = null;
  const colon = name.lastIndexOf(':');
  if (colon > name.lastIndexOf('/') && !name.endsWith(']')) {
    tag = parseTag(name.slice(colon + 1), input);
    name = name.slice(0, colon);
  }
  if (name.length === 0) invalid(input, 'the repository name is empty');

  const slash = name.indexOf('/');
  const first = slash === -1 ? name : name.slice(0, slash);
  let registry = DOCKER_HUB;
  let rest = name;
  if (slash !== -1 && looksLikeDomain(first)) {
    registry = canonicalRegistry(first, input);
    rest = name.slice(slash + 1);
  } else if (first.startsWith('[')) {
    invalid(input, `"${first}" looks like a registry host without a repository`, 'Add the repository path: [host]:port/name');
  }
  const path = parsePath(rest, registry, input);
  return makeReference(registry, path, tag, digest);
}

/**
 * Builds the canonical and familiar forms of an already-valid reference; the registry may be
 * any spelling of its host (see canonicalRegistry).
 */
export function makeReference(
  registryName: string,
  path: string,
  tag: string | null,
  digest: string | null,
): Reference {
  const registry = canonicalRegistry(registryName);
  const repository = `${registry}/${path}`;
  const suffix = `${tag === null ? '' : `:${tag}`}${digest === null ? '' : `@${digest}`}`;
  return {
    registry,
    path,
    repository,
    tag,
    digest,
    canonical: `${repository}${suffix}`,
    familiar: `${familiarName(registry, path)}${suffix}`,
  };
}

/** Docker's familiarizeName: drop `docker.io/`, and `library/` for official images. */
export function familiarName(registry: string, path: string): string {
  if (registry !== DOCKER_HUB) return `${registry}/${path}`;
  const official = path.startsWith('library/') && !path.slice('library/'.length).includes('/');
  if (official) return path.slice('library/'.length);
  // `docker.io/example.com/app` must keep its prefix, or it would read as registry example.com.
  const first = path.split('/')[0]!;
  return path.includes('/') && looksLikeDomain(first) ? `${DOCKER_HUB}/${path}` : path;
}

/** Parses `registry/path` with neither tag nor digest, as the API's `repository=` takes it. */
export function parseRepository(input: string): Reference {
  const reference = parseReference(input);
  if (reference.tag !== null || reference.digest !== null) {
    invalid(input, 'a repository has no tag or digest', `Try "${reference.repository}"`);
  }
  return reference;
}

/** The `/r/…` address of a reference: segments encoded, `:` and `@` kept readable. */

/** `sha256-<hex>[.sig|.att|.sbom]` → the digest it names and the attachment kind. */
export function parseSignatureTag(tag: string): { subject: string; kind: string | null } | null {
  const match = SIGNATURE_TAG.exec(tag);
  if (!match) return null;
  const [, algorithm, hex, kind] = match;
  if (DIGEST_ALGORITHMS[algorithm!] !== hex!.length) return null;
  return { subject: `${algorithm}:${hex}`, kind: kind ?? null };
}

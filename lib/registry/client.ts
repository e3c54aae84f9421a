// The registry client's verbs: list tags, HEAD and GET manifests, fetch blobs and configs,
// and resolve a reference into its index digest and platform table. Plain Node; every request
// goes through the Transport. Sources: distribution-spec spec.md; docs/registry-protocol.md §3-8.

import { dockerHubHasNoCatalog, explainCatalogFailure } from './catalog';
import { RegistryError } from './errors';
import { LIMITS } from './limits';
import { readNameList } from './paged-list';
import { digestOf, manifestDigest, parseManifest, schema1Payload, type Descriptor, type ParsedManifest } from './manifest';
import { MANIFEST_ACCEPT, MediaType, baseMediaType } from './media-types';
import type { RateLimit } from './rate-limit';
import { DEFAULT_TAG, DOCKER_HUB, isDigest, isRepositoryPath, isTag, type Reference } from './reference';
import { parseImageConfig, type ImageConfig } from './image-config';
import type { ResolvedPlatform } from './index-walk';
import { resolveImage, type ResolvedImage } from './resolve';

export type { ResolvedImage, ResolvedPlatform };
import { catalogSchema, tagListSchema } from './schemas';
import { Transport, type TransportOptions } from './transport';

/** What a verb needs to name a repository: `{ registry, path }` of a parsed Reference. */
export type RepositoryRef = Pick<Reference, 'registry' | 'path'>;

/** Per-call options: cancellation, and the queue priority (lower sooner) at a busy host. */
export interface CallOptions {
  signal?: AbortSignal;
  priority?: number;
}

export interface TagList {
  /** Tag names that follow the grammar (distribution/reference), de-duplicated and sorted. */
  tags: string[];
  truncated: boolean;
  /** Why the list is incomplete, in words, when it is. */
  truncatedBy: string | null;
  pages: number;
  /** Names the registry listed that are not tags by the grammar: counted, never used. */
  invalidTags: number;
  /** Google registries' digest → details map, when sent (docs/registry-protocol.md §3.2); plain JSON so caches can share it. */
  google: Record<string, { tags: string[]; mediaType: string | null }> | null;
}

export interface CatalogOptions extends CallOptions {
  /** Start after this name (non-inclusive), as the registry's `last` does. */
  last?: string;
  maxRepositories?: number;
  maxPages?: number;
  maxBytes?: number;
  deadlineMs?: number;
}

/** One page of a catalog: the names that follow the repository grammar, first seen here. */
export interface CatalogPage {
  repositories: string[];
  /** Names on this page that are not repository paths: counted, never used. */
  invalidRepositories: number;
}

export interface CatalogEnd {
  pages: number;
  /** Repositories listed, over all pages. */
  count: number;
  invalidRepositories: number;
  truncated: boolean;
  /** Why the list is incomplete, in words, when it is. */
  truncatedBy: string | null;
  /** When truncated: the last repository listed, to resume after with `last`; else null. */
  last: string | null;
}

export interface Catalog extends CatalogEnd {
  repositories: string[];
}

export interface ManifestHead {
  /** Docker-Content-Digest, or null when the registry leaves it out (then GET). */
  digest: string | null;
  mediaType: string | null;
  size: number | null;
  rateLimit: RateLimit | null;
}

export interface FetchedManifest {
  /** Tag or digest asked for. */
  reference: string;
  /** sha256 of the exact bytes received (the JWS payload for signed schema1). */
  digest: string;
  mediaType: string;
  size: number;
  bytes: Buffer;
  /** true: the bytes hash to the digest asked for, or to Docker-Content-Digest; null: neither was given. */
  verified: boolean | null;
  /** Response headers, names lower-cased. */
  headers: Record<string, string>;
  manifest: ParsedManifest;
  rateLimit: RateLimit | null;
}


function headerMap(headers: Headers): Record<string, string> {
  const map: Record<string, string> = {};
  headers.forEach((value, name) => {
    map[name.toLowerCase()] = value;
  });
  return map;
}

export class RegistryClient {
  readonly transport: Transport;

  constructor(options: TransportOptions | Transport = {}) {
    this.transport = options instanceof Transport ? options : new Transport(options);
  }

  private url(repo: RepositoryRef, suffix: string): URL {
    return new URL(`/v2/${repo.path}/${suffix}`, this.transport.baseUrl(repo.registry));
  }

  /**
   * Every tag, following Link pages on the same host, de-duplicated and sorted. A listing is
   * bounded in pages, tags, bytes and time; what stops it is said in `truncatedBy`. Names off
   * the tag grammar are counted and dropped: they are never requested, cached or shown.
   */
  async listTags(repo: RepositoryRef, options: CallOptions & { maxTags?: number; maxPages?: number; maxBytes?: number; deadlineMs?: number } = {}): Promise<TagList> {
    const first = this.url(repo, 'tags/list');
    first.searchParams.set('n', String(LIMITS.tagPageSize));
    const pages = readNameList(this.transport, {
      registry: repo.registry,
      repository: repo.path,
      kind: 'tags',
      first,
      schema: tagListSchema,
      names: (page) => page.tags,
      valid: isTag,
      words: { items: 'tags', list: 'tag list', owner: repo.path },
      limits: {
        items: options.maxTags ?? LIMITS.tags,
        pages: options.maxPages ?? LIMITS.tagPages,
        bytes: options.maxBytes ?? LIMITS.tagListBytes,
        pageBytes: LIMITS.tagPageBytes,
        deadlineMs: options.deadlineMs ?? LIMITS.tagListMs,
      },
      signal: options.signal,
      priority: options.priority,
    });
    const tags: string[] = [];
    let google: TagList['google'] = null;
    let next = await pages.next();
    for (; !next.done; next = await pages.next()) {
      tags.push(...next.value.names);
      const manifest = next.value.page.manifest;
      if (!manifest) continue;
      google ??= {};
      for (const [digest, info] of Object.entries(manifest)) {
        if (!isDigest(digest)) continue;
        google[digest] = { tags: (info.tag ?? []).filter(isTag), mediaType: info.mediaType ?? null };
      }
    }
    const end = next.value;
    return { tags: tags.sort(), truncated: end.truncatedBy !== null, truncatedBy: end.truncatedBy, pages: end.pages, invalidTags: end.invalid, google };
  }

  /**
   * The registry's repositories (/v2/_catalog), a page at a time in the registry's order
   * (lexical, by the spec), each name once, from the first or from after `last`. Docker Hub
   * is never asked: it has none. Bounded like a tag list; names off the repository grammar
   * are counted and dropped. A refusal is said as what it means (lib/registry/catalog.ts):
   * UNSUPPORTED, or UNAUTHORIZED / DENIED where credentials are the matter.
   */
  async *catalog(registry: string, options: CatalogOptions = {}): AsyncGenerator<CatalogPage, CatalogEnd> {
    if (registry === DOCKER_HUB) throw dockerHubHasNoCatalog();
    const first = new URL('/v2/_catalog', this.transport.baseUrl(registry));
    first.searchParams.set('n', String(LIMITS.catalogPageSize));
    if (options.last) first.searchParams.set('last', options.last);
    const pages = readNameList(this.transport, {
      registry,
      repository: null,
      kind: 'catalog',
      first,
      schema: catalogSchema,
      names: (page) => page.repositories,
      valid: isRepositoryPath,
      words: { items: 'repositories', list: 'repository list', owner: registry },
      limits: {
        items: options.maxRepositories ?? LIMITS.repositories,
        pages: options.maxPages ?? LIMITS.catalogPages,
        bytes: options.maxBytes ?? LIMITS.catalogBytes,
        pageBytes: LIMITS.catalogPageBytes,
        deadlineMs: options.deadlineMs ?? LIMITS.catalogMs,
      },
      signal: options.signal,
      priority: options.priority,
    });
    try {
      for (let next = await pages.next(); ; next = await pages.next()) {
        if (next.done) {
          const { pages: read, count, invalid, truncatedBy, last } = next.value;
          return { pages: read, count, invalidRepositories: invalid, truncated: truncatedBy !== null, truncatedBy, last: truncatedBy === null ? null : last };
        }
        yield { repositories: next.value.names, invalidRepositories: next.value.invalid };
      }
    } catch (error) {
      throw explainCatalogFailure(error, registry, this.transport.auth.credentialFor(registry) !== null);
    }
  }

  /** Every page of the catalog together (scripts and tests; the app streams `catalog`). */
  async listCatalog(registry: string, options: CatalogOptions = {}): Promise<Catalog> {
    const repositories: string[] = [];
    const pages = this.catalog(registry, options);
    let next = await pages.next();
    for (; !next.done; next = await pages.next()) repositories.push(...next.value.repositories);
    return { ...next.value, repositories };
  }

  private manifestRequest(repo: RepositoryRef, reference: string, method: 'GET' | 'HEAD', options: CallOptions) {
    return this.transport.send({
      registry: repo.registry,
      repository: repo.path,
      method,
      url: this.url(repo, `manifests/${reference}`),
      kind: 'manifest',
      accept: MANIFEST_ACCEPT,
      maxBytes: LIMITS.manifestBytes,
      signal: options.signal,
      priority: options.priority,
      describe: `${repo.path}${isDigest(reference) ? '@' : ':'}${reference}`,
    });
  }

  /** HEAD with the same Accept as GET; free on Docker Hub (docs/registry-protocol.md §4.5). */
  async headManifest(repo: RepositoryRef, reference: string, options: CallOptions = {}): Promise<ManifestHead> {
    const response = await this.manifestRequest(repo, reference, 'HEAD', options);
    const digest = response.headers.get('docker-content-digest');
    const length = Number(response.headers.get('content-length'));
    return {
      digest: digest && isDigest(digest) ? digest : null,
      mediaType: baseMediaType(response.headers.get('content-type')),
      size: Number.isFinite(length) && response.headers.has('content-length') ? length : null,
      rateLimit: response.rateLimit,
    };
  }

  /**
   * GETs a manifest and proves its identity: the digest is computed from the bytes; fetched
   * by digest it must equal that digest, by tag it must equal Docker-Content-Digest when the
   * registry sends one. A mismatch is DIGEST_MISMATCH, never a verified answer.
   */
  async getManifest(repo: RepositoryRef, reference: string, options: CallOptions = {}): Promise<FetchedManifest> {
    const response = await this.manifestRequest(repo, reference, 'GET', options);
    const byDigest = isDigest(reference);
    const manifest = parseManifest(response.body, response.headers.get('content-type'));
    // A signed schema1 manifest is identified by its JWS payload; a body whose payload cannot
    // be trusted by its own hash, which will not be what the registry claims: fetched by tag
    // that is "not verified" (null), fetched by digest it is a mismatch like any other.
    const unverifiable = manifest.mediaType === MediaType.DockerSchema1Signed && schema1Payload(response.body) === null;
    const digest = manifestDigest(response.body, manifest.mediaType, byDigest ? reference : undefined);
    const header = response.headers.get('docker-content-digest');
    const expected = byDigest ? reference : header && isDigest(header) ? header : null;
    if (expected !== null && expected !== digest && !(unverifiable && !byDigest)) {
      throw new RegistryError(
        'DIGEST_MISMATCH',
        `the bytes ${repo.registry} sent for ${repo.path}${byDigest ? '@' : ':'}${reference} hash to ${digest}, not ${expected}`,
        { expected, actual: digest },
      );
    }
    return {
      reference,
      digest,
      mediaType: manifest.mediaType,
      size: response.body.length,
      bytes: response.body,
      verified: expected === digest ? true : null,
      headers: headerMap(response.headers),
      manifest,
      rateLimit: response.rateLimit,
    };
  }

  /** A blob by digest, redirects followed by hand, size and digest verified. */
  async getBlob(repo: RepositoryRef, digest: string, options: CallOptions & { maxBytes: number; expectedSize?: number }): Promise<Buffer> {
    if (options.expectedSize !== undefined && options.expectedSize > options.maxBytes) {
      throw new RegistryError('TOO_LARGE', `blob ${digest} is ${options.expectedSize} bytes, over the ${options.maxBytes}-byte limit`, {
        limit: options.maxBytes,
        size: options.expectedSize,
      });
    }
    const response = await this.transport.send({
      registry: repo.registry,
      repository: repo.path,
      method: 'GET',
      url: this.url(repo, `blobs/${digest}`),
      kind: 'blob',
      maxBytes: options.maxBytes,
      signal: options.signal,
      priority: options.priority,
      describe: `${repo.path}@${digest}`,
    });
    const actual = digestOf(response.body, digest);
    if (actual !== digest || (options.expectedSize !== undefined && response.body.length !== options.expectedSize)) {
      throw new RegistryError('DIGEST_MISMATCH', `the blob ${repo.registry} sent for ${digest} hashes to ${actual} (${response.body.length} bytes)`, {
        expected: digest,
        actual,
      });
    }
    return response.body;
  }

  /** The image config a manifest names: its digest is the image ID `docker images` shows. */
  async getConfig(repo: RepositoryRef, config: Descriptor, options: CallOptions = {}): Promise<{ bytes: Buffer; config: ImageConfig }> {
    const bytes = await this.getBlob(repo, config.digest, { ...options, maxBytes: LIMITS.configBytes, expectedSize: config.size });
    return { bytes, config: parseImageConfig(bytes, config.digest) };
  }

  /**
   * Resolves a reference the way `docker pull` does, but for every platform: the index digest,
   * then each platform manifest (nested indexes followed to a bounded depth), its compressed
   * size and image ID (lib/registry/resolve.ts).
   */
  async resolve(reference: Reference, options: { signal?: AbortSignal } = {}): Promise<ResolvedImage> {
    const top = await this.getManifest(reference, reference.digest ?? reference.tag ?? DEFAULT_TAG, options);
    return resolveImage(top, {
      manifest: (digest) => this.getManifest(reference, digest, options),
      config: async (descriptor) => (await this.getConfig(reference, descriptor, options)).config,
    }, options);
  }
}

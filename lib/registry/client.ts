// The registry client's verbs: list tags, HEAD and GET manifests, fetch blobs and configs,
// and resolve a reference into its index digest and platform table. Plain Node; every request
// goes through the Transport. Sources: distribution-spec spec.md; docs/registry-protocol.md §3-8.

import { RegistryError } from './errors';
import { LIMITS } from './limits';
import { parseNextLink } from './link';
import { digestOf, manifestDigest, parseManifest, schema1Payload, type Descriptor, type ParsedManifest } from './manifest';
import { MANIFEST_ACCEPT, MediaType, baseMediaType } from './media-types';
import type { RateLimit } from './rate-limit';
import { DEFAULT_TAG, isDigest, isTag, type Reference } from './reference';
import { parseImageConfig, type ImageConfig } from './image-config';
import type { ResolvedPlatform } from './index-walk';
import { resolveImage, type ResolvedImage } from './resolve';

export type { ResolvedImage, ResolvedPlatform };
import { tagListSchema } from './schemas';
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
  google: Record<string, { tags: string[]; mediaType: string | null; created: string | null; size: number | null }> | null;
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
    const maxTags = options.maxTags ?? LIMITS.tags;
    const maxPages = options.maxPages ?? LIMITS.tagPages;
    const maxBytes = options.maxBytes ?? LIMITS.tagListBytes;
    const deadlineMs = options.deadlineMs ?? LIMITS.tagListMs;
    const deadline = AbortSignal.timeout(deadlineMs);
    const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
    const first = this.url(repo, 'tags/list');
    first.searchParams.set('n', String(LIMITS.tagPageSize));
    const tags = new Set<string>();
    const seenPages = new Set<string>();
    let google: TagList['google'] = null;
    let next: URL | null = first;
    let pages = 0;
    let bytes = 0;
    let invalidTags = 0;
    let truncatedBy: string | null = null;
    while (next) {
      if (pages >= maxPages) {
        truncatedBy = `the registry sent more than ${maxPages} pages of tags`;
        break;
      }
      if (seenPages.has(next.href)) break; // a Link back to a page already read: the end.
      seenPages.add(next.href);
      let response: Awaited<ReturnType<Transport['send']>>;
      try {
        response = await this.transport.send({
          registry: repo.registry,
          repository: repo.path,
          method: 'GET',
          url: next,
          kind: 'tags',
          accept: 'application/json',
          maxBytes: Math.min(LIMITS.tagPageBytes, maxBytes - bytes),
          signal,
          priority: options.priority,
          describe: `the tag list of ${repo.path}`,
        });
      } catch (error) {
        // Out of time or bytes after the first page: the tags so far, said to be incomplete.
        if (options.signal?.aborted) throw error;
        const slow = deadline.aborted;
        const large = error instanceof RegistryError && error.code === 'TOO_LARGE' && maxBytes - bytes < LIMITS.tagPageBytes;
        if (slow && pages === 0) throw new RegistryError('TIMEOUT', `listing the tags of ${repo.path} took longer than ${deadlineMs / 1000} s`, { limit: deadlineMs });
        if (!(slow || large) || pages === 0) throw error;
        truncatedBy = slow ? `listing the tags took longer than ${deadlineMs / 1000} s` : `the tag list is larger than ${maxBytes} bytes`;
        break;
      }
      pages++;
      bytes += response.body.length;
      let json: unknown;
      try {
        json = JSON.parse(response.body.toString('utf8'));
      } catch {
        throw new RegistryError('UPSTREAM', `${repo.registry} sent a tag list that is not JSON`);
      }
      const parsed = tagListSchema.safeParse(json);
      if (!parsed.success) throw new RegistryError('UPSTREAM', `${repo.registry} sent a tag list Tagscope cannot read`);
      for (const tag of parsed.data.tags) {
        if (!isTag(tag)) {
          invalidTags++;
          continue;
        }
        if (tags.size >= maxTags && !tags.has(tag)) {
          truncatedBy = `the registry lists more than ${maxTags} tags`;
          break;
        }
        tags.add(tag);
      }
      if (parsed.data.manifest) {
        google ??= {};
        for (const [digest, info] of Object.entries(parsed.data.manifest)) {
          if (!isDigest(digest)) continue;
          const created = Number(info.timeCreatedMs ?? info.timeUploadedMs);
          google[digest] = {
            tags: (info.tag ?? []).filter(isTag),
            mediaType: info.mediaType ?? null,
            created: Number.isFinite(created) && created > 0 ? new Date(created).toISOString() : null,
            size: info.imageSizeBytes !== undefined && Number.isFinite(Number(info.imageSizeBytes)) ? Number(info.imageSizeBytes) : null,
          };
        }
      }
      if (truncatedBy) break;
      next = this.nextPage(response.headers.get('link'), response.url, repo);
    }
    return { tags: [...tags].sort(), truncated: truncatedBy !== null, truncatedBy, pages, invalidTags, google };
  }

  /** Resolves a Link target against the request; it must stay on the registry's host (ggcr validatePaginationURL). */
  private nextPage(link: string | null, requestUrl: URL, repo: RepositoryRef): URL | null {
    const target = parseNextLink(link);
    if (!target) return null;
    let next: URL;
    try {
      next = new URL(target, requestUrl);
    } catch {
      throw new RegistryError('UPSTREAM', `${repo.registry} sent a Link header that is not a URL`);
    }
    if (next.protocol !== requestUrl.protocol || next.host !== requestUrl.host) {
      throw new RegistryError('ADDRESS_NOT_ALLOWED', `${repo.registry} sent a next-page link to another host (${next.host}); it was not followed`, {
        host: next.host,
      });
    }
    return next;
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

import 'server-only';
// The app's registry access: the one RegistryClient of this server (credentials and policy
// from the environment) behind the cache. Every data verb goes through these functions, so
// caching is decided here and nowhere else.

import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { Cache, freshKey, type ContentEntry } from '../cache/cache';
import { SharedWork } from '../registry/shared-work';
import { DiskStore } from '../cache/disk-store';
import { RedisStore } from '../cache/redis-store';
import { getServerConfig } from '../server/env';
import { getHistoryRuntime } from '../history/runtime';
import type { Sighting, SightingVia } from '../history/types';
import { logUpstream } from '../server/log';
import { recordCoalesced, recordUpstream } from '../server/metrics';
import { HubClient, type HubRepository, type HubRepositoryList, type HubTag, type HubTagList, type HubTagOrdering } from '../hub';
import {
  type Budget,
  isDigest,
  parseImageConfig,
  parseManifest,
  RegistryClient,
  type CallOptions,
  type Catalog,
  type CatalogEnd,
  type CatalogPage,
  type Descriptor,
  type ImageConfig,
  type ParsedManifest,
  type PullState,
  type FetchedManifest,
  type RepositoryRef,
  type TagList,
} from '../registry';

export interface StoredManifest {
  digest: string;
  mediaType: string;
  size: number;
  bytes: Buffer;
  manifest: ParsedManifest;
  /** Response headers of the fetch that stored it, names lower-cased. */
  headers: Record<string, string>;
}

export interface TagTarget {
  digest: string;
  mediaType: string | null;
  size: number | null;
}

const repositoryName = (repo: RepositoryRef) => `${repo.registry}/${repo.path}`;

/** A data verb's options: queue priority, and the view's budget (its signal and its GETs) or a bare signal. */
export interface ServiceOptions extends CallOptions {
  budget?: Budget;
  /** Ask the registry again even when a short-lived answer is cached (the watcher's polls). */
  refresh?: boolean;
}

/** Told of the tag → digest answers one registry or web API answer gave (tag history). */
export type SightingSink = (sightings: readonly Sighting[]) => void;

/** A cache lookup: synchronous in memory, then asynchronous below it. */
interface Hit<T> {
  peek: () => T | undefined;
  get: () => Promise<T | undefined>;
}

/** The signal a verb's upstream work carries: the budget's, which includes the client's. */
const signalOf = (options: ServiceOptions) => options.budget?.signal ?? options.signal;

export class RegistryService {
  /** Parsed manifests by content key: parsing is the warm view's main cost. */
  private readonly parsed = new WeakMap<Buffer, ParsedManifest>();
  /** Identical upstream work in flight, shared by every caller until the last one leaves. */
  private readonly work = new SharedWork(recordCoalesced);

  constructor(
    readonly client: RegistryClient,
    readonly cache: Cache,
    private readonly onSighting: SightingSink = () => {},
  ) {}

  /** A tag → digest answer as tag history takes it. */
  private sighting(repo: RepositoryRef, tag: string, digest: string, mediaType: string | null, via: SightingVia, at = Date.now()): Sighting {
    // A media type is a registry's header: kept only when it looks like one, and short.
    const type = mediaType !== null && mediaType.length <= 255 && /^[\w.+-]+\/[\w.+-]+$/.test(mediaType) ? mediaType : null;
    return { registry: repo.registry, repository: repositoryName(repo), tag, digest, mediaType: type, at, via };
  }

  /** Hands one tag → digest answer to tag history; the sink only appends to memory. */
  private sighted(repo: RepositoryRef, tag: string, digest: string, mediaType: string | null, via: SightingVia): void {
    this.onSighting([this.sighting(repo, tag, digest, mediaType, via)]);
  }

  /**
   * The web API's tags that name a digest (old Docker Hub tags do not), as one answer's
   * sightings, each with when the web API says it was pushed: history tells a stale answer from
   * a push by it (lib/history/agreement.ts).
   */
  private sightedWebTags(repo: RepositoryRef, tags: readonly HubTag[]): void {
    const at = Date.now();
    const sightings = tags.flatMap((tag) => {
      if (!tag.digest) return [];
      const pushed = tag.lastPushed === null ? NaN : Date.parse(tag.lastPushed);
      return [{ ...this.sighting(repo, tag.name, tag.digest, tag.mediaType, 'hub', at), pushedAt: Number.isFinite(pushed) ? pushed : null }];
    });
    this.onSighting(sightings);
  }

  /**
   * The one cache path of every verb: a hit in memory (synchronous, the warm view's fast path),
   * then in the store below it; on a miss the load runs once for all concurrent callers and
   * stores what it fetched. `charge`: a miss spends one of the view's manifest/config GETs —
   * charged to the caller, outside the shared work, so one view's spent budget fails no other's.
   */
  private async cached<T>(key: string, hit: Hit<T>, load: (signal: AbortSignal) => Promise<T>, options: ServiceOptions, charge: boolean): Promise<T> {
    const found = hit.peek() ?? (await hit.get());
    if (found !== undefined) return found;
    if (charge) options.budget?.spend();
    return this.work.run(key, load, signalOf(options));
  }

  /** A short-lived answer (tag list, tag → digest) under `key`. */
  private freshHit<T>(key: string): Hit<T> {
    return { peek: () => this.cache.peekFresh<T>(key), get: () => this.cache.getFresh<T>(key) };
  }

  /** A short-lived answer under `key`: the cached one, else `load`'s, kept for the tag TTL. Costs no budget. */
  private fresh<T>(key: string, load: (signal: AbortSignal) => Promise<T>, options: ServiceOptions): Promise<T> {
    const hit = this.freshHit<T>(key);
    return this.cached(
      options.refresh ? `refresh:${key}` : key,
      options.refresh ? { peek: () => undefined, get: async () => undefined } : hit,
      async (signal) => {
        const value = await load(signal);
        this.cache.setFresh(key, value);
        return value;
      },
      options,
      false,
    );
  }

  /** Content by repository and digest, read as `read` says. */
  private contentHit<T>(name: string, digest: string, read: (entry: ContentEntry) => T): Hit<T> {
    return {
      peek: () => {
        const entry = this.cache.peekContent(name, digest);
        return entry && read(entry);
      },
      get: async () => {
        const entry = await this.cache.getContent(name, digest);
        return entry && read(entry);
      },
    };
  }

  /** Every tag of a repository; reused for the tag TTL. */
  async listTags(repo: RepositoryRef, options: ServiceOptions = {}): Promise<TagList> {
    const key = freshKey.tagList(repositoryName(repo));
    return this.fresh(
      key,
      async (signal) => {
        const list = await this.client.listTags(repo, { ...options, signal });
        // A tag list that names each tag's digest (Google's) is a tag → digest answer too, for
        // the tags the list names (the map is not bound by the tag limit; the list is). Only
        // history reads the map: it is not kept with the list.
        if (!list.google) return list;
        // The list was parsed in one stretch of the event loop; its sightings take another.
        await yieldToLoop();
        const at = Date.now();
        const listed = new Set(list.tags);
        const sightings = Object.entries(list.google).flatMap(([digest, entry]) =>
          entry.tags.filter((tag) => listed.has(tag)).map((tag) => this.sighting(repo, tag, digest, entry.mediaType, 'list', at)),
        );
        // Handing up to 10,000 sightings to history is a stretch of its own.
        await yieldToLoop();
        this.onSighting(sightings);
        return { ...list, google: null };
      },
      options,
    );
  }

  /**
   * What a tag points at now: HEAD with the full Accept list (free on Docker Hub); a GET only
   * when the registry leaves Docker-Content-Digest out, and then the bytes are kept.
   */
  async resolveTag(repo: RepositoryRef, tag: string, options: ServiceOptions = {}): Promise<TagTarget> {
    const key = freshKey.tag(repositoryName(repo), tag);
    return this.fresh(
      key,
      async (signal): Promise<TagTarget> => {
        const call = { priority: options.priority, signal };
        const head = await this.client.headManifest(repo, tag, call);
        if (head.digest) {
          this.sighted(repo, tag, head.digest, head.mediaType, 'head');
          return { digest: head.digest, mediaType: head.mediaType, size: head.size };
        }
        const fetched = await this.client.getManifest(repo, tag, call);
        this.keep(repositoryName(repo), fetched.digest, fetched);
        this.sighted(repo, tag, fetched.digest, fetched.mediaType, 'get');
        return { digest: fetched.digest, mediaType: fetched.mediaType, size: fetched.size };
      },
      options,
    );
  }

  /** The registry's own tag → digest answer when one is in memory (no request): what a web API's answer is checked against. */
  knownTag(repo: RepositoryRef, tag: string): TagTarget | undefined {
    return this.cache.peekFresh<TagTarget>(freshKey.tag(repositoryName(repo), tag));
  }

  /**
   * A registry's repositories (/v2/_catalog), a page at a time as the registry sends them. A
   * catalog is a list by name like a tag list, not content: a whole listing is kept for the
   * tag TTL, and a later call within it gets the list back as one page. It does not go through
   * `cached()`: a stream cannot be handed to a caller who joins it halfway, so identical
   * listings at the same moment each read their own pages.
   */
  async *catalog(registry: string, options: ServiceOptions & { last?: string } = {}): AsyncGenerator<CatalogPage, CatalogEnd> {
    const key = freshKey.catalog(registry, options.last ?? '');
    const hit = this.freshHit<Catalog>(key);
    const found = hit.peek() ?? (await hit.get());
    if (found !== undefined) {
      const { repositories, ...end } = found;
      yield { repositories, invalidRepositories: end.invalidRepositories };
      return end;
    }
    const repositories: string[] = [];
    const pages = this.client.catalog(registry, { last: options.last, signal: signalOf(options), priority: options.priority });
    let next = await pages.next();
    for (; !next.done; next = await pages.next()) {
      repositories.push(...next.value.repositories);
      yield next.value;
    }
    this.cache.setFresh(key, { ...next.value, repositories } satisfies Catalog);
    return next.value;
  }

  /**
   * Docker Hub's web API when it is the one configured for this registry (TAGSCOPE_REGISTRY_APIS
   * kind `hub`), for the views and search; null for none and for any other kind (Quay's, kind
   * `quay`, records tag history and changes no view).
   */
  webApi(repo: Pick<RepositoryRef, 'registry'>): HubClient | null {
    return HubClient.for(this.client.transport, repo.registry);
  }

  /** A web API's tag list in one ordering (Docker Hub's); reused for the tag TTL, like a tag list. */
  async webTags(repo: RepositoryRef, ordering: HubTagOrdering, options: ServiceOptions = {}): Promise<HubTagList> {
    const hub = this.requireWebApi(repo.registry);
    const key = freshKey.webTags(repositoryName(repo), ordering);
    return this.fresh(
      key,
      async (signal) => {
        const list = await hub.listTags(repo, { ordering, signal, priority: options.priority });
        this.sightedWebTags(repo, list.tags);
        return list;
      },
      options,
    );
  }

  /**
   * The web API's newest page of tags (Docker Hub's first page by last update), uncached: what a
   * watcher's poll reads to find what was pushed since its last one, in one request.
   */
  async webNewestTags(repo: RepositoryRef, options: ServiceOptions = {}): Promise<HubTagList> {
    const list = await this.requireWebApi(repo.registry).listTags(repo, { ordering: 'last_updated', maxPages: 1, signal: signalOf(options), priority: options.priority });
    this.sightedWebTags(repo, list.tags);
    return list;
  }

  /** One tag from a web API (Docker Hub's single-tag route), uncached: for a tag the list left out. */
  async webTag(repo: RepositoryRef, tag: string, options: ServiceOptions = {}): Promise<HubTag> {
    const found = await this.requireWebApi(repo.registry).getTag(repo, tag, { signal: signalOf(options), priority: options.priority });
    this.sightedWebTags(repo, [found]);
    return found;
  }

  /** A web API's repository information: description, stars, pull count. */
  async webRepository(repo: RepositoryRef, options: ServiceOptions = {}): Promise<HubRepository | null> {
    const hub = this.webApi(repo);
    if (!hub) return null;
    const key = freshKey.webRepository(repositoryName(repo));
    return this.fresh(key, (signal) => hub.getRepository(repo, { signal, priority: options.priority }), options);
  }

  /** A web API's search results (Docker Hub's): reused for the tag TTL, which also spares the API's rate limit. */
  async webSearch(registry: string, query: string, options: ServiceOptions = {}): Promise<HubRepositoryList> {
    const hub = this.requireWebApi(registry);
    const key = freshKey.webSearch(registry, query);
    return this.fresh(key, (signal) => hub.search(query, { signal, priority: options.priority }), options);
  }

  /** A web API's repositories of one namespace, with its name filter (Docker Hub's); reused for the tag TTL. */
  async webNamespace(registry: string, namespace: string, name: string | undefined, options: ServiceOptions = {}): Promise<HubRepositoryList> {
    const hub = this.requireWebApi(registry);
    const key = freshKey.webNamespace(registry, namespace, name ?? '');
    return this.fresh(key, (signal) => hub.listRepositories(namespace, { name, signal, priority: options.priority }), options);
  }

  private requireWebApi(registry: string): HubClient {
    const hub = this.webApi({ registry });
    if (!hub) throw new Error(`no web API is configured for ${registry}`);
    return hub;
  }

  /** What the registry last said of its pull limit for this server, with the reserve kept. */
  pulls(repo: RepositoryRef): PullState | null {
    return this.client.transport.pulls(repo.registry);
  }

  /** A manifest by digest: fetched once, verified, kept (content never changes). */
  async manifest(repo: RepositoryRef, digest: string, options: ServiceOptions = {}): Promise<StoredManifest> {
    const name = repositoryName(repo);
    return this.cached(
      `manifest:${name}@${digest}`,
      this.contentHit(name, digest, (entry) => this.toStored(digest, entry)),
      async (signal) => {
        const fetched = await this.client.getManifest(repo, digest, { priority: options.priority, signal });
        return this.toStored(digest, this.keep(name, digest, fetched));
      },
      options,
      true,
    );
  }

  /** A manifest by tag or digest, for the manifest view: by digest from the cache. */
  async manifestByReference(repo: RepositoryRef, reference: string, options: ServiceOptions = {}): Promise<StoredManifest & { verified: boolean | null }> {
    if (isDigest(reference)) return { ...(await this.manifest(repo, reference, options)), verified: true };
    const fetched = await this.client.getManifest(repo, reference, options);
    this.sighted(repo, reference, fetched.digest, fetched.mediaType, 'get');
    return { ...this.toStored(fetched.digest, this.keep(repositoryName(repo), fetched.digest, fetched)), verified: fetched.verified };
  }

  /** An image config by its descriptor: fetched once, verified, kept. */
  async config(repo: RepositoryRef, descriptor: Descriptor, options: ServiceOptions = {}): Promise<ImageConfig> {
    const name = repositoryName(repo);
    return this.cached(
      `config:${name}@${descriptor.digest}`,
      this.contentHit(name, descriptor.digest, (entry) => parseImageConfig(entry.bytes, descriptor.digest)),
      async (signal) => {
        const { bytes, config } = await this.client.getConfig(repo, descriptor, { priority: options.priority, signal });
        this.cache.setContent(name, descriptor.digest, { bytes, headers: {} });
        return config;
      },
      options,
      true,
    );
  }

  /** Keeps fetched manifest bytes by digest, with their parse, and returns the cache entry. */
  private keep(name: string, digest: string, fetched: FetchedManifest): ContentEntry {
    const entry: ContentEntry = { bytes: fetched.bytes, headers: fetched.headers };
    this.cache.setContent(name, digest, entry);
    this.parsed.set(entry.bytes, fetched.manifest);
    return entry;
  }

  private toStored(digest: string, entry: ContentEntry): StoredManifest {
    let manifest = this.parsed.get(entry.bytes);
    if (!manifest) {
      manifest = parseManifest(entry.bytes, entry.headers['content-type'] ?? null);
      this.parsed.set(entry.bytes, manifest);
    }
    return { digest, mediaType: manifest.mediaType, size: entry.bytes.length, bytes: entry.bytes, manifest, headers: entry.headers };
  }
}

let service: RegistryService | undefined;

/** The server's one service, built from the environment on first use. */
export function getRegistryService(): RegistryService {
  if (!service) {
    const config = getServerConfig();
    const client = new RegistryClient({
      ...config.transport,
      onRequest: (event) => {
        recordUpstream(event);
        logUpstream(event);
      },
    });
    const redis = config.redisUrl ? new RedisStore(config.redisUrl) : undefined;
    const cache = new Cache({ tagTtlMs: config.tagTtlMs, content: redis ?? new DiskStore(config.cacheDir, { maxBytes: config.cacheMaxBytes }), fresh: redis });
    service = new RegistryService(client, cache, (sightings) => getHistoryRuntime().recorder.recordAnswer(sightings));
  }
  return service;
}

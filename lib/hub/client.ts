// A client for Docker Hub's web API (hub.docker.com/v2), beside the registry client: the tag
// list with index digests, platforms, compressed sizes and dates, for no pulls at all
// (docs/docker-hub-api.md §0, "Recommendation"); and, since Docker Hub has no catalog, its
// search and a namespace's repositories (§3), to find a repository by. Every request goes
// through the registry client's Transport, so the address policy, size caps, timeouts,
// retries, per-host concurrency and error codes are the same; credentials reach the API only
// as its token flow asks (`POST /v2/auth/token`). An answer Tagscope cannot use — not JSON,
// the wrong shape, 5xx — is UPSTREAM, so the caller can fall back to the registry.

import { credentialIdentity } from '../registry/credentials';
import { isRegistryError, RegistryError } from '../registry/errors';
import { LIMITS } from '../registry/limits';
import { DOCKER_HUB, isRepositoryPath, isTag, parseTag, type Reference } from '../registry/reference';
import { SharedWork } from '../registry/shared-work';
import type { Transport, WebApiResponse } from '../registry/transport';
import { parseWebApiJson } from '../registry/web-api-json';
import type { z } from 'zod';
import {
  hubNamespacePageSchema,
  hubRepositorySchema,
  hubSearchPageSchema,
  hubTagPageSchema,
  hubTagSchema,
  hubTokenSchema,
  toHubRepository,
  toHubTag,
  type HubRepository,
  type HubTag,
} from './schemas';

export type { HubImage, HubRepository, HubTag } from './schemas';

/** `last_updated` newest first (Hub's default), `-last_updated` oldest first (§1.2). */
export type HubTagOrdering = 'last_updated' | '-last_updated' | 'name' | '-name';

/** A repository on Docker Hub: a path (`library/alpine`, `alpine`) or a parsed reference. */
export type HubRepositoryRef = string | Pick<Reference, 'registry' | 'path'>;

export interface HubCallOptions {
  signal?: AbortSignal;
  /** Lower runs sooner when the API host's requests queue up. */
  priority?: number;
}

export interface HubTagPage {
  /** 1 for the first page. */
  page: number;
  tags: HubTag[];
  /** Hub's `count`: the repository's tags in all. */
  count: number | null;
}

/** How far a walk over Hub's pages got. */
interface PageWalk {
  /** Hub's `count`: how many there are in all. */
  count: number | null;
  pages: number;
  /** Hub refused to page past this offset without signing in (1000 anonymously, §0.2); null when it did not. */
  cappedAt: number | null;
  /** Why the list stopped early for Tagscope's own limits (pages, items, time), in words. */
  truncatedBy: string | null;
}

/** Words for a walk's messages: what it lists (`tags`), whose (`the tags of library/alpine`), one page of it. */
interface WalkWords {
  items: string;
  what: string;
  page: string;
}

/** What a 404 means: this namespace, repository or tag is not on Hub. */
type Missing =
  | { notFound: 'namespace'; namespace: string }
  | { notFound: 'repository'; namespace: string; repository: string }
  | { notFound: 'tag'; namespace: string; repository: string; tag: string };

export interface HubTagList extends PageWalk {
  /** In Hub's order (by `ordering`), each name once; names off the tag grammar left out. */
  tags: HubTag[];
  /** Names Hub listed that are not tags by the grammar: counted, never used. */
  invalidTags: number;
}

export interface HubRepositoryList extends PageWalk {
  /** In Hub's order, each once; names off the repository grammar left out. */
  repositories: HubRepository[];
  /** Names Hub listed that are not repository paths (namespace/name): counted, never used. */
  invalidRepositories: number;
}

/** As lib/registry/auth.ts checks realm tokens: one header credential, visible ASCII, no spaces. */
const BEARER_TOKEN = /^[\x21-\x7e]+$/;

const clients = new WeakMap<Transport, Map<string, HubClient>>();

/** `library/alpine` → namespace `library`, repository `alpine`; `alpine` → `library/alpine` (§1.6). */
export function hubRepositoryName(path: string): { namespace: string; repository: string } {
  const parts = path.split('/');
  if (parts.length === 1 && parts[0]) return { namespace: 'library', repository: parts[0] };
  if (parts.length === 2 && parts[0] && parts[1]) return { namespace: parts[0], repository: parts[1] };
  throw new RegistryError('INVALID_REFERENCE', `"${path}" is not a Docker Hub repository: it is namespace/name, such as library/alpine`, { reason: 'not namespace/name' });
}

export class HubClient {
  private token: { value: string; identity: string; expiresAt: number } | null = null;
  private readonly tokenWork = new SharedWork();
  private readonly now: () => number;

  constructor(
    private readonly transport: Transport,
    /** The registry this API describes (`docker.io`); its credentials sign in. */
    readonly registry: string,
    readonly baseUrl: URL,
    options: { now?: () => number } = {},
  ) {
    this.now = options.now ?? Date.now;
  }

  /**
   * The Hub client for a registry whose TAGSCOPE_REGISTRY_APIS kind is `hub`, one per
   * transport (its token is reused); null when none is configured.
   */
  static for(transport: Transport, registry: string = DOCKER_HUB): HubClient | null {
    const api = transport.registryApi(registry);
    if (!api || api.kind !== 'hub') return null;
    let byRegistry = clients.get(transport);
    if (!byRegistry) clients.set(transport, (byRegistry = new Map()));
    let client = byRegistry.get(registry);
    if (!client) byRegistry.set(registry, (client = new HubClient(transport, registry, api.baseUrl)));
    return client;
  }

  /**
   * Every tag, following `next` on the API's own host, newest first by default. Anonymous
   * callers cannot page past offset 1000: that 403 ends the list with `cappedAt` set, and is
   * never retried. Pages, tags and time are bounded like a registry's tag list.
   */
  async listTags(
    repo: HubRepositoryRef,
    options: HubCallOptions & { ordering?: HubTagOrdering; pageSize?: number; onPage?: (page: HubTagPage) => void; maxPages?: number; maxTags?: number; deadlineMs?: number } = {},
  ): Promise<HubTagList> {
    const { namespace, repository } = this.repositoryName(repo);
    const maxTags = options.maxTags ?? LIMITS.tags;
    const first = this.pagedUrl(['namespaces', namespace, 'repositories', repository, 'tags'], options.pageSize);
    first.searchParams.set('ordering', options.ordering ?? 'last_updated');
    const tags = new Map<string, HubTag>();
    let invalidTags = 0;
    const walk = await this.walk(
      first,
      hubTagPageSchema,
      { items: 'tags', what: `the tags of ${namespace}/${repository}`, page: `a tag page of ${namespace}/${repository}` },
      { notFound: 'repository', namespace, repository },
      { ...options, maxPages: options.maxPages ?? LIMITS.tagPages },
      (page, progress) => {
        const pageTags: HubTag[] = [];
        for (const result of page.results) {
          if (!isTag(result.name)) {
            invalidTags++;
            continue;
          }
          if (tags.has(result.name)) continue; // moved between pages while we read: seen already
          if (tags.size >= maxTags) {
            progress.truncatedBy = `Docker Hub lists more than ${maxTags} tags`;
            break;
          }
          const tag = toHubTag(result);
          tags.set(tag.name, tag);
          pageTags.push(tag);
        }
        options.onPage?.({ page: progress.pages, tags: pageTags, count: page.count });
      },
    );
    return { ...walk, tags: [...tags.values()], invalidTags };
  }

  /**
   * A namespace's repositories (listNamespaceRepositories, §3), A→Z by name so the pages do
   * not shift while they are read; `name` is Hub's partial-match filter. Official images are
   * namespace `library`. Bounded to LIMITS.hubNamespacePages pages.
   */
  async listRepositories(namespace: string, options: HubCallOptions & { name?: string; maxPages?: number; deadlineMs?: number } = {}): Promise<HubRepositoryList> {
    const first = this.pagedUrl(['namespaces', namespace, 'repositories']);
    first.searchParams.set('ordering', 'name');
    if (options.name) first.searchParams.set('name', options.name);
    return this.repositoryList(
      first,
      hubNamespacePageSchema,
      { items: 'repositories', what: `the repositories of ${namespace}`, page: `a page of the repositories of ${namespace}` },
      { notFound: 'namespace', namespace },
      { ...options, maxPages: options.maxPages ?? LIMITS.hubNamespacePages },
      (result) => ({ path: `${result.namespace}/${result.name}`, info: result }),
    );
  }

  /** Hub's search (`/v2/search/repositories/`, undocumented, §3), in Hub's own ranking; LIMITS.hubSearchPages pages. */
  async search(query: string, options: HubCallOptions & { maxPages?: number; deadlineMs?: number } = {}): Promise<HubRepositoryList> {
    const first = this.pagedUrl(['search', 'repositories', '']);
    first.searchParams.set('query', query);
    return this.repositoryList(
      first,
      hubSearchPageSchema,
      { items: 'results', what: `the search for "${query}"`, page: `a page of search results` },
      null,
      { ...options, maxPages: options.maxPages ?? LIMITS.hubSearchPages },
      (result) => ({
        // An official image's repo_name has no namespace (`nginx`): it is library/nginx (§1.6).
        path: result.repo_name.includes('/') ? result.repo_name : `library/${result.repo_name}`,
        // Search results do not say when a repository was updated: null, never invented.
        info: { description: result.short_description, star_count: result.star_count, pull_count: result.pull_count, last_updated: null },
      }),
    );
  }

  /** Repositories from Hub pages, each once; names off the repository grammar are counted, never kept. */
  private async repositoryList<S extends z.ZodType<{ count: number | null; next: string | null; results: unknown[] }>>(
    first: URL,
    schema: S,
    words: WalkWords,
    missing: Missing | null,
    options: HubCallOptions & { maxPages: number; deadlineMs?: number },
    read: (result: z.infer<S>['results'][number]) => { path: string; info: z.infer<typeof hubRepositorySchema> },
  ): Promise<HubRepositoryList> {
    const repositories = new Map<string, HubRepository>();
    let invalidRepositories = 0;
    const walk = await this.walk(first, schema, words, missing, options, (page) => {
      for (const result of page.results) {
        const { path, info } = read(result);
        const [namespace, name, ...rest] = path.split('/');
        if (!namespace || !name || rest.length > 0 || !isRepositoryPath(path)) {
          invalidRepositories++;
          continue;
        }
        if (!repositories.has(path)) repositories.set(path, toHubRepository(info, namespace, name));
      }
    });
    return { ...walk, repositories: [...repositories.values()], invalidRepositories };
  }

  /**
   * Reads Hub's pages (`count`, `next`, `results`), following `next` on the API's own host. Once
   * the first page gives `count`, the next LIMITS.webApiPagesAhead pages are asked for ahead of
   * the one being read (the host's concurrency limit still applies) instead of one `next` after
   * another: 10 pages cost a few round trips, not ten; anonymously only up to the page that
   * meets the offset cap. That cap's 403 ends the list with `cappedAt` set, and is never
   * retried. Like a registry's tag listing, the whole walk is bounded in pages, items
   * (LIMITS.webApiItems results), bytes (LIMITS.webApiListBytes) and time: past the first page,
   * running out of any ends it with `truncatedBy`. `first` carries its `page_size` (pagedUrl);
   * `take` sees each page and may end the walk by setting `truncatedBy`.
   */
  private async walk<S extends z.ZodType<{ count: number | null; next: string | null; results: unknown[] }>>(
    first: URL,
    schema: S,
    words: WalkWords,
    missing: Missing | null,
    options: HubCallOptions & { maxPages: number; deadlineMs?: number; maxBytes?: number; maxItems?: number },
    take: (page: z.infer<S>, progress: PageWalk) => void,
  ): Promise<PageWalk> {
    const deadline = AbortSignal.timeout(options.deadlineMs ?? LIMITS.tagListMs);
    // Ends the pages asked for ahead that the walk did not read, once it returns.
    const done = new AbortController();
    const signal = AbortSignal.any([done.signal, deadline, ...(options.signal ? [options.signal] : [])]);
    const call = { signal, priority: options.priority };
    try {
      return await this.walkPages(first, schema, words, missing, options, take, call, deadline);
    } finally {
      done.abort(new Error('the listing ended'));
    }
  }

  private async walkPages<S extends z.ZodType<{ count: number | null; next: string | null; results: unknown[] }>>(
    first: URL,
    schema: S,
    words: WalkWords,
    missing: Missing | null,
    options: HubCallOptions & { maxPages: number; deadlineMs?: number; maxBytes?: number; maxItems?: number },
    take: (page: z.infer<S>, progress: PageWalk) => void,
    call: HubCallOptions,
    deadline: AbortSignal,
  ): Promise<PageWalk> {
    const pageSize = Number(first.searchParams.get('page_size'));
    const { maxPages } = options;
    const deadlineMs = options.deadlineMs ?? LIMITS.tagListMs;
    const progress: PageWalk = { count: null, pages: 0, cappedAt: null, truncatedBy: null };
    const { maxBytes, maxItems } = { maxBytes: LIMITS.webApiListBytes, maxItems: LIMITS.webApiItems, ...options };
    const host = this.baseUrl.host;
    // Bytes of the pages read, and the most each page asked for may still bring: a page asked
    // for ahead counts its whole share until it is read, so the walk never holds more than maxBytes.
    let bytes = 0;
    let reserved = 0;
    let items = 0;
    const ask = (url: URL): { answer: Promise<WebApiResponse>; share: number } => {
      const share = Math.max(0, Math.min(LIMITS.webApiPageBytes, maxBytes - bytes - reserved));
      reserved += share;
      return { answer: this.get(url, words.what, { ...call, maxBytes: share }), share };
    };
    const seen = new Set<string>();
    const prefetched = new Map<number, { answer: Promise<WebApiResponse>; share: number }>();
    // The last page worth asking for ahead: known once the first page gives `count`.
    let last = 1;
    const prefetch = (from: number) => {
      for (let n = from + 1; n <= Math.min(last, from + LIMITS.webApiPagesAhead); n++) {
        if (prefetched.has(n) || maxBytes - bytes - reserved <= 0) continue;
        const url = new URL(first);
        url.searchParams.set('page', String(n));
        const asked = ask(url);
        asked.answer.catch(() => {}); // a page not used (the cap met earlier) fails no one
        prefetched.set(n, asked);
      }
    };
    const pageOf = (url: URL) => Number(url.searchParams.get('page') ?? 1);
    let next: URL | null = first;
    while (next && !seen.has(next.href)) {
      if (progress.pages >= maxPages) {
        progress.truncatedBy = `Docker Hub sent more than ${maxPages} pages of ${words.items}`;
        break;
      }
      if (progress.pages > 0 && maxBytes - bytes <= 0) {
        progress.truncatedBy = `${words.what} is larger than ${maxBytes} bytes`;
        break;
      }
      seen.add(next.href);
      const number = pageOf(next);
      const asked = prefetched.get(number) ?? ask(next);
      prefetched.delete(number);
      let response: WebApiResponse;
      try {
        response = await asked.answer;
      } catch (error) {
        if (options.signal?.aborted) throw error;
        const slow = deadline.aborted;
        const large = isRegistryError(error, 'TOO_LARGE') && asked.share < LIMITS.webApiPageBytes;
        if (slow && progress.pages === 0) throw new RegistryError('TIMEOUT', `listing ${words.what} on ${host} took longer than ${deadlineMs / 1000} s`, { limit: deadlineMs });
        if (!(slow || large) || progress.pages === 0) throw error;
        progress.truncatedBy = slow ? `listing the ${words.items} took longer than ${deadlineMs / 1000} s` : `${words.what} is larger than ${maxBytes} bytes`;
        break;
      } finally {
        reserved -= asked.share;
      }
      bytes += response.body.byteLength;
      if (response.status === 403 && response.body.toString('utf8').toLowerCase().includes('pagination offset')) {
        // Anonymous paging ends at offset 1000 (§0.2): the list so far, said to be capped.
        progress.cappedAt = progress.pages * pageSize;
        break;
      }
      const page = this.parse(response, schema, words.page, missing);
      progress.pages++;
      progress.count = page.count;
      if (page.count !== null && progress.pages === 1) {
        const signedIn = this.transport.auth.credentialFor(this.registry) !== null;
        last = Math.min(Math.ceil(page.count / pageSize), maxPages, signedIn ? Infinity : Math.ceil(LIMITS.hubAnonymousOffset / pageSize) + 1);
      }
      if (items + page.results.length > maxItems) {
        page.results = page.results.slice(0, maxItems - items);
        progress.truncatedBy = `${host} lists more than ${maxItems} ${words.items}`;
      }
      items += page.results.length;
      prefetch(number);
      take(page, progress);
      if (progress.truncatedBy) break;
      next = page.next ? this.nextPage(page.next, response.url) : null;
    }
    return progress;
  }

  /** One tag: its index digest, platforms, sizes and dates. */
  async getTag(repo: HubRepositoryRef, tag: string, options: HubCallOptions = {}): Promise<HubTag> {
    parseTag(tag);
    const { namespace, repository } = this.repositoryName(repo);
    const response = await this.get(this.url(['namespaces', namespace, 'repositories', repository, 'tags', tag]), `${namespace}/${repository}:${tag}`, options);
    const parsed = this.parse(response, hubTagSchema, `the tag ${namespace}/${repository}:${tag}`, { notFound: 'tag', namespace, repository, tag });
    if (parsed.name !== tag) throw new RegistryError('UPSTREAM', `${this.baseUrl.host} answered for tag "${parsed.name.slice(0, 130)}" when asked for ${tag}`);
    return toHubTag(parsed);
  }

  /** The repository's description, stars, pulls and last update (§3). */
  async getRepository(repo: HubRepositoryRef, options: HubCallOptions = {}): Promise<HubRepository> {
    const { namespace, repository } = this.repositoryName(repo);
    const response = await this.get(this.url(['namespaces', namespace, 'repositories', repository]), `the repository ${namespace}/${repository}`, options);
    const parsed = this.parse(response, hubRepositorySchema, `the repository ${namespace}/${repository}`, { notFound: 'repository', namespace, repository });
    return toHubRepository(parsed, namespace, repository);
  }

  private repositoryName(repo: HubRepositoryRef): { namespace: string; repository: string } {
    if (typeof repo !== 'string' && repo.registry !== this.registry) {
      throw new RegistryError('INVALID_REFERENCE', `${repo.registry}/${repo.path} is not on ${this.registry}, which ${this.baseUrl.host} describes`, { reason: 'another registry' });
    }
    return hubRepositoryName(typeof repo === 'string' ? repo : repo.path);
  }

  /** `{baseUrl}/v2/<segments>`, each segment encoded; a base URL may carry a path prefix. */
  private url(segments: string[]): URL {
    const prefix = this.baseUrl.pathname.replace(/\/+$/, '');
    return new URL(`${prefix}/v2/${segments.map(encodeURIComponent).join('/')}`, this.baseUrl);
  }

  /** The first page of a paged list: `page_size` as asked, within Hub's maximum of 100 (§1.2). */
  private pagedUrl(segments: string[], pageSize: number = LIMITS.hubPageSize): URL {
    const url = this.url(segments);
    url.searchParams.set('page_size', String(Math.min(Math.max(1, Math.floor(pageSize)), LIMITS.hubPageSize)));
    return url;
  }

  /** Hub's `next` is absolute; like a registry's Link it must stay on the API's scheme and host. */
  private nextPage(next: string, requestUrl: URL): URL {
    let url: URL;
    try {
      url = new URL(next, requestUrl);
    } catch {
      throw new RegistryError('UPSTREAM', `${this.baseUrl.host} sent a next page that is not a URL`);
    }
    if (url.protocol !== this.baseUrl.protocol || url.host !== this.baseUrl.host) {
      throw new RegistryError('ADDRESS_NOT_ALLOWED', `${this.baseUrl.host} sent a next page on another host (${url.host}); it was not followed`, { host: url.host });
    }
    return url;
  }

  /** A GET with the Hub token when credentials are configured; a refused token is renewed once. `maxBytes`: at most a page's. */
  private async get(url: URL, describe: string, options: HubCallOptions & { maxBytes?: number }): Promise<WebApiResponse> {
    for (let renewed = false; ; renewed = true) {
      const authorization = await this.authorization(options.signal);
      const response = await this.transport.webApi({
        registry: this.registry,
        url,
        method: 'GET',
        headers: authorization ? { authorization } : {},
        maxBytes: options.maxBytes ?? LIMITS.webApiPageBytes,
        signal: options.signal,
        priority: options.priority,
        describe,
      });
      if (response.status !== 401 || !authorization || renewed) return response;
      this.token = null;
    }
  }

  /**
   * `Bearer <access_token>` from `POST /v2/auth/token` with the registry's credentials
   * (Docker Hub's entry of REGISTRY_AUTH_FILE), valid 10 minutes and renewed early; null
   * when there are none. Concurrent requests share one token request.
   */
  private async authorization(signal: AbortSignal | undefined): Promise<string | null> {
    const credential = this.transport.auth.credentialFor(this.registry);
    if (!credential) return null;
    const identity = credentialIdentity(credential);
    const cached = this.token;
    if (cached && cached.identity === identity && cached.expiresAt > this.now()) return `Bearer ${cached.value}`;
    const value = await this.tokenWork.run(
      identity,
      async (shared) => {
        const started = this.now();
        const response = await this.transport.webApi({
          registry: this.registry,
          url: this.url(['auth', 'token']),
          method: 'POST',
          body: { identifier: credential.username, secret: credential.password },
          maxBytes: LIMITS.tokenResponseBytes,
          signal: shared,
          describe: `a token from ${this.baseUrl.host}`,
        });
        if (response.status === 401 || response.status === 403) {
          throw new RegistryError('DENIED', `${this.baseUrl.host} refused the credentials configured for ${this.registry}`, { status: response.status });
        }
        const { access_token } = this.parse(response, hubTokenSchema, 'a token answer', null);
        if (!BEARER_TOKEN.test(access_token)) throw new RegistryError('UPSTREAM', `${this.baseUrl.host} sent a token that cannot be used in an Authorization header`);
        this.token = { value: access_token, identity, expiresAt: started + LIMITS.hubTokenLifetimeMs - LIMITS.hubTokenRenewBeforeMs };
        return access_token;
      },
      signal,
    );
    return `Bearer ${value}`;
  }

  /** A 2xx body as JSON of `schema`, or the error the status means; garbage is UPSTREAM. */
  private parse<S extends z.ZodType>(
    response: WebApiResponse,
    schema: S,
    what: string,
    missing: Missing | null,
  ): z.infer<S> {
    const host = this.baseUrl.host;
    const { status } = response;
    if (status < 200 || status >= 300) {
      const details = { status };
      if (status === 404 && missing) {
        switch (missing.notFound) {
          case 'namespace':
            throw new RegistryError('NAME_UNKNOWN', `namespace ${missing.namespace} was not found on ${host}`, details);
          case 'repository':
            throw new RegistryError('NAME_UNKNOWN', `repository ${missing.namespace}/${missing.repository} was not found on ${host}`, details);
          case 'tag':
            throw new RegistryError('MANIFEST_UNKNOWN', `${missing.namespace}/${missing.repository}:${missing.tag} was not found on ${host}`, details);
        }
      }
      if (status === 401) {
        throw this.transport.auth.credentialFor(this.registry)
          ? new RegistryError('DENIED', `${host} refused the token for the credentials configured for ${this.registry}`, details)
          : new RegistryError('UNAUTHORIZED', `${host} wants credentials for ${what} that this server does not have`, details);
      }
      if (status === 403) throw new RegistryError('DENIED', `${host} denied access to ${what}`, details);
      throw new RegistryError('UPSTREAM', `${host} answered HTTP ${status} for ${what}`, details);
    }
    return parseWebApiJson(response, schema, host, what);
  }
}

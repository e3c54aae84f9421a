// A client for Quay's web API (`/api/v1`, docs/docker-hub-api.md §4), beside the registry
// client: a repository's tags with their manifest digests, whether each is an index, and
// sizes — and what no registry's /v2 says, the full tag history: every digest a tag has
// pointed at, with when it began and ended there. Every request goes through the registry
// client's Transport, so the address policy, size caps, timeouts, retries, per-host
// concurrency and error codes are the same as the registry's and Docker Hub's API's.
// Anonymous only: the credentials configured for a Quay registry (a robot account, an
// encrypted password) are for its /v2, while its API takes OAuth application tokens (renovate
// keeps the two apart), so none are sent and a private repository is UNAUTHORIZED. An answer
// Tagscope cannot use — not JSON, the wrong shape, 5xx — is UPSTREAM, so the caller can fall
// back to the registry.

import { isRegistryError, RegistryError } from '../registry/errors';
import { LIMITS } from '../registry/limits';
import { isRepositoryPath, type Reference } from '../registry/reference';
import type { Transport, WebApiResponse } from '../registry/transport';
import { parseWebApiJson } from '../registry/web-api-json';
import { quayTagPageSchema, toQuayTag, type QuayTag } from './schemas';

export type { QuayTag } from './schemas';

/** A repository on a Quay registry: a path (`prometheus/node-exporter`) or a parsed reference. */
export type QuayRepositoryRef = string | Pick<Reference, 'registry' | 'path'>;

export interface QuayCallOptions {
  signal?: AbortSignal;
  /** Lower runs sooner when the API host's requests queue up. */
  priority?: number;
}

export interface QuayListOptions extends QuayCallOptions {
  /** Only the tags alive now (`onlyActiveTags=true`), or every row of their history, dead ones included. */
  onlyActive: boolean;
  /** One tag's rows only (`specificTag`, an exact name). */
  specificTag?: string;
  /** Rows per page, within Quay's 1–100 (default 100). */
  pageSize?: number;
  maxPages?: number;
  maxTags?: number;
  deadlineMs?: number;
}

export interface QuayTagList {
  /**
   * In Quay's order: newest `start` first, then by name. With `onlyActive` each tag once;
   * in a full history a tag moved twice has three rows. Rows off the grammar left out.
   */
  tags: QuayTag[];
  pages: number;
  /** Why the list stopped early for Tagscope's own limits (pages, rows, bytes, time), in words. */
  truncatedBy: string | null;
  /** Rows whose name is not a tag, or whose digest is missing or not a digest, by the grammar: counted, never used. */
  invalidTags: number;
}

/**
 * `prometheus/node-exporter` → namespace `prometheus`, repository `node-exporter`. Quay names
 * repositories with exactly two levels; anything else is refused before a request is made.
 */
export function quayRepositoryName(path: string): { namespace: string; repository: string } {
  const [namespace, repository, ...rest] = path.split('/');
  if (namespace && repository && rest.length === 0 && isRepositoryPath(path)) return { namespace, repository };
  throw new RegistryError('INVALID_REFERENCE', `"${path}" is not a Quay repository: Quay names each one namespace/name, such as prometheus/node-exporter, with no deeper path`, {
    reason: 'not namespace/name',
  });
}

export class QuayClient {
  constructor(
    private readonly transport: Transport,
    /** The registry this API describes (`quay.io`). */
    readonly registry: string,
    readonly baseUrl: URL,
  ) {}

  /** The Quay client for a registry whose TAGSCOPE_REGISTRY_APIS kind is `quay`; null for any other kind or none. */
  static for(transport: Transport, registry: string): QuayClient | null {
    const api = transport.registryApi(registry);
    if (!api || api.kind !== 'quay') return null;
    return new QuayClient(transport, registry, api.baseUrl);
  }

  /**
   * The repository's tags, page after page while Quay says `has_additional`: alive ones only,
   * or with `onlyActive: false` the full history. Bounded in pages, rows, bytes and time like
   * a registry's tag list; past the first page, running out of any ends the list with
   * `truncatedBy` set.
   */
  async listTags(repo: QuayRepositoryRef, options: QuayListOptions): Promise<QuayTagList> {
    const { namespace, repository } = this.repositoryName(repo);
    const host = this.baseUrl.host;
    const maxPages = options.maxPages ?? LIMITS.quayTagPages;
    const maxTags = options.maxTags ?? LIMITS.quayTags;
    const deadlineMs = options.deadlineMs ?? LIMITS.tagListMs;
    const items = options.onlyActive ? 'tags' : 'rows of tag history';
    const what = `${options.onlyActive ? 'the tags' : 'the tag history'} of ${namespace}/${repository}`;
    const deadline = AbortSignal.timeout(deadlineMs);
    const signal = options.signal ? AbortSignal.any([options.signal, deadline]) : deadline;
    const tags = new Map<string, QuayTag>();
    const list: QuayTagList = { tags: [], pages: 0, truncatedBy: null, invalidTags: 0 };
    let bytes = 0;
    for (let page = 1; ; page++) {
      if (page > maxPages) {
        list.truncatedBy = `${host} sent more than ${maxPages} pages of ${items}`;
        break;
      }
      let response: WebApiResponse;
      try {
        response = await this.transport.webApi({
          registry: this.registry,
          url: this.tagPageUrl(namespace, repository, page, options),
          method: 'GET',
          maxBytes: Math.min(LIMITS.webApiPageBytes, LIMITS.webApiListBytes - bytes),
          signal,
          priority: options.priority,
          describe: `a page of ${what}`,
        });
      } catch (error) {
        if (options.signal?.aborted) throw error;
        const slow = deadline.aborted;
        const large = isRegistryError(error, 'TOO_LARGE') && LIMITS.webApiListBytes - bytes < LIMITS.webApiPageBytes;
        if (slow && list.pages === 0) {
          throw new RegistryError('TIMEOUT', `listing ${what} on ${host} took longer than ${deadlineMs / 1000} s`, { limit: deadlineMs });
        }
        if (!(slow || large) || list.pages === 0) throw error;
        list.truncatedBy = slow ? `listing the ${items} took longer than ${deadlineMs / 1000} s` : `${what} is larger than ${LIMITS.webApiListBytes} bytes`;
        break;
      }
      bytes += response.body.byteLength;
      const parsed = this.parse(response, namespace, repository, what);
      if (parsed.page !== undefined && parsed.page !== page) {
        // A server that ignores `page` would answer page 1 over and over.
        throw new RegistryError('UPSTREAM', `${host} answered page ${parsed.page} when asked for page ${page} of ${what}`);
      }
      list.pages++;
      for (const row of parsed.tags) {
        const tag = toQuayTag(row);
        if (!tag) {
          list.invalidTags++;
          continue;
        }
        // Pages are offsets into a list that may change while it is read: a row pushed down
        // by a new one comes again. Alive, a tag is one row; in history, a row is its start.
        const key = options.onlyActive ? tag.name : `${tag.name} ${tag.digest} ${tag.start}`;
        if (tags.has(key)) continue;
        if (tags.size >= maxTags) {
          list.truncatedBy = `${host} lists more than ${maxTags} ${items}`;
          break;
        }
        tags.set(key, tag);
      }
      if (list.truncatedBy || !parsed.has_additional) break;
    }
    list.tags = [...tags.values()];
    return list;
  }

  /** Every row of the repository's tag history, alive and dead: listTags with `onlyActive: false`. */
  tagHistory(repo: QuayRepositoryRef, options: Omit<QuayListOptions, 'onlyActive'> = {}): Promise<QuayTagList> {
    return this.listTags(repo, { ...options, onlyActive: false });
  }

  private repositoryName(repo: QuayRepositoryRef): { namespace: string; repository: string } {
    if (typeof repo !== 'string' && repo.registry !== this.registry) {
      throw new RegistryError('INVALID_REFERENCE', `${repo.registry}/${repo.path} is not on ${this.registry}, which ${this.baseUrl.host} describes`, { reason: 'another registry' });
    }
    return quayRepositoryName(typeof repo === 'string' ? repo : repo.path);
  }

  /** `{baseUrl}/api/v1/repository/{ns}/{repo}/tag/?limit=…&page=…[&onlyActiveTags=true]`; a base URL may carry a path prefix. */
  private tagPageUrl(namespace: string, repository: string, page: number, options: QuayListOptions): URL {
    const prefix = this.baseUrl.pathname.replace(/\/+$/, '');
    const url = new URL(`${prefix}/api/v1/repository/${encodeURIComponent(namespace)}/${encodeURIComponent(repository)}/tag/`, this.baseUrl);
    const limit = Math.min(Math.max(1, Math.floor(options.pageSize ?? LIMITS.quayPageSize)), LIMITS.quayPageSize);
    url.searchParams.set('limit', String(limit));
    url.searchParams.set('page', String(page));
    if (options.onlyActive) url.searchParams.set('onlyActiveTags', 'true');
    if (options.specificTag !== undefined) url.searchParams.set('specificTag', options.specificTag);
    return url;
  }

  /** A 2xx page of `what` (`the tags of org/app`), or the error its status means; garbage is UPSTREAM. */
  private parse(response: WebApiResponse, namespace: string, repository: string, what: string) {
    const host = this.baseUrl.host;
    const { status } = response;
    const details = { status };
    if (status === 404) throw new RegistryError('NAME_UNKNOWN', `repository ${namespace}/${repository} was not found on ${host}`, details);
    if (status === 401) {
      // Quay answers an anonymous caller 401 "Requires authentication" alike for a private
      // repository and one that does not exist (endpoints/exception.py `Unauthorized`).
      throw new RegistryError('UNAUTHORIZED', `${host} wants credentials for ${what}: the repository is private or does not exist, and Tagscope reads Quay's API without credentials`, details);
    }
    if (status === 403) throw new RegistryError('DENIED', `${host} denied access to ${what}`, details);
    if (status < 200 || status >= 300) throw new RegistryError('UPSTREAM', `${host} answered HTTP ${status} for ${what}`, details);
    return parseWebApiJson(response, quayTagPageSchema, host, `a page of ${what}`);
  }
}

import 'server-only';
// `search`: finding a repository on a registry that does not list its repositories but has a
// web API that searches them — Docker Hub (TAGSCOPE_REGISTRY_APIS kind `hub`). By text (Hub's
// search, in its ranking), or a namespace's repositories (listNamespaceRepositories, A→Z, with
// `q` as Hub's name filter); official images are namespace `library`.

import { ApiError } from '../api/errors';
import type { RepositorySummary, SearchResponse } from '../api/types';
import type { HubRepositoryList } from '../hub';
import { DOCKER_HUB, parseRegistryHost, RegistryError } from '../registry';
import { getRegistryService, type RegistryService } from './service';

export interface SearchOptions {
  /** Text to search for; with `namespace`, a filter on the names. */
  q?: string;
  namespace?: string;
}

export async function searchRepositories(registryHost: string, { q, namespace }: SearchOptions, service: RegistryService = getRegistryService()): Promise<SearchResponse> {
  const registry = parseRegistryHost(registryHost);
  if (!service.webApi({ registry })) throw noSearch(registry);
  let list: HubRepositoryList;
  if (namespace) list = await service.webNamespace(registry, namespace, q);
  else if (q) list = await service.webSearch(registry, q);
  else throw new ApiError('INVALID_QUERY', 'q: give q=<text> to search, or namespace=<namespace> to list one namespace', { parameter: 'q' });
  const repositories = list.repositories.map(
    (r): RepositorySummary => ({
      repository: `${registry}/${r.namespace}/${r.name}`,
      description: r.description,
      stars: r.starCount,
      pulls: r.pullCount,
      lastUpdated: r.lastUpdated,
      official: r.official,
    }),
  );
  const listed = repositories.length + list.invalidRepositories;
  return {
    registry,
    query: q ?? null,
    namespace: namespace ?? null,
    repositories,
    count: list.count,
    truncated: list.truncatedBy !== null || list.cappedAt !== null || (list.count !== null && list.count > listed),
    invalidRepositories: list.invalidRepositories,
  };
}

/** Whether the registry has a web API that searches it and lists namespaces (Docker Hub's). */
export function hasRegistrySearch(registryHost: string, service: RegistryService = getRegistryService()): boolean {
  return service.webApi({ registry: parseRegistryHost(registryHost) }) !== null;
}

/** A registry without a searching web API: what works there instead. */
function noSearch(registry: string): RegistryError {
  const message =
    registry === DOCKER_HUB
      ? 'Searching Docker Hub uses its web API, which this server has turned off (TAGSCOPE_REGISTRY_APIS). Type a repository name such as alpine or bitnami/redis instead.'
      : `${registry} cannot be searched: search uses a registry's web API, which Tagscope has for Docker Hub only. List its repositories instead (catalog), or type a repository name such as ${registry}/<namespace>/<name>.`;
  return new RegistryError('UNSUPPORTED', message, { reason: 'no search' });
}

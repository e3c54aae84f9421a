import 'server-only';
// `catalog`: a registry's repositories, in its order, streamed a page at a time so a page can
// show the first names while the rest arrive. `q` narrows them (a substring or /regex/, as the
// tag filter), `last` resumes after a name. The first page is read before anything streams:
// a registry that does not list its repositories, or wants credentials, answers as a plain
// JSON error with its status, as the repository view does for a failed tag list.

import type { ApiErrorInfo, CatalogEvent, CatalogResponse } from '../api/types';
import { parseRegistryHost, type CatalogEnd, type CatalogPage } from '../registry';
import { ServerFilter } from './server-filter';
import { getRegistryService, type RegistryService } from './service';

export interface CatalogOptions {
  /** A substring, or /regex/ with flags. */
  q?: string;
  /** Start after this name, as the registry's `last` does. */
  last?: string;
  /** The client's cancellation: when it leaves, the listing stops. */
  signal?: AbortSignal;
}

export interface CatalogView {
  registry: string;
  /** Reads the remaining pages, telling `emit` of each event; returns the folded answer. */
  run(emit?: (event: CatalogEvent) => void): Promise<CatalogResponse>;
}

export async function getCatalog(registryHost: string, options: CatalogOptions = {}, service: RegistryService = getRegistryService()): Promise<CatalogView> {
  const registry = parseRegistryHost(registryHost);
  const filter = new ServerFilter(options.q ?? '');
  const pages = service.catalog(registry, { last: options.last, signal: options.signal });
  const first = await pages.next();
  return {
    registry,
    async run(emit = () => {}) {
      const repositories: string[] = [];
      let next: IteratorResult<CatalogPage, CatalogEnd> = first;
      for (; !next.done; next = await pages.next()) {
        const shown = await filter.apply(next.value.repositories);
        if (shown.length === 0) continue;
        repositories.push(...shown);
        emit({ type: 'repositories', repositories: shown });
      }
      const end = next.value;
      const notices: ApiErrorInfo[] = [];
      const notice = (info: ApiErrorInfo) => {
        notices.push(info);
        emit({ type: 'notice', notice: info });
      };
      if (end.invalidRepositories > 0) {
        const n = end.invalidRepositories;
        notice({
          code: 'UPSTREAM',
          message: `The registry listed ${n} ${n === 1 ? 'name that is not a repository name; it was' : 'names that are not repository names; they were'} left out.`,
          details: { invalidRepositories: n },
        });
      }
      if (end.truncatedBy) {
        const resume = end.last ? ` Ask again with last=${end.last} to read on.` : '';
        notice({ code: 'TOO_LARGE', message: `Only part of the repository list was read: ${end.truncatedBy}.${resume}`, details: { last: end.last } });
      }
      const { truncated, truncatedBy, last, invalidRepositories } = end;
      emit({ type: 'summary', registry, truncated, truncatedBy, last, invalidRepositories });
      return { registry, repositories, truncated, truncatedBy, last, invalidRepositories, notices };
    },
  };
}

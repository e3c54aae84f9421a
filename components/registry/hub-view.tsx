'use client';
// Docker Hub has no catalog: its page searches Hub's repositories (`q`), or lists one
// namespace's (`?namespace=`, official images are `library`) with description, stars, pulls
// and last update, sortable — all from Hub's web API through /api/v1/search (any registry
// configured with that API in TAGSCOPE_REGISTRY_APIS, such as the tests' emulator).

import { useMemo, useState } from 'react';
import type { RepositorySummary } from '@/lib/api/types';
import { referenceHref } from '@/lib/common/routes';
import { useHubSearch } from '@/lib/swr/use-registry-lists';
import { ErrorPanel } from '../errors/error-panel';
import { RelativeTime } from '../ui/relative-time';
import { VisibleText } from '../ui/visible-text';
import { FilterBox, useQueryParam } from '../ui/filter-box';

type SortKey = 'repository' | 'stars' | 'pulls' | 'lastUpdated';
const COLUMNS: { key: SortKey; label: string; numeric: boolean }[] = [
  { key: 'repository', label: 'Repository', numeric: false },
  { key: 'stars', label: 'Stars', numeric: true },
  { key: 'pulls', label: 'Pulls', numeric: true },
  { key: 'lastUpdated', label: 'Last updated', numeric: false },
];

/** Sorted as asked; unknown values (null) always last. */
export function sortSummaries(rows: readonly RepositorySummary[], key: SortKey, descending: boolean): RepositorySummary[] {
  const direction = descending ? -1 : 1;
  return [...rows].sort((a, b) => {
    const x = a[key];
    const y = b[key];
    if (x === y) return 0;
    if (x === null) return 1;
    if (y === null) return -1;
    return (x < y ? -1 : 1) * direction;
  });
}

export function HubView({ registry, namespace }: { registry: string; namespace: string | null }) {
  const name = registry === 'docker.io' ? 'Docker Hub' : registry;
  const [q, setQ] = useQueryParam('q');
  const text = q.trim();
  const asked = namespace !== null || text !== '';
  const { data, error, isLoading } = useHubSearch(registry, namespace, text);
  // Docker Hub's own order until a column is chosen.
  const [sort, setSort] = useState<{ key: SortKey; descending: boolean } | null>(null);
  const rows = useMemo(() => (data ? (sort ? sortSummaries(data.repositories, sort.key, sort.descending) : data.repositories) : []), [data, sort]);

  return (
    <section aria-labelledby="hub-heading" className="space-y-3">
      <h2 id="hub-heading" className="text-lg font-semibold">
        {namespace ? `Repositories of ${namespace}` : `Search ${name}`}
      </h2>
      <FilterBox
        label={namespace ? `Filter ${namespace}’s repositories` : `Search ${name} repositories`}
        placeholder={namespace ? 'name' : 'redis, postgres, bitnami/…'}
        value={q}
        onChange={setQ}
        delay={400}
      />
      {!namespace && !text && (
        <p className="text-sm text-slate-700 dark:text-slate-300">
          Type a name to search, or open a namespace:{' '}
          <a href={`/r/${registry}?namespace=library`} className="text-sky-700 underline underline-offset-2 dark:text-sky-400">
            library
          </a>{' '}
          (the official images).
        </p>
      )}
      {error && <ErrorPanel error={error.info} reference={namespace ? `${registry}/${namespace}` : registry} />}
      {asked && !error && (
        <p className="text-sm text-slate-600 dark:text-slate-400" aria-live="polite">
          {isLoading && !data
            ? `Asking ${name}…`
            : data
              ? `${data.repositories.length.toLocaleString('en')}${data.count !== null && data.count > data.repositories.length ? ` of ${data.count.toLocaleString('en')}` : ''} ${data.repositories.length === 1 ? 'repository' : 'repositories'}`
              : ''}
        </p>
      )}
      {rows.length > 0 && (
        <div className="overflow-x-auto rounded-md border border-slate-200 dark:border-slate-800">
          <table className="w-full text-left text-sm max-md:block">
            <caption className="sr-only">{namespace ? `Repositories of ${namespace} on ${name}` : `${name} repositories matching ${text}`}</caption>
            <thead className="border-b border-slate-300 text-xs uppercase text-slate-600 max-md:sr-only dark:border-slate-700 dark:text-slate-400">
              <tr>
                {COLUMNS.map((column) => {
                  const active = sort?.key === column.key;
                  return (
                    <th key={column.key} scope="col" aria-sort={active ? (sort.descending ? 'descending' : 'ascending') : 'none'} className="px-3 py-2 font-medium">
                      <button
                        type="button"
                        onClick={() => setSort({ key: column.key, descending: active ? !sort.descending : column.numeric || column.key === 'lastUpdated' })}
                        className="uppercase hover:underline focus-visible:outline-2 focus-visible:outline-sky-600"
                      >
                        {column.label}
                        <span aria-hidden="true">{active ? (sort.descending ? ' ↓' : ' ↑') : ''}</span>
                      </button>
                    </th>
                  );
                })}
              </tr>
            </thead>
            <tbody className="max-md:block">
              {rows.map((row) => {
                const path = row.repository.slice(registry.length + 1);
                const [owner] = path.split('/');
                return (
                  <tr key={row.repository} data-repository={row.repository} className="border-b border-slate-100 align-top max-md:block max-md:px-3 max-md:py-2 dark:border-slate-900">
                    <td className="px-3 py-2 max-md:block max-md:p-0">
                      <a href={referenceHref(row.repository)} className="break-all font-mono font-medium text-sky-700 underline-offset-2 hover:underline dark:text-sky-400">
                        {owner === 'library' ? path.slice('library/'.length) : path}
                      </a>
                      {row.official && <span className="ml-2 text-xs text-emerald-800 dark:text-emerald-300">Official</span>}
                      {!namespace && owner && owner !== 'library' && (
                        <a href={`/r/${registry}?namespace=${encodeURIComponent(owner)}`} className="ml-2 text-xs text-slate-600 underline underline-offset-2 dark:text-slate-400">
                          all of {owner}
                        </a>
                      )}
                      {row.description && (
                        <p className="mt-0.5 text-xs text-slate-700 dark:text-slate-300">
                          <VisibleText text={row.description} />
                        </p>
                      )}
                    </td>
                    <td className="px-3 py-2 tabular-nums max-md:inline-block max-md:p-0 max-md:pr-3 max-md:text-xs">
                      {row.stars === null ? '—' : row.stars.toLocaleString('en')}
                      <span className="md:hidden"> stars</span>
                    </td>
                    <td className="px-3 py-2 tabular-nums max-md:inline-block max-md:p-0 max-md:pr-3 max-md:text-xs">
                      {row.pulls === null ? '—' : row.pulls.toLocaleString('en')}
                      <span className="md:hidden"> pulls</span>
                    </td>
                    <td className="whitespace-nowrap px-3 py-2 max-md:inline-block max-md:p-0 max-md:text-xs">
                      <span className="md:hidden">updated </span>
                      {row.lastUpdated ? <RelativeTime date={row.lastUpdated} verb="updated" /> : '—'}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

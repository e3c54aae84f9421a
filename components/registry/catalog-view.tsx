'use client';
// A registry's repositories as its catalog lists them, streamed page by page: filtered
// (substring or /regex/, kept in the URL as `q`), grouped by namespace (the first path
// component) with counts, virtualized so 50,000 rows stay smooth, each linking to its tags and
// showing its tag count once on screen. A registry without a usable catalog says so in words.

import { useVirtualizer } from '@tanstack/react-virtual';
import { useMemo, useRef } from 'react';
import { referenceHref } from '@/lib/common/routes';
import { useCatalog, emptyCatalog } from '@/lib/swr/use-catalog';
import { useTagList } from '@/lib/swr/use-registry-lists';
import type { NameMatcher } from '@/lib/common/name-filter';
import { useNameMatcher } from '@/lib/swr/use-name-matcher';
import { ErrorPanel } from '../errors/error-panel';
import { VisibleText } from '../ui/visible-text';
import { FilterBox, useQueryParam } from '../ui/filter-box';

type Row = { kind: 'namespace'; namespace: string; count: number } | { kind: 'repository'; path: string };

/** The rows shown: namespace headers, each followed by its repositories, in the catalog's order. */
export function catalogRows(repositories: readonly string[], filter: NameMatcher): { rows: Row[]; shown: number; namespaces: number; error: string | null } {
  const groups = new Map<string, string[]>();
  for (const path of repositories) {
    if (!filter.test(path)) continue;
    const slash = path.indexOf('/');
    const namespace = slash === -1 ? '' : path.slice(0, slash);
    let group = groups.get(namespace);
    if (!group) groups.set(namespace, (group = []));
    group.push(path);
  }
  const rows: Row[] = [];
  let shown = 0;
  for (const [namespace, paths] of groups) {
    rows.push({ kind: 'namespace', namespace, count: paths.length });
    for (const path of paths) rows.push({ kind: 'repository', path });
    shown += paths.length;
  }
  return { rows, shown, namespaces: groups.size, error: filter.error };
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count.toLocaleString('en')} ${count === 1 ? one : many}`;
}

const repositories = (count: number) => plural(count, 'repository', 'repositories');

/** A repository's tag count, asked for when its row is first on screen. */
function TagCount({ repository }: { repository: string }) {
  const { data, error } = useTagList(repository);
  if (error) return <span title={error.message}>—</span>;
  if (!data) return <span className="text-slate-500 dark:text-slate-400">…</span>;
  return <span>{plural(data.tags.length, 'tag')}{data.truncated ? '+' : ''}</span>;
}

export function CatalogView({ registry }: { registry: string }) {
  const [q, setQ] = useQueryParam('q');
  const { data } = useCatalog(registry);
  const state = data ?? emptyCatalog;
  const filter = useNameMatcher(q);
  const { rows, shown, namespaces, error: filterError } = useMemo(() => catalogRows(state.repositories, filter), [state.repositories, filter]);
  const scrollRef = useRef<HTMLDivElement>(null);
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (index) => (rows[index]?.kind === 'namespace' ? 36 : 40),
    overscan: 10,
    initialRect: { width: 1024, height: 800 },
  });
  const total = state.repositories.length;

  if (state.error) {
    return <ErrorPanel error={state.error} reference={registry} />;
  }
  const items = virtualizer.getVirtualItems();
  return (
    <section aria-labelledby="repositories-heading" className="space-y-3">
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="repositories-heading" className="text-lg font-semibold">
          Repositories
        </h2>
        <p className="text-sm text-slate-600 dark:text-slate-400" aria-live="polite">
          {q.trim() ? `${shown.toLocaleString('en')} of ${repositories(total)} match ${q.trim()}` : `${repositories(total)} in ${plural(namespaces, 'namespace')}`}
          {state.done ? '' : ' so far…'}
        </p>
      </div>
      <FilterBox label="Filter repositories" placeholder="library, or /^team\/.*-api$/" value={q} onChange={setQ} error={filterError} />
      {state.notices.map((notice, i) => (
        <p key={i} className="rounded-md border border-amber-300 bg-amber-50 p-2 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100">
          <VisibleText text={notice.message} />
        </p>
      ))}
      <div ref={scrollRef} className="max-h-[70vh] overflow-auto rounded-md border border-slate-200 dark:border-slate-800" data-testid="catalog-scroll">
        <ul aria-label={`Repositories of ${registry}`} className="relative" style={{ height: virtualizer.getTotalSize() }}>
          {items.map((item) => {
            const row = rows[item.index]!;
            return (
              <li
                key={row.kind === 'namespace' ? `ns:${row.namespace}` : row.path}
                data-index={item.index}
                ref={virtualizer.measureElement}
                className="absolute left-0 top-0 w-full"
                style={{ transform: `translateY(${item.start}px)` }}
              >
                {row.kind === 'namespace' ? (
                  <p className="flex justify-between border-b border-slate-200 bg-slate-50 px-3 py-2 text-xs font-semibold uppercase tracking-wide text-slate-700 dark:border-slate-800 dark:bg-slate-900 dark:text-slate-300" data-namespace={row.namespace}>
                    <span className="break-all">{row.namespace || 'top level'}</span>
                    <span className="font-normal normal-case">{repositories(row.count)}</span>
                  </p>
                ) : (
                  <p className="flex items-baseline justify-between gap-3 border-b border-slate-100 px-3 py-2 text-sm dark:border-slate-900" data-repository={row.path}>
                    <a href={referenceHref(`${registry}/${row.path}`)} className="min-w-0 break-all font-mono text-sky-700 underline-offset-2 hover:underline dark:text-sky-400">
                      {row.path}
                    </a>
                    <span className="shrink-0 text-xs tabular-nums text-slate-600 dark:text-slate-400">
                      <TagCount repository={`${registry}/${row.path}`} />
                    </span>
                  </p>
                )}
              </li>
            );
          })}
        </ul>
      </div>
      {state.done && total === 0 && <p className="text-sm text-slate-600 dark:text-slate-400">The registry lists no repositories.</p>}
      {state.done && total > 0 && shown === 0 && (
        <p className="flex flex-wrap items-center gap-3 text-sm text-slate-600 dark:text-slate-400">
          No repository matches.
          <button type="button" onClick={() => setQ('')} className="rounded-md border border-slate-300 px-2 py-1 text-slate-800 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-sky-600 dark:border-slate-600 dark:text-slate-200 dark:hover:bg-slate-800">
            Clear filter
          </button>
        </p>
      )}
      {(state.truncated || state.invalidRepositories > 0) && (
        <p className="text-xs text-slate-600 dark:text-slate-400">
          {state.truncated && `The list was cut short: ${state.truncatedBy}. `}
          {state.invalidRepositories > 0 && `${plural(state.invalidRepositories, 'name')} the registry listed ${state.invalidRepositories === 1 ? 'is' : 'are'} not valid repository names and ${state.invalidRepositories === 1 ? 'is' : 'are'} left out.`}
        </p>
      )}
    </section>
  );
}

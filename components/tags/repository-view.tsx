'use client';
// The repository page in the browser: tag names at once, groups filling in as the NDJSON
// stream resolves, with a progress bar; filter, sort and platform kept in the URL.

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useEffect, useMemo } from 'react';
import { buildRows, countSummary, initialState } from '@/lib/swr/repository-state';
import { platformKey, platformOfRow } from '@/lib/registry/platform';
import type { RepositoryInfo } from '@/lib/api/types';
import type { PullState } from '@/lib/registry/pull-budget';
import { formatCreated } from '@/lib/common/format';
import { rememberRepository } from '@/lib/swr/recent';
import { useNameMatcher } from '@/lib/swr/use-name-matcher';
import { useRepository } from '@/lib/swr/use-repository';
import { DEFAULT_SORT, parseSort } from '@/lib/common/tag-order';
import { ErrorPanel } from '../errors/error-panel';
import { DigestFinder } from './digest-finder';
import { GroupTable } from './group-table';
import { Toolbar, type PlatformOption, type ToolbarValues } from './toolbar';
import { VisibleText } from '../ui/visible-text';

export function RepositoryView({ repository, initialTags }: { repository: string; initialTags: string[] }) {
  const router = useRouter();
  const pathname = usePathname();
  // The home page lists the repositories this browser opened.
  useEffect(() => rememberRepository(repository), [repository]);
  const params = useSearchParams();
  const values: ToolbarValues = {
    q: params.get('q') ?? '',
    sort: parseSort(params.get('sort')) ? (params.get('sort') ?? DEFAULT_SORT) : DEFAULT_SORT,
    platform: params.get('platform') ?? '',
  };
  const sort = parseSort(values.sort)!;
  // Dates need the image configs: only a sort by date asks the server for them.
  const { data } = useRepository(repository, sort.key === 'created' ? 'created' : DEFAULT_SORT, initialTags);
  const state = data ?? initialState(repository, initialTags);

  const onChange = useCallback(
    (next: Partial<ToolbarValues>) => {
      const search = new URLSearchParams(params.toString());
      for (const [key, value] of Object.entries(next)) {
        if (value === '' || (key === 'sort' && value === DEFAULT_SORT)) search.delete(key);
        else search.set(key, value);
      }
      const query = search.toString();
      router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false });
    },
    [params, pathname, router],
  );

  const filter = useNameMatcher(values.q);
  const { rows, filterError } = useMemo(() => buildRows(state, { filter, sort, platform: values.platform }), [state, filter, sort, values.platform]);
  // One option per platform, named as the chips name it (`linux/arm64/v8`), matched normalized.
  const platforms = useMemo(() => {
    const seen = new Map<string, PlatformOption>();
    for (const group of state.groups.values()) {
      for (const p of group.platforms) {
        const key = platformKey(platformOfRow(p));
        if (p.os !== 'unknown' && !seen.has(key)) seen.set(key, { key, label: p.platform });
      }
    }
    return [...seen.values()].sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
  }, [state.groups]);
  const pushDates = useMemo(() => [...state.groups.values()].some((group) => group.lastPushed !== null), [state.groups]);

  const total = state.total || state.tags.length;
  const finished = state.done;

  return (
    <section aria-labelledby="tags-heading" className="space-y-4">
      {/* The count grows to the right and the progress line keeps its room when the stream
          ends, so nothing below them moves (Lighthouse counted both as layout shifts). */}
      <div className="flex flex-wrap items-baseline gap-x-4 gap-y-1">
        <h2 id="tags-heading" className="text-lg font-semibold">
          Tags
        </h2>
        <p className="text-sm text-slate-600 dark:text-slate-400" aria-live="polite">
          {countSummary(state, rows, { filter: values.q, platform: values.platform })}
          {state.truncated ? ' (list cut short)' : ''}
        </p>
      </div>
      <div className="h-8 space-y-1" data-testid="progress-line">
        {!finished && (
          <>
            <progress className="block h-2 w-full accent-sky-600" value={state.resolved} max={Math.max(total, 1)} aria-label="Resolving tags" />
            <p className="text-xs text-slate-600 dark:text-slate-400">
              resolved {state.resolved.toLocaleString('en')} of {total.toLocaleString('en')} tags
            </p>
          </>
        )}
      </div>
      <RepositorySummary info={state.info} pulls={state.pulls} />
      {state.error && <ErrorPanel error={state.error} reference={repository} />}
      {state.notices.length > 0 && (
        <ul aria-label="Limits reached" className="space-y-1 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-100">
          {state.notices.map((notice, i) => (
            <li key={i}>
              <VisibleText text={notice.message} />
            </li>
          ))}
        </ul>
      )}
      <Toolbar values={values} platforms={platforms} pushDates={pushDates} filterError={filterError} onChange={onChange} />
      <GroupTable repository={repository} rows={rows} />
      {rows.length === 0 && finished && (
        <p className="flex flex-wrap items-center gap-3 text-sm text-slate-600 dark:text-slate-400">
          No tags match.
          {(values.q || values.platform) && (
            <button
              type="button"
              onClick={() => onChange({ q: '', platform: '' })}
              className="rounded-md border border-slate-300 px-2 py-1 text-sm text-slate-800 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-sky-600 dark:border-slate-600 dark:text-slate-200 dark:hover:bg-slate-800"
            >
              Clear filters
            </button>
          )}
        </p>
      )}
      <div className="max-w-2xl">
        <DigestFinder repository={repository} groups={state.groups} complete={finished} />
      </div>
      {state.unattached.length > 0 && (
        <details className="text-sm">
          <summary className="cursor-pointer">
            {state.unattached.length} signature tag{state.unattached.length > 1 ? 's' : ''} whose image is not in this repository
          </summary>
          <ul className="mt-2 space-y-1 font-mono text-xs">
            {state.unattached.map((s) => (
              <li key={s.tag}>{s.tag}</li>
            ))}
          </ul>
        </details>
      )}
    </section>
  );
}

/** What Docker Hub's own page shows above the tags — description, stars, pulls — and the pull budget left. */
function RepositorySummary({ info, pulls }: { info: RepositoryInfo | null; pulls: PullState | null }) {
  if (!info && !pulls) return null;
  return (
    <div className="space-y-1 text-sm text-slate-700 dark:text-slate-300" data-testid="repository-summary">
      {info?.description && (
        <p>
          <VisibleText text={info.description} />
        </p>
      )}
      {info && (info.stars !== null || info.pullCount !== null) && (
        <p className="text-slate-600 dark:text-slate-400">
          {info.stars !== null && <span>{info.stars.toLocaleString('en')} stars</span>}
          {info.stars !== null && info.pullCount !== null && ' · '}
          {info.pullCount !== null && <span>{info.pullCount.toLocaleString('en')} pulls</span>}
        </p>
      )}
      {pulls && (
        <p data-testid="pull-budget" className="text-slate-600 dark:text-slate-400">
          {pulls.remaining.toLocaleString('en')}
          {pulls.limit !== null ? ` of ${pulls.limit.toLocaleString('en')}` : ''} pulls left for this server
          {pulls.windowSeconds !== null ? ` in its ${formatWindow(pulls.windowSeconds)} window` : ''} (Tagscope keeps the last {pulls.reserve} for your own docker pull; resets by{' '}
          <time dateTime={pulls.resetsAt}>{formatCreated(pulls.resetsAt)}</time>)
        </p>
      )}
    </div>
  );
}

function formatWindow(seconds: number): string {
  return seconds % 3600 === 0 ? `${seconds / 3600}-hour` : seconds % 60 === 0 ? `${seconds / 60}-minute` : `${seconds}-second`;
}

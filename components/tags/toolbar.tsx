'use client';
// The toolbar: filter (substring, or /regex/), sort and platform. The URL holds the state, so
// a link reproduces the view; typing updates it after a short pause.

import { useCallback, useId } from 'react';
import { parsePlatform, platformKey } from '@/lib/registry/platform';
import { escapeInvisible } from '@/lib/common/visible-text';
import { FilterBox } from '../ui/filter-box';

export interface ToolbarValues {
  q: string;
  sort: string;
  platform: string;
}

/**
 * The sorts by the names Docker Hub users look for. "Newest" and "Oldest" go by the push date
 * where the registry gives one (Docker Hub's web API), else by the build date; the other date
 * stays available by its own name.
 */
export function sortOptions(pushDates: boolean): { value: string; label: string }[] {
  const byDate = pushDates
    ? [
        { value: 'pushed', label: 'Newest' },
        { value: '-pushed', label: 'Oldest' },
        { value: 'created', label: 'Newest build' },
        { value: '-created', label: 'Oldest build' },
      ]
    : [
        { value: 'created', label: 'Newest' },
        { value: '-created', label: 'Oldest' },
      ];
  return [
    ...byDate,
    { value: 'name', label: 'A–Z' },
    { value: '-name', label: 'Z–A' },
    { value: 'version', label: 'Newest version' },
    { value: '-version', label: 'Oldest version' },
  ];
}

export interface PlatformOption {
  /** As the chips show it: `linux/arm64/v8`. */
  label: string;
  /** The platform after normalization, to match the URL's `platform` however it was written. */
  key: string;
}

export function Toolbar({
  values,
  platforms,
  pushDates,
  filterError,
  onChange,
}: {
  values: ToolbarValues;
  platforms: PlatformOption[];
  /** Whether the registry says when tags were pushed. */
  pushDates: boolean;
  filterError: string | null;
  onChange: (next: Partial<ToolbarValues>) => void;
}) {
  const ids = { sort: useId(), platform: useId() };
  const setFilter = useCallback((q: string) => onChange({ q }), [onChange]);

  const sorts = sortOptions(pushDates);
  // A link may ask for the push date where the registry gives none: keep it selectable by name.
  if (!sorts.some((option) => option.value === values.sort)) sorts.push({ value: values.sort, label: values.sort.startsWith('-') ? 'Oldest push' : 'Newest push' });
  // `linux/arm64` in the URL selects the option shown as the chips show it, `linux/arm64/v8`.
  const parsed = values.platform ? parsePlatform(values.platform) : null;
  const wanted = parsed ? platformKey(parsed) : null;
  const platform = platforms.find((p) => p.key === wanted)?.label ?? values.platform;
  const field = 'rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-600 dark:bg-slate-900';
  return (
    <div className="flex flex-col gap-3 sm:flex-row sm:flex-wrap sm:items-start">
      <FilterBox label="Filter tags" placeholder="3.12, or /^v?\d+\.\d+$/" value={values.q} onChange={setFilter} error={filterError} className="sm:min-w-64 sm:flex-1" />
      <div className="flex flex-col gap-1">
        <label htmlFor={ids.sort} className="text-xs font-medium text-slate-700 dark:text-slate-300">
          Sort
        </label>
        <select id={ids.sort} value={values.sort} onChange={(event) => onChange({ sort: event.target.value })} className={field}>
          {sorts.map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor={ids.platform} className="text-xs font-medium text-slate-700 dark:text-slate-300">
          Platform
        </label>
        <select id={ids.platform} value={platform} onChange={(event) => onChange({ platform: event.target.value })} className={field}>
          <option value="">All platforms</option>
          {[...new Set([...platforms.map((p) => p.label), ...(platform ? [platform] : [])])].map((label) => (
            <option key={label} value={label}>
              {escapeInvisible(label)}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}

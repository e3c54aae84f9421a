'use client';
// The toolbar: filter (substring, or /regex/), sort and platform. The URL holds the state, so
// a link reproduces the view; typing updates it after a short pause.

import { useEffect, useId, useState } from 'react';
import { escapeInvisible } from '@/lib/visible-text';

export interface ToolbarValues {
  q: string;
  sort: string;
  platform: string;
}

export const SORT_OPTIONS = [
  { value: 'version', label: 'Newest version' },
  { value: '-version', label: 'Oldest version' },
  { value: 'name', label: 'Name (A–Z)' },
  { value: '-name', label: 'Name (Z–A)' },
  { value: 'created', label: 'Newest build' },
  { value: '-created', label: 'Oldest build' },
  { value: 'pushed', label: 'Last pushed' },
  { value: '-pushed', label: 'First pushed' },
];

export function Toolbar({
  values,
  platforms,
  filterError,
  onChange,
}: {
  values: ToolbarValues;
  platforms: string[];
  filterError: string | null;
  onChange: (next: Partial<ToolbarValues>) => void;
}) {
  const ids = { q: useId(), sort: useId(), platform: useId(), error: useId() };
  const [text, setText] = useState(values.q);
  const [lastQ, setLastQ] = useState(values.q);
  // The URL changed elsewhere (back button, a link): show what it says.
  if (values.q !== lastQ) {
    setLastQ(values.q);
    setText(values.q);
  }
  useEffect(() => {
    if (text === values.q) return;
    const timer = setTimeout(() => onChange({ q: text }), 200);
    return () => clearTimeout(timer);
  }, [text, values.q, onChange]);

  const field = 'rounded-md border border-slate-300 bg-white px-2 py-1.5 text-sm dark:border-slate-600 dark:bg-slate-900';
  return (
    <div className="flex flex-col gap-3 sm:flex-row sm:flex-wrap sm:items-end">
      <div className="flex flex-col gap-1 sm:min-w-64 sm:flex-1">
        <label htmlFor={ids.q} className="text-xs font-medium text-slate-700 dark:text-slate-300">
          Filter tags
        </label>
        <input
          id={ids.q}
          type="search"
          value={text}
          onChange={(event) => setText(event.target.value)}
          placeholder="3.12, or /^v?\d+\.\d+$/"
          spellCheck={false}
          autoComplete="off"
          aria-invalid={filterError ? true : undefined}
          aria-describedby={filterError ? ids.error : undefined}
          className={`${field} font-mono`}
        />
        {filterError && (
          <p id={ids.error} className="text-xs text-red-700 dark:text-red-400">
            {filterError}
          </p>
        )}
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor={ids.sort} className="text-xs font-medium text-slate-700 dark:text-slate-300">
          Sort
        </label>
        <select id={ids.sort} value={values.sort} onChange={(event) => onChange({ sort: event.target.value })} className={field}>
          {SORT_OPTIONS.map((option) => (
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
        <select id={ids.platform} value={values.platform} onChange={(event) => onChange({ platform: event.target.value })} className={field}>
          <option value="">All platforms</option>
          {[...new Set([...platforms, ...(values.platform ? [values.platform] : [])])].map((platform) => (
            <option key={platform} value={platform}>
              {escapeInvisible(platform)}
            </option>
          ))}
        </select>
      </div>
    </div>
  );
}

'use client';
// The home page's "Recently opened": repositories this browser opened, from localStorage only.
// Rendered after hydration (the server cannot know them), so nothing is there without them.

import Link from 'next/link';
import { useMemo, useSyncExternalStore } from 'react';
import { forgetRecent, readRecent, recentSnapshot, subscribeRecent } from '@/lib/swr/recent';
import { referenceHref } from '@/lib/common/routes';

export function RecentRepositories() {
  const text = useSyncExternalStore(subscribeRecent, recentSnapshot, () => null);
  const recent = useMemo(() => readRecent(text), [text]);
  if (recent.length === 0) return null;
  return (
    <section aria-labelledby="recent-heading" className="max-w-3xl">
      <div className="mb-3 flex flex-wrap items-baseline justify-between gap-2">
        <h2 id="recent-heading" className="text-lg font-semibold">
          Recently opened
        </h2>
        <button
          type="button"
          onClick={forgetRecent}
          className="rounded-md border border-slate-300 px-2 py-1 text-xs text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-sky-600 dark:border-slate-600 dark:text-slate-200 dark:hover:bg-slate-800"
        >
          Forget these
        </button>
      </div>
      <p className="mb-2 text-xs text-slate-600 dark:text-slate-400">Kept in this browser only.</p>
      <ul className="divide-y divide-slate-200 rounded-md border border-slate-200 dark:divide-slate-800 dark:border-slate-800">
        {recent.map((repository) => (
          <li key={repository} className="px-4 py-2">
            <Link href={referenceHref(repository)} className="break-all font-mono text-sm text-sky-700 underline-offset-2 hover:underline dark:text-sky-400">
              {repository}
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}

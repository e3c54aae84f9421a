// `?at=` without typing it: a date picker that opens a tag's page as of a day (its start, UTC,
// as lib/history/dates.ts reads a day). A plain GET form, so it works before JavaScript runs.
import { referenceHref } from '@/lib/common/routes';

export function DateForm({ repository, tag }: { repository: string; tag: string }) {
  return (
    <form action={referenceHref(`${repository}:${tag}`)} method="get" className="flex flex-wrap items-center gap-2 text-sm" data-testid="at-form">
      <label htmlFor="history-at">What did {tag} point at on</label>
      <input id="history-at" name="at" type="date" required className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm dark:border-slate-600 dark:bg-slate-900" />
      <button
        type="submit"
        className="rounded-md border border-slate-300 px-2 py-1 text-sm text-slate-800 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-sky-600 dark:border-slate-600 dark:text-slate-200 dark:hover:bg-slate-800"
      >
        Show
      </button>
      <span className="text-xs text-slate-600 dark:text-slate-400">(the start of that day, UTC)</span>
    </form>
  );
}

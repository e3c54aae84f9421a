'use client';
// "Watch" / "Watching": a toggle (aria-pressed) that has Tagscope poll the repository for tag
// moves, kept in the history database, so its history is complete rather than made of whatever
// visitors opened. A watch that TAGSCOPE_WATCH configures, or that another visitor added, is
// not the button's to remove: the button is off and says why. A refused change is undone and
// its reason shown.
import type { ApiErrorInfo } from '@/lib/api/types';
import { useWatch, type WatchResponse } from '@/lib/swr/use-watch';
import { VisibleText } from '../ui/visible-text';

/** `every 10 min`, `every 90 s`, `every 2 h`. */
export function formatInterval(seconds: number): string {
  if (seconds % 3600 === 0) return `every ${seconds / 3600} h`;
  if (seconds >= 60 && seconds % 60 === 0) return `every ${seconds / 60} min`;
  return `every ${seconds} s`;
}

function note(watch: WatchResponse | null, loadError: ApiErrorInfo | null): string {
  if (!watch) return loadError ? `Watching is unavailable: ${loadError.message}` : 'Reading whether Tagscope watches this repository…';
  const every = formatInterval(watch.intervalSeconds);
  if (watch.origin === 'config') return `Watched by the server’s configuration (TAGSCOPE_WATCH), polled ${every}; only an administrator can stop it.`;
  if (watch.watched && !watch.removable) return `Watched by another visitor, polled ${every}; only the browser that added it can stop it.`;
  return watch.watched ? `Polled ${every} for tag moves.` : `Watching polls its tags ${every}.`;
}

/** `aside`: what goes beside the button (the page's feed link). */
export function WatchButton({ repository, initial, aside }: { repository: string; initial: WatchResponse | null; aside?: React.ReactNode }) {
  const { watch, loadError, changeError, pending, setWatched } = useWatch(repository, initial);
  const watched = watch?.watched ?? false;
  // Off while the state is unknown, configured or another's; while a change is on its way it stays
  // pressable (the last press wins) and keeps its focus.
  const disabled = watch === null || watch.origin === 'config' || (watch.watched && !watch.removable);
  return (
    <div className="max-w-xs space-y-1" data-testid="watch">
      <div className="flex flex-wrap items-center gap-x-4 gap-y-1">
        <button
          type="button"
          aria-pressed={watched}
          aria-describedby="watch-note"
          aria-busy={pending || undefined}
          disabled={disabled}
          onClick={() => void setWatched(!watched)}
          className={`inline-flex min-w-[6.5rem] items-center justify-center gap-1.5 rounded-md border px-3 py-1 text-sm font-medium focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600 disabled:cursor-not-allowed disabled:opacity-60 ${
            watched
              ? 'border-sky-700 bg-sky-700 text-white hover:bg-sky-800 dark:border-sky-400 dark:bg-sky-400 dark:text-slate-950 dark:hover:bg-sky-300'
              : 'border-slate-300 text-slate-800 hover:bg-slate-100 dark:border-slate-600 dark:text-slate-100 dark:hover:bg-slate-800'
          }`}
        >
          <svg aria-hidden="true" viewBox="0 0 16 16" className="h-4 w-4 fill-none stroke-current" strokeWidth="1.5">
            <path d="M1 8s2.5-5 7-5 7 5 7 5-2.5 5-7 5-7-5-7-5z" />
            <circle cx="8" cy="8" r="2" className={watched ? 'fill-current' : ''} />
          </svg>
          {watched ? 'Watching' : 'Watch'}
        </button>
        {aside}
      </div>
      <p id="watch-note" className="text-xs text-slate-600 dark:text-slate-400">
        <VisibleText text={note(watch, loadError)} />
      </p>
      <p role="alert" className="text-sm text-red-700 empty:hidden dark:text-red-400" data-testid="watch-error">
        {changeError && (
          <>
            Could not {watched ? 'stop watching' : 'watch'} this repository: <VisibleText text={changeError.message} />
          </>
        )}
      </p>
    </div>
  );
}

'use client';
// A date as Docker Hub's tag list shows it — "3 days ago" — with the exact time on hover and on
// keyboard focus (a tooltip that takes no room, so nothing moves) and always for screen readers.

import { useSyncExternalStore } from 'react';
import { formatCreated, formatRelative } from '@/lib/common/format';

// One clock for every date on the page, ticking once a minute.
const MINUTE = 60_000;
let now = Date.now();
const listeners = new Set<() => void>();
let timer: ReturnType<typeof setInterval> | null = null;
function subscribe(listener: () => void) {
  listeners.add(listener);
  if (timer === null) {
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      for (const l of listeners) l();
    }, MINUTE);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer !== null) {
      clearInterval(timer);
      timer = null;
    }
  };
}

/** Now, to the minute; null while rendering on the server (the absolute date is shown then). */
function useNow(): number | null {
  return useSyncExternalStore(subscribe, () => now, () => null);
}

export function RelativeTime({ date, verb }: { date: string; verb?: string }) {
  const current = useNow();
  const absolute = formatCreated(date);
  const shown = current === null ? null : formatRelative(date, current);
  if (shown === null) return <time dateTime={date}>{absolute}</time>;
  const exact = `${verb ? `${verb} ` : ''}${absolute}`;
  return (
    <time
      dateTime={date}
      tabIndex={0}
      className="group/time relative inline-block whitespace-nowrap rounded-sm underline decoration-dotted decoration-slate-400 underline-offset-2 focus-visible:outline-2 focus-visible:outline-sky-600"
    >
      {shown}
      <span className="sr-only">, {exact}</span>
      <span
        aria-hidden="true"
        className="pointer-events-none absolute right-0 top-full z-20 mt-1 hidden whitespace-nowrap rounded bg-slate-900 px-2 py-1 text-xs text-white shadow group-hover/time:block group-focus-visible/time:block dark:bg-slate-100 dark:text-slate-900"
      >
        {exact}
      </span>
    </time>
  );
}

'use client';
// A filter or search box whose value lives in the URL (`q`, so a link reproduces the view and
// the filter is there again on coming back): typing updates it after a short pause, and its
// error line is always there, so an error appears without moving the controls or the list.
// The tag list's toolbar and the registry pages use it.

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useEffect, useId, useState } from 'react';

export function useQueryParam(name: string): [string, (value: string) => void] {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  const value = params.get(name) ?? '';
  // Stable between renders (a stream re-renders often), so a pending debounce is not restarted.
  const set = useCallback(
    (next: string) => {
      const search = new URLSearchParams(params.toString());
      if (next === '') search.delete(name);
      else search.set(name, next);
      const query = search.toString();
      router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false });
    },
    [name, params, pathname, router],
  );
  return [value, set];
}

export function FilterBox({
  label,
  placeholder,
  error,
  value,
  onChange,
  delay = 200,
  className = 'max-w-2xl',
}: {
  label: string;
  placeholder: string;
  error?: string | null;
  value: string;
  /** Must keep its identity between renders: a new one restarts the pause. */
  onChange: (value: string) => void;
  delay?: number;
  /** The wrapper's width in its layout. */
  className?: string;
}) {
  const ids = { input: useId(), error: useId() };
  const [text, setText] = useState(value);
  const [last, setLast] = useState(value);
  // The URL changed elsewhere (back button, a link): show what it says.
  if (value !== last) {
    setLast(value);
    setText(value);
  }
  useEffect(() => {
    if (text === value) return;
    const timer = setTimeout(() => onChange(text), delay);
    return () => clearTimeout(timer);
  }, [text, value, onChange, delay]);
  return (
    <div className={`flex flex-col gap-1 ${className}`}>
      <label htmlFor={ids.input} className="text-xs font-medium text-slate-700 dark:text-slate-300">
        {label}
      </label>
      <input
        id={ids.input}
        type="search"
        value={text}
        onChange={(event) => setText(event.target.value)}
        placeholder={placeholder}
        spellCheck={false}
        autoComplete="off"
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? ids.error : undefined}
        className="rounded-md border border-slate-300 bg-white px-2 py-1.5 font-mono text-sm dark:border-slate-600 dark:bg-slate-900"
      />
      <p id={ids.error} className="min-h-4 text-xs text-red-700 dark:text-red-400">
        {error}
      </p>
    </div>
  );
}

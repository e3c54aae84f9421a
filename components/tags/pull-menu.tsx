'use client';
// Docker Hub's "copy docker pull" for a row: one button for a single tag; for a group of
// aliases, a small menu with the command of each tag (most specific first). Escape, a click
// outside or moving focus away closes it; focus returns to the button after Escape.

import { useEffect, useId, useRef, useState } from 'react';
import { CopyButton } from '../ui/copy-button';

export function PullMenu({ name, tags }: { name: string; tags: string[] }) {
  const [open, setOpen] = useState(false);
  const id = useId();
  const root = useRef<HTMLDivElement>(null);
  const button = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (!open) return;
    const close = (event: Event) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', close);
    document.addEventListener('focusin', close);
    return () => {
      document.removeEventListener('pointerdown', close);
      document.removeEventListener('focusin', close);
    };
  }, [open]);

  if (tags.length === 1) {
    const command = `docker pull ${name}:${tags[0]}`;
    return <CopyButton value={command} label={`Copy the command ${command}`} text="Copy pull" />;
  }
  return (
    <div
      ref={root}
      className="relative inline-block"
      onKeyDown={(event) => {
        if (event.key === 'Escape' && open) {
          event.stopPropagation();
          setOpen(false);
          button.current?.focus();
        }
      }}
    >
      <button
        ref={button}
        type="button"
        aria-expanded={open}
        aria-controls={open ? id : undefined}
        aria-label={`Copy a docker pull command for ${tags.join(', ')}`}
        onClick={() => setOpen(!open)}
        className="inline-flex shrink-0 items-center gap-1 rounded border border-slate-300 px-1.5 py-0.5 text-xs text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-sky-600 dark:border-slate-600 dark:text-slate-200 dark:hover:bg-slate-800"
      >
        Copy pull <span aria-hidden="true">▾</span>
      </button>
      {open && (
        <ul
          id={id}
          aria-label={`docker pull commands for ${tags.join(', ')}`}
          className="absolute right-0 top-full z-30 mt-1 max-h-64 w-max max-w-[calc(100vw-2rem)] space-y-1 overflow-auto rounded-md border border-slate-300 bg-white p-2 shadow-lg dark:border-slate-600 dark:bg-slate-900"
        >
          {tags.map((tag) => {
            const command = `docker pull ${name}:${tag}`;
            return (
              <li key={tag} className="flex items-center justify-between gap-3">
                <code className="break-all font-mono text-xs">{command}</code>
                <CopyButton value={command} label={`Copy the command ${command}`} />
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}

'use client';
// The reference box: takes any image reference, says what is wrong with an invalid one, and
// opens its /r/… page. Parsing runs in the browser with the same grammar the server uses.

import { useRouter } from 'next/navigation';
import { useId, useState } from 'react';
import { isRegistryError } from '@/lib/registry/errors';
import { parseReference } from '@/lib/registry/reference';
import { referenceHref } from '@/lib/routes';

export function ReferenceForm({ initialValue = '' }: { initialValue?: string }) {
  const router = useRouter();
  const [value, setValue] = useState(initialValue);
  const [error, setError] = useState<string | null>(null);
  const inputId = useId();
  const errorId = useId();
  const hintId = useId();

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    try {
      const reference = parseReference(value);
      setError(null);
      router.push(referenceHref(reference));
    } catch (caught) {
      if (!isRegistryError(caught)) throw caught;
      setError(caught.message);
    }
  }

  return (
    <form onSubmit={onSubmit} noValidate role="search" aria-label="Open a reference">
      <label htmlFor={inputId} className="mb-2 block text-sm font-medium">
        Image reference
      </label>
      <div className="flex flex-col gap-2 sm:flex-row">
        <input
          id={inputId}
          name="reference"
          type="text"
          value={value}
          onChange={(event) => {
            setValue(event.target.value);
            if (error) setError(null);
          }}
          placeholder="alpine, ghcr.io/org/app:1.4, quay.io/x/y@sha256:…"
          autoComplete="off"
          autoCapitalize="off"
          spellCheck={false}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? errorId : hintId}
          className="w-full rounded-md border border-slate-300 bg-white px-3 py-2 font-mono text-sm shadow-sm outline-none focus:border-sky-600 focus:ring-2 focus:ring-sky-600/30 aria-invalid:border-red-600 dark:border-slate-700 dark:bg-slate-900"
        />
        <button
          type="submit"
          className="rounded-md bg-sky-700 px-4 py-2 text-sm font-medium text-white hover:bg-sky-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600"
        >
          Open
        </button>
      </div>
      {error ? (
        <p id={errorId} role="alert" className="mt-2 text-sm text-red-700 dark:text-red-400">
          {error}
        </p>
      ) : (
        <p id={hintId} className="mt-2 text-sm text-slate-600 dark:text-slate-400">
          A repository lists its tags; add <code>:tag</code> or <code>@sha256:…</code> to open one image.
        </p>
      )}
    </form>
  );
}

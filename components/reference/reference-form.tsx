'use client';
// The reference box: takes any image reference, registry host, `docker pull` line or web
// address people copy (Docker Hub, GitHub Packages, Quay, ECR Gallery, Google Cloud console),
// says what is wrong with one it cannot read, and opens its /r/… page. Parsing runs in the
// browser with the same code the server uses (lib/common/web-address.ts).

import { useRouter } from 'next/navigation';
import { useId, useState } from 'react';
import { resolveWebAddress } from '@/lib/common/web-address';

export function ReferenceForm({ initialValue = '' }: { initialValue?: string }) {
  const router = useRouter();
  const [value, setValue] = useState(initialValue);
  const [error, setError] = useState<string | null>(null);
  const inputId = useId();
  const errorId = useId();
  const hintId = useId();

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const resolved = resolveWebAddress(value);
    if ('error' in resolved) {
      setError(resolved.error);
      return;
    }
    setError(null);
    router.push(resolved.href);
  }

  return (
    <form onSubmit={onSubmit} noValidate role="search" aria-label="Open a reference">
      <label htmlFor={inputId} className="mb-2 block text-sm font-medium">
        Image reference or web address
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
          A repository lists its tags; add <code>:tag</code> or <code>@sha256:…</code> to open one image. A Docker Hub, GitHub,
          Quay or ECR Gallery page address, or a <code>docker pull</code> line, works too.
        </p>
      )}
    </form>
  );
}

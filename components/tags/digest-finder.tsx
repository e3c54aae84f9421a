'use client';
// "What is this digest?": paste any sha256 (with or without its prefix) and open its page in
// this repository, which says whether it is an index, a platform manifest, an image ID or a layer.

import { useRouter } from 'next/navigation';
import { useId, useState } from 'react';
import { isDigest } from '@/lib/registry/reference';
import { referenceHref } from '@/lib/routes';

export function DigestFinder({ repository }: { repository: string }) {
  const router = useRouter();
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const ids = { input: useId(), error: useId() };
  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const text = value.trim().toLowerCase();
    const digest = isDigest(`sha256:${text}`) ? `sha256:${text}` : text;
    if (!isDigest(digest)) {
      setError('Paste a digest: sha256: followed by 64 hexadecimal characters (the prefix may be left out).');
      return;
    }
    setError(null);
    router.push(referenceHref(`${repository}@${digest}`));
  }
  return (
    <form onSubmit={onSubmit} noValidate className="flex flex-col gap-1" aria-label="Find a digest">
      <label htmlFor={ids.input} className="text-xs font-medium text-slate-700 dark:text-slate-300">
        What is this digest?
      </label>
      <div className="flex gap-2">
        <input
          id={ids.input}
          value={value}
          onChange={(event) => setValue(event.target.value)}
          placeholder="sha256:… (index, platform digest, image ID or layer)"
          spellCheck={false}
          autoComplete="off"
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? ids.error : undefined}
          className="w-full rounded-md border border-slate-300 bg-white px-2 py-1.5 font-mono text-sm dark:border-slate-600 dark:bg-slate-900"
        />
        <button type="submit" className="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-sky-600 dark:border-slate-600 dark:hover:bg-slate-800">
          Find
        </button>
      </div>
      {error && (
        <p id={ids.error} role="alert" className="text-xs text-red-700 dark:text-red-400">
          {error}
        </p>
      )}
    </form>
  );
}

'use client';
// "What is this digest?": paste any sha256 (with or without its prefix) and open its page in
// this repository, which says whether it is an index, a platform manifest, an image ID or a layer.
// A short ID — the 12 characters `docker images` and this page show — is looked up among the
// digests of the groups loaded here; an ambiguous prefix lists what it matches.

import { useRouter } from 'next/navigation';
import { useId, useState } from 'react';
import type { Group } from '@/lib/api/types';
import { isDigest } from '@/lib/registry/reference';
import { referenceHref } from '@/lib/common/routes';
import { findDigests, type DigestMatch } from '@/lib/swr/repository-state';

/** Fewer hex characters than this would match half the page; `docker` itself wants a few too. */
const SHORTEST_PREFIX = 4;

export function DigestFinder({ repository, groups, complete }: { repository: string; groups: Map<string, Group>; complete: boolean }) {
  const router = useRouter();
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [choices, setChoices] = useState<DigestMatch[]>([]);
  const ids = { input: useId(), error: useId() };
  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const text = value.trim().toLowerCase();
    const full = isDigest(`sha256:${text}`) ? `sha256:${text}` : text;
    setChoices([]);
    if (isDigest(full)) {
      setError(null);
      router.push(referenceHref(`${repository}@${full}`));
      return;
    }
    const hex = text.replace(/^sha256:/, '');
    if (!/^[0-9a-f]+$/.test(hex) || hex.length < SHORTEST_PREFIX || hex.length > 64) {
      setError(`Paste a digest (sha256: and 64 hexadecimal characters, the prefix may be left out) or a short ID of at least ${SHORTEST_PREFIX} hexadecimal characters, such as the 12 that docker images shows.`);
      return;
    }
    const matches = findDigests(groups.values(), hex);
    if (matches.length === 1) {
      setError(null);
      router.push(referenceHref(`${repository}@${matches[0]!.digest}`));
    } else if (matches.length > 1) {
      setError(`${hex} is ambiguous here: it starts ${matches.length} digests. Choose one, or type more characters.`);
      setChoices(matches);
    } else {
      setError(
        `No index digest, platform digest or image ID ${complete ? 'of this repository' : 'loaded so far'} starts with ${hex}.` +
          `${complete ? '' : ' Wait for every tag to resolve, or'} Paste the whole digest to look it up in the registry (layers too).`,
      );
    }
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
          placeholder="sha256:… or a short ID such as 1796265a1f43"
          spellCheck={false}
          autoComplete="off"
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? ids.error : undefined}
          className="w-full min-w-0 rounded-md border border-slate-300 bg-white px-2 py-1.5 font-mono text-sm dark:border-slate-600 dark:bg-slate-900"
        />
        <button type="submit" className="rounded-md border border-slate-300 px-3 py-1.5 text-sm hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-sky-600 dark:border-slate-600 dark:hover:bg-slate-800">
          Find
        </button>
      </div>
      {error && (
        <div id={ids.error} role="alert" className="space-y-1 text-xs text-red-700 dark:text-red-400">
          <p>{error}</p>
          {choices.length > 0 && (
            <ul className="space-y-0.5 text-slate-800 dark:text-slate-200">
              {choices.map((choice) => (
                <li key={choice.digest}>
                  <a href={referenceHref(`${repository}@${choice.digest}`)} className="break-all font-mono text-sky-700 underline underline-offset-2 dark:text-sky-400">
                    {choice.digest}
                  </a>{' '}
                  — {choice.what}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </form>
  );
}

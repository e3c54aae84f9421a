// The heading of every /r/… page: what the reference names, in Docker's words and in full.

import type { Reference } from '@/lib/registry/reference';

export function ReferenceSummary({ reference }: { reference: Reference }) {
  const kind = reference.digest ? 'Digest' : reference.tag ? 'Tag' : 'Repository';
  return (
    <div className="space-y-4">
      <p className="text-sm font-medium uppercase tracking-wide text-slate-600 dark:text-slate-400">{kind}</p>
      <h1 className="break-all font-mono text-2xl font-bold">{reference.familiar}</h1>
      <dl className="grid max-w-3xl grid-cols-[max-content_1fr] gap-x-6 gap-y-1 text-sm">
        <dt className="text-slate-600 dark:text-slate-400">Registry</dt>
        <dd className="font-mono">{reference.registry}</dd>
        <dt className="text-slate-600 dark:text-slate-400">Repository</dt>
        <dd className="break-all font-mono">{reference.repository}</dd>
        {reference.tag !== null && (
          <>
            <dt className="text-slate-600 dark:text-slate-400">Tag</dt>
            <dd className="break-all font-mono">{reference.tag}</dd>
          </>
        )}
        {reference.digest !== null && (
          <>
            <dt className="text-slate-600 dark:text-slate-400">Digest</dt>
            <dd className="break-all font-mono">{reference.digest}</dd>
          </>
        )}
      </dl>
    </div>
  );
}

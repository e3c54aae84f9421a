// Pretty-printed JSON from a registry, rendered as React text (so markup in annotations is
// shown, never run), with every digest inside a link to its own page.
import { Fragment } from 'react';
import { referenceHref } from '@/lib/registry/reference';

const DIGEST = /^sha(256|512):[a-f0-9]{64,128}$/;

function Value({ value, repository, indent }: { value: unknown; repository: string; indent: number }) {
  const pad = '  '.repeat(indent + 1);
  const close = '  '.repeat(indent);
  if (typeof value === 'string') {
    const text = JSON.stringify(value);
    return DIGEST.test(value) ? (
      <a href={referenceHref(`${repository}@${value}`)} className="text-sky-700 underline-offset-2 hover:underline dark:text-sky-400">
        {text}
      </a>
    ) : (
      <span className="text-emerald-800 dark:text-emerald-300">{text}</span>
    );
  }
  if (value === null || typeof value !== 'object') return <span className="text-amber-800 dark:text-amber-300">{JSON.stringify(value)}</span>;
  if (Array.isArray(value)) {
    if (value.length === 0) return <>{'[]'}</>;
    return (
      <>
        {'[\n'}
        {value.map((item, i) => (
          <Fragment key={i}>
            {pad}
            <Value value={item} repository={repository} indent={indent + 1} />
            {i < value.length - 1 ? ',\n' : '\n'}
          </Fragment>
        ))}
        {close}
        {']'}
      </>
    );
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return <>{'{}'}</>;
  return (
    <>
      {'{\n'}
      {entries.map(([key, item], i) => (
        <Fragment key={key}>
          {pad}
          <span className="text-slate-600 dark:text-slate-400">{JSON.stringify(key)}</span>
          {': '}
          <Value value={item} repository={repository} indent={indent + 1} />
          {i < entries.length - 1 ? ',\n' : '\n'}
        </Fragment>
      ))}
      {close}
      {'}'}
    </>
  );
}

export function JsonView({ raw, repository, label }: { raw: string; repository: string; label: string }) {
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return <pre className="overflow-x-auto whitespace-pre-wrap break-all font-mono text-xs">{raw}</pre>;
  }
  return (
    // The block scrolls sideways on small screens, so it takes focus for keyboard users.
    <pre tabIndex={0} aria-label={label} className="max-h-[32rem] overflow-auto rounded-md bg-slate-50 p-3 font-mono text-xs leading-5 dark:bg-slate-900">
      <Value value={value} repository={repository} indent={0} />
    </pre>
  );
}

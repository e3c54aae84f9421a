// JSON from a registry, rendered as React text (so markup in annotations is shown, never run):
// pretty-printed with every digest inside a link to its own page when it is small and shallow
// enough, otherwise as raw text, cut past a fixed size (render-limits.ts). Nesting costs one
// padded block per container, never an indentation string per level (which made a 16 KB
// manifest nested 8,000 deep take down a server with a 256 MB heap).
import { Fragment } from 'react';
import { referenceHref } from '@/lib/common/routes';
import { isDigest } from '@/lib/registry/reference';
import { splitInvisible } from '@/lib/common/visible-text';
import { RENDER_LIMITS } from './render-limits';
import { VisibleText } from '../ui/visible-text';


export type JsonReading = { kind: 'tree'; value: unknown } | { kind: 'raw'; reason: string };

const invisibleCount = (text: string) => splitInvisible(text).filter((part) => part.kind === 'invisible').length;

/** Whether a document is shown as a tree, or as raw text and why; walks it without recursion. */
export function readJson(raw: string): JsonReading {
  if (raw.length > RENDER_LIMITS.jsonChars) return { kind: 'raw', reason: `larger than ${RENDER_LIMITS.jsonChars / 1024} KiB` };
  let document: unknown;
  try {
    document = JSON.parse(raw);
  } catch {
    return { kind: 'raw', reason: 'not valid JSON' };
  }
  let elements = 0;
  const pending: { value: unknown; depth: number }[] = [{ value: document, depth: 0 }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { value, depth } = next;
    elements += 1;
    if (typeof value === 'string') elements += invisibleCount(value);
    if (value !== null && typeof value === 'object') {
      if (depth === RENDER_LIMITS.jsonDepth) return { kind: 'raw', reason: `nested deeper than ${RENDER_LIMITS.jsonDepth} levels` };
      for (const [key, item] of Object.entries(value)) {
        if (!Array.isArray(value)) elements += 1 + invisibleCount(key);
        pending.push({ value: item, depth: depth + 1 });
      }
    }
    if (elements > RENDER_LIMITS.jsonElements) return { kind: 'raw', reason: `made of more than ${RENDER_LIMITS.jsonElements.toLocaleString('en')} values` };
  }
  return { kind: 'tree', value: document };
}

function Value({ value, repository }: { value: unknown; repository: string }) {
  if (typeof value === 'string') {
    const text = <VisibleText text={JSON.stringify(value)} />;
    return isDigest(value) ? (
      // Underlined: among the coloured strings around it, colour alone does not mark a link
      // (axe link-in-text-block asks for 3:1 against the text around it, or an underline).
      <a href={referenceHref(`${repository}@${value}`)} className="text-sky-700 underline underline-offset-2 dark:text-sky-400">
        {text}
      </a>
    ) : (
      <span className="text-emerald-800 dark:text-emerald-300">{text}</span>
    );
  }
  if (value === null || typeof value !== 'object') return <span className="text-amber-800 dark:text-amber-300">{JSON.stringify(value)}</span>;
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  const entries = Array.isArray(value) ? value.map((item) => [null, item] as const) : Object.entries(value);
  if (entries.length === 0) return open + close;
  // The block starts and ends its own lines; its padding is the indentation of every line in it.
  return (
    <>
      {open}
      <span className="block pl-[2ch]">
        {entries.map(([key, item], i) => (
          <Fragment key={key ?? i}>
            {key !== null && (
              <>
                <span className="text-slate-600 dark:text-slate-400">
                  <VisibleText text={JSON.stringify(key)} />
                </span>
                {': '}
              </>
            )}
            <Value value={item} repository={repository} />
            {i < entries.length - 1 && ',\n'}
          </Fragment>
        ))}
      </span>
      {close}
    </>
  );
}

/** A document readJson found fit for a tree. */
export function JsonView({ value, repository, label }: { value: unknown; repository: string; label: string }) {
  return (
    // The block scrolls sideways on small screens, so it takes focus for keyboard users; a named
    // region says what it is when it does (a <pre> has no role its name could belong to).
    <pre tabIndex={0} role="region" aria-label={label} className="max-h-[32rem] overflow-auto rounded-md bg-slate-50 p-3 font-mono text-xs leading-5 dark:bg-slate-900">
      <Value value={value} repository={repository} />
    </pre>
  );
}

/** Text exactly as received up to RENDER_LIMITS.rawChars, then a note and a link to all of it. */
export function RawText({ text, label, fullHref, testId }: { text: string; label: string; fullHref: string; testId?: string }) {
  let end = Math.min(text.length, RENDER_LIMITS.rawChars);
  // Never split a surrogate pair.
  if (end < text.length && /[\uD800-\uDBFF]/.test(text.charAt(end - 1))) end -= 1;
  return (
    <>
      <pre tabIndex={0} role="region" aria-label={label} data-testid={testId} className="max-h-96 overflow-auto whitespace-pre-wrap break-all rounded-md bg-slate-50 p-3 font-mono text-xs dark:bg-slate-900">
        <VisibleText text={text.slice(0, end)} />
      </pre>
      {end < text.length && (
        <p className="mt-1 text-sm text-slate-600 dark:text-slate-400" data-testid="raw-cut">
          {`Showing the first ${end.toLocaleString('en')} of ${text.length.toLocaleString('en')} characters. `}
          <a href={fullHref} className="text-sky-700 underline underline-offset-2 dark:text-sky-400">
            All of it, as JSON
          </a>{' '}
          (its <code>raw</code> field holds the exact bytes).
        </p>
      )}
    </>
  );
}

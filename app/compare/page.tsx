import type { Metadata } from 'next';
import { CompareResult } from '@/components/compare/compare-result';
import { ErrorPanel } from '@/components/errors/error-panel';
import { toApiError } from '@/lib/api/errors';
import { referenceParameter } from '@/lib/api/schemas';
import { compareImages, type CompareResponse } from '@/lib/data/compare';

export const metadata: Metadata = { title: 'Compare' };

interface Props {
  searchParams: Promise<{ a?: string | string[]; b?: string | string[] }>;
}

const first = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value)?.trim() ?? '';

export default async function ComparePage({ searchParams }: Props) {
  const params = await searchParams;
  const a = first(params.a);
  const b = first(params.b);
  let result: CompareResponse | null = null;
  let error = null;
  if (a && b) {
    try {
      result = await compareImages(referenceParameter('a', a), referenceParameter('b', b));
    } catch (caught) {
      error = toApiError(caught).toJSON();
    }
  }
  const field = 'w-full rounded-md border border-slate-300 bg-white px-3 py-2 font-mono text-sm dark:border-slate-600 dark:bg-slate-900';
  return (
    <div className="space-y-8">
      <header className="max-w-3xl space-y-2">
        <h1 className="text-2xl font-bold">Are these the same image?</h1>
        <p className="text-slate-700 dark:text-slate-300">
          Two tags, or one image in two registries: compared by index digest, then per platform by platform digest, image ID, filesystem
          layers (diff_ids) and compressed layers.
        </p>
      </header>
      <form method="get" action="/compare" className="grid max-w-3xl gap-3">
        <label className="grid gap-1 text-sm font-medium">
          Reference a
          <input name="a" defaultValue={a} required placeholder="alpine:3.20" spellCheck={false} autoComplete="off" className={field} />
        </label>
        <label className="grid gap-1 text-sm font-medium">
          Reference b
          <input name="b" defaultValue={b} required placeholder="ghcr.io/mirror/alpine:3.20" spellCheck={false} autoComplete="off" className={field} />
        </label>
        <div>
          <button type="submit" className="rounded-md bg-sky-700 px-4 py-2 text-sm font-medium text-white hover:bg-sky-800 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-sky-600">
            Compare
          </button>
        </div>
      </form>
      {error && <ErrorPanel error={error} reference={`${a} ↔ ${b}`} />}
      {result && <CompareResult result={result} />}
    </div>
  );
}

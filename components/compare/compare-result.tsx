// The answer to "are these the same image?": a verdict with its reason, then per platform
// which level matches — platform digest, image ID, diff_ids, compressed layers — and why not.
import type { CompareResponse } from '@/lib/data/compare';
import { referenceHref } from '@/lib/routes';
import { shortDigest } from '@/lib/format';
import { Badge } from '../ui/badge';
import { VisibleText } from '../ui/visible-text';

const VERDICT: Record<CompareResponse['verdict'], { title: string; tone: 'good' | 'info' | 'warn' }> = {
  identical: { title: 'Identical', tone: 'good' },
  'same-image': { title: 'The same image', tone: 'good' },
  'same-filesystem': { title: 'The same filesystem', tone: 'info' },
  different: { title: 'Different', tone: 'warn' },
};

function Mark({ yes }: { yes: boolean }) {
  return <span className={yes ? 'text-emerald-700 dark:text-emerald-400' : 'text-slate-500 dark:text-slate-400'}>{yes ? 'same' : 'differs'}</span>;
}

export function CompareResult({ result }: { result: CompareResponse }) {
  const verdict = VERDICT[result.verdict];
  return (
    <div className="space-y-6">
      <div className="space-y-2" data-testid="verdict" data-verdict={result.verdict}>
        <h2 className="flex items-center gap-3 text-xl font-semibold">
          {verdict.title} <Badge tone={verdict.tone}>{result.verdict}</Badge>
        </h2>
        <p>{result.reason}.</p>
      </div>
      <dl className="grid grid-cols-[max-content_1fr] gap-x-6 gap-y-1 text-sm">
        {(['a', 'b'] as const).map((k) => (
          <div key={k} className="contents">
            <dt className="font-medium">{k}</dt>
            <dd className="break-all">
              <a href={referenceHref(result[k].reference)} className="font-mono text-sky-700 underline-offset-2 hover:underline dark:text-sky-400">
                {result[k].reference}
              </a>{' '}
              <code title={result[k].digest} className="text-xs">
                {shortDigest(result[k].digest)}
              </code>
            </dd>
          </div>
        ))}
        <dt className="font-medium">Index digest</dt>
        <dd>
          <Mark yes={result.sameIndexDigest} />
        </dd>
      </dl>
      <div className="relative overflow-x-auto">
        <table className="w-full min-w-[44rem] text-left text-sm">
          <caption className="sr-only">Per-platform comparison</caption>
          <thead className="text-xs uppercase text-slate-600 dark:text-slate-400">
            <tr>
              <th scope="col" className="py-1 pr-3 font-medium">Platform</th>
              <th scope="col" className="py-1 pr-3 font-medium">Platform digest</th>
              <th scope="col" className="py-1 pr-3 font-medium">Image ID</th>
              <th scope="col" className="py-1 pr-3 font-medium">diff_ids</th>
              <th scope="col" className="py-1 pr-3 font-medium">Compressed layers</th>
              <th scope="col" className="py-1 pr-3 font-medium">Why</th>
            </tr>
          </thead>
          <tbody>
            {result.platforms.map((p) => (
              <tr key={p.platform} className="border-t border-slate-200 align-top dark:border-slate-700" data-platform={p.platform}>
                <th scope="row" className="py-1.5 pr-3 font-mono text-xs font-normal">
                  <VisibleText text={p.platform} />
                </th>
                <td className="py-1.5 pr-3">
                  <Mark yes={p.samePlatformDigest} />
                </td>
                <td className="py-1.5 pr-3">
                  <Mark yes={p.sameImageId} />
                </td>
                <td className="py-1.5 pr-3">
                  <Mark yes={p.sameDiffIds} />
                </td>
                <td className="py-1.5 pr-3">
                  <Mark yes={p.sameCompressedLayers} />
                </td>
                <td className="py-1.5 pr-3">{p.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

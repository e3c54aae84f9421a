// The answer to "are these the same image?": a verdict with its reason, then per platform
// which level matches — platform digest, image ID, diff_ids, compressed layers — and why not.
// Below `md` each platform is a stacked block (its marks on labelled lines, then the why), so
// the reason is on screen on a phone, not off to the side of a scrolling table.
import type { CompareResponse } from '@/lib/data/compare';
import { referenceHref } from '@/lib/common/routes';
import { shortDigest } from '@/lib/common/format';
import { Badge } from '../ui/badge';
import { VisibleText } from '../ui/visible-text';

const VERDICT: Record<CompareResponse['verdict'], { title: string; tone: 'good' | 'info' | 'warn' }> = {
  identical: { title: 'Identical', tone: 'good' },
  'same-image': { title: 'The same image', tone: 'good' },
  'same-filesystem': { title: 'The same filesystem', tone: 'info' },
  different: { title: 'Different', tone: 'warn' },
};

const CELL = 'py-1.5 pr-3 max-md:block max-md:py-0.5';
const LABEL = 'text-xs text-slate-600 md:hidden dark:text-slate-400';
const LEVELS = [
  ['samePlatformDigest', 'Platform digest'],
  ['sameImageId', 'Image ID'],
  ['sameDiffIds', 'diff_ids'],
  ['sameCompressedLayers', 'Compressed layers'],
] as const;

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
      <div className="relative md:overflow-x-auto">
        <table className="w-full text-left text-sm max-md:block md:min-w-[44rem]">
          <caption className="sr-only">Per-platform comparison</caption>
          <thead className="text-xs uppercase text-slate-600 max-md:sr-only dark:text-slate-400">
            <tr>
              <th scope="col" className="py-1 pr-3 font-medium">Platform</th>
              <th scope="col" className="py-1 pr-3 font-medium">Platform digest</th>
              <th scope="col" className="py-1 pr-3 font-medium">Image ID</th>
              <th scope="col" className="py-1 pr-3 font-medium">diff_ids</th>
              <th scope="col" className="py-1 pr-3 font-medium">Compressed layers</th>
              <th scope="col" className="py-1 pr-3 font-medium">Why</th>
            </tr>
          </thead>
          <tbody className="max-md:block">
            {result.platforms.map((p) => (
              <tr key={p.platform} className="border-t border-slate-200 align-top max-md:grid max-md:grid-cols-2 max-md:gap-x-4 max-md:py-2 dark:border-slate-700" data-platform={p.platform}>
                <th scope="row" className={`${CELL} font-mono text-xs font-normal max-md:col-span-2 max-md:font-medium`}>
                  <VisibleText text={p.platform} />
                </th>
                {LEVELS.map(([key, label]) => (
                  <td key={key} className={CELL}>
                    <span className={LABEL}>{label} </span>
                    <Mark yes={p[key]} />
                  </td>
                ))}
                <td className={`${CELL} max-md:col-span-2`} data-testid="why">
                  <span className={LABEL}>Why: </span>
                  {p.reason}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}

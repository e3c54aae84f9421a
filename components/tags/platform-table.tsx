// Docker Hub's per-platform table, with the names that say which digest is which: OS/ARCH,
// platform digest (what Docker Hub lists), compressed size, image ID (what docker images shows).
// Below `md` each platform is a stacked block of labelled lines, so the row fits a phone.
import type { PlatformInfo } from '@/lib/api/types';
import { formatBytes } from '@/lib/common/format';
import { familiarName, parseRepository } from '@/lib/registry/reference';
import { referenceHref } from '@/lib/common/routes';
import { CopyButton } from '../ui/copy-button';
import { VisibleText } from '../ui/visible-text';
import { CreatedCell } from './created-cell';
import { DigestText } from './digest-text';

const LABEL = 'mr-2 text-xs text-slate-600 md:hidden dark:text-slate-400';
const CELL = 'py-1.5 pr-4 max-md:block max-md:py-0.5 max-md:pr-0';

export function PlatformTable({ repository, platforms, caption }: { repository: string; platforms: PlatformInfo[]; caption: string }) {
  const reference = parseRepository(repository);
  const name = familiarName(reference.registry, reference.path);
  if (platforms.length === 0) return <p className="text-sm text-slate-600 dark:text-slate-400">No platform images: this is not a runnable image.</p>;
  return (
    <div className="relative md:overflow-x-auto">
      <table className="w-full text-left text-sm max-md:block md:min-w-[36rem]">
        <caption className="sr-only">{caption}</caption>
        <thead className="text-xs uppercase text-slate-600 max-md:sr-only dark:text-slate-400">
          <tr>
            <th scope="col" className="py-1 pr-4 font-medium">OS/ARCH</th>
            <th scope="col" className="py-1 pr-4 font-medium">Platform digest</th>
            <th scope="col" className="py-1 pr-4 font-medium">Compressed size</th>
            <th scope="col" className="py-1 pr-4 font-medium">Image ID</th>
            <th scope="col" className="py-1 pr-4 font-medium">Created</th>
          </tr>
        </thead>
        <tbody className="max-md:block">
          {platforms.map((p) => {
            // What pulls this one platform's image, whatever machine runs it.
            const pinned = `${name}@${p.digest}`;
            return (
              <tr key={`${p.digest}-${p.platform}`} className="border-t border-slate-200 max-md:block max-md:py-2 dark:border-slate-700" data-platform={p.platform}>
                <th scope="row" className={`${CELL} font-mono text-xs font-normal max-md:font-medium`}>
                  <VisibleText text={p.platform} />
                </th>
                <td className={CELL}>
                  <span className="inline-flex flex-wrap items-center gap-1.5">
                    <span className={LABEL}>Platform digest</span>
                    <DigestText digest={p.digest} label={`platform digest of ${p.platform}`} href={referenceHref(`${repository}@${p.digest}`)} />
                    <CopyButton value={pinned} text="Copy ref" label={`Copy ${pinned}, the reference that pulls only ${p.platform}`} />
                  </span>
                </td>
                <td className={`${CELL} tabular-nums`}>
                  <span className={LABEL}>Compressed size</span>
                  {formatBytes(p.compressedSize)}
                </td>
                <td className={CELL}>
                  <span className={LABEL}>Image ID</span>
                  {p.configDigest ? <DigestText digest={p.configDigest} label={`image ID of ${p.platform}`} /> : '—'}
                </td>
                <td className={`${CELL} whitespace-nowrap text-xs`}>
                  <span className={LABEL}>Created</span>
                  <span data-testid="created">{p.configDigest ? <CreatedCell repository={repository} digest={p.digest} known={p.created} /> : '—'}</span>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

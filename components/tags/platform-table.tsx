// Docker Hub's per-platform table, with the names that say which digest is which: OS/ARCH,
// platform digest (what Docker Hub lists), compressed size, image ID (what docker images shows).
import type { PlatformInfo } from '@/lib/api/types';
import { formatBytes } from '@/lib/format';
import { referenceHref } from '@/lib/routes';
import { CreatedCell } from './created-cell';
import { DigestText } from './digest-text';
import { VisibleText } from '../ui/visible-text';

export function PlatformTable({ repository, platforms, caption }: { repository: string; platforms: PlatformInfo[]; caption: string }) {
  if (platforms.length === 0) return <p className="text-sm text-slate-600 dark:text-slate-400">No platform images: this is not a runnable image.</p>;
  return (
    <div className="relative overflow-x-auto">
      <table className="w-full min-w-[36rem] text-left text-sm">
        <caption className="sr-only">{caption}</caption>
        <thead className="text-xs uppercase text-slate-600 dark:text-slate-400">
          <tr>
            <th scope="col" className="py-1 pr-4 font-medium">OS/ARCH</th>
            <th scope="col" className="py-1 pr-4 font-medium">Platform digest</th>
            <th scope="col" className="py-1 pr-4 font-medium">Compressed size</th>
            <th scope="col" className="py-1 pr-4 font-medium">Image ID</th>
            <th scope="col" className="py-1 pr-4 font-medium">Created</th>
          </tr>
        </thead>
        <tbody>
          {platforms.map((p) => (
            <tr key={`${p.digest}-${p.platform}`} className="border-t border-slate-200 dark:border-slate-700" data-platform={p.platform}>
              <th scope="row" className="py-1.5 pr-4 font-mono text-xs font-normal">
                <VisibleText text={p.platform} />
              </th>
              <td className="py-1.5 pr-4">
                <DigestText digest={p.digest} label={`platform digest of ${p.platform}`} href={referenceHref(`${repository}@${p.digest}`)} />
              </td>
              <td className="py-1.5 pr-4 tabular-nums">{formatBytes(p.compressedSize)}</td>
              <td className="py-1.5 pr-4">{p.configDigest ? <DigestText digest={p.configDigest} label={`image ID of ${p.platform}`} /> : '—'}</td>
              <td className="whitespace-nowrap py-1.5 pr-4 text-xs" data-testid="created">
                {p.configDigest ? <CreatedCell repository={repository} digest={p.digest} known={p.created} /> : '—'}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

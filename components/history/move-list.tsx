// Tag moves as a table, newest first: (the tag,) the digest it left → the one it went to, when,
// and whose record says so. A tag page lists its own moves, a repository page its latest.
// Below `md` each move is three short lines: the tag, from → to, when and whose record.
import Link from 'next/link';
import type { Move } from '@/lib/history/types';
import { referenceHref } from '@/lib/common/routes';
import { RelativeTime } from '../ui/relative-time';
import { DigestLink } from './digest-link';
import { sourceLabel } from './history-source';
import { HistoryTable } from './history-table';

const CELL = 'py-1.5 pr-8 max-md:inline max-md:py-0 max-md:pr-2';

export function MoveList({ repository, moves, label, showTag = false }: { repository: string; moves: Move[]; label: string; showTag?: boolean }) {
  return (
    <HistoryTable caption={label} columns={[...(showTag ? ['Tag'] : []), 'From', 'To', 'When', 'Source']} testId="moves">
      {moves.map((move) => (
        <tr
          key={`${move.source} ${move.tag} ${move.at}`}
          className="border-t border-slate-200 max-md:block max-md:py-1.5 dark:border-slate-700"
          data-tag={move.tag}
          data-from={move.from ?? ''}
          data-to={move.to}
        >
          {showTag && (
            <th scope="row" className={`${CELL} font-normal max-md:block`}>
              <Link href={referenceHref(`${repository}:${move.tag}`)} className="font-mono text-sm [overflow-wrap:anywhere] text-sky-700 underline-offset-2 hover:underline dark:text-sky-400">
                {move.tag}
              </Link>
            </th>
          )}
          <td className={CELL}>{move.from ? <DigestLink repository={repository} digest={move.from} /> : <span className="text-slate-600 dark:text-slate-400">—</span>}</td>
          <td className={CELL}>
            <span aria-hidden="true" className="mr-1.5 text-slate-600 dark:text-slate-400">
              →
            </span>
            <DigestLink repository={repository} digest={move.to} />
          </td>
          <td className={`${CELL} whitespace-nowrap max-md:block`}>
            <RelativeTime date={move.at} verb="Moved" />
            {/* On a phone the source shares the line (its own cell is hidden there). */}
            <span className="text-xs text-slate-700 md:hidden dark:text-slate-300"> · {sourceLabel(move.source)}</span>
          </td>
          <td className="py-1.5 pr-8 text-slate-700 max-md:hidden dark:text-slate-300">{sourceLabel(move.source)}</td>
        </tr>
      ))}
    </HistoryTable>
  );
}

// A tag page's "Tag history" (the image config's build steps are its "History"): where the tag has pointed, newest first — each run of the tag at one
// digest (first and last seen, or for the registry's record when it was set and left) — and its
// moves. History starts when Tagscope first sees a tag; watching the repository makes it
// complete. When the database does not answer, a quiet line says so and the page goes on.
// Below `md` each run is a block of labelled lines, as the platform table's rows are.
import Link from 'next/link';
import type { TagTimeline } from '@/lib/data/history';
import type { HistoryRead } from '@/lib/history/runtime';
import type { Observation } from '@/lib/history/types';
import { referenceHref } from '@/lib/common/routes';
import { Badge } from '../ui/badge';
import { RelativeTime } from '../ui/relative-time';
import { DigestLink } from './digest-link';
import { FeedLink } from './feed-link';
import { sourceLabel } from './history-source';
import { HistoryTable } from './history-table';
import { DateForm } from './date-form';
import { MoveList } from './move-list';

const LABEL = 'mr-2 text-xs text-slate-600 md:hidden dark:text-slate-400';
const CELL = 'py-1.5 pr-8 max-md:block max-md:py-0.5 max-md:pr-0';
const QUIET = 'text-sm text-slate-600 dark:text-slate-400';

export interface TagHistoryProps {
  repository: string;
  tag: string;
  /** Where the tag points now, as this page found it. */
  currentDigest: string;
  timeline: HistoryRead<TagTimeline>;
}

export function TagHistory({ repository, tag, currentDigest, timeline }: TagHistoryProps) {
  return (
    <section aria-labelledby="history-heading" className="space-y-3" data-testid="tag-history">
      <div className="flex flex-wrap items-baseline gap-x-4 gap-y-1">
        <h2 id="history-heading" className="text-lg font-semibold">
          Tag history
        </h2>
        <FeedLink repository={repository} tag={tag} />
      </div>
      {!timeline.ok ? (
        <p className={QUIET} data-testid="history-unavailable">
          {timeline.reason} The rest of this page does not depend on it.
        </p>
      ) : timeline.value.observations.length === 0 ? (
        <EmptyHistory repository={repository} tag={tag} />
      ) : (
        <>
          <Runs repository={repository} tag={tag} currentDigest={currentDigest} observations={timeline.value.observations} />
          <div className="space-y-2">
            <h3 className="font-semibold">Moves</h3>
            {timeline.value.moves.length === 0 ? (
              <p className={QUIET}>No move recorded: {tag} has pointed at one digest since history of it starts.</p>
            ) : (
              <MoveList repository={repository} moves={timeline.value.moves} label={`Moves of ${tag}, newest first`} />
            )}
          </div>
          <DateForm repository={repository} tag={tag} />
        </>
      )}
    </section>
  );
}

function EmptyHistory({ repository, tag }: { repository: string; tag: string }) {
  return (
    <p className={`max-w-3xl ${QUIET}`} data-testid="history-empty">
      No history of {tag} yet. It starts when Tagscope first sees the tag, and grows each time a page or the API resolves it; a move between two
      looks is missed.{' '}
      <Link href={referenceHref(repository)} className="text-sky-700 underline underline-offset-2 dark:text-sky-400">
        Watch the repository
      </Link>{' '}
      to have Tagscope check its tags on a schedule, which makes the history complete.
    </p>
  );
}

function Runs({ repository, tag, currentDigest, observations }: { repository: string; tag: string; currentDigest: string; observations: Observation[] }) {
  // The newest of Tagscope's runs is the current one when it is at the digest this page found.
  const current = observations.find((run) => run.source === 'observed');
  return (
    <HistoryTable caption={`Digests ${tag} has pointed at, newest first`} columns={['Digest', 'First seen', 'Last seen', 'Source']} testId="timeline">
      {observations.map((run) => (
        <tr
          key={`${run.source} ${run.firstSeen} ${run.digest}`}
          className="border-t border-slate-200 max-md:block max-md:py-2 dark:border-slate-700"
          data-digest={run.digest}
          data-source={run.source}
        >
          <th scope="row" className={`${CELL} font-normal`}>
            <span className="inline-flex flex-wrap items-center gap-1.5">
              <DigestLink repository={repository} digest={run.digest} />
              {run === current && run.digest === currentDigest && <Badge tone="good">now</Badge>}
            </span>
          </th>
          <td className={`${CELL} whitespace-nowrap`}>
            <span className={LABEL}>First seen</span>
            <RelativeTime date={run.firstSeen} verb={run.source === 'registry' ? 'Set to it' : 'First seen'} />
          </td>
          <td className={`${CELL} whitespace-nowrap`}>
            <span className={LABEL}>Last seen</span>
            {run.lastSeen === null ? (
              <span className="text-slate-600 dark:text-slate-400">still there</span>
            ) : (
              <RelativeTime date={run.lastSeen} verb={run.source === 'registry' ? 'Moved off it' : 'Last seen'} />
            )}
          </td>
          <td className={`${CELL} text-slate-700 dark:text-slate-300`}>
            <span className={LABEL}>Source</span>
            {sourceLabel(run.source, run.via)}
          </td>
        </tr>
      ))}
    </HistoryTable>
  );
}

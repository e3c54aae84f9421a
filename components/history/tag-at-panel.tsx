// `/r/<repository>:<tag>?at=<date>`: what the tag pointed at then, at the top of its page, and
// from which source — the registry's record (it says when the tag was set and left), or
// Tagscope's sightings (which only bound it: a move between the last sighting and the date is
// possible, and said). Before the first sighting Tagscope does not know, and says that instead
// of guessing. The rest of the page is the tag as it is now.
import Link from 'next/link';
import type { HistoryRead } from '@/lib/history/runtime';
import type { TagAt } from '@/lib/history/store';
import type { Observation } from '@/lib/history/types';
import { formatCreated } from '@/lib/common/format';
import { referenceHref } from '@/lib/common/routes';
import { RelativeTime } from '../ui/relative-time';
import { DigestLink } from './digest-link';
import { recordKeeper, sourcePhrase } from './history-source';

export interface TagAtPanelProps {
  repository: string;
  tag: string;
  /** The date asked for, ISO 8601. */
  at: string;
  read: HistoryRead<TagAt>;
}

export function TagAtPanel({ repository, tag, at, read }: TagAtPanelProps) {
  const date = <time dateTime={at}>{formatCreated(at)}</time>;
  return (
    <section
      aria-labelledby="at-heading"
      data-testid="tag-at"
      className="max-w-3xl space-y-2 rounded-md border border-sky-300 bg-sky-50 p-3 text-sm text-sky-950 dark:border-sky-800 dark:bg-sky-950 dark:text-sky-50"
    >
      <h2 id="at-heading" className="font-semibold">
        <code>{tag}</code> on {date}
      </h2>
      {read.ok ? <Answer repository={repository} tag={tag} date={date} answer={read.value} /> : <p>{read.reason}</p>}
      <p className="flex flex-wrap gap-x-1">
        <span>The rest of this page shows the tag as it is now.</span>
        <Link href={referenceHref(`${repository}:${tag}`)} className="font-medium text-sky-800 underline underline-offset-2 dark:text-sky-300">
          See {tag} now
        </Link>
      </p>
    </section>
  );
}

/** A relative date and the punctuation after it, kept on one line. */
function When({ date, then = '' }: { date: string; then?: string }) {
  return (
    <span className="whitespace-nowrap">
      <RelativeTime date={date} />
      {then}
    </span>
  );
}

function Answer({ repository, tag, date, answer }: { repository: string; tag: string; date: React.ReactNode; answer: TagAt }) {
  const { registry, observed, observedSince, recordedSince } = answer;
  if (registry) {
    const keeper = recordKeeper(registry.via);
    return (
      <>
        <p data-source="registry">
          On {date}, <code>{tag}</code> pointed at <DigestLink repository={repository} digest={registry.digest} />, {sourcePhrase('registry')}
          {keeper && ` (${keeper})`}: set to it <When date={registry.firstSeen} then={registry.lastSeen ? ',' : ''} />
          {registry.lastSeen ? (
            <>
              {' '}
              moved off it <When date={registry.lastSeen} then="." />
            </>
          ) : (
            ' and still there.'
          )}
        </p>
        {observed && (
          <p>
            {observed.digest === registry.digest ? (
              'Tagscope’s own sightings agree.'
            ) : (
              <>
                Tagscope’s own sightings have it at <DigestLink repository={repository} digest={observed.digest} /> (last seen{' '}
                <When date={observed.lastSeen ?? observed.firstSeen} then=")." />
              </>
            )}
          </p>
        )}
      </>
    );
  }
  if (observed) return <Observed repository={repository} tag={tag} date={date} at={answer.at} run={observed} />;
  return (
    <p data-testid="not-observed">
      {observedSince ? (
        <>
          Tagscope has not observed <code>{tag}</code> before <time dateTime={observedSince}>{formatCreated(observedSince)}</time>, when it first saw
          it, so it cannot say what the tag pointed at on {date}.
        </>
      ) : (
        <>
          Tagscope has not observed <code>{tag}</code> before {date}, so it cannot say what the tag pointed at then.
        </>
      )}
      {recordedSince && (
        <>
          {' '}
          The registry’s record of it starts <When date={recordedSince} then="." />
        </>
      )}
    </p>
  );
}

function Observed({ repository, tag, date, at, run }: { repository: string; tag: string; date: React.ReactNode; at: string; run: Observation }) {
  // Tagscope's runs have a last sighting; past it, the tag may have moved unseen.
  const lastSeen = run.lastSeen ?? run.firstSeen;
  const unseen = Date.parse(at) > Date.parse(lastSeen);
  return (
    <>
      <p data-source="observed">
        On {date}, <code>{tag}</code> pointed at <DigestLink repository={repository} digest={run.digest} />, {sourcePhrase('observed')} (first seen{' '}
        <When date={run.firstSeen} then="," /> last seen <When date={lastSeen} then=")." />
      </p>
      {unseen && (
        <p data-testid="unseen-caveat">
          That date is after Tagscope last saw the tag there: it may have moved in between without Tagscope seeing it. Watching the repository
          closes such gaps.
        </p>
      )}
    </>
  );
}

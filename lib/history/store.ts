// The history's queries, the same for both engines: recording sightings (only a change adds a
// row, and a move happens once however many instances see it), importing the registry's own
// record, reading a tag's timeline, a repository's moves, what a tag pointed at on a date, and
// the watch list with its polling claims. No SQL strings: Kysely builds every statement.

import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { sql, type ExpressionBuilder, type Kysely, type SelectQueryBuilder } from 'kysely';
import { correctsWebRun, fromWebApi, isStaleWebSighting } from './agreement';
import type { HistoryDatabase } from './database';
import { DEFAULT_RETENTION, type RetentionPolicy } from './retention-policy';
import type { Database, ObservationsTable, WatchesTable } from './schema';
import type { HistorySource, Move, Observation, Sighting, SightingVia } from './types';

type Row = Pick<ObservationsTable, 'tag' | 'digest' | 'media_type' | 'source' | 'via' | 'first_seen' | 'last_seen'> & { ended_at: number | null };

/** One run of the registry's own record (Quay's tag history): a tag at a digest from `start` until `end`. */
export interface RecordedRun {
  tag: string;
  digest: string;
  mediaType: string | null;
  start: number;
  /** When the tag left the digest; null while it is there. */
  end: number | null;
}

/** What a tag pointed at on a date, from each source that knows. */
export interface TagAt {
  at: string;
  /** The registry's record: the run that covers the date. */
  registry: Observation | null;
  /** Tagscope's sightings: the run seen last on or before the date. */
  observed: Observation | null;
  /** The first sighting of this tag, when it is after the date (so nothing before it is known). */
  observedSince: string | null;
  /** The registry's record starts here, when it is after the date. */
  recordedSince: string | null;
}

export interface Watch {
  repository: string;
  registry: string;
  origin: 'config' | 'user';
  addedAt: string;
  lastPolledAt: string | null;
  /** The last poll's failure as an error code (`UNREACHABLE`, `TIMEOUT`…), never a registry's words. */
  lastError: string | null;
  /** The SHA-256 of the owner token of whoever added it with the button; null for configured watches. */
  ownerHash: string | null;
}

/** A watch claimed for polling. */
export interface Claim {
  repository: string;
  registry: string;
}

/** A button watch to add: its owner (hashed owner token) and the client that adds it (hashed rate-limit key). */
export interface NewUserWatch {
  registry: string;
  repository: string;
  ownerHash: string;
  clientHash: string;
}

/** What adding a button watch did: added, there already (whoever added it), or refused at a limit. */
export type AddWatchOutcome = 'added' | 'exists' | 'full' | 'client-full';

/**
 * The PostgreSQL advisory lock key that serialises button-watch adds across instances, so the
 * cap is counted and written in one step (SQLite's write transaction does this on its own).
 * Any fixed number: ASCII "tgsw".
 */
const WATCH_ADD_LOCK = 0x74677377;

const iso = (ms: number) => new Date(ms).toISOString();

function toObservation(row: Row): Observation {
  const source = row.source as HistorySource;
  return {
    tag: row.tag,
    digest: row.digest,
    mediaType: row.media_type,
    firstSeen: iso(row.first_seen),
    // The registry's record knows when a tag left a digest, not when it was last seen.
    lastSeen: source === 'registry' ? (row.ended_at === null ? null : iso(row.ended_at)) : iso(row.last_seen),
    source,
    via: (row.via as SightingVia | null) ?? null,
  };
}

const WATCH_COLUMNS = ['repository', 'registry', 'origin', 'added_at', 'last_polled_at', 'last_error', 'owner_hash'] as const;

function toWatch(row: Pick<WatchesTable, (typeof WATCH_COLUMNS)[number]>): Watch {
  return {
    repository: row.repository,
    registry: row.registry,
    origin: row.origin as Watch['origin'],
    addedAt: iso(row.added_at),
    lastPolledAt: row.last_polled_at === null ? null : iso(row.last_polled_at),
    lastError: row.last_error,
    ownerHash: row.owner_hash,
  };
}

/** The newest `keep` runs of each tag in a registry's record: what retention would keep of it. */
function newestPerTag(runs: readonly RecordedRun[], keep: number): RecordedRun[] {
  const byTag = new Map<string, RecordedRun[]>();
  for (const run of runs) {
    const tagRuns = byTag.get(run.tag);
    if (tagRuns) tagRuns.push(run);
    else byTag.set(run.tag, [run]);
  }
  return [...byTag.values()].flatMap((tagRuns) => (tagRuns.length <= keep ? tagRuns : [...tagRuns].sort((a, b) => b.start - a.start).slice(0, keep)));
}

const ROW_COLUMNS = ['tag', 'digest', 'media_type', 'source', 'via', 'first_seen', 'last_seen', 'ended_at'] as const;

/** A webhook delivery kept until it ends: its id, the JSON body it sends, and whether its repository is watched (its queue). */
export interface StoredDelivery {
  id: string;
  body: string;
  watched: boolean;
}

/** How many deliveries of each class the outbox keeps. */
export interface DeliveryBounds {
  watched: number;
  other: number;
}

/** Writes per transaction (sightings, imported runs); the event loop runs between them. One holds SQLite's ~2–4 ms (`npm run bench -- --only store`). */
export const WRITE_BATCH = 50;

/** Most rows one read returns: a view of history is about recent moves, not an export. */
export const MAX_HISTORY_ROWS = 2_000;

const readLimit = (limit: number | undefined) => Math.min(limit ?? MAX_HISTORY_ROWS, MAX_HISTORY_ROWS);

/** Rows deleted per transaction when history is trimmed: about 7 ms of SQLite's lock each (nine indexes to update per row). */
export const TRIM_BATCH = 100;
/** Index entries read per step while looking for tags past their share of runs. */
const TRIM_SCAN = 2_000;

export interface HistoryStoreOptions {
  /** What trim() keeps; the registry's record is imported only as far as it would keep. */
  retention?: RetentionPolicy;
  /** Told of each repository rows were added to (the retention sweeper's cue). */
  onWritten?: (repository: string) => void;
}

export class HistoryStore {
  private readonly db: Kysely<Database>;
  private readonly retention: RetentionPolicy;

  constructor(
    private readonly database: HistoryDatabase,
    private readonly options: HistoryStoreOptions = {},
  ) {
    this.db = database.db;
    this.retention = options.retention ?? DEFAULT_RETENTION;
  }

  /**
   * A write transaction. On SQLite it takes the write lock at its start (BEGIN IMMEDIATE): a
   * deferred transaction that reads, then writes, fails at once with "database is locked" when
   * another process writes meanwhile, whatever busy_timeout says; an immediate one waits its turn.
   */
  private write<T>(work: (db: Kysely<Database>) => Promise<T>): Promise<T> {
    if (this.database.engine === 'postgres') return this.db.transaction().execute(work);
    return this.db.connection().execute(async (connection) => {
      await sql`begin immediate`.execute(connection);
      try {
        const result = await work(connection);
        await sql`commit`.execute(connection);
        return result;
      } catch (error) {
        await sql`rollback`.execute(connection).catch(() => {});
        throw error;
      }
    });
  }

  /**
   * Records sightings in order: each tag's current run grows (last seen), or, at a new digest, the
   * current run ends and a new one starts — a move, returned to be announced. Compare-and-set
   * on the current run (one per tag, a unique index) makes a move happen once even when several
   * instances see it at the same moment. A sighting older than the current run's start (a late
   * write after an outage) is history already superseded and is dropped, and a web API's answer
   * that the registry contradicts is no move (agreement.ts). One transaction for the batch.
   */
  async recordSightings(sightings: readonly Sighting[]): Promise<Move[]> {
    if (sightings.length === 0) return [];
    this.noteWritten(sightings.map((s) => s.repository));
    return this.write(async (trx) => {
      const moves: Move[] = [];
      for (const sighting of sightings) {
        for (let attempt = 0; attempt < 3; attempt++) {
          const outcome = await this.recordOnce(trx, sighting);
          if (outcome === 'retry') continue;
          if (outcome) moves.push(outcome);
          break;
        }
      }
      return moves;
    });
  }

  private async recordOnce(trx: Kysely<Database>, s: Sighting): Promise<Move | null | 'retry'> {
    const current = await trx
      .selectFrom('observations')
      .select(['id', 'digest', 'via', 'first_seen', 'last_seen'])
      .where('repository', '=', s.repository)
      .where('tag', '=', s.tag)
      .where('source', '=', 'observed')
      .where('ended_at', 'is', null)
      .executeTakeFirst();
    if (current && current.digest === s.digest) {
      // The registry confirming a run a web API began: from now on the registry vouches for it.
      const confirms = fromWebApi(current.via) && !fromWebApi(s.via);
      if (s.at > current.last_seen || confirms) {
        await trx
          .updateTable('observations')
          .set({ last_seen: Math.max(s.at, current.last_seen), ...(confirms ? { via: s.via } : {}) })
          .where('id', '=', current.id)
          .execute();
      }
      return null;
    }
    if (current && s.at <= current.first_seen) return null;
    // The registry's answer wins (agreement.ts): a web API's older answer is no move against it,
    // and a web API's run the registry contradicts within the API's lag is corrected, not left.
    if (current && !fromWebApi(current.via) && isStaleWebSighting(s, current.last_seen)) return null;
    if (current && correctsWebRun(current, s)) return this.correctWebRun(trx, current, s);
    if (current) {
      const ended = await trx.updateTable('observations').set({ ended_at: s.at }).where('id', '=', current.id).where('ended_at', 'is', null).executeTakeFirst();
      // Another instance ended it first: read again.
      if (Number(ended.numUpdatedRows) === 0) return 'retry';
    }
    const inserted = await trx
      .insertInto('observations')
      .values({
        registry: s.registry,
        repository: s.repository,
        tag: s.tag,
        digest: s.digest,
        media_type: s.mediaType,
        source: 'observed',
        via: s.via,
        first_seen: s.at,
        last_seen: s.at,
        ended_at: null,
      })
      .onConflict((conflict) => conflict.doNothing())
      .executeTakeFirst();
    if (Number(inserted.numInsertedOrUpdatedRows ?? 0n) === 0) return current ? 'retry' : null;
    if (!current) return null;
    return { registry: s.registry, repository: s.repository, tag: s.tag, from: current.digest, to: s.digest, at: iso(s.at), source: 'observed' };
  }

  /**
   * A run only a web API vouched for takes the registry's digest, as if the registry had been
   * asked first: no move. When the run before it was at that digest already, the web API's run
   * goes and that one is current again (the web API's answer came between two of the registry's).
   */
  private async correctWebRun(trx: Kysely<Database>, run: { id: number; digest: string; first_seen: number; last_seen: number }, s: Sighting): Promise<null | 'retry'> {
    const before = await trx
      .selectFrom('observations')
      .select('id')
      .where('repository', '=', s.repository)
      .where('tag', '=', s.tag)
      .where('source', '=', 'observed')
      .where('ended_at', '=', run.first_seen)
      .where('digest', '=', s.digest)
      .executeTakeFirst();
    if (before) {
      const removed = await trx.deleteFrom('observations').where('id', '=', run.id).where('ended_at', 'is', null).executeTakeFirst();
      if (Number(removed.numDeletedRows) === 0) return 'retry';
      await trx.updateTable('observations').set({ ended_at: null, last_seen: s.at }).where('id', '=', before.id).execute();
      return null;
    }
    const corrected = await trx
      .updateTable('observations')
      .set({ digest: s.digest, media_type: s.mediaType, via: s.via, last_seen: Math.max(s.at, run.last_seen) })
      .where('id', '=', run.id)
      .where('ended_at', 'is', null)
      .where('digest', '=', run.digest)
      .executeTakeFirst();
    return Number(corrected.numUpdatedRows) === 0 ? 'retry' : null;
  }

  /**
   * Moves "last seen" forward for tags still at the digest they were seen at, in one
   * transaction: the batched write behind every repeated sighting.
   */
  async touch(sightings: readonly Pick<Sighting, 'repository' | 'tag' | 'digest' | 'at'>[]): Promise<void> {
    if (sightings.length === 0) return;
    await this.write(async (trx) => {
      for (const s of sightings) {
        await trx
          .updateTable('observations')
          .set({ last_seen: s.at })
          .where('repository', '=', s.repository)
          .where('tag', '=', s.tag)
          .where('source', '=', 'observed')
          .where('ended_at', 'is', null)
          .where('digest', '=', s.digest)
          .where('last_seen', '<', s.at)
          .execute();
      }
    });
  }

  /**
   * Imports the registry's own record of a repository's tags (Quay's history): each run once,
   * an end filled in when the registry has since ended it. Its moves are read back with
   * `moves()` (the watcher announces those since its last poll, whoever imported them).
   */
  async importRecord(registry: string, repository: string, runs: readonly RecordedRun[]): Promise<void> {
    // What is known already, read once: a poll writes only what changed (a new run, an end),
    // not one statement per run of a history that may hold thousands.
    const tags = new Set(runs.map((run) => run.tag));
    const only = tags.size === 1 ? [...tags][0]! : null;
    const known = await this.db
      .selectFrom('observations')
      .select(['tag', 'first_seen', 'ended_at'])
      .where('repository', '=', repository)
      .where('source', '=', 'registry')
      .$if(only !== null, (query) => query.where('tag', '=', only!))
      .execute();
    const ends = new Map(known.map((row) => [`${row.tag}\n${row.first_seen}`, row.ended_at]));
    const changed = newestPerTag(runs, this.retention.runsPerTag)
      .filter((run) => {
        const key = `${run.tag}\n${run.start}`;
        return !ends.has(key) || ends.get(key) !== run.end;
      })
      .sort((a, b) => a.start - b.start || a.tag.localeCompare(b.tag));
    if (changed.length > 0) this.noteWritten([repository]);
    // In batches, the event loop free between them (a first import may be thousands of runs).
    for (let i = 0; i < changed.length; i += WRITE_BATCH) {
      await this.write(async (trx) => {
        for (const run of changed.slice(i, i + WRITE_BATCH)) {
          const sameTag = trx.updateTable('observations').where('repository', '=', repository).where('tag', '=', run.tag).where('source', '=', 'registry');
          if (ends.has(`${run.tag}\n${run.start}`)) {
            await sameTag.set({ ended_at: run.end, last_seen: run.end ?? run.start }).where('first_seen', '=', run.start).execute();
            continue;
          }
          // A run still open in our copy that the registry has replaced ends here, so the
          // one-current-run rule holds before the new run is added.
          if (run.end === null) await sameTag.set({ ended_at: run.start }).where('ended_at', 'is', null).execute();
          await trx
            .insertInto('observations')
            .values({
              registry,
              repository,
              tag: run.tag,
              digest: run.digest,
              media_type: run.mediaType,
              source: 'registry',
              via: 'quay',
              first_seen: run.start,
              last_seen: run.end ?? run.start,
              ended_at: run.end,
            })
            .onConflict((conflict) => conflict.doNothing())
            .execute();
        }
      });
      await yieldToLoop();
    }
  }

  /**
   * A repository's moves, newest first: every run that ended, walked newest first through an
   * index and stopping at the limit, each joined with the run of the same tag and source that
   * began at that moment (one lookup in the unique run index). `tag` narrows to one tag,
   * `since` to moves at or after it (ms). Moves at one instant come newest recorded first.
   */
  async moves(repository: string, options: { tag?: string; since?: number; limit?: number } = {}): Promise<Move[]> {
    // A subquery rather than a join: a join leaves the planner free to start from the new runs
    // and sort (SQLite did, over every row of the repository).
    const next = (eb: ExpressionBuilder<Database & { old: ObservationsTable }, 'old'>) =>
      eb
        .selectFrom('observations as new')
        .select('new.digest')
        .whereRef('new.repository', '=', 'old.repository')
        .whereRef('new.tag', '=', 'old.tag')
        .whereRef('new.source', '=', 'old.source')
        .whereRef('new.first_seen', '=', 'old.ended_at');
    let query = this.db
      .selectFrom('observations as old')
      .select((eb) => ['old.registry as registry', 'old.tag as tag', 'old.digest as from', next(eb).$asScalar().$notNull().as('to'), 'old.ended_at as at', 'old.source as source'])
      .where('old.repository', '=', repository)
      .where('old.ended_at', 'is not', null)
      // No next run (a record that ends without one), or one at the same digest: not a move.
      .where((eb) => eb(next(eb).$asScalar(), '<>', eb.ref('old.digest')));
    if (options.tag !== undefined) query = query.where('old.tag', '=', options.tag);
    if (options.since !== undefined) query = query.where('old.ended_at', '>=', options.since);
    const rows = await query
      .orderBy('old.ended_at', 'desc')
      .orderBy('old.id', 'desc')
      .limit(readLimit(options.limit))
      .execute();
    return rows.map((row) => ({ registry: row.registry, repository, tag: row.tag, from: row.from, to: row.to, at: iso(row.at!), source: row.source as HistorySource }));
  }

  /**
   * A repository's (or one tag's) runs, newest first; `since` keeps runs still going at or after
   * it. Runs that began at or after `since` come first, in index order; when they fall short of
   * the limit, the few that began before and were still going then follow: at most one per tag
   * and source (a tag's runs do not overlap), read through the current runs' index and the
   * ended runs' index, so no read walks the older history that `since` leaves out.
   */
  async observations(repository: string, options: { tag?: string; since?: number; limit?: number } = {}): Promise<Observation[]> {
    const limit = readLimit(options.limit);
    const { tag, since } = options;
    const runs = () => {
      const query = this.db.selectFrom('observations').select([...ROW_COLUMNS, 'id']).where('repository', '=', repository);
      return tag === undefined ? query : query.where('tag', '=', tag);
    };
    const began = await (since === undefined ? runs() : runs().where('first_seen', '>=', since))
      .orderBy('first_seen', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    if (since === undefined || began.length >= limit) return began.map(toObservation);
    const going = runs().where('ended_at', 'is', null).where('first_seen', '<', since);
    const [current, ended] = await Promise.all([
      // One tag has one current run per source; a repository may have thousands, walked newest first.
      tag === undefined ? going.orderBy('first_seen', 'desc').orderBy('id', 'desc').limit(limit - began.length).execute() : going.execute(),
      // Runs that ended since `since` but began before: at most one per tag and source. Each
      // observed one is followed by a run that began since (read above, fewer than the limit),
      // so the limit bounds this read without cutting it short.
      runs().where('ended_at', '>=', since).where('first_seen', '<', since).orderBy('ended_at').orderBy('id').limit(limit).execute(),
    ]);
    const spanning = [...current, ...ended].sort((a, b) => b.first_seen - a.first_seen || b.id - a.id);
    return [...began, ...spanning.slice(0, limit - began.length)].map(toObservation);
  }

  /** What `tag` pointed at on `at` (ms), from the registry's record and from Tagscope's sightings. */
  async tagAt(repository: string, tag: string, at: number): Promise<TagAt> {
    const base = (source: HistorySource) => this.db.selectFrom('observations').select(ROW_COLUMNS).where('repository', '=', repository).where('tag', '=', tag).where('source', '=', source);
    // The run that began last on or before the date: one index step each. The registry's run
    // covers the date only if it had not ended by then (its runs do not overlap), checked here
    // rather than in the query, which would walk every older run looking for one that does.
    const [lastRecorded, observed, firstObserved, firstRecorded] = await Promise.all([
      base('registry').where('first_seen', '<=', at).orderBy('first_seen', 'desc').executeTakeFirst(),
      base('observed').where('first_seen', '<=', at).orderBy('first_seen', 'desc').executeTakeFirst(),
      base('observed').orderBy('first_seen', 'asc').executeTakeFirst(),
      base('registry').orderBy('first_seen', 'asc').executeTakeFirst(),
    ]);
    const recorded = lastRecorded && (lastRecorded.ended_at === null || lastRecorded.ended_at > at) ? lastRecorded : undefined;
    return {
      at: iso(at),
      registry: recorded ? toObservation(recorded) : null,
      observed: observed ? toObservation(observed) : null,
      observedSince: !observed && firstObserved ? iso(firstObserved.first_seen) : null,
      recordedSince: !recorded && firstRecorded && firstRecorded.first_seen > at ? iso(firstRecorded.first_seen) : null,
    };
  }

  /**
   * When `tag` last left `digest`, by either source: for a pinned permalink whose tag no longer
   * points there. Null when no record shows the tag at that digest ending.
   */
  async leftDigest(repository: string, tag: string, digest: string): Promise<{ at: string; to: string | null; source: HistorySource } | null> {
    const row = await this.db
      .selectFrom('observations')
      .select(['ended_at', 'source'])
      .where('repository', '=', repository)
      .where('tag', '=', tag)
      .where('digest', '=', digest)
      .where('ended_at', 'is not', null)
      .orderBy('ended_at', 'desc')
      .executeTakeFirst();
    if (!row || row.ended_at === null) return null;
    const next = await this.db
      .selectFrom('observations')
      .select('digest')
      .where('repository', '=', repository)
      .where('tag', '=', tag)
      .where('source', '=', row.source)
      .where('first_seen', '=', row.ended_at)
      .executeTakeFirst();
    return { at: iso(row.ended_at), to: next?.digest ?? null, source: row.source as HistorySource };
  }

  // --- retention -------------------------------------------------------------------------

  private noteWritten(repositories: readonly string[]): void {
    if (this.options.onWritten) for (const repository of new Set(repositories)) this.options.onWritten(repository);
  }

  /** The first repository with history after `after` (in index order): one index step, for walking them all. */
  async nextRepository(after: string | null): Promise<string | null> {
    const row = await this.db
      .selectFrom('observations')
      .select('repository')
      .$if(after !== null, (query) => query.where('repository', '>', after!))
      .orderBy('repository')
      .limit(1)
      .executeTakeFirst();
    return row?.repository ?? null;
  }

  /**
   * Deletes what `policy` does not keep of a repository: its oldest ended runs past its share of
   * rows, then each tag's oldest runs past its share; never a current run. In transactions of
   * `batch` rows, the event loop free between them; how many rows it deleted.
   */
  async trim(repository: string, policy: RetentionPolicy = this.retention, batch = TRIM_BATCH): Promise<number> {
    const ended = () => this.db.selectFrom('observations').where('repository', '=', repository).where('ended_at', 'is not', null);
    const current = await this.db
      .selectFrom('observations')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('repository', '=', repository)
      .where('ended_at', 'is', null)
      .executeTakeFirstOrThrow();
    // The newest ended run that goes: everything ended before it goes too.
    const last = await ended()
      .select(['ended_at', 'id'])
      .orderBy('ended_at', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .offset(Math.max(0, policy.rowsPerRepository - Number(current.count)))
      .executeTakeFirst();
    let deleted = 0;
    if (last)
      deleted += await this.deleteInBatches(batch, () =>
        ended()
          .select('id')
          .where((eb) => eb(eb.refTuple('ended_at', 'id'), '<=', eb.tuple(last.ended_at!, last.id)))
          .orderBy('ended_at')
          .orderBy('id'),
      );
    // Tags past their share: only a repository with more rows than one tag may keep has one.
    const big = await this.db.selectFrom('observations').select('first_seen').where('repository', '=', repository).orderBy('first_seen').limit(1).offset(policy.runsPerTag).executeTakeFirst();
    if (big) deleted += await this.trimTags(repository, policy.runsPerTag, batch);
    return deleted;
  }

  /** Walks a repository's runs by tag and source in steps of TRIM_SCAN, trimming each tag found past `keep`. */
  private async trimTags(repository: string, keep: number, batch: number): Promise<number> {
    let deleted = 0;
    type Cursor = { tag: string; source: string; first_seen: number };
    let after: Cursor | null = null;
    let group = { tag: '', source: '', count: 0 };
    const finish = async () => {
      if (group.count <= keep) return;
      const { tag, source } = group;
      const runs = () => this.db.selectFrom('observations').where('repository', '=', repository).where('tag', '=', tag).where('source', '=', source);
      const last = await runs().select('first_seen').orderBy('first_seen', 'desc').limit(1).offset(keep).executeTakeFirst();
      if (last) deleted += await this.deleteInBatches(batch, () => runs().select('id').where('ended_at', 'is not', null).where('first_seen', '<=', last.first_seen).orderBy('first_seen'));
    };
    for (;;) {
      const cursor: Cursor | null = after;
      const rows: Cursor[] = await this.db
        .selectFrom('observations')
        .select(['tag', 'source', 'first_seen'])
        .where('repository', '=', repository)
        .$if(cursor !== null, (query) => query.where((eb) => eb(eb.refTuple('tag', 'source', 'first_seen'), '>', eb.tuple(cursor!.tag, cursor!.source, cursor!.first_seen))))
        .orderBy('tag')
        .orderBy('source')
        .orderBy('first_seen')
        .limit(TRIM_SCAN)
        .execute();
      for (const row of rows) {
        if (row.tag === group.tag && row.source === group.source) group.count++;
        else {
          await finish();
          group = { tag: row.tag, source: row.source, count: 1 };
        }
      }
      if (rows.length < TRIM_SCAN) break;
      after = rows.at(-1)!;
      await yieldToLoop();
    }
    await finish();
    return deleted;
  }

  /** Deletes the rows `victims` selects, `batch` per transaction, until none is left. */
  private async deleteInBatches(batch: number, victims: () => SelectQueryBuilder<Database, 'observations', { id: number }>): Promise<number> {
    let deleted = 0;
    for (;;) {
      // The ids first, then a delete by primary key: `id in (subquery)` let PostgreSQL hash-join a scan of the whole table.
      const count = await this.write(async (trx) => {
        const ids = await trx.executeQuery(victims().limit(batch));
        if (ids.rows.length === 0) return 0;
        const result = await trx.deleteFrom('observations').where('id', 'in', ids.rows.map((row) => row.id)).executeTakeFirst();
        return Number(result.numDeletedRows);
      });
      deleted += count;
      if (count < batch) return deleted;
      await yieldToLoop();
    }
  }

  // --- watches ---------------------------------------------------------------------------

  async watches(): Promise<Watch[]> {
    const rows = await this.db.selectFrom('watches').select(WATCH_COLUMNS).orderBy('repository').execute();
    return rows.map(toWatch);
  }

  async watch(repository: string): Promise<Watch | null> {
    const row = await this.db.selectFrom('watches').select(WATCH_COLUMNS).where('repository', '=', repository).executeTakeFirst();
    return row ? toWatch(row) : null;
  }

  async countWatches(origin?: Watch['origin']): Promise<number> {
    let query = this.db.selectFrom('watches').select((eb) => eb.fn.countAll<number>().as('count'));
    if (origin) query = query.where('origin', '=', origin);
    const row = await query.executeTakeFirstOrThrow();
    return Number(row.count);
  }

  /**
   * Adds a watch with no owner (a configured one takes over a user's): TAGSCOPE_WATCH's, and
   * tests' fixtures. Due at once. False when it was there already. The button adds through
   * addUserWatch, which counts its limits.
   */
  async addWatch(registry: string, repository: string, origin: Watch['origin'], now: number): Promise<boolean> {
    const result = await this.db
      .insertInto('watches')
      .values({ repository, registry, origin, added_at: now, next_poll_at: now, last_polled_at: null, last_error: null, lease_holder: null, lease_until: null, owner_hash: null, client_hash: null })
      .onConflict((conflict) => (origin === 'config' ? conflict.column('repository').doUpdateSet({ origin: 'config', owner_hash: null, client_hash: null }) : conflict.doNothing()))
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0n) > 0;
  }

  /**
   * Adds a button watch unless it is there already or a limit is reached: `total` button
   * watches in all, `perClient` of them added by one client. Counted and written in one write
   * transaction, under an advisory lock on PostgreSQL, so concurrent adds from any number of
   * instances never pass either limit.
   */
  async addUserWatch(watch: NewUserWatch, limits: { total: number; perClient: number }, now: number): Promise<AddWatchOutcome> {
    const engine = this.database.engine;
    return this.write(async (trx) => {
      if (engine === 'postgres') await sql`select pg_advisory_xact_lock(${WATCH_ADD_LOCK})`.execute(trx);
      if (await trx.selectFrom('watches').select('repository').where('repository', '=', watch.repository).executeTakeFirst()) return 'exists';
      const count = async (client: string | null) => {
        let query = trx.selectFrom('watches').select((eb) => eb.fn.countAll<number>().as('count')).where('origin', '=', 'user');
        if (client !== null) query = query.where('client_hash', '=', client);
        return Number((await query.executeTakeFirstOrThrow()).count);
      };
      if ((await count(null)) >= limits.total) return 'full';
      if ((await count(watch.clientHash)) >= limits.perClient) return 'client-full';
      await trx
        .insertInto('watches')
        .values({
          repository: watch.repository,
          registry: watch.registry,
          origin: 'user',
          added_at: now,
          next_poll_at: now,
          last_polled_at: null,
          last_error: null,
          lease_holder: null,
          lease_until: null,
          owner_hash: watch.ownerHash,
          client_hash: watch.clientHash,
        })
        .execute();
      return 'added';
    });
  }

  /**
   * Removes a button watch: only its owner's (`ownerHash`), or any when `ownerHash` is null
   * (fixtures, configuration). A configured one stays (TAGSCOPE_WATCH owns it).
   */
  async removeWatch(repository: string, ownerHash: string | null = null): Promise<boolean> {
    let query = this.db.deleteFrom('watches').where('repository', '=', repository).where('origin', '=', 'user');
    if (ownerHash !== null) query = query.where('owner_hash', '=', ownerHash);
    const result = await query.executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /** Which of `repositories` are still watched: a poll of one that is not any more is abandoned. */
  async stillWatched(repositories: readonly string[]): Promise<Set<string>> {
    if (repositories.length === 0) return new Set();
    const rows = await this.db.selectFrom('watches').select('repository').where('repository', 'in', repositories).execute();
    return new Set(rows.map((row) => row.repository));
  }

  /** Watches configured by a TAGSCOPE_WATCH that no longer names them become user watches no one added: removed. */
  async dropConfigWatchesExcept(repositories: readonly string[]): Promise<void> {
    let query = this.db.deleteFrom('watches').where('origin', '=', 'config');
    if (repositories.length > 0) query = query.where('repository', 'not in', repositories);
    await query.execute();
  }

  /**
   * Claims up to `limit` watches that are due and not claimed by a live lease: the database lock
   * that lets one instance of many poll a repository. A claim lapses at `leaseMs`, so a crashed
   * poller's repositories are picked up again. At most `spread.perRegistry` per registry,
   * counting the polls this instance runs already (`spread.busy`): a registry that stalls holds
   * that many of the poller's places, never all of them.
   */
  async claimDue(holder: string, leaseMs: number, limit: number, spread: { perRegistry: number; busy: ReadonlyMap<string, number> } = { perRegistry: Infinity, busy: new Map() }): Promise<Claim[]> {
    const { now } = this.database;
    const full = [...spread.busy].filter(([, count]) => count >= spread.perRegistry).map(([registry]) => registry);
    const due = await this.db
      .selectFrom('watches')
      .select(['repository', 'registry'])
      .where('next_poll_at', '<=', now)
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
      .$if(full.length > 0, (query) => query.where('registry', 'not in', full))
      .orderBy('next_poll_at')
      // More than `limit` to choose from, when the first due crowd one registry.
      .limit(limit * 4)
      .execute();
    const claimed: Claim[] = [];
    const taken = new Map(spread.busy);
    for (const { repository, registry } of due) {
      if (claimed.length >= limit) break;
      if ((taken.get(registry) ?? 0) >= spread.perRegistry) continue;
      const result = await this.db
        .updateTable('watches')
        .set((eb) => ({ lease_holder: holder, lease_until: eb(now, '+', leaseMs) }))
        .where('repository', '=', repository)
        .where('next_poll_at', '<=', now)
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) > 0) {
        claimed.push({ repository, registry });
        taken.set(registry, (taken.get(registry) ?? 0) + 1);
      }
    }
    return claimed;
  }

  /** Ends a claim: the next poll in `nextInMs` (jittered by the caller), the outcome kept. */
  async finishPoll(repository: string, holder: string, nextInMs: number, error: string | null): Promise<void> {
    const { now } = this.database;
    await this.db
      .updateTable('watches')
      .set((eb) => ({ lease_holder: null, lease_until: null, last_polled_at: now, next_poll_at: eb(now, '+', nextInMs), last_error: error }))
      .where('repository', '=', repository)
      .where('lease_holder', '=', holder)
      .execute();
  }

  // --- webhook deliveries ------------------------------------------------------------------

  /** A delivery to make, leased to `holder` (who sends it now) for `leaseMs`. */
  async addDelivery(delivery: StoredDelivery, holder: string, leaseMs: number): Promise<void> {
    const { now } = this.database;
    await this.db
      .insertInto('webhook_deliveries')
      .values((eb) => ({ id: delivery.id, body: delivery.body, watched: delivery.watched ? 1 : 0, created_at: now, lease_holder: holder, lease_until: eb(now, '+', leaseMs) }))
      .onConflict((conflict) => conflict.column('id').doNothing())
      .execute();
  }

  /** A delivery ended (delivered, refused, given up, dropped): forgotten. */
  async endDelivery(id: string): Promise<void> {
    await this.db.deleteFrom('webhook_deliveries').where('id', '=', id).execute();
  }

  /** Keeps `holder`'s leases alive another `leaseMs`: its deliveries are still on their way. */
  async renewDeliveries(holder: string, leaseMs: number): Promise<void> {
    const { now } = this.database;
    await this.db
      .updateTable('webhook_deliveries')
      .set((eb) => ({ lease_until: eb(now, '+', leaseMs) }))
      .where('lease_holder', '=', holder)
      .execute();
  }

  /** Gives `holder`'s deliveries up to whichever instance claims them next (a clean shutdown). */
  async releaseDeliveries(holder: string): Promise<void> {
    await this.db.updateTable('webhook_deliveries').set({ lease_holder: null, lease_until: null }).where('lease_holder', '=', holder).execute();
  }

  /**
   * Deletes all but the newest deliveries of each class (`keep.watched` of watched
   * repositories', `keep.other` of the rest), whoever holds them: moves from elsewhere never
   * push a watched repository's delivery out. How many it deleted.
   */
  async trimDeliveries(keep: DeliveryBounds): Promise<number> {
    let deleted = 0;
    for (const [watched, kept] of [[1, keep.watched], [0, keep.other]] as const) {
      const result = await this.db
        .deleteFrom('webhook_deliveries')
        .where('watched', '=', watched)
        .where('id', 'in', (eb) =>
          eb
            .selectFrom('webhook_deliveries')
            .select('id')
            .where('watched', '=', watched)
            .orderBy('created_at', 'desc')
            .orderBy('id', 'desc')
            // SQLite takes an OFFSET only after a LIMIT.
            .limit(Number.MAX_SAFE_INTEGER)
            .offset(kept),
        )
        .executeTakeFirst();
      deleted += Number(result.numDeletedRows);
    }
    return deleted;
  }

  /**
   * Claims up to `limit` deliveries nobody holds (released, or their holder's lease lapsed),
   * oldest first: of one class when `watched` is given, else watched repositories' first.
   */
  async claimDeliveries(holder: string, leaseMs: number, limit: number, watched?: boolean): Promise<StoredDelivery[]> {
    const { now } = this.database;
    const free = await this.db
      .selectFrom('webhook_deliveries')
      .select(['id', 'body', 'watched'])
      .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
      .$if(watched !== undefined, (query) => query.where('watched', '=', watched ? 1 : 0))
      .orderBy('watched', 'desc')
      .orderBy('created_at')
      .orderBy('id')
      .limit(limit)
      .execute();
    const claimed: StoredDelivery[] = [];
    for (const row of free) {
      const delivery = { id: row.id, body: row.body, watched: Number(row.watched) === 1 };
      const result = await this.db
        .updateTable('webhook_deliveries')
        .set((eb) => ({ lease_holder: holder, lease_until: eb(now, '+', leaseMs) }))
        .where('id', '=', delivery.id)
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<', now)]))
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) > 0) claimed.push(delivery);
    }
    return claimed;
  }
}

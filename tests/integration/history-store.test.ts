// The history store's one query layer on both real engines: the embedded SQLite file and a
// throwaway PostgreSQL server. The same assertions run on each: sightings recorded and read
// back, a move made once when two stores (two instances) see it at the same moment, the
// registry's record imported idempotently, what a tag pointed at on a date, and the polling
// claim that lets one instance of many poll a repository (at most so many per registry), button
// watches added within their limits whoever races, the webhook's kept deliveries, and a
// database of the first schema migrated on opening; then PostgreSQL going away and
// coming back with a recorder's buffered sightings written, none lost.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CompiledQuery, sql, type KyselyPlugin, type QueryId, type RootOperationNode } from 'kysely';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openHistoryDatabase, type DatabaseTarget, type HistoryDatabase } from '@/lib/history/database';
import { Recorder } from '@/lib/history/recorder';
import { migrations, MIGRATION_TABLE } from '@/lib/history/schema';
import type { RetentionPolicy } from '@/lib/history/retention-policy';
import { RetentionSweeper } from '@/lib/history/retention';
import { HistoryStore, type Claim, type HistoryStoreOptions } from '@/lib/history/store';
import type { Move, Sighting } from '@/lib/history/types';
import { seedRuns } from '../support/history-seed';
import { startPostgres, type PostgresServer } from '../support/postgres';

const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;
const C = `sha256:${'c'.repeat(64)}`;
const iso = (ms: number) => new Date(ms).toISOString();

let dir: string;
let postgres: PostgresServer;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tagscope-history-store-'));
  postgres = await startPostgres();
});

afterAll(async () => {
  await postgres?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

let databaseCount = 0;
const engines: [string, () => DatabaseTarget][] = [
  ['SQLite', () => ({ engine: 'sqlite', file: path.join(dir, `history-${databaseCount}.db`) })],
  ['PostgreSQL', () => ({ engine: 'postgres', url: postgres.url })],
];

interface PlanNode {
  'Node Type': string;
  Plans?: PlanNode[];
}
const planNodes = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(planNodes)];

/**
 * Runs `reads` on a store whose every statement is also explained: SQLite's EXPLAIN QUERY PLAN,
 * PostgreSQL's EXPLAIN (no ANALYZE: nothing is run twice).
 */
async function explainEach(database: HistoryDatabase, reads: (store: HistoryStore) => Promise<void>): Promise<{ statement: string; plan: unknown[] }[]> {
  const statements: { node: RootOperationNode; queryId: QueryId }[] = [];
  const capture: KyselyPlugin = {
    transformQuery: (args) => (statements.push(args), args.node),
    transformResult: async (args) => args.result,
  };
  await reads(new HistoryStore({ ...database, db: database.db.withPlugin(capture) }));
  const prefix = database.engine === 'sqlite' ? 'explain query plan ' : 'explain (format json) ';
  const plans = [];
  for (const { node, queryId } of statements) {
    const compiled = database.db.getExecutor().compileQuery(node, queryId);
    if (!/^(select|delete)/i.test(compiled.sql)) continue;
    const result = await database.db.executeQuery(CompiledQuery.raw(prefix + compiled.sql, [...compiled.parameters]));
    plans.push({ statement: compiled.sql, plan: result.rows });
  }
  return plans;
}

describe.each(engines)('on %s', (engine, target) => {
  const opened: HistoryDatabase[] = [];
  let store: HistoryStore;
  /** A repository of its own per test, so tests on the shared PostgreSQL do not meet. */
  let repository: string;
  const sighting = (tag: string, digest: string, at: number): Sighting => ({ registry: 'registry.test', repository, tag, digest, mediaType: 'application/vnd.oci.image.index.v1+json', at, via: 'head' });

  async function open(options?: HistoryStoreOptions): Promise<HistoryStore> {
    const database = await openHistoryDatabase(target());
    opened.push(database);
    return new HistoryStore(database, options);
  }

  beforeEach(async () => {
    databaseCount++;
    repository = `registry.test/team/app-${databaseCount}`;
    store = await open();
    return async () => {
      for (const database of opened.splice(0)) await database.close();
    };
  });

  it('records runs, moves, and reads them back newest first', async () => {
    const moves = await store.recordSightings([sighting('1', A, 1_000), sighting('1', A, 2_000), sighting('1', B, 3_000), sighting('2', C, 3_500)]);
    expect(moves).toEqual([{ registry: 'registry.test', repository, tag: '1', from: A, to: B, at: iso(3_000), source: 'observed' }]);
    await store.touch([{ repository, tag: '1', digest: B, at: 9_000 }, { repository, tag: '1', digest: A, at: 9_000 }]);
    expect(await store.observations(repository)).toEqual([
      { tag: '2', digest: C, mediaType: 'application/vnd.oci.image.index.v1+json', firstSeen: iso(3_500), lastSeen: iso(3_500), source: 'observed', via: 'head' },
      { tag: '1', digest: B, mediaType: 'application/vnd.oci.image.index.v1+json', firstSeen: iso(3_000), lastSeen: iso(9_000), source: 'observed', via: 'head' },
      // "last seen" of a run that ended does not move.
      { tag: '1', digest: A, mediaType: 'application/vnd.oci.image.index.v1+json', firstSeen: iso(1_000), lastSeen: iso(2_000), source: 'observed', via: 'head' },
    ]);
    expect(await store.moves(repository, { tag: '2' })).toEqual([]);
    expect(await store.moves(repository, { since: 3_001 })).toEqual([]);
    expect(await store.moves(repository, { since: 3_000 })).toHaveLength(1);
    // `since` keeps the runs that began since, then those still going then, newest first.
    const since = async (at: number) => (await store.observations(repository, { since: at })).map((run) => [run.tag, run.digest]);
    expect(await since(3_600)).toEqual([['2', C], ['1', B]]);
    expect(await since(2_500)).toEqual([['2', C], ['1', B], ['1', A]]);
    expect((await store.observations(repository, { tag: '1', since: 2_500 })).map((run) => run.digest)).toEqual([B, A]);
    expect(await store.leftDigest(repository, '1', A)).toEqual({ at: iso(3_000), to: B, source: 'observed' });
    expect(await store.leftDigest(repository, '1', B)).toBeNull();
  });

  // Several instances share history through PostgreSQL; an SQLite file belongs to one server
  // process (two connections in one process would wait on each other's write lock).
  it.skipIf(engine === 'SQLite')('makes a move once when two instances see it at the same moment', async () => {
    const other = await open();
    await store.recordSightings([sighting('latest', A, 1_000)]);
    const results = await Promise.all(
      Array.from({ length: 6 }, (_, i) => (i % 2 === 0 ? store : other).recordSightings([sighting('latest', B, 2_000 + i)])),
    );
    const moves = results.flat();
    expect(moves).toHaveLength(1);
    expect(moves[0]).toMatchObject({ from: A, to: B });
    const runs = await store.observations(repository, { tag: 'latest' });
    expect(runs.map((run) => run.digest)).toEqual([B, A]);
  });

  it('imports the registry’s record once, filling in ends as they come', async () => {
    await store.importRecord('registry.test', repository, [
      { tag: 'v1', digest: A, mediaType: null, start: 10_000, end: 20_000 },
      { tag: 'v1', digest: B, mediaType: null, start: 20_000, end: null },
    ]);
    expect(await store.moves(repository)).toEqual([{ registry: 'registry.test', repository, tag: 'v1', from: A, to: B, at: iso(20_000), source: 'registry' }]);
    await store.importRecord('registry.test', repository, [
      { tag: 'v1', digest: A, mediaType: null, start: 10_000, end: 20_000 },
      { tag: 'v1', digest: B, mediaType: null, start: 20_000, end: 30_000 },
      { tag: 'v1', digest: C, mediaType: null, start: 30_000, end: null },
    ]);
    // Imported again: the known runs once each, B's end filled in, C's run and move new.
    expect(await store.observations(repository)).toHaveLength(3);
    expect((await store.moves(repository, { since: 30_000 })).map((move) => [move.from, move.to])).toEqual([[B, C]]);
    expect((await store.moves(repository)).map((move) => [move.from, move.to, move.source])).toEqual([
      [B, C, 'registry'],
      [A, B, 'registry'],
    ]);
    const at = await store.tagAt(repository, 'v1', 25_000);
    expect(at.registry).toMatchObject({ digest: B, firstSeen: iso(20_000), lastSeen: iso(30_000), source: 'registry' });
    expect(at.observed).toBeNull();
    expect((await store.tagAt(repository, 'v1', 5_000)).recordedSince).toBe(iso(10_000));
  });

  it('answers what a tag pointed at on a date from the sightings, and since when it knows', async () => {
    await store.recordSightings([sighting('edge', A, 10_000), sighting('edge', A, 15_000), sighting('edge', B, 20_000)]);
    expect((await store.tagAt(repository, 'edge', 12_000)).observed).toMatchObject({ digest: A, firstSeen: iso(10_000), lastSeen: iso(15_000) });
    expect((await store.tagAt(repository, 'edge', 25_000)).observed).toMatchObject({ digest: B });
    expect(await store.tagAt(repository, 'edge', 5_000)).toEqual({ at: iso(5_000), registry: null, observed: null, observedSince: iso(10_000), recordedSince: null });
  });

  it('lets one instance of many claim a due watch, until its lease lapses', async () => {
    const other = await open();
    expect(await store.addWatch('registry.test', repository, 'user', Date.now())).toBe(true);
    expect(await other.addWatch('registry.test', repository, 'user', Date.now())).toBe(false);
    const claimed = async (claims: Promise<Claim[]>) => (await claims).map((claim) => claim.repository);
    const claims = await Promise.all([claimed(store.claimDue('one', 60_000, 50)), claimed(other.claimDue('two', 60_000, 50))]);
    expect(claims.flat().filter((name) => name === repository)).toHaveLength(1);
    const winner = claims[0]!.includes(repository) ? 'one' : 'two';
    await store.finishPoll(repository, winner, 0, null);
    // Due again at once, and free: the next claim may go to either.
    expect((await claimed(other.claimDue('two', 1, 50))).includes(repository) || (await claimed(store.claimDue('one', 1, 50))).includes(repository)).toBe(true);
    // A lease of 1 ms lapses: a crashed poller's repository comes back.
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(await claimed(store.claimDue('three', 60_000, 50))).toContain(repository);
    expect((await store.watch(repository))?.origin).toBe('user');
    // TAGSCOPE_WATCH takes a repository over; the watch button cannot remove it then.
    await store.addWatch('registry.test', repository, 'config', Date.now());
    expect(await store.removeWatch(repository)).toBe(false);
    await store.dropConfigWatchesExcept([]);
    expect(await store.watch(repository)).toBeNull();
  });

  it('adds button watches within their limits, counted at once by two stores, and removes one only for its owner', async () => {
    // Two SQLite connections in one process cannot wait for each other (busy_timeout blocks the
    // one thread): there, one store's queued adds race, as the two PostgreSQL stores' do.
    const other = engine === 'SQLite' ? store : await open();
    const user = (name: string, client: number) => ({ registry: 'registry.test', repository: `${repository}/${name}`, ownerHash: `owner-${client}`, clientHash: `client-${databaseCount}-${client}` });
    const base = await store.countWatches('user');
    // Ten adds at once from two stores (two instances) and five clients, with three places left.
    const tight = { total: base + 3, perClient: 5 };
    const outcomes = await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? store : other).addUserWatch(user(`race${i}`, i % 5), tight, Date.now())));
    expect(outcomes.filter((outcome) => outcome === 'added')).toHaveLength(3);
    expect(outcomes.filter((outcome) => outcome === 'full')).toHaveLength(7);
    expect(await store.countWatches('user')).toBe(base + 3);

    const roomy = { total: Number.MAX_SAFE_INTEGER, perClient: 2 };
    expect(await store.addUserWatch(user('a', 9), roomy, Date.now())).toBe('added');
    expect(await store.addUserWatch(user('a', 8), roomy, Date.now())).toBe('exists');
    expect(await store.addUserWatch(user('b', 9), roomy, Date.now())).toBe('added');
    expect(await store.addUserWatch(user('c', 9), roomy, Date.now())).toBe('client-full');
    expect(await store.watch(`${repository}/c`)).toBeNull();

    expect(await store.removeWatch(`${repository}/a`, 'owner-8')).toBe(false);
    expect((await store.watch(`${repository}/a`))?.ownerHash).toBe('owner-9');
    expect(await store.removeWatch(`${repository}/a`, 'owner-9')).toBe(true);
    expect(await store.stillWatched([`${repository}/a`, `${repository}/b`])).toEqual(new Set([`${repository}/b`]));
  });

  it('claims at most so many due watches of one registry, counting the polls already running', async () => {
    const [busy, quiet] = [`busy-${databaseCount}.test`, `quiet-${databaseCount}.test`];
    for (const [registry, name] of [[busy, 'a'], [busy, 'b'], [busy, 'c'], [quiet, 'd']] as const) await store.addWatch(registry, `${registry}/${name}`, 'user', Date.now() - 1_000);
    const claims = await store.claimDue('one', 60_000, 50, { perRegistry: 2, busy: new Map([[busy, 1]]) });
    const mine = claims.filter((claim) => claim.registry === busy || claim.registry === quiet);
    expect(mine.filter((claim) => claim.registry === busy)).toHaveLength(1);
    expect(mine.filter((claim) => claim.registry === quiet)).toEqual([{ registry: quiet, repository: `${quiet}/d` }]);
  });

  it('keeps the newest runs per repository and per tag past a flood, and every tag’s current run', async () => {
    const policy: RetentionPolicy = { runsPerTag: 5, rowsPerRepository: 40 };
    store = await open({ retention: policy });
    // `busy` moves 19 times (20 runs) first; then ten quiet tags move twice each (30 runs).
    const digest = (n: number) => `sha256:${n.toString(16).padStart(64, '0')}`;
    await store.recordSightings(Array.from({ length: 20 }, (_, i) => sighting('busy', digest(i), 1_000 * (i + 1))));
    for (let step = 0; step < 3; step++) await store.recordSightings(Array.from({ length: 10 }, (_, t) => sighting(`quiet-${t}`, digest(1_000 + t * 10 + step), 30_000 + step * 1_000 + t)));
    const before = await store.observations(repository);
    expect(before).toHaveLength(50);

    // In transactions of 3 rows: the loop, not one big delete, does the work.
    expect(await store.trim(repository, policy, 3)).toBe(15);
    const after = await store.observations(repository);
    // 11 current runs, and the 29 newest ended ones; then `busy` (10 left) down to its newest 5.
    expect(after).toHaveLength(35);
    const busy = after.filter((run) => run.tag === 'busy');
    expect(busy.map((run) => run.digest)).toEqual([19, 18, 17, 16, 15].map(digest));
    expect(after.filter((run) => run.tag !== 'busy')).toEqual(before.filter((run) => run.tag !== 'busy'));
    expect(await store.moves(repository, { tag: 'busy' })).toHaveLength(4);
    expect(await store.trim(repository, policy, 3)).toBe(0);

    // The current run is intact: the next sighting elsewhere is a move from it, and ?at= still knows it.
    expect((await store.tagAt(repository, 'busy', 25_000)).observed?.digest).toBe(digest(19));
    expect(await store.recordSightings([sighting('busy', digest(99), 90_000)])).toEqual([
      { registry: 'registry.test', repository, tag: 'busy', from: digest(19), to: digest(99), at: iso(90_000), source: 'observed' },
    ]);
    // The registry's record is imported only as far as it is kept.
    await store.importRecord(
      'registry.test',
      repository,
      Array.from({ length: 9 }, (_, i) => ({ tag: 'recorded', digest: digest(500 + i), mediaType: null, start: 1_000 * (i + 1), end: i === 8 ? null : 1_000 * (i + 2) })),
    );
    expect((await store.observations(repository, { tag: 'recorded' })).map((run) => run.digest)).toEqual([8, 7, 6, 5, 4].map((i) => digest(500 + i)));
  });

  it('trims the repositories written since the last sweep, and at start every repository of the database', async () => {
    const policy: RetentionPolicy = { runsPerTag: 2, rowsPerRepository: 100 };
    const moving = (name: string, count: number) => Array.from({ length: count }, (_, i) => ({ ...sighting('latest', `sha256:${String(i).padStart(64, '0')}`, 1_000 * (i + 1)), repository: name }));
    const before = `${repository}-before`;
    // Written before retention (a database of the previous Tagscope): only the walk at start finds it.
    await store.recordSightings(moving(before, 6));
    const sweeper = new RetentionSweeper(policy);
    const trimmed = await open({ retention: policy, onWritten: (name) => sweeper.note(name) });
    sweeper.attach(trimmed);
    expect(await sweeper.sweep()).toBe(0);
    await trimmed.recordSightings(moving(repository, 6));
    expect(await sweeper.sweep()).toBe(4);
    expect(await trimmed.observations(repository)).toHaveLength(2);
    expect(await trimmed.observations(before)).toHaveLength(6);
    expect(await sweeper.sweepAll()).toBeGreaterThanOrEqual(4);
    expect(await trimmed.observations(before)).toHaveLength(2);
    await sweeper.stop();
  });

  it('answers every read of history through an index, without sorting or scanning a repository', async () => {
    // 40,000 rows: 200 tags × 200 runs, enough for PostgreSQL's planner to choose as it would on a big one.
    await seedRuns(opened.at(-1)!, repository, 200, 200);
    const plans = await explainEach(opened.at(-1)!, async (reader) => {
      await reader.moves(repository);
      await reader.moves(repository, { limit: 10 });
      await reader.moves(repository, { tag: 't7', limit: 200 });
      await reader.moves(repository, { since: 150_000 });
      await reader.moves(repository, { tag: 't7', since: 150_000 });
      await reader.observations(repository);
      await reader.observations(repository, { tag: 't7', limit: 200 });
      // Late enough that fewer than the limit began since: the runs still going then are read too.
      await reader.observations(repository, { since: 199_000 });
      await reader.observations(repository, { tag: 't7', since: 150_000 });
      await reader.tagAt(repository, 't7', 120_500);
      await reader.leftDigest(repository, 't7', 'sha256:7');
      await reader.trim(repository, { runsPerTag: 199, rowsPerRepository: 39_000 });
    });
    expect(plans.length).toBeGreaterThan(10);
    for (const { statement, plan } of plans) {
      if (engine === 'SQLite') {
        const details = (plan as { detail: string }[]).map((row) => row.detail);
        // SEARCH: an index range; SCAN: every row (or every index entry); a TEMP B-TREE: a sort.
        expect(details.filter((detail) => /^SCAN (observations|old|new)\b|TEMP B-TREE/.test(detail)), statement).toEqual([]);
      } else {
        const nodes = planNodes((plan as { 'QUERY PLAN': { Plan: PlanNode }[] }[])[0]!['QUERY PLAN'][0]!.Plan);
        expect(nodes.filter((node) => node['Node Type'] === 'Seq Scan'), statement).toEqual([]);
        expect(nodes.some((node) => /Index/.test(node['Node Type'])), statement).toBe(true);
      }
    }
  });

  // What each migration added, taken away again: a database as the Tagscope before it left it.
  const UNDO: [string, (db: HistoryDatabase['db']) => Promise<unknown>][] = [
    [
      '0005-webhook-delivery-class',
      async (db) => {
        await db.schema.dropIndex('webhook_deliveries_class').execute();
        await db.schema.alterTable('webhook_deliveries').dropColumn('watched').execute();
      },
    ],
    [
      '0004-watch-owners',
      async (db) => {
        await db.schema.dropIndex('watches_client').execute();
        await db.schema.alterTable('watches').dropColumn('owner_hash').execute();
        await db.schema.alterTable('watches').dropColumn('client_hash').execute();
      },
    ],
    [
      '0003-history-read-indexes',
      async (db) => {
        for (const name of ['observations_ended', 'observations_tag_ended', 'observations_started', 'observations_tag_started', 'observations_current_started', 'observations_tag_digest'])
          await db.schema.dropIndex(name).execute();
        await db.schema.createIndex('observations_ended').on('observations').columns(['repository', 'ended_at']).execute();
      },
    ],
    ['0002-webhook-deliveries', (db) => db.schema.dropTable('webhook_deliveries').execute()],
  ];

  it.each([
    ['the first schema', '0002-webhook-deliveries'],
    ['the schema before the read indexes', '0003-history-read-indexes'],
    ['the schema before watch owners', '0004-watch-owners'],
    ['the schema before delivery classes', '0005-webhook-delivery-class'],
  ])('brings a database of %s up to date on opening, keeping its history', async (_, from) => {
    await store.recordSightings([sighting('1', A, 1_000), sighting('1', B, 2_000)]);
    const database = opened.at(-1)!;
    for (const [name, undo] of UNDO.slice(0, UNDO.findIndex(([name]) => name === from) + 1)) {
      await undo(database.db);
      await sql`delete from ${sql.table(MIGRATION_TABLE)} where name = ${name}`.execute(database.db);
    }
    const reopened = await open();
    expect(await reopened.moves(repository)).toEqual([{ registry: 'registry.test', repository, tag: '1', from: A, to: B, at: iso(2_000), source: 'observed' }]);
    expect(await reopened.claimDeliveries('one', 60_000, 1)).toEqual([]);
    const { rows } = await sql<{ name: string }>`select name from ${sql.table(MIGRATION_TABLE)} order by name`.execute(database.db);
    expect(rows.map((row) => row.name)).toEqual(Object.keys(migrations(database.engine)));
  });

  it('keeps a webhook delivery until it ends: leased to its sender, claimed by another once released or lapsed', async () => {
    const other = await open();
    // Ids and holders of this test's own: the PostgreSQL database is shared by the tests.
    const id = (n: number) => `delivery-${databaseCount}-${n}`;
    const holder = (name: string) => `${name}-${databaseCount}`;
    await store.addDelivery({ id: id(1), body: '{"n":1}', watched: false }, holder('one'), 60_000);
    await store.addDelivery({ id: id(1), body: 'a second add of one id', watched: false }, holder('one'), 60_000);
    // A lease that has already lapsed: its holder died.
    await store.addDelivery({ id: id(2), body: '{"n":2}', watched: false }, holder('one'), -1);
    expect(await other.claimDeliveries(holder('two'), 60_000, 10)).toEqual([{ id: id(2), body: '{"n":2}', watched: false }]);
    expect(await other.claimDeliveries(holder('three'), 60_000, 10)).toEqual([]);
    // A clean shutdown releases what its sender did not send; the next claim gets it.
    await store.releaseDeliveries(holder('one'));
    expect(await other.claimDeliveries(holder('three'), 60_000, 10)).toEqual([{ id: id(1), body: '{"n":1}', watched: false }]);
    // A sender renews its leases while its deliveries wait: lapsed, then renewed, they stay its own.
    await store.addDelivery({ id: id(3), body: '{"n":3}', watched: false }, holder('four'), -1);
    await store.renewDeliveries(holder('four'), 60_000);
    expect(await other.claimDeliveries(holder('five'), 60_000, 10)).toEqual([]);
    // Ended, they are gone for good.
    for (const n of [1, 2, 3]) await store.endDelivery(id(n));
    for (const name of ['two', 'three', 'four']) await store.releaseDeliveries(holder(name));
    expect(await other.claimDeliveries(holder('five'), 60_000, 10)).toEqual([]);

    // The outbox keeps the newest: past its bound, the oldest go, whoever holds them.
    for (const n of [4, 5, 6, 7, 8]) await store.addDelivery({ id: id(n), body: `{"n":${n}}`, watched: false }, holder('six'), 60_000);
    expect(await store.trimDeliveries({ watched: 2, other: 2 })).toBe(3);
    expect(await store.trimDeliveries({ watched: 2, other: 2 })).toBe(0);
    await store.releaseDeliveries(holder('six'));
    expect(await other.claimDeliveries(holder('seven'), 60_000, 10)).toEqual([
      { id: id(7), body: '{"n":7}', watched: false },
      { id: id(8), body: '{"n":8}', watched: false },
    ]);
    for (const n of [7, 8]) await store.endDelivery(id(n));
  });

  it("keeps each class of delivery to its own bound: moves from elsewhere never trim a watched repository's", async () => {
    const other = await open();
    const id = (n: number) => `class-${databaseCount}-${n}`;
    const holder = `class-${databaseCount}`;
    // A watched repository's delivery between two bursts of deliveries from elsewhere, the oldest of the three.
    await store.addDelivery({ id: id(0), body: '{"watched":true}', watched: true }, holder, 60_000);
    for (const n of [1, 2, 3, 4, 5]) await store.addDelivery({ id: id(n), body: `{"n":${n}}`, watched: false }, holder, 60_000);
    expect(await store.trimDeliveries({ watched: 1, other: 2 })).toBe(3);
    await store.releaseDeliveries(holder);
    // Claimed watched first; one class alone when asked.
    expect(await other.claimDeliveries(`${holder}-a`, 60_000, 1, false)).toEqual([{ id: id(4), body: '{"n":4}', watched: false }]);
    expect(await other.claimDeliveries(`${holder}-b`, 60_000, 10)).toEqual([
      { id: id(0), body: '{"watched":true}', watched: true },
      { id: id(5), body: '{"n":5}', watched: false },
    ]);
    for (const n of [0, 4, 5]) await store.endDelivery(id(n));
  });
});

describe('PostgreSQL going away mid-run', () => {
  it('keeps sightings in the recorder’s buffer and writes every one when the server is back', async () => {
    const database = await openHistoryDatabase({ engine: 'postgres', url: postgres.url });
    const store = new HistoryStore(database);
    const repository = 'registry.test/team/outage';
    const moves: Move[] = [];
    const errors: (string | null)[] = [];
    const recorder = new Recorder({ changeDelayMs: 0, touchIntervalMs: 3_600_000, onMove: (move) => moves.push(move), onAvailability: (error) => errors.push(error ? 'away' : null) });
    recorder.attach(store);
    const sighting = (tag: string, digest: string, at: number): Sighting => ({ registry: 'registry.test', repository, tag, digest, mediaType: null, at, via: 'head' });
    try {
      recorder.record(sighting('1', A, 1_000));
      await recorder.flush();
      await postgres.kill();
      for (let i = 0; i < 200; i++) recorder.record(sighting(`t${i}`, C, 2_000 + i));
      recorder.record(sighting('1', B, 5_000));
      await recorder.flush();
      expect(recorder.error).not.toBeNull();
      expect(recorder.pending).toBe(201);
      await postgres.restart();
      await recorder.flush({ touches: true });
      expect(recorder.error).toBeNull();
      expect(recorder.pending).toBe(0);
      expect(errors).toEqual(['away', null]);
      expect(await store.observations(repository)).toHaveLength(202);
      expect(moves.map((move) => [move.tag, move.from, move.to])).toEqual([['1', A, B]]);
    } finally {
      await recorder.close(100);
      await database.close();
    }
  });
});

// The recorder against a real SQLite history store in a temporary folder: sightings are written
// off the caller's path, in order, a move once; repeated sightings only move "last seen" and
// wait for the batched write; while the database is away they wait in a buffer bounded in count,
// bytes, per answer, repository and registry, and are written once it is back; a dropped
// sighting leaves nothing behind; a web API that disagrees with the registry makes no move.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openHistoryDatabase, type HistoryDatabase } from '@/lib/history/database';
import { Recorder } from '@/lib/history/recorder';
import { HistoryStore } from '@/lib/history/store';
import type { Move, Sighting } from '@/lib/history/types';

const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;
const C = `sha256:${'c'.repeat(64)}`;
const REPO = '127.0.0.1:5000/team/app';

const sighting = (tag: string, digest: string, at: number, more: Partial<Sighting> = {}): Sighting => ({ registry: '127.0.0.1:5000', repository: REPO, tag, digest, mediaType: null, at, via: 'head', ...more });
/** A digest of its own for each `n`. */
const digestOf = (n: number) => `sha256:${n.toString(16).padStart(64, '0')}`;

/** The real store, with a switch that makes every write fail as a database that went away does. */
class Outage {
  down = false;
  constructor(readonly store: HistoryStore) {}
  wrap(): HistoryStore {
    return new Proxy(this.store, {
      get: (target, name, receiver) => {
        const value = Reflect.get(target, name, receiver);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => (this.down ? Promise.reject(new Error('connection refused')) : value.apply(target, args));
      },
    });
  }
}

let dir: string;
let database: HistoryDatabase;
let store: HistoryStore;
const recorders: Recorder[] = [];

function recorder(options: ConstructorParameters<typeof Recorder>[0] = {}): Recorder {
  const made = new Recorder({ changeDelayMs: 0, touchIntervalMs: 3_600_000, ...options });
  recorders.push(made);
  return made;
}

beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'tagscope-recorder-'));
  database = await openHistoryDatabase({ engine: 'sqlite', file: path.join(dir, 'history.db') });
  store = new HistoryStore(database);
});

afterEach(async () => {
  for (const made of recorders.splice(0)) await made.close(100);
  await database.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('Recorder', () => {
  it('writes a change soon, in order, and announces each move once', async () => {
    const moves: Move[] = [];
    const r = recorder({ onMove: (move) => moves.push(move) });
    r.attach(store);
    // A, B, back to A before anything is written: both moves are kept, in order.
    r.record(sighting('1.0', A, 1_000));
    r.record(sighting('1.0', B, 2_000));
    r.record(sighting('1.0', A, 3_000));
    expect(r.pending).toBe(3);
    await r.flush();
    expect(r.pending).toBe(0);
    expect(moves.map((move) => [move.from, move.to, move.at])).toEqual([
      [A, B, new Date(2_000).toISOString()],
      [B, A, new Date(3_000).toISOString()],
    ]);
    expect((await store.moves(REPO)).map((move) => move.to)).toEqual([A, B]);
  });

  it('keeps repeated sightings in memory until the batched write, then moves "last seen" only', async () => {
    const r = recorder();
    r.attach(store);
    r.record(sighting('1.0', A, 1_000));
    await r.flush();
    for (let at = 2_000; at <= 50_000; at += 1_000) r.record(sighting('1.0', A, at));
    // One pending "last seen" for the tag, not 49.
    expect(r.pending).toBe(1);
    await r.flush();
    expect((await store.observations(REPO))[0]!.lastSeen).toBe(new Date(1_000).toISOString());
    await r.flush({ touches: true });
    const [only, ...rest] = await store.observations(REPO);
    expect(rest).toEqual([]);
    expect(only).toMatchObject({ digest: A, firstSeen: new Date(1_000).toISOString(), lastSeen: new Date(50_000).toISOString() });
  });

  it('holds sightings while the database is away and writes every one once it is back', async () => {
    const outage = new Outage(store);
    const moves: Move[] = [];
    const availability: (string | null)[] = [];
    const r = recorder({ onMove: (move) => moves.push(move), onAvailability: (error) => availability.push(error?.message ?? null) });
    r.attach(outage.wrap());
    r.record(sighting('1.0', A, 1_000));
    await r.flush();
    outage.down = true;
    for (let i = 0; i < 100; i++) r.record(sighting(`t${i}`, C, 10_000 + i));
    r.record(sighting('1.0', B, 20_000));
    await r.flush({ touches: true });
    expect(r.error?.message).toBe('connection refused');
    expect(r.pending).toBe(101);
    outage.down = false;
    await r.flush({ touches: true });
    expect(r.error).toBeNull();
    expect(availability).toEqual(['connection refused', null]);
    expect(r.pending).toBe(0);
    const observations = await store.observations(REPO);
    expect(observations).toHaveLength(102);
    expect(moves.map((move) => [move.tag, move.from, move.to])).toEqual([['1.0', A, B]]);
  });

  it('drops the oldest sightings beyond its bound, and counts them', async () => {
    const outage = new Outage(store);
    outage.down = true;
    const dropped: number[] = [];
    const r = recorder({ limits: { waiting: 50 }, onDropped: (count) => dropped.push(count) });
    r.attach(outage.wrap());
    // From four registries, none past its share (half the buffer): the bound drops the oldest.
    for (let i = 0; i < 80; i++) r.record(sighting(`t${i}`, A, 1_000 + i, { registry: `registry${i % 4}.example` }));
    expect(r.pending).toBe(50);
    expect(r.dropped).toBe(30);
    expect(dropped.reduce((sum, n) => sum + n, 0)).toBe(30);
    outage.down = false;
    await r.flush({ touches: true });
    const tags = (await store.observations(REPO)).map((o) => o.tag).sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));
    // The newest 50 made it; the 30 oldest were the ones dropped.
    expect(tags).toEqual(Array.from({ length: 50 }, (_, i) => `t${i + 30}`));
  });

  it('waits for a store before writing, then writes what waited', async () => {
    const r = recorder();
    r.record(sighting('1.0', A, 1_000));
    await r.flush();
    expect(r.pending).toBe(1);
    r.attach(store);
    await r.flush();
    expect(await store.observations(REPO)).toHaveLength(1);
  });

  it('ignores a late sighting older than the run it would replace', async () => {
    const r = recorder();
    r.attach(store);
    r.record(sighting('1.0', B, 5_000));
    await r.flush();
    // Seen before B was: history already superseded (a write delayed by an outage).
    r.record(sighting('1.0', A, 4_000));
    await r.flush();
    expect((await store.observations(REPO)).map((o) => o.digest)).toEqual([B]);
    expect(await store.moves(REPO)).toEqual([]);
  });

  it('forgets a dropped change: seen again later, the move is recorded', async () => {
    const outage = new Outage(store);
    const moves: Move[] = [];
    const r = recorder({ limits: { waiting: 50 }, onMove: (move) => moves.push(move) });
    r.attach(outage.wrap());
    r.record(sighting('1.0', A, 1_000));
    await r.flush();
    outage.down = true;
    r.record(sighting('1.0', B, 2_000));
    // A flood from two other registries pushes the move out of the buffer before it is written.
    for (let i = 0; i < 60; i++) r.record(sighting(`flood${i}`, digestOf(i), 3_000 + i, { registry: `flood${i % 2}.example` }));
    expect(r.pending).toBe(50);
    outage.down = false;
    await r.flush({ touches: true });
    expect(moves).toEqual([]);
    // Nothing of the dropped sighting is left to make B look known.
    r.record(sighting('1.0', B, 10_000));
    await r.flush();
    expect(moves.map((move) => [move.tag, move.from, move.to])).toEqual([['1.0', A, B]]);
  });

  it('bounds what waits in bytes, not only in count', async () => {
    const r = recorder({ limits: { waitingBytes: 64 * 1024, registryShare: 1 } });
    // Tags of 128 characters (the grammar's longest): far fewer than 10,000 fill 64 KiB.
    for (let i = 0; i < 1_000; i++) r.record(sighting(`${i}-`.padEnd(128, 'x'), digestOf(i), 1_000 + i));
    expect(r.pendingBytes).toBeLessThanOrEqual(64 * 1024);
    expect(r.pending).toBeLessThan(200);
    expect(r.pending + r.dropped).toBe(1_000);
  });

  it('remembers the digests of at most knownBytes of tags once written', async () => {
    const r = recorder({ limits: { knownBytes: 64 * 1024 } });
    r.attach(store);
    r.recordAnswer(Array.from({ length: 1_000 }, (_, i) => sighting(`t${i}`, digestOf(i), 1_000)));
    await r.flush();
    expect(r.pending).toBe(0);
    expect(r.known).toBeGreaterThan(0);
    expect(r.known).toBeLessThan(1_000);
  });

  describe('caps what one answer, repository and registry may leave waiting', () => {
    const other = (registry: string) => (tag: string, digest: string, at: number) => sighting(tag, digest, at, { registry, repository: `${registry}/x` });
    it.each([
      {
        name: 'one answer adds at most perAnswer new digests',
        limits: { perAnswer: 100 },
        answers: [Array.from({ length: 300 }, (_, i) => sighting(`t${i}`, digestOf(i), 1_000))],
        pending: 100,
      },
      {
        name: 'one repository has at most perRepository new digests waiting',
        limits: { perAnswer: 100, perRepository: 250 },
        answers: [0, 1, 2, 3].map((n) => Array.from({ length: 100 }, (_, i) => sighting(`t${n}-${i}`, digestOf(n * 100 + i), 1_000))),
        pending: 250,
      },
      {
        name: 'one registry holds at most its share of the buffer, and another still gets in',
        limits: { waiting: 200, registryShare: 0.5 },
        answers: [
          Array.from({ length: 100 }, (_, i) => other('hostile.example')(`t${i}`, digestOf(i), 1_000)),
          Array.from({ length: 100 }, (_, i) => other('hostile.example')(`u${i}`, digestOf(i), 1_000)),
          [other('registry.example')('1.0', A, 1_000)],
        ],
        pending: 101,
      },
    ])('$name', ({ limits, answers, pending }) => {
      const r = recorder({ limits });
      for (const answer of answers) r.recordAnswer(answer);
      expect(r.pending).toBe(pending);
      expect(r.dropped).toBe(answers.flat().length - pending);
    });

    it('a refused sighting is learned again when there is room', async () => {
      const moves: Move[] = [];
      const r = recorder({ limits: { perAnswer: 10 }, onMove: (move) => moves.push(move) });
      r.attach(store);
      const answer = (digest: (i: number) => string, at: number) => Array.from({ length: 20 }, (_, i) => sighting(`t${i}`, digest(i), at));
      r.recordAnswer(answer(digestOf, 1_000));
      await r.flush();
      expect(await store.observations(REPO)).toHaveLength(10);
      r.recordAnswer(answer(digestOf, 2_000));
      await r.flush();
      expect(await store.observations(REPO)).toHaveLength(20);
      expect(moves).toEqual([]);
    });
  });

  describe('a web API that disagrees with the registry makes no move', () => {
    const hub = (tag: string, digest: string, at: number, pushedAt: number | null) => sighting(tag, digest, at, { via: 'hub', pushedAt });
    const LATER = 24 * 3_600_000;
    it.each([
      { name: 'the web API says A, then the registry says B: corrected, no move', sightings: [hub('t0', A, 1_000, 500), sighting('t0', B, 1_500)], moves: [], current: B },
      { name: 'the registry says B, then the web API’s older record says A: stale', sightings: [sighting('t0', B, 1_000), hub('t0', A, 1_500, 500)], moves: [], current: B },
      { name: 'A from the web API, B from the registry, A from the web API again', sightings: [hub('t0', A, 1_000, 500), sighting('t0', B, 1_100), hub('t0', A, 1_200, 500)], moves: [], current: B },
      { name: 'the web API reports a push after the registry’s sighting: a move', sightings: [sighting('t0', A, 1_000), hub('t0', B, 3_000, 2_000)], moves: [[A, B]], current: B },
      { name: 'the registry confirmed the web API’s digest, then moved: a move', sightings: [hub('t0', A, 1_000, 500), sighting('t0', A, 1_100), sighting('t0', B, 2_000)], moves: [[A, B]], current: B },
      { name: 'a web API’s run older than its lag, then the registry’s new digest: a move', sightings: [hub('t0', A, 1_000, 500), sighting('t0', B, LATER)], moves: [[A, B]], current: B },
      { name: 'the web API moves a tag only it has seen: a move', sightings: [hub('t0', A, 1_000, 500), hub('t0', B, 2_000, 1_500)], moves: [[A, B]], current: B },
      { name: 'the registry contradicts a push the web API reported, within its lag: the registry’s run again', sightings: [sighting('t0', A, 1_000), hub('t0', B, 3_000, 2_000), sighting('t0', A, 3_500)], moves: [[A, B]], current: A },
    ])('$name', async ({ sightings, moves, current }) => {
      for (const together of [true, false]) {
        // Written one at a time (each seen after the last was written) and all in one batch.
        const written: Move[] = [];
        const repo = `${REPO}-${together}`;
        const r = recorder({ onMove: (move) => written.push(move) });
        r.attach(store);
        for (const s of sightings) {
          r.record({ ...s, repository: repo });
          if (!together) await r.flush();
        }
        await r.flush({ touches: true });
        expect(written.map((move) => [move.from, move.to]), `together: ${together}`).toEqual(moves);
        const observations = await store.observations(repo);
        expect(observations[0]?.digest).toBe(current);
      }
    });
  });
});

// The recorder against a real SQLite history store in a temporary folder: sightings are written
// off the caller's path, in order, a move once; repeated sightings only move "last seen" and
// wait for the batched write; while the database is away they wait in a bounded buffer and
// are written once it is back.
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

const sighting = (tag: string, digest: string, at: number): Sighting => ({ registry: '127.0.0.1:5000', repository: REPO, tag, digest, mediaType: null, at, via: 'head' });

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
    const r = recorder({ maxBuffered: 50, onDropped: (count) => dropped.push(count) });
    r.attach(outage.wrap());
    for (let i = 0; i < 80; i++) r.record(sighting(`t${i}`, A, 1_000 + i));
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
});

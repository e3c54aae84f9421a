// The watcher's rules: when the newest page of Docker Hub's tag list (newest push first) is
// enough for a poll (it is the whole list, or its oldest tag was pushed before the last poll; a
// page all newer than that may have pushed other moved tags off it), and a poll that never ends
// (stopped at its deadline, its place freed, its outcome kept as a code).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { RegistryService } from '@/lib/data/service';
import { openHistoryDatabase, type HistoryDatabase } from '@/lib/history/database';
import type { Recorder } from '@/lib/history/recorder';
import { HistoryStore } from '@/lib/history/store';
import { newestPageSuffices, pollErrorCode, Watcher } from '@/lib/history/watcher';
import { RegistryError } from '@/lib/registry/errors';

const since = Date.parse('2026-11-29T12:00:00Z');
const pushed = (...times: (string | null)[]) => times.map((lastPushed) => ({ lastPushed }));

describe('newestPageSuffices', () => {
  it('is enough when it is the whole list, whatever the dates', () => {
    expect(newestPageSuffices(pushed('2026-11-29T12:30:00Z', '2026-11-29T12:20:00Z'), since, false)).toBe(true);
    expect(newestPageSuffices([], since, false)).toBe(true);
  });

  it('is enough when its oldest tag was pushed before the last poll', () => {
    expect(newestPageSuffices(pushed('2026-11-29T12:30:00Z', '2026-11-29T11:59:59Z'), since, true)).toBe(true);
  });

  it('is not when all of it is newer than the last poll, or the oldest has no date', () => {
    expect(newestPageSuffices(pushed('2026-11-29T12:30:00Z', '2026-11-29T12:00:00Z'), since, true)).toBe(false);
    expect(newestPageSuffices(pushed('2026-11-29T12:30:00Z', null), since, true)).toBe(false);
    expect(newestPageSuffices([], since, true)).toBe(false);
  });
});

describe('a poll that never ends', () => {
  let dir: string;
  let database: HistoryDatabase;
  let store: HistoryStore;
  let watcher: Watcher | null = null;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'tagscope-watcher-'));
    database = await openHistoryDatabase({ engine: 'sqlite', file: path.join(dir, 'history.db') });
    store = new HistoryStore(database);
  });

  afterEach(async () => {
    await watcher?.stop();
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A service whose tag list never answers: `honour` says whether it rejects when its signal aborts. */
  function stalledService(honour: boolean): RegistryService {
    const listTags = (_: unknown, { signal }: { signal: AbortSignal }) =>
      new Promise((_resolve, reject) => {
        if (honour) signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
      });
    return { webApi: () => null, listTags } as unknown as RegistryService;
  }

  const recorder = { flush: async () => {}, error: null, record: () => {} } as unknown as Recorder;

  it.each([
    ['its requests abort', true],
    ['its requests ignore the abort', false],
  ])('is stopped at its deadline and its place freed when %s', async (_, honour) => {
    await store.addWatch('registry.test', 'registry.test/stuck/app', 'user', Date.now());
    watcher = new Watcher({ store, recorder, service: stalledService(honour), intervalMs: 60_000, pollDeadlineMs: 50 });
    expect(await watcher.tick()).toBe(1);
    expect(watcher.polling).toEqual(['registry.test/stuck/app']);
    await vi.waitFor(() => expect(watcher!.polling).toEqual([]), { timeout: 5_000 });
    await vi.waitFor(async () => expect((await store.watch('registry.test/stuck/app'))?.lastError).toBe('TIMEOUT'), { timeout: 5_000 });
  });

  it.each([
    ['a registry error keeps its code', new RegistryError('UNREACHABLE', 'cannot connect to secret.internal:5000 (ECONNREFUSED)'), 'UNREACHABLE'],
    ['anything else is INTERNAL', new Error('Authorization: Bearer abc leaked'), 'INTERNAL'],
  ])('%s', (_, error, code) => {
    expect(pollErrorCode(error)).toBe(code);
  });
});

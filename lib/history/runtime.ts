// The server's one tag-history runtime: the recorder every data verb hands its sightings to,
// and, once the database is open, the store the pages and the API read. It lives on
// globalThis, so every bundle Next builds (instrumentation, route handlers, pages) shares the
// one database connection and the one buffer. The database opens at start-up (start.ts);
// until it is open, or while it is away, sightings wait in the recorder's bounded buffer and
// reads answer "history is unavailable" within READ_TIMEOUT_MS instead of holding a view.

import { ApiError } from '../api/errors';
import { Recorder } from './recorder';
import type { HistoryDatabase } from './database';
import type { HistoryStore } from './store';
import type { Move } from './types';

/** The longest a page or the API waits for a history read before saying it is unavailable. */
export const READ_TIMEOUT_MS = 1_500;

export interface HistoryRuntime {
  recorder: Recorder;
  store: HistoryStore | null;
  database: HistoryDatabase | null;
  /** Why the database is not open (yet), in words; null once it is. */
  unavailable: string | null;
  /** Everyone told of a move once it is written: the webhook, the metrics. */
  moveListeners: Set<(move: Move) => void>;
  /** Set by start.ts: stops the watcher, flushes the recorder, closes the database. */
  stop: (() => Promise<void>) | null;
}

const KEY = Symbol.for('tagscope.history');

export function getHistoryRuntime(): HistoryRuntime {
  const global = globalThis as { [KEY]?: HistoryRuntime };
  if (!global[KEY]) {
    const listeners = new Set<(move: Move) => void>();
    global[KEY] = {
      recorder: new Recorder({ onMove: (move) => listeners.forEach((listener) => listener(move)) }),
      store: null,
      database: null,
      unavailable: 'the history database is not open',
      moveListeners: listeners,
      stop: null,
    };
  }
  return global[KEY];
}

export type HistoryRead<T> = { ok: true; value: T } | { ok: false; reason: string };

/**
 * Reads history for a page or the API: the answer, or why there is none (not open, away, too
 * slow) — never an exception, so a view without history still renders.
 */
export async function readHistory<T>(read: (store: HistoryStore) => Promise<T>, timeoutMs = READ_TIMEOUT_MS): Promise<HistoryRead<T>> {
  const runtime = getHistoryRuntime();
  if (!runtime.store) return { ok: false, reason: `Tag history is unavailable: ${runtime.unavailable ?? 'the database is not open'}.` };
  let timer: NodeJS.Timeout | undefined;
  try {
    const value = await Promise.race([
      read(runtime.store),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`the database did not answer within ${timeoutMs / 1000} s`)), timeoutMs);
      }),
    ]);
    return { ok: true, value };
  } catch (error) {
    // The reader's own verdict (a limit, a bad request) is not the database's failure.
    if (error instanceof ApiError) throw error;
    return { ok: false, reason: `Tag history is unavailable: ${(error as Error).message}.` };
  } finally {
    clearTimeout(timer);
  }
}

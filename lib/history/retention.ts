// How much tag history is kept, and the sweeper that keeps it so. Without a bound, anyone who
// can make Tagscope see tags (a tag list of fresh digests, a watch of a repository that churns)
// grows the database for good: one client was seen adding 3,000 rows a second. The
// newest runs are kept, per tag and per repository; a tag's current run is never deleted (it
// is what the next sighting is compared with, so a move is still found after a trim). The
// store deletes in small transactions with the event loop free between them, so a trim never
// holds SQLite's lock, or a request, for long.

import { setImmediate as yieldToLoop } from 'node:timers/promises';
import type { RetentionPolicy } from './retention-policy';
import type { HistoryStore } from './store';

/** How often the repositories written since the last sweep are trimmed; a flood of 3,000 rows a second overshoots by 30,000 at most. */
export const RETENTION_INTERVAL_MS = 10_000;

/** Repositories waiting for a trim, at most; past it the oldest noted waits for its next write. */
export const MAX_PENDING_TRIMS = 10_000;

export interface RetentionOptions {
  intervalMs?: number;
  /** Told how many rows each sweep deleted (for the log). */
  onTrimmed?: (rows: number) => void;
  /** Told when a sweep fails (the database away); the repositories are tried again next time. */
  onError?: (error: Error) => void;
}

/**
 * Trims the repositories the store has written, every `intervalMs`, and every repository once
 * at start (a database from before retention, or a policy made smaller, is brought within it).
 */
export class RetentionSweeper {
  private readonly pending = new Set<string>();
  private timer: NodeJS.Timeout | null = null;
  private sweeping: Promise<number> | null = null;
  private stopped = false;

  private store: HistoryStore | null = null;

  constructor(
    private readonly policy: RetentionPolicy,
    private readonly options: RetentionOptions = {},
  ) {}

  /** The store to trim: the one whose writes are noted here (its `onWritten`), made after this. */
  attach(store: HistoryStore): void {
    this.store = store;
  }

  /** A repository written to: trimmed at the next sweep. */
  note(repository: string): void {
    if (this.pending.has(repository)) return;
    if (this.pending.size >= MAX_PENDING_TRIMS) this.pending.delete(this.pending.values().next().value!);
    this.pending.add(repository);
  }

  start(): void {
    if (this.timer || this.stopped || !this.store) return;
    this.timer = setInterval(() => void this.sweep(), this.options.intervalMs ?? RETENTION_INTERVAL_MS);
    this.timer.unref();
    void this.sweepAll();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.sweeping?.catch(() => {});
  }

  /** Trims every repository noted since the last sweep; how many rows it deleted. One sweep at a time. */
  sweep(): Promise<number> {
    this.sweeping ??= this.trim(() => this.takePending()).finally(() => (this.sweeping = null));
    return this.sweeping;
  }

  /** Trims every repository in the database, one index step to find each. */
  async sweepAll(): Promise<number> {
    const store = this.store;
    if (!store) return 0;
    let after: string | null = null;
    let deleted = 0;
    try {
      while (!this.stopped) {
        const next: string | null = await store.nextRepository(after);
        if (next === null) break;
        this.note(next);
        after = next;
        if (this.pending.size >= 100) deleted += await this.sweep();
        await yieldToLoop();
      }
    } catch (error) {
      this.options.onError?.(error as Error);
    }
    return deleted + (await this.sweep());
  }

  private takePending(): string[] {
    const repositories = [...this.pending];
    this.pending.clear();
    return repositories;
  }

  private async trim(take: () => string[]): Promise<number> {
    const store = this.store;
    if (!store) return 0;
    const repositories = take();
    let deleted = 0;
    for (const [i, repository] of repositories.entries()) {
      if (this.stopped) break;
      try {
        deleted += await store.trim(repository, this.policy);
      } catch (error) {
        // Kept for the next sweep, with those not reached yet.
        repositories.slice(i).forEach((name) => this.note(name));
        this.options.onError?.(error as Error);
        break;
      }
      await yieldToLoop();
    }
    if (deleted > 0) this.options.onTrimmed?.(deleted);
    return deleted;
  }
}

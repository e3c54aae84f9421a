// Takes every tag → digest answer the data path obtains and writes it to the history store off
// the request path: `record` is synchronous and only appends to memory; writes happen later,
// in batches, yielding to the event loop between them. A sighting of a tag at the digest it is
// known to be at only moves "last seen" forward, and those are written together every
// TOUCH_INTERVAL; a sighting at a new digest is written within moments (it may be a move, and
// a move is announced). When the database is away, sightings wait in a bounded buffer and are
// written once it is back: none is lost below MAX_BUFFERED; beyond it the oldest are dropped
// and counted.

import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { LRUCache } from 'lru-cache';
import { WRITE_BATCH, type HistoryStore } from './store';
import type { Move, Sighting } from './types';

/** Sightings waiting to be written, at most: changes in order, plus one "last seen" per tag. */
export const MAX_BUFFERED = 10_000;
/** How often repeated sightings move "last seen" forward. */
export const TOUCH_INTERVAL_MS = 30_000;
/** Retry delays while the database is away. */
const RETRY_MIN_MS = 1_000;
const RETRY_MAX_MS = 30_000;

export interface RecorderOptions {
  /** Told of every move written, once. */
  onMove?: (move: Move) => void;
  /** Told when writes start failing (with the error) or succeed again (null). */
  onAvailability?: (error: Error | null) => void;
  /** Told of sightings dropped because the buffer was full. */
  onDropped?: (count: number) => void;
  maxBuffered?: number;
  touchIntervalMs?: number;
  /** Delay before a change is written, so a burst lands in one batch. */
  changeDelayMs?: number;
}

const keyOf = (s: Pick<Sighting, 'repository' | 'tag'>) => `${s.repository}\n${s.tag}`;

export class Recorder {
  private store: HistoryStore | null = null;
  /** Sightings at a digest not known to be the tag's current one, in the order seen. */
  private changes: Sighting[] = [];
  /** The newest sighting of each tag at the digest it is at: only "last seen" to write. */
  private touches = new Map<string, Sighting>();
  /** The digest each tag is at, as far as this instance has written or queued. */
  private readonly heads = new LRUCache<string, string>({ max: 50_000 });
  private readonly pendingHeads = new Map<string, string>();
  private flushing: Promise<void> | null = null;
  private changeTimer: NodeJS.Timeout | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private retryMs = RETRY_MIN_MS;
  private readonly touchTimer: NodeJS.Timeout;
  private failing: Error | null = null;
  private closed = false;
  dropped = 0;

  constructor(private readonly options: RecorderOptions = {}) {
    this.touchTimer = setInterval(() => void this.flush({ touches: true }), options.touchIntervalMs ?? TOUCH_INTERVAL_MS);
    this.touchTimer.unref();
  }

  /** The store to write to; until it is attached (or while it is away) sightings wait. */
  attach(store: HistoryStore | null): void {
    this.store = store;
    if (store && this.pending > 0) void this.flush({ touches: true });
  }

  /** Sightings waiting to be written. */
  get pending(): number {
    return this.changes.length + this.touches.size;
  }

  /** The last write's error while writes fail; null when they succeed. */
  get error(): Error | null {
    return this.failing;
  }

  /** Notes a sighting; never waits, never throws. */
  record(sighting: Sighting): void {
    if (this.closed) return;
    const key = keyOf(sighting);
    const known = this.pendingHeads.get(key) ?? this.heads.get(key);
    if (known === sighting.digest) {
      const previous = this.touches.get(key);
      if (previous?.digest === sighting.digest && previous.at >= sighting.at) return;
      this.touches.delete(key);
      this.touches.set(key, sighting);
    } else {
      this.changes.push(sighting);
      this.pendingHeads.set(key, sighting.digest);
      this.scheduleChanges();
    }
    this.bound();
  }

  /** Keeps the buffer within its bound: the oldest "last seen" goes first, then the oldest change. */
  private bound(): void {
    const max = this.options.maxBuffered ?? MAX_BUFFERED;
    let dropped = 0;
    while (this.pending > max) {
      const oldest = this.touches.keys().next();
      if (!oldest.done) this.touches.delete(oldest.value);
      else this.changes.shift();
      dropped++;
    }
    if (dropped > 0) {
      this.dropped += dropped;
      this.options.onDropped?.(dropped);
    }
  }

  private scheduleChanges(): void {
    if (this.changeTimer || this.retryTimer || !this.store) return;
    this.changeTimer = setTimeout(() => {
      this.changeTimer = null;
      void this.flush();
    }, this.options.changeDelayMs ?? 50);
    this.changeTimer.unref();
  }

  /** Writes what waits: the changes, and with `touches` the "last seen" updates too. */
  flush(options: { touches?: boolean } = {}): Promise<void> {
    if (this.flushing) return this.flushing.then(() => (this.pending > 0 ? this.flush(options) : undefined));
    this.flushing = this.write(options.touches ?? false).finally(() => {
      this.flushing = null;
    });
    return this.flushing;
  }

  private async write(touches: boolean): Promise<void> {
    const store = this.store;
    if (!store) return;
    try {
      while (this.changes.length > 0) {
        const batch = this.changes.slice(0, WRITE_BATCH);
        const moves = await store.recordSightings(batch);
        // Written: the batch leaves the buffer (the bound may have dropped some of it meanwhile).
        const written = new Set(batch);
        while (this.changes.length > 0 && written.has(this.changes[0]!)) this.changes.shift();
        for (const s of batch) {
          const key = keyOf(s);
          this.heads.set(key, s.digest);
          if (this.pendingHeads.get(key) === s.digest) this.pendingHeads.delete(key);
        }
        for (const move of moves) this.options.onMove?.(move);
        await yieldToLoop();
      }
      if (touches && this.touches.size > 0) {
        const all = [...this.touches.values()];
        this.touches.clear();
        for (let i = 0; i < all.length; i += WRITE_BATCH) {
          try {
            await store.touch(all.slice(i, i + WRITE_BATCH));
          } catch (error) {
            // Back in the buffer, unless a newer sighting of the tag came meanwhile.
            for (const s of all.slice(i)) if (!this.touches.has(keyOf(s))) this.touches.set(keyOf(s), s);
            throw error;
          }
          await yieldToLoop();
        }
      }
      this.succeeded();
    } catch (error) {
      this.failed(error as Error);
    }
  }

  private succeeded(): void {
    this.retryMs = RETRY_MIN_MS;
    if (this.failing) {
      this.failing = null;
      this.options.onAvailability?.(null);
    }
  }

  private failed(error: Error): void {
    if (!this.failing) this.options.onAvailability?.(error);
    this.failing = error;
    if (this.retryTimer || this.closed) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.flush({ touches: true });
    }, this.retryMs);
    this.retryTimer.unref();
    this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
  }

  /** Writes everything still waiting (within `timeoutMs`) and stops. */
  async close(timeoutMs = 5_000): Promise<void> {
    clearInterval(this.touchTimer);
    if (this.changeTimer) clearTimeout(this.changeTimer);
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.changeTimer = this.retryTimer = null;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.flush({ touches: true }), new Promise((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
    this.closed = true;
  }
}

// Takes every tag → digest answer the data path obtains and writes it to the history store off
// the request path: `record` is synchronous and only appends to memory; writes happen later,
// in batches, yielding to the event loop between them. A sighting of a tag at the digest it is
// known to be at only moves "last seen" forward, and those are written together every
// TOUCH_INTERVAL; a sighting at a new digest is written within moments (it may be a move, and
// a move is announced).
//
// Every sighting comes from a registry or its web API, so what waits is bounded in count and in
// bytes, per answer, per repository and per registry (RECORDER_LIMITS): one tag list carrying
// Google's digest map names 10,000 fresh digests, and 45 of them exhausted the heap. Past a
// bound a sighting is dropped and counted, and dropping it forgets everything it left behind:
// a dropped change leaves no "pending" digest that would make the tag look known, so seen
// again later, it is recorded.

import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { LRUCache } from 'lru-cache';
import { heapSize } from '../cache/heap-size';
import { fromWebApi, isStaleWebSighting } from './agreement';
import { WRITE_BATCH, type HistoryStore } from './store';
import type { Move, Sighting } from './types';

const MiB = 1024 * 1024;

/** What the recorder holds in memory, at most. */
export interface RecorderLimits {
  waiting: number;
  waitingBytes: number;
  perAnswer: number;
  perRepository: number;
  registryShare: number;
  knownBytes: number;
}

/** The recorder's limits (docs/security.md, "Tag history"). */
export const RECORDER_LIMITS: Readonly<RecorderLimits> = {
  /** Sightings waiting to be written: changes in order, plus one "last seen" per tag. */
  waiting: 10_000,
  /** The same, in bytes (estimated as the caches estimate theirs: errs high). */
  waitingBytes: 8 * MiB,
  /** New-digest sightings taken from one answer (a tag list, a web API's tag list). */
  perAnswer: 1_000,
  /** New-digest sightings of one repository waiting at once. */
  perRepository: 2_000,
  /** The share of `waiting` and `waitingBytes` one registry's sightings may hold. */
  registryShare: 0.5,
  /** The digest each tag is known to be at, in bytes (LRU): what tells a repeat from a change. */
  knownBytes: 16 * MiB,
};

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
  /** Told of sightings dropped because a bound was reached. */
  onDropped?: (count: number) => void;
  /** Overrides of RECORDER_LIMITS (tests). */
  limits?: Partial<RecorderLimits>;
  touchIntervalMs?: number;
  /** Delay before a change is written, so a burst lands in one batch. */
  changeDelayMs?: number;
}

/** A sighting in the buffer, with what it costs. */
interface Waiting {
  sighting: Sighting;
  key: string;
  bytes: number;
  /** Dropped by the bound while a write held it: already forgotten. */
  gone: boolean;
}

/** The digest a tag is at as far as this instance knows, and whether the registry itself said so (when). */
interface Head {
  digest: string;
  confirmed: boolean;
  at: number;
}

/** The newest change waiting for a tag, and how many of the tag's changes wait. */
interface PendingHead extends Head {
  queued: number;
}

interface Usage {
  count: number;
  bytes: number;
}

const keyOf = (s: Pick<Sighting, 'repository' | 'tag'>) => `${s.repository}\n${s.tag}`;
const headOf = (s: Sighting): Head => ({ digest: s.digest, confirmed: !fromWebApi(s.via), at: s.at });
/** A buffered sighting's cost: the object, and its key held by the buffer and the pending map. */
const costOf = (s: Sighting, key: string) => heapSize(s) + 2 * heapSize(key);

export class Recorder {
  private store: HistoryStore | null = null;
  private readonly limits: RecorderLimits;
  /** Sightings at a digest not known to be the tag's current one, in the order seen. */
  private changes: Waiting[] = [];
  /** The newest sighting of each tag at the digest it is at: only "last seen" to write. */
  private touches = new Map<string, Waiting>();
  /** The digest each tag is at, as far as this instance has written. */
  private readonly heads: LRUCache<string, Head>;
  /** The digest each tag will be at once its waiting changes are written; only while some wait. */
  private readonly pendingHeads = new Map<string, PendingHead>();
  private readonly total: Usage = { count: 0, bytes: 0 };
  private readonly byRegistry = new Map<string, Usage>();
  /** Changes waiting per repository. */
  private readonly byRepository = new Map<string, number>();
  private flushing: Promise<void> | null = null;
  private changeTimer: NodeJS.Timeout | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private retryMs = RETRY_MIN_MS;
  private readonly touchTimer: NodeJS.Timeout;
  private failing: Error | null = null;
  private closed = false;
  dropped = 0;

  constructor(private readonly options: RecorderOptions = {}) {
    this.limits = { ...RECORDER_LIMITS, ...options.limits };
    this.heads = new LRUCache<string, Head>({ maxSize: this.limits.knownBytes, sizeCalculation: (head, key) => heapSize(key) + heapSize(head) });
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
    return this.total.count;
  }

  /** What the waiting sightings hold, estimated in bytes. */
  get pendingBytes(): number {
    return this.total.bytes;
  }

  /** Tags whose digest this instance remembers (written, or waiting to be). */
  get known(): number {
    return this.heads.size + this.pendingHeads.size;
  }

  /** The last write's error while writes fail; null when they succeed. */
  get error(): Error | null {
    return this.failing;
  }

  /** Notes a sighting; never waits, never throws. */
  record(sighting: Sighting): void {
    this.recordAnswer([sighting]);
  }

  /** Notes the sightings of one answer (a tag list, a web API's page): at most `perAnswer` of them new digests. */
  recordAnswer(sightings: readonly Sighting[]): void {
    if (this.closed) return;
    let changes = 0;
    let refused = 0;
    for (const sighting of sightings) {
      const outcome = this.take(sighting, changes < this.limits.perAnswer);
      if (outcome === 'change') changes++;
      else if (outcome === 'refused') refused++;
    }
    this.countDropped(refused + this.bound());
  }

  private take(sighting: Sighting, changeAllowed: boolean): 'change' | 'touch' | 'refused' | 'ignored' {
    const key = keyOf(sighting);
    const pending = this.pendingHeads.get(key);
    const known = pending ?? this.heads.get(key);
    const web = fromWebApi(sighting.via);
    // A repeat, unless it is the registry confirming what only a web API said (the store notes that).
    if (known?.digest === sighting.digest && (known.confirmed || web)) {
      if (known.confirmed && !web) known.at = Math.max(known.at, sighting.at);
      const previous = this.touches.get(key);
      if (previous && previous.sighting.at >= sighting.at) return 'ignored';
      if (!previous && this.registryFull(sighting.registry)) return 'refused';
      if (previous) this.remove(previous);
      const waiting = this.add(sighting, key);
      this.touches.delete(key);
      this.touches.set(key, waiting);
      return 'touch';
    }
    // The registry's answer wins (agreement.ts): a web API's older one is not kept at all.
    if (known?.confirmed && isStaleWebSighting(sighting, known.at)) return 'ignored';
    if (!changeAllowed || (this.byRepository.get(sighting.repository) ?? 0) >= this.limits.perRepository || this.registryFull(sighting.registry)) return 'refused';
    this.changes.push(this.add(sighting, key));
    this.byRepository.set(sighting.repository, (this.byRepository.get(sighting.repository) ?? 0) + 1);
    this.pendingHeads.set(key, { ...headOf(sighting), queued: (pending?.queued ?? 0) + 1 });
    this.scheduleChanges();
    return 'change';
  }

  private registryFull(registry: string): boolean {
    const usage = this.byRegistry.get(registry);
    const { waiting, waitingBytes, registryShare } = this.limits;
    return usage !== undefined && (usage.count >= waiting * registryShare || usage.bytes >= waitingBytes * registryShare);
  }

  /** Counts a sighting into the buffer's usage. */
  private add(sighting: Sighting, key: string): Waiting {
    const waiting: Waiting = { sighting, key, bytes: costOf(sighting, key), gone: false };
    const usage = this.byRegistry.get(sighting.registry) ?? { count: 0, bytes: 0 };
    this.byRegistry.set(sighting.registry, usage);
    for (const u of [usage, this.total]) {
      u.count++;
      u.bytes += waiting.bytes;
    }
    return waiting;
  }

  /** Counts a sighting out of the buffer's usage (written or dropped). */
  private remove(waiting: Waiting): void {
    const usage = this.byRegistry.get(waiting.sighting.registry)!;
    for (const u of [usage, this.total]) {
      u.count--;
      u.bytes -= waiting.bytes;
    }
    if (usage.count === 0) this.byRegistry.delete(waiting.sighting.registry);
  }

  /** A change leaves the buffer (written or dropped), and with it what it left behind. */
  private removeChange(waiting: Waiting): void {
    this.remove(waiting);
    const { repository } = waiting.sighting;
    const left = (this.byRepository.get(repository) ?? 1) - 1;
    if (left > 0) this.byRepository.set(repository, left);
    else this.byRepository.delete(repository);
    const pending = this.pendingHeads.get(waiting.key);
    if (pending && --pending.queued <= 0) this.pendingHeads.delete(waiting.key);
  }

  /** Keeps the buffer within its bounds: the oldest "last seen" goes first, then the oldest change. How many went. */
  private bound(): number {
    let dropped = 0;
    while (this.total.count > this.limits.waiting || this.total.bytes > this.limits.waitingBytes) {
      const oldest = this.touches.values().next();
      if (!oldest.done) {
        this.touches.delete(oldest.value.key);
        this.remove(oldest.value);
      } else {
        const change = this.changes.shift()!;
        change.gone = true;
        this.removeChange(change);
      }
      dropped++;
    }
    return dropped;
  }

  private countDropped(count: number): void {
    if (count === 0) return;
    this.dropped += count;
    this.options.onDropped?.(count);
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
        const moves = await store.recordSightings(batch.map((waiting) => waiting.sighting));
        // Written: the batch leaves the buffer (the bound may have dropped some of it meanwhile,
        // always from the front).
        while (this.changes.length > 0 && batch.includes(this.changes[0]!)) this.removeChange(this.changes.shift()!);
        // A web API's answer the store kept out (the registry's won) is remembered unconfirmed,
        // so the registry's next answer is checked with the store, not taken as a repeat.
        for (const { sighting, key } of batch) this.heads.set(key, headOf(sighting));
        for (const move of moves) this.options.onMove?.(move);
        await yieldToLoop();
      }
      if (touches && this.touches.size > 0) {
        const all = [...this.touches.values()];
        this.touches.clear();
        all.forEach((waiting) => this.remove(waiting));
        for (let i = 0; i < all.length; i += WRITE_BATCH) {
          try {
            await store.touch(all.slice(i, i + WRITE_BATCH).map((waiting) => waiting.sighting));
          } catch (error) {
            // Back in the buffer, unless a newer sighting of the tag came meanwhile.
            for (const waiting of all.slice(i)) {
              if (this.touches.has(waiting.key)) continue;
              this.touches.set(waiting.key, this.add(waiting.sighting, waiting.key));
            }
            this.countDropped(this.bound());
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

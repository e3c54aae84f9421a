// Polls watched repositories for tag moves, so their history is complete rather than made of
// whatever visitors happened to open. Each poll asks the cheapest thing that shows a move: the
// registry's own record where it keeps one (Quay's tag history), else the web API's tag list
// (Docker Hub's: index digests for no pulls), else the tag list and a HEAD per tag — never a
// manifest GET. Requests queue behind views (low priority) within the per-host limits. With
// several instances on one database, a claim in the watches table (the database lock) lets
// one poll a repository at a time; a claim lapses, so a crashed poller's repositories come
// back. What a poll sees is written before its claim ends, so a crash loses nothing recorded.

import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import type { RegistryService } from '../data/service';
import { inPool } from '../in-pool';
import { SIGNAL_LISTENERS } from '../registry/budget';
import { parseRepository, type Reference } from '../registry/reference';
import type { Recorder } from './recorder';
import type { HistoryStore, RecordedRun } from './store';
import type { Move } from './types';

/** Tags HEADed per poll at most; a repository with more is polled for its first this many (by name). */
export const MAX_POLLED_TAGS = 2_000;
/** HEADs of one poll in flight at once (the per-host limit applies as well). */
const POLL_CONCURRENCY = 4;
/** Repositories one instance polls at once. */
const CLAIMS_PER_TICK = 2;
/** Behind every view's requests in the per-host queue. */
export const POLL_PRIORITY = 1_000_000;

/** Slack between Docker Hub's push times and this server's clock when comparing them with the last poll. */
const HUB_PUSH_MARGIN_MS = 5 * 60_000;

/**
 * Whether the newest page of a tag list (newest push first) shows every tag pushed since
 * `since`: it is the whole list, or its oldest tag was pushed before then. A page all newer
 * than the last poll may have pushed others off it; then the whole list is read.
 */
export function newestPageSuffices(tags: readonly { lastPushed: string | null }[], since: number, more: boolean): boolean {
  if (!more) return true;
  const oldest = tags.at(-1)?.lastPushed;
  return oldest !== undefined && oldest !== null && Date.parse(oldest) < since;
}

/** The registry's own record of a repository's tags (Quay's tag history), or of one tag; null where it keeps none. */
export type RecordSource = (repo: Reference, signal: AbortSignal, tag?: string) => Promise<RecordedRun[] | null>;

export interface WatcherOptions {
  store: HistoryStore;
  recorder: Recorder;
  service: RegistryService;
  intervalMs: number;
  recordSource?: RecordSource;
  /** Told of moves found in the registry's record (observed moves reach the recorder's listeners). */
  onMoves?: (moves: Move[]) => void;
  onPoll?: (repository: string, error: Error | null) => void;
  /** Told of the number of watched repositories after each tick. */
  onWatchCount?: (count: number) => void;
  /** This instance's name in claims. */
  holder?: string;
}

export class Watcher {
  readonly holder: string;
  private readonly abort = new AbortController();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;

  constructor(private readonly options: WatcherOptions) {
    this.holder = options.holder ?? `${process.pid}-${randomUUID()}`;
    // Every poll's requests listen to this one signal while the watcher runs.
    setMaxListeners(SIGNAL_LISTENERS, this.abort.signal);
  }

  /** How long a claim holds: long enough for a slow poll, short enough that a crashed poller's work comes back. */
  get leaseMs(): number {
    return Math.min(Math.max(60_000, this.options.intervalMs), 15 * 60_000);
  }

  /** How often due watches are looked for. */
  get tickMs(): number {
    return Math.min(Math.max(Math.floor(this.options.intervalMs / 4), 250), 5_000);
  }

  start(): void {
    if (this.timer || this.abort.signal.aborted) return;
    const loop = () => {
      this.running = this.tick()
        .then(() => undefined, () => undefined)
        .finally(() => {
          this.running = null;
          if (!this.abort.signal.aborted) {
            this.timer = setTimeout(loop, this.tickMs);
            this.timer.unref();
          }
        });
    };
    this.timer = setTimeout(loop, 0);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.abort.abort(new Error('the watcher stopped'));
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  /** Claims the watches that are due and polls them; the number polled. */
  async tick(): Promise<number> {
    const { store } = this.options;
    const claimed = await store.claimDue(this.holder, this.leaseMs, CLAIMS_PER_TICK);
    await Promise.all(claimed.map((repository) => this.pollClaimed(repository)));
    this.options.onWatchCount?.(await store.countWatches());
    return claimed.length;
  }

  private async pollClaimed(repository: string): Promise<void> {
    let error: Error | null = null;
    try {
      await this.poll(repository);
    } catch (caught) {
      error = caught as Error;
    }
    this.options.onPoll?.(repository, error);
    if (this.abort.signal.aborted) return;
    const jittered = Math.round(this.options.intervalMs * (0.9 + Math.random() * 0.2));
    await this.options.store.finishPoll(repository, this.holder, jittered, error ? error.message.slice(0, 500) : null);
  }

  /** One poll of one repository: what its tags point at now, written to history before it returns. */
  async poll(repository: string): Promise<void> {
    const { service, store, recorder } = this.options;
    const repo = parseRepository(repository);
    const signal = this.abort.signal;
    const options = { refresh: true, signal, priority: POLL_PRIORITY };
    // When this repository was last polled (null before its first poll): what counts as news.
    const lastPolledAt = (await store.watch(repo.repository))?.lastPolledAt;
    const previous = lastPolledAt ? Date.parse(lastPolledAt) : null;
    // Where the registry's record cannot be read (a private Quay repository), its /v2 still can.
    const runs = this.options.recordSource ? await this.options.recordSource(repo, signal).catch(() => null) : null;
    if (runs) {
      await store.importRecord(repo.registry, repo.repository, runs);
      // News is what the registry's record says happened since the last poll, whoever imported
      // it (a page's view imports a tag's record too). A first poll brings the registry's whole
      // past: recorded, not announced.
      const news = previous === null ? [] : (await store.moves(repo.repository, { since: previous })).filter((move) => move.source === 'registry');
      if (news.length > 0) this.options.onMoves?.(news);
      const at = Date.now();
      for (const run of runs) {
        if (run.end === null) recorder.record({ registry: repo.registry, repository: repo.repository, tag: run.tag, digest: run.digest, mediaType: run.mediaType, at, via: 'quay' });
      }
    } else if (service.webApi(repo)) {
      // Docker Hub's tag list carries every tag's digest; the service hands each to the recorder.
      // After the first poll, its newest page is enough unless all of it is newer than that poll.
      const newest = previous === null ? null : await service.webNewestTags(repo, options);
      if (newest === null || !newestPageSuffices(newest.tags, previous! - HUB_PUSH_MARGIN_MS, newest.truncatedBy !== null)) {
        await service.webTags(repo, 'last_updated', options);
      }
    } else {
      const { tags } = await service.listTags(repo, options);
      await inPool(tags.slice(0, MAX_POLLED_TAGS), POLL_CONCURRENCY, async (tag, index) => {
        // A tag that fails alone (deleted between the list and the HEAD) fails no other.
        await service.resolveTag(repo, tag, { ...options, priority: POLL_PRIORITY + index }).catch((caught: unknown) => {
          if (signal.aborted) throw caught;
        });
      });
    }
    await recorder.flush();
    if (recorder.error) throw new Error(`history could not be written: ${recorder.error.message}`);
  }
}

// Polls watched repositories for tag moves, so their history is complete rather than made of
// whatever visitors happened to open. Each poll asks the cheapest thing that shows a move: the
// registry's own record where it keeps one (Quay's tag history), else the web API's tag list
// (Docker Hub's: index digests for no pulls), else the tag list and a HEAD per tag — never a
// manifest GET. Requests queue behind views (low priority) within the per-host limits. With
// several instances on one database, a claim in the watches table (the database lock) lets
// one poll a repository at a time; a claim lapses, so a crashed poller's repositories come
// back. What a poll sees is written before its claim ends, so a crash loses nothing recorded.
// A registry may be the attacker's and never answer: each poll has a deadline, a tick never
// waits for polls, at most MAX_POLLS_PER_REGISTRY of one registry run at once, and a poll of
// a watch removed meanwhile is abandoned (its requests aborted).

import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import { ApiError } from '../api/errors';
import type { RegistryService } from '../data/service';
import { inPool } from '../common/in-pool';
import { SIGNAL_LISTENERS } from '../registry/budget';
import { RegistryError } from '../registry/errors';
import { parseRepository, type Reference } from '../registry/reference';
import type { Recorder } from './recorder';
import type { Claim, HistoryStore, RecordedRun } from './store';
import type { Move } from './types';

/** Tags HEADed per poll at most; a repository with more is polled for its first this many (by name). */
export const MAX_POLLED_TAGS = 2_000;
/** HEADs of one poll in flight at once (the per-host limit applies as well). */
const POLL_CONCURRENCY = 4;
/** Repositories one instance polls at once… */
export const MAX_POLLS_IN_FLIGHT = 4;
/** …and of those, on one registry: one that stalls holds this many places, the others go on. */
export const MAX_POLLS_PER_REGISTRY = 2;
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
  /** The longest one poll may take (default `deadlineMs`, from the lease); tests shorten it. */
  pollDeadlineMs?: number;
}

/** The error code kept as a watch's `lastError`: a registry's own words never reach the watch list. */
export function pollErrorCode(error: Error): string {
  return error instanceof RegistryError || error instanceof ApiError ? error.code : 'INTERNAL';
}

interface PollInFlight {
  registry: string;
  controller: AbortController;
  /** Its watch was removed meanwhile: nothing is written when it ends. */
  abandoned: boolean;
  /** Settles when the poll has ended, or been given up at its deadline or removal. */
  done: Promise<void>;
}

export class Watcher {
  readonly holder: string;
  private readonly abort = new AbortController();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private readonly inFlight = new Map<string, PollInFlight>();

  constructor(private readonly options: WatcherOptions) {
    this.holder = options.holder ?? `${process.pid}-${randomUUID()}`;
    // Every poll's requests listen to this one signal while the watcher runs.
    setMaxListeners(SIGNAL_LISTENERS, this.abort.signal);
  }

  /** How long a claim holds: long enough for a slow poll, short enough that a crashed poller's work comes back. */
  get leaseMs(): number {
    return Math.min(Math.max(60_000, this.options.intervalMs), 15 * 60_000);
  }

  /**
   * The longest one poll may take: then its requests are aborted and its place freed. Within the
   * lease, so no other instance claims a repository while its poll still runs.
   */
  get deadlineMs(): number {
    return this.options.pollDeadlineMs ?? Math.floor(this.leaseMs * 0.8);
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
    await Promise.all([...this.inFlight.values()].map((poll) => poll.done));
  }

  /** The repositories being polled now. */
  get polling(): string[] {
    return [...this.inFlight.keys()];
  }

  /**
   * Abandons the polls of watches removed meanwhile, claims the watches that are due, as many as
   * there are free places, and starts their polls without waiting for them; the number started.
   */
  async tick(): Promise<number> {
    const { store } = this.options;
    if (this.inFlight.size > 0) {
      const watched = await store.stillWatched([...this.inFlight.keys()]);
      for (const [repository, poll] of this.inFlight) {
        if (watched.has(repository)) continue;
        poll.abandoned = true;
        poll.controller.abort(new Error(`${repository} is no longer watched`));
      }
    }
    let claimed: Claim[] = [];
    const free = MAX_POLLS_IN_FLIGHT - this.inFlight.size;
    if (free > 0 && !this.abort.signal.aborted) {
      const busy = new Map<string, number>();
      for (const { registry } of this.inFlight.values()) busy.set(registry, (busy.get(registry) ?? 0) + 1);
      claimed = await store.claimDue(this.holder, this.leaseMs, free, { perRegistry: MAX_POLLS_PER_REGISTRY, busy });
      for (const claim of claimed) this.startPoll(claim);
    }
    this.options.onWatchCount?.(await store.countWatches());
    return claimed.length;
  }

  /** Polls a claimed watch in the background, in its place until it ends, meets its deadline or is abandoned. */
  private startPoll({ repository, registry }: Claim): void {
    const controller = new AbortController();
    setMaxListeners(SIGNAL_LISTENERS, controller.signal);
    const stopped = () => controller.abort(this.abort.signal.reason);
    this.abort.signal.addEventListener('abort', stopped, { once: true });
    const deadline = setTimeout(
      () => controller.abort(new RegistryError('TIMEOUT', `the poll of ${repository} took longer than ${Math.round(this.deadlineMs / 1000)} s and was stopped`)),
      this.deadlineMs,
    );
    deadline.unref();
    // A poll whose requests ignore the abort still gives its place up at once.
    const given = new Promise<never>((_, reject) => controller.signal.addEventListener('abort', () => reject(controller.signal.reason as Error), { once: true }));
    given.catch(() => {});
    const poll: PollInFlight = { registry, controller, abandoned: false, done: Promise.resolve() };
    poll.done = Promise.race([this.poll(repository, controller.signal), given])
      .then(
        () => null,
        (caught: unknown) => (caught instanceof Error ? caught : new Error(String(caught))),
      )
      .then(async (error) => {
        clearTimeout(deadline);
        this.abort.signal.removeEventListener('abort', stopped);
        this.inFlight.delete(repository);
        if (this.abort.signal.aborted || poll.abandoned) return;
        this.options.onPoll?.(repository, error);
        const jittered = Math.round(this.options.intervalMs * (0.9 + Math.random() * 0.2));
        await this.options.store.finishPoll(repository, this.holder, jittered, error ? pollErrorCode(error) : null);
      })
      // The database away: the claim lapses and the watch is polled again.
      .catch(() => {});
    this.inFlight.set(repository, poll);
  }

  /** One poll of one repository: what its tags point at now, written to history before it returns. */
  async poll(repository: string, signal: AbortSignal = this.abort.signal): Promise<void> {
    const { service, store, recorder } = this.options;
    const repo = parseRepository(repository);
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
    if (recorder.error) throw new ApiError('HISTORY_UNAVAILABLE', `history could not be written: ${recorder.error.message}`);
  }
}

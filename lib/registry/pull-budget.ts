// The pull budget: Docker Hub counts every manifest GET against the server's address (100 per
// 6 h anonymous, 200 signed in) and says what is left in `ratelimit-*` headers on HEAD and GET
// alike (docs/docker-hub-api.md §2). Tagscope shares that address with the operator's own
// `docker pull`s, so it keeps a reserve (TAGSCOPE_PULL_RESERVE) it never spends: the latest
// numbers a registry sent, per registry and credential identity, decide before each GET
// whether it may go out. HEADs are free and always go out; they keep the numbers fresh.

import { RegistryError } from './errors';
import { LIMITS } from './limits';
import { cappedPause, type RateLimit } from './rate-limit';

/** What Tagscope never spends: a share of the registry's limit (`20%`) or a count (`25`). */
export type PullReserve = { share: number } | { count: number };

export const DEFAULT_PULL_RESERVE: PullReserve = { share: 0.2 };

/** `20%`, `12.5%`, `0%` → a share; `25`, `0` → a count. Throws an Error saying what is expected. */
export function parsePullReserve(text: string): PullReserve {
  const value = text.trim();
  const share = /^(\d+(?:\.\d+)?)\s*%$/.exec(value);
  if (share && Number(share[1]) <= 100) return { share: Number(share[1]) / 100 };
  if (/^\d+$/.test(value) && Number.isSafeInteger(Number(value))) return { count: Number(value) };
  throw new Error('expected a share of the pull limit such as 20% (at most 100%) or a count such as 25');
}

/** Pulls kept back of `limit`: a share rounds up (20% of 100 = 20, of 5 = 1); unknown limit, no share. */
export function reservedPulls(reserve: PullReserve, limit: number | null): number {
  if ('count' in reserve) return reserve.count;
  return limit === null ? 0 : Math.ceil(limit * reserve.share - 1e-9);
}

/** May one more GET go out? Only while what is left after it still covers the reserve. */
export function mayPull(remaining: number, reserve: number): boolean {
  return remaining - 1 >= reserve;
}

/** What a registry last said about its pull limit, for the API and the page header. */
export interface PullState {
  limit: number | null;
  remaining: number;
  /** The window the limit counts over (`w=`), when the registry gave it. */
  windowSeconds: number | null;
  /** Pulls Tagscope keeps for the address's own `docker pull`s. */
  reserve: number;
  /** When the window is expected to have reset: observation time + window (ISO 8601). */
  resetsAt: string;
}

interface Observed {
  limit: number | null;
  remaining: number;
  windowSeconds: number | null;
  observedAt: number;
  /** When the registry said its window resets: what a refusal tells people to wait for. */
  resetsAt: number;
  /** When these numbers are forgotten and the registry asked again: a 429's pause is held at most LIMITS.maxRateLimitPauseMs. */
  heldUntil: number;
}

/** The registry and whose pulls: the server's address (anonymous) or one account. */
export interface PullKey {
  registry: string;
  /** credentialIdentity(): `anonymous`, or the user name and a hash. */
  identity: string;
}

function keyOf({ registry, identity }: PullKey): string {
  return `${registry}\n${identity}`;
}

/** Registries whose numbers are remembered (visitors type any host); the stalest is dropped first. */
const REMEMBERED = 1_000;

export class PullBudget {
  private readonly observed = new Map<string, Observed>();
  /** GETs let through and not yet answered: spent, though no header says so yet. */
  private readonly inFlight = new Map<string, number>();

  constructor(
    readonly reserve: PullReserve = DEFAULT_PULL_RESERVE,
    private readonly now: () => number = Date.now,
  ) {}

  /** Takes the numbers of any manifest answer, HEAD or GET, error or not. */
  observe(key: PullKey, rateLimit: RateLimit | null): void {
    if (rateLimit?.remaining == null) return;
    this.record(key, rateLimit.limit ?? this.current(key)?.limit ?? null, rateLimit.remaining, rateLimit.window, null);
  }

  /**
   * A 429 on a manifest: none left. Recorded only for a registry that counts pulls (it sent
   * the numbers now or before), so another registry's short abuse limit blocks nothing.
   */
  exhausted(key: PullKey, rateLimit: RateLimit | null, retryAfterSeconds: number | null): void {
    const known = this.current(key);
    if (!known && rateLimit?.limit == null && rateLimit?.remaining == null) return;
    // The registry's own wait is what people are told; Tagscope holds off for at most the cap, then
    // asks again (a 429 costs no pull), so a Retry-After of days cannot switch GETs off for days.
    this.record(key, rateLimit?.limit ?? known?.limit ?? null, 0, rateLimit?.window ?? known?.windowSeconds ?? null, retryAfterSeconds, true);
  }

  private record(key: PullKey, limit: number | null, remaining: number, windowSeconds: number | null, retryAfterSeconds: number | null, capped = false): void {
    const observedAt = this.now();
    const waitSeconds = retryAfterSeconds ?? windowSeconds ?? LIMITS.pullWindowSeconds;
    const holdSeconds = capped ? cappedPause(waitSeconds) : waitSeconds;
    this.observed.delete(keyOf(key)); // re-inserted last: eviction drops the stalest
    if (this.observed.size >= REMEMBERED) this.observed.delete(this.observed.keys().next().value!);
    this.observed.set(keyOf(key), { limit, remaining, windowSeconds, observedAt, resetsAt: observedAt + waitSeconds * 1000, heldUntil: observedAt + holdSeconds * 1000 });
  }

  /** The numbers while they hold; after the estimated reset nothing is known until the next answer. */
  private current(key: PullKey): Observed | null {
    const observed = this.observed.get(keyOf(key));
    if (!observed) return null;
    if (this.now() < observed.heldUntil) return observed;
    this.observed.delete(keyOf(key));
    return null;
  }

  state(key: PullKey): PullState | null {
    const observed = this.current(key);
    if (!observed) return null;
    return {
      limit: observed.limit,
      remaining: observed.remaining,
      windowSeconds: observed.windowSeconds,
      reserve: reservedPulls(this.reserve, observed.limit),
      resetsAt: new Date(observed.resetsAt).toISOString(),
    };
  }

  /**
   * Lets one manifest GET go out, or refuses it with PULL_RESERVE before anything is sent.
   * The returned function marks it answered. GETs in flight count as spent, so concurrent
   * requests cannot overdraw the reserve between two answers.
   */
  acquire(key: PullKey, what: { describe: string; signedIn: boolean }): () => void {
    const observed = this.current(key);
    const pending = this.inFlight.get(keyOf(key)) ?? 0;
    if (observed) {
      const reserve = reservedPulls(this.reserve, observed.limit);
      const remaining = Math.max(0, observed.remaining - pending);
      if (!mayPull(remaining, reserve)) throw this.refusal(key, observed, remaining, reserve, what);
    }
    this.inFlight.set(keyOf(key), pending + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.inFlight.get(keyOf(key)) ?? 1) - 1;
      if (left > 0) this.inFlight.set(keyOf(key), left);
      else this.inFlight.delete(keyOf(key));
    };
  }

  private refusal(key: PullKey, observed: Observed, remaining: number, reserve: number, what: { describe: string; signedIn: boolean }): RegistryError {
    const waitSeconds = Math.max(0, Math.ceil((observed.resetsAt - this.now()) / 1000));
    const of = observed.limit !== null ? ` of ${observed.limit}` : '';
    const whose = what.signedIn ? 'for the account in REGISTRY_AUTH_FILE' : "for this server's address";
    const owner = what.signedIn ? "the account's" : "the address's";
    const remedy = what.signedIn ? 'use an account with a higher limit in REGISTRY_AUTH_FILE' : 'sign in with REGISTRY_AUTH_FILE';
    const details = { ratelimitRemaining: remaining, reserve, retryAfter: waitSeconds, ...(observed.limit !== null ? { ratelimitLimit: observed.limit } : {}) };
    if (observed.remaining === 0) {
      // The registry itself said none are left: its own refusal, repeated without asking again.
      return new RegistryError(
        'TOOMANYREQUESTS',
        `${key.registry} has no pulls left${of ? ` (0${of})` : ''} ${whose}, as it answered last; nothing was sent for ${what.describe}: ${remedy}, or wait for the window to reset (${describeReset(observed.resetsAt, waitSeconds)})`,
        details,
      );
    }
    return new RegistryError(
      'PULL_RESERVE',
      `${key.registry} has ${remaining}${of} pulls left ${whose}; Tagscope keeps the last ${reserve} for ${owner} own docker pulls, so it did not GET ${what.describe}: ${remedy}, or wait for the window to reset (${describeReset(observed.resetsAt, waitSeconds)})`,
      details,
    );
  }
}

/** `about 15:10 UTC, in 2 h 10 min` */
function describeReset(at: number, waitSeconds: number): string {
  const minutes = Math.ceil(waitSeconds / 60);
  const wait = minutes >= 60 ? `${Math.floor(minutes / 60)} h${minutes % 60 ? ` ${minutes % 60} min` : ''}` : `${minutes} min`;
  return `about ${new Date(at).toISOString().slice(11, 16)} UTC, in ${wait}`;
}

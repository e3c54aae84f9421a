// The pull budget: Tagscope keeps a reserve of the registry's pull limit for the address's own
// `docker pull`s. A GET goes out only while what is left after it still covers the reserve.
import { describe, expect, it } from 'vitest';
import { RegistryError } from '@/lib/registry/errors';
import { LIMITS } from '@/lib/registry/limits';
import { mayPull, PullBudget, reservedPulls, type PullReserve } from '@/lib/registry/pull-budget';

const hub = { registry: 'docker.io', identity: 'anonymous' };
const rateLimit = (limit: number | null, remaining: number | null, window: number | null = 21_600) => ({ limit, remaining, window });

function refusal(run: () => unknown): RegistryError {
  try {
    run();
  } catch (error) {
    if (error instanceof RegistryError) return error;
    throw error;
  }
  throw new Error('expected PULL_RESERVE');
}

describe('the decision: allowed while remaining - 1 >= reserve', () => {
  it.each<[PullReserve, number | null, number, boolean]>([
    // reserve,          limit, remaining, GET allowed
    [{ share: 0.2 }, 100, 100, true],
    [{ share: 0.2 }, 100, 21, true],
    [{ share: 0.2 }, 100, 20, false],
    [{ share: 0.2 }, 100, 0, false],
    [{ share: 0.2 }, 200, 41, true],
    [{ share: 0.2 }, 200, 40, false],
    [{ share: 0.2 }, 5, 2, true], // 20% of 5 rounds up to 1
    [{ share: 0.2 }, 5, 1, false],
    [{ share: 0 }, 100, 1, true],
    [{ share: 0 }, 100, 0, false], // nothing left is nothing left
    [{ share: 1 }, 100, 100, false],
    [{ count: 25 }, 100, 26, true],
    [{ count: 25 }, 100, 25, false],
    [{ count: 0 }, 100, 1, true],
    [{ share: 0.2 }, null, 1, true], // a share of an unknown limit keeps nothing back
    [{ share: 0.2 }, null, 0, false],
    [{ count: 25 }, null, 25, false],
  ])('reserve %j, limit %s, %s remaining → %s', (reserve, limit, remaining, allowed) => {
    expect(mayPull(remaining, reservedPulls(reserve, limit))).toBe(allowed);
    const budget = new PullBudget(reserve);
    budget.observe(hub, rateLimit(limit, remaining));
    if (allowed) expect(() => budget.acquire(hub, { describe: 'library/alpine:3', signedIn: false })()).not.toThrow();
    // None left at all is the registry's own refusal, repeated; some left but within the reserve is ours.
    else expect(refusal(() => budget.acquire(hub, { describe: 'library/alpine:3', signedIn: false })).code).toBe(remaining === 0 ? 'TOOMANYREQUESTS' : 'PULL_RESERVE');
  });
});

describe('PullBudget', () => {
  const now = Date.parse('2026-03-13T12:00:00Z');
  const clock = { now };
  const budget = () => new PullBudget({ share: 0.2 }, () => clock.now);

  it('knows nothing until a registry sends its numbers, and lets every GET go', () => {
    const b = budget();
    expect(b.state(hub)).toBeNull();
    for (let i = 0; i < 500; i++) b.acquire(hub, { describe: 'x', signedIn: false })();
    b.observe(hub, null);
    expect(b.state(hub)).toBeNull();
  });

  it('keeps the latest numbers per registry and identity', () => {
    clock.now = now;
    const b = budget();
    b.observe(hub, rateLimit(100, 60));
    b.observe(hub, rateLimit(100, 59));
    b.observe({ registry: 'docker.io', identity: 'someone#abc' }, rateLimit(200, 150));
    expect(b.state(hub)).toEqual({ limit: 100, remaining: 59, windowSeconds: 21_600, reserve: 20, resetsAt: '2026-03-13T18:00:00.000Z' });
    expect(b.state({ registry: 'docker.io', identity: 'someone#abc' })).toMatchObject({ limit: 200, remaining: 150, reserve: 40 });
    expect(b.state({ registry: 'ghcr.io', identity: 'anonymous' })).toBeNull();
  });

  it('counts GETs in flight as spent, so concurrent GETs cannot overdraw the reserve', () => {
    clock.now = now;
    const b = budget();
    b.observe(hub, rateLimit(100, 23));
    const releases = [0, 1, 2].map(() => b.acquire(hub, { describe: 'x', signedIn: false }));
    expect(refusal(() => b.acquire(hub, { describe: 'x', signedIn: false })).details).toMatchObject({ ratelimitRemaining: 20, reserve: 20 });
    releases[0]!();
    releases[0]!(); // twice is once
    b.acquire(hub, { describe: 'x', signedIn: false });
  });

  it('refuses in one line: what is left, what is kept, what to do, and when the window resets', () => {
    clock.now = now;
    const b = budget();
    b.observe(hub, rateLimit(100, 20));
    clock.now = now + 3 * 3600_000 + 50 * 60_000; // 3 h 50 min later: 2 h 10 min to go
    const error = refusal(() => b.acquire(hub, { describe: 'library/alpine@sha256:abc', signedIn: false }));
    expect(error.message).toBe(
      "docker.io has 20 of 100 pulls left for this server's address; Tagscope keeps the last 20 for the address's own docker pulls, so it did not GET library/alpine@sha256:abc: sign in with REGISTRY_AUTH_FILE, or wait for the window to reset (about 18:00 UTC, in 2 h 10 min)",
    );
    expect(error.details).toEqual({ ratelimitLimit: 100, ratelimitRemaining: 20, reserve: 20, retryAfter: 7800 });
    const signedIn = refusal(() => b.acquire(hub, { describe: 'library/alpine:3', signedIn: true }));
    expect(signedIn.message).toContain('for the account in REGISTRY_AUTH_FILE');
    expect(signedIn.message).toContain('use an account with a higher limit in REGISTRY_AUTH_FILE');
  });

  it('forgets the numbers once the window should have reset', () => {
    clock.now = now;
    const b = budget();
    b.observe(hub, rateLimit(100, 0));
    clock.now = now + 21_600_000;
    expect(b.state(hub)).toBeNull();
    b.acquire(hub, { describe: 'x', signedIn: false });
  });

  it('assumes Docker Hub\'s 6-hour window when the registry gives none', () => {
    clock.now = now;
    const b = budget();
    b.observe(hub, rateLimit(100, 5, null));
    expect(b.state(hub)).toMatchObject({ windowSeconds: null, resetsAt: '2026-03-13T18:00:00.000Z' });
  });

  it('a 429 means none left, until Retry-After or the window', () => {
    clock.now = now;
    const b = new PullBudget({ count: 0 }, () => clock.now);
    b.observe(hub, rateLimit(100, 50));
    b.exhausted(hub, null, null);
    expect(b.state(hub)).toMatchObject({ limit: 100, remaining: 0 });
    expect(refusal(() => b.acquire(hub, { describe: 'x', signedIn: false })).code).toBe('TOOMANYREQUESTS');
    b.exhausted(hub, null, 60);
    clock.now = now + 61_000;
    expect(b.state(hub)).toBeNull();
  });

  it('a 429 asking for days is repeated with its own wait, but held only for the pause cap, then asked again', () => {
    clock.now = now;
    const b = new PullBudget({ count: 0 }, () => clock.now);
    b.observe(hub, rateLimit(100, 50));
    b.exhausted(hub, rateLimit(100, 0), 999_999);
    clock.now = now + 60_000;
    // People are told what the registry said, counting down.
    expect(refusal(() => b.acquire(hub, { describe: 'x', signedIn: false })).details.retryAfter).toBe(999_999 - 60);
    clock.now = now + LIMITS.maxRateLimitPauseMs - 1;
    expect(refusal(() => b.acquire(hub, { describe: 'x', signedIn: false })).code).toBe('TOOMANYREQUESTS');
    clock.now = now + LIMITS.maxRateLimitPauseMs;
    expect(b.state(hub)).toBeNull();
    expect(() => b.acquire(hub, { describe: 'x', signedIn: false })()).not.toThrow();
  });

  it('a 429 from a registry that never counted pulls blocks nothing (a short abuse limit)', () => {
    const b = new PullBudget({ count: 0 }, () => clock.now);
    b.exhausted({ registry: 'ghcr.io', identity: 'anonymous' }, null, 2);
    expect(b.state({ registry: 'ghcr.io', identity: 'anonymous' })).toBeNull();
  });
});

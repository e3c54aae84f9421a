// A misbehaving registry: a fault-injecting front answers 10% of requests with 500, resets
// connections, stalls for 3 s, cuts bodies short, and serves one manifest that does not match
// its digest. The view completes, retrying where that is right, listing per-tag errors where
// it is not, flagging the integrity failure, never crashing or hanging.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { RepositoryResponse } from '@/lib/api/types';
import { Cache } from '@/lib/cache/cache';
import { parseRepository, RegistryClient } from '@/lib/registry';
import { RegistryService } from '@/lib/data/service';
import { openRepositoryView } from '@/lib/data/repository';
import { startFront, type Front } from '../support/harness/front';
import { comparableGroups, expectedGroups } from '../support/truth';

const harness = inject('harness');
const truth = harness.truth.demo;

describe('a registry with faults', () => {
  let front: Front;
  beforeAll(async () => {
    front = await startFront(harness.open.url, {
      faults: { seed: 20261123, errorRate: 0.1, resetRate: 0.04, stallRate: 0.04, stallMs: 3_000, truncateRate: 0.04 },
      alterBodies: new Set([truth.tags.latest!.digest]),
    });
  });
  afterAll(async () => {
    await front?.stop();
  });

  it('completes: every tag is either grouped exactly as the truth says or listed with its error', { timeout: 90_000 }, async () => {
    // Five retries: a request fails for good with odds of about 0.17^6, so the test does not flake.
    const client = new RegistryClient({ insecureRegistries: [front.host], retries: 5 });
    const service = new RegistryService(client, new Cache(60_000));
    const repository = `${front.host}/library/demo`;
    let result: RepositoryResponse | undefined;
    for (let attempt = 0; attempt < 3 && !result; attempt++) {
      // Listing the tags is one request; if even three tries of it fail, the view fails up front.
      result = await openRepositoryView(parseRepository(repository), {}, service)
        .then((view) => view.run())
        .catch(() => undefined);
    }
    expect(result).toBeDefined();
    const failedTags = new Set(result!.errors.map((e) => e.tag));
    const expected = expectedGroups({ ...truth, repository }).filter((g) => !g.tags.some((t) => failedTags.has(t)));
    const shown = comparableGroups(result!.groups).filter((g) => !g.tags.some((t) => failedTags.has(t)));
    expect(shown).toEqual(expected);
    // Retries carried most tags through: only the altered pair (and rare triple faults) fail.
    expect(shown.length).toBeGreaterThanOrEqual(expectedGroups(truth).length - 2);
    // The altered manifest is an integrity failure for both its tags, never a group.
    for (const tag of ['latest', '3.14']) {
      expect(result!.errors.find((e) => e.tag === tag)?.error.code).toBe('DIGEST_MISMATCH');
    }
    expect(result!.groups.some((g) => g.digest === truth.tags.latest!.digest)).toBe(false);
    expect(result!.errors.map((e) => e.error.code)).not.toContain('INTERNAL');
    // The faults really happened.
    expect(front.log.some((r) => r.status === 500)).toBe(true);
    expect(front.log.some((r) => r.status === 0)).toBe(true);
  });
});

// The real server against a hostile (or broken) registry web API, configured by the operator
// through TAGSCOPE_REGISTRY_APIS: tag pages of about 4 MB with endless `next` links. Each view
// stops at the listing's caps and says so, the server's memory stays bounded while several run
// at once, and it keeps serving.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIMITS } from '@/lib/registry';
import type { RepositoryResponse } from '@/lib/api/types';
import { startNextServer, type RunningServer } from '../support/next-server';
import { startEndlessHubApi } from '../support/web-api';

/** The server process's resident memory, in bytes (Linux). */
function rss(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Number(/(\d+)/.exec(line ?? '')?.[1] ?? NaN) * 1024;
}

/** Views of different repositories at once: none shares another's work. */
const VIEWS = 6;
const MiB = 1024 * 1024;

let api: Awaited<ReturnType<typeof startEndlessHubApi>>;
let server: RunningServer;
beforeAll(async () => {
  api = await startEndlessHubApi();
  server = await startNextServer({
    TAGSCOPE_INSECURE_REGISTRIES: api.host,
    TAGSCOPE_REGISTRY_APIS: `${api.host}=hub:${api.url}`,
  });
});
afterAll(async () => {
  await server?.stop();
  await api?.stop();
});

describe('a web API sending ~4 MB tag pages with endless next links', () => {
  it(`${VIEWS} views at once each stop at the listing's byte cap with a notice; memory stays bounded and the server keeps serving`, async () => {
    // Warm up the route (the first request compiles and loads it) before the baseline.
    await fetch(`${server.url}/api/health`);
    const before = rss(server.pid);
    let most = before;
    const sampler = setInterval(() => (most = Math.max(most, rss(server.pid))), 50);
    try {
      const answers = await Promise.all(
        Array.from({ length: VIEWS }, async (_, n) => {
          const response = await fetch(`${server.url}/api/v1/repository?repository=${encodeURIComponent(`${api.host}/flood/app${n}`)}`);
          expect(response.status).toBe(200);
          return (await response.json()) as RepositoryResponse;
        }),
      );
      for (const answer of answers) {
        expect(answer.truncated).toBe(true);
        expect(answer.notices.map((notice) => notice.message)).toContainEqual(expect.stringContaining(`is larger than ${LIMITS.webApiListBytes} bytes`));
      }
    } finally {
      clearInterval(sampler);
    }
    // Each listing read about 32 MiB and held at most 5 pages of 4 MiB at once; parsed, the
    // padding is dropped. Without the caps the server read until it died.
    expect(api.tagPages()).toBeLessThanOrEqual(VIEWS * (Math.ceil(LIMITS.webApiListBytes / 3_900_000) + 1 + LIMITS.webApiPagesAhead));
    const grew = (most - before) / MiB;
    console.log(`hostile web API: RSS ${Math.round(before / MiB)} MiB before, ${Math.round(most / MiB)} MiB at most (+${Math.round(grew)} MiB) over ${VIEWS} views`);
    expect(grew).toBeLessThan(400);
    const started = performance.now();
    const health = await fetch(`${server.url}/api/health`);
    expect(health.status).toBe(200);
    expect(performance.now() - started).toBeLessThan(2_000);
  });
});

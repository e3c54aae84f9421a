// The cache below memory: content on disk survives a restart and is verified by digest when
// read back; with Redis, several instances share their work, against a real redis-server.
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Cache } from '@/lib/cache/cache';
import { DiskStore } from '@/lib/cache/disk-store';
import { RedisStore } from '@/lib/cache/redis-store';
import { parseRepository, RegistryClient, type RequestEvent } from '@/lib/registry';
import { RegistryService } from '@/lib/registry-service';
import { openRepositoryView } from '@/lib/repository-view';
import { insecureRegistries } from '../support/harness';
import { startRedis } from '../support/redis';
import { comparableGroups, expectedGroups } from '../support/truth';

const harness = inject('harness');
const truth = harness.truth.demo;

function instance(cache: Cache) {
  const requests: RequestEvent[] = [];
  const client = new RegistryClient({ insecureRegistries: insecureRegistries(harness).split(','), onRequest: (e) => requests.push(e) });
  return { service: new RegistryService(client, cache), cache, requests };
}

async function groups(service: RegistryService) {
  return (await (await openRepositoryView(parseRepository(truth.repository), {}, service)).run()).groups;
}

const manifestGets = (requests: RequestEvent[]) => requests.filter((r) => r.kind === 'manifest' && r.method === 'GET').length;

describe('disk store', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'tagscope-disk-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps manifests across a restart: the second process GETs no manifest', async () => {
    const first = instance(new Cache({ tagTtlMs: 60_000, content: new DiskStore(dir) }));
    expect(comparableGroups(await groups(first.service))).toEqual(expectedGroups(truth));
    expect(manifestGets(first.requests)).toBeGreaterThan(0);
    await first.cache.flush();
    const restarted = instance(new Cache({ tagTtlMs: 60_000, content: new DiskStore(dir) }));
    expect(comparableGroups(await groups(restarted.service))).toEqual(expectedGroups(truth));
    expect(manifestGets(restarted.requests)).toBe(0);
    // Tag answers are short-lived and in memory only: the restart HEADs the tags again.
    expect(restarted.requests.filter((r) => r.method === 'HEAD')).toHaveLength(Object.keys(truth.tags).length);
  });

  it('refuses a file that does not hash to its digest and fetches it again', async () => {
    const store = new DiskStore(dir);
    const digest = truth.tags['3.13']!.digest;
    const [repoDir] = await readdir(dir);
    const file = path.join(dir, repoDir!, 'sha256', digest.slice(7));
    await writeFile(file, '{"tampered":true}');
    expect(await store.get(truth.repository, digest)).toBeUndefined();
    const again = instance(new Cache({ tagTtlMs: 60_000, content: store }));
    const manifest = await again.service.manifest(parseRepository(truth.repository), digest);
    expect(manifest.digest).toBe(digest);
    expect(manifestGets(again.requests)).toBe(1);
  });
});

describe('Redis, shared by two instances', () => {
  let redis: Awaited<ReturnType<typeof startRedis>>;
  const stores: RedisStore[] = [];
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    for (const store of stores) await store.close();
    await redis?.stop();
  });

  function redisInstance() {
    const store = new RedisStore(redis.url);
    stores.push(store);
    return instance(new Cache({ tagTtlMs: 60_000, content: store, fresh: store }));
  }

  it('the second instance answers from the first one’s work, with no upstream request', async () => {
    const a = redisInstance();
    const b = redisInstance();
    expect(comparableGroups(await groups(a.service))).toEqual(expectedGroups(truth));
    expect(a.requests.length).toBeGreaterThan(0);
    await a.cache.flush();
    expect(comparableGroups(await groups(b.service))).toEqual(expectedGroups(truth));
    expect(b.requests).toEqual([]);
  });

  it('a Redis that is down is a miss, not a failure', async () => {
    const store = new RedisStore('redis://127.0.0.1:1');
    stores.push(store);
    const down = instance(new Cache({ tagTtlMs: 60_000, content: store, fresh: store }));
    expect(comparableGroups(await groups(down.service))).toEqual(expectedGroups(truth));
  });
});

// The cache below memory: content on disk survives a restart, is verified by digest when read
// back and stays under its size cap; with Redis, several instances share their work, against
// a real redis-server, and content keys expire.
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Cache } from '@/lib/cache/cache';
import { DiskStore } from '@/lib/cache/disk-store';
import { parseRepository, RegistryClient, type RequestEvent } from '@/lib/registry';
import { RegistryService } from '@/lib/data/service';
import { getRepository } from '@/lib/data/repository';
import { insecureRegistries } from '../support/harness';
import { useRedisStores } from '../support/redis';
import { comparableGroups, expectedGroups } from '../support/truth';

const harness = inject('harness');
const truth = harness.truth.demo;

function instance(cache: Cache) {
  const requests: RequestEvent[] = [];
  const client = new RegistryClient({ insecureRegistries: insecureRegistries(harness).split(','), onRequest: (e) => requests.push(e) });
  return { service: new RegistryService(client, cache), cache, requests };
}

async function groups(service: RegistryService) {
  return (await (await getRepository(parseRepository(truth.repository), {}, service)).run()).groups;
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

  it('stays under TAGSCOPE_CACHE_MAX_BYTES after viewing a repository, evicting instead of failing', async () => {
    const capped = await mkdtemp(path.join(tmpdir(), 'tagscope-disk-capped-'));
    try {
      const full = instance(new Cache({ tagTtlMs: 60_000, content: new DiskStore(capped) }));
      await groups(full.service);
      await full.cache.flush();
      const whole = await allocatedBytes(capped);
      expect(whole).toBeGreaterThan(40 * 4096); // some 20 manifests and configs, each with its headers
      // A fresh process with a third of that as its cap: it trims at start-up, and a view
      // that stores everything again ends under the cap with the view still right.
      const maxBytes = Math.floor(whole / 3);
      const store = new DiskStore(capped, { maxBytes });
      const small = instance(new Cache({ tagTtlMs: 60_000, content: store }));
      expect(comparableGroups(await groups(small.service))).toEqual(expectedGroups(truth));
      await small.cache.flush();
      // The start-up trim runs in the background; a view served from disk writes nothing that
      // would wait for it. usage() waits for the scan and any eviction under way.
      const usage = await store.usage();
      expect(await allocatedBytes(capped)).toBeLessThanOrEqual(maxBytes);
      expect(usage.bytes).toBeLessThanOrEqual(maxBytes);
      expect(usage.entries).toBeGreaterThan(0);
    } finally {
      await rm(capped, { recursive: true, force: true });
    }
  });
});

/** What the files under `dir` take on disk (`du`), directories aside. */
async function allocatedBytes(dir: string): Promise<number> {
  let total = 0;
  for (const name of await readdir(dir, { recursive: true })) {
    const info = await stat(path.join(dir, name));
    if (info.isFile()) total += info.blocks * 512;
  }
  return total;
}

describe('Redis, shared by two instances', () => {
  const redis = useRedisStores();

  function redisInstance(url?: string) {
    const store = redis.store(url);
    return { store, ...instance(new Cache({ tagTtlMs: 60_000, content: store, fresh: store })) };
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

  it('content keys expire (30 days), so Redis never holds content without bound', async () => {
    const a = redisInstance();
    await groups(a.service);
    await a.cache.flush();
    const keys = await a.store.redis.keys('tagscope:v1:content:*');
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) {
      const ttl = await a.store.redis.pttl(key);
      expect(ttl).toBeGreaterThan(29 * 24 * 3_600_000);
      expect(ttl).toBeLessThanOrEqual(30 * 24 * 3_600_000);
    }
  });

  it('a Redis that is down is a miss, not a failure', async () => {
    const down = redisInstance('redis://127.0.0.1:1');
    expect(comparableGroups(await groups(down.service))).toEqual(expectedGroups(truth));
  });
});

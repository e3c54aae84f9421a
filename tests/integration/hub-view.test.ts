// The repository view on a registry whose host has Docker Hub's web API configured: groups from
// the web API with no manifest GET (no pull), gaps filled with free HEADs, complete beyond the
// anonymous 1,000-tag cap, and the registry path (with the pull budget) when the web API fails.
// The real registry is the harness's open registry behind a front that counts pulls like Docker
// Hub; the web API is the harness's emulator describing the same images.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { Cache } from '@/lib/cache/cache';
import { getRepository } from '@/lib/data/repository';
import { RegistryService } from '@/lib/data/service';
import { parseRegistryApis } from '@/lib/registry/environment';
import { parseReference, parseRepository, RegistryClient } from '@/lib/registry';
import { startFront, type Front } from '../support/harness/front';
import { useRedisStores } from '../support/redis';
import { hubRepository, hubRepositoryFromTruth, hubTag, startHubEmulator, type HubEmulator } from '../support/harness/hub';
import { imageManifest, startHostileRegistry, type HostileRegistry } from '../support/harness/hostile';
import { expectedGroups } from '../support/truth';

const harness = inject('harness');
const truth = harness.truth.demo;
const path = truth.repository.slice(truth.repository.indexOf('/') + 1);

let front: Front;
let hub: HubEmulator;
beforeAll(async () => {
  front = await startFront(harness.open.url, { pullLimit: { limit: 100, windowSeconds: 21_600 } });
  hub = await startHubEmulator({ repositories: [hubRepositoryFromTruth(truth, { tagQuirks: { '3.12.9': { legacy: true }, '3.12.9-r0': { emptyImages: true } } })] });
});
afterAll(async () => {
  await front?.stop();
  await hub?.stop();
});

function service(registry: string, hubUrl = hub.url, cache = new Cache(60_000)) {
  const client = new RegistryClient({ insecureRegistries: [registry, new URL(hubUrl).host], registryApis: parseRegistryApis(`${registry}=hub:${hubUrl}`) });
  return new RegistryService(client, cache);
}

async function view(registry: string, repository: string, svc = service(registry)) {
  return (await getRepository(parseRepository(`${registry}/${repository}`), {}, svc)).run();
}

describe('a Docker Hub view spends no pull', () => {
  it('groups every image tag as the registry has it, with 0 manifest GETs and one Hub page', async () => {
    front.reset();
    hub.reset();
    const result = await view(front.host, path);
    expect(front.counts().manifestGet).toBe(0);
    expect(front.pulls()).toBe(0);
    expect(hub.counts().tagList).toBe(1); // 13 tags: one page of 100
    // Every described image: the index digest, its tags, each platform digest and compressed size.
    const expected = expectedGroups(truth).filter((g) => g.kind === 'index' || g.kind === 'manifest');
    for (const want of expected) {
      const got = result.groups.find((g) => g.digest === want.digest);
      expect(got, `group ${want.digest} (${want.tags.join(', ')})`).toBeDefined();
      expect([...got!.tags].sort()).toEqual(want.tags);
      expect(got!.platforms.map((p) => [p.digest, p.compressedSize]).sort()).toEqual(want.platforms.map((p) => [p.digest, p.compressedSize]).sort());
      expect(got!.platforms.every((p) => p.configDigest === null)).toBe(true); // the image ID needs a pull: not fetched
      expect(got!.lastPushed).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    }
    expect(result.errors).toEqual([]);
  });

  it('a legacy tag without digest and a tag with images: [] are HEADed (free) and join their group', async () => {
    front.reset();
    const result = await view(front.host, path);
    const group = result.groups.find((g) => g.tags.includes('3.12'))!;
    expect(group.tags).toEqual(expect.arrayContaining(['3.12.9', '3.12.9-r0']));
    expect(front.counts().manifestGet).toBe(0);
    expect(front.counts().manifestHead).toBeGreaterThan(0);
  });

  it('an image the web API does not describe says it needs a pull instead of spending one', async () => {
    const result = await view(front.host, path);
    const artifact = result.groups.find((g) => g.tags.includes('notes'))!;
    expect(artifact).toMatchObject({ platforms: [], platformsNeedPull: true });
    expect(result.notices.map((n) => n.code)).toContain('PULL_RESERVE');
  });

  it('says what the web API says of the repository, and the pull budget the registry reported', async () => {
    // A fresh client knows no pull numbers: the view HEADs its newest tag (free) to learn them.
    const result = await view(front.host, path, service(front.host));
    expect(result.info).toMatchObject({ description: expect.any(String), stars: expect.any(Number), pullCount: expect.any(Number) });
    expect(result.pulls).toMatchObject({ limit: 100, remaining: 100, windowSeconds: 21_600, reserve: 20 });
  });
});

describe('the registry wins a disagreement on the repository view too', () => {
  it('a tag the registry answered for already is shown at the registry’s digest, and the view says so', async () => {
    const tag = '3.14';
    const stale = hub.disagree(path, tag);
    try {
      const svc = service(front.host);
      await svc.resolveTag(parseRepository(`${front.host}/${path}`), tag);
      const result = await view(front.host, path, svc);
      expect(result.groups.find((g) => g.tags.includes(tag))?.digest).toBe(truth.tags[tag]!.digest);
      expect(result.notices).toContainEqual({
        code: 'DIGEST_MISMATCH',
        message: `${front.host}'s web API says ${tag} is ${stale}, but the registry answers ${truth.tags[tag]!.digest}; the registry's answer is shown. The web API catches up with pushes within minutes.`,
        details: { expected: truth.tags[tag]!.digest, actual: stale, tags: [tag] },
      });
    } finally {
      hub.disagree(path, tag, truth.tags[tag]!.digest);
    }
  });
});

describe('web API answers are shared between viewers', () => {
  it('two viewers at once, then a third within the tag TTL: one Hub tag-list call', async () => {
    const svc = service(front.host);
    hub.reset();
    await Promise.all([view(front.host, path, svc), view(front.host, path, svc)]);
    await view(front.host, path, svc);
    expect(hub.counts().tagList).toBe(1);
    expect(hub.counts().repository).toBe(1);
  });
});

describe('web API answers are shared between instances through Redis', () => {
  const redis = useRedisStores();

  it('a second instance reads the first one\'s Hub answers from Redis: no Hub call', async () => {
    const instance = () => {
      const store = redis.store();
      const cache = new Cache({ tagTtlMs: 60_000, content: store, fresh: store });
      return { cache, service: service(front.host, hub.url, cache) };
    };
    const a = instance();
    const b = instance();
    await view(front.host, path, a.service);
    await a.cache.flush();
    hub.reset();
    const second = await view(front.host, path, b.service);
    expect(hub.counts().tagList).toBe(0);
    expect(hub.counts().repository).toBe(0);
    expect(second.groups.length).toBeGreaterThan(0);
  });
});

describe('when the web API fails, the registry is used and the view says so', () => {
  it.each(['garbage', 'error', 'schema'] as const)('a web API answering %s: the registry path, with a notice', async (answer) => {
    hub.options.fault = { answer };
    try {
      front.reset();
      const result = await view(front.host, path);
      expect(result.notices[0]?.message).toContain("web API could not list the tags");
      expect(result.groups.map((g) => g.digest).sort()).toEqual(expectedGroups(truth).map((g) => g.digest).sort());
      expect(front.counts().manifestGet).toBeGreaterThan(0); // the registry path GETs, within the pull budget
    } finally {
      hub.options.fault = null;
    }
  });
});

describe('beyond the anonymous 1,000-tag cap', () => {
  let registry: HostileRegistry;
  let hub2: HubEmulator;
  const tags = Array.from({ length: 2_300 }, (_, i) => `1.${i}`);
  beforeAll(async () => {
    registry = await startHostileRegistry();
    const records = tags.map((name, i) => {
      const image = JSON.stringify(imageManifest(`big ${name}`));
      const digest = registry.putManifest('big/app', image, { tags: [name] });
      const pushed = new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString();
      return hubTag({
        name,
        digest,
        media_type: 'application/vnd.oci.image.config.v1+json',
        tag_last_pushed: pushed,
        last_updated: pushed,
        images: [{ architecture: 'amd64', features: '', variant: null, digest, os: 'linux', os_features: '', os_version: null, size: 1000 + i, status: 'active', last_pulled: null, last_pushed: pushed }],
      });
    });
    registry.setTagList('big/app', () => ({ body: JSON.stringify({ name: 'big/app', tags }) }));
    hub2 = await startHubEmulator({ repositories: [hubRepository('big/app', records)] });
  });
  afterAll(async () => {
    await registry?.stop();
    await hub2?.stop();
  });

  it('is complete without credentials: 1,000 tags from each end of the web API, HEADs for the rest, no GET', async () => {
    const result = await view(registry.host, 'big/app', service(registry.host, hub2.url));
    const shown = result.groups.flatMap((g) => g.tags);
    expect(shown.sort()).toEqual([...tags].sort());
    expect(registry.log.filter((r) => r.method === 'GET' && r.path.includes('/manifests/'))).toEqual([]);
    // The middle 300, and one for the newest tag to read the pull numbers (this registry sends none).
    expect(registry.log.filter((r) => r.method === 'HEAD').length).toBe(301);
    expect(hub2.counts().tagList).toBeLessThanOrEqual(3 * Math.ceil(tags.length / 100));
    expect(result.notices.map((n) => n.message).join(' ')).toContain('300 tags in between');
    expect(result.groups.every((g) => g.platformsNeedPull || g.platforms.length === 1)).toBe(true);
  });
});

describe('a Docker Hub tag page spends no pull unless asked, and the registry wins a disagreement', () => {
  const saved = { ...process.env };
  afterAll(() => {
    // The server's configuration is read from the environment: leave it as it was.
    for (const name of ['TAGSCOPE_INSECURE_REGISTRIES', 'TAGSCOPE_REGISTRY_APIS', 'TAGSCOPE_CACHE_DIR', 'TAGSCOPE_TAG_TTL_SECONDS']) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });
  async function pageData() {
    process.env.TAGSCOPE_INSECURE_REGISTRIES = `${front.host},${hub.host}`;
    process.env.TAGSCOPE_REGISTRY_APIS = `${front.host}=hub:${hub.url}`;
    process.env.TAGSCOPE_CACHE_DIR = `${harness.dir}/hub-page-cache`;
    process.env.TAGSCOPE_TAG_TTL_SECONDS = '0';
    return import('@/lib/data/image');
  }

  it('a tag: its digest from a free HEAD, its platforms from the web API, no GET; the manifest only when asked', async () => {
    const { getTag } = await pageData();
    front.reset();
    const page = await getTag(parseReference(`${front.host}/${path}:3.13`));
    if (page.kind !== 'image') throw new Error(`expected an image page, got ${JSON.stringify(page)}`);
    const want = truth.tags['3.13']!;
    expect(page.view.group.digest).toBe(want.digest);
    expect(page.view.group.platforms.map((p) => p.digest).sort()).toEqual(want.platforms.map((p) => p.digest).sort());
    expect(page.view.manifest).toBeNull();
    expect(front.counts().manifestGet).toBe(0);
    expect(front.counts().manifestHead).toBe(1);
    const asked = await getTag(parseReference(`${front.host}/${path}:3.13`), { pull: true });
    if (asked.kind !== 'image') throw new Error('expected an image page');
    expect(asked.view.manifest?.digest).toBe(want.digest);
    expect(front.counts().manifestGet).toBeGreaterThan(0);
  });

  it('a legacy tag (listed without digest): the platforms the web API lists, at the digest a free HEAD gives, no GET', async () => {
    const { getTag } = await pageData();
    front.reset();
    const page = await getTag(parseReference(`${front.host}/${path}:3.12.9`));
    if (page.kind !== 'image') throw new Error(`expected an image page, got ${JSON.stringify(page)}`);
    const want = truth.tags['3.12.9']!;
    expect(page.view.group.digest).toBe(want.digest);
    expect(page.view.group.platforms.map((p) => p.digest).sort()).toEqual(want.platforms.map((p) => p.digest).sort());
    expect(page.view.group.platformsNeedPull ?? false).toBe(false);
    expect(front.counts().manifestGet).toBe(0);
  });

  it('when the web API names another digest than the registry, the registry\'s is shown and the difference flagged', async () => {
    const { getTag } = await pageData();
    const stale = hub.disagree(path, '3.14');
    try {
      const page = await getTag(parseReference(`${front.host}/${path}:3.14`));
      if (page.kind !== 'image') throw new Error('expected an image page');
      expect(page.view.group.digest).toBe(truth.tags['3.14']!.digest);
      expect(page.view.problems).toEqual([expect.objectContaining({ code: 'DIGEST_MISMATCH', details: { expected: truth.tags['3.14']!.digest, actual: stale } })]);
    } finally {
      hub.disagree(path, '3.14', truth.tags['3.14']!.digest);
    }
  });
});

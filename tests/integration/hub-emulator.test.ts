// The Docker Hub web-API emulator and the pull-counting front, checked against what Docker Hub
// does (docs/docker-hub-api.md §1–§3) and against the harness registry they describe.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startFront, TOO_MANY_PULLS, type Front } from '../support/harness/front';
import {
  HUB,
  HUB_ERRORS,
  HUB_USER,
  hubRepositoryFromTruth,
  startHubEmulator,
  syntheticScaleTruth,
  type HubEmulator,
  type HubTag,
} from '../support/harness/hub';
import { MT } from '../support/harness/oci';
import { scaleLayout } from '../support/harness/seed';
import { FULL_ACCEPT } from '../support/http';

const harness = inject('harness');
const demo = harness.truth.demo;
const DEMO = 'library/demo';
const SCALE_OPTIONS = { tags: 2_500, indexes: 400 };
const TAG_FIELDS = [
  'creator', 'id', 'images', 'last_updated', 'last_updater', 'last_updater_username', 'name', 'repository', 'full_size', 'v2',
  'tag_status', 'tag_last_pulled', 'tag_last_pushed', 'media_type', 'content_type', 'digest',
].sort();
const IMAGE_FIELDS = ['architecture', 'features', 'variant', 'digest', 'os', 'os_features', 'os_version', 'size', 'status', 'last_pulled', 'last_pushed'].sort();

interface Page {
  count: number;
  next: string | null;
  previous: string | null;
  results: HubTag[];
}

let hub: HubEmulator;

async function hubGet<T = Page>(path: string, token?: string): Promise<{ response: Response; body: T }> {
  const response = await fetch(new URL(path, hub.url), { headers: token ? { authorization: `Bearer ${token}` } : {} });
  return { response, body: (await response.json()) as T };
}

async function signIn(identifier: string, secret: string): Promise<Response> {
  return fetch(`${hub.url}/v2/auth/token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ identifier, secret }) });
}

/** Every tag, following `next` from the first page. */
async function allTags(path: string, token?: string): Promise<{ names: string[]; pages: number }> {
  const names: string[] = [];
  let next: string | null = path;
  let pages = 0;
  while (next) {
    const { response, body }: { response: Response; body: Page } = await hubGet(next, token);
    expect(response.status).toBe(200);
    names.push(...body.results.map((t) => t.name));
    next = body.next;
    pages++;
  }
  return { names, pages };
}

beforeAll(async () => {
  hub = await startHubEmulator({
    repositories: [
      hubRepositoryFromTruth(demo, { tagQuirks: { '3.12.9-r0': { legacy: true }, '3.12.9': { emptyImages: true } } }),
      hubRepositoryFromTruth(syntheticScaleTruth('docker.io/bench/app', SCALE_OPTIONS)),
    ],
  });
});
afterAll(async () => {
  await hub.stop();
});

describe('Hub emulator: the tag list envelope', () => {
  const tags = '/v2/namespaces/library/repositories/demo/tags';

  it('pages 10 at a time by default, with an absolute next and a null previous on page 1', async () => {
    const { response, body } = await hubGet(tags);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(body.count).toBe(Object.keys(demo.tags).length);
    expect(body.results).toHaveLength(HUB.defaultPageSize);
    expect(body.previous).toBeNull();
    expect(body.next).toBe(`${hub.url}${tags}?page=2`);
  });

  it('echoes page and page_size in next and previous, and ends with next null', async () => {
    const first = await hubGet(`${tags}?page_size=4`);
    expect(first.body.next).toBe(`${hub.url}${tags}?page_size=4&page=2`);
    const second = await hubGet(first.body.next!);
    expect(second.body.previous).toBe(`${hub.url}${tags}?page_size=4`);
    const { names, pages } = await allTags(`${tags}?page_size=4`);
    expect(names.sort()).toEqual(Object.keys(demo.tags).sort());
    expect(pages).toBe(Math.ceil(names.length / 4));
  });

  it.each([
    ['the documented route', `/v2/namespaces/library/repositories/demo/tags`],
    ['the legacy route', `/v2/repositories/library/demo/tags`],
    ['the legacy route with a slash', `/v2/repositories/library/demo/tags/`],
  ])('serves the same list on %s', async (_, path) => {
    const { body } = await hubGet(`${path}?page_size=100`);
    expect(body.results.map((t) => t.name).sort()).toEqual(Object.keys(demo.tags).sort());
  });

  it('caps page_size at 100', async () => {
    const { body } = await hubGet('/v2/namespaces/bench/repositories/app/tags?page_size=1000');
    expect(body.results).toHaveLength(HUB.maxPageSize);
    expect(body.count).toBe(SCALE_OPTIONS.tags);
    expect(new URL(body.next!).searchParams.get('page')).toBe('2');
  });

  it('answers 404 for an unknown repository and an unknown tag, and for a page past the end', async () => {
    expect((await hubGet('/v2/namespaces/library/repositories/nope/tags')).response.status).toBe(404);
    expect((await hubGet('/v2/namespaces/library/repositories/demo/tags/nope')).response.status).toBe(404);
    expect((await hubGet(`${tags}?page=3`)).response.status).toBe(404);
  });
});

describe('Hub emulator: ordering and the name filter', () => {
  const list = async (query: string) => (await hubGet(`/v2/namespaces/library/repositories/demo/tags?page_size=100&${query}`)).body.results;

  it.each([
    ['no ordering: newest first', ''],
    ['ordering=last_updated: newest first', 'ordering=last_updated'],
  ])('%s', async (_, query) => {
    const times = (await list(query)).map((t) => Date.parse(t.last_updated));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(new Set(times).size).toBe(times.length);
  });

  it('ordering=-last_updated: oldest first, the exact reverse', async () => {
    const newest = (await list('ordering=last_updated')).map((t) => t.name);
    expect((await list('ordering=-last_updated')).map((t) => t.name)).toEqual([...newest].reverse());
  });

  it('ordering=name: A to Z', async () => {
    const names = (await list('ordering=name')).map((t) => t.name);
    expect(names).toEqual(Object.keys(demo.tags).sort());
  });

  it('name filters by substring, and count follows the filter', async () => {
    const { body } = await hubGet('/v2/namespaces/library/repositories/demo/tags?name=12.9');
    expect(body.results.map((t) => t.name).sort()).toEqual(['3.12.9', '3.12.9-r0']);
    expect(body.count).toBe(2);
  });
});

describe('Hub emulator: the anonymous offset cap and tokens', () => {
  const scaleTags = `/v2/namespaces/bench/repositories/app/tags`;

  it.each([
    ['page 11 of 100', 'page=11&page_size=100'],
    ['page 101 of 10', 'page=101&page_size=10'],
    ['page 11 of 100 on a small repository', 'page=11&page_size=100', '/v2/namespaces/library/repositories/demo/tags'],
  ])('refuses %s anonymously with 403 and Hub’s body', async (_, query, path = scaleTags) => {
    const { response, body } = await hubGet<unknown>(`${path}?${query}`);
    expect(response.status).toBe(403);
    expect(body).toEqual({ message: 'pagination offset too large for anonymous requests; sign in to page further', errinfo: {} });
  });

  it('serves page 10 of 100 anonymously, with next pointing at the capped page', async () => {
    const { response, body } = await hubGet(`${scaleTags}?page=10&page_size=100`);
    expect(response.status).toBe(200);
    expect(body.results).toHaveLength(100);
    expect((await hubGet<unknown>(body.next!)).response.status).toBe(403);
  });

  it('lifts the cap for a token from POST /v2/auth/token, and refuses a wrong secret', async () => {
    expect((await signIn(HUB_USER.identifier, 'wrong')).status).toBe(401);
    const response = await signIn(HUB_USER.identifier, HUB_USER.secret);
    expect(response.status).toBe(200);
    const { access_token: token } = (await response.json()) as { access_token: string };
    expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const { names, pages } = await allTags(`${scaleTags}?page_size=100`, token);
    expect(pages).toBe(25);
    expect(new Set(names).size).toBe(SCALE_OPTIONS.tags);
    expect((await hubGet(`${scaleTags}?page=11&page_size=100`, 'not-a-token')).response.status).toBe(403);
  });
});

describe('Hub emulator: rate limit', () => {
  afterAll(() => {
    hub.options.rateLimit = { limit: 180, windowSeconds: 60 };
    hub.reset();
  });

  it('carries X-RateLimit-* on every answer and answers 429 with Retry-After past the limit', async () => {
    hub.reset();
    const { response: first } = await hubGet<unknown>('/v2/namespaces/library/repositories/demo');
    expect(first.headers.get('x-ratelimit-limit')).toBe('180');
    expect(first.headers.get('x-ratelimit-remaining')).toBe('179');
    expect(Number(first.headers.get('x-ratelimit-reset'))).toBeGreaterThan(Date.now() / 1000);

    hub.options.rateLimit = { limit: 3, windowSeconds: 60 };
    hub.reset();
    const remaining: (string | null)[] = [];
    for (const path of ['/v2/namespaces/library/repositories/demo/tags', '/v2/namespaces/library/repositories/nope/tags', '/v2/namespaces/library/repositories/demo']) {
      remaining.push((await hubGet<unknown>(path)).response.headers.get('x-ratelimit-remaining'));
    }
    expect(remaining).toEqual(['2', '1', '0']);
    const { response, body } = await hubGet<unknown>('/v2/namespaces/library/repositories/demo/tags');
    expect(response.status).toBe(429);
    expect(body).toEqual({ detail: 'Rate limit exceeded', error: false });
    expect(Number(response.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(response.headers.get('x-ratelimit-remaining')).toBe('0');
  });
});

describe('Hub emulator: tag objects describe the registry, with Hub’s quirks', () => {
  let tags: Map<string, HubTag>;
  beforeAll(async () => {
    const { body } = await hubGet('/v2/namespaces/library/repositories/demo/tags?page_size=100');
    tags = new Map(body.results.map((t) => [t.name, t]));
  });

  it('gives every tag and image every field of §1.4 (the legacy tag has no digest)', () => {
    for (const tag of tags.values()) {
      const expected = tag.name === '3.12.9-r0' ? TAG_FIELDS.filter((f) => f !== 'digest') : TAG_FIELDS;
      expect(Object.keys(tag).sort(), tag.name).toEqual(expected);
      for (const image of tag.images) expect(Object.keys(image).sort()).toEqual(IMAGE_FIELDS);
    }
  });

  it('multi-platform: the index digest, platforms out of index order, attestations as unknown/unknown, full_size of the first platform', async () => {
    const truth = demo.tags['3.13']!;
    const tag = tags.get('3.13')!;
    expect([tag.digest, tag.media_type, tag.content_type]).toEqual([truth.digest, MT.ociIndex, 'image']);
    const platforms = tag.images.filter((i) => i.os !== 'unknown');
    expect(platforms.map((i) => i.digest)).not.toEqual(truth.platforms.map((p) => p.digest));
    expect(platforms.map((i) => [i.digest, `${i.os}/${i.architecture}${i.variant ? `/${i.variant}` : ''}`, i.size]).sort()).toEqual(
      truth.platforms.map((p) => [p.digest, p.platform, p.compressedSize]).sort(),
    );
    const attestations = tag.images.filter((i) => i.os === 'unknown' && i.architecture === 'unknown');
    expect(attestations.map((i) => i.digest).sort()).toEqual(truth.attestations.map((a) => a.digest).sort());
    for (const a of attestations) expect(a.size).toBeGreaterThan(16_000);
    expect(tag.full_size).toBe(truth.platforms[0]!.compressedSize);
    expect(tag.full_size).not.toBe(platforms.reduce((sum, i) => sum + i.size, 0));
    // What the Hub lists is what the registry serves.
    for (const image of tag.images) {
      const head = await fetch(`${harness.open.url}/v2/${DEMO}/manifests/${image.digest}`, { method: 'HEAD', headers: { accept: FULL_ACCEPT } });
      expect(head.headers.get('docker-content-digest')).toBe(image.digest);
    }
  });

  it('a Docker manifest list keeps its list media type', () => {
    expect(tags.get('3.12')!.media_type).toBe(MT.dockerList);
  });

  it('single-platform: media_type is the config type and digest is images[0].digest', () => {
    for (const name of ['single-docker', 'single-oci']) {
      const tag = tags.get(name)!;
      expect(tag.media_type).toBe(MT.dockerConfig);
      expect(tag.images).toHaveLength(1);
      expect(tag.digest).toBe(tag.images[0]!.digest);
      expect(tag.digest).toBe(demo.tags[name]!.digest);
    }
  });

  it('legacy: no digest and full_size 0; alias: images []', () => {
    expect('digest' in tags.get('3.12.9-r0')!).toBe(false);
    expect(tags.get('3.12.9-r0')!.full_size).toBe(0);
    expect(tags.get('3.12.9')!.images).toEqual([]);
    expect(tags.get('3.12.9')!.digest).toBe(demo.tags['3.12.9']!.digest);
  });

  it('writes timestamps with 0, 6 and 9 fractional digits', () => {
    const digits = new Set([...tags.values()].map((t) => /(?:\.(\d+))?Z$/.exec(t.last_updated)?.[1]?.length ?? 0));
    expect([...digits].sort()).toEqual([0, 6, 9]);
    for (const t of tags.values()) expect(Number.isNaN(Date.parse(t.last_updated))).toBe(false);
  });

  it('answers one tag as the list does, and the repository info', async () => {
    expect((await hubGet<HubTag>('/v2/namespaces/library/repositories/demo/tags/3.13')).body).toEqual(tags.get('3.13'));
    const { body } = await hubGet<Record<string, unknown>>('/v2/namespaces/library/repositories/demo');
    expect(body).toMatchObject({ namespace: 'library', name: 'demo', is_private: false, star_count: expect.any(Number), pull_count: expect.any(Number) });
    expect(Date.parse(body.last_updated as string)).toBe(Math.max(...[...tags.values()].map((t) => Date.parse(t.last_updated))));
  });
});

describe('Hub emulator: disagreeing and failing', () => {
  it('can list a stale digest for one tag while the registry serves another', async () => {
    const real = demo.tags.latest!.digest;
    const stale = hub.disagree(DEMO, 'latest');
    try {
      expect((await hubGet<HubTag>('/v2/namespaces/library/repositories/demo/tags/latest')).body.digest).toBe(stale);
      const head = await fetch(`${harness.open.url}/v2/${DEMO}/manifests/latest`, { method: 'HEAD', headers: { accept: FULL_ACCEPT } });
      expect(head.headers.get('docker-content-digest')).toBe(real);
      expect(stale).not.toBe(real);
    } finally {
      hub.disagree(DEMO, 'latest', real);
    }
  });

  /** What a client sees: the status and the body as JSON, or `not json`. */
  const observe = async (response: Response) => {
    const text = await response.text();
    try {
      return [response.status, JSON.parse(text) as unknown];
    } catch {
      return [response.status, 'not json'];
    }
  };

  it.each([
    ['a 500', { answer: 'error' } as const, [500, HUB_ERRORS.internal]],
    ['a 503', { answer: 'error', status: 503 } as const, [503, HUB_ERRORS.internal]],
    ['garbage', { answer: 'garbage' } as const, [200, 'not json']],
    ['another schema', { answer: 'schema' } as const, [200, expect.not.objectContaining({ results: expect.anything() })]],
  ])('answers %s once when told, then the list again', async (_, fault, expected) => {
    hub.options.fault = { ...fault, times: 1 };
    const path = `${hub.url}/v2/namespaces/library/repositories/demo/tags`;
    expect(await observe(await fetch(path))).toEqual(expected);
    expect((await fetch(path)).status).toBe(200);
  });

  it('can drop the connection', async () => {
    hub.options.fault = { answer: 'reset', kinds: ['tag'], times: 1 };
    await expect(fetch(`${hub.url}/v2/namespaces/library/repositories/demo/tags/latest`)).rejects.toThrow();
    expect(hub.options.fault).toBeNull();
  });

  it('logs requests by kind', async () => {
    hub.reset();
    await hubGet('/v2/namespaces/library/repositories/demo/tags');
    await hubGet('/v2/repositories/library/demo/tags/latest');
    await hubGet('/v2/namespaces/library/repositories/demo');
    await hubGet('/v2/namespaces/library/repositories');
    await hubGet('/v2/search/repositories/?query=demo');
    await signIn(HUB_USER.identifier, HUB_USER.secret);
    expect(hub.counts()).toEqual({ tagList: 1, tag: 1, repository: 1, namespaceList: 1, search: 1, token: 1, other: 0 });
    expect(hub.log.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
  });
});

describe('Hub emulator: a namespace\'s repositories and search (§3)', () => {
  const NAMESPACE_FIELDS = [
    'name', 'namespace', 'repository_type', 'status', 'status_description', 'description', 'is_private', 'star_count', 'pull_count',
    'last_updated', 'last_modified', 'date_registered', 'affiliation', 'media_types', 'content_types', 'categories', 'storage_size',
  ].sort();

  it('lists a namespace in the paging envelope, with the fields listNamespaceRepositories documents', async () => {
    const { response, body } = await hubGet<{ count: number; next: string | null; results: Record<string, unknown>[] }>('/v2/namespaces/library/repositories?page_size=100');
    expect(response.status).toBe(200);
    expect(body).toMatchObject({ count: 1, next: null });
    expect(Object.keys(body.results[0]!).sort()).toEqual(NAMESPACE_FIELDS);
    expect(body.results[0]).toMatchObject({ name: 'demo', namespace: 'library', star_count: 42, pull_count: 1_234_567 });
  });

  it('filters by part of the name; an unknown namespace is 404', async () => {
    expect((await hubGet<Page>('/v2/namespaces/bench/repositories?name=ap')).body.count).toBe(1);
    expect((await hubGet<Page>('/v2/namespaces/bench/repositories?name=zzz')).body.count).toBe(0);
    const { response, body } = await hubGet('/v2/namespaces/nobody/repositories');
    expect(response.status).toBe(404);
    expect(body).toEqual(HUB_ERRORS.notFound);
  });

  it('searches namespace/name and descriptions; an official image\'s repo_name has no namespace', async () => {
    const { body } = await hubGet<{ count: number; results: Record<string, unknown>[] }>('/v2/search/repositories/?query=demo');
    expect(body.results).toEqual([
      { repo_name: 'demo', short_description: 'library/demo, described by the Tagscope test Hub', star_count: 42, pull_count: 1_234_567, repo_owner: '', is_automated: false, is_official: true },
    ]);
    expect((await hubGet<Page>('/v2/search/repositories/?query=BENCH')).body.results.map((r) => (r as unknown as { repo_name: string }).repo_name)).toEqual(['bench/app']);
    expect((await hubGet<Page>('/v2/search/repositories/?query=nothing-like-it')).body.count).toBe(0);
  });

  it('a search without a query is 400', async () => {
    expect((await hubGet('/v2/search/repositories/')).response.status).toBe(400);
  });
});

describe('Hub emulator: scale', () => {
  it('builds 2,500 tags quickly, named as seedScaleRepository names them', () => {
    const started = performance.now();
    const repository = hubRepositoryFromTruth(syntheticScaleTruth('docker.io/bench/other', SCALE_OPTIONS));
    expect(performance.now() - started).toBeLessThan(1_000);
    expect(repository.tags.map((t) => t.name).sort()).toEqual(scaleLayout(SCALE_OPTIONS).flatMap((i) => i.tags).sort());
    expect(new Set(repository.tags.map((t) => t.digest)).size).toBe(SCALE_OPTIONS.indexes);
  });
});

describe('front: Docker Hub pull limit', () => {
  let front: Front;
  const WINDOW = 21_600;
  const manifest = (method: 'GET' | 'HEAD', reference = 'latest') =>
    fetch(`${front.url}/v2/${DEMO}/manifests/${reference}`, { method, headers: { accept: FULL_ACCEPT } });
  beforeAll(async () => {
    front = await startFront(harness.open.url, { pullLimit: { limit: 2, windowSeconds: WINDOW } });
  });
  afterAll(async () => {
    await front.stop();
  });

  it('counts GETs, not HEADs, says so in ratelimit headers, and answers 429 at 0 while HEAD still answers', async () => {
    const head = await manifest('HEAD');
    expect(head.status).toBe(200);
    expect([head.headers.get('ratelimit-limit'), head.headers.get('ratelimit-remaining'), head.headers.get('docker-ratelimit-source')]).toEqual([
      `2;w=${WINDOW}`,
      `2;w=${WINDOW}`,
      '127.0.0.1',
    ]);
    expect((await manifest('GET', 'no-such-tag')).status).toBe(404);
    const remaining: (string | null)[] = [];
    for (const reference of ['latest', demo.tags.latest!.platforms[0]!.digest]) {
      const response = await manifest('GET', reference);
      expect(response.status).toBe(200);
      remaining.push(response.headers.get('ratelimit-remaining'));
    }
    expect(remaining).toEqual([`1;w=${WINDOW}`, `0;w=${WINDOW}`]);

    const refused = await manifest('GET');
    expect(refused.status).toBe(429);
    expect(await refused.json()).toEqual(TOO_MANY_PULLS);
    expect(refused.headers.get('ratelimit-remaining')).toBe(`0;w=${WINDOW}`);
    const stillHead = await manifest('HEAD');
    expect([stillHead.status, stillHead.headers.get('docker-content-digest')]).toEqual([200, demo.tags.latest!.digest]);
    expect(front.pulls()).toBe(2);
    expect(front.counts()).toMatchObject({ manifestGet: 4, manifestHead: 2 });
  });

  it('starts over on reset(), and blobs and tag lists spend nothing', async () => {
    front.reset();
    expect(front.pulls()).toBe(0);
    expect((await fetch(`${front.url}/v2/${DEMO}/tags/list`)).status).toBe(200);
    const config = demo.tags['single-docker']!.platforms[0]!.configDigest;
    expect((await fetch(`${front.url}/v2/${DEMO}/blobs/${config}`)).status).toBe(200);
    const response = await manifest('GET');
    expect(response.headers.get('ratelimit-remaining')).toBe(`1;w=${WINDOW}`);
    expect(front.pulls()).toBe(1);
  });

  it('leaves the headers out when there is no pull limit', async () => {
    front.options.pullLimit = null;
    try {
      expect((await manifest('GET')).headers.get('ratelimit-limit')).toBeNull();
      expect(front.pulls()).toBe(1);
    } finally {
      front.options.pullLimit = { limit: 2, windowSeconds: WINDOW };
    }
  });
});

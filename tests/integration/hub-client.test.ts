// The Docker Hub web-API client on the registry client's transport, against the Hub emulator
// (tests/support/harness/hub.ts) describing the harness registry, and the pull budget against
// the pull-counting front (docs/docker-hub-api.md §1–§2): paging to the end, the anonymous
// offset cap, a token lifting it, the API's rate limit, garbage falling back as UPSTREAM, the
// address policy, and GETs refused for the reserve while HEADs still go out.
import http from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { HubClient } from '@/lib/hub';
import { CredentialStore, LIMITS, parseReference, RegistryClient, Transport, type RegistryError, type RequestEvent, type TransportOptions } from '@/lib/registry';
import { caught } from '../support/caught';
import { listenOnLoopback } from '../support/ports';
import { emulatedWebApi, REFUSED_API_BASES, startEndlessHubApi } from '../support/web-api';
import { startFront, type Front } from '../support/harness/front';
import { HUB_USER, hubRepositoryFromTruth, hubTag, startHubEmulator, syntheticScaleTruth, type HubEmulator } from '../support/harness/hub';
import { FULL_ACCEPT } from '../support/http';

const harness = inject('harness');
const demo = harness.truth.demo;
const HUB_CREDENTIALS = () => new CredentialStore([['https://index.docker.io/v1/', { username: HUB_USER.identifier, password: HUB_USER.secret }]]);

let hub: HubEmulator;

/** A transport whose docker.io web API is the emulator (listed as insecure: it is on loopback). */
function hubClient(options: TransportOptions & { baseUrl?: string } = {}): { client: HubClient; events: RequestEvent[] } {
  const { transport, events } = emulatedWebApi('docker.io', 'hub', hub, options);
  return { client: HubClient.for(transport)!, events };
}

/** A few lines of HTTP on loopback, recording what reached it. */
interface Recorder {
  host: string;
  url: string;
  requests: { method: string; path: string; authorization: string | null; body: string }[];
  stop(): Promise<void>;
}

async function startRecorder(answer: (req: http.IncomingMessage, res: http.ServerResponse, self: string) => void): Promise<Recorder> {
  const requests: Recorder['requests'] = [];
  let self = '';
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    requests.push({ method: req.method ?? '', path: req.url ?? '', authorization: req.headers.authorization ?? null, body: Buffer.concat(chunks).toString() });
    answer(req, res, self);
  });
  const { host, url, stop } = await listenOnLoopback(server);
  self = url;
  return { host, url, requests, stop };
}

function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

beforeAll(async () => {
  hub = await startHubEmulator({
    repositories: [
      hubRepositoryFromTruth(demo, { tagQuirks: { '3.12.9-r0': { legacy: true }, '3.12.9': { emptyImages: true } } }),
      hubRepositoryFromTruth(syntheticScaleTruth('docker.io/library/some', { tags: 250, indexes: 25 })),
      hubRepositoryFromTruth(syntheticScaleTruth('docker.io/library/many', { tags: 1_050, indexes: 50 })),
    ],
  });
});
afterAll(async () => {
  await hub?.stop();
});
beforeEach(() => {
  hub.reset();
  hub.options.fault = null;
  hub.options.rateLimit = { limit: 180, windowSeconds: 60 };
});

describe('listing tags', () => {
  it('follows next to the end: every tag once, 100 a page, newest first, anonymous', async () => {
    const { client } = hubClient();
    const pages: number[] = [];
    const list = await client.listTags('library/some', { onPage: (page) => pages.push(page.tags.length) });
    expect(list).toMatchObject({ count: 250, pages: 3, cappedAt: null, truncatedBy: null, invalidTags: 0 });
    expect(pages).toEqual([100, 100, 50]);
    const served = hub.repository('library/some').tags;
    expect(list.tags.map((t) => t.name).sort()).toEqual(served.map((t) => t.name).sort());
    const pushed = list.tags.map((t) => Date.parse(t.lastPushed!));
    expect(pushed).toEqual([...pushed].sort((a, b) => b - a));
    expect(hub.log.map((r) => [r.kind, r.authenticated])).toEqual([['tagList', false], ['tagList', false], ['tagList', false]]);
    expect(hub.log[0]!.path).toBe('/v2/namespaces/library/repositories/some/tags?page_size=100&ordering=last_updated');
  });

  it('describes the harness registry as it is: index digests, platform digests and sizes, attestations marked', async () => {
    const { client } = hubClient();
    const list = await client.listTags(parseReference('docker.io/library/demo'));
    const latest = list.tags.find((t) => t.name === 'latest')!;
    const truth = demo.tags.latest!;
    expect(latest.digest).toBe(truth.digest);
    expect(latest.images.filter((i) => !i.attestation).map((i) => [i.digest, i.size]).sort()).toEqual(truth.platforms.map((p) => [p.digest, p.compressedSize]).sort());
    expect(latest.images.filter((i) => i.attestation).map((i) => i.digest).sort()).toEqual(truth.attestations.map((a) => a.digest).sort());
    expect(list.tags.find((t) => t.name === '3.12.9-r0')).toMatchObject({ digest: null, lastPulled: null });
    expect(list.tags.find((t) => t.name === '3.12.9')!.images).toEqual([]);
  });

  it('stops cleanly at the anonymous offset cap: 1,000 tags, capped, the 403 never retried', async () => {
    const { client } = hubClient();
    const list = await client.listTags('library/many');
    expect(list).toMatchObject({ pages: 10, cappedAt: 1_000, truncatedBy: null });
    expect(list.tags).toHaveLength(1_000);
    expect(hub.log.map((r) => r.status)).toEqual([...Array(10).fill(200), 403]);
  });

  it('signs in with the docker.io credentials (POST /v2/auth/token) and pages past the cap, one token for every request', async () => {
    const { client } = hubClient({ credentials: HUB_CREDENTIALS() });
    const list = await client.listTags('library/many');
    expect(list).toMatchObject({ pages: 11, cappedAt: null, count: 1_050 });
    expect(list.tags).toHaveLength(1_050);
    await client.getTag('library/many', list.tags[0]!.name);
    await client.getRepository('library/many');
    expect(hub.counts()).toMatchObject({ token: 1, tagList: 11, tag: 1, repository: 1 });
    expect(hub.log.filter((r) => r.kind !== 'token').every((r) => r.authenticated)).toBe(true);
  });
});

describe('the Hub token', () => {
  it('is renewed before its 10 minutes are up', async () => {
    let now = Date.now();
    const transport = new Transport({ insecureRegistries: [hub.host], credentials: HUB_CREDENTIALS() });
    const client = new HubClient(transport, 'docker.io', new URL(hub.url), { now: () => now });
    await client.getRepository('library/demo');
    now += 8 * 60_000;
    await client.getRepository('library/demo');
    expect(hub.counts().token).toBe(1);
    now += 90_000;
    await client.getRepository('library/demo');
    expect(hub.counts().token).toBe(2);
  });

  it('a refused secret is DENIED, and the secret is in no message', async () => {
    const credentials = new CredentialStore([['docker.io', { username: HUB_USER.identifier, password: 'wrong-secret-1234' }]]);
    const error = await caught(hubClient({ credentials }).client.listTags('library/demo'));
    expect(error.code).toBe('DENIED');
    expect(JSON.stringify({ message: error.message, details: error.details })).not.toContain('wrong-secret-1234');
    expect(hub.counts()).toMatchObject({ token: 1, tagList: 0 });
  });

  it('goes only to the API host: a redirect drops Authorization, and a redirected POST is not re-sent', async () => {
    const elsewhere = await startRecorder((_, res) => json(res, 200, { count: 0, next: null, results: [] }));
    const api = await startRecorder((req, res) => {
      if (req.url === '/v2/auth/token') return json(res, 200, { access_token: 'hub-token' });
      res.writeHead(302, { location: `${elsewhere.url}${req.url}` }).end();
    });
    try {
      const options = { insecureRegistries: [api.host, elsewhere.host], credentials: HUB_CREDENTIALS(), baseUrl: api.url };
      await hubClient(options).client.listTags('library/demo');
      expect(api.requests.map((r) => [r.method, r.authorization])).toEqual([['POST', null], ['GET', 'Bearer hub-token']]);
      expect(JSON.parse(api.requests[0]!.body)).toEqual({ identifier: HUB_USER.identifier, secret: HUB_USER.secret });
      expect(elsewhere.requests.map((r) => [r.method, r.authorization])).toEqual([['GET', null]]);

      const redirecting = await startRecorder((req, res) => res.writeHead(307, { location: `${elsewhere.url}${req.url}` }).end());
      try {
        elsewhere.requests.length = 0;
        const error = await caught(hubClient({ ...options, insecureRegistries: [redirecting.host, elsewhere.host], baseUrl: redirecting.url }).client.listTags('library/demo'));
        expect(error.code).toBe('UPSTREAM');
        expect(elsewhere.requests).toEqual([]);
      } finally {
        await redirecting.stop();
      }
    } finally {
      await api.stop();
      await elsewhere.stop();
    }
  });
});

describe('single tags and repositories', () => {
  it('getTag and getRepository read library/demo; unknown names are MANIFEST_UNKNOWN and NAME_UNKNOWN', async () => {
    const { client } = hubClient();
    const tag = await client.getTag('library/demo', '3.14');
    expect(tag.digest).toBe(demo.tags['3.14']!.digest);
    const repository = await client.getRepository(parseReference('demo'));
    expect(repository).toMatchObject({ namespace: 'library', name: 'demo', starCount: 42, pullCount: 1_234_567 });
    expect(repository.lastUpdated).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
    expect((await caught(client.getTag('library/demo', 'nope'))).code).toBe('MANIFEST_UNKNOWN');
    expect((await caught(client.listTags('library/nope'))).code).toBe('NAME_UNKNOWN');
    expect((await caught(client.getRepository('nobody/nope'))).code).toBe('NAME_UNKNOWN');
  });
});

/** One tag as the Hub API answers it, for the tests' own servers. */
const TAG = hubTag({ name: 'latest', digest: `sha256:${'a'.repeat(64)}` });

describe("the API's rate limit (X-RateLimit-*, 429 with Retry-After)", () => {
  it('a 429 with a short Retry-After is waited out, and the listing completes', async () => {
    hub.options.rateLimit = { limit: 1, windowSeconds: 1 };
    await fetch(`${hub.url}/v2/namespaces/library/repositories/demo`); // someone else spends this second's request
    const list = await hubClient().client.listTags('library/demo');
    expect(list.tags.length).toBe(Object.keys(demo.tags).length);
    expect(hub.log.filter((r) => r.kind === 'tagList').map((r) => r.status)).toEqual([429, 200]);
  });

  it('a long Retry-After is TOOMANYREQUESTS with its wait; then nothing is sent until it passes', async () => {
    hub.options.rateLimit = { limit: 1, windowSeconds: 120 };
    await fetch(`${hub.url}/v2/namespaces/library/repositories/demo`);
    const { client } = hubClient();
    const error = await caught(client.listTags('library/demo'));
    expect(error.code).toBe('TOOMANYREQUESTS');
    expect(error.details.retryAfter).toBeGreaterThan(100);
    expect(hub.log.map((r) => r.status)).toEqual([200, 429]);
    const again = await caught(client.getTag('library/demo', 'latest'));
    expect(again.code).toBe('TOOMANYREQUESTS');
    expect(hub.log).toHaveLength(2);
  });

  it.each([
    ['a 429 with Retry-After: 999999', (res: http.ServerResponse) => json(res, 429, { detail: 'slow down' }, { 'retry-after': '999999' })],
    [
      'X-RateLimit-Remaining: 0 with a reset in 11.6 days',
      (res: http.ServerResponse, now: number) => json(res, 200, TAG, { 'x-ratelimit-limit': '180', 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(Math.floor(now / 1000) + 999_999) }),
    ],
  ])('%s pauses the API for LIMITS.maxRateLimitPauseMs at most; then it is used again', async (_, limited) => {
    let clock = Date.parse('2026-12-01T00:00:00Z');
    const api = await startRecorder((_req, res) => (api.requests.length === 1 ? limited(res, clock) : json(res, 200, TAG)));
    try {
      const { client } = hubClient({ baseUrl: api.url, insecureRegistries: [api.host], now: () => clock });
      // The limited answer: a 429 is thrown, the reset's answer is used.
      await client.getTag('library/demo', 'latest').catch((error: RegistryError) => expect(error.details.retryAfter).toBe(LIMITS.maxRateLimitPauseMs / 1000));
      // Paused: nothing goes out, and the wait it names is the cap at most.
      const paused = await caught(client.getTag('library/demo', 'latest'));
      expect(paused.code).toBe('TOOMANYREQUESTS');
      expect(paused.details.retryAfter).toBeLessThanOrEqual(LIMITS.maxRateLimitPauseMs / 1000);
      expect(api.requests).toHaveLength(1);
      clock += LIMITS.maxRateLimitPauseMs + 1_000;
      expect((await client.getTag('library/demo', 'latest')).digest).toBe(TAG.digest);
      expect(api.requests).toHaveLength(2);
    } finally {
      await api.stop();
    }
  });

  it('X-RateLimit-Remaining: 0 holds the next request until the reset, without a 429', async () => {
    hub.options.rateLimit = { limit: 1, windowSeconds: 120 };
    const { client } = hubClient();
    await client.getTag('library/demo', 'latest');
    expect((await caught(client.getTag('library/demo', '3.14'))).code).toBe('TOOMANYREQUESTS');
    expect(hub.log.map((r) => r.status)).toEqual([200]);
  });
});

describe('a hostile web API: ~4 MB tag pages with endless next links', () => {
  it.each([
    ['anonymous', () => undefined],
    ['signed in (every page is known from count, and asked for ahead)', HUB_CREDENTIALS],
  ])('%s: the listing stops at its byte cap, says so, and asks for a few pages ahead at most', async (_, credentials) => {
    const api = await startEndlessHubApi();
    try {
      const { client } = hubClient({ baseUrl: api.url, insecureRegistries: [api.host], credentials: credentials(), concurrency: 32 });
      // maxPages well above where the byte cap ends it (about 8 pages), and low enough that a client without the cap survives to fail.
      const list = await client.listTags('library/demo', { maxPages: 40 });
      // Pages asked for: those read, the one cut short, and at most webApiPagesAhead ahead.
      expect(api.tagPages()).toBeLessThanOrEqual(list.pages + 1 + LIMITS.webApiPagesAhead);
      expect(list.truncatedBy).toBe(`the tags of library/demo is larger than ${LIMITS.webApiListBytes} bytes`);
      expect(list.pages).toBeGreaterThanOrEqual(Math.floor(LIMITS.webApiListBytes / 4_000_000));
      expect(list.pages * 3_900_000).toBeLessThanOrEqual(LIMITS.webApiListBytes);
      expect(list.tags).toHaveLength(list.pages * 100);
    } finally {
      await api.stop();
    }
  });

  it('a listing of repositories stops at its item cap', async () => {
    const entries = 60_000;
    const api = await startRecorder((req, res, self) => {
      const url = new URL(req.url ?? '/', self);
      const page = Number(url.searchParams.get('page') ?? 1);
      const next = new URL(url);
      next.searchParams.set('page', String(page + 1));
      const results = Array.from({ length: entries }, (_, i) => ({ name: `r${page}-${i}`, namespace: 'flood' }));
      json(res, 200, { count: null, next: next.href, previous: null, results });
    });
    try {
      const { client } = hubClient({ baseUrl: api.url, insecureRegistries: [api.host] });
      const list = await client.listRepositories('flood');
      expect(list.truncatedBy).toBe(`${api.host} lists more than ${LIMITS.webApiItems} repositories`);
      expect(list.repositories).toHaveLength(LIMITS.webApiItems);
      expect(api.requests).toHaveLength(Math.ceil(LIMITS.webApiItems / entries));
    } finally {
      await api.stop();
    }
  });
});

describe('an answer Tagscope cannot use is UPSTREAM, so the caller can fall back to the registry', () => {
  it.each([
    ['not JSON', { answer: 'garbage' as const }, 'that is not JSON', 1],
    ['another shape', { answer: 'schema' as const }, 'Tagscope cannot read', 1],
    ['HTTP 500, after two retries', { answer: 'error' as const, status: 500 }, 'answered HTTP 500', 3],
  ])('%s', async (_, fault, message, requests) => {
    hub.options.fault = fault;
    const error = await caught(hubClient().client.listTags('library/demo'));
    expect(error.code).toBe('UPSTREAM');
    expect(error.message).toContain(message);
    expect(hub.log).toHaveLength(requests);
  });

  it('a digest off the grammar makes the page unreadable, not a link', async () => {
    const tag = hub.repository('library/demo').tags.find((t) => t.name === 'latest')!;
    const digest = tag.digest;
    tag.digest = 'sha256:../../../etc/passwd';
    try {
      expect((await caught(hubClient().client.listTags('library/demo'))).code).toBe('UPSTREAM');
    } finally {
      tag.digest = digest;
    }
  });

  it('a 503 that clears is retried and the answer used', async () => {
    hub.options.fault = { answer: 'error', status: 503, times: 1 };
    const list = await hubClient().client.listTags('library/demo');
    expect(list.tags.length).toBeGreaterThan(0);
    expect(hub.log.map((r) => r.status)).toEqual([503, 200]);
  });
});

describe('the address policy holds for the API host', () => {
  it.each(REFUSED_API_BASES)('%s is refused, and nothing is sent', async (_, base) => {
    const { client, events } = hubClient({ insecureRegistries: [], baseUrl: base(hub.host.split(':')[1]!) });
    const error = await caught(client.listTags('library/demo'));
    expect(error.code).toBe('ADDRESS_NOT_ALLOWED');
    expect(events.filter((e) => e.status !== null)).toEqual([]);
    expect(hub.log).toEqual([]);
  });

  it('a next page on another host is not followed, even a host that is allowed', async () => {
    const other = await startRecorder((_, res) => json(res, 200, { count: 0, next: null, results: [] }));
    const api = await startRecorder((_, res) => json(res, 200, { count: 2, next: `${other.url}/v2/namespaces/library/repositories/demo/tags?page=2`, results: [] }));
    try {
      const error = await caught(hubClient({ insecureRegistries: [api.host, other.host], baseUrl: api.url }).client.listTags('library/demo'));
      expect(error.code).toBe('ADDRESS_NOT_ALLOWED');
      expect(error.message).toContain(other.host);
      expect(other.requests).toEqual([]);
    } finally {
      await api.stop();
      await other.stop();
    }
  });
});

describe('the pull budget: a reserve of the registry pull limit is never spent', () => {
  let front: Front;
  beforeAll(async () => {
    front = await startFront(harness.open.url);
  });
  afterAll(async () => {
    await front?.stop();
  });

  it('GETs go out until the reserve; the next is PULL_RESERVE with nothing sent; HEADs still go out', async () => {
    front.reset();
    front.options.pullLimit = { limit: 10, windowSeconds: 21_600 };
    const events: RequestEvent[] = [];
    const client = new RegistryClient({ insecureRegistries: [front.host], onRequest: (e) => events.push(e) });
    const repo = parseReference(`${front.host}/library/demo`);
    await client.headManifest(repo, 'latest');
    expect(client.transport.pulls(front.host)).toEqual({ limit: 10, remaining: 10, windowSeconds: 21_600, reserve: 2, resetsAt: expect.any(String) });
    for (let i = 0; i < 8; i++) await client.getManifest(repo, 'latest');
    expect(front.pulls()).toBe(8);
    expect(client.transport.pulls(front.host)).toMatchObject({ remaining: 2, reserve: 2 });

    const before = events.length;
    const error = await caught(client.getManifest(repo, '3.14'));
    expect(error.code).toBe('PULL_RESERVE');
    expect(error.message).toMatch(
      new RegExp(`^${front.host.replace(/\./g, '\\.')} has 2 of 10 pulls left for this server's address; Tagscope keeps the last 2 for the address's own docker pulls, so it did not GET library/demo:3\\.14: sign in with REGISTRY_AUTH_FILE, or wait for the window to reset \\(about \\d\\d:\\d\\d UTC, in 6 h\\)$`),
    );
    expect(error.details).toMatchObject({ ratelimitLimit: 10, ratelimitRemaining: 2, reserve: 2, retryAfter: expect.any(Number) });
    expect(events.length).toBe(before);
    expect(front.counts().manifestGet).toBe(8);

    const head = await client.headManifest(repo, '3.14');
    expect(head.digest).toBe(demo.tags['3.14']!.digest);
    expect(front.counts().manifestHead).toBe(2);
    expect(front.pulls()).toBe(8);
  });

  it('a 429 from the registry means none left: the next GET is refused without a request', async () => {
    front.reset();
    front.options.pullLimit = { limit: 3, windowSeconds: 21_600 };
    // The address's own docker pulls spend the limit; Tagscope has seen no numbers yet.
    for (let i = 0; i < 3; i++) await (await fetch(`${front.url}/v2/library/demo/manifests/latest`, { headers: { accept: FULL_ACCEPT } })).arrayBuffer();
    const client = new RegistryClient({ insecureRegistries: [front.host], pullReserve: { count: 0 } });
    const repo = parseReference(`${front.host}/library/demo`);
    expect(client.transport.pulls(front.host)).toBeNull();
    expect((await caught(client.getManifest(repo, 'latest'))).code).toBe('TOOMANYREQUESTS');
    expect(client.transport.pulls(front.host)).toMatchObject({ limit: 3, remaining: 0, reserve: 0 });
    const gets = front.counts().manifestGet;
    // Repeated by Tagscope, not asked again: the same code, nothing sent.
    expect((await caught(client.getManifest(repo, '3.14'))).code).toBe('TOOMANYREQUESTS');
    expect(front.counts().manifestGet).toBe(gets);
  });
});

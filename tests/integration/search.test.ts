// Finding a repository on Docker Hub, which has no catalog: its search and a namespace's
// repositories (listNamespaceRepositories), through the Hub client on the registry transport,
// the data function with its cache, and the API route called in this process as Next.js calls
// it — all against the Docker Hub emulator, configured as TAGSCOPE_REGISTRY_APIS says.
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import type { SearchResponse } from '@/lib/api/types';
import { Cache } from '@/lib/cache/cache';
import { searchRepositories } from '@/lib/data/search';
import { RegistryService } from '@/lib/data/service';
import { HubClient } from '@/lib/hub';
import { parseRegistryApis } from '@/lib/registry/environment';
import { CredentialStore, RegistryClient, type RequestEvent } from '@/lib/registry';
import { caught } from '../support/caught';
import { HUB_USER, hubRepository, hubRepositoryFromTruth, startHubEmulator, type HubEmulator } from '../support/harness/hub';

const harness = inject('harness');
const BULK = 250;
const pad = (i: number) => String(i).padStart(3, '0');

let hub: HubEmulator;
beforeAll(async () => {
  hub = await startHubEmulator({
    repositories: [
      hubRepositoryFromTruth(harness.truth.demo),
      hubRepository('library/redis', [], { description: 'Redis is an in-memory data store', star_count: 13_000, pull_count: 1_000_000_000 }),
      hubRepository('bitnami/redis', [], { description: 'Bitnami Redis', star_count: 300, pull_count: 500_000_000 }),
      hubRepository('someone/redis-tools', [], { description: 'tools', star_count: 1, pull_count: 42 }),
      ...Array.from({ length: BULK }, (_, i) => hubRepository(`bulk/app-${pad(i)}`, [], { description: `bulk app ${i}`, pull_count: 1_000 + i })),
      // Not a repository name (capitals): Hub would not have it, a hostile API might. Last by name and by pulls.
      hubRepository('bulk/zz-UPPER', [], { description: 'bulk app, off the grammar', pull_count: 0 }),
    ],
  });
});
afterAll(async () => {
  await hub?.stop();
});
beforeEach(() => {
  hub.reset();
  hub.options.fault = null;
});

function registryClient(options: { credentials?: CredentialStore; onRequest?: (event: RequestEvent) => void } = {}) {
  return new RegistryClient({ insecureRegistries: [hub.host], registryApis: parseRegistryApis(`docker.io=hub:${hub.url}`), ...options });
}
const hubClient = () => HubClient.for(registryClient().transport)!;
const service = (ttlMs = 60_000) => new RegistryService(registryClient(), new Cache(ttlMs));

describe('Hub search', () => {
  it('one page in Hub\'s ranking: official images as library/<name>, descriptions, stars and pulls, no invented dates', async () => {
    const list = await hubClient().search('redis');
    expect(list.repositories).toEqual([
      { namespace: 'library', name: 'redis', official: true, description: 'Redis is an in-memory data store', starCount: 13_000, pullCount: 1_000_000_000, lastUpdated: null },
      { namespace: 'bitnami', name: 'redis', official: false, description: 'Bitnami Redis', starCount: 300, pullCount: 500_000_000, lastUpdated: null },
      { namespace: 'someone', name: 'redis-tools', official: false, description: 'tools', starCount: 1, pullCount: 42, lastUpdated: null },
    ]);
    expect(list).toMatchObject({ count: 3, pages: 1, invalidRepositories: 0 });
    expect(hub.log.map((r) => r.path)).toEqual(['/v2/search/repositories/?page_size=100&query=redis']);
  });

  it('reads one page of 100 however many match, and the API says how many there are', async () => {
    const result = await searchRepositories('docker.io', { q: 'bulk' }, service());
    expect(result.repositories).toHaveLength(100);
    expect(result).toMatchObject({ count: BULK + 1, truncated: true });
    expect(hub.counts().search).toBe(1);
  });

  it('a name off the repository grammar is counted and left out', async () => {
    const list = await hubClient().search('off the grammar');
    expect(list).toMatchObject({ repositories: [], count: 1, invalidRepositories: 1 });
  });
});

describe('a Hub namespace\'s repositories', () => {
  it('every page, A→Z by name, the pages after the first asked for at once', async () => {
    const list = await hubClient().listRepositories('bulk');
    expect(list.repositories.map((r) => r.name)).toEqual(Array.from({ length: BULK }, (_, i) => `app-${pad(i)}`));
    expect(list).toMatchObject({ count: BULK + 1, pages: 3, invalidRepositories: 1, truncatedBy: null, cappedAt: null });
    expect(list.repositories[7]).toMatchObject({ namespace: 'bulk', official: false, description: 'bulk app 7', pullCount: 1_007, lastUpdated: null });
    // Pages 2 and 3 are in flight together: they may be answered in either order.
    expect(hub.log.map((r) => r.path).sort()).toEqual([
      '/v2/namespaces/bulk/repositories?page_size=100&ordering=name',
      '/v2/namespaces/bulk/repositories?page_size=100&ordering=name&page=2',
      '/v2/namespaces/bulk/repositories?page_size=100&ordering=name&page=3',
    ]);
  });

  it('library: the official images, with their last update', async () => {
    const list = await hubClient().listRepositories('library');
    expect(list.repositories.map((r) => `${r.namespace}/${r.name}`)).toEqual(['library/demo', 'library/redis']);
    expect(list.repositories.every((r) => r.official)).toBe(true);
    expect(list.repositories[0]!.lastUpdated).toMatch(/^\d{4}-\d{2}-\d{2}T/);
  });

  it('q is Hub\'s name filter', async () => {
    const list = await hubClient().listRepositories('bulk', { name: 'app-01' });
    expect(list.repositories.map((r) => r.name)).toEqual(Array.from({ length: 10 }, (_, i) => `app-01${i}`));
    expect(new URL(hub.log[0]!.path, hub.url).searchParams.get('name')).toBe('app-01');
  });

  it('is bounded in pages, and says so', async () => {
    const list = await hubClient().listRepositories('bulk', { maxPages: 2 });
    expect(list).toMatchObject({ pages: 2, truncatedBy: 'Docker Hub sent more than 2 pages of repositories' });
    expect(list.repositories).toHaveLength(200);
  });

  it('an unknown namespace is NAME_UNKNOWN', async () => {
    const error = await caught(hubClient().listRepositories('nobody'));
    expect(error).toMatchObject({ code: 'NAME_UNKNOWN', message: `namespace nobody was not found on ${hub.host}` });
  });

  it('signed in, every request carries the Hub token', async () => {
    const credentials = new CredentialStore([['docker.io', { username: HUB_USER.identifier, password: HUB_USER.secret }]]);
    await HubClient.for(registryClient({ credentials }).transport)!.listRepositories('bulk');
    expect(hub.counts()).toMatchObject({ token: 1, namespaceList: 3 });
    expect(hub.log.filter((r) => r.kind === 'namespaceList').every((r) => r.authenticated)).toBe(true);
  });
});

describe('search answers are reused for the tag TTL', () => {
  it('the same search and the same namespace twice: one Hub request each', async () => {
    const svc = service();
    const first = await searchRepositories('docker.io', { q: 'redis' }, svc);
    expect(await searchRepositories('docker.io', { q: 'redis' }, svc)).toEqual(first);
    await searchRepositories('docker.io', { namespace: 'library' }, svc);
    await searchRepositories('docker.io', { namespace: 'library' }, svc);
    await searchRepositories('docker.io', { namespace: 'library', q: 'red' }, svc);
    expect(hub.counts()).toMatchObject({ search: 1, namespaceList: 2 });
    await searchRepositories('docker.io', { q: 'redis' }, service(0));
    expect(hub.counts().search).toBe(2);
  });
});

describe('GET /api/v1/search', () => {
  let GET: (request: Request) => Promise<Response>;
  const saved = { ...process.env };
  const VARIABLES = ['TAGSCOPE_INSECURE_REGISTRIES', 'TAGSCOPE_REGISTRY_APIS', 'TAGSCOPE_CACHE_DIR', 'TAGSCOPE_RATE_LIMIT', 'TAGSCOPE_TAG_TTL_SECONDS'];

  beforeAll(async () => {
    process.env.TAGSCOPE_INSECURE_REGISTRIES = hub.host;
    process.env.TAGSCOPE_REGISTRY_APIS = `docker.io=hub:${hub.url}`;
    process.env.TAGSCOPE_CACHE_DIR = `${harness.dir}/search-route-cache`;
    process.env.TAGSCOPE_RATE_LIMIT = '0';
    process.env.TAGSCOPE_TAG_TTL_SECONDS = '0';
    ({ GET } = await import('@/app/api/v1/search/route'));
  });
  afterAll(() => {
    // The server's configuration is read from the environment: leave it as it was.
    for (const name of VARIABLES) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  });

  const call = async (query: string) => {
    const response = await GET(new Request(`http://tagscope.test/api/v1/search?${query}`));
    return { status: response.status, body: (await response.json()) as SearchResponse & { error?: { code: string; message: string } } };
  };

  it('q: the contract\'s fields, repository as docker.io/<namespace>/<name>', async () => {
    const { status, body } = await call('registry=docker.io&q=redis');
    expect(status).toBe(200);
    expect(body).toEqual({
      registry: 'docker.io',
      query: 'redis',
      namespace: null,
      repositories: [
        { repository: 'docker.io/library/redis', description: 'Redis is an in-memory data store', stars: 13_000, pulls: 1_000_000_000, lastUpdated: null, official: true },
        { repository: 'docker.io/bitnami/redis', description: 'Bitnami Redis', stars: 300, pulls: 500_000_000, lastUpdated: null, official: false },
        { repository: 'docker.io/someone/redis-tools', description: 'tools', stars: 1, pulls: 42, lastUpdated: null, official: false },
      ],
      count: 3,
      truncated: false,
      invalidRepositories: 0,
    });
  });

  it('namespace: its repositories, with q as the name filter; index.docker.io is docker.io', async () => {
    const { body } = await call('registry=index.docker.io&namespace=bulk&q=app-24');
    expect(body.registry).toBe('docker.io');
    expect(body.repositories.map((r) => r.repository)).toEqual(Array.from({ length: 10 }, (_, i) => `docker.io/bulk/app-24${i}`));
    expect(body).toMatchObject({ namespace: 'bulk', query: 'app-24', count: 10, truncated: false });
    const library = await call('registry=docker.io&namespace=library');
    expect(library.body.repositories.map((r) => [r.repository, r.official])).toEqual([['docker.io/library/demo', true], ['docker.io/library/redis', true]]);
  });

  it.each([
    ['neither q nor namespace', () => 'registry=docker.io', 400, 'INVALID_QUERY', 'give q=<text> to search, or namespace=<namespace>'],
    ['a namespace that is no namespace', () => 'registry=docker.io&namespace=Bad%20NS', 400, 'INVALID_QUERY', 'namespace: must be one namespace'],
    ['an unknown namespace', () => 'registry=docker.io&namespace=nobody', 404, 'NAME_UNKNOWN', 'namespace nobody was not found'],
    ['a registry without a web API that searches', () => `registry=${encodeURIComponent(harness.open.host)}&q=demo`, 404, 'UNSUPPORTED', 'List its repositories instead (catalog)'],
  ])('%s: %s', async (_, query, status, code, words) => {
    const { status: got, body } = await call(query());
    expect(got).toBe(status);
    expect(body.error).toMatchObject({ code, message: expect.stringContaining(words) });
  });

  it('Docker Hub\'s web API failing is UPSTREAM (502)', async () => {
    hub.options.fault = { answer: 'error', status: 500, kinds: ['search'] };
    const { status, body } = await call('registry=docker.io&q=redis');
    expect(status).toBe(502);
    expect(body.error?.code).toBe('UPSTREAM');
  });
});

// A registry's repository list (/v2/_catalog) against real distribution registries: 3,000
// repositories pushed into a registry of their own, each listed once and in the registry's
// order through a counting front, `n`, `last` and Link as distribution sends them; the token
// and Basic registries with and without credentials; registries that do not list (UNSUPPORTED);
// a Link to another host; and, from the hostile registry, off-grammar names, pages that are
// not JSON and endless lists. The API route is called in this process as Next.js calls it.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { CatalogEvent, CatalogResponse } from '@/lib/api/types';
import { Cache } from '@/lib/cache/cache';
import { getCatalog } from '@/lib/data/catalog';
import { RegistryService } from '@/lib/data/service';
import { CredentialStore, RegistryClient, type RequestEvent, type TransportOptions } from '@/lib/registry';
import { readNdjson } from '@/lib/swr/ndjson-reader';
import { caught } from '../support/caught';
import { BASIC_USER, insecureRegistries } from '../support/harness';
import { startFront, type Front, type InterceptAnswer } from '../support/harness/front';
import { startHostileRegistry, type HostileRegistry } from '../support/harness/hostile';
import { Pusher } from '../support/harness/pusher';
import { startRegistry, type RegistryProcess } from '../support/harness/registry-process';
import { seedRepositories, seedSmallRepository } from '../support/harness/seed';
import { startTokenServer, TOKEN_ISSUER, TOKEN_SERVICE, USERS, type TokenServer } from '../support/harness/token-server';

const harness = inject('harness');
const insecure = insecureRegistries(harness).split(',');
const COUNT = 3_000;

/**
 * distribution 2.8 lists its catalog in the order it walks its storage — directories depth
 * first, each directory's entries sorted — not in plain lexical order: `a/b/c` comes before
 * `a/b-c`, though "-" sorts before "/" (observed). A client keeps the registry's order.
 */
function walkOrder(a: string, b: string): number {
  const x = a.split('/');
  const y = b.split('/');
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! < y[i]! ? -1 : 1;
  return x.length - y.length;
}

/** 3,000 names in several shapes, some nested inside others so walk order and lexical order differ. */
function catalogNames(count: number): string[] {
  const pad = (i: number) => String(i).padStart(4, '0');
  return Array.from({ length: count }, (_, i) => {
    const base = i - (i % 6);
    switch (i % 6) {
      case 0:
        return `team-${base % 5}/app-${pad(base)}`;
      case 1:
        return `team-${base % 5}/app-${pad(base)}/api`; // inside the repository above
      case 2:
        return `team-${base % 5}/app-${pad(base)}-x`; // lexically between the two above
      case 3:
        return `lib.${i % 3}/svc_${pad(i)}`;
      case 4:
        return `lib__${i % 4}/svc-${pad(i)}`;
      default:
        return `z${i % 10}/x${pad(i)}`;
    }
  });
}

let registry: RegistryProcess;
let front: Front;
let names: string[];
let inOrder: string[];
let seedMs: number;

beforeAll(async () => {
  registry = await startRegistry({ kind: 'none' }, 'catalog');
  names = catalogNames(COUNT);
  inOrder = [...names].sort(walkOrder);
  const started = Date.now();
  await seedRepositories(new Pusher({ url: registry.url }), names);
  seedMs = Date.now() - started;
  front = await startFront(registry.url);
}, 180_000);
afterAll(async () => {
  await front?.stop();
  await registry?.stop();
});

function client(options: TransportOptions = {}, extraInsecure: string[] = []) {
  return new RegistryClient({ insecureRegistries: [...insecure, registry.host, front.host, ...extraInsecure], ...options });
}

const catalogPaths = (f: Front) => f.log.filter((r) => r.kind === 'catalogPage').map((r) => r.path);
const lastParameter = (name: string) => `last=${encodeURIComponent(name)}`;

describe('a registry of 3,000 repositories', () => {
  it('is listed whole, each repository once and in the registry\'s order, n=1000 a page and Link followed', async () => {
    front.reset();
    const started = performance.now();
    const catalog = await client().listCatalog(front.host);
    const tookMs = performance.now() - started;
    expect(catalog.repositories).toEqual(inOrder);
    expect(new Set(catalog.repositories).size).toBe(COUNT);
    expect(catalog).toMatchObject({ count: COUNT, truncated: false, truncatedBy: null, last: null, invalidRepositories: 0 });
    // distribution's Link: relative, keys sorted (last before n), the page's last name.
    expect(catalogPaths(front)).toEqual([
      '/v2/_catalog?n=1000',
      `/v2/_catalog?${lastParameter(inOrder[999]!)}&n=1000`,
      `/v2/_catalog?${lastParameter(inOrder[1999]!)}&n=1000`,
    ]);
    expect(catalog.pages).toBe(3);
    console.log(`catalog: 3,000 repositories pushed in ${(seedMs / 1000).toFixed(1)} s; listed in ${tookMs.toFixed(0)} ms with ${catalogPaths(front).length} requests`);
  });

  it('in the pages the registry chooses: 30 of 100 when it is asked for fewer, still once each and in order', async () => {
    const small = await startFront(registry.url, { pageSize: 100 });
    try {
      const catalog = await client({}, [small.host]).listCatalog(small.host);
      expect(catalog.repositories).toEqual(inOrder);
      expect(catalog.pages).toBe(30);
      expect(catalogPaths(small)).toHaveLength(30);
    } finally {
      await small.stop();
    }
  });

  it('streams: the first page is in hand after one request, before the others are asked for', async () => {
    front.reset();
    const pages = client().catalog(front.host);
    const first = await pages.next();
    expect(first.done).toBe(false);
    expect(first.value).toEqual({ repositories: inOrder.slice(0, 1000), invalidRepositories: 0 });
    expect(catalogPaths(front)).toHaveLength(1);
  });

  it('resumes after `last`: the rest of the list, asked for with last and n', async () => {
    front.reset();
    const catalog = await client().listCatalog(front.host, { last: inOrder[1499] });
    expect(catalog.repositories).toEqual(inOrder.slice(1500));
    expect(catalogPaths(front)[0]).toBe(`/v2/_catalog?n=1000&${lastParameter(inOrder[1499]!)}`);
  });

  it('a list longer than the bound is cut at it and says where to resume; resuming there reads on', async () => {
    const first = await client().listCatalog(front.host, { maxRepositories: 1_200 });
    expect(first.repositories).toEqual(inOrder.slice(0, 1_200));
    expect(first).toMatchObject({ truncated: true, truncatedBy: 'the registry lists more than 1200 repositories', last: inOrder[1_199] });
    const rest = await client().listCatalog(front.host, { last: first.last! });
    expect([...first.repositories, ...rest.repositories]).toEqual(inOrder);
  });

  it('a registry whose maximum page is smaller refuses n=1000 (400 PAGINATION_NUMBER_INVALID): asked again without n, it pages itself', async () => {
    // distribution 2.8 answers exactly so for an n over its catalog maxentries (observed, n=1001).
    const refusing = await startFront(registry.url, {
      intercept: ({ kind, path: requested }) =>
        kind === 'catalogPage' && Number(new URL(requested, 'http://x').searchParams.get('n') ?? 0) > 100
          ? { status: 400, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ errors: [{ code: 'PAGINATION_NUMBER_INVALID', message: 'invalid number of results requested', detail: { n: 1000 } }] }) }
          : null,
    });
    try {
      const catalog = await client({}, [refusing.host]).listCatalog(refusing.host);
      expect(catalog.repositories).toEqual(inOrder);
      const paths = catalogPaths(refusing);
      expect(paths.slice(0, 2)).toEqual(['/v2/_catalog?n=1000', '/v2/_catalog']);
      expect(paths).toHaveLength(1 + COUNT / 100); // distribution's default page is 100
    } finally {
      await refusing.stop();
    }
  });

  it('q narrows the list on the server, by substring or /regex/, keeping the order; a listing is reused for the tag TTL', async () => {
    const service = new RegistryService(client(), new Cache(60_000));
    front.reset();
    const bySubstring = await (await getCatalog(front.host, { q: 'SVC-' }, service)).run();
    expect(bySubstring.repositories).toEqual(inOrder.filter((n) => n.includes('svc-')));
    expect(catalogPaths(front)).toHaveLength(3);
    const byRegex = await (await getCatalog(front.host, { q: '/^team-0\\/app-\\d+\\/api$/' }, service)).run();
    expect(byRegex.repositories).toEqual(inOrder.filter((n) => /^team-0\/app-\d+\/api$/.test(n)));
    expect(byRegex.repositories.length).toBeGreaterThan(50);
    expect(catalogPaths(front)).toHaveLength(3); // the second listing came from the cache
    const uncached = new RegistryService(client(), new Cache(0));
    await (await getCatalog(front.host, {}, uncached)).run();
    await (await getCatalog(front.host, {}, uncached)).run();
    expect(catalogPaths(front)).toHaveLength(9);
  });

  it('an invalid /regex/ is INVALID_QUERY before anything is asked of the registry', async () => {
    front.reset();
    await expect(getCatalog(front.host, { q: '/team-(/' }, new RegistryService(client(), new Cache(0)))).rejects.toMatchObject({ code: 'INVALID_QUERY' });
    expect(front.log).toEqual([]);
  });
});

describe('registries that do not list their repositories say so, in words', () => {
  const refusals: [string, InterceptAnswer][] = [
    ['404 with a plain-text body (no catalog route at all)', { status: 404, headers: { 'content-type': 'text/plain' }, body: '404 page not found\n' }],
    ['404 UNSUPPORTED', { status: 404, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ errors: [{ code: 'UNSUPPORTED', message: 'The operation is unsupported.' }] }) }],
    ['405 UNSUPPORTED', { status: 405, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ errors: [{ code: 'UNSUPPORTED', message: 'The operation is unsupported.' }] }) }],
  ];

  it.each(refusals)('%s: UNSUPPORTED, saying a repository name still opens', async (_, answer) => {
    const refusing = await startFront(harness.open.url, { intercept: ({ kind }) => (kind === 'catalogPage' ? answer : null) });
    try {
      const error = await caught(client({}, [refusing.host]).listCatalog(refusing.host));
      expect(error.code).toBe('UNSUPPORTED');
      expect(error.message).toBe(`${refusing.host} does not list its repositories (/v2/_catalog answered HTTP ${answer.status}). Type a repository name such as ${refusing.host}/<namespace>/<name> to open it.`);
      expect(error.details.status).toBe(answer.status);
    } finally {
      await refusing.stop();
    }
  });

  it('Docker Hub is never asked: it has no catalog, and search or a repository name are offered instead', async () => {
    const events: RequestEvent[] = [];
    const error = await caught(client({ onRequest: (event) => events.push(event) }).listCatalog('docker.io'));
    expect(error.code).toBe('UNSUPPORTED');
    expect(error.message).toContain('Docker Hub does not list its repositories');
    expect(error.message).toContain('search Docker Hub');
    expect(events).toEqual([]);
  });
});

describe('a catalog behind credentials', () => {
  let dir: string;
  let tokenServer: TokenServer;
  let token: RegistryProcess;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'tagscope-catalog-token-'));
    tokenServer = await startTokenServer(dir);
    token = await startRegistry({ kind: 'token', realm: tokenServer.realm, service: TOKEN_SERVICE, issuer: TOKEN_ISSUER, certificatePath: tokenServer.certificatePath }, 'catalog-token');
    const admin = new Pusher({ url: token.url, credentials: { username: 'admin', password: USERS.admin!.password } });
    await seedSmallRepository(admin, token.host, 'public/web');
    await seedSmallRepository(admin, token.host, 'private/db');
  });
  afterAll(async () => {
    await token?.stop();
    await tokenServer?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const tokenClient = (user?: string) =>
    client(
      user ? { credentials: new CredentialStore([[token.host, { username: user, password: USERS[user]!.password }]]) } : {},
      [token.host, new URL(tokenServer.realm).host],
    );

  it('token auth, an account allowed the catalog: a token for registry:catalog:*, then every repository', async () => {
    const before = tokenServer.requests.length;
    const catalog = await tokenClient('alice').listCatalog(token.host);
    expect(catalog.repositories).toEqual(['private/db', 'public/web']);
    expect(tokenServer.requests.slice(before)).toEqual([{ user: 'alice', scopes: ['registry:catalog:*'], status: 200, sentAuthorization: true }]);
  });

  it('token auth, no credentials: the token server grants an empty scope, the registry answers 401 again: UNAUTHORIZED, add credentials', async () => {
    const before = tokenServer.requests.length;
    const error = await caught(tokenClient().listCatalog(token.host));
    expect(error.code).toBe('UNAUTHORIZED');
    expect(error.details.status).toBe(401);
    expect(error.message).toContain(`${token.host} lists its repositories only to signed-in accounts, and this server has no credentials for it`);
    expect(error.message).toContain('REGISTRY_AUTH_FILE');
    expect(tokenServer.requests.slice(before)).toEqual([{ user: null, scopes: ['registry:catalog:*'], status: 200, sentAuthorization: false }]);
  });

  it('token auth, an account not allowed the catalog (401 insufficient_scope with its token): DENIED, naming the scope', async () => {
    const error = await caught(tokenClient('carol').listCatalog(token.host));
    expect(error.code).toBe('DENIED');
    expect(error.details.status).toBe(401);
    expect(error.message).toContain('registry:catalog:*');
  });

  it('Basic auth with the credentials file: its repositories', async () => {
    const catalog = await client({ credentials: CredentialStore.fromEnvironment({ REGISTRY_AUTH_FILE: harness.authFile }) }).listCatalog(harness.basic.host);
    expect(catalog.repositories).toEqual(['team/app']);
  });

  it('Basic auth without credentials: UNAUTHORIZED, add them to the credentials file', async () => {
    const error = await caught(client().listCatalog(harness.basic.host));
    expect(error.code).toBe('UNAUTHORIZED');
    expect(error.details.status).toBe(401);
    expect(error.message).toContain(`auths."${harness.basic.host}".auth`);
  });

  it('Basic auth with a wrong password: DENIED', async () => {
    const wrong = new CredentialStore([[harness.basic.host, { username: BASIC_USER.username, password: 'wrong' }]]);
    expect((await caught(client({ credentials: wrong }).listCatalog(harness.basic.host))).code).toBe('DENIED');
  });
});

describe('a catalog\'s Link is checked like a tag list\'s', () => {
  it('a Link to another host (a metadata address) is refused by the address policy after the first page', async () => {
    const foreign = await startFront(harness.open.url, { pageSize: 2, linkStyle: 'foreign' });
    const events: RequestEvent[] = [];
    try {
      const pages = client({ onRequest: (event) => events.push(event) }, [foreign.host]).catalog(foreign.host);
      const first = await pages.next();
      expect(first.value).toEqual({ repositories: ['library/compare', 'library/demo'], invalidRepositories: 0 });
      const error = await caught(pages.next());
      expect(error.code).toBe('ADDRESS_NOT_ALLOWED');
      expect(error.message).toBe(`${foreign.host} sent a next-page link to another host (169.254.169.254); it was not followed`);
      expect(events.filter((e) => e.url.includes('169.254.169.254'))).toEqual([]);
    } finally {
      await foreign.stop();
    }
  });

  it('an absolute Link on the registry\'s own host is followed', async () => {
    const absolute = await startFront(harness.open.url, { pageSize: 2, linkStyle: 'absolute' });
    try {
      const catalog = await client({}, [absolute.host]).listCatalog(absolute.host);
      expect(catalog.repositories).toEqual(['library/compare', 'library/demo', 'library/nested']);
      expect(catalog.pages).toBe(2);
    } finally {
      await absolute.stop();
    }
  });
});

describe('a hostile catalog', () => {
  let hostile: HostileRegistry;
  beforeAll(async () => {
    hostile = await startHostileRegistry();
  });
  afterAll(async () => {
    await hostile?.stop();
  });
  const hostileClient = () => client({}, [hostile.host]);
  const offGrammar = ['../../etc/passwd', 'UPPER/case', 'a//b', '/leading', 'trailing/', '-dash/x', `${'a'.repeat(256)}`, 'tab\there', '', 'x/\u202Egpj.exe'];

  it('names off the repository grammar are skipped and counted, never returned; a repeated name is listed once', async () => {
    hostile.setCatalog((n) =>
      n === 0
        ? { body: JSON.stringify({ repositories: ['good/one', ...offGrammar.slice(0, 5), 'ok/two'] }), next: '/v2/_catalog?page=2' }
        : { body: JSON.stringify({ repositories: ['ok/two', ...offGrammar.slice(5), 'z/last'] }) },
    );
    const catalog = await hostileClient().listCatalog(hostile.host);
    expect(catalog.repositories).toEqual(['good/one', 'ok/two', 'z/last']);
    expect(catalog.invalidRepositories).toBe(offGrammar.length);

    hostile.setCatalog(() => ({ body: JSON.stringify({ repositories: ['good/one', ...offGrammar] }) }));
    const events: CatalogEvent[] = [];
    const view = await (await getCatalog(hostile.host, {}, new RegistryService(hostileClient(), new Cache(0)))).run((event) => events.push(event));
    expect(view.repositories).toEqual(['good/one']);
    expect(view.invalidRepositories).toBe(offGrammar.length);
    expect(view.notices).toEqual([
      { code: 'UPSTREAM', message: `The registry listed ${offGrammar.length} names that are not repository names; they were left out.`, details: { invalidRepositories: offGrammar.length } },
    ]);
    expect(JSON.stringify(events)).not.toMatch(/passwd|UPPER|gpj/);
  });

  it.each([
    ['the first page', 0],
    ['the second page', 1],
  ])('%s not JSON: UPSTREAM, saying so', async (_, bad) => {
    hostile.setCatalog((n) => (n === bad ? { body: '<html><body>Service Unavailable</body></html>' } : { body: JSON.stringify({ repositories: [`p/${n}`] }), next: `/v2/_catalog?page=${n + 1}` }));
    const error = await caught(hostileClient().listCatalog(hostile.host));
    expect(error.code).toBe('UPSTREAM');
    expect(error.message).toBe(`${hostile.host} sent a repository list that is not JSON`);
  });

  it('JSON of another shape: UPSTREAM', async () => {
    hostile.setCatalog(() => ({ body: JSON.stringify({ repositories: 'all of them' }) }));
    expect((await caught(hostileClient().listCatalog(hostile.host))).message).toBe(`${hostile.host} sent a repository list Tagscope cannot read`);
  });

  it('an endless Link chain stops at the page bound, and a Link back to a page read before ends the list', async () => {
    hostile.setCatalog((n) => ({ body: JSON.stringify({ repositories: [`p/n${n}`] }), next: `/v2/_catalog?page=${n + 1}` }));
    const endless = await hostileClient().listCatalog(hostile.host, { maxPages: 40 });
    expect(endless).toMatchObject({ pages: 40, count: 40, truncated: true, truncatedBy: 'the registry sent more than 40 pages of repositories', last: 'p/n39' });

    hostile.setCatalog((n) => ({ body: JSON.stringify({ repositories: [`p/loop${n}`] }), next: n === 0 ? '/v2/_catalog?page=1' : '/v2/_catalog?n=1000' }));
    const loop = await hostileClient().listCatalog(hostile.host);
    expect(loop).toMatchObject({ repositories: ['p/loop0', 'p/loop1'], pages: 2, truncated: false });
  });

  it('a list larger than the byte bound ends as truncated after the pages that fit', async () => {
    const body = (n: number) => JSON.stringify({ repositories: Array.from({ length: 1000 }, (_, i) => `n${n}/${'r'.repeat(240)}${String(i).padStart(3, '0')}`) });
    hostile.setCatalog((n) => ({ body: body(n), next: `/v2/_catalog?page=${n + 1}` }));
    const maxBytes = Math.floor(2.5 * body(0).length);
    const catalog = await hostileClient().listCatalog(hostile.host, { maxBytes });
    expect(catalog).toMatchObject({ count: 2000, pages: 2, truncated: true, truncatedBy: `the repository list is larger than ${maxBytes} bytes` });
  });
});

describe('GET /api/v1/catalog', () => {
  let GET: (request: Request) => Promise<Response>;
  let unlisted: Front;
  /** Before the 3,000, read by the route only in the streaming test (the route's cache keeps a listing). */
  let streamed: Front;
  const saved = { ...process.env };
  const VARIABLES = ['TAGSCOPE_INSECURE_REGISTRIES', 'REGISTRY_AUTH_FILE', 'TAGSCOPE_CACHE_DIR', 'TAGSCOPE_RATE_LIMIT'];

  beforeAll(async () => {
    // A front before the Basic registry: a host the credentials file has no entry for.
    unlisted = await startFront(harness.basic.url);
    streamed = await startFront(registry.url);
    process.env.TAGSCOPE_INSECURE_REGISTRIES = [...insecure, front.host, unlisted.host, streamed.host].join(',');
    process.env.REGISTRY_AUTH_FILE = harness.authFile;
    process.env.TAGSCOPE_CACHE_DIR = `${harness.dir}/catalog-route-cache`;
    process.env.TAGSCOPE_RATE_LIMIT = '0';
    ({ GET } = await import('@/app/api/v1/catalog/route'));
  });
  afterAll(async () => {
    // The server's configuration is read from the environment: leave it as it was.
    for (const name of VARIABLES) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
    await unlisted?.stop();
    await streamed?.stop();
  });

  const call = (query: string, accept?: string) => GET(new Request(`http://tagscope.test/api/v1/catalog?${query}`, accept ? { headers: { accept } } : {}));
  const q = encodeURIComponent;

  it('JSON: every repository in the registry\'s order, with the contract\'s fields', async () => {
    const response = await call(`registry=${q(front.host)}`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as CatalogResponse;
    expect(body).toEqual({ registry: front.host, repositories: inOrder, truncated: false, truncatedBy: null, last: null, invalidRepositories: 0, notices: [] });
  });

  it('NDJSON: a repositories event per page (q applied), the summary, then done; within the tag TTL, the list again in one event and no request', async () => {
    const read = async () => {
      const response = await call(`registry=${q(streamed.host)}&q=${q('/1\\d$/')}`, 'application/x-ndjson');
      expect(response.headers.get('content-type')).toBe('application/x-ndjson; charset=utf-8');
      const events: CatalogEvent[] = [];
      await readNdjson<CatalogEvent>(response.body!, (items) => events.push(...items));
      return events;
    };
    const wanted = inOrder.filter((n) => /1\d$/.test(n));
    const end = [{ type: 'summary', registry: streamed.host, truncated: false, truncatedBy: null, last: null, invalidRepositories: 0 }, { type: 'done' }];
    const first = await read();
    const pages = first.filter((e) => e.type === 'repositories');
    expect(pages).toHaveLength(3); // every page of 1,000 holds some of those wanted
    expect(pages.flatMap((e) => e.repositories)).toEqual(wanted);
    expect(first.slice(-2)).toEqual(end);
    expect(catalogPaths(streamed)).toHaveLength(3);
    const again = await read();
    expect(again).toEqual([{ type: 'repositories', repositories: wanted }, ...end]);
    expect(catalogPaths(streamed)).toHaveLength(3);
  });

  it.each([
    ['Docker Hub', () => 'registry=docker.io', 404, 'UNSUPPORTED', 'Docker Hub does not list its repositories'],
    ['a registry that wants credentials the server lacks', () => `registry=${q(unlisted.host)}`, 401, 'UNAUTHORIZED', 'credentials file (REGISTRY_AUTH_FILE'],
    ['not a registry host', () => 'registry=alpine', 400, 'INVALID_REFERENCE', 'is not a registry host'],
    ['an invalid regular expression', () => `registry=${q(front.host)}&q=${q('/(/')}`, 400, 'INVALID_QUERY', 'q: not a valid regular expression'],
    ['a last that is no repository name', () => `registry=${q(front.host)}&last=${q('A B')}`, 400, 'INVALID_QUERY', 'last: must be a repository name'],
  ])('%s: %s as a plain JSON error, before any stream', async (_, query, status, code, words) => {
    const response = await call(query(), 'application/x-ndjson');
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toContain('application/json');
    const { error } = (await response.json()) as { error: { code: string; message: string } };
    expect(error.code).toBe(code);
    expect(error.message).toContain(words);
  });

  it('with the server\'s credentials file: the Basic registry lists its repositories', async () => {
    const response = await call(`registry=${q(harness.basic.host)}`);
    expect(((await response.json()) as CatalogResponse).repositories).toEqual(['team/app']);
  });
});

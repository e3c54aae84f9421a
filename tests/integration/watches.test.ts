// The watch list as an owned, bounded resource, through the production server: one client
// cannot fill the cap, nobody removes another's watch, addresses the server may not reach are
// refused when a watch is added (nothing stored, nothing said but the code), the list shows
// error codes and hides repositories on registries the server holds credentials for, concurrent
// adds on PostgreSQL never pass the cap, and a registry whose manifests never answer holds
// neither the poller nor, once its watches are removed, anything at all.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { HistoryResponse } from '@/lib/api/types';
import { MAX_USER_WATCHES, MAX_WATCHES_PER_CLIENT, type ListedWatch, type WatchResponse } from '@/lib/data/watches';
import { openHistoryDatabase } from '@/lib/history/database';
import { HistoryStore } from '@/lib/history/store';
import { insecureRegistries } from '../support/harness';
import { startHostileRegistry, type HostileRegistry } from '../support/harness/hostile';
import { eventually } from '../support/history';
import { startNextServer, type RunningServer } from '../support/next-server';
import { startPostgres, type PostgresServer } from '../support/postgres';

const harness = inject('harness');

let dir: string;
/** Answers as a registry should. */
let good: HostileRegistry;
/** Never answers a manifest request of a repository in its `stalled` set. */
let bad: HostileRegistry;
/** A registry this server holds credentials for (REGISTRY_AUTH_FILE): what it serves may be private. */
let held: HostileRegistry;
let server: RunningServer;
const servers: RunningServer[] = [];

/** Each test's client: its own address (X-Forwarded-For from a trusted proxy) and owner cookie. */
class Client {
  cookie: string | null = null;
  constructor(readonly address: string) {}

  async send(target: RunningServer, method: 'GET' | 'PUT' | 'DELETE', repository?: string): Promise<Response> {
    const query = repository === undefined ? '' : `?repository=${encodeURIComponent(repository)}`;
    const headers: Record<string, string> = { 'x-forwarded-for': this.address, 'sec-fetch-site': 'same-origin' };
    if (this.cookie) headers.cookie = this.cookie;
    const response = await fetch(`${target.url}/api/v1/watches${query}`, { method, headers });
    const set = response.headers.getSetCookie().find((cookie) => cookie.startsWith('tagscope-watch-owner='));
    if (set) this.cookie = set.split(';')[0]!;
    return response;
  }

  async list(target: RunningServer = server): Promise<ListedWatch[]> {
    const response = await this.send(target, 'GET');
    expect(response.status).toBe(200);
    return ((await response.json()) as { watches: ListedWatch[] }).watches;
  }
}

let addresses = 0;
const client = () => new Client(`203.0.113.${++addresses}`);

async function serve(env: Record<string, string | undefined> = {}): Promise<RunningServer> {
  const started = await startNextServer({
    TAGSCOPE_INSECURE_REGISTRIES: insecureRegistries(harness, [good.host, bad.host, held.host]),
    TAGSCOPE_TRUSTED_PROXIES: '127.0.0.1',
    TAGSCOPE_CACHE_DIR: path.join(dir, `cache-${servers.length}`),
    TAGSCOPE_TAG_TTL_SECONDS: '0',
    TAGSCOPE_REGISTRY_APIS: 'none',
    REGISTRY_AUTH_FILE: path.join(dir, 'auth.json'),
    ...env,
  });
  servers.push(started);
  return started;
}

async function history(repository: string): Promise<HistoryResponse> {
  const response = await fetch(`${server.url}/api/v1/history?repository=${encodeURIComponent(repository)}`);
  expect(response.status).toBe(200);
  return (await response.json()) as HistoryResponse;
}

async function errorOf(response: Response): Promise<{ code: string; message: string; details?: Record<string, unknown> }> {
  return ((await response.json()) as { error: { code: string; message: string; details?: Record<string, unknown> } }).error;
}

/** A repository of `registry` with these tags, each at an image of its own (seeded by `seed`). */
function serveRepository(registry: HostileRegistry, repository: string, tags: string[], seed = 'v1'): void {
  for (const tag of tags) registry.putImage(repository, `${repository}:${tag}:${seed}`, [tag]);
  registry.setTagList(repository, () => ({ body: JSON.stringify({ name: repository, tags }) }));
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tagscope-watches-'));
  [good, bad, held] = await Promise.all([startHostileRegistry(), startHostileRegistry(), startHostileRegistry()]);
  const auth = Buffer.from('watcher:secret').toString('base64');
  await writeFile(path.join(dir, 'auth.json'), JSON.stringify({ auths: { [held.host]: { auth } } }));
  server = await serve({ TAGSCOPE_WATCH_INTERVAL_SECONDS: '1', TAGSCOPE_WATCH: `${held.host}/configured/private` });
});

afterAll(async () => {
  for (const started of servers) await started.stop();
  await Promise.all([good?.stop(), bad?.stop(), held?.stop()]);
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('who may add and remove watches', () => {
  it(`one client adds at most ${MAX_WATCHES_PER_CLIENT} watches, far below the cap of ${MAX_USER_WATCHES}; another still can`, async () => {
    const flooder = client();
    const answers: number[] = [];
    let refusal: Response | null = null;
    for (let i = 0; i <= MAX_USER_WATCHES && refusal === null; i++) {
      const response = await flooder.send(server, 'PUT', `${good.host}/flood/r${i}`);
      if (response.status === 200) answers.push(i);
      else refusal = response;
    }
    expect(answers).toHaveLength(MAX_WATCHES_PER_CLIENT);
    expect(refusal?.status).toBe(403);
    const error = await errorOf(refusal!);
    expect(error).toMatchObject({ code: 'DENIED', details: { limit: MAX_WATCHES_PER_CLIENT } });
    expect(error.message).toMatch(/limit per visitor; unwatch one of yours first/);
    const listed = (await flooder.list()).filter((watch) => watch.repository.includes('/flood/'));
    expect(listed).toHaveLength(MAX_WATCHES_PER_CLIENT);
    expect(listed.every((watch) => watch.mine)).toBe(true);
    // The limit is the client's, not the server's.
    expect((await client().send(server, 'PUT', `${good.host}/flood/other`)).status).toBe(200);
  });

  it('a DELETE without the owner cookie is refused, saying who can remove it, and the watch stays', async () => {
    const repository = `${good.host}/owned/app`;
    const owner = client();
    const added = await owner.send(server, 'PUT', repository);
    expect(added.status).toBe(200);
    expect(added.headers.getSetCookie()[0]).toMatch(/^tagscope-watch-owner=[\w-]{43}; Path=\/; Max-Age=\d+; HttpOnly; SameSite=Strict$/);
    expect(((await added.json()) as WatchResponse).removable).toBe(true);

    const stranger = client();
    const refused = await stranger.send(server, 'DELETE', repository);
    expect(refused.status).toBe(403);
    expect((await errorOf(refused)).message).toMatch(/added by another visitor: only the browser that added it can stop watching it, or an administrator/);
    // A stranger's own cookie (from a watch of theirs) is no better.
    expect((await stranger.send(server, 'PUT', `${good.host}/owned/theirs`)).status).toBe(200);
    expect((await stranger.send(server, 'DELETE', repository)).status).toBe(403);
    const seen = (await stranger.send(server, 'GET', repository).then((r) => r.json())) as WatchResponse;
    expect(seen).toMatchObject({ watched: true, origin: 'user', removable: false });

    const removed = await owner.send(server, 'DELETE', repository);
    expect(removed.status).toBe(200);
    expect(await removed.json()).toMatchObject({ watched: false, origin: null });
  });

  it('a configured watch is removed by nobody here', async () => {
    const refused = await client().send(server, 'DELETE', `${held.host}/configured/private`);
    expect(refused.status).toBe(403);
    expect((await errorOf(refused)).message).toMatch(/TAGSCOPE_WATCH names it; only an administrator can stop it/);
  });
});

describe('what may be watched, and what the list shows', () => {
  it.each([
    ['the cloud metadata address', '169.254.169.254/latest/meta-data'],
    ['a Docker daemon on loopback', 'localhost:2375/containers/json'],
    ['a private network address', '10.0.0.1/internal/app'],
    ['loopback by number, not an insecure entry', '127.0.0.1:9/app'],
  ])('%s is refused when the watch is added, and nothing is stored', async (_, repository) => {
    const visitor = client();
    const response = await visitor.send(server, 'PUT', repository);
    expect(response.status).toBe(403);
    expect((await errorOf(response)).code).toBe('ADDRESS_NOT_ALLOWED');
    expect(((await visitor.send(server, 'GET', repository).then((r) => r.json())) as WatchResponse).watched).toBe(false);
    const listed = await visitor.list();
    expect(listed.map((watch) => watch.repository)).not.toContain(repository);
  });

  it('a failed poll is listed as an error code, never the registry’s words', async () => {
    const repository = `${good.host}/listed/missing`;
    const visitor = client();
    expect((await visitor.send(server, 'PUT', repository)).status).toBe(200);
    const listed = await eventually(
      () => client().list(),
      (watches) => watches.some((watch) => watch.repository === repository && watch.lastPolledAt !== null),
    );
    expect(listed.find((watch) => watch.repository === repository)).toMatchObject({ lastError: 'NAME_UNKNOWN', mine: false });
  });

  it('repositories on a registry the server holds credentials for are listed only to whoever added them', async () => {
    const repository = `${held.host}/team/secret-project`;
    serveRepository(held, 'team/secret-project', ['latest']);
    const owner = client();
    expect((await owner.send(server, 'PUT', repository)).status).toBe(200);
    expect((await owner.list()).map((watch) => watch.repository)).toContain(repository);
    const stranger = await client().list();
    expect(stranger.map((watch) => watch.repository).filter((name) => name.startsWith(held.host))).toEqual([]);
    expect(JSON.stringify(stranger)).not.toContain('secret-project');
  });
});

describe('a registry that never answers', () => {
  it('holds neither the other watches nor, once its watches are removed, anything', async () => {
    const stuck = ['stuck/one', 'stuck/two'];
    const tags = Array.from({ length: 40 }, (_, i) => `t${i}`);
    for (const name of stuck) {
      serveRepository(bad, name, tags);
      bad.stalled.add(name);
    }
    const live = `${good.host}/app/live`;
    serveRepository(good, 'app/live', ['latest']);
    const owner = client();
    for (const name of stuck) expect((await owner.send(server, 'PUT', `${bad.host}/${name}`)).status).toBe(200);
    // Both polls are claimed before the good one is added, and wait on HEADs that never come back.
    await eventually(
      async () => bad.stalling(),
      (count) => count >= 2,
    );
    expect((await owner.send(server, 'PUT', live)).status).toBe(200);
    const polled = await eventually(
      () => history(live),
      (answer) => answer.observations.length === 1,
    );
    expect(polled.observations).toHaveLength(1);

    for (const name of stuck) expect((await owner.send(server, 'DELETE', `${bad.host}/${name}`)).status).toBe(200);
    // Their polls are abandoned: the requests they left hanging are closed…
    expect(
      await eventually(
        async () => bad.stalling(),
        (count) => count === 0,
      ),
    ).toBe(0);
    const asked = bad.count('/manifests/');
    // …and the poller goes on: a move on the good registry is found.
    serveRepository(good, 'app/live', ['latest'], 'v2');
    const moved = await eventually(
      () => history(live),
      (answer) => answer.moves.length === 1,
    );
    expect(moved.moves).toEqual([expect.objectContaining({ tag: 'latest', source: 'observed' })]);
    expect(bad.count('/manifests/')).toBe(asked);
  });
});

describe('on PostgreSQL, shared by two instances', () => {
  let postgres: PostgresServer;

  beforeAll(async () => {
    postgres = await startPostgres();
  });

  afterAll(async () => {
    await postgres?.stop();
  });

  it(`concurrent adds from many clients on two instances stop at exactly ${MAX_USER_WATCHES}`, async () => {
    const env = { DATABASE_URL: postgres.url };
    const instances = [await serve(env), await serve(env)];
    const database = await openHistoryDatabase({ engine: 'postgres', url: postgres.url });
    try {
      const store = new HistoryStore(database);
      const before = MAX_USER_WATCHES - 4;
      for (let i = 0; i < before; i++) await store.addWatch(good.host, `${good.host}/cap/seed${i}`, 'user', Date.now());
      // 30 clients at once, half on each instance: 4 places left.
      const answers = await Promise.all(Array.from({ length: 30 }, (_, i) => client().send(instances[i % 2]!, 'PUT', `${good.host}/cap/race${i}`)));
      const statuses = answers.map((response) => response.status);
      expect(statuses.filter((status) => status === 200)).toHaveLength(4);
      expect(statuses.filter((status) => status === 403)).toHaveLength(26);
      expect(await store.countWatches('user')).toBe(MAX_USER_WATCHES);
    } finally {
      await database.close();
    }
  });
});

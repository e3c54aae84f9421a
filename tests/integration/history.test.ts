// Tag history end to end on the production server with the embedded database: what views see
// is recorded and read back through GET /api/v1/history and the Atom feed, a tag moved in a
// registry of its own becomes one move, history survives a restart, the watcher finds a move on
// its own and the registry's own record (the Quay emulator) is imported as such; a database
// from a newer Tagscope and bad history settings stop start-up in one line.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseFeed } from '@rowanmanning/feed-parser';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { HistoryResponse } from '@/lib/api/types';
import { openHistoryDatabase, SQLITE_FILE } from '@/lib/history/database';
import { migrations, MIGRATION_TABLE } from '@/lib/history/schema';
import { Cache } from '@/lib/cache/cache';
import { RegistryService } from '@/lib/data/service';
import type { Sighting } from '@/lib/history/types';
import { parseRepository, RegistryClient } from '@/lib/registry';
import { insecureRegistries } from '../support/harness';
import { startFront } from '../support/harness/front';
import { Pusher } from '../support/harness/pusher';
import { startRegistry, type RegistryProcess } from '../support/harness/registry-process';
import { eventually, retag } from '../support/history';
import { hubRepositoryFromTruth, startHubEmulator } from '../support/harness/hub';
import { quayRepositoryFromTruth, startQuayEmulator, type QuayEmulator } from '../support/harness/quay';
import { seedScaleRepository, seedSmallRepository, type Truth } from '../support/harness/seed';
import { startNextServer, type RunningServer } from '../support/next-server';
import { listenOnLoopback } from '../support/ports';

const harness = inject('harness');

let dir: string;
const servers: RunningServer[] = [];
// A registry of these tests' own: they push and move tags, and the harness's open registry is a
// fixed fixture other test files list (its catalog among them).
let registry: RegistryProcess;
let pusher: Pusher;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tagscope-history-'));
  registry = await startRegistry({ kind: 'none' }, 'history');
  pusher = new Pusher({ url: registry.url });
});

afterAll(async () => {
  for (const server of servers) await server.stop();
  await registry?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function serve(env: Record<string, string | undefined>): Promise<RunningServer> {
  const server = await startNextServer({
    TAGSCOPE_INSECURE_REGISTRIES: insecureRegistries(harness, [registry.host]),
    TAGSCOPE_CACHE_DIR: path.join(dir, `cache-${servers.length}`),
    TAGSCOPE_TAG_TTL_SECONDS: '0',
    TAGSCOPE_REGISTRY_APIS: 'none',
    ...env,
  });
  servers.push(server);
  return server;
}

async function history(server: RunningServer, repository: string, query = ''): Promise<HistoryResponse> {
  const response = await fetch(`${server.url}/api/v1/history?repository=${encodeURIComponent(repository)}${query}`);
  expect(response.status).toBe(200);
  return (await response.json()) as HistoryResponse;
}

async function view(server: RunningServer, repository: string): Promise<void> {
  const response = await fetch(`${server.url}/api/v1/repository?repository=${encodeURIComponent(repository)}`);
  expect(response.status).toBe(200);
  await response.text();
}

describe('tag history on the embedded database', () => {
  let truth: Truth;
  const repoPath = 'history/app';
  let repository: string;
  const dataDir = () => path.join(dir, 'data-app');

  beforeAll(async () => {
    repository = `${registry.host}/${repoPath}`;
    truth = await seedSmallRepository(pusher, registry.host, repoPath);
  });

  it('records every tag a view resolved, and one move when a tag moves', async () => {
    const server = await serve({ TAGSCOPE_DATA_DIR: dataDir() });
    await view(server, repository);
    const first = await eventually(
      () => history(server, repository),
      (answer) => answer.observations.length === 3,
    );
    expect(first.moves).toEqual([]);
    expect(first.observations.map((o) => [o.tag, o.digest, o.source, o.via]).sort()).toEqual(
      Object.entries(truth.tags)
        .map(([tag, t]) => [tag, t.digest, 'observed', 'head'])
        .sort(),
    );

    const before = truth.tags.solo!.digest;
    const after = await retag(pusher, registry.url, repoPath, 'solo', '1.0');
    await view(server, repository);
    await view(server, repository);
    const moved = await eventually(
      () => history(server, repository),
      (answer) => answer.moves.length > 0,
    );
    expect(moved.moves).toEqual([{ tag: 'solo', from: before, to: after, at: expect.any(String), source: 'observed' }]);
    const solo = moved.observations.filter((o) => o.tag === 'solo');
    expect(solo.map((o) => o.digest)).toEqual([after, before]);
    // The old run ends where the new one starts.
    expect(Date.parse(solo[1]!.lastSeen!)).toBeLessThanOrEqual(Date.parse(solo[0]!.firstSeen));
    expect(moved.moves[0]!.at).toBe(solo[0]!.firstSeen);

    // One tag, and since a date after the move: nothing older.
    expect((await history(server, repository, '&tag=1.0')).observations.map((o) => o.tag)).toEqual(['1.0']);
    const since = await history(server, repository, `&since=${encodeURIComponent(new Date(Date.parse(moved.moves[0]!.at) + 1).toISOString())}`);
    expect(since.moves).toEqual([]);

    // The feed says the same, as a feed reader reads it.
    const feedResponse = await fetch(`${server.url}/api/v1/feed?repository=${encodeURIComponent(repository)}&tag=solo`);
    expect(feedResponse.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    const feed = parseFeed(await feedResponse.text());
    expect(feed.items).toHaveLength(1);
    expect(feed.items[0]!.url).toBe(`${server.url}/r/${repository}@${after}`);

    // Survives a restart: the same answer from a new process on the same folder.
    await server.stop();
    const again = await serve({ TAGSCOPE_DATA_DIR: dataDir() });
    const reread = await history(again, repository);
    expect(reread.moves).toEqual(moved.moves);
    expect(reread.observations.map((o) => [o.tag, o.digest, o.firstSeen])).toEqual(moved.observations.map((o) => [o.tag, o.digest, o.firstSeen]));
    await again.stop();
  });

  it('answers a bad query in words', async () => {
    const server = await serve({ TAGSCOPE_DATA_DIR: path.join(dir, 'data-queries') });
    for (const [query, message] of [
      ['&since=last%20week', 'since: must be an ISO 8601 date such as 2024-06-14 or 2024-06-14T23:04:00Z'],
      ['&tag=-bad', 'tag: must be a tag name'],
    ]) {
      const response = await fetch(`${server.url}/api/v1/history?repository=${encodeURIComponent(repository)}${query}`);
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { message: string } }).error.message).toContain(message);
    }
    await server.stop();
  });
});

describe('the address a reader used: feed links and the watch list’s same-origin check', () => {
  const repository = () => `${registry.host}/history/app`;
  const feedXml = async (server: RunningServer, headers: Record<string, string> = {}) =>
    (await fetch(`${server.url}/api/v1/feed?repository=${encodeURIComponent(repository())}`, { headers })).text();
  const watch = (server: RunningServer, headers: Record<string, string>) =>
    fetch(`${server.url}/api/v1/watches?repository=${encodeURIComponent(repository())}`, { method: 'PUT', headers });
  const forwarded = { 'x-forwarded-host': 'tagscope.example', 'x-forwarded-proto': 'https' };

  it('believes X-Forwarded-Host and -Proto only from TAGSCOPE_TRUSTED_PROXIES', async () => {
    const direct = await serve({ TAGSCOPE_DATA_DIR: path.join(dir, 'data-direct') });
    const proxied = await serve({ TAGSCOPE_DATA_DIR: path.join(dir, 'data-proxied'), TAGSCOPE_TRUSTED_PROXIES: '127.0.0.1' });
    const page = `/r/${repository()}`;
    // Anyone may send the headers: without a trusted proxy, links stay on the Host asked.
    expect(await feedXml(direct, forwarded)).toContain(`href="${direct.url}${page}"`);
    expect(await feedXml(direct, forwarded)).not.toContain('tagscope.example');
    // From a trusted proxy, the address the reader used; the first value where proxies appended.
    expect(await feedXml(proxied, forwarded)).toContain(`href="https://tagscope.example${page}"`);
    expect(await feedXml(proxied, { 'x-forwarded-host': 'tagscope.example:8443, inner.local', 'x-forwarded-proto': 'https, http' })).toContain(`href="https://tagscope.example:8443${page}"`);
    // What is not a host and port, or a scheme other than http(s), is not believed.
    for (const headers of [{ 'x-forwarded-host': 'evil.example/phish' }, { 'x-forwarded-host': 'user@evil.example' }, { ...forwarded, 'x-forwarded-proto': 'javascript' }]) {
      const xml = await feedXml(proxied, headers);
      expect(xml, JSON.stringify(headers)).toContain(`href="${proxied.url}${page}"`);
      expect(xml).not.toContain('evil.example');
    }

    // The watch list's writes: Sec-Fetch-Site decides where a browser sends it…
    const denied = async (response: Response) => {
      expect(response.status).toBe(403);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe('DENIED');
    };
    await denied(await watch(direct, { 'sec-fetch-site': 'cross-site' }));
    await denied(await watch(direct, { 'sec-fetch-site': 'same-site', origin: direct.url }));
    expect((await watch(direct, { 'sec-fetch-site': 'same-origin', origin: direct.url })).status).toBe(200);
    // …and without it (an old browser), Origin is compared with the address the reader used.
    await denied(await watch(direct, { origin: 'https://evil.example' }));
    await denied(await watch(direct, { origin: 'null' })); // a sandboxed frame anywhere
    await denied(await watch(direct, { origin: 'https://tagscope.example', ...forwarded }));
    expect((await watch(direct, { origin: direct.url })).status).toBe(200);
    expect((await watch(proxied, { origin: 'https://tagscope.example', ...forwarded })).status).toBe(200);
    await denied(await watch(proxied, { origin: 'http://tagscope.example', ...forwarded }));
    await direct.stop();
    await proxied.stop();
  });
});

describe('what counts as a sighting', () => {
  it('a tag list that names each tag’s digest (Google’s) hands every tag to history', async () => {
    const truth = harness.truth.demo;
    const digest = truth.tags.latest!.digest;
    const front = await startFront(harness.open.url);
    front.options.intercept = ({ kind }) =>
      kind === 'tagPage'
        ? {
            status: 200,
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
              name: 'library/demo',
              tags: ['latest', '3.14'],
              manifest: { [digest]: { imageSizeBytes: '1234', mediaType: truth.tags.latest!.mediaType, tag: ['3.14', 'latest', 'Not A Tag'], timeCreatedMs: '1600000000000' }, 'sha256:short': { tag: ['x'] } },
            }),
          }
        : null;
    try {
      const sightings: Sighting[] = [];
      const service = new RegistryService(new RegistryClient({ insecureRegistries: [front.host] }), new Cache(60_000), (sighting) => sightings.push(sighting));
      await service.listTags(parseRepository(`${front.host}/library/demo`));
      expect(sightings.map(({ repository, tag, digest: d, mediaType, via }) => ({ repository, tag, digest: d, mediaType, via }))).toEqual(
        ['3.14', 'latest'].map((tag) => ({ repository: `${front.host}/library/demo`, tag, digest, mediaType: truth.tags.latest!.mediaType, via: 'list' })),
      );
    } finally {
      await front.stop();
    }
  });
});

describe('the webhook across a restart', () => {
  it('sends after a restart what the receiver had not taken before it, with the same delivery id and body', async () => {
    const repoPath = 'history/webhook-restart';
    const truth = await seedSmallRepository(pusher, registry.host, repoPath);
    const repository = `${registry.host}/${repoPath}`;
    // A receiver that is down (503) until the test brings it up.
    let status = 503;
    const received: { id: string; body: unknown; status: number }[] = [];
    const receiver = http.createServer((request, response) => {
      let text = '';
      request.on('data', (chunk: Buffer) => (text += chunk.toString()));
      request.on('end', () => {
        received.push({ id: String(request.headers['x-tagscope-delivery']), body: JSON.parse(text), status });
        response.writeHead(status).end();
      });
    });
    const { host, stop } = await listenOnLoopback(receiver);
    const env = { TAGSCOPE_DATA_DIR: path.join(dir, 'data-webhook'), TAGSCOPE_WEBHOOK_URL: `http://${host}/hook`, TAGSCOPE_INSECURE_REGISTRIES: insecureRegistries(harness, [registry.host, host]) };
    try {
      const first = await serve(env);
      await view(first, repository);
      const after = await retag(pusher, registry.url, repoPath, 'solo', '1.0');
      await view(first, repository);
      await eventually(async () => received.length, (count) => count > 0);
      expect(received[0]!.body).toMatchObject({ repository, tag: 'solo', from: truth.tags.solo!.digest, to: after });
      // Stopped between attempts: the delivery is kept in the database, not lost with the process.
      await first.stop();
      status = 204;
      const second = await serve(env);
      await eventually(async () => received.filter((r) => r.status === 204).length, (count) => count > 0);
      expect(received.filter((r) => r.status === 204)).toEqual([{ id: received[0]!.id, body: received[0]!.body, status: 204 }]);
      // Delivered, it is forgotten: a third start sends nothing.
      await second.stop();
      const third = await serve(env);
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      expect(received.filter((r) => r.status === 204)).toHaveLength(1);
      await third.stop();
    } finally {
      await stop();
    }
  });
});

describe('the watcher', () => {
  it('finds a move on its own, polling with HEADs', async () => {
    const repoPath = 'history/watched';
    const truth = await seedSmallRepository(pusher, registry.host, repoPath);
    const repository = `${registry.host}/${repoPath}`;
    const server = await serve({ TAGSCOPE_DATA_DIR: path.join(dir, 'data-watch'), TAGSCOPE_WATCH: repository, TAGSCOPE_WATCH_INTERVAL_SECONDS: '1' });
    // Nobody views it: the watcher's first poll records all three tags.
    await eventually(
      () => history(server, repository),
      (answer) => answer.observations.length === 3,
    );
    const watches = (await (await fetch(`${server.url}/api/v1/watches`)).json()) as { watches: { repository: string; origin: string; lastPolledAt: string | null }[] };
    expect(watches.watches).toEqual([expect.objectContaining({ repository, origin: 'config', lastPolledAt: expect.any(String) })]);
    const after = await retag(pusher, registry.url, repoPath, 'stable', 'solo');
    const moved = await eventually(
      () => history(server, repository),
      (answer) => answer.moves.length > 0,
    );
    expect(moved.moves).toEqual([{ tag: 'stable', from: truth.tags.stable!.digest, to: after, at: expect.any(String), source: 'observed' }]);
    await server.stop();
  });

  it('polls Docker Hub’s newest tag page once it has read the whole list, and finds a move there', async () => {
    const repoPath = 'history/hub';
    // 150 tags: two pages of Hub's 100.
    const truth = await seedScaleRepository(pusher, registry.host, repoPath, { tags: 150, indexes: 3, platformsPerIndex: 1 });
    const repository = `${registry.host}/${repoPath}`;
    const hub = await startHubEmulator({ repositories: [hubRepositoryFromTruth(truth)] });
    try {
      const server = await serve({
        TAGSCOPE_DATA_DIR: path.join(dir, 'data-hub'),
        TAGSCOPE_INSECURE_REGISTRIES: insecureRegistries(harness, [registry.host, hub.host]),
        TAGSCOPE_REGISTRY_APIS: `${registry.host}=hub:${hub.url}`,
        TAGSCOPE_WATCH: repository,
        TAGSCOPE_WATCH_INTERVAL_SECONDS: '1',
      });
      // The first poll reads the whole list: every tag, through the web API alone.
      const first = await eventually(
        () => history(server, repository),
        (answer) => answer.observations.length === 150,
      );
      expect(new Set(first.observations.map((o) => o.via))).toEqual(new Set(['hub']));
      const tagPages = () => hub.log.filter((record) => record.kind === 'tagList').map((record) => new URL(record.path, hub.url).searchParams.get('page') ?? '1');
      expect(tagPages()).toContain('2');
      // Then one request a poll: the newest page.
      hub.reset();
      await eventually(
        async () => tagPages().length,
        (count) => count >= 3,
      );
      expect(new Set(tagPages())).toEqual(new Set(['1']));
      // A tag pushed anew on Hub is on that page: a move, seen through the web API.
      const hubTags = hub.repository(repoPath).tags;
      const moved = hubTags.find((t) => t.digest !== hubTags[0]!.digest)!;
      const from = moved.digest!;
      const to = hubTags[0]!.digest!;
      moved.digest = to;
      moved.last_updated = new Date().toISOString();
      moved.tag_last_pushed = moved.last_updated;
      const after = await eventually(
        () => history(server, repository),
        (answer) => answer.moves.length > 0,
      );
      expect(after.moves).toEqual([{ tag: moved.name, from, to, at: expect.any(String), source: 'observed' }]);
      expect(new Set(tagPages())).toEqual(new Set(['1']));
      await server.stop();
    } finally {
      await hub.stop();
    }
  });

  it('imports the registry’s own record where the registry keeps one (Quay)', async () => {
    const repoPath = 'history/quay';
    const truth = await seedSmallRepository(pusher, registry.host, repoPath);
    const repository = `${registry.host}/${repoPath}`;
    const quay: QuayEmulator = await startQuayEmulator({ repositories: [quayRepositoryFromTruth(truth)] });
    try {
      // In the registry's record, `stable` pointed at solo's image for an hour a day ago, then at its index.
      const dayAgo = Math.floor(Date.now() / 1000) - 86_400;
      const stable = quay.alive(repoPath, 'stable')!;
      Object.assign(stable, { manifestDigest: truth.tags.solo!.digest, isManifestList: false, startTs: dayAgo });
      quay.moveTag(repoPath, 'stable', truth.tags.stable!.digest, dayAgo + 3_600, { isManifestList: true, size: null });
      const server = await serve({
        TAGSCOPE_DATA_DIR: path.join(dir, 'data-quay'),
        TAGSCOPE_INSECURE_REGISTRIES: insecureRegistries(harness, [registry.host, quay.host]),
        TAGSCOPE_REGISTRY_APIS: `${registry.host}=quay:${quay.url}`,
        TAGSCOPE_WATCH: repository,
        TAGSCOPE_WATCH_INTERVAL_SECONDS: '1',
      });
      const answer = await eventually(
        () => history(server, repository),
        (h) => h.observations.some((o) => o.source === 'registry'),
      );
      const registryRuns = answer.observations.filter((o) => o.source === 'registry' && o.tag === 'stable');
      expect(registryRuns.map((o) => [o.digest, o.firstSeen, o.lastSeen])).toEqual([
        [truth.tags.stable!.digest, new Date((dayAgo + 3_600) * 1000).toISOString(), null],
        [truth.tags.solo!.digest, new Date(dayAgo * 1000).toISOString(), new Date((dayAgo + 3_600) * 1000).toISOString()],
      ]);
      expect(answer.moves).toEqual([
        { tag: 'stable', from: truth.tags.solo!.digest, to: truth.tags.stable!.digest, at: new Date((dayAgo + 3_600) * 1000).toISOString(), source: 'registry' },
      ]);
      expect(quay.requests.some((r) => r.kind === 'tagList')).toBe(true);
      // Its live tags are sightings too, marked as got through Quay's API, without a HEAD.
      const observed = await eventually(
        () => history(server, repository),
        (h) => h.observations.filter((o) => o.source === 'observed').length === 3,
      );
      expect(new Set(observed.observations.filter((o) => o.source === 'observed').map((o) => o.via))).toEqual(new Set(['quay']));
      await server.stop();
    } finally {
      await quay.stop();
    }
  });
});

describe('the registry’s own record, read when a tag is looked at', () => {
  it('imports one Quay tag’s record for its history and ?at=, once per tag TTL, without a watch', async () => {
    const repoPath = 'history/quay-viewed';
    const truth = await seedSmallRepository(pusher, registry.host, repoPath);
    const repository = `${registry.host}/${repoPath}`;
    const quay = await startQuayEmulator({ repositories: [quayRepositoryFromTruth(truth)] });
    try {
      const weekAgo = Math.floor(Date.now() / 1000) - 7 * 86_400;
      const stable = quay.alive(repoPath, 'stable')!;
      Object.assign(stable, { manifestDigest: truth.tags.solo!.digest, isManifestList: false, startTs: weekAgo });
      quay.moveTag(repoPath, 'stable', truth.tags.stable!.digest, weekAgo + 86_400, { isManifestList: true, size: null });
      const server = await serve({
        TAGSCOPE_DATA_DIR: path.join(dir, 'data-quay-viewed'),
        TAGSCOPE_INSECURE_REGISTRIES: insecureRegistries(harness, [registry.host, quay.host]),
        TAGSCOPE_REGISTRY_APIS: `${registry.host}=quay:${quay.url}`,
        TAGSCOPE_TAG_TTL_SECONDS: '60',
      });
      const answer = await history(server, repository, '&tag=stable');
      expect(answer.moves).toEqual([
        { tag: 'stable', from: truth.tags.solo!.digest, to: truth.tags.stable!.digest, at: new Date((weekAgo + 86_400) * 1000).toISOString(), source: 'registry' },
      ]);
      // One tag's rows were asked for, not the repository's.
      const asked = quay.requests.filter((r) => r.kind === 'tagList').map((r) => new URL(r.path, quay.url).searchParams.get('specificTag'));
      expect(asked).toEqual(['stable']);
      // What it pointed at half a day after the week-old push: the registry's record says.
      const at = new Date((weekAgo + 43_200) * 1000).toISOString();
      const page = await fetch(`${server.url}/r/${repository}:stable?at=${encodeURIComponent(at)}`);
      expect(page.status).toBe(200);
      const html = await page.text();
      expect(html).toContain(truth.tags.solo!.digest.slice(0, 19));
      expect(html).toMatch(/according to the registry.{0,40}record/);
      // Within the tag TTL the record is not asked for again.
      expect(quay.requests.filter((r) => r.kind === 'tagList')).toHaveLength(1);
      await server.stop();
    } finally {
      await quay.stop();
    }
  });
});

describe('start-up refuses what it must not touch', () => {
  it('stops in one line on a database written by a newer Tagscope, and leaves it as it was', async () => {
    const dataDir = path.join(dir, 'data-future');
    const database = await openHistoryDatabase({ engine: 'sqlite', file: path.join(dataDir, SQLITE_FILE) });
    await sql`insert into ${sql.table(MIGRATION_TABLE)} (name, timestamp) values ('9999-from-the-future', '2030-01-01T00:00:00.000Z')`.execute(database.db);
    await database.close();
    const bytes = readFileSync(path.join(dataDir, SQLITE_FILE));
    const server = startNextServer({ TAGSCOPE_DATA_DIR: dataDir });
    await expect(server).rejects.toThrow(/exited with code 1/);
    const message: string = await server.then(
      () => 'started',
      (error: Error) => error.message,
    );
    const line = message.split('\n').find((text) => text.startsWith('tagscope: '));
    const latest = Object.keys(migrations('sqlite')).at(-1)!;
    expect(line).toMatch(new RegExp(`^tagscope: the history database at .* has schema version 9999-from-the-future, newer than this Tagscope knows \\(${latest}\\); refusing to run`));
    expect(readFileSync(path.join(dataDir, SQLITE_FILE)).equals(bytes)).toBe(true);
  });

  it.each([
    ['DATABASE_URL', 'mysql://db/tagscope', /^tagscope: DATABASE_URL=\(hidden\) is not valid: expected a postgres:\/\/ URL/],
    ['TAGSCOPE_WATCH', 'alpine,Bad Name', /^tagscope: TAGSCOPE_WATCH=alpine,Bad Name is not valid: entry "Bad Name" is not a repository/],
    ['TAGSCOPE_WATCH_INTERVAL_SECONDS', '0.5', /^tagscope: TAGSCOPE_WATCH_INTERVAL_SECONDS=0.5 is not valid: expected a whole number of seconds, 1 or more$/],
  ])('stops in one line on a bad %s', async (name, value, pattern) => {
    const message: string = await startNextServer({ [name]: value }).then(
      async (server) => {
        await server.stop();
        return 'started';
      },
      (error: Error) => error.message,
    );
    const lines = message.split('\n').filter((text) => text.startsWith('tagscope: '));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(pattern);
  });
});

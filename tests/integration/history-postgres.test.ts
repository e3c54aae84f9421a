// Tag history shared through a real PostgreSQL server by two instances of the production
// server: both watch one repository, one polls it at a time, a tag moved in a
// registry is found and delivered to a webhook receiver exactly once; then the database goes
// away mid-run — views keep working and say history is unavailable, what is seen meanwhile is
// buffered and written once the database is back.
import { mkdtemp, rm } from 'node:fs/promises';
import { createHmac } from 'node:crypto';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { HistoryResponse } from '@/lib/api/types';
import { insecureRegistries } from '../support/harness';
import { Pusher } from '../support/harness/pusher';
import { startRegistry, type RegistryProcess } from '../support/harness/registry-process';
import { eventually, retag } from '../support/history';
import { seedSmallRepository } from '../support/harness/seed';
import { startNextServer, type RunningServer } from '../support/next-server';
import { listenOnLoopback, type LoopbackServer } from '../support/ports';
import { startPostgres, type PostgresServer } from '../support/postgres';

const harness = inject('harness');
// A registry of these tests' own: they push and move tags; the harness's open registry is a fixed fixture.
let registry: RegistryProcess;
let pusher: Pusher;

interface Hook {
  body: Record<string, unknown>;
  delivery: string | undefined;
  /** Whether X-Tagscope-Signature-256 is the HMAC of the bytes received under WEBHOOK_SECRET, as a receiver checks it. */
  signed: boolean;
}

const WEBHOOK_SECRET = 'a-receiver-and-tagscope-share-this';

let dir: string;
let postgres: PostgresServer;
let receiver: LoopbackServer | undefined;
let receiverHost: string;
const hooks: Hook[] = [];
const servers: RunningServer[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tagscope-history-pg-'));
  postgres = await startPostgres();
  registry = await startRegistry({ kind: 'none' }, 'history-pg');
  pusher = new Pusher({ url: registry.url });
  const server = http.createServer((request, response) => {
    let text = '';
    request.on('data', (chunk: Buffer) => (text += chunk.toString()));
    request.on('end', () => {
      const signature = `sha256=${createHmac('sha256', WEBHOOK_SECRET).update(text).digest('hex')}`;
      hooks.push({ body: JSON.parse(text) as Record<string, unknown>, delivery: request.headers['x-tagscope-delivery'] as string | undefined, signed: request.headers['x-tagscope-signature-256'] === signature });
      response.writeHead(204).end();
    });
  });
  receiver = await listenOnLoopback(server);
  receiverHost = receiver.host;
});

afterAll(async () => {
  for (const server of servers) await server.stop();
  await receiver?.stop();
  await registry?.stop();
  await postgres?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function serve(env: Record<string, string>): Promise<RunningServer> {
  const server = await startNextServer({
    TAGSCOPE_INSECURE_REGISTRIES: insecureRegistries(harness, [registry.host, receiverHost]),
    TAGSCOPE_CACHE_DIR: path.join(dir, `cache-${servers.length}`),
    TAGSCOPE_TAG_TTL_SECONDS: '0',
    TAGSCOPE_REGISTRY_APIS: 'none',
    TAGSCOPE_METRICS: '1',
    DATABASE_URL: postgres.url,
    ...env,
  });
  servers.push(server);
  return server;
}

async function history(server: RunningServer, repository: string): Promise<{ status: number; body: HistoryResponse & { error?: { code: string; message: string } } }> {
  const response = await fetch(`${server.url}/api/v1/history?repository=${encodeURIComponent(repository)}`);
  return { status: response.status, body: (await response.json()) as HistoryResponse & { error?: { code: string; message: string } } };
}

/** A counter's value on one server's /metrics (summed over its labels that match). */
async function metric(server: RunningServer, name: string, labels = ''): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  return text
    .split('\n')
    .filter((line) => line.startsWith(name) && line.includes(labels))
    .reduce((sum, line) => sum + Number(line.split(' ').at(-1)), 0);
}

describe('two instances on one PostgreSQL', () => {
  it('poll a watched repository one at a time and announce a move once', async () => {
    const repoPath = 'history/shared';
    const truth = await seedSmallRepository(pusher, registry.host, repoPath);
    const repository = `${registry.host}/${repoPath}`;
    const env = { TAGSCOPE_WATCH: repository, TAGSCOPE_WATCH_INTERVAL_SECONDS: '2', TAGSCOPE_WEBHOOK_URL: `http://${receiverHost}/hook`, TAGSCOPE_WEBHOOK_SECRET: WEBHOOK_SECRET };
    const [one, two] = await Promise.all([serve(env), serve(env)]);
    const started = Date.now();
    await eventually(
      () => history(one, repository),
      (answer) => answer.body.observations?.length === 3,
    );
    const after = await retag(pusher, registry.url, repoPath, 'solo', '1.0');
    await eventually(
      async () => hooks.length,
      (count) => count > 0,
    );
    // Both keep polling a while longer: neither announces the move again.
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    const seconds = (Date.now() - started) / 1000;
    expect(hooks.map((hook) => hook.body)).toEqual([
      { registry: registry.host, repository, tag: 'solo', from: truth.tags.solo!.digest, to: after, time: expect.any(String), source: 'observed' },
    ]);
    expect(hooks[0]!.delivery).toMatch(/^[0-9a-f-]{36}$/);
    expect(hooks[0]!.signed).toBe(true);
    // The same history from either instance. Both keep polling meanwhile, so a run's "last seen"
    // may move on between the two reads (a CI run saw it do so), never back.
    const fromOne = await history(one, repository);
    const fromTwo = await history(two, repository);
    expect(fromOne.body.moves).toHaveLength(1);
    const lastSeen = (answer: typeof fromOne) => answer.body.observations!.map((o) => Date.parse(o.lastSeen!));
    const settled = (answer: typeof fromOne) => ({ ...answer.body, observations: answer.body.observations!.map(({ lastSeen: _, ...rest }) => rest) });
    expect(settled(fromTwo)).toEqual(settled(fromOne));
    lastSeen(fromTwo).forEach((seen, i) => expect(seen).toBeGreaterThanOrEqual(lastSeen(fromOne)[i]!));
    // One poll per interval between them (at least 0.9 × 2 s apart), not one each.
    const polls = (await metric(one, 'tagscope_watch_polls_total', 'outcome="ok"')) + (await metric(two, 'tagscope_watch_polls_total', 'outcome="ok"'));
    expect(polls).toBeGreaterThanOrEqual(2);
    expect(polls).toBeLessThanOrEqual(Math.floor(seconds / 1.8) + 1);
    expect((await metric(one, 'tagscope_tag_moves_total')) + (await metric(two, 'tagscope_tag_moves_total'))).toBe(1);
    expect((await metric(one, 'tagscope_watched_repositories')) + (await metric(two, 'tagscope_watched_repositories'))).toBe(2);
    await Promise.all([one.stop(), two.stop()]);
  });
});

describe('the database going away mid-run', () => {
  it('keeps views working, says history is unavailable, and writes what was seen once it is back', async () => {
    const repoPath = 'history/outage';
    const truth = await seedSmallRepository(pusher, registry.host, repoPath);
    const repository = `${registry.host}/${repoPath}`;
    const server = await serve({});
    const view = async () => {
      const response = await fetch(`${server.url}/api/v1/repository?repository=${encodeURIComponent(repository)}`);
      await response.text();
      return response.status;
    };
    expect(await view()).toBe(200);
    await eventually(
      () => history(server, repository),
      (answer) => answer.body.observations?.length === 3,
    );
    expect(await metric(server, 'tagscope_history_available')).toBe(1);

    await postgres.kill();
    const after = await retag(pusher, registry.url, repoPath, 'stable', 'solo');
    // Views work without history: the repository, a tag page, a digest page.
    expect(await view()).toBe(200);
    const tagPage = await fetch(`${server.url}/r/${repository}:stable`);
    expect(tagPage.status).toBe(200);
    expect(await tagPage.text()).toContain(after);
    const away = await history(server, repository);
    expect(away.status).toBe(503);
    expect(away.body.error).toMatchObject({ code: 'HISTORY_UNAVAILABLE', message: expect.stringMatching(/^Tag history is unavailable: /) });
    expect(await metric(server, 'tagscope_history_available')).toBe(0);
    expect(await metric(server, 'tagscope_history_pending_sightings')).toBeGreaterThan(0);

    await postgres.restart();
    const back = await eventually(
      () => history(server, repository),
      (answer) => answer.status === 200 && answer.body.moves.length === 1,
      40_000,
    );
    expect(back.body.moves).toEqual([{ tag: 'stable', from: truth.tags.stable!.digest, to: after, at: expect.any(String), source: 'observed' }]);
    await server.stop();
  });
});

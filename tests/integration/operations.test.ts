// The operator's endpoints on the production server: liveness, readiness against the cache
// store actually configured (a real Redis, one that never answers, a disk folder that cannot
// be written), /metrics off, behind a token, and counting what the harness registry saw, and
// one JSON log line per API request and per failed upstream request.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { insecureRegistries } from '../support/harness';
import { startFront, type Front } from '../support/harness/front';
import { startNextServer, type RunningServer } from '../support/next-server';
import { freePort } from '../support/ports';
import { startRedis } from '../support/redis';

const harness = inject('harness');
const TOKEN = 'metrics-token-0123456789abcdef';

let dir: string;
const servers: RunningServer[] = [];
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tagscope-operations-'));
});

afterAll(async () => {
  for (const server of servers) await server.stop();
  for (const close of closers) await close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function serve(env: Record<string, string | undefined>): Promise<RunningServer> {
  const server = await startNextServer({ TAGSCOPE_CACHE_DIR: path.join(dir, `cache-${servers.length}`), ...env });
  servers.push(server);
  return server;
}

async function getJson(url: string, init?: RequestInit): Promise<{ status: number; body: unknown; elapsedMs: number; headers: Headers }> {
  const started = Date.now();
  const response = await fetch(url, init);
  return { status: response.status, body: await response.json(), elapsedMs: Date.now() - started, headers: response.headers };
}

/** A TCP server that accepts connections and never says a word: a Redis that hangs. */
async function silentSocket(): Promise<string> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => sockets.add(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
  return `redis://127.0.0.1:${(server.address() as net.AddressInfo).port}`;
}

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Prometheus text format → samples (comments skipped). */
function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`not an exposition line: ${line}`);
    const labels = Object.fromEntries([...(match[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((m) => [m[1]!, m[2]!]));
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

function sum(samples: Sample[], name: string, labels: Record<string, string> = {}): number {
  return samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v)).reduce((total, s) => total + s.value, 0);
}

/**
 * The server's JSON log lines of one request (its other output, like the start-up line, is
 * left out), once `count` have arrived: the pipe from the server may deliver them after the
 * answer.
 */
async function logLines(server: RunningServer, requestId: string | null, count: number): Promise<Record<string, unknown>[]> {
  const read = () =>
    server
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>)
      .filter((line) => line.requestId === requestId);
  for (let waited = 0; read().length < count && waited < 5_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
  return read();
}

describe('GET /api/health and /api/ready', () => {
  it('answer on a default server, outside the API rate limit, and /metrics is off', async () => {
    const server = await serve({ TAGSCOPE_RATE_LIMIT: '1' });
    const api = `${server.url}/api/v1/reference?reference=alpine`;
    expect((await fetch(api)).status).toBe(200);
    expect((await fetch(api)).status).toBe(429);
    for (let i = 0; i < 3; i++) {
      expect(await getJson(`${server.url}/api/health`)).toMatchObject({ status: 200, body: { status: 'ok' } });
      expect(await getJson(`${server.url}/api/ready`)).toMatchObject({ status: 200, body: { status: 'ok', checks: { cache: { status: 'ok' } } } });
    }
    const metrics = await fetch(`${server.url}/metrics`);
    expect(metrics.status).toBe(404);
    expect(await metrics.text()).not.toContain('tagscope_');
  });

  it.each([
    ['a Redis that answers PING', 'answering', 200],
    ['a Redis that accepts connections and never answers', 'silent', 503],
    ['a Redis on a closed port', 'closed', 503],
  ] as const)('with %s (%s): HTTP %i', async (_, kind, status) => {
    let url: string;
    if (kind === 'answering') {
      const redis = await startRedis();
      closers.push(redis.stop);
      url = redis.url;
    } else {
      url = kind === 'silent' ? await silentSocket() : `redis://127.0.0.1:${await freePort()}`;
    }
    const server = await serve({ REDIS_URL: url });
    for (let i = 0; i < 2; i++) {
      const ready = await getJson(`${server.url}/api/ready`);
      expect(ready.status).toBe(status);
      // The probe's own deadline (2 s) bounds it, whatever Redis does.
      expect(ready.elapsedMs).toBeLessThan(3_000);
      if (status === 200) expect(ready.body).toEqual({ status: 'ok', checks: { cache: { status: 'ok' } } });
      else expect(ready.body).toEqual({ status: 'down', checks: { cache: { status: 'down', error: expect.any(String) } } });
    }
    expect((await getJson(`${server.url}/api/health`)).status).toBe(200);
  });

  it('with a disk cache folder that cannot be made: 503 saying why', async () => {
    const file = path.join(dir, 'a-file');
    await writeFile(file, '');
    const server = await serve({ TAGSCOPE_CACHE_DIR: path.join(file, 'cache') });
    const ready = await getJson(`${server.url}/api/ready`);
    expect(ready).toMatchObject({ status: 503, body: { status: 'down', checks: { cache: { status: 'down', error: expect.stringContaining('ENOTDIR') } } } });
  });
});

describe('GET /metrics', () => {
  it('with TAGSCOPE_METRICS_TOKEN: a bare 401 without the token or with a wrong one, the metrics with it', async () => {
    const server = await serve({ TAGSCOPE_METRICS_TOKEN: TOKEN });
    for (const authorization of [undefined, 'Bearer wrong', `Bearer ${TOKEN}x`, `Basic ${TOKEN}`, TOKEN]) {
      const response = await fetch(`${server.url}/metrics`, { headers: authorization ? { authorization } : {} });
      expect(response.status, String(authorization)).toBe(401);
      expect(await response.text()).toBe('');
    }
    const response = await fetch(`${server.url}/metrics`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(await response.text()).toContain('# TYPE tagscope_upstream_requests_total counter');
    expect(server.output()).not.toContain(TOKEN);
  });

  describe('after a repository view of the harness registry', () => {
    let front: Front;
    let server: RunningServer;
    let samples: Sample[];
    let requestId: string | null;

    beforeAll(async () => {
      front = await startFront(harness.open.url);
      closers.push(front.stop);
      server = await serve({ TAGSCOPE_METRICS: '1', TAGSCOPE_INSECURE_REGISTRIES: insecureRegistries(harness, [front.host]) });
      const view = await fetch(`${server.url}/api/v1/repository?repository=${encodeURIComponent(`${front.host}/library/demo`)}`);
      expect(view.status).toBe(200);
      requestId = view.headers.get('x-request-id');
      await view.json();
      samples = parseExposition(await (await fetch(`${server.url}/metrics`)).text());
    });

    it('counts upstream requests by kind as the registry saw them', () => {
      const counts = front.counts();
      const upstream = (kind: string) => sum(samples, 'tagscope_upstream_requests_total', { registry: front.host, kind });
      expect({
        tags: upstream('tags_list'),
        heads: upstream('manifest_head'),
        gets: upstream('manifest_get'),
        blobs: upstream('blob'),
        all: sum(samples, 'tagscope_upstream_requests_total'),
      }).toEqual({
        tags: counts.tagPage,
        heads: counts.manifestHead,
        gets: counts.manifestGet,
        blobs: counts.blobHead + counts.blobGet,
        all: front.log.length,
      });
      expect(counts.manifestHead).toBeGreaterThan(0);
      expect(sum(samples, 'tagscope_upstream_requests_total', { registry: front.host, status_class: '2xx' })).toBe(front.log.filter((r) => r.status < 300).length);
      expect(sum(samples, 'tagscope_pulls_spent_total', { registry: front.host })).toBe(front.log.filter((r) => r.kind === 'manifestGet' && r.status < 300).length);
    });

    it('counts the API answer, the view, and cache lookups', () => {
      expect(sum(samples, 'tagscope_api_responses_total', { route: '/api/v1/repository', status: '200' })).toBe(1);
      expect(sum(samples, 'tagscope_view_duration_seconds_count', { view: 'repository' })).toBe(1);
      expect(sum(samples, 'tagscope_cache_lookups_total', { layer: 'memory', result: 'miss' })).toBeGreaterThan(0);
      expect(sum(samples, 'tagscope_cache_lookups_total', { layer: 'disk' })).toBeGreaterThan(0);
    });

    it('names no repository or tag in any label', () => {
      const names = ['library/demo', 'demo', ...Object.keys(harness.truth.demo.tags)];
      for (const { labels } of samples.filter((s) => s.name.startsWith('tagscope_'))) {
        for (const value of Object.values(labels)) {
          for (const name of names) expect(value).not.toContain(name);
        }
      }
    });

    it('logs the API request as one JSON line with its id', async () => {
      const lines = await logLines(server, requestId, 1);
      expect(lines).toEqual([
        expect.objectContaining({ level: 'info', msg: 'api request', route: '/api/v1/repository', method: 'GET', status: 200, durationMs: expect.any(Number), time: expect.any(String) }),
      ]);
    });

    it('logs a failed upstream request with the API request that caused it', async () => {
      const closed = `127.0.0.1:${await freePort()}`;
      const other = await serve({ TAGSCOPE_INSECURE_REGISTRIES: closed });
      const response = await fetch(`${other.url}/api/v1/tags?repository=${encodeURIComponent(`${closed}/library/gone`)}`);
      expect(response.status).toBe(502);
      const lines = await logLines(other, response.headers.get('x-request-id'), 2);
      expect(lines).toEqual([
        expect.objectContaining({ level: 'warn', msg: 'upstream request failed', route: '/api/v1/tags', registry: closed, kind: 'tags', status: null, errorCode: 'ECONNREFUSED' }),
        expect.objectContaining({ level: 'info', msg: 'api request', route: '/api/v1/tags', status: 502, errorCode: 'UNREACHABLE' }),
      ]);
      expect(JSON.stringify(lines)).not.toContain('library/gone');
    });
  });
});

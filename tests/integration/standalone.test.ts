// The standalone build runs without the source tree: a copy of only the entries
// scripts/standalone-entries.mjs lists (what the Dockerfile's runtime stage copies), in a folder
// outside the checkout, started with `node server.js` as a container starts it, serves a
// repository page and its NDJSON stream from the real registry with what scripts/server.mjs
// adds to Next: the stream compressed, and a page's own status (404 for an unknown tag).
// Needs a production build (`npm run test:integration` builds first).
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { RepositoryEvent } from '@/lib/api/types';
import { STANDALONE_DIR, STANDALONE_ENTRIES } from '@/scripts/standalone-entries.mjs';
import { insecureRegistries } from '../support/harness';
import { startNextServer, type RunningServer } from '../support/next-server';

const root = path.resolve(import.meta.dirname, '../..');
const harness = inject('harness');
const demo = harness.truth.demo;

let dir: string;
let app: string;
let server: RunningServer;

beforeAll(async () => {
  // `npm run build` has completed the folder already; after `next build` alone this does. It
  // replaces what it copies, so running it again changes nothing.
  await promisify(execFile)(process.execPath, [path.join(root, 'scripts', 'standalone.mjs')], { cwd: root });
  dir = await mkdtemp(path.join(tmpdir(), 'tagscope-standalone-'));
  app = path.join(dir, 'app');
  for (const entry of STANDALONE_ENTRIES) {
    await cp(path.join(root, STANDALONE_DIR, entry), path.join(app, entry), { recursive: true, verbatimSymlinks: true });
  }
  // No TAGSCOPE_CACHE_DIR: the default, .data/cache, must land in the folder (the image's volume).
  server = await startNextServer({ TAGSCOPE_INSECURE_REGISTRIES: insecureRegistries(harness), TAGSCOPE_CACHE_DIR: undefined }, { standalone: app });
});

afterAll(async () => {
  await server?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

function get(pathname: string, headers: http.OutgoingHttpHeaders = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    http
      .get(`${server.url}${pathname}`, { headers }, (response) => {
        const parts: Buffer[] = [];
        response.on('data', (chunk: Buffer) => parts.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body: Buffer.concat(parts) }));
        response.on('error', reject);
      })
      .on('error', reject);
  });
}

describe('the standalone folder', () => {
  it('holds the listed entries only: no source tree beside server.js', async () => {
    expect((await readdir(app)).sort()).toEqual([...STANDALONE_ENTRIES].sort());
  });

  it('serves a repository page, with its tags, from the build the folder holds', async () => {
    const page = await get(`/r/${demo.repository}`);
    expect(page.status).toBe(200);
    expect(page.headers['content-type']).toContain('text/html');
    expect(page.body.toString()).toContain(demo.repository);
  });

  it('answers the health check the Dockerfile’s HEALTHCHECK asks, and readiness', async () => {
    expect((await get('/api/health')).status).toBe(200);
    const ready = await get('/api/ready');
    expect(ready.status).toBe(200);
    expect(JSON.parse(ready.body.toString())).toMatchObject({ status: 'ok' });
  });

  it('answers a page for an unknown tag with 404 (the page-status hook of scripts/server.mjs)', async () => {
    const page = await get(`/r/${demo.repository}:no-such-tag`);
    expect(page.status).toBe(404);
    expect(page.body.toString()).toContain('Tag not found');
  });
});

describe.each([
  ['br', (body: Buffer) => zlib.brotliDecompressSync(body)],
  ['gzip', (body: Buffer) => zlib.gunzipSync(body)],
])('the NDJSON stream, to a client that accepts %s', (coding, decode) => {
  it(`is ${coding}-encoded, and holds every tag and a done last`, async () => {
    const query = `repository=${encodeURIComponent(demo.repository)}`;
    const stream = await get(`/api/v1/repository?${query}`, { accept: 'application/x-ndjson', 'accept-encoding': coding });
    expect(stream.status).toBe(200);
    expect(stream.headers['content-type']).toContain('application/x-ndjson');
    expect(stream.headers['content-encoding']).toBe(coding);
    const events = decode(stream.body).toString().trimEnd().split('\n').map((line) => JSON.parse(line) as RepositoryEvent);
    expect(events[0]).toMatchObject({ type: 'tags' });
    expect((events[0] as { tags: string[] }).tags.slice().sort()).toEqual(Object.keys(demo.tags).sort());
    expect(events.at(-1)).toEqual({ type: 'done' });
  });
});

describe('the disk cache', () => {
  // After the streams above resolved the demo's manifests, which the cache keeps.
  it("is in the folder by default, under .data (the image's volume)", async () => {
    await expect.poll(() => readdir(app)).toContain('.data');
  });
});

// The repository view's NDJSON stream through the production server (scripts/server.mjs, as
// `npm start` runs it), against the real registry behind a front that adds 50 ms a request:
// compressed when the client accepts it (docs/performance.md "The stream on the wire"), each
// batch flushed so the first group can be read while the view is still resolving, and the same
// events as the plain stream.
// Needs a production build (`npm run test:integration` builds first).
import http from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Group, RepositoryEvent } from '@/lib/api/types';
import { insecureRegistries } from '../support/harness';
import { startFront, type Front } from '../support/harness/front';
import { startNextServer, type RunningServer } from '../support/next-server';
import { comparableGroups, expectedGroups } from '../support/truth';

const harness = inject('harness');
const demo = harness.truth.demo;
const CASES = [
  // [Accept-Encoding, the coding answered]
  ['gzip', 'gzip'],
  ['gzip, deflate, br, zstd', 'br'], // Chromium's
  [null, null],
] as const;

let dir: string;
let server: RunningServer;
// One front per case: each view is a cold one, resolving while it streams.
const fronts = new Map<string, Front>();

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'tagscope-stream-'));
  for (const [acceptEncoding] of CASES) fronts.set(String(acceptEncoding), await startFront(harness.open.url, { delayMs: 50 }));
  server = await startNextServer({
    TAGSCOPE_INSECURE_REGISTRIES: insecureRegistries(harness, [...fronts.values()].map((f) => f.host)),
    TAGSCOPE_CACHE_DIR: path.join(dir, 'cache'),
  });
});

afterAll(async () => {
  await server?.stop();
  for (const front of fronts.values()) await front.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** What the bytes received so far decode to, as a client reading the stream sees it. */
function decodeSoFar(coding: string | undefined, wire: Buffer): string {
  const Z = zlib.constants;
  if (coding === 'gzip') return zlib.gunzipSync(wire, { finishFlush: Z.Z_SYNC_FLUSH }).toString();
  if (coding === 'br') return zlib.brotliDecompressSync(wire, { finishFlush: Z.BROTLI_OPERATION_FLUSH }).toString();
  return wire.toString();
}

interface Streamed {
  headers: http.IncomingHttpHeaders;
  events: RepositoryEvent[];
  /** How many wire chunks had arrived when a whole group line could first be decoded, and in all. */
  chunksToFirstGroup: number;
  chunks: number;
}

function stream(acceptEncoding: string | null, repository: string): Promise<Streamed> {
  const url = `${server.url}/api/v1/repository?repository=${encodeURIComponent(repository)}`;
  const headers: http.OutgoingHttpHeaders = { accept: 'application/x-ndjson', ...(acceptEncoding ? { 'accept-encoding': acceptEncoding } : {}) };
  return new Promise((resolve, reject) => {
    http
      .get(url, { headers }, (response) => {
        const parts: Buffer[] = [];
        let chunksToFirstGroup = NaN;
        response.on('data', (chunk: Buffer) => {
          parts.push(chunk);
          // A complete line, not the start of one: the group can be used as soon as it is here.
          if (Number.isNaN(chunksToFirstGroup) && /^\{"type":"group".*\n/m.test(decodeSoFar(response.headers['content-encoding'], Buffer.concat(parts)))) {
            chunksToFirstGroup = parts.length;
          }
        });
        response.on('end', () => {
          const text = decodeSoFar(response.headers['content-encoding'], Buffer.concat(parts));
          const events = text.trimEnd().split('\n').map((line) => JSON.parse(line) as RepositoryEvent);
          resolve({ headers: response.headers, events, chunksToFirstGroup, chunks: parts.length });
        });
        response.on('error', reject);
      })
      .on('error', reject);
  });
}

describe.each(CASES)('the NDJSON stream with Accept-Encoding: %s', (acceptEncoding, coding) => {
  let streamed: Streamed;
  beforeAll(async () => {
    streamed = await stream(acceptEncoding, `${fronts.get(String(acceptEncoding))!.host}/library/demo`);
  });

  it(`is ${coding ?? 'not encoded'}, and says it varies by Accept-Encoding`, () => {
    expect(streamed.headers['content-type']).toContain('application/x-ndjson');
    expect(streamed.headers['content-encoding']).toBe(coding ?? undefined);
    expect(streamed.headers['content-length']).toBeUndefined();
    expect(streamed.headers.vary).toMatch(/accept-encoding/i);
  });

  it('gives the first group to a client before the stream ends: each batch is flushed', () => {
    expect(streamed.chunksToFirstGroup).toBeLessThan(streamed.chunks);
  });

  it('holds every event: tag names first, every group as the registry has it, done last', () => {
    const { events } = streamed;
    expect(events[0]).toMatchObject({ type: 'tags' });
    expect((events[0] as { tags: string[] }).tags.slice().sort()).toEqual(Object.keys(demo.tags).sort());
    expect(events.at(-1)).toEqual({ type: 'done' });
    expect(events.filter((e) => e.type === 'done')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'error')).toEqual([]);
    expect(events.filter((e) => e.type === 'progress').at(-1)).toEqual({ type: 'progress', resolved: Object.keys(demo.tags).length, total: Object.keys(demo.tags).length });
    const latest = new Map<string, Group>();
    for (const event of events) if (event.type === 'group') latest.set(event.group.digest, event.group);
    expect(comparableGroups([...latest.values()])).toEqual(expectedGroups(demo));
  });
});

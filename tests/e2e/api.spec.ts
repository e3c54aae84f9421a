// The JSON API over HTTP through the production server (scripts/server.mjs), against the real
// registries: exact field names, every error code produced for real, and the NDJSON stream
// read event by event. Our own rate limit: rate-limit.spec.ts.
import http from 'node:http';
import { createHash } from 'node:crypto';
import { gunzipSync } from 'node:zlib';
import { expect, test } from '@playwright/test';
import type { RepositoryEvent, RepositoryResponse } from '../../lib/api/types';
import { comparableGroups, expectedGroups, expectedUnattached } from '../support/truth';
import { e2eEnvironment } from './environment';

const env = e2eEnvironment();
const { harness } = env;
const demo = harness.truth.demo;
const q = (value: string) => encodeURIComponent(value);

test.describe('GET /api/v1/reference', () => {
  test('normalizes without adding a tag', async ({ request }) => {
    const response = await request.get(`/api/v1/reference?reference=${q('alpine:3.12')}`);
    expect(response.status()).toBe(200);
    expect(await response.json()).toEqual({
      registry: 'docker.io',
      path: 'library/alpine',
      repository: 'docker.io/library/alpine',
      tag: '3.12',
      digest: null,
      canonical: 'docker.io/library/alpine:3.12',
      familiar: 'alpine:3.12',
    });
    expect((await (await request.get('/api/v1/reference?reference=alpine')).json()).tag).toBeNull();
  });

  test('400 INVALID_REFERENCE with the reason', async ({ request }) => {
    const response = await request.get(`/api/v1/reference?reference=${q('ghcr.io/Org/App')}`);
    expect(response.status()).toBe(400);
    const body = await response.json();
    expect(body.error.code).toBe('INVALID_REFERENCE');
    expect(body.error.message).toContain('repository name must be lowercase');
  });

  test('400 INVALID_QUERY when the parameter is missing', async ({ request }) => {
    const response = await request.get('/api/v1/reference');
    expect(response.status()).toBe(400);
    expect((await response.json()).error).toMatchObject({ code: 'INVALID_QUERY', message: expect.stringContaining('reference') });
  });
});

test.describe('GET /api/v1/tags', () => {
  test('every tag, signature tags included, sorted', async ({ request }) => {
    const response = await request.get(`/api/v1/tags?repository=${q(demo.repository)}`);
    expect(response.status()).toBe(200);
    expect(await response.json()).toEqual({ repository: demo.repository, tags: Object.keys(demo.tags).sort(), truncated: false, truncatedBy: null, invalidTags: 0 });
  });

  test.describe('errors, produced by real registries', () => {
    const cases: [string, () => string, number, string][] = [
      ['unknown repository', () => `${harness.open.host}/library/nothing`, 404, 'NAME_UNKNOWN'],
      ['missing credentials (Basic registry)', () => harness.truth.basic.repository, 401, 'UNAUTHORIZED'],
      ['wrong credentials', () => `${env.fronts.denied}/team/app`, 403, 'DENIED'],
      ['a Link to a metadata address', () => `${env.fronts.foreignLink}/library/demo`, 403, 'ADDRESS_NOT_ALLOWED'],
      ['an unreachable registry', () => `${env.unreachable}/library/demo`, 502, 'UNREACHABLE'],
      ['a reference with a tag', () => `${demo.repository}:latest`, 400, 'INVALID_REFERENCE'],
    ];
    for (const [name, repository, status, code] of cases) {
      test(`${name} → ${status} ${code}`, async ({ request }) => {
        const response = await request.get(`/api/v1/tags?repository=${q(repository())}`);
        expect(response.status()).toBe(status);
        const body = await response.json();
        expect(body.error.code).toBe(code);
        expect(body.error.message.length).toBeGreaterThan(10);
        expect(JSON.stringify(body)).not.toMatch(/at .*\.js|wrong|alice-secret/);
      });
    }
  });
});

test.describe('GET /api/v1/repository', () => {
  test('groups equal the truth: aliases, platform digests, image IDs, sizes, attestations, signatures', async ({ request }) => {
    const response = await request.get(`/api/v1/repository?repository=${q(demo.repository)}`);
    expect(response.status()).toBe(200);
    const body = (await response.json()) as RepositoryResponse;
    expect(body.repository).toBe(demo.repository);
    expect(comparableGroups(body.groups)).toEqual(expectedGroups(demo));
    expect(body.unattached).toEqual(expectedUnattached(demo));
    expect(body.errors).toEqual([]);
    expect(body).toMatchObject({ truncated: false, invalidTags: 0, notices: [] });
  });

  test('a private repository through token auth with the server credentials', async ({ request }) => {
    const body = (await (await request.get(`/api/v1/repository?repository=${q(harness.truth.tokenPrivate.repository)}`)).json()) as RepositoryResponse;
    expect(comparableGroups(body.groups)).toEqual(expectedGroups(harness.truth.tokenPrivate));
  });

  test('per-tag errors do not fail the view: a rate-limited registry', async ({ request }) => {
    const response = await request.get(`/api/v1/repository?repository=${q(`${env.fronts.rateLimited}/library/demo`)}`);
    expect(response.status()).toBe(200);
    const body = (await response.json()) as RepositoryResponse;
    expect(body.groups).toEqual([]);
    expect(body.errors).toHaveLength(Object.keys(demo.tags).length);
    expect(body.errors[0]!.error).toMatchObject({ code: 'TOOMANYREQUESTS', details: { retryAfter: 1800, ratelimitLimit: 100, ratelimitRemaining: 0 } });
  });

  test('errors known before streaming are plain JSON with their status, NDJSON asked or not', async ({ request }) => {
    const response = await request.get(`/api/v1/repository?repository=${q(harness.truth.basic.repository)}`, {
      headers: { accept: 'application/x-ndjson' },
    });
    expect(response.status()).toBe(401);
    expect(response.headers()['content-type']).toContain('application/json');
    expect((await response.json()).error.code).toBe('UNAUTHORIZED');
  });

  test('400 INVALID_QUERY for an unknown sort', async ({ request }) => {
    const response = await request.get(`/api/v1/repository?repository=${q(demo.repository)}&sort=size`);
    expect(response.status()).toBe(400);
    expect((await response.json()).error).toMatchObject({ code: 'INVALID_QUERY', details: { parameter: 'sort' } });
  });

  test('NDJSON arrives in pieces through the production server with gzip asked for: tags, groups, progress, done', async () => {
    // A slow front (80 ms a request) makes the view take a while; the first line must not wait for it.
    const url = new URL(`/api/v1/repository?repository=${q(`${env.fronts.slow}/library/demo`)}`, process.env.TAGSCOPE_E2E_BASE_URL);
    const { chunks, encoding, contentType } = await new Promise<{ chunks: { at: number; data: Buffer }[]; encoding?: string; contentType?: string }>((resolve, reject) => {
      const started = Date.now();
      http
        .get(url, { headers: { accept: 'application/x-ndjson', 'accept-encoding': 'gzip' } }, (response) => {
          const received: { at: number; data: Buffer }[] = [];
          response.on('data', (data: Buffer) => received.push({ at: Date.now() - started, data }));
          response.on('end', () => resolve({ chunks: received, encoding: response.headers['content-encoding'], contentType: response.headers['content-type'] }));
          response.on('error', reject);
        })
        .on('error', reject);
    });
    expect(contentType).toContain('application/x-ndjson');
    const body = Buffer.concat(chunks.map((c) => c.data));
    const text = (encoding === 'gzip' ? gunzipSync(body) : body).toString('utf8');
    const events = text.trim().split('\n').map((line) => JSON.parse(line) as RepositoryEvent);
    expect(chunks.length).toBeGreaterThan(3);
    expect(chunks.at(-1)!.at - chunks[0]!.at).toBeGreaterThan(300);
    expect(events[0]).toMatchObject({ type: 'tags' });
    expect(events.at(-1)).toEqual({ type: 'done' });
    expect(events.some((e) => e.type === 'progress')).toBe(true);
    const latest = new Map<string, Extract<RepositoryEvent, { type: 'group' }>['group']>();
    for (const event of events) if (event.type === 'group') latest.set(event.group.digest, event.group);
    expect(comparableGroups([...latest.values()]).map((g) => g.tags)).toEqual(expectedGroups(demo).map((g) => g.tags));
    // The first chunk holds the tag names, long before the last group.
    const firstText = chunks[0]!.data.toString('utf8');
    if (encoding !== 'gzip') expect(firstText).toContain('"type":"tags"');
  });
});

test.describe('GET /api/v1/manifest', () => {
  test('the exact bytes, the computed digest, verified, and the headers', async ({ request }) => {
    const response = await request.get(`/api/v1/manifest?reference=${q(`${demo.repository}:3.13`)}`);
    expect(response.status()).toBe(200);
    const body = await response.json();
    const truth = demo.tags['3.13']!;
    expect(body).toMatchObject({ digest: truth.digest, mediaType: truth.mediaType, size: truth.size, verified: true });
    expect(`sha256:${createHash('sha256').update(body.raw, 'utf8').digest('hex')}`).toBe(truth.digest);
    expect(body.headers['content-type']).toBe(truth.mediaType);
    expect(body.headers['docker-content-digest']).toBe(truth.digest);
  });

  test('one platform of an index with platform=, matched after normalization', async ({ request }) => {
    const body = await (await request.get(`/api/v1/manifest?reference=${q(`${demo.repository}:3.13`)}&platform=linux/arm64`)).json();
    const arm64 = demo.tags['3.13']!.platforms.find((p) => p.platform === 'linux/arm64/v8')!;
    expect(body).toMatchObject({ digest: arm64.digest, verified: true, reference: `${demo.repository}@${arm64.digest}` });
  });

  const cases: [string, () => string, number, string][] = [
    ['an unknown tag', () => `reference=${q(`${demo.repository}:missing`)}`, 404, 'MANIFEST_UNKNOWN'],
    ['a platform the index lacks', () => `reference=${q(`${demo.repository}:3.13`)}&platform=linux/s390x`, 404, 'MANIFEST_UNKNOWN'],
    ['a body that does not match its digest', () => `reference=${q(`${env.fronts.altered}/library/demo:latest`)}`, 502, 'DIGEST_MISMATCH'],
    ['a rate-limited registry', () => `reference=${q(`${env.fronts.rateLimited}/library/demo:latest`)}`, 429, 'TOOMANYREQUESTS'],
    ['a malformed platform', () => `reference=${q(`${demo.repository}:3.13`)}&platform=arm64`, 400, 'INVALID_QUERY'],
  ];
  for (const [name, query, status, code] of cases) {
    test(`${name} → ${status} ${code}`, async ({ request }) => {
      const response = await request.get(`/api/v1/manifest?${query()}`);
      expect(response.status()).toBe(status);
      expect((await response.json()).error.code).toBe(code);
    });
  }

  test('429 carries Retry-After and the registry numbers', async ({ request }) => {
    const response = await request.get(`/api/v1/manifest?reference=${q(`${env.fronts.rateLimited}/library/demo:latest`)}`);
    // The registry's own 429 the first time; after it Tagscope repeats it without asking again
    // (the pull budget), counting the wait down from the registry's Retry-After.
    const retryAfter = Number(response.headers()['retry-after']);
    expect(retryAfter).toBeGreaterThan(1700);
    expect(retryAfter).toBeLessThanOrEqual(1800);
    expect((await response.json()).error).toMatchObject({ code: 'TOOMANYREQUESTS', details: { retryAfter, ratelimitLimit: 100, ratelimitRemaining: 0 } });
  });
});

// The Quay web-API emulator checked against what Quay does (docs/docker-hub-api.md §4;
// quay/quay endpoints/api/tag.py, data/model/oci/tag.py, endpoints/exception.py) and against
// the harness registry it describes.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { syntheticScaleTruth } from '../support/harness/hub';
import {
  QUAY,
  quayRepository,
  quayRepositoryFromTruth,
  quayTagDict,
  quayTagVersion,
  startQuayEmulator,
  type QuayEmulator,
  type QuayTagDict,
} from '../support/harness/quay';
import { FULL_ACCEPT } from '../support/http';

const harness = inject('harness');
const demo = harness.truth.demo;
const SAMPLE = readFileSync(path.join(import.meta.dirname, '../fixtures/quay/tackle2-hub-latest.json'), 'utf8');
const SAMPLE_DIGEST = 'sha256:f19ab51cc9f23ee30225dd1c15ca545c2b767be7d7e1ed5cd83df47a40e5d324';
const LIVE_FIELDS = ['name', 'reversion', 'start_ts', 'manifest_digest', 'is_manifest_list', 'size', 'last_modified'];
const DEAD_FIELDS = ['name', 'reversion', 'start_ts', 'end_ts', 'manifest_digest', 'is_manifest_list', 'size', 'last_modified', 'expiration'];

interface Page {
  tags: QuayTagDict[];
  page: number;
  has_additional: boolean;
}

let quay: QuayEmulator;

async function quayGet<T = Page>(pathAndQuery: string, init: RequestInit = {}): Promise<{ response: Response; body: T }> {
  const response = await fetch(new URL(pathAndQuery, quay.url), { redirect: 'manual', ...init });
  const text = await response.text();
  return { response, body: (text ? JSON.parse(text) : null) as T };
}

const tags = (repository: string, query = '') => `/api/v1/repository/${repository}/tag/${query}`;

beforeAll(async () => {
  quay = await startQuayEmulator({
    repositories: [
      quayRepositoryFromTruth(demo),
      quayRepositoryFromTruth(syntheticScaleTruth('quay.io/bench/app', { tags: 250, indexes: 25 })),
      quayRepository('konveyor/tackle2-hub', [quayTagVersion({ name: 'latest', manifestDigest: SAMPLE_DIGEST, startTs: 1_718_406_240, isManifestList: true, size: null })]),
      quayRepositoryFromTruth(demo, { path: 'team/private', visibility: 'private' }),
    ],
  });
});
afterAll(async () => {
  await quay?.stop();
});
beforeEach(() => {
  quay.reset();
  quay.options.fault = null;
});

describe('Quay emulator: the tag dict', () => {
  it('answers §4’s real request with the real answer, field for field', async () => {
    const { response, body } = await quayGet(tags('konveyor/tackle2-hub', '?onlyActiveTags=true&specificTag=latest'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(JSON.stringify(body)).toBe(JSON.stringify(JSON.parse(SAMPLE)));
  });

  it('writes live rows with §4’s fields in `_tag_dict`’s order, and dead ones with end_ts and expiration', async () => {
    const repository = 'team/fields';
    quay.options.repositories.push(quayRepositoryFromTruth(demo, { path: repository }));
    quay.deleteTag(repository, 'latest', 1_718_406_240);
    const { body } = await quayGet(tags(repository, '?limit=100'));
    for (const tag of body.tags) expect(Object.keys(tag), tag.name).toEqual(tag.end_ts === undefined ? LIVE_FIELDS : DEAD_FIELDS);
    expect(body.tags.find((t) => t.name === 'latest')).toMatchObject({ end_ts: 1_718_406_240, expiration: 'Fri, 14 Jun 2024 23:04:00 -0000' });
  });

  it('leaves start_ts and last_modified out when the start is not set', () => {
    expect(Object.keys(quayTagDict(quayTagVersion({ name: 'x', manifestDigest: SAMPLE_DIGEST, startTs: 0 })))).toEqual(['name', 'reversion', 'manifest_digest', 'is_manifest_list', 'size']);
  });

  it('describes the harness registry: every tag alive where the registry points it, lists without a size', async () => {
    const { body } = await quayGet(tags('library/demo', '?limit=100'));
    expect(body.tags.map((t) => t.name).sort()).toEqual(Object.keys(demo.tags).sort());
    for (const tag of body.tags) {
      const truth = demo.tags[tag.name]!;
      expect([tag.manifest_digest, tag.is_manifest_list, tag.end_ts]).toEqual([truth.digest, truth.kind === 'index', undefined]);
      if (truth.kind === 'index') expect(tag.size).toBeNull();
    }
    const head = await fetch(`${harness.open.url}/v2/library/demo/manifests/latest`, { method: 'HEAD', headers: { accept: FULL_ACCEPT } });
    expect(head.headers.get('docker-content-digest')).toBe(body.tags.find((t) => t.name === 'latest')!.manifest_digest);
  });
});

describe('Quay emulator: paging and filters', () => {
  const page = async (query: string) => (await quayGet(tags('bench/app', query))).body;

  it.each([
    ['no limit: 50', '', 50, 1],
    ['limit=1000: clamped to 100', '?limit=1000', 100, 1],
    ['limit=0: clamped to 1', '?limit=0', 1, 1],
    ['limit=-5: clamped to 1', '?limit=-5', 1, 1],
    ['page=0: page 1', '?page=0', 50, 1],
  ])('%s', async (_, query, size, number) => {
    const body = await page(query);
    expect(body.tags).toHaveLength(size);
    expect(body.page).toBe(number);
    expect(body.has_additional).toBe(true);
  });

  it('has_additional until the last page; past it, no tags', async () => {
    const pages = await Promise.all([1, 2, 3, 4].map((n) => page(`?limit=100&page=${n}`)));
    expect(pages.map((p) => [p.tags.length, p.page, p.has_additional])).toEqual([
      [100, 1, true],
      [100, 2, true],
      [50, 3, false],
      [0, 4, false],
    ]);
    expect(new Set(pages.flatMap((p) => p.tags.map((t) => t.name))).size).toBe(250);
  });

  it('orders by start_ts newest first, then by name', async () => {
    const { tags: rows } = await page('?limit=100');
    for (let i = 1; i < rows.length; i++) {
      const [a, b] = [rows[i - 1]!, rows[i]!];
      expect(a.start_ts! > b.start_ts! || (a.start_ts === b.start_ts && a.name < b.name), `${a.name} before ${b.name}`).toBe(true);
    }
  });

  it('a limit or page that is not a number is 400', async () => {
    expect((await quayGet(tags('bench/app', '?limit=ten'))).response.status).toBe(400);
    expect((await quayGet(tags('bench/app', '?page=2.5'))).response.status).toBe(400);
  });

  it('onlyActiveTags is true for any value but Quay’s false spellings; specificTag is exact', async () => {
    const repository = 'team/active';
    quay.options.repositories.push(quayRepositoryFromTruth(demo, { path: repository }));
    quay.moveTag(repository, 'latest', demo.tags['3.13']!.digest, Math.floor(Date.now() / 1000) - 10);
    const count = async (query: string) => (await quayGet(tags(repository, `?limit=100&${query}`))).body.tags.length;
    const all = Object.keys(demo.tags).length;
    for (const value of ['true', '1', 'yes', 'True']) expect(await count(`onlyActiveTags=${value}`), value).toBe(all);
    for (const value of ['false', 'False', 'FALSE', '0', '', 'null']) expect(await count(`onlyActiveTags=${value}`), value).toBe(all + 1);
    const { body } = await quayGet(tags(repository, '?specificTag=latest'));
    expect(body.tags.map((t) => [t.manifest_digest, t.end_ts === undefined])).toEqual([
      [demo.tags['3.13']!.digest, true],
      [demo.tags.latest!.digest, false],
    ]);
    expect((await quayGet(tags(repository, '?specificTag=lat'))).body.tags).toEqual([]);
  });
});

describe('Quay emulator: history', () => {
  const repository = 'team/moves';
  beforeAll(() => {
    quay.options.repositories.push(quayRepositoryFromTruth(demo, { path: repository }));
  });

  it('moveTag ends the live row and starts a new one, with the manifest’s kind and size', async () => {
    const at = Math.floor(Date.now() / 1000) - 100;
    const moved = quay.moveTag(repository, 'single-oci', demo.tags['single-docker']!.digest, at);
    expect(moved).toMatchObject({ startTs: at, endTs: null, isManifestList: false, size: demo.tags['single-docker']!.platforms[0]!.compressedSize });
    const { body } = await quayGet(tags(repository, '?specificTag=single-oci'));
    expect(body.tags.map((t) => [t.manifest_digest, t.start_ts === at, t.end_ts === at])).toEqual([
      [demo.tags['single-docker']!.digest, true, false],
      [demo.tags['single-oci']!.digest, false, true],
    ]);
    expect(quay.alive(repository, 'single-oci')).toBe(moved);
  });

  it('moveTag on a tag with no live row creates it; a restore is marked a reversion', () => {
    const created = quay.moveTag(repository, 'brand-new', demo.tags.latest!.digest);
    expect(created).toMatchObject({ isManifestList: true, size: null, reversion: false });
    expect(quay.moveTag(repository, 'brand-new', demo.tags['3.13']!.digest, undefined, { reversion: true }).reversion).toBe(true);
  });

  it('deleteTag ends the live row; a tag with none, or an end before the start, is an error', () => {
    const at = Math.floor(Date.now() / 1000) - 50;
    const ended = quay.deleteTag(repository, '3.14', at);
    expect(ended.endTs).toBe(at);
    expect(quay.alive(repository, '3.14')).toBeUndefined();
    expect(() => quay.deleteTag(repository, '3.14')).toThrow('no live tag');
    expect(() => quay.deleteTag(repository, '3.13', 1)).toThrow('cannot end earlier');
  });

  it('an end still to come is an expiry: the row stays in onlyActiveTags until then', async () => {
    const soon = Math.floor(Date.now() / 1000) + 3_600;
    quay.deleteTag(repository, '3.13.1', soon);
    const { body } = await quayGet(tags(repository, '?onlyActiveTags=true&specificTag=3.13.1'));
    expect(body.tags.map((t) => [t.end_ts, t.expiration !== undefined])).toEqual([[soon, true]]);
  });
});

describe('Quay emulator: refusals, failures and the log', () => {
  it('answers anonymous callers 401 alike for a private repository and one that does not exist, with Quay’s error body', async () => {
    for (const repository of ['team/private', 'nobody/nothing']) {
      const { response, body } = await quayGet<Record<string, unknown>>(tags(repository));
      expect(response.status).toBe(401);
      expect(body).toEqual({
        detail: 'Requires authentication',
        error_message: 'Requires authentication',
        error_type: 'invalid_token',
        title: 'invalid_token',
        type: `${quay.url}/api/v1/error/invalid_token`,
        status: 401,
      });
    }
  });

  it('redirects /tag to /tag/ (Flask’s strict slashes), and answers 404 off the route', async () => {
    const { response } = await quayGet(`/api/v1/repository/library/demo/tag?limit=5`);
    expect([response.status, response.headers.get('location')]).toEqual([308, '/api/v1/repository/library/demo/tag/?limit=5']);
    expect((await quayGet('/api/v1/repository/a/b/c/tag/')).response.status).toBe(404);
  });

  it.each([
    ['a 500', { answer: 'error' as const }, 500, 'object'],
    ['a 404', { answer: 'error' as const, status: 404 }, 404, 'object'],
    ['garbage', { answer: 'garbage' as const }, 200, 'not json'],
    ['another schema', { answer: 'schema' as const }, 200, 'object'],
  ])('answers %s once when told, then the list again', async (_, fault, status, kind) => {
    quay.options.fault = { ...fault, times: 1 };
    const response = await fetch(`${quay.url}${tags('library/demo')}`);
    const text = await response.text();
    let parsed: unknown = 'not json';
    try {
      parsed = JSON.parse(text);
    } catch {
      // the garbage answer
    }
    expect([response.status, typeof parsed === 'string' ? parsed : typeof parsed]).toEqual([status, kind]);
    if (fault.answer === 'schema') expect(parsed).not.toHaveProperty('tags');
    expect((await fetch(`${quay.url}${tags('library/demo')}`)).status).toBe(200);
  });

  it('can drop the connection', async () => {
    quay.options.fault = { answer: 'reset', times: 1 };
    await expect(fetch(`${quay.url}${tags('library/demo')}`)).rejects.toThrow();
    expect(quay.options.fault).toBeNull();
  });

  it('logs every request with its status and Authorization header', async () => {
    await quayGet(tags('library/demo', '?limit=1'), { headers: { authorization: 'Bearer x' } });
    await quayGet('/api/v1/nothing');
    expect(quay.requests).toEqual([
      { method: 'GET', path: '/api/v1/repository/library/demo/tag/?limit=1', kind: 'tagList', status: 200, authorization: 'Bearer x' },
      { method: 'GET', path: '/api/v1/nothing', kind: 'other', status: 404, authorization: null },
    ]);
    expect(QUAY).toEqual({ defaultLimit: 50, maxLimit: 100 });
  });
});

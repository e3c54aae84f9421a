// The Quay web-API client on the registry client's transport, against the Quay emulator
// (tests/support/harness/quay.ts) describing the harness registry (docs/docker-hub-api.md §4):
// paging by has_additional, the live tags beside the full history a move and a delete leave,
// rows off the grammar counted, Tagscope's own bounds, failures mapped to error codes, no
// credentials sent, the address policy, and cancelling.
import http from 'node:http';
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest';
import { QuayClient, type QuayTag } from '@/lib/quay';
import { CredentialStore, parseReference, type RequestEvent, type TransportOptions } from '@/lib/registry';
import { caught } from '../support/caught';
import { listenOnLoopback } from '../support/ports';
import { emulatedWebApi, REFUSED_API_BASES } from '../support/web-api';
import { syntheticScaleTruth } from '../support/harness/hub';
import { quayRepository, quayRepositoryFromTruth, quayTagVersion, startQuayEmulator, type QuayEmulator } from '../support/harness/quay';
import { tagPushTimes } from '../support/harness/seed';

const harness = inject('harness');
const demo = harness.truth.demo;
const QUAY_IO = 'quay.io';
const SCALE = { tags: 250, indexes: 25 };

let quay: QuayEmulator;

/** A transport whose quay.io web API is the emulator (listed as insecure: it is on loopback). */
function quayClient(options: TransportOptions & { baseUrl?: string } = {}): { client: QuayClient; events: RequestEvent[] } {
  const { transport, events } = emulatedWebApi(QUAY_IO, 'quay', quay, options);
  return { client: QuayClient.for(transport, QUAY_IO)!, events };
}

/** A few lines of HTTP on loopback answering tag pages by number, recording the pages asked for. */
async function startPages(answer: (page: number) => unknown): Promise<{ host: string; url: string; asked: number[]; stop(): Promise<void> }> {
  const asked: number[] = [];
  const server = http.createServer((req, res) => {
    const page = Number(new URL(req.url ?? '/', 'http://x').searchParams.get('page'));
    asked.push(page);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(answer(page)));
  });
  const { host, url, stop } = await listenOnLoopback(server);
  return { host, url, asked, stop };
}

const row = (name: string, digest: string, start_ts: number) => ({ name, reversion: false, start_ts, manifest_digest: digest, is_manifest_list: false, size: 1 });
const names = (tags: QuayTag[]) => tags.map((t) => t.name);

beforeAll(async () => {
  quay = await startQuayEmulator({
    repositories: [
      quayRepositoryFromTruth(demo),
      quayRepositoryFromTruth(syntheticScaleTruth('quay.io/bench/app', SCALE)),
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
  quay.options.delayMs = 0;
});

describe('listing the live tags', () => {
  it('follows has_additional to the end: 100 a page, every tag once, newest first, anonymous', async () => {
    const list = await quayClient().client.listTags('bench/app', { onlyActive: true });
    expect(list).toMatchObject({ pages: 3, truncatedBy: null, invalidTags: 0 });
    expect(list.tags).toHaveLength(SCALE.tags);
    expect(new Set(names(list.tags)).size).toBe(SCALE.tags);
    const starts = list.tags.map((t) => t.start!);
    expect(starts).toEqual([...starts].sort((a, b) => b - a));
    expect(quay.requests.map((r) => [r.path, r.status, r.authorization])).toEqual(
      [1, 2, 3].map((page) => [`/api/v1/repository/bench/app/tag/?limit=100&page=${page}&onlyActiveTags=true`, 200, null]),
    );
  });

  it('describes the harness registry as it is: digests, indexes without a size, single manifests with theirs, push times', async () => {
    const list = await quayClient().client.listTags(parseReference('quay.io/library/demo'), { onlyActive: true });
    expect(names(list.tags).sort()).toEqual(Object.keys(demo.tags).sort());
    const pushed = tagPushTimes(demo);
    for (const tag of list.tags) {
      const truth = demo.tags[tag.name]!;
      expect(tag.digest).toBe(truth.digest);
      expect(tag.isManifestList).toBe(truth.kind === 'index');
      expect(tag.start).toBe(pushed.get(tag.name));
      expect(tag.end).toBeNull();
    }
    expect(list.tags.find((t) => t.name === 'latest')!.size).toBeNull();
    expect(list.tags.find((t) => t.name === 'single-oci')!.size).toBe(demo.tags['single-oci']!.platforms[0]!.compressedSize);
  });

  it('asks for Quay’s maximum page whatever is asked for', async () => {
    await quayClient().client.listTags('library/demo', { onlyActive: true, pageSize: 1_000 });
    expect(new URL(quay.requests[0]!.path, quay.url).searchParams.get('limit')).toBe('100');
  });
});

describe('the full history beside the live tags', () => {
  const PATH = 'team/history';
  let movedAt: number;
  let deletedAt: number;
  beforeAll(() => {
    quay.options.repositories.push(quayRepositoryFromTruth(demo, { path: PATH }));
    movedAt = Math.floor(Date.now() / 1000) - 3_600;
    deletedAt = movedAt + 60;
    quay.moveTag(PATH, 'latest', demo.tags['3.13']!.digest, movedAt);
    quay.deleteTag(PATH, '3.12', deletedAt);
  });

  it('onlyActive: the moved tag once, at its new digest since the move; the deleted tag gone', async () => {
    const list = await quayClient().client.listTags(PATH, { onlyActive: true });
    expect(list.tags).toHaveLength(Object.keys(demo.tags).length - 1);
    expect(names(list.tags)).not.toContain('3.12');
    expect(list.tags.filter((t) => t.name === 'latest')).toEqual([
      { name: 'latest', digest: demo.tags['3.13']!.digest, isManifestList: true, size: null, start: movedAt * 1000, end: null, reversion: false },
    ]);
    expect(list.tags[0]!.name).toBe('latest');
  });

  it('tagHistory: the move is two rows of the tag — the old one ended when the new one started — and the delete an ended row', async () => {
    const history = await quayClient().client.tagHistory(PATH);
    expect(history.tags).toHaveLength(Object.keys(demo.tags).length + 1);
    const latest = history.tags.filter((t) => t.name === 'latest');
    expect(latest.map((t) => [t.digest, t.start, t.end])).toEqual([
      [demo.tags['3.13']!.digest, movedAt * 1000, null],
      [demo.tags.latest!.digest, tagPushTimes(demo).get('latest'), movedAt * 1000],
    ]);
    expect(history.tags.filter((t) => t.name === '3.12').map((t) => [t.digest, t.end])).toEqual([[demo.tags['3.12']!.digest, deletedAt * 1000]]);
    expect(history.tags.slice(0, 1).map((t) => t.name)).toEqual(['latest']);
    expect(quay.requests.every((r) => !r.path.includes('onlyActiveTags'))).toBe(true);
  });

  it('is read to the end over many pages: 250 tags moved once each are 500 rows', async () => {
    const path = 'team/busy';
    quay.options.repositories.push(quayRepositoryFromTruth(syntheticScaleTruth('quay.io/team/busy', SCALE), { path }));
    const at = Math.floor(Date.now() / 1000) - 60;
    for (const version of [...quay.repository(path).versions]) quay.moveTag(path, version.name, demo.tags.latest!.digest, at);
    const history = await quayClient().client.tagHistory(path);
    expect(history).toMatchObject({ pages: 5, truncatedBy: null });
    expect(history.tags).toHaveLength(2 * SCALE.tags);
    expect(history.tags.filter((t) => t.end === null)).toHaveLength(SCALE.tags);
    expect((await quayClient().client.listTags(path, { onlyActive: true })).tags.every((t) => t.digest === demo.tags.latest!.digest)).toBe(true);
  });
});

describe('rows Tagscope cannot use', () => {
  it('names off the tag grammar and digests off the digest grammar are counted, never listed', async () => {
    const path = 'team/odd';
    const digest = demo.tags.latest!.digest;
    quay.options.repositories.push(
      quayRepository(path, [
        quayTagVersion({ name: 'good', manifestDigest: digest, startTs: 1_700_000_000 }),
        quayTagVersion({ name: '-bad-name', manifestDigest: digest, startTs: 1_700_000_001 }),
        quayTagVersion({ name: 'bad-digest', manifestDigest: 'sha256:../../etc/passwd', startTs: 1_700_000_002 }),
      ]),
    );
    const list = await quayClient().client.tagHistory(path);
    expect(names(list.tags)).toEqual(['good']);
    expect(list.invalidTags).toBe(2);
  });

  it('a row that comes again on the next page (pushed down by a new one) is listed once', async () => {
    const digest = demo.tags.latest!.digest;
    const pages = await startPages((page) =>
      page === 1
        ? { tags: [row('new', digest, 3), row('a', digest, 2)], page, has_additional: true }
        : { tags: [row('a', digest, 2), row('b', digest, 1)], page, has_additional: false },
    );
    try {
      const list = await quayClient({ insecureRegistries: [pages.host], baseUrl: pages.url }).client.tagHistory('team/app', { pageSize: 2 });
      expect(names(list.tags)).toEqual(['new', 'a', 'b']);
    } finally {
      await pages.stop();
    }
  });
});

describe("Tagscope's own bounds end the list, said in words", () => {
  it.each([
    ['pages', { maxPages: 2 }, 200, 2, `${'{host}'} sent more than 2 pages of tags`],
    ['tags', { maxTags: 150 }, 150, 2, `${'{host}'} lists more than 150 tags`],
  ])('%s', async (_, bounds, kept, pages, words) => {
    const list = await quayClient().client.listTags('bench/app', { onlyActive: true, ...bounds });
    expect(list.tags).toHaveLength(kept);
    expect(list.pages).toBe(pages);
    expect(list.truncatedBy).toBe(words.replace('{host}', quay.host));
  });

  it('time: past the first page the rows so far; before it, TIMEOUT', async () => {
    quay.options.delayMs = 150;
    const list = await quayClient().client.tagHistory('bench/app', { deadlineMs: 1_000, pageSize: 10 });
    expect(list.pages).toBeGreaterThanOrEqual(1);
    expect(list.pages).toBeLessThan(SCALE.tags / 10);
    expect(list.tags).toHaveLength(list.pages * 10);
    expect(list.truncatedBy).toBe('listing the rows of tag history took longer than 1 s');
    expect((await caught(quayClient().client.tagHistory('bench/app', { deadlineMs: 50 }))).code).toBe('TIMEOUT');
  });

  it('a server that ignores `page` is UPSTREAM, not read again and again', async () => {
    const digest = demo.tags.latest!.digest;
    const pages = await startPages(() => ({ tags: [row('a', digest, 1)], page: 1, has_additional: true }));
    try {
      const error = await caught(quayClient({ insecureRegistries: [pages.host], baseUrl: pages.url }).client.tagHistory('team/app'));
      expect(error.code).toBe('UPSTREAM');
      expect(error.message).toContain('answered page 1 when asked for page 2');
      expect(pages.asked).toEqual([1, 2]);
    } finally {
      await pages.stop();
    }
  });
});

describe('failures have the codes the registry client uses', () => {
  it.each([
    ['a private repository: 401, as Quay answers anonymous callers', 'team/private'],
    ['an unknown repository: 401 as well (Quay does not tell them apart)', 'nobody/nothing'],
  ])('%s → UNAUTHORIZED, not retried', async (_, path) => {
    const error = await caught(quayClient().client.listTags(path, { onlyActive: true }));
    expect(error.code).toBe('UNAUTHORIZED');
    expect(error.details.status).toBe(401);
    expect(error.message).toContain('private or does not exist');
    expect(quay.requests.map((r) => r.status)).toEqual([401]);
  });

  it.each([
    ['HTTP 404', { answer: 'error' as const, status: 404 }, 'NAME_UNKNOWN', 'repository library/demo was not found', 1],
    ['HTTP 403', { answer: 'error' as const, status: 403 }, 'DENIED', 'denied access to the tags of library/demo', 1],
    ['not JSON', { answer: 'garbage' as const }, 'UPSTREAM', 'that is not JSON', 1],
    ['another shape', { answer: 'schema' as const }, 'UPSTREAM', 'Tagscope cannot read', 1],
    ['HTTP 500, after two retries', { answer: 'error' as const, status: 500 }, 'UPSTREAM', 'answered HTTP 500', 3],
  ])('%s', async (_, fault, code, message, requests) => {
    quay.options.fault = fault;
    const error = await caught(quayClient().client.listTags('library/demo', { onlyActive: true }));
    expect(error.code).toBe(code);
    expect(error.message).toContain(message);
    expect(quay.requests).toHaveLength(requests);
  });

  it('a 503 that clears, and a dropped connection, are retried and the answer used', async () => {
    for (const fault of [{ answer: 'error' as const, status: 503, times: 1 }, { answer: 'reset' as const, times: 1 }]) {
      quay.reset();
      quay.options.fault = fault;
      const list = await quayClient().client.listTags('library/demo', { onlyActive: true });
      expect(list.tags.length).toBe(Object.keys(demo.tags).length);
      expect(quay.requests.map((r) => r.status)).toEqual([fault.answer === 'reset' ? 0 : 503, 200]);
    }
  });

  it('a failure past the first page is thrown, not passed off as a short list', async () => {
    const { client } = quayClient({
      onRequest: (event) => {
        if (event.status === 200) quay.options.fault = { answer: 'garbage' };
      },
    });
    expect((await caught(client.listTags('bench/app', { onlyActive: true }))).code).toBe('UPSTREAM');
    expect(quay.requests.map((r) => r.status)).toEqual([200, 200]);
  });
});

describe('credentials and the address policy', () => {
  it('credentials configured for quay.io never reach its API', async () => {
    const credentials = new CredentialStore([[QUAY_IO, { username: 'org+robot', password: 'robot-secret-1234' }]]);
    await quayClient({ credentials }).client.tagHistory('bench/app');
    expect(quay.requests.length).toBeGreaterThan(1);
    expect(quay.requests.map((r) => r.authorization)).toEqual(quay.requests.map(() => null));
    const error = await caught(quayClient({ credentials }).client.tagHistory('team/private'));
    expect(error.code).toBe('UNAUTHORIZED');
    expect(JSON.stringify({ message: error.message, details: error.details })).not.toContain('robot-secret-1234');
  });

  it.each(REFUSED_API_BASES)('%s is refused, and nothing is sent', async (_, base) => {
    const { client, events } = quayClient({ insecureRegistries: [], baseUrl: base(quay.host.split(':')[1]!) });
    const error = await caught(client.listTags('library/demo', { onlyActive: true }));
    expect(error.code).toBe('ADDRESS_NOT_ALLOWED');
    expect(events.filter((e) => e.status !== null)).toEqual([]);
    expect(quay.requests).toEqual([]);
  });
});

describe('cancelling', () => {
  it('an abort mid-list rejects with the signal’s reason, and no further page is asked for', async () => {
    quay.options.delayMs = 100;
    const controller = new AbortController();
    const listing = quayClient().client.tagHistory('bench/app', { signal: controller.signal });
    setTimeout(() => controller.abort(), 150);
    await expect(listing).rejects.toMatchObject({ name: 'AbortError' });
    const asked = quay.requests.length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(quay.requests.length).toBeLessThanOrEqual(asked + 1);
    expect(asked).toBeLessThan(3);
  });

  it('an aborted signal sends nothing', async () => {
    const controller = new AbortController();
    controller.abort();
    await expect(quayClient().client.listTags('library/demo', { onlyActive: true, signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
    expect(quay.requests).toEqual([]);
  });
});

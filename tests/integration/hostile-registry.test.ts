// A registry run by an attacker cannot crash, mislead or exhaust Tagscope (docs/security.md "Threat
// model"). Each case is a finding of an adversarial review, reproduced against the hostile registry
// fixture: off-grammar tag names, endless and oversized tag lists, a schema 1 body claiming another
// image's digest, index fan-out, slow and drip-fed answers, and a client that leaves.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RepositoryEvent, RepositoryResponse } from '@/lib/api/types';
import { Cache } from '@/lib/cache/cache';
import { compareImages } from '@/lib/data/compare';
import { parseReference, parseRepository, RegistryClient, type TransportOptions } from '@/lib/registry';
import { RegistryService } from '@/lib/data/service';
import { getRepository, type RepositoryViewOptions } from '@/lib/data/repository';
import { caught } from '../support/caught';
import { imageManifest, indexOf, sha256, startHostileRegistry, type HostileRegistry } from '../support/harness/hostile';

let hostile: HostileRegistry;
beforeAll(async () => {
  hostile = await startHostileRegistry();
});
afterAll(async () => {
  await hostile?.stop();
});

function client(options: TransportOptions = {}) {
  return new RegistryClient({ insecureRegistries: [hostile.host], ...options });
}
const service = (options: TransportOptions = {}) => new RegistryService(client(options), new Cache(60_000));
const repo = (name: string) => parseRepository(`${hostile.host}/${name}`);
const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function view(name: string, options: RepositoryViewOptions = {}, svc = service()) {
  const events: RepositoryEvent[] = [];
  const result = await (await getRepository(repo(name), options, svc)).run((event) => events.push(event));
  return { result, events };
}

/** `count` tags, each pointing at its own single-platform image (one HEAD, one GET each). */
function seedImages(name: string, count: number): string[] {
  const tags = Array.from({ length: count }, (_, i) => `v${i}`);
  tags.forEach((tag) => hostile.putImage(name, `${name} ${tag}`, [tag]));
  hostile.setTagList(name, () => ({ body: JSON.stringify({ name, tags }) }));
  return tags;
}

describe('tag names from a registry are checked against the grammar', () => {
  const offGrammar = ['../../../../etc/passwd', '//evil.example', 'x'.repeat(10_000), 'abc\u202Egpj.exe', 'tab\there', '-leading-dash', '.hidden'];

  it('counts off-grammar names, never requests them, and keeps the valid ones', async () => {
    hostile.putImage('names/app', 'names', ['1.0', 'latest']);
    hostile.setTagList('names/app', () => ({ body: JSON.stringify({ name: 'names/app', tags: ['1.0', 'latest', ...offGrammar] }) }));
    const before = hostile.log.length;
    const { result, events } = await view('names/app');

    expect(result.invalidTags).toBe(offGrammar.length);
    expect(result.groups.flatMap((g) => g.tags).sort()).toEqual(['1.0', 'latest']);
    expect(result.errors).toEqual([]);
    const tagsEvent = events.find((e) => e.type === 'tags');
    expect(tagsEvent).toMatchObject({ tags: ['1.0', 'latest'], invalidTags: offGrammar.length });
    expect(result.notices.map((n) => n.message).join(' ')).toContain(`${offGrammar.length} names that are not valid tags`);
    const requested = hostile.log.slice(before).map((r) => r.path);
    expect(requested.filter((p) => /passwd|evil|xxxx|gpj|%E2%80%AE|hidden|leading/.test(p)), requested.join('\n')).toEqual([]);
    expect(requested.filter((p) => p.includes('/manifests/'))).toHaveLength(3); // HEAD 1.0, HEAD latest, GET the digest
    expect(requested.filter((p) => p.includes('/blobs/'))).toHaveLength(1); // its config, for the platform
  });

  it('keeps nothing of ten pages of 100 names of 99 KB: they are not tags, and the bytes run out first', async () => {
    const huge = (page: number) => Array.from({ length: 100 }, (_, i) => `${page}-${i}-${'a'.repeat(99_000)}`);
    hostile.setTagList('names/huge', (n) => ({ body: JSON.stringify({ tags: huge(n) }), next: n < 9 ? `/v2/names/huge/tags/list?page=${n + 1}` : null }));
    const list = await client().listTags(repo('names/huge'));
    expect(list).toMatchObject({ tags: [], invalidTags: 300, pages: 3, truncated: true, truncatedBy: `the tag list is larger than ${32 * 1024 * 1024} bytes` });
  });
});

describe('a tag listing has a budget of pages, bytes and time', () => {
  it('stops an endless Link chain at the page limit and says so', async () => {
    hostile.setTagList('endless/pages', (n) => ({ body: JSON.stringify({ tags: [`t${n}`] }), next: `/v2/endless/pages/tags/list?page=${n + 1}` }));
    const list = await client().listTags(repo('endless/pages'), { maxPages: 50 });
    expect(list).toMatchObject({ pages: 50, truncated: true, truncatedBy: 'the registry sent more than 50 pages of tags' });
    expect(list.tags).toHaveLength(50);
  });

  it('stops a slow endless chain at the listing deadline, keeping the tags so far', async () => {
    hostile.setTagList('endless/slow', (n) => ({ body: JSON.stringify({ tags: [`t${n}`] }), next: `/v2/endless/slow/tags/list?page=${n + 1}` }));
    hostile.delayMs = 100;
    try {
      const started = Date.now();
      const list = await client().listTags(repo('endless/slow'), { deadlineMs: 700 });
      const took = Date.now() - started;
      expect(list.truncated).toBe(true);
      expect(list.truncatedBy).toBe('listing the tags took longer than 0.7 s');
      expect(list.tags.length).toBeGreaterThan(0);
      expect(took).toBeLessThan(2_000);
    } finally {
      hostile.delayMs = 0;
    }
  });

  it('ends at a Link that points back to a page already read', async () => {
    hostile.setTagList('endless/loop', () => ({ body: JSON.stringify({ tags: ['a', 'b'] }), next: '/v2/endless/loop/tags/list?n=1000' }));
    const list = await client().listTags(repo('endless/loop'));
    expect(list).toMatchObject({ tags: ['a', 'b'], pages: 1, truncated: false });
  });

  it('stops reading oversized pages at the byte budget (32 MiB), not after 196 MB', async () => {
    const padding = ' '.repeat(9 * 1024 * 1024);
    hostile.setTagList('endless/large', (n) => ({ body: `{"tags":["t${n}"]${padding}}`, next: `/v2/endless/large/tags/list?page=${n + 1}` }));
    const before = hostile.count('/endless/large/');
    const list = await client().listTags(repo('endless/large'));
    expect(list).toMatchObject({ truncated: true, truncatedBy: `the tag list is larger than ${32 * 1024 * 1024} bytes` });
    expect(list.tags).toEqual(['t0', 't1', 't2']);
    expect(hostile.count('/endless/large/') - before).toBe(4); // the fourth page is cut at the budget
  });
});

describe('"verified" only for bytes that were hashed: signed schema 1', () => {
  const fixtures = path.resolve(import.meta.dirname, '../fixtures/manifests');
  const genuine = readFileSync(path.join(fixtures, 'docker-schema1-signed-moby-fixture.json'));
  const genuineDigest = 'sha256:02fee8c3220ba806531f606525eceb83f4feb654f62b207191b1c9209188dedd';
  const schema1 = 'application/vnd.docker.distribution.manifest.v1+prettyjws';
  // The spoof keeps the genuine payload's first bytes (its formatLength) and tail, so the
  // unverified protected header rebuilds the genuine payload — but the body itself goes on
  // with other layers (a later duplicate key wins in JSON) before its signatures.
  const formatLength = 3197;
  const evilLayer = `sha256:${'e'.repeat(64)}`;
  const spoof = Buffer.concat([
    genuine.subarray(0, formatLength),
    Buffer.from(`,\n   "fsLayers": [{"blobSum": "${evilLayer}"}],\n   "architecture": "evil"`),
    genuine.subarray(formatLength),
  ]);

  beforeAll(() => {
    hostile.putManifest('schema1/genuine', genuine, { contentType: schema1, tags: ['latest'], digest: genuineDigest });
    // The registry claims the genuine digest for the spoofed body, by tag and by digest.
    hostile.putManifest('schema1/spoof', spoof, { contentType: schema1, tags: ['latest'], digest: genuineDigest });
  });

  it('a genuine signed manifest is identified by its payload and verified', async () => {
    const fetched = await client().getManifest(repo('schema1/genuine'), 'latest');
    expect(fetched).toMatchObject({ digest: genuineDigest, verified: true, manifest: { kind: 'schema1', architecture: 'amd64' } });
  });

  it('a spoof that claims another image\'s digest is not verified and is identified by its own bytes', async () => {
    const fetched = await client().getManifest(repo('schema1/spoof'), 'latest');
    expect(fetched.digest).toBe(sha256(spoof));
    expect(fetched.verified).toBeNull();
    expect(fetched.manifest).toMatchObject({ kind: 'schema1', architecture: 'evil', layers: [evilLayer] });
  });

  it('fetched by the claimed digest, the spoof is a digest mismatch', async () => {
    const error = await caught(client().getManifest(repo('schema1/spoof'), genuineDigest));
    expect(error).toMatchObject({ code: 'DIGEST_MISMATCH', details: { expected: genuineDigest, actual: sha256(spoof) } });
  });

  it('compare does not call the spoof and the genuine image the same bytes', async () => {
    const comparing = compareImages(parseReference(`${hostile.host}/schema1/genuine:latest`), parseReference(`${hostile.host}/schema1/spoof:latest`), service());
    await expect(comparing).rejects.toMatchObject({ code: 'DIGEST_MISMATCH' });
  });
});

describe('index fan-out and child digests are bounded', () => {
  it('reads at most 256 manifests for a group of 64 indexes of 64 images', async () => {
    const name = 'fanout/app';
    const leaves = Array.from({ length: 64 }, (_, i) =>
      indexOf(
        Array.from({ length: 64 }, (_, j) => {
          const body = JSON.stringify(imageManifest(`fan ${i}-${j}`));
          return { digest: hostile.putManifest(name, body), size: body.length, platform: { os: 'linux', architecture: `a${i}x${j}` } };
        }),
      ),
    );
    const children = leaves.map((leaf) => {
      const body = JSON.stringify(leaf);
      return { digest: hostile.putManifest(name, body), size: body.length, mediaType: 'application/vnd.oci.image.index.v1+json' };
    });
    hostile.putManifest(name, indexOf(children), { tags: ['latest'] });
    hostile.setTagList(name, () => ({ body: JSON.stringify({ tags: ['latest'] }) }));
    const before = hostile.count('/fanout/app/manifests/');
    const { result } = await view(name);
    const gets = hostile.log.filter((r) => r.method === 'GET' && r.path.includes('/fanout/app/manifests/')).length;
    expect(hostile.count('/fanout/app/manifests/') - before).toBeLessThanOrEqual(1 + 1 + 256);
    expect(gets).toBeLessThanOrEqual(1 + 256);
    expect(result.groups[0]!.platforms.length).toBeLessThanOrEqual(256);
    expect(result.errors.map((e) => e.error.message).join(' ')).toContain('more than 256 manifests');
  });

  it('refuses an index whose child digests are not sha256 or sha512', async () => {
    const name = 'fanout/bogus';
    hostile.putManifest(name, indexOf([{ digest: 'x:m0-0', size: 10, platform: { os: 'linux', architecture: 'amd64' } }]), { tags: ['latest'] });
    hostile.setTagList(name, () => ({ body: JSON.stringify({ tags: ['latest'] }) }));
    const { result } = await view(name);
    expect(result.groups).toEqual([]);
    expect(result.errors[0]!.error).toMatchObject({ code: 'UPSTREAM' });
    expect(result.errors[0]!.error.message).toContain('not a sha256 or sha512 digest');
    expect(hostile.log.filter((r) => r.path.includes('x:m0-0'))).toEqual([]);
  });
});

describe('a view has a budget and stops its upstream work when it ends', () => {
  it('stops every request within moments of the client leaving', async () => {
    seedImages('leave/app', 400);
    hostile.delayMs = 20;
    try {
      const left = new AbortController();
      const opened = await getRepository(repo('leave/app'), { signal: left.signal }, service());
      let groups = 0;
      const running = opened.run((event) => {
        if (event.type === 'group' && ++groups === 5) left.abort();
      });
      await running;
      const stoppedAt = Date.now();
      await settle(500);
      const after = hostile.log.filter((r) => r.at > stoppedAt + 50 && r.path.includes('/leave/app/')).length;
      const total = hostile.count('/leave/app/manifests/');
      expect(after).toBe(0);
      expect(total).toBeLessThan(200); // 400 HEADs and 400 GETs if the work went on
    } finally {
      hostile.delayMs = 0;
    }
  });

  it('one viewer leaving does not fail another viewer of the same repository', async () => {
    const tags = seedImages('leave/shared', 60);
    hostile.delayMs = 10;
    try {
      const svc = service();
      const left = new AbortController();
      const first = await getRepository(repo('leave/shared'), { signal: left.signal }, svc);
      const second = await getRepository(repo('leave/shared'), {}, svc);
      const leaving = first.run((event) => event.type === 'group' && left.abort());
      const staying: RepositoryResponse = await second.run();
      await leaving;
      expect(staying.errors).toEqual([]);
      expect(staying.groups.flatMap((g) => g.tags).sort()).toEqual([...tags].sort());
    } finally {
      hostile.delayMs = 0;
    }
  });

  it('stops at its deadline and says how many tags were not resolved', async () => {
    seedImages('budget/slow', 200);
    hostile.delayMs = 50;
    try {
      const started = Date.now();
      const { result, events } = await view('budget/slow', { budget: { deadlineMs: 600 } });
      expect(Date.now() - started).toBeLessThan(2_000);
      const notice = result.notices.find((n) => n.code === 'TIMEOUT');
      expect(notice?.message).toMatch(/^the view of budget\/slow stopped after 0.6 s, its time limit: \d+ of 200 tags were not resolved\.$/);
      expect(events.some((e) => e.type === 'notice')).toBe(true);
      expect(result.errors).toEqual([]); // the cut is one notice, not 150 tag errors
    } finally {
      hostile.delayMs = 0;
    }
  });

  it('stops at its manifest budget', async () => {
    seedImages('budget/gets', 40);
    const before = hostile.log.filter((r) => r.method === 'GET' && r.path.includes('/budget/gets/manifests/')).length;
    const { result } = await view('budget/gets', { budget: { fetches: 10 } });
    const gets = hostile.log.filter((r) => r.method === 'GET' && r.path.includes('/budget/gets/manifests/')).length - before;
    // The budget is a safety valve: once spent, the view's work stops, charged or not.
    expect(gets).toBeGreaterThan(0);
    expect(gets).toBeLessThanOrEqual(10);
    expect(result.groups.length).toBeLessThan(40);
    expect(result.notices.find((n) => n.code === 'TOO_LARGE')?.message).toContain('stopped after 10 manifest and config requests');
  });

  it('a drip-fed manifest holds the view no longer than its deadline', async () => {
    const name = 'budget/drip';
    const body = JSON.stringify(imageManifest('drip'));
    hostile.putManifest(name, body, { tags: ['latest'], drip: { bytes: 1, everyMs: 50 } });
    hostile.setTagList(name, () => ({ body: JSON.stringify({ tags: ['latest'] }) }));
    const started = Date.now();
    const { result } = await view(name, { budget: { deadlineMs: 800 } });
    expect(Date.now() - started).toBeLessThan(2_000); // the body alone takes body.length × 50 ms ≈ 20 s
    expect(result.notices.map((n) => n.code)).toEqual(['TIMEOUT']);
  });
});

describe('a digest page\'s search is bounded', () => {
  it('locating an unknown digest stops at the lookup budget instead of viewing the whole repository', async () => {
    const name = 'lookup/app';
    const tags = Array.from({ length: 300 }, (_, i) => `v${i}`);
    for (const tag of tags) {
      const children = Array.from({ length: 8 }, (_, j) => {
        const body = JSON.stringify(imageManifest(`${tag}-${j}`));
        return { digest: hostile.putManifest(name, body), size: body.length, platform: { os: 'linux', architecture: `arch${j}` } };
      });
      hostile.putManifest(name, indexOf(children), { tags: [tag] });
    }
    hostile.setTagList(name, () => ({ body: JSON.stringify({ tags }) }));
    process.env.TAGSCOPE_INSECURE_REGISTRIES = hostile.host;
    const { locateBlob } = await import('@/lib/data/digest');
    const before = hostile.log.filter((r) => r.method === 'GET').length;
    const location = await locateBlob(parseReference(`${hostile.host}/${name}`), `sha256:${'0'.repeat(64)}`);
    const gets = hostile.log.filter((r) => r.method === 'GET').length - before;
    expect(location).toBeNull();
    expect(gets).toBeLessThanOrEqual(2_000); // a whole view would GET 300 indexes + 2,400 platforms
  });
});

describe('a bad realm does not break a registry for the life of the process', () => {
  it('a first 401 naming a refused realm fails that view; the next view learns the realm again', async () => {
    hostile.putImage('realm/app', 'realm', ['latest']);
    hostile.setTagList('realm/app', () => ({ body: JSON.stringify({ tags: ['latest'] }) }));
    const svc = service();
    try {
      hostile.realm = 'https://10.0.0.1/token';
      const refused = await caught(getRepository(repo('realm/app'), {}, svc));
      expect(refused.code).toBe('ADDRESS_NOT_ALLOWED');
      hostile.realm = `${hostile.url}/token`;
      const { result } = await view('realm/app', {}, svc);
      expect(result.groups.map((g) => g.tags)).toEqual([['latest']]);
      expect(hostile.count('/token')).toBeGreaterThan(0);
    } finally {
      hostile.realm = null;
    }
  });
});

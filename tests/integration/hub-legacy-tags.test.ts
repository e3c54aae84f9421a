// Docker Hub's web API quirks that once cost the repository view its platforms and its dates,
// through the real server: tags pushed before 2021 (no `digest`, every platform listed) and tags
// listed with `images: []`. Expectations come from the harness truth, the emulator's own records
// and a generated `library/big` of 287 groups, never from the product: every platform row of
// every image, no manifest GET (on Docker Hub a GET is a pull), and one push date per group — its
// newest tag's — which the server's and the browser's push-date orders both follow.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Group, RepositoryEvent, RepositoryResponse } from '@/lib/api/types';
import { applyEvents, buildRows, initialState } from '@/lib/swr/repository-state';
import { parseSort } from '@/lib/common/tag-order';
import { startFront, type Front } from '../support/harness/front';
import { indexOf, imageManifest, startHostileRegistry, sha256, type HostileRegistry } from '../support/harness/hostile';
import { hubRepository, hubRepositoryFromTruth, hubTag, startHubEmulator, type HubEmulator, type HubImage, type HubRepository, type HubTag, type TagQuirks } from '../support/harness/hub';
import { tagPushTimes } from '../support/harness/seed';
import { filterOf } from '../support/name-matcher';
import { startNextServer, type RunningServer } from '../support/next-server';
import { hubGroupPushes } from '../support/truth';

const harness = inject('harness');
const truth = harness.truth.demo;
const path = truth.repository.slice(truth.repository.indexOf('/') + 1);
const imageGroups = truth.groups.filter((g) => ['index', 'manifest'].includes(truth.tags[g.tags[0]!]!.kind));

// Every other image group is legacy in all its tags, so nothing but a HEAD names its digest; in
// every group of several tags the newest one is listed with `images: []`.
const pushTimes = tagPushTimes(truth);
const tagQuirks: Record<string, Partial<TagQuirks>> = {};
for (const [i, group] of imageGroups.entries()) {
  if (i % 2 === 0) for (const tag of group.tags) tagQuirks[tag] = { legacy: true };
  if (group.tags.length < 2) continue;
  const newest = group.tags.reduce((a, b) => (pushTimes.get(b)! > pushTimes.get(a)! ? b : a));
  tagQuirks[newest] = { ...tagQuirks[newest], emptyImages: true };
}
const served: HubRepository = hubRepositoryFromTruth(truth, { tagQuirks });
const record = new Map(served.tags.map((t) => [t.name, t]));
/** What each group should show as Last pushed: the newest `tag_last_pushed` the emulator lists for its tags. */
const lastPushed = hubGroupPushes(truth, served.tags);

/**
 * `library/big`: 287 groups of 1–3 tags and 1–8 platforms, 1,288 platform rows in all; the
 * three groups 3, 100 and 200 legacy in every tag; the newest tag of 22 groups of several tags
 * listed with `images: []`. Each tag's push time is its group's hour plus a minute per tag.
 */
const BIG = { groups: 287, platformRows: 1_288, legacyGroups: [3, 100, 200], emptyNewest: 22 } as const;
const BIG_PLATFORMS = [
  { os: 'linux', architecture: 'amd64' },
  { os: 'linux', architecture: 'arm64' },
  { os: 'linux', architecture: 'arm', variant: 'v7' },
  { os: 'linux', architecture: 'arm', variant: 'v6' },
  { os: 'linux', architecture: '386' },
  { os: 'linux', architecture: 'ppc64le' },
  { os: 'linux', architecture: 's390x' },
  { os: 'linux', architecture: 'riscv64' },
];
interface BigGroup {
  digest: string;
  tags: string[];
  platforms: { platform: string; digest: string }[];
  lastPushed: string;
}

/** Pushes `library/big` to `registry` and returns the groups it holds and the web API's records of its tags. */
function seedBig(registry: HostileRegistry): { groups: BigGroup[]; records: HubTag[] } {
  const groups: BigGroup[] = [];
  const records: HubTag[] = [];
  let empty = 0;
  for (let i = 0; i < BIG.groups; i++) {
    const tags = Array.from({ length: 1 + (i % 3) }, (_, j) => [`1.${i}`, `1.${i}.0`, `1.${i}.0-r1`][j]!);
    const pushed = tags.map((_, j) => new Date(Date.UTC(2024, 0, 1) + ((i * 37) % BIG.groups) * 3_600_000 + j * 60_000).toISOString());
    const platforms = BIG_PLATFORMS.slice(0, 1 + (i % 8));
    let digest: string;
    let children: { platform: string; digest: string; size: number; spec: (typeof BIG_PLATFORMS)[number] }[];
    if (platforms.length === 1) {
      digest = registry.putManifest('library/big', imageManifest(`big ${i}`), { tags });
      children = [{ platform: 'linux/amd64', digest, size: 0, spec: platforms[0]! }];
    } else {
      children = platforms.map((spec, k) => ({ platform: [spec.os, spec.architecture, spec.variant].filter(Boolean).join('/'), digest: sha256(`big ${i} ${k}`), size: 500, spec }));
      digest = registry.putManifest('library/big', indexOf(children.map((c) => ({ digest: c.digest, size: c.size, platform: c.spec }))), { tags });
    }
    groups.push({ digest, tags, platforms: children.map(({ platform, digest: d }) => ({ platform, digest: d })), lastPushed: pushed.at(-1)! });
    const legacy = (BIG.legacyGroups as readonly number[]).includes(i);
    const emptyNewest = tags.length > 1 && i % 4 === 1 && empty < BIG.emptyNewest;
    if (emptyNewest) empty++;
    tags.forEach((name, j) => {
      const images: HubImage[] =
        emptyNewest && j === tags.length - 1
          ? []
          : children.map((c, k) => ({ architecture: c.spec.architecture, features: '', variant: c.spec.variant ?? null, digest: c.digest, os: c.spec.os, os_features: '', os_version: null, size: 1_000 + k, status: 'active', last_pulled: null, last_pushed: pushed[j]! }));
      const record = hubTag({ name, digest, media_type: platforms.length === 1 ? 'application/vnd.oci.image.config.v1+json' : 'application/vnd.oci.image.index.v1+json', tag_last_pushed: pushed[j]!, last_updated: pushed[j]!, images });
      if (legacy) delete record.digest;
      records.push(record);
    });
  }
  if (empty !== BIG.emptyNewest) throw new Error(`library/big has ${empty} groups whose newest tag has images: [], not ${BIG.emptyNewest}`);
  return { groups, records };
}

let front: Front;
let big: HostileRegistry;
let bigGroups: BigGroup[];
let hub: HubEmulator;
let server: RunningServer;
beforeAll(async () => {
  front = await startFront(harness.open.url, { pullLimit: { limit: 100, windowSeconds: 21_600 } });
  big = await startHostileRegistry();
  const seeded = seedBig(big);
  bigGroups = seeded.groups;
  hub = await startHubEmulator({ repositories: [served, hubRepository('library/big', seeded.records)] });
  server = await startNextServer({
    TAGSCOPE_INSECURE_REGISTRIES: `${front.host},${big.host},${hub.host}`,
    TAGSCOPE_REGISTRY_APIS: `${front.host}=hub:${hub.url},${big.host}=hub:${hub.url}`,
  });
});
afterAll(async () => {
  await server?.stop();
  await front?.stop();
  await big?.stop();
  await hub?.stop();
});

const repository = () => `${front.host}/${path}`;

function address(sort: string, name: string) {
  return `${server.url}/api/v1/repository?repository=${encodeURIComponent(name)}&sort=${encodeURIComponent(sort)}`;
}

async function view(sort: string, name = repository()): Promise<RepositoryResponse> {
  const response = await fetch(address(sort, name));
  expect(response.status).toBe(200);
  return (await response.json()) as RepositoryResponse;
}

/** The NDJSON stream the page reads, folded as the browser folds it, and the table's rows in `sort`. */
async function browserRows(sort: string, name = repository()): Promise<Group[]> {
  const response = await fetch(address(sort, name), { headers: { accept: 'application/x-ndjson' } });
  expect(response.status).toBe(200);
  const events = (await response.text())
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as RepositoryEvent);
  const state = applyEvents(initialState(name), events);
  const { rows } = buildRows(state, { filter: filterOf(''), sort: parseSort(sort)!, platform: '' });
  return rows.flatMap((row) => (row.kind === 'group' ? [row.group] : []));
}

/** Push times in the order shown; undated groups count as the oldest, as the table says. */
function times(groups: Group[]): number[] {
  return groups.map((g) => (g.lastPushed ? Date.parse(g.lastPushed) : -Infinity));
}

describe('legacy tags and images: [] on a Docker-Hub-like registry', () => {
  it('the quirks are there: legacy groups whose platforms only the web API lists, and newest tags without images', () => {
    const legacyGroups = imageGroups.filter((g) => g.tags.every((tag) => !('digest' in record.get(tag)!)));
    expect(legacyGroups.length).toBeGreaterThanOrEqual(2);
    expect(served.tags.filter((t) => t.images.length === 0 && truth.tags[t.name]!.platforms.length > 0).length).toBeGreaterThanOrEqual(2);
  });

  it('shows every platform row the web API lists, each joined to the digest a free HEAD gives, with 0 manifest GETs', async () => {
    front.reset();
    const result = await view('pushed');
    expect(front.counts().manifestGet).toBe(0);
    expect(front.pulls()).toBe(0);
    const rows = result.groups.reduce((sum, g) => sum + g.platforms.length, 0);
    expect(rows).toBe(imageGroups.reduce((sum, g) => sum + truth.tags[g.tags[0]!]!.platforms.length, 0));
    for (const want of imageGroups) {
      const got = result.groups.find((g) => g.digest === want.digest);
      expect(got, `group ${want.digest} (${want.tags.join(', ')})`).toBeDefined();
      expect([...got!.tags].sort()).toEqual(want.tags);
      expect(got!.platformsNeedPull ?? false).toBe(false);
      expect(got!.platforms.map((p) => [p.platform, p.digest, p.compressedSize]).sort()).toEqual(
        truth.tags[want.tags[0]!]!.platforms.map((p) => [p.platform, p.digest, p.compressedSize]).sort(),
      );
    }
    expect(result.notices.filter((n) => n.code === 'PULL_RESERVE').map((n) => n.details)).toEqual([{ undescribed: truth.groups.length - imageGroups.length }]);
  });

  it('each group’s Last pushed is its newest tag’s tag_last_pushed, a tag listed with images: [] included', async () => {
    const result = await view('pushed');
    expect(result.groups.length).toBe(truth.groups.length);
    for (const want of truth.groups) {
      const got = result.groups.find((g) => g.digest === want.digest);
      expect(got?.lastPushed, `group ${want.tags.join(', ')}`).toBe(lastPushed.get(want.digest));
    }
  });

  it.each([
    ['pushed', 'newest first'],
    ['-pushed', 'oldest first'],
  ])('sort=%s orders the server’s groups and the browser’s rows by the date the column shows (%s)', async (sort) => {
    const descending = !sort.startsWith('-');
    const ordered = (values: number[]) => [...values].sort((a, b) => (descending ? b - a : a - b));
    for (const groups of [(await view(sort)).groups, await browserRows(sort)]) {
      expect(groups).toHaveLength(truth.groups.length);
      for (const group of groups) expect(group.lastPushed, group.tags.join(', ')).toBe(lastPushed.get(group.digest));
      expect(times(groups)).toEqual(ordered(times(groups)));
    }
  });
});

describe('library/big: 287 groups, three of them legacy, 22 whose newest tag has images: []', () => {
  const name = () => `${big.host}/library/big`;
  const manifestGets = () => big.log.filter((r) => r.method === 'GET' && r.path.includes('/manifests/')).length;

  it(`shows all ${BIG.platformRows.toLocaleString('en')} platform rows, each group at the digest a HEAD gives, with 0 manifest GETs`, async () => {
    expect(bigGroups.reduce((sum, g) => sum + g.platforms.length, 0)).toBe(BIG.platformRows);
    const result = await view('pushed', name());
    expect(manifestGets()).toBe(0);
    expect(result.groups.reduce((sum, g) => sum + g.platforms.length, 0)).toBe(BIG.platformRows);
    expect(result.groups).toHaveLength(BIG.groups);
    for (const want of bigGroups) {
      const got = result.groups.find((g) => g.digest === want.digest);
      expect([...(got?.tags ?? [])].sort(), want.tags.join(', ')).toEqual([...want.tags].sort());
      expect(got!.platforms.map((p) => [p.platform, p.digest])).toEqual(expect.arrayContaining(want.platforms.map((p) => [p.platform, p.digest])));
    }
    expect(result.notices.filter((n) => n.code === 'PULL_RESERVE')).toEqual([]);
  });

  it.each(['pushed', '-pushed'])('sort=%s: every group shows its newest tag’s push, and the server and the browser order by it', async (sort) => {
    const want = new Map(bigGroups.map((g) => [g.digest, g.lastPushed]));
    const descending = !sort.startsWith('-');
    const expected = [...want.values()].map((d) => Date.parse(d)).sort((a, b) => (descending ? b - a : a - b));
    for (const groups of [(await view(sort, name())).groups, await browserRows(sort, name())]) {
      for (const group of groups) expect(group.lastPushed, group.tags.join(', ')).toBe(want.get(group.digest));
      expect(times(groups)).toEqual(expected);
    }
    expect(manifestGets()).toBe(0);
  });
});

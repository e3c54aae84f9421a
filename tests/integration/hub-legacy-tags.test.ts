// Docker Hub's web API quirks that once cost the repository view its platforms and its dates,
// through the real server: tags pushed before 2021 (no `digest`, every platform listed) and tags
// listed with `images: []`. Expectations come from the harness truth and the emulator's own
// records, never from the product: every platform row of every image, no manifest GET (on Docker
// Hub a GET is a pull), and one push date per group — its newest tag's — which the server's and
// the browser's push-date orders both follow.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Group, RepositoryEvent, RepositoryResponse } from '@/lib/api/types';
import { applyEvents, buildRows, initialState } from '@/lib/swr/repository-state';
import { parseSort } from '@/lib/tag-order';
import { startFront, type Front } from '../support/harness/front';
import { hubRepositoryFromTruth, startHubEmulator, type HubEmulator, type HubRepository, type TagQuirks } from '../support/harness/hub';
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

let front: Front;
let hub: HubEmulator;
let server: RunningServer;
beforeAll(async () => {
  front = await startFront(harness.open.url, { pullLimit: { limit: 100, windowSeconds: 21_600 } });
  hub = await startHubEmulator({ repositories: [served] });
  server = await startNextServer({
    TAGSCOPE_INSECURE_REGISTRIES: `${front.host},${hub.host}`,
    TAGSCOPE_REGISTRY_APIS: `${front.host}=hub:${hub.url}`,
  });
});
afterAll(async () => {
  await server?.stop();
  await front?.stop();
  await hub?.stop();
});

const repository = () => `${front.host}/${path}`;

async function view(sort: string): Promise<RepositoryResponse> {
  const response = await fetch(`${server.url}/api/v1/repository?repository=${encodeURIComponent(repository())}&sort=${encodeURIComponent(sort)}`);
  expect(response.status).toBe(200);
  return (await response.json()) as RepositoryResponse;
}

/** The NDJSON stream the page reads, folded as the browser folds it, and the table's rows in `sort`. */
async function browserRows(sort: string): Promise<Group[]> {
  const response = await fetch(`${server.url}/api/v1/repository?repository=${encodeURIComponent(repository())}&sort=${encodeURIComponent(sort)}`, {
    headers: { accept: 'application/x-ndjson' },
  });
  expect(response.status).toBe(200);
  const events = (await response.text())
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as RepositoryEvent);
  const state = applyEvents(initialState(repository()), events);
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

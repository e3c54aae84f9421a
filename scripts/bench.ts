// `npm run bench`: how fast and how frugal a repository view is on a big repository.
// Seeds a real registry (Debian's docker-registry) with --tags tags over --indexes
// multi-platform indexes, puts a front before it that adds 40 ms to every request and allows
// 8 in flight, serves the production build against it, and prints for a cold and a warm view:
// upstream requests by kind beside the floor, time to the first group, to the first 50 tags
// grouped and to the last, the floor time, and the server's peak RSS; then the time until
// the tag names are on screen in Chromium. Not part of `npm test`.
//
//   npm run bench [-- --tags 2000 --indexes 300 --platforms 4 --delay 40 --in-flight 8]

import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { parseArgs } from 'node:util';
import { chromium } from '@playwright/test';
import { startFront } from '../tests/support/harness/front';
import { Pusher } from '../tests/support/harness/pusher';
import { startRegistry } from '../tests/support/harness/registry-process';
import { seedScaleRepository } from '../tests/support/harness/seed';
import { startNextServer } from '../tests/support/next-server';
import { readNdjson } from '../lib/swr/ndjson-reader';
import type { RepositoryEvent } from '../lib/api/types';
import { parseSort, sortTags } from '../lib/tag-order';

const { values } = parseArgs({
  options: {
    tags: { type: 'string', default: '2000' },
    indexes: { type: 'string', default: '300' },
    platforms: { type: 'string', default: '4' },
    delay: { type: 'string', default: '40' },
    'in-flight': { type: 'string', default: '8' },
    // What `npm start` uses unless NODE_OPTIONS says otherwise (scripts/start.mjs).
    'node-options': { type: 'string', default: process.env.NODE_OPTIONS ?? '--max-old-space-size=256' },
  },
});
const tags = Number(values.tags);
const indexes = Number(values.indexes);
const platforms = Number(values.platforms);
const delayMs = Number(values.delay);
const inFlight = Number(values['in-flight']);

interface Run {
  ms: { tags: number; firstGroup: number; first50: number; done: number };
  groups: number;
  errors: number;
}

async function view(baseUrl: string, repository: string, firstScreen: string[]): Promise<Run> {
  const started = performance.now();
  const response = await fetch(`${baseUrl}/api/v1/repository?repository=${encodeURIComponent(repository)}`, {
    headers: { accept: 'application/x-ndjson' },
  });
  if (!response.ok || !response.body) throw new Error(`the view answered HTTP ${response.status}: ${await response.text()}`);
  const waiting = new Set(firstScreen);
  const ms = { tags: NaN, firstGroup: NaN, first50: NaN, done: NaN };
  const groups = new Set<string>();
  let errors = 0;
  await readNdjson<RepositoryEvent>(response.body, (events) => {
    for (const event of events) {
      const at = performance.now() - started;
      if (event.type === 'tags') ms.tags = at;
      if (event.type === 'group') {
        if (groups.size === 0) ms.firstGroup = at;
        groups.add(event.group.digest);
        for (const tag of event.group.tags) waiting.delete(tag);
        if (waiting.size === 0 && Number.isNaN(ms.first50)) ms.first50 = at;
      }
      if (event.type === 'error') errors++;
      if (event.type === 'done') ms.done = at;
    }
  });
  return { ms, groups: groups.size, errors };
}

function peakRss(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
  return kb * 1024;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

console.log(`bench: seeding ${tags} tags over ${indexes} indexes of ${platforms} platforms …`);
const registry = await startRegistry({ kind: 'none' }, 'bench');
const seedStarted = performance.now();
const truth = await seedScaleRepository(new Pusher({ url: registry.url }), registry.host, 'bench/app', { tags, indexes, platformsPerIndex: platforms, concurrency: 16 });
console.log(`bench: seeded in ${s(performance.now() - seedStarted)}`);
const front = await startFront(registry.url, { delayMs, maxInFlight: inFlight });
const repository = `${front.host}/bench/app`;
const server = await startNextServer({
  TAGSCOPE_INSECURE_REGISTRIES: front.host,
  TAGSCOPE_RATE_LIMIT: '0',
  TAGSCOPE_CONCURRENCY: String(inFlight),
  TAGSCOPE_CACHE_DIR: `${registry.dir}/tagscope-cache`,
  // Long enough that the warm view of the largest run is still within the TTL.
  TAGSCOPE_TAG_TTL_SECONDS: '600',
  NODE_OPTIONS: values['node-options'] ?? '',
});

try {
  const allTags = Object.keys(truth.tags);
  const firstScreen = sortTags(allTags, parseSort(null)!).slice(0, 50);
  const distinctIndexes = new Set(Object.values(truth.tags).map((t) => t.digest)).size;
  const distinctPlatforms = new Set(Object.values(truth.tags).flatMap((t) => t.platforms.map((p) => p.digest))).size;
  const floor = { tagPage: 1, manifestHead: allTags.length, manifestGet: distinctIndexes + distinctPlatforms };
  const floorTotal = floor.tagPage + floor.manifestHead + floor.manifestGet;
  const phase = (n: number) => Math.ceil(n / inFlight) * delayMs;
  const floorMs = phase(1) + phase(allTags.length) + phase(distinctIndexes) + phase(distinctPlatforms);

  // Cold means nothing cached about the registry, not a process that has served nothing:
  // load the route and page code once first, on an unrelated request.
  await (await fetch(`${server.url}/api/v1/repository?repository=${encodeURIComponent(`${front.host}/warm-up/none`)}`)).text();
  front.reset();
  const cold = await view(server.url, repository, firstScreen);
  const coldCounts = front.counts();
  front.reset();
  const warm = await view(server.url, repository, firstScreen);
  const warmCounts = front.counts();
  const rss = peakRss(Number(server.pid));

  // The tag names on screen in Chromium: from navigation to the first rows in the table.
  const browser = await chromium.launch({
    executablePath: process.env.TAGSCOPE_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
  });
  const page = await browser.newPage();
  const navStarted = performance.now();
  await page.goto(`${server.url}/r/${repository}`);
  await page.locator('tbody[data-row-kind]').first().waitFor();
  const namesOnScreen = performance.now() - navStarted;
  const shown = await page.getByText(`${allTags.length.toLocaleString('en')} tags`).count();
  await browser.close();

  const total = (c: ReturnType<typeof front.counts>) => Object.values(c).reduce((sum, n) => sum + n, 0);
  const lines = [
    `machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${mb(totalmem())}, Node ${process.version}`,
    `repository: ${allTags.length} tags, ${distinctIndexes} distinct indexes, ${distinctPlatforms} distinct platform manifests; front: +${delayMs} ms a request, ${inFlight} in flight`,
    '',
    '| | tag pages | HEAD | manifest GET | blob GET | total | floor |',
    '|---|---|---|---|---|---|---|',
    `| cold | ${coldCounts.tagPage} | ${coldCounts.manifestHead} | ${coldCounts.manifestGet} | ${coldCounts.blobGet} | ${total(coldCounts)} | ${floorTotal} (${floor.tagPage} + ${floor.manifestHead} + ${floor.manifestGet}) |`,
    `| warm | ${warmCounts.tagPage} | ${warmCounts.manifestHead} | ${warmCounts.manifestGet} | ${warmCounts.blobGet} | ${total(warmCounts)} | — |`,
    '',
    '| | tag names | first group | first 50 tags grouped | last group (done) | groups | errors |',
    '|---|---|---|---|---|---|---|',
    `| cold | ${s(cold.ms.tags)} | ${s(cold.ms.firstGroup)} | ${s(cold.ms.first50)} | ${s(cold.ms.done)} | ${cold.groups} | ${cold.errors} |`,
    `| warm | ${s(warm.ms.tags)} | ${s(warm.ms.firstGroup)} | ${s(warm.ms.first50)} | ${s(warm.ms.done)} | ${warm.groups} | ${warm.errors} |`,
    '',
    `floor time at ${inFlight} in flight: ${s(floorMs)}; cold completion / floor time = ${(cold.ms.done / floorMs).toFixed(2)}; cold requests / floor = ${(total(coldCounts) / floorTotal).toFixed(3)}`,
    `tag names on screen in Chromium: ${s(namesOnScreen)} after navigation (count shown: ${shown > 0 ? 'yes' : 'no'})`,
    `server peak RSS: ${mb(rss)}`,
  ];
  console.log(`\n${lines.join('\n')}`);
} finally {
  await server.stop();
  await front.stop();
  await registry.stop();
}

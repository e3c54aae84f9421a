// `npm run bench`: how fast and how frugal a repository view is on a big repository.
// Seeds a real registry (Debian's docker-registry) with --tags tags over --indexes
// multi-platform indexes, puts a front before it that adds 40 ms to every request and allows
// 8 in flight, serves the production build against it, and prints for a cold and a warm view:
// upstream requests by kind beside the floor, time to the first group, to the first 50 tags
// grouped and to the last, the stream's bytes on the wire (asked for as Chromium asks) and
// decoded, the floor time, and the server's peak RSS; then the time until
// the tag names are on screen in Chromium. Then the Docker Hub case: the same kind of
// repositories (--hub-tags) through the Hub web API emulator (as slow as the front), the
// registry behind a front that counts pulls like Docker Hub, an anonymous cold view of each:
// web API calls, registry HEADs, pulls spent, time to the first 50 tags grouped and to the
// last. Not part of `npm test`.
//
//   npm run bench [-- --tags 2000 --indexes 300 --platforms 4 --delay 40 --in-flight 8]
//   npm run bench -- --only hub [--hub-tags 2000,2500]     (or --only registry, history, store)
//
// The history case serves the same repository twice, with tag history on and with
// TAGSCOPE_HISTORY=off, and prints the cold view, the median of warm views, the peak RSS and
// what history wrote (one observation per tag) — the cost of recording sightings.

import { readFileSync } from 'node:fs';
import http from 'node:http';
import { cpus, totalmem } from 'node:os';
import { Readable, Transform } from 'node:stream';
import zlib from 'node:zlib';
import { parseArgs } from 'node:util';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { chromium } from '@playwright/test';
import { startFront } from '../tests/support/harness/front';
import { hubRepositoryFromTruth, startHubEmulator } from '../tests/support/harness/hub';
import { Pusher } from '../tests/support/harness/pusher';
import { startRegistry, type RegistryProcess } from '../tests/support/harness/registry-process';
import { seedScaleRepository, type Truth } from '../tests/support/harness/seed';
import { startNextServer } from '../tests/support/next-server';
import { readNdjson } from '../lib/swr/ndjson-reader';
import type { RepositoryEvent } from '../lib/api/types';
import { parseSort, sortTags } from '../lib/common/tag-order';

const { values } = parseArgs({
  options: {
    tags: { type: 'string', default: '2000' },
    indexes: { type: 'string', default: '300' },
    platforms: { type: 'string', default: '4' },
    delay: { type: 'string', default: '40' },
    'in-flight': { type: 'string', default: '8' },
    only: { type: 'string' },
    'hub-tags': { type: 'string', default: '2000,2500' },
    // What `npm start` uses unless NODE_OPTIONS says otherwise (scripts/start.mjs).
    'node-options': { type: 'string', default: process.env.NODE_OPTIONS ?? '--max-old-space-size=256' },
  },
});
const tags = Number(values.tags);
const indexes = Number(values.indexes);
const platforms = Number(values.platforms);
const delayMs = Number(values.delay);
const inFlight = Number(values['in-flight']);
const hubTags = values['hub-tags'].split(',').map(Number);
if (values.only !== undefined && !['registry', 'hub', 'history', 'store'].includes(values.only)) throw new Error(`--only is registry, hub, history or store, not ${values.only}`);

interface Run {
  ms: { tags: number; firstGroup: number; first50: number; done: number };
  groups: number;
  /** Distinct tags in the groups sent. */
  tagsGrouped: number;
  /** Groups sent without platforms because describing them would spend a pull. */
  needPull: number;
  errors: number;
  /** The stream's content coding, its bytes on the wire and decoded, and its group lines (a group may be sent again). */
  wire: { encoding: string; bytes: number; decoded: number; groupLines: number };
}

/** What Chromium sends (fetch decodes it transparently); Node's fetch would say only gzip, deflate. */
const BROWSER_ACCEPT_ENCODING = 'gzip, deflate, br, zstd';

/** The view's NDJSON stream as a browser gets it, counting its bytes on the wire and decoded. */
async function openStream(url: string) {
  const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
    http.get(url, { headers: { accept: 'application/x-ndjson', 'accept-encoding': BROWSER_ACCEPT_ENCODING } }, resolve).on('error', reject);
  });
  const encoding = response.headers['content-encoding'] ?? 'identity';
  if (response.statusCode !== 200) throw new Error(`the view answered HTTP ${response.statusCode}`);
  const decoder = ({ gzip: zlib.createGunzip, br: zlib.createBrotliDecompress } as Record<string, () => Transform>)[encoding];
  if (!decoder && encoding !== 'identity') throw new Error(`the view answered in an encoding the benchmark cannot read: ${encoding}`);
  const wire = { encoding, bytes: 0, decoded: 0, groupLines: 0 };
  response.on('data', (chunk: Buffer) => (wire.bytes += chunk.length));
  const decoded = decoder ? response.pipe(decoder()) : response;
  decoded.on('data', (chunk: Buffer) => (wire.decoded += chunk.length));
  return { body: Readable.toWeb(decoded) as ReadableStream<BufferSource>, wire };
}

async function view(baseUrl: string, repository: string, firstScreen: string[]): Promise<Run> {
  const started = performance.now();
  const { body, wire } = await openStream(`${baseUrl}/api/v1/repository?repository=${encodeURIComponent(repository)}`);
  const waiting = new Set(firstScreen);
  const ms = { tags: NaN, firstGroup: NaN, first50: NaN, done: NaN };
  const groups = new Set<string>();
  const grouped = new Set<string>();
  const needPull = new Set<string>();
  let errors = 0;
  await readNdjson<RepositoryEvent>(body, (events) => {
    for (const event of events) {
      const at = performance.now() - started;
      if (event.type === 'tags') ms.tags = at;
      if (event.type === 'group') {
        if (groups.size === 0) ms.firstGroup = at;
        wire.groupLines++;
        groups.add(event.group.digest);
        if (event.group.platformsNeedPull) needPull.add(event.group.digest);
        for (const tag of event.group.tags) {
          waiting.delete(tag);
          grouped.add(tag);
        }
        if (waiting.size === 0 && Number.isNaN(ms.first50)) ms.first50 = at;
      }
      if (event.type === 'error') errors++;
      if (event.type === 'done') ms.done = at;
    }
  });
  return { ms, groups: groups.size, tagsGrouped: grouped.size, needPull: needPull.size, errors, wire };
}

/** CPU time the process has used (user + system), in ms: less noisy than wall time on a busy machine. */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  // utime and stime are fields 14 and 15 of stat(5), in clock ticks (100 per second on Linux).
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

function peakRss(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? NaN);
  return kb * 1024;
}

const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const kb = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
const onTheWire = (run: Run) => `${kb(run.wire.bytes)} ${run.wire.encoding} (${kb(run.wire.decoded)} decoded, ${run.wire.groupLines} group lines)`;
const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

const phase = (requests: number) => Math.ceil(requests / inFlight) * delayMs;
const sum = (counts: Record<string, number>) => Object.values(counts).reduce((total, n) => total + n, 0);

const seeded = new Map<string, Truth>();

/** A scale repository of this size, pushed once and shared by the cases that ask for it. */
async function seed(registry: RegistryProcess, tagCount: number, indexCount: number): Promise<Truth> {
  const repoPath = `bench/app-${tagCount}x${indexCount}`;
  const known = seeded.get(repoPath);
  if (known) return known;
  console.log(`bench: seeding ${repoPath}: ${tagCount} tags over ${indexCount} indexes of ${platforms} platforms …`);
  const started = performance.now();
  const truth = await seedScaleRepository(new Pusher({ url: registry.url }), registry.host, repoPath, { tags: tagCount, indexes: indexCount, platformsPerIndex: platforms, concurrency: 16 });
  console.log(`bench: seeded in ${s(performance.now() - started)}`);
  seeded.set(repoPath, truth);
  return truth;
}

/** `host/path` of a truth's repository on another host (the front before its registry). */
const through = (host: string, truth: Truth) => `${host}/${truth.repository.slice(truth.repository.indexOf('/') + 1)}`;

/** The server as `npm start` runs it, against hosts reached over plain http. */
function serve(registry: RegistryProcess, name: string, env: Record<string, string>) {
  return startNextServer({
    TAGSCOPE_RATE_LIMIT: '0',
    TAGSCOPE_CONCURRENCY: String(inFlight),
    TAGSCOPE_CACHE_DIR: `${registry.dir}/tagscope-cache-${name}`,
    // Long enough that the warm view of the largest run is still within the TTL.
    TAGSCOPE_TAG_TTL_SECONDS: '600',
    // No credentials from this machine: the Hub case is the anonymous one.
    DOCKER_CONFIG: `${registry.dir}/no-docker-config`,
    NODE_OPTIONS: values['node-options'] ?? '',
    // A CPU profile of the server (scripts/server.mjs), one file per case.
    ...(process.env.TAGSCOPE_CPU_PROFILE ? { TAGSCOPE_CPU_PROFILE: `${process.env.TAGSCOPE_CPU_PROFILE}.${name}.cpuprofile` } : {}),
    ...env,
  });
}

/**
 * Cold means nothing cached about the registry, not a process that has served nothing: load
 * the route and page code once first, on an unrelated request.
 */
async function loadRoutes(serverUrl: string, host: string) {
  await (await fetch(`${serverUrl}/api/v1/repository?repository=${encodeURIComponent(`${host}/warm-up/none`)}`)).text();
}

/** A plain registry: every tag HEADed, every distinct index and platform manifest GET once. */
async function registryCase(registry: RegistryProcess): Promise<string[]> {
  const truth = await seed(registry, tags, indexes);
  const front = await startFront(registry.url, { delayMs, maxInFlight: inFlight });
  const repository = through(front.host, truth);
  const server = await serve(registry, 'registry', { TAGSCOPE_INSECURE_REGISTRIES: front.host });
  try {
    const allTags = Object.keys(truth.tags);
    const firstScreen = sortTags(allTags, parseSort(null)!).slice(0, 50);
    const distinctIndexes = new Set(Object.values(truth.tags).map((t) => t.digest)).size;
    const distinctPlatforms = new Set(Object.values(truth.tags).flatMap((t) => t.platforms.map((p) => p.digest))).size;
    const floor = { tagPage: 1, manifestHead: allTags.length, manifestGet: distinctIndexes + distinctPlatforms };
    const floorTotal = floor.tagPage + floor.manifestHead + floor.manifestGet;
    const floorMs = phase(1) + phase(allTags.length) + phase(distinctIndexes) + phase(distinctPlatforms);

    await loadRoutes(server.url, front.host);
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

    return [
      `## a registry: ${allTags.length} tags, ${distinctIndexes} distinct indexes, ${distinctPlatforms} distinct platform manifests; front: +${delayMs} ms a request, ${inFlight} in flight`,
      '',
      '| | tag pages | HEAD | manifest GET | blob GET | total | floor |',
      '|---|---|---|---|---|---|---|',
      `| cold | ${coldCounts.tagPage} | ${coldCounts.manifestHead} | ${coldCounts.manifestGet} | ${coldCounts.blobGet} | ${sum(coldCounts)} | ${floorTotal} (${floor.tagPage} + ${floor.manifestHead} + ${floor.manifestGet}) |`,
      `| warm | ${warmCounts.tagPage} | ${warmCounts.manifestHead} | ${warmCounts.manifestGet} | ${warmCounts.blobGet} | ${sum(warmCounts)} | — |`,
      '',
      '| | tag names | first group | first 50 tags grouped | last group (done) | groups | errors | stream on the wire |',
      '|---|---|---|---|---|---|---|---|',
      `| cold | ${s(cold.ms.tags)} | ${s(cold.ms.firstGroup)} | ${s(cold.ms.first50)} | ${s(cold.ms.done)} | ${cold.groups} | ${cold.errors} | ${onTheWire(cold)} |`,
      `| warm | ${s(warm.ms.tags)} | ${s(warm.ms.firstGroup)} | ${s(warm.ms.first50)} | ${s(warm.ms.done)} | ${warm.groups} | ${warm.errors} | ${onTheWire(warm)} |`,
      '',
      `floor time at ${inFlight} in flight: ${s(floorMs)}; cold completion / floor time = ${(cold.ms.done / floorMs).toFixed(2)}; cold requests / floor = ${(sum(coldCounts) / floorTotal).toFixed(3)}`,
      `tag names on screen in Chromium: ${s(namesOnScreen)} after navigation (count shown: ${shown > 0 ? 'yes' : 'no'})`,
      `server peak RSS: ${mb(rss)}`,
    ];
  } finally {
    await server.stop();
    await front.stop();
  }
}

/**
 * Docker Hub: the web API describes the tags (no pull), the registry is asked only for what it
 * leaves out (a free HEAD). Anonymous, so the web API pages 1,000 tags from each end and the
 * registry's tag list names the rest; past 2,000 tags the middle ones are HEADed.
 */
async function hubCase(registry: RegistryProcess): Promise<string[]> {
  const truths = [];
  // As many tags per index as the registry case; the same size is the same repository.
  for (const count of hubTags) truths.push(await seed(registry, count, Math.round((count * indexes) / tags)));
  const front = await startFront(registry.url, { delayMs, maxInFlight: inFlight, pullLimit: { limit: 100, windowSeconds: 21_600 } });
  const hub = await startHubEmulator({ repositories: truths.map((truth) => hubRepositoryFromTruth(truth)), delayMs });
  const server = await serve(registry, 'hub', {
    TAGSCOPE_INSECURE_REGISTRIES: `${front.host},${hub.host}`,
    TAGSCOPE_REGISTRY_APIS: `${front.host}=hub:${hub.url}`,
  });
  const requests = ['| cold, anonymous | Hub API calls (tag pages + other) | target ≤ 3 × ceil(tags / 100) | registry tag pages | HEAD | manifest GET | pulls spent |', '|---|---|---|---|---|---|---|'];
  const times = ['| cold, anonymous | tag names | first 50 tags grouped | last group (done) | floor time | tags grouped | groups (without platforms: need a pull) | errors | stream on the wire |', '|---|---|---|---|---|---|---|---|---|'];
  try {
    await loadRoutes(server.url, front.host);
    for (const truth of truths) {
      const allTags = Object.keys(truth.tags);
      const n = allTags.length;
      // Hub pages one after another: up to 10 of 100 from each end anonymously, each end ended
      // by the 403 at offset 1000 (the other end beside the registry's tag list), then the
      // repository; the tags neither end describes are HEADed, 8 at a time.
      const capped = n > 1000;
      const pagesPerEnd = Math.max(1, Math.ceil(Math.min(n, 1000) / 100)) + (capped ? 1 : 0);
      const heads = capped ? Math.max(0, n - 2000) : 0;
      const floorMs = (pagesPerEnd * (capped ? 2 : 1) + 1) * delayMs + phase(heads);
      front.reset();
      hub.reset();
      const cold = await view(server.url, through(front.host, truth), sortTags(allTags, parseSort(null)!).slice(0, 50));
      const f = front.counts();
      const h = hub.counts();
      requests.push(`| ${n.toLocaleString('en')} tags | ${sum(h)} (${h.tagList} + ${sum(h) - h.tagList}) | ${3 * Math.ceil(n / 100)} | ${f.tagPage} | ${f.manifestHead} | ${f.manifestGet} | ${front.pulls()} |`);
      times.push(`| ${n.toLocaleString('en')} tags | ${s(cold.ms.tags)} | ${s(cold.ms.first50)} | ${s(cold.ms.done)} | ${s(floorMs)} | ${cold.tagsGrouped} of ${n} | ${cold.groups} (${cold.needPull}) | ${cold.errors} | ${onTheWire(cold)} |`);
    }
    return [
      `## Docker Hub: the web API emulator and the registry's front each +${delayMs} ms a request, ${inFlight} in flight; pull limit 100 per 6 h`,
      '',
      ...requests,
      '',
      ...times,
      '',
      `server peak RSS: ${mb(peakRss(Number(server.pid)))}`,
    ];
  } finally {
    await server.stop();
    await hub.stop();
    await front.stop();
  }
}

/**
 * Tag history's cost: the same views with history on (a fresh SQLite file) and off. The tag
 * TTL is 0 and the front adds no delay, so every view HEADs every tag again and hands each
 * answer to the recorder: the most history can add to a view.
 */
async function historyCase(registry: RegistryProcess): Promise<string[]> {
  const truth = await seed(registry, tags, indexes);
  const front = await startFront(registry.url, { delayMs: 0, maxInFlight: inFlight });
  const repository = through(front.host, truth);
  const allTags = Object.keys(truth.tags);
  const firstScreen = sortTags(allTags, parseSort(null)!).slice(0, 50);
  const rows: string[] = [];
  const warmRuns = 11;
  // Twice each, alternating, so a machine that is busier for one run shows as spread, not as cost.
  for (const [round, mode] of [[1, 'off'], [1, 'on'], [2, 'off'], [2, 'on']] as const) {
    const dataDir = `${registry.dir}/tagscope-data-${mode}-${round}`;
    const server = await serve(registry, `history-${mode}-${round}`, { TAGSCOPE_INSECURE_REGISTRIES: front.host, TAGSCOPE_HISTORY: mode, TAGSCOPE_DATA_DIR: dataDir, TAGSCOPE_TAG_TTL_SECONDS: '0' });
    try {
      await loadRoutes(server.url, front.host);
      const cold = await view(server.url, repository, firstScreen);
      const warm: number[] = [];
      const cpuBefore = cpuMs(Number(server.pid));
      for (let i = 0; i < warmRuns; i++) warm.push((await view(server.url, repository, firstScreen)).ms.done);
      const cpuPerView = (cpuMs(Number(server.pid)) - cpuBefore) / warmRuns;
      warm.sort((a, b) => a - b);
      let recorded = '—';
      if (mode === 'on') {
        // Changes are written within moments of the view; wait for them, bounded.
        const until = performance.now() + 10_000;
        let count = 0;
        while (performance.now() < until) {
          const answer = (await (await fetch(`${server.url}/api/v1/history?repository=${encodeURIComponent(repository)}`)).json()) as { observations: unknown[] };
          count = answer.observations.length;
          if (count >= Math.min(allTags.length, 2_000)) break;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        recorded = `${count} observations`;
      }
      rows.push(
        `| ${mode} (round ${round}) | ${s(cold.ms.done)} | ${warm[Math.floor(warmRuns / 2)]!.toFixed(0)} ms | ${warm[0]!.toFixed(0)}–${warm.at(-1)!.toFixed(0)} ms | ${cpuPerView.toFixed(0)} ms | ${mb(peakRss(Number(server.pid)))} | ${recorded} |`,
      );
    } finally {
      await server.stop();
    }
  }
  await front.stop();
  return [
    `## tag history: ${allTags.length} tags HEADed and recorded per view (tag TTL 0, no added delay), history on (SQLite) and off`,
    '',
    `| history | first view (done) | later views, median of ${warmRuns} | range | server CPU per later view | peak RSS | written |`,
    '|---|---|---|---|---|---|---|',
    ...rows,
  ];
}

/**
 * The history store on its own, in this process: what a sighting costs the view that makes it
 * (Recorder.record), how long one write batch holds the event loop (better-sqlite3 is
 * synchronous), the reads a tag page and a repository page make on a database of 100,000
 * runs, and the memory the embedded engine adds.
 */
async function historyStoreCase(): Promise<string[]> {
  const { mkdtempSync, rmSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const path = await import('node:path');
  const { openHistoryDatabase } = await import('../lib/history/database');
  const { HistoryStore, WRITE_BATCH } = await import('../lib/history/store');
  const { Recorder } = await import('../lib/history/recorder');
  const dir = mkdtempSync(path.join(tmpdir(), 'tagscope-bench-history-'));
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const p99 = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length * 0.99)]!;
  const digest = (n: number) => `sha256:${n.toString(16).padStart(64, '0')}`;
  try {
    // With --expose-gc (NODE_OPTIONS) the memory lines are measured after a collection.
    const gc = () => (globalThis as { gc?: () => void }).gc?.();
    gc();
    const rssBefore = process.memoryUsage().rss;
    const database = await openHistoryDatabase({ engine: 'sqlite', file: path.join(dir, 'bench.db') });
    const store = new HistoryStore(database);
    const rssOpen = process.memoryUsage().rss;
    // 100,000 runs: 500 repositories × 50 tags × 4 digests each.
    const seedStarted = performance.now();
    for (let r = 0; r < 500; r++) {
      const repository = `bench.test/team/app-${r}`;
      const batch = [];
      for (let t = 0; t < 50; t++) for (let d = 0; d < 4; d++) batch.push({ registry: 'bench.test', repository, tag: `t${t}`, digest: digest(r * 1000 + t * 4 + d), mediaType: null, at: 1_700_000_000_000 + d * 86_400_000 + t, via: 'head' as const });
      await store.recordSightings(batch);
    }
    const seedMs = performance.now() - seedStarted;
    gc();
    const rssSeeded = process.memoryUsage().rss;

    // A view's share: 2,000 record() calls, as a 2,000-tag view makes them.
    const recorder = new Recorder({ changeDelayMs: 3_600_000, touchIntervalMs: 3_600_000 });
    const sightings = Array.from({ length: 2_000 }, (_, i) => ({ registry: 'bench.test', repository: 'bench.test/team/view', tag: `v${i}`, digest: digest(i), mediaType: null, at: Date.now(), via: 'head' as const }));
    const recordStarted = performance.now();
    for (const sighting of sightings) recorder.record(sighting);
    const recordMs = performance.now() - recordStarted;
    // Its writes, in the recorder's batches: first sightings, then the same tags as "last seen".
    const batches: number[] = [];
    for (let i = 0; i < sightings.length; i += WRITE_BATCH) {
      const started = performance.now();
      await store.recordSightings(sightings.slice(i, i + WRITE_BATCH));
      batches.push(performance.now() - started);
    }
    const touches: number[] = [];
    for (let i = 0; i < sightings.length; i += WRITE_BATCH) {
      const started = performance.now();
      await store.touch(sightings.slice(i, i + WRITE_BATCH).map((s) => ({ ...s, at: s.at + 1_000 })));
      touches.push(performance.now() - started);
    }
    await recorder.close(0);

    // The reads of a tag page (its runs and moves, what it was on a date) and a repository page (recent moves).
    const reads = { timeline: [] as number[], at: [] as number[], recent: [] as number[] };
    for (let i = 0; i < 500; i++) {
      const repository = `bench.test/team/app-${i}`;
      let started = performance.now();
      await Promise.all([store.observations(repository, { tag: 't7', limit: 200 }), store.moves(repository, { tag: 't7', limit: 200 })]);
      reads.timeline.push(performance.now() - started);
      started = performance.now();
      await store.tagAt(repository, 't7', 1_700_000_000_000 + 2.5 * 86_400_000);
      reads.at.push(performance.now() - started);
      started = performance.now();
      await store.moves(repository, { limit: 10 });
      reads.recent.push(performance.now() - started);
    }
    await database.close();
    const big = await bigRepositoryReads(dir);
    const ms = (value: number) => `${value.toFixed(2)} ms`;
    return [
      '## the history store alone (SQLite, this process)',
      '',
      '| what | cost |',
      '|---|---|',
      `| RSS added by opening the database (empty) | ${mb(rssOpen - rssBefore)} |`,
      `| RSS after writing 100,000 runs (500 repositories × 50 tags × 4 digests, ${s(seedMs)}) | +${mb(rssSeeded - rssBefore)} over no database |`,
      `| 2,000 Recorder.record() calls (a 2,000-tag view's share, on its path) | ${ms(recordMs)} in all |`,
      `| one write batch of ${WRITE_BATCH} new runs (off the path; holds the event loop) | median ${ms(median(batches))}, max ${ms(Math.max(...batches))} |`,
      `| one batch of ${WRITE_BATCH} "last seen" updates | median ${ms(median(touches))}, max ${ms(Math.max(...touches))} |`,
      `| a tag page's timeline (runs + moves of one tag) | median ${ms(median(reads.timeline))}, p99 ${ms(p99(reads.timeline))} |`,
      `| a tag page's \`?at=\` | median ${ms(median(reads.at))}, p99 ${ms(p99(reads.at))} |`,
      `| a repository page's 10 recent moves | median ${ms(median(reads.recent))}, p99 ${ms(p99(reads.recent))} |`,
      '',
      ...big,
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * One repository grown big (121,000 rows, as a flood made one): what each read of it costs, every
 * one of them holding the event loop (better-sqlite3 is synchronous), and the trim retention
 * makes of it — its total and its longest transaction, the one that holds SQLite's lock.
 */
async function bigRepositoryReads(dir: string): Promise<string[]> {
  const path = await import('node:path');
  const { statSync } = await import('node:fs');
  const { openHistoryDatabase } = await import('../lib/history/database');
  const { HistoryStore } = await import('../lib/history/store');
  const { seedRuns } = await import('../tests/support/history-seed');
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
  const ms = (value: number) => `${value.toFixed(1)} ms`;
  const lines = ['| rows in the repository (tags × runs) | seeded in | file | `/api/v1/history` (moves + runs) | with `since` an hour before its end | a tag page (timeline, `?at=`, moved away) | 10 recent moves | trimmed to the default policy: total, longest event-loop stall |', '|---|---|---|---|---|---|---|---|'];
  for (const [tags, runs] of [
    [121, 1_000],
    [1_000, 1_000],
  ] as const) {
    const file = path.join(dir, `big-${tags}.db`);
    const database = await openHistoryDatabase({ engine: 'sqlite', file });
    const store = new HistoryStore(database);
    const repository = 'bench.test/team/big';
    let started = performance.now();
    await seedRuns(database, repository, tags, runs);
    const seedMs = performance.now() - started;
    const bytes = statSync(file).size + (statSync(`${file}-wal`, { throwIfNoEntry: false })?.size ?? 0);
    const time = async (read: () => Promise<unknown>) => {
      const times: number[] = [];
      for (let i = 0; i < 15; i++) {
        const at = performance.now();
        await read();
        times.push(performance.now() - at);
      }
      return median(times);
    };
    const end = runs * 1_000;
    const history = await time(() => Promise.all([store.moves(repository), store.observations(repository)]));
    const since = await time(() => Promise.all([store.moves(repository, { since: end - 3_600 }), store.observations(repository, { since: end - 3_600 })]));
    const tagPage = await time(() =>
      Promise.all([store.observations(repository, { tag: 't7', limit: 200 }), store.moves(repository, { tag: 't7', limit: 200 }), store.tagAt(repository, 't7', end / 2), store.leftDigest(repository, 't7', 'sha256:7')]),
    );
    const recent = await time(() => store.moves(repository, { limit: 10 }));
    // The trim, with the event loop watched: its longest stall is the longest the server is held at once.
    const stalls = monitorEventLoopDelay({ resolution: 1 });
    stalls.enable();
    started = performance.now();
    const trimmed = typeof store.trim === 'function' ? await store.trim(repository) : null;
    const trimMs = performance.now() - started;
    stalls.disable();
    const longest = stalls.max / 1e6;
    lines.push(
      `| ${(tags * runs).toLocaleString('en')} (${tags} × ${runs}) | ${s(seedMs)} | ${mb(bytes)} | ${ms(history)} | ${ms(since)} | ${ms(tagPage)} | ${ms(recent)} | ${trimmed === null ? '— (no retention)' : `${trimmed.toLocaleString('en')} rows in ${s(trimMs)}, ${ms(longest)}`} |`,
    );
    await database.close();
  }
  return ['### one big repository (SQLite; medians of 15 reads, each holding the event loop)', '', ...lines];
}

if (values.only === 'store') {
  console.log(`\n${(await historyStoreCase()).join('\n')}`);
  process.exit(0);
}

const registry = await startRegistry({ kind: 'none' }, 'bench');
const lines = [`machine: ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${mb(totalmem())}, Node ${process.version}`];
try {
  if (values.only === undefined || values.only === 'registry') lines.push('', ...(await registryCase(registry)));
  if (values.only === undefined || values.only === 'hub') lines.push('', ...(await hubCase(registry)));
  if (values.only === undefined || values.only === 'history') lines.push('', ...(await historyCase(registry)), '', ...(await historyStoreCase()));
} finally {
  await registry.stop();
}
console.log(`\n${lines.join('\n')}`);

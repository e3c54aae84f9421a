// `npm run lighthouse`: Lighthouse's scores (performance, accessibility, best practices, SEO,
// and LCP, TBT, CLS) of the dashboard's pages, with the desktop and the mobile profile, against
// `npm run demo`'s data: the harness's registry on loopback, the sample repository and a
// 2,000-tag one, served by the production build as `npm start` serves it. Debian's Chromium, no
// internet; it builds nothing (run `next build` first). Under the table, for every page below
// 90 performance, 100 accessibility or with CLS ≥ 0.1: what Lighthouse blames — the elements
// that shift and how far, the LCP element, long tasks, unused JavaScript, render-blocking
// resources, failed audits. Exits non-zero only when it cannot run, never on a low score. Not
// part of `npm test`.
//
//   npm run lighthouse [-- --only repository,repository-2000] [--profile desktop|mobile]
//                      [--runs 3] [--cold] [--json] [--save <dir>]
//
// --runs: several runs of each page and profile, the median (by performance score) reported.
// --save: each reported run's full Lighthouse result as <page>.<profile>.json.
//
// By default one server whose caches hold every page's data (each page requested once before
// the audits, the tag TTL longer than the run): the audits measure the pages, not the
// registry. --cold: a fresh server for every audit, nothing cached about the registry — the
// first view, where a repository's groups stream in over seconds (a 2,000-tag repository
// HEADs every tag and GETs every index and platform manifest). A repository page reads its
// tags as an NDJSON stream; Lighthouse ends a load only when no high-priority request (the
// stream's fetch is one) has been in flight for a second, or after 45 s, so the audit covers
// the stream to its end — the table says when it ended, and "still open" if it had not.

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse, { desktopConfig, type Artifacts, type Config, type Result } from 'lighthouse';
import { NDJSON } from '../lib/api/ndjson';
import { startDemoEnvironment, SCALE_REPOSITORY } from '../tests/support/demo-environment';
import type { Truth } from '../tests/support/harness/seed';
import { trackChild } from '../tests/support/harness/processes';
import { ensureSystemPackages } from '../tests/support/harness/registry-process';
import { hasProductionBuild } from '../tests/support/next-server';

const CHROMIUM = process.env.TAGSCOPE_CHROMIUM ?? '/usr/bin/chromium';
// As the other scripts launch it, headless; no request leaves the machine.
const CHROMIUM_FLAGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'];
const CATEGORIES = ['performance', 'accessibility', 'best-practices', 'seo'] as const;
const PROFILES = { desktop: desktopConfig, mobile: undefined } satisfies Record<string, Config | undefined>;
type Profile = keyof typeof PROFILES;
/** Below these a page gets a diagnosis. */
const WEAK = { performance: 90, accessibility: 100, cls: 0.1 };

/** What a page is made from: the sample repository and the 2,000-tag one. */
interface Data {
  demo: Truth;
  /** Pushed only when a page asks for it. */
  scale: Truth | null;
}

interface Page {
  id: string;
  what: string;
  path(data: Data): string;
  /** A repository page: the repository whose NDJSON stream it reads. */
  streams?(data: Data): string;
  /** An error page: audited whatever its HTTP status (Lighthouse stops at a 4xx or 5xx otherwise). */
  errorStatus?: boolean;
}

const tag313 = (data: Data) => data.demo.tags['3.13']!;
const scaleOf = (data: Data) => data.scale ?? fail('the 2,000-tag repository was not pushed');
const PAGES: Page[] = [
  { id: 'repository', what: 'the demo repository', path: (d) => `/r/${d.demo.repository}`, streams: (d) => d.demo.repository },
  { id: 'repository-2000', what: `${SCALE_REPOSITORY.tags.toLocaleString('en')} tags`, path: (d) => `/r/${scaleOf(d).repository}`, streams: (d) => scaleOf(d).repository },
  { id: 'tag', what: 'a tag (3.13)', path: (d) => `/r/${d.demo.repository}:3.13` },
  { id: 'index-digest', what: 'the index digest of 3.13', path: (d) => `/r/${d.demo.repository}@${tag313(d).digest}` },
  { id: 'platform-digest', what: 'a platform digest of 3.13', path: (d) => `/r/${d.demo.repository}@${tag313(d).platforms[0]!.digest}` },
  { id: 'compare', what: '3.13 against 3.14', path: (d) => `/compare?${new URLSearchParams({ a: `${d.demo.repository}:3.13`, b: `${d.demo.repository}:3.14` })}` },
  { id: 'unknown-tag', what: 'the error page of an unknown tag', path: (d) => `/r/${d.demo.repository}:no-such-tag`, errorStatus: true },
  { id: 'home', what: 'the start page', path: () => '/' },
];

const { values } = parseArgs({
  options: {
    only: { type: 'string' },
    profile: { type: 'string' },
    runs: { type: 'string', default: '1' },
    json: { type: 'boolean', default: false },
    save: { type: 'string' },
    cold: { type: 'boolean', default: false },
  },
});
const only = values.only?.split(',').map((id) => id.trim());
const unknownPage = only?.find((id) => !PAGES.some((page) => page.id === id));
if (unknownPage) fail(`--only takes page names among ${PAGES.map((page) => page.id).join(', ')}; not ${unknownPage}`);
if (values.profile !== undefined && !(values.profile in PROFILES)) fail(`--profile is desktop or mobile, not ${values.profile}`);
const profiles = (values.profile ? [values.profile] : Object.keys(PROFILES)) as Profile[];
const runs = Number(values.runs);
if (!Number.isInteger(runs) || runs < 1) fail(`--runs is a whole number of runs per page and profile, not ${values.runs}`);

function fail(message: string): never {
  console.error(`lighthouse: ${message}`);
  process.exit(1);
}
/** Progress goes to stderr, so `--json` leaves stdout to the JSON. */
const say = (line: string) => console.error(`lighthouse: ${line}`);

// --- what an audit reports --------------------------------------------------------------

interface Audit {
  page: string;
  what: string;
  profile: Profile;
  /** The address audited, after the server's origin. */
  path: string;
  scores: { performance: number | null; accessibility: number | null; bestPractices: number | null; seo: number | null };
  metrics: { fcpMs: number | null; lcpMs: number | null; tbtMs: number | null; cls: number | null; speedIndexMs: number | null };
  /** The performance score of every run; the one reported is the median run. */
  runs: (number | null)[];
  statusCode: number | null;
  /** A repository page's NDJSON stream: when it ended (from the navigation's start), its bytes on the wire. */
  stream: { endMs: number; finished: boolean; transferBytes: number } | null;
  /** Lighthouse's measure of this machine's speed at the time (its "benchmarkIndex"). */
  benchmarkIndex: number | null;
  diagnosis: Diagnosis;
}

interface Shift {
  score: number;
  /** From the navigation's start. */
  atMs: number | null;
  element: string;
  /** The element's box before and after the shift, CSS pixels: [x, y, width, height]. */
  from: number[] | null;
  to: number[] | null;
}

interface Diagnosis {
  layoutShifts: Shift[];
  lcpElement: { element: string; phases: Record<string, number> } | null;
  longTasks: { count: number; top: { url: string; startMs: number; durationMs: number }[] };
  /** Lighthouse's simulated CPU slowdown, by which it multiplies the main-thread times below (mobile: 4). */
  cpuSlowdown: number;
  mainThread: { category: string; ms: number }[];
  /** Main-thread time by script. */
  scripts: { url: string; ms: number; scriptingMs: number }[];
  unusedJavaScript: { wastedBytes: number; scripts: { url: string; totalBytes: number; wastedBytes: number }[] };
  renderBlocking: { url: string; wastedMs: number; totalBytes: number }[];
  domSize: number | null;
  /** The HTML document: its size, and its bytes on the wire. */
  document: { bytes: number; transferBytes: number } | null;
  failed: { category: string; id: string; title: string; items: string[] }[];
}

type Item = Record<string, unknown>;
type Node = { selector?: string; snippet?: string; nodeLabel?: string };

function items(lhr: Result, id: string): Item[] {
  const details = lhr.audits[id]?.details as { items?: Item[] } | undefined;
  return details?.items ?? [];
}
const numberOf = (value: unknown) => (typeof value === 'number' ? value : null);
const metric = (lhr: Result, id: string) => numberOf(lhr.audits[id]?.numericValue);
const rounded = (value: number | null, digits = 0) => (value === null ? null : Number(value.toFixed(digits)));
const score = (lhr: Result, category: string) => {
  const value = lhr.categories[category]?.score;
  return typeof value === 'number' ? Math.round(value * 100) : null;
};
function describeNode(node: unknown): string {
  if (!node || typeof node !== 'object') return '(an element no longer in the page)';
  const { selector, snippet, nodeLabel } = node as Node;
  const label = nodeLabel && nodeLabel.length > 60 ? `${nodeLabel.slice(0, 57)}…` : nodeLabel;
  return [selector, label ? `"${label}"` : snippet?.slice(0, 80)].filter(Boolean).join(' ');
}
const shortUrl = (url: unknown, origin: string) => (typeof url === 'string' ? url.replace(origin, '') : String(url));

/**
 * The shifts Lighthouse counted, biggest first, with how far the element Lighthouse names moved:
 * the trace's LayoutShift events carry each impacted node's box before and after, in CSS pixels.
 */
function layoutShifts(lhr: Result, artifacts: Artifacts): Shift[] {
  const events = artifacts.Trace.traceEvents;
  const origin = events.find((e) => e.name === 'navigationStart' && e.args.data?.isLoadingMainFrame && e.args.data?.documentLoaderURL === lhr.finalDisplayedUrl);
  const named = new Map(artifacts.TraceElements.filter((t) => t.traceEventType === 'layout-shift').map((t) => [t.nodeId, t.node]));
  const shifts = events
    .filter((e) => e.name === 'LayoutShift' && e.args.data && !e.args.data.had_recent_input && e.args.data.is_main_frame !== false)
    .map((e) => {
      const data = e.args.data as { weighted_score_delta?: number; impacted_nodes?: { node_id: number; old_rect: number[]; new_rect: number[] }[] };
      const nodes = data.impacted_nodes ?? [];
      // The node Lighthouse names is one it could still find; else the one that moved most.
      const area = (n: { old_rect: number[]; new_rect: number[] }) => (n.old_rect[2] ?? 0) * (n.old_rect[3] ?? 0) + (n.new_rect[2] ?? 0) * (n.new_rect[3] ?? 0);
      const impacted = nodes.find((n) => named.has(n.node_id)) ?? [...nodes].sort((a, b) => area(b) - area(a))[0];
      const css = (rect: number[] | undefined) => rect?.map((v) => Math.round(v)) ?? null;
      return {
        score: data.weighted_score_delta ?? 0,
        atMs: origin ? Math.round((e.ts - origin.ts) / 1000) : null,
        element: impacted && named.has(impacted.node_id) ? describeNode(named.get(impacted.node_id)) : describeNode(null),
        from: css(impacted?.old_rect),
        to: css(impacted?.new_rect),
      };
    });
  return shifts.sort((a, b) => b.score - a.score).slice(0, 5);
}

function diagnose(lhr: Result, artifacts: Artifacts): Diagnosis {
  const origin = new URL(lhr.finalDisplayedUrl).origin;
  const html = items(lhr, 'network-requests').find((r) => r.resourceType === 'Document');
  const lcpList = items(lhr, 'largest-contentful-paint-element') as { items?: Item[] }[];
  const lcpNode = lcpList[0]?.items?.[0]?.node;
  const phases = Object.fromEntries((lcpList[1]?.items ?? []).map((phase) => [String(phase.phase), Math.round(numberOf(phase.timing) ?? 0)]));
  const tasks = items(lhr, 'long-tasks').map((t) => ({ url: shortUrl(t.url, origin), startMs: Math.round(numberOf(t.startTime) ?? 0), durationMs: Math.round(numberOf(t.duration) ?? 0) }));
  const failed: Diagnosis['failed'] = [];
  for (const category of CATEGORIES) {
    if (category === 'performance') continue;
    for (const ref of lhr.categories[category]?.auditRefs ?? []) {
      const audit = lhr.audits[ref.id];
      if (!audit || audit.score === null || audit.score >= 1 || ref.weight === 0) continue;
      failed.push({ category, id: ref.id, title: audit.title, items: items(lhr, ref.id).slice(0, 3).map((item) => (item.node ? describeNode(item.node) : shortUrl(item.url ?? item.description ?? item.source, origin))) });
    }
  }
  return {
    layoutShifts: layoutShifts(lhr, artifacts),
    lcpElement: lcpNode ? { element: describeNode(lcpNode), phases } : null,
    longTasks: { count: tasks.length, top: tasks.sort((a, b) => b.durationMs - a.durationMs).slice(0, 3) },
    cpuSlowdown: lhr.configSettings.throttlingMethod === 'simulate' ? (lhr.configSettings.throttling.cpuSlowdownMultiplier ?? 1) : 1,
    scripts: items(lhr, 'bootup-time')
      .slice(0, 3)
      .map((b) => ({ url: shortUrl(b.url, origin), ms: Math.round(numberOf(b.total) ?? 0), scriptingMs: Math.round(numberOf(b.scripting) ?? 0) })),
    mainThread: items(lhr, 'mainthread-work-breakdown')
      .map((m) => ({ category: String(m.groupLabel ?? m.group), ms: Math.round(numberOf(m.duration) ?? 0) }))
      .slice(0, 4),
    unusedJavaScript: {
      wastedBytes: items(lhr, 'unused-javascript').reduce((sum, s) => sum + (numberOf(s.wastedBytes) ?? 0), 0),
      scripts: items(lhr, 'unused-javascript')
        .slice(0, 3)
        .map((s) => ({ url: shortUrl(s.url, origin), totalBytes: numberOf(s.totalBytes) ?? 0, wastedBytes: numberOf(s.wastedBytes) ?? 0 })),
    },
    renderBlocking: items(lhr, 'render-blocking-resources').map((r) => ({ url: shortUrl(r.url, origin), wastedMs: Math.round(numberOf(r.wastedMs) ?? 0), totalBytes: numberOf(r.totalBytes) ?? 0 })),
    domSize: metric(lhr, 'dom-size'),
    document: html ? { bytes: numberOf(html.resourceSize) ?? 0, transferBytes: numberOf(html.transferSize) ?? 0 } : null,
    failed,
  };
}

function streamOf(lhr: Result, target: Target): Audit['stream'] {
  if (!target.streams) return null;
  const request = items(lhr, 'network-requests').find((r) => typeof r.url === 'string' && r.url.includes('/api/v1/repository?'));
  if (!request) return null;
  // network-requests' times are from the navigation's first request.
  return { endMs: Math.round(numberOf(request.networkEndTime) ?? NaN), finished: request.finished === true, transferBytes: numberOf(request.transferSize) ?? 0 };
}

// --- running the audits -----------------------------------------------------------------

let lighthouseVersion = '';

/** A page of this run's data. */
interface Target {
  page: Page;
  path: string;
  streams: string | null;
}

async function auditOnce(url: string, page: Page, profile: Profile) {
  const chrome = await chromeLauncher.launch({ chromePath: CHROMIUM, chromeFlags: CHROMIUM_FLAGS, logLevel: 'silent' });
  trackChild(chrome.process);
  try {
    const result = await lighthouse(
      url,
      { port: chrome.port, logLevel: 'error', output: 'json', onlyCategories: [...CATEGORIES], ignoreStatusCode: page.errorStatus === true },
      PROFILES[profile],
    );
    if (!result) throw new Error(`Lighthouse returned nothing for ${url}`);
    if (result.lhr.runtimeError) throw new Error(`Lighthouse could not audit ${url}: ${result.lhr.runtimeError.code} ${result.lhr.runtimeError.message}`);
    return result;
  } finally {
    chrome.kill();
  }
}

async function audit(serve: Serve, target: Target, profile: Profile): Promise<{ audit: Audit; lhr: Result }> {
  const { page } = target;
  const results = [];
  for (let run = 0; run < runs; run++) {
    say(`${page.id} (${profile})${runs > 1 ? ` run ${run + 1} of ${runs}` : ''} …`);
    results.push(await serve((baseUrl) => auditOnce(`${baseUrl}${target.path}`, page, profile)));
  }
  // The median run by performance score, as Lighthouse advises reading several runs.
  const sorted = [...results].sort((a, b) => (score(a.lhr, 'performance') ?? -1) - (score(b.lhr, 'performance') ?? -1));
  const { lhr, artifacts } = sorted[Math.floor((sorted.length - 1) / 2)]!;
  lighthouseVersion = lhr.lighthouseVersion;
  const main = items(lhr, 'network-requests').find((r) => r.resourceType === 'Document');
  return {
    lhr,
    audit: {
      page: page.id,
      what: page.what,
      profile,
      path: target.path,
      scores: { performance: score(lhr, 'performance'), accessibility: score(lhr, 'accessibility'), bestPractices: score(lhr, 'best-practices'), seo: score(lhr, 'seo') },
      metrics: {
        fcpMs: rounded(metric(lhr, 'first-contentful-paint')),
        lcpMs: rounded(metric(lhr, 'largest-contentful-paint')),
        tbtMs: rounded(metric(lhr, 'total-blocking-time')),
        cls: rounded(metric(lhr, 'cumulative-layout-shift'), 4),
        speedIndexMs: rounded(metric(lhr, 'speed-index')),
      },
      runs: results.map((r) => score(r.lhr, 'performance')),
      statusCode: numberOf(main?.statusCode),
      stream: streamOf(lhr, target),
      benchmarkIndex: lhr.environment.benchmarkIndex ?? null,
      diagnosis: diagnose(lhr, artifacts),
    },
  };
}

/** Runs an audit against a server: the warm one, or (--cold) a fresh one. */
type Serve = <T>(work: (baseUrl: string) => Promise<T>) => Promise<T>;

/** Each page, and each repository's stream to its end: what a server does for a page. */
async function request(baseUrl: string, pages: { path: string; streams: string | null }[]) {
  for (const { path, streams } of pages) {
    await (await fetch(`${baseUrl}${path}`)).text();
    if (streams) await (await fetch(`${baseUrl}/api/v1/repository?repository=${encodeURIComponent(streams)}`, { headers: { accept: NDJSON } })).text();
  }
}

// --- the report -------------------------------------------------------------------------

const weak = (a: Audit) =>
  (a.scores.performance ?? 0) < WEAK.performance || (a.scores.accessibility ?? 0) < WEAK.accessibility || (a.metrics.cls ?? 0) >= WEAK.cls;
const ms = (value: number | null) => (value === null ? '—' : value >= 1000 ? `${(value / 1000).toFixed(1)} s` : `${Math.round(value)} ms`);
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KiB`;
const mib = (bytes: number) => (bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MiB` : `${Math.round(bytes / 1024)} KiB`);
const range = (numbers: (number | null)[]) => {
  const known = numbers.filter((n) => n !== null);
  const [low, high] = [Math.round(Math.min(...known)), Math.round(Math.max(...known))];
  return known.length === 0 ? '—' : low === high ? String(low) : `${low}–${high}`;
};
const rect = (r: number[] | null) => (r ? `${r[0]},${r[1]} ${r[2]}×${r[3]}` : '?');

function table(audits: Audit[]): string[] {
  const rows = [
    ['page', 'profile', 'perf', 'a11y', 'best pr.', 'SEO', 'LCP', 'TBT', 'CLS', 'stream done, size'],
    ...audits.map((a) => [
      a.page,
      a.profile,
      `${a.scores.performance ?? '—'}${runs > 1 ? ` (${a.runs.join(',')})` : ''}`,
      String(a.scores.accessibility ?? '—'),
      String(a.scores.bestPractices ?? '—'),
      String(a.scores.seo ?? '—'),
      ms(a.metrics.lcpMs),
      ms(a.metrics.tbtMs),
      a.metrics.cls === null ? '—' : a.metrics.cls.toFixed(3),
      a.stream ? `${ms(a.stream.endMs)}${a.stream.finished ? '' : ' (still open)'}, ${mib(a.stream.transferBytes)}` : '',
    ]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  return rows.map((row) => row.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ').trimEnd());
}

function diagnosisLines(a: Audit): string[] {
  const d = a.diagnosis;
  const lines = [`${a.page} (${a.profile}): perf ${a.scores.performance}, a11y ${a.scores.accessibility}, LCP ${ms(a.metrics.lcpMs)}, TBT ${ms(a.metrics.tbtMs)}, CLS ${a.metrics.cls?.toFixed(3)}`];
  if ((a.metrics.cls ?? 0) > 0) {
    for (const s of d.layoutShifts) lines.push(`  shift ${s.score.toFixed(3)} at ${ms(s.atMs)}: ${s.element}, ${rect(s.from)} → ${rect(s.to)}`);
  }
  if (d.lcpElement) lines.push(`  LCP element: ${d.lcpElement.element} (${Object.entries(d.lcpElement.phases).map(([phase, t]) => `${phase} ${ms(t)}`).join(', ')})`);
  if (d.longTasks.count > 0) lines.push(`  long tasks${d.cpuSlowdown > 1 ? ' (simulated)' : ''}: ${d.longTasks.count}; longest ${d.longTasks.top.map((t) => `${ms(t.durationMs)} at ${ms(t.startMs)} (${t.url})`).join('; ')}`);
  const slowdown = d.cpuSlowdown > 1 ? ` (× ${d.cpuSlowdown}, simulated)` : '';
  if (d.mainThread.length > 0) lines.push(`  main thread${slowdown}: ${d.mainThread.map((m) => `${m.category} ${ms(m.ms)}`).join(', ')}`);
  if (d.scripts.length > 0) lines.push(`  by script${slowdown}: ${d.scripts.map((b) => `${b.url} ${ms(b.ms)} (scripting ${ms(b.scriptingMs)})`).join('; ')}`);
  if (d.unusedJavaScript.wastedBytes > 0) lines.push(`  unused JS: ${kb(d.unusedJavaScript.wastedBytes)}; ${d.unusedJavaScript.scripts.map((s) => `${s.url} ${kb(s.wastedBytes)} of ${kb(s.totalBytes)}`).join('; ')}`);
  if (d.renderBlocking.length > 0) lines.push(`  render-blocking: ${d.renderBlocking.map((r) => `${r.url} (${kb(r.totalBytes)}, ${ms(r.wastedMs)})`).join('; ')}`);
  if (d.document) lines.push(`  HTML: ${kb(d.document.bytes)} (${kb(d.document.transferBytes)} on the wire)${d.domSize !== null ? `, ${d.domSize} DOM elements` : ''}`);
  if (a.stream) lines.push(`  stream: ${kb(a.stream.transferBytes)} on the wire, done at ${ms(a.stream.endMs)}`);
  for (const f of d.failed) lines.push(`  ${f.category} failed: ${f.id} (${f.title})${f.items.length ? `: ${f.items.join('; ')}` : ''}`);
  return lines;
}

// --- main -------------------------------------------------------------------------------

if (!hasProductionBuild()) fail('no production build: run "next build" first (npm run build)');
try {
  ensureSystemPackages('chromium', 'docker-registry');
} catch (error) {
  fail(error instanceof Error ? error.message : String(error));
}

const wanted = (id: string) => !only || only.includes(id);
// The servers' disk caches, removed at the end.
const caches = await mkdtemp(path.join(tmpdir(), 'tagscope-lighthouse-'));
const environment = await startDemoEnvironment({
  scale: wanted('repository-2000'),
  env: {
    TAGSCOPE_CACHE_DIR: path.join(caches, 'warm'),
    // Long enough that every audit finds the tag answers the warm-up read.
    TAGSCOPE_TAG_TTL_SECONDS: '3600',
  },
});
const audits: Audit[] = [];
let failure: unknown = null;
try {
  say(`registry at ${environment.registryHost}, server at ${environment.server.url}`);
  if (environment.scale) say(`pushing ${SCALE_REPOSITORY.tags.toLocaleString('en')} tags to ${SCALE_REPOSITORY.path} …`);
  const scale = environment.scale ? await environment.scale : null;
  const data: Data = { demo: environment.demo, scale };
  const targets = PAGES.filter((page) => wanted(page.id)).map((page) => ({ page, path: page.path(data), streams: page.streams?.(data) ?? null }));
  let serve: Serve;
  if (values.cold) {
    // A fresh server per audit, its route code loaded by requests about another repository
    // (as a server that has served anything), its caches empty of the pages' data.
    const nested = environment.harness.info.truth.nested.repository;
    let fresh = 0;
    serve = async (work) => {
      const server = await environment.startServer({ TAGSCOPE_CACHE_DIR: path.join(caches, `cold-${++fresh}`) });
      try {
        await request(server.url, [{ path: '/', streams: null }, { path: '/compare', streams: null }, { path: `/r/${nested}`, streams: nested }]);
        return await work(server.url);
      } finally {
        await server.stop();
      }
    };
  } else {
    // One server whose caches hold every page's data: the audits measure the pages, not the registry.
    await request(environment.server.url, targets);
    serve = (work) => work(environment.server.url);
  }
  for (const target of targets) {
    for (const profile of profiles) {
      const { audit: done, lhr } = await audit(serve, target, profile);
      audits.push(done);
      if (values.save) {
        await mkdir(values.save, { recursive: true });
        await writeFile(path.join(values.save, `${target.page.id}.${profile}.json`), JSON.stringify(lhr));
      }
    }
  }
} catch (error) {
  failure = error;
} finally {
  await environment.stop();
  await rm(caches, { recursive: true, force: true });
}
if (failure) fail(failure instanceof Error ? (failure.stack ?? failure.message) : String(failure));

if (values.json) {
  console.log(JSON.stringify({ lighthouse: lighthouseVersion, machine: { cpus: cpus().length, loadAverage: loadavg(), node: process.version }, audits }, null, 2));
} else {
  const lines = [
    `Lighthouse ${lighthouseVersion}, ${cpus().length} cores, load average ${loadavg()[0]!.toFixed(1)}, Lighthouse's benchmarkIndex ${range(audits.map((a) => a.benchmarkIndex))}`,
  ];
  lines.push('', ...table(audits));
  const weakOnes = audits.filter(weak);
  if (weakOnes.length > 0) lines.push('', `Below ${WEAK.performance} performance, ${WEAK.accessibility} accessibility, or CLS ≥ ${WEAK.cls}:`);
  for (const a of weakOnes) lines.push('', ...diagnosisLines(a));
  console.log(lines.join('\n'));
}

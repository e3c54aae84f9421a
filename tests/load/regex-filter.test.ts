// A visitor's regular expression cannot freeze the server: the repository page's first HTML filters
// its tags with `q`, and an expression that backtracks for minutes in JavaScript's RegExp —
// /(a+)+$/ on 30 a's and a dash, /^([\w.-]+)*!$/ on a real Docker Hub tag — is answered with the
// right rows at once, while /api/health, asked throughout, answers as usual. Through the production
// server, against the hostile registry harness.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHostileRegistry, type HostileRegistry } from '../support/harness/hostile';
import { watchHealth } from '../support/health-watch';
import { startNextServer, type RunningServer } from '../support/next-server';

const THIRTY_A = `${'a'.repeat(30)}-`;
const REPOSITORIES = {
  'regex/thirty': [THIRTY_A, 'aaaa', '1.0'],
  'regex/python': ['3.13.0rc2-windowsservercore', '3.13.0rc2-windowsservercore-ltsc2022', '3.13.0rc2', 'latest'],
  'regex/warm': ['1.0'],
};

let hostile: HostileRegistry;
let server: RunningServer;
let dir: string;

beforeAll(async () => {
  hostile = await startHostileRegistry();
  for (const [name, tags] of Object.entries(REPOSITORIES)) hostile.setTagList(name, () => ({ body: JSON.stringify({ name, tags }) }));
  dir = await mkdtemp(path.join(tmpdir(), 'tagscope-regex-'));
  server = await startNextServer({ TAGSCOPE_INSECURE_REGISTRIES: hostile.host, TAGSCOPE_CACHE_DIR: dir, TAGSCOPE_REGISTRY_APIS: 'none' });
  // The first answers of a route load its code: not what is measured here.
  await page('regex/warm', '/1/');
  await fetch(`${server.url}/api/health`);
});

afterAll(async () => {
  await server?.stop();
  await hostile?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function page(repository: string, q: string): Promise<{ status: number; html: string }> {
  const response = await fetch(`${server.url}/r/${hostile.host}/${repository}?q=${encodeURIComponent(q)}`);
  return { status: response.status, html: await response.text() };
}

/** `work` while /api/health is asked again and again (20 ms apart, from a process of its own): how long each answer took. */
async function withHealthPolled<T>(work: () => Promise<T>): Promise<{ result: T; latencies: number[] }> {
  const health = await watchHealth(server.url, 20);
  let result: T;
  try {
    result = await work();
  } catch (error) {
    await health.stop();
    throw error;
  }
  const polled = await health.stop();
  expect(polled.failures).toEqual([]);
  return { result, latencies: polled.times };
}

/** The tag of each row the first HTML shows (rows still resolving, as the page is sent). */
function rowTags(html: string): string[] {
  return [...html.matchAll(/<tbody[^>]*data-row-kind="pending"[^>]*>([\s\S]*?)<\/tbody>/g)].map((match) => match[1]!.replace(/<[^>]+>/g, ' ').replace(/&#x27;|&quot;|&amp;/g, '').trim().split(/\s+/)[0]!);
}

describe("the repository page's first HTML filters with a bounded engine", () => {
  it.each([
    ['regex/thirty', '/(a+)+$/', ['aaaa'], '1 of 3 tags match /(a+)+$/'],
    ['regex/python', '/^([\\w.-]+)*!$/', [], '0 of 4 tags match /^([\\w.-]+)*!$/'],
    ['regex/python', '/windowsservercore$/', ['3.13.0rc2-windowsservercore'], '1 of 4 tags match /windowsservercore$/'],
  ])('%s?q=%s: the right rows, and /api/health answers in < 200 ms throughout', async (repository, q, rows, count) => {
    const { result, latencies } = await withHealthPolled(() => page(repository, q));
    expect(result.status).toBe(200);
    expect(rowTags(result.html)).toEqual(rows);
    expect(result.html.replace(/<!-- -->/g, '')).toContain(count.replace(/\\/g, '\\'));
    expect(latencies.length).toBeGreaterThan(0);
    expect(Math.max(...latencies), latencies.map((ms) => ms.toFixed(0)).join(' ')).toBeLessThan(200);
  });

  it('an expression RE2 cannot do is the filter box\'s error line, saying what to write instead', async () => {
    const { result, latencies } = await withHealthPolled(() => page('regex/thirty', '/(a)\\1/'));
    expect(result.status).toBe(200);
    expect(result.html).toContain('backreferences (\\1, \\k&lt;name&gt;) are not supported');
    expect(rowTags(result.html)).toEqual([]);
    expect(Math.max(...latencies)).toBeLessThan(200);
  });
});

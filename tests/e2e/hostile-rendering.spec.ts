// Hostile manifests pushed to the real stock registry (distribution 2.8): one nested as deep as the
// registry accepts and one just under the 4 MiB cap render as raw text in a few MB of page, on a
// server with `npm start`'s 256 MB heap, which stays up (docs/security.md "Limits"); bidi overrides
// in manifests and configs are shown, not obeyed.
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { content, image, layer, MT, type Content } from '../support/harness/oci';
import { Pusher } from '../support/harness/pusher';
import { startNextServer, type RunningServer } from '../support/next-server';
import { expectAccessible } from './axe';
import { e2eEnvironment } from './environment';

const registry = e2eEnvironment().harness.open;
const repository = 'hostile/rendering';
const MiB = 1024 * 1024;
/** Go's encoding/json, which distribution decodes manifests with, refuses more (scanner.go maxNestingDepth). */
const REGISTRY_MAX_DEPTH = 10_000;
/** The page, HTML and the RSC payload in it, for any manifest the 4 MiB cap admits. */
const MAX_PAGE_BYTES = 3 * MiB;
/** The server's resident memory at its peak; the heap alone may grow to 256 MB. */
const MAX_SERVER_RSS_MB = 400;

const img = image({
  format: 'oci',
  platform: { os: 'linux', architecture: 'amd64' },
  layers: [layer('oci', [{ path: 'hello', content: 'hello\n' }])],
  created: '2024-06-01T00:00:00Z',
  steps: ['/bin/sh -c echo \u202Egnp.exe'],
  labels: { 'org.opencontainers.image.title': 'invoice\u202Efdp.exe' },
});
/** The image's manifest with one more field, `x`, whose JSON text is given. */
const withField = (x: string) => content(`${img.manifest.bytes.toString().trimEnd().slice(0, -1)},"x":${x}}`, MT.ociManifest);
/** Nesting levels counting the manifest object itself. */
const nested = (levels: number) => withField('['.repeat(levels - 1) + ']'.repeat(levels - 1));
const manifests = {
  deepest: nested(REGISTRY_MAX_DEPTH),
  // Small values are the most markup per byte a tree can be made to render.
  nearCap: withField(`[${'0,'.repeat((4 * MiB - 1024 - img.manifest.size) / 2)}0]`),
  bidi: withField(JSON.stringify({ 'org.opencontainers.image.title': 'invoice\u202Efdp.exe' })),
};

/** Resident memory of a process and its descendants (next start may fork): now, and the most it had. */
function memoryMB(pid: number): { rss: number; peak: number } {
  const parents = new Map<number, number>();
  for (const entry of readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      parents.set(Number(entry), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch {
      // The process ended between listing and reading.
    }
  }
  const tree = [pid];
  for (let i = 0; i < tree.length; i++) for (const [child, parent] of parents) if (parent === tree[i]) tree.push(child);
  let rss = 0;
  let peak = 0;
  for (const p of tree) {
    const status = readFileSync(`/proc/${p}/status`, 'utf8');
    rss += Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
    peak += Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0);
  }
  return { rss: Math.round(rss / 1024), peak: Math.round(peak / 1024) };
}

test.describe.configure({ mode: 'serial' });

let server: RunningServer;
let cacheDir: string;
const pusher = new Pusher({ url: registry.url });
const page = (manifest: Content) => `${server.url}/r/${registry.host}/${repository}@${manifest.digest}`;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  for (const blob of [...img.layers, img.config]) await pusher.pushBlob(repository, blob);
  for (const manifest of Object.values(manifests)) await pusher.pushManifest(repository, manifest.digest, manifest);
  cacheDir = await mkdtemp(path.join(tmpdir(), 'tagscope-hostile-'));
  // Its own server: the shared one runs without npm start's heap cap.
  server = await startNextServer({
    NODE_OPTIONS: '--max-old-space-size=256',
    TAGSCOPE_INSECURE_REGISTRIES: registry.host,
    TAGSCOPE_CACHE_DIR: cacheDir,
  });
});

test.afterAll(async () => {
  await server?.stop();
  if (cacheDir) await rm(cacheDir, { recursive: true, force: true });
});

test(`the stock registry accepts ${REGISTRY_MAX_DEPTH.toLocaleString('en')} levels of nesting and refuses one more`, async () => {
  await expect(pusher.pushManifest(repository, 'too-deep', nested(REGISTRY_MAX_DEPTH + 1))).rejects.toThrow(/HTTP 400/);
});

for (const [name, manifest, reason] of [
  ['nested as deep as the registry accepts', manifests.deepest, `nested deeper than 32 levels — shown as raw text`],
  ['just under the 4 MiB cap', manifests.nearCap, `larger than 64 KiB — shown as raw text`],
] as const) {
  test(`a manifest ${name}: raw text, a few MB of page, the server stays up`, async ({ page: browser }) => {
    test.setTimeout(60_000);
    const response = await browser.goto(page(manifest));
    expect(response?.status()).toBe(200);
    const html = await response!.text();
    const memory = memoryMB(server.pid);
    test.info().annotations.push({ type: 'measured', description: `${manifest.size} bytes of manifest: ${html.length} bytes of page, server RSS ${memory.rss} MB (peak ${memory.peak} MB)` });
    expect(html.length).toBeLessThan(MAX_PAGE_BYTES);
    expect(memory.peak).toBeLessThan(MAX_SERVER_RSS_MB);
    await expect(browser.getByTestId('manifest-as-raw-text')).toContainText(reason);
    await expect(browser.getByTestId('raw-manifest')).toBeVisible();
    expect((await fetch(`${server.url}/`)).status).toBe(200);
    await expectAccessible(browser);
  });
}

test('raw text past 128 KiB is cut, and links to the full bytes', async ({ page: browser, request }) => {
  await browser.goto(page(manifests.nearCap));
  const cut = browser.getByTestId('raw-cut');
  await expect(cut).toContainText(`Showing the first 131,072 of ${manifests.nearCap.size.toLocaleString('en')} characters.`);
  const href = await cut.getByRole('link', { name: 'All of it, as JSON' }).getAttribute('href');
  const body = await (await request.get(`${server.url}${href}`)).json();
  expect(body.raw).toBe(manifests.nearCap.bytes.toString());
});

test('bidi overrides in the manifest and its config are shown as escapes, not obeyed', async ({ page: browser }) => {
  await browser.goto(page(manifests.bidi));
  const override = 'span[title="U+202E right-to-left override"]';
  const tree = browser.getByLabel('The manifest, pretty-printed');
  await expect(tree.locator(override)).toHaveText('\\u202E');
  await expect(tree).toContainText('"invoice\\u202Efdp.exe"');
  await expect(browser.locator('dd', { hasText: 'org.opencontainers.image.title=' }).locator(override)).toHaveCount(1);
  await expect(browser.locator('ol li code', { hasText: 'gnp.exe' })).toHaveText('RUN echo \\u202Egnp.exe');
  expect(await browser.locator('main').evaluate((main) => main.textContent!.includes('\u202E'))).toBe(false);
  await expectAccessible(browser);
});

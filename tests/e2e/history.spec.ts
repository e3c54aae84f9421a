// Tag history in Chromium against the real registry: a tag moves (the harness pushes a second
// image to it), and its page shows both digests and the move, the repository page lists it as
// recently moved, `?at=` before the move answers with the old digest and says whose record that
// is, a date that is no date is a 400 naming the form, a pinned permalink to the old digest says
// when the tag moved away, and the watch button toggles, by mouse and keyboard, and is kept in
// the database across reloads (each test's browser removes the watch it added: only it may).
// Its own registry and server (no tag cache, its own history), so no other spec sees these
// moves, and the harness's registry, whose catalog others list, stays as it was.
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { DATE_FORM } from '../../lib/history/dates';
import { Pusher } from '../support/harness/pusher';
import { startRegistry, type RegistryProcess } from '../support/harness/registry-process';
import { PLATFORMS, RepositorySeeder, sampleImage } from '../support/harness/seed';
import { startNextServer, type RunningServer } from '../support/next-server';
import { expectAccessible } from './axe';

const repoPath = 'history/moves';
let registry: RegistryProcess;
let repository: string;
const before = sampleImage('oci', PLATFORMS.amd64, 'history-1.0', '2024-01-01T00:00:00Z');
const after = sampleImage('oci', PLATFORMS.amd64, 'history-1.1', '2024-02-01T00:00:00Z');
const oldDigest = before.manifest.digest;
const newDigest = after.manifest.digest;
/** Set (a folder) to keep screenshots of the history pages for a person to look at. */
const SHOTS = process.env.TAGSCOPE_UI_SHOTS;

test.describe.configure({ mode: 'serial' });

let server: RunningServer;
let cacheDir: string;
let seeder: RepositorySeeder;
/** When the page first saw `latest` at the old digest (from the API, to the millisecond). */
let firstSeenOld: string;

const tagPage = (query = '') => `${server.url}/r/${repository}:latest${query}`;
const repositoryPage = () => `${server.url}/r/${repository}`;

async function noSidewaysScroll(page: Page) {
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth }));
  expect(scrollWidth, `${page.url()} is ${scrollWidth} px wide on a ${clientWidth} px screen`).toBeLessThanOrEqual(clientWidth);
}

/** The page, whole, and the part of it that is about history, at a desktop's and a phone's width. */
async function shoot(page: Page, name: string, parts: string[]) {
  if (!SHOTS) return;
  await mkdir(SHOTS, { recursive: true });
  for (const width of [1400, 390]) {
    await page.setViewportSize({ width, height: 900 });
    // The relative dates and the table settle once the client has rendered.
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(SHOTS, `${name}-${width}.png`), fullPage: true });
    for (const [i, part] of parts.entries()) await page.locator(part).screenshot({ path: path.join(SHOTS, `${name}-${width}-part${i + 1}.png`) });
  }
  await page.setViewportSize({ width: 1280, height: 720 });
}

test.beforeAll(async () => {
  test.setTimeout(120_000);
  registry = await startRegistry({ kind: 'none' }, 'e2e-history');
  repository = `${registry.host}/${repoPath}`;
  seeder = new RepositorySeeder(new Pusher({ url: registry.url }), registry.host, repoPath);
  await seeder.pushImage(after);
  await seeder.tagImage(['latest', 'stable'], before);
  cacheDir = await mkdtemp(path.join(tmpdir(), 'tagscope-history-'));
  server = await startNextServer({
    TAGSCOPE_INSECURE_REGISTRIES: registry.host,
    TAGSCOPE_CACHE_DIR: cacheDir,
    // Every view asks the registry again, so the second look sees the move.
    TAGSCOPE_TAG_TTL_SECONDS: '0',
    TAGSCOPE_WATCH_INTERVAL_SECONDS: '900',
  });
});

test.afterAll(async () => {
  await server?.stop();
  await registry?.stop();
  if (cacheDir) await rm(cacheDir, { recursive: true, force: true });
});

test('before the move: the tag page shows its first sighting, no move, and offers its feed', async ({ page }) => {
  await page.goto(tagPage());
  const history = page.getByTestId('tag-history');
  await expect(history.getByRole('heading', { level: 2, name: 'Tag history' })).toBeVisible();
  const rows = history.getByTestId('timeline').locator('tbody tr');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toHaveAttribute('data-digest', oldDigest);
  await expect(rows.first()).toContainText('Tagscope saw');
  await expect(rows.first()).toContainText('now');
  await expect(history.getByText(/No move recorded/)).toBeVisible();
  await expect(page.locator('head link[rel="alternate"][type="application/atom+xml"]')).toHaveAttribute('href', `/api/v1/feed?repository=${repository}&tag=latest`);
  await expect(history.getByTestId('feed-link')).toHaveAttribute('href', `/api/v1/feed?repository=${repository}&tag=latest`);

  const body = await (await fetch(`${server.url}/api/v1/history?repository=${encodeURIComponent(repository)}&tag=latest`)).json();
  firstSeenOld = body.observations.find((o: { digest: string }) => o.digest === oldDigest).firstSeen;
  expect(firstSeenOld).toMatch(/^\d{4}-\d{2}-\d{2}T/);
});

test('after the move: the timeline shows both digests, newest first, and the move from → to', async ({ page }) => {
  await seeder.tagImage(['latest'], after);
  await page.goto(tagPage());
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${repository}:latest`);
  const history = page.getByTestId('tag-history');
  const rows = history.getByTestId('timeline').locator('tbody tr');
  await expect(rows).toHaveCount(2);
  await expect(rows.nth(0)).toHaveAttribute('data-digest', newDigest);
  await expect(rows.nth(0)).toContainText('now');
  await expect(rows.nth(1)).toHaveAttribute('data-digest', oldDigest);
  await expect(rows.nth(1).getByRole('link', { name: oldDigest })).toHaveAttribute('href', `/r/${repository}@${oldDigest}`);
  const move = history.getByTestId('moves').locator('tbody tr');
  await expect(move).toHaveCount(1);
  await expect(move).toHaveAttribute('data-from', oldDigest);
  await expect(move).toHaveAttribute('data-to', newDigest);
  await expect(move).toContainText('Tagscope saw');
  await expect(move.getByRole('link', { name: newDigest })).toHaveAttribute('href', `/r/${repository}@${newDigest}`);
  await expectAccessible(page);
  await shoot(page, 'tag-history', ['[data-testid="tag-history"]']);
});

test('the repository page lists the move under "Recently moved", with its feed', async ({ page }) => {
  await page.goto(repositoryPage());
  const moved = page.getByTestId('recently-moved');
  await expect(moved.getByRole('heading', { level: 2, name: 'Recently moved' })).toBeVisible();
  const row = moved.locator('tbody tr');
  await expect(row).toHaveCount(1);
  await expect(row.getByRole('link', { name: 'latest', exact: true })).toHaveAttribute('href', `/r/${repository}:latest`);
  await expect(row.getByRole('link', { name: oldDigest })).toBeVisible();
  await expect(row.getByRole('link', { name: newDigest })).toBeVisible();
  // The tags below still stream in as before.
  await expect(page.locator(`tbody[data-digest="${newDigest}"]`)).toBeVisible();
  await expect(page.getByText('resolved')).toBeHidden();
  await expect(page.locator('head link[rel="alternate"][type="application/atom+xml"]')).toHaveAttribute('href', `/api/v1/feed?repository=${repository}`);
  await expect(page.getByTestId('feed-link')).toBeVisible();
  await expectAccessible(page);
  await shoot(page, 'repository-moved', ['main header', '[data-testid="recently-moved"]']);
});

test('?at= before the move: the old digest, as Tagscope saw it, and the way back to now', async ({ page }) => {
  await page.goto(tagPage(`?at=${encodeURIComponent(firstSeenOld)}`));
  const panel = page.getByTestId('tag-at');
  await expect(panel).toContainText('pointed at sha256:');
  await expect(panel.getByRole('link', { name: oldDigest })).toHaveAttribute('href', `/r/${repository}@${oldDigest}`);
  await expect(panel).toContainText('as Tagscope saw it (first seen');
  await expect(panel).not.toContainText('registry’s record');
  await expect(panel.getByRole('link', { name: 'See latest now' })).toHaveAttribute('href', `/r/${repository}:latest`);
  await expectAccessible(page);
  await shoot(page, 'tag-at', ['[data-testid="tag-at"]']);
});

test('?at= before Tagscope first saw the tag: "has not observed … before", no digest', async ({ page }) => {
  await page.goto(tagPage('?at=2001-02-03'));
  const panel = page.getByTestId('tag-at');
  await expect(panel.getByTestId('not-observed')).toContainText('Tagscope has not observed latest before');
  await expect(panel.getByRole('link', { name: /^sha256:/ })).toHaveCount(0);
});

test('?at= survives the redirect to the canonical address', async ({ page }) => {
  // A trailing "/" is one of the forms that redirect here (the unit tests of lib/common/web-address.ts have the rest).
  const response = await page.goto(`${server.url}/r/${repository}:latest/?at=2001-02-03`);
  expect(response?.status()).toBe(200);
  expect(page.url()).toBe(tagPage('?at=2001-02-03'));
  await expect(page.getByTestId('tag-at')).toBeVisible();
});

test('?at= that is no date: 400, saying the form it takes', async ({ page }) => {
  const response = await page.goto(tagPage('?at=last-tuesday'));
  expect(response?.status()).toBe(400);
  const panel = page.locator('[data-error-code="INVALID_QUERY"]');
  await expect(panel.getByRole('heading', { level: 1 })).toHaveText('Invalid query parameter');
  await expect(panel).toContainText(DATE_FORM);
  await expect(panel).toContainText('"last-tuesday" is not a date');
  await expect(page.getByRole('link', { name: `See ${repository}:latest now` })).toBeVisible();
  await expectAccessible(page);
  await shoot(page, 'bad-date', ['main']);
});

test('the pinned permalink to the old digest says when the tag moved away, and to what', async ({ page }) => {
  await page.goto(`${server.url}/r/${repository}:latest@${oldDigest}`);
  const status = page.getByRole('status').filter({ hasText: `now points at ${newDigest}` });
  await expect(status).toBeVisible();
  const moved = status.getByTestId('moved-away');
  await expect(moved).toContainText('It moved away');
  await expect(moved).toContainText('as Tagscope saw it');
  await expect(moved.getByRole('link', { name: newDigest })).toHaveAttribute('href', `/r/${repository}@${newDigest}`);
  await shoot(page, 'pinned', ['div[role="status"]']);
});

/** Whether the server watches the repository, as the API says. */
async function watchedOnServer(): Promise<boolean> {
  const response = await fetch(`${server.url}/api/v1/watches?repository=${encodeURIComponent(repository)}`);
  return ((await response.json()) as { watched: boolean }).watched;
}

test('the watch button toggles with the mouse and is kept across a reload', async ({ page }) => {
  await page.goto(repositoryPage());
  const watch = page.getByRole('button', { name: 'Watch', exact: true });
  await expect(watch).toHaveAttribute('aria-pressed', 'false');
  await expect(page.getByTestId('watch')).toContainText('Watching polls its tags every 15 min.');
  await watch.click();
  const watching = page.getByRole('button', { name: 'Watching', exact: true });
  await expect(watching).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('watch')).toContainText('Polled every 15 min for tag moves.');
  // The button shows a press at once; the reload reads the server, once the PUT has landed.
  await expect.poll(watchedOnServer).toBe(true);
  await page.reload();
  await expect(page.getByRole('button', { name: 'Watching', exact: true })).toHaveAttribute('aria-pressed', 'true');
  await shoot(page, 'watching', ['main header']);
  const listed = await (await fetch(`${server.url}/api/v1/watches`)).json();
  expect(listed.watches.map((w: { repository: string }) => w.repository)).toContain(repository);
  // Only this browser (its owner cookie) may stop it: it does, so the next test starts afresh.
  await page.getByRole('button', { name: 'Watching', exact: true }).click();
  await expect.poll(watchedOnServer).toBe(false);
});

test('the watch button works from the keyboard: Tab to it, Enter and Space toggle it', async ({ page }) => {
  await page.goto(repositoryPage());
  const button = page.getByTestId('watch').getByRole('button');
  await expect(button).toHaveAttribute('aria-pressed', 'false');
  // From the top of the page, Tab reaches it.
  await page.locator('h1').click();
  for (let i = 0; i < 30 && !(await button.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
  await expect(button).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(button).toHaveAttribute('aria-pressed', 'true');
  await expect(button).toHaveText('Watching');
  await expect(button).toBeFocused();
  await page.keyboard.press('Space');
  await expect(button).toHaveAttribute('aria-pressed', 'false');
  await expect(button).toHaveText('Watch');
  await page.keyboard.press('Space');
  await expect(button).toHaveAttribute('aria-pressed', 'true');
  await page.keyboard.press('Space');
  await expect(button).toHaveAttribute('aria-pressed', 'false');
  // Reloaded at once, perhaps with the last press still waiting behind the one before: the page
  // sends it as it goes, so the server ends where the presses did, and so does the next page.
  await page.reload();
  await expect.poll(watchedOnServer).toBe(false);
  await page.reload();
  await expect(page.getByTestId('watch').getByRole('button')).toHaveAttribute('aria-pressed', 'false');
  await expectAccessible(page);
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  for (const [what, url] of [
    ['the tag page with history', () => tagPage()],
    ['the tag page with ?at=', () => tagPage(`?at=${encodeURIComponent(firstSeenOld)}`)],
    ['the repository page with recently moved', () => repositoryPage()],
  ] as const) {
    test(`${what}: nothing wider than the screen`, async ({ page }) => {
      await page.goto(url());
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      await noSidewaysScroll(page);
    });
  }
});

// A link with a /regex/ cannot hang the visitor's tab (docs/security.md "Regular expressions from
// visitors"): the tag filter matches with RE2, loaded only when a /regex/ is asked for, so /(a+)+$/
// over a tag of 40 a's and a dash (2^40 steps for the browser's own RegExp) is answered with the
// right rows, in a real Chromium, against the real stock registry.
import { expect, test, type Page } from '@playwright/test';
import { image, layer } from '../support/harness/oci';
import { Pusher } from '../support/harness/pusher';
import { e2eEnvironment } from './environment';
import { viewFinished } from './repository-page';

const registry = e2eEnvironment().harness.open;
const repository = 'regex/budget';
const LONG_A = `${'a'.repeat(40)}-`;
const images = ['aaaa', LONG_A].map((tag, i) => ({
  tag,
  image: image({ format: 'oci', platform: { os: 'linux', architecture: 'amd64' }, layers: [layer('oci', [{ path: 'tag', content: `${tag}\n` }])], steps: ['/bin/sh -c echo tag'], created: `2024-0${i + 1}-01T00:00:00Z` }),
}));
const repoPath = `/r/${registry.host}/${repository}`;

test.beforeAll(async () => {
  const pusher = new Pusher({ url: registry.url });
  for (const { tag, image: img } of images) {
    for (const blob of [...img.layers, img.config]) await pusher.pushBlob(repository, blob);
    await pusher.pushManifest(repository, tag, img.manifest);
  }
});

/** Whether the page loaded the regex engine's script (its error messages are in no other), once every script has arrived. */
function engineLoaded(page: Page): () => Promise<boolean> {
  const scripts: Promise<string>[] = [];
  page.on('response', (response) => {
    if (response.request().resourceType() === 'script') scripts.push(response.text().catch(() => ''));
  });
  return async () => (await Promise.all(scripts)).some((body) => body.includes('invalid named capture'));
}

test('a link with /(a+)+$/ over a tag of 40 a\'s shows the right rows, and the tab stays responsive', async ({ page }) => {
  const loaded = engineLoaded(page);
  await page.goto(`${repoPath}?q=${encodeURIComponent('/(a+)+$/')}`);
  await viewFinished(page);
  const rows = page.locator('tbody[data-row-kind="group"]');
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('aaaa');
  await expect(rows.first()).not.toContainText(LONG_A);
  await expect(page.getByText(/^1 of 2 groups · 1 of 2 tags match/)).toBeVisible();
  expect(await loaded()).toBe(true);

  // Typed, too: the Hub-shaped /^([\w.-]+)*!$/ matches nothing, and an expression RE2 cannot do says what to write.
  await page.getByLabel('Filter tags').fill('/^([\\w.-]+)*!$/');
  await expect(page.getByText('No tags match.')).toBeVisible();
  await page.getByLabel('Filter tags').fill('/(a)\\1/');
  await expect(page.getByText(/^backreferences \(\\1, \\k<name>\) are not supported/)).toBeVisible();
  expect(await page.evaluate(() => 1 + 1)).toBe(2);
});

test('a substring filter does not load the regex engine', async ({ page }) => {
  const loaded = engineLoaded(page);
  await page.goto(`${repoPath}?q=aaaa`);
  await viewFinished(page);
  await expect(page.locator('tbody[data-row-kind="group"]')).toHaveCount(2);
  expect(await loaded()).toBe(false);
});

// On a phone (390 × 844) no page scrolls sideways: long digests and docker pull commands wrap.
// The repository table scrolls inside its own area; the page around it does not.
import { expect, test } from '@playwright/test';
import { e2eEnvironment } from './environment';

const env = e2eEnvironment();
const demo = env.harness.truth.demo;
const tag = demo.tags['3.13']!;

test.use({ viewport: { width: 390, height: 844 } });

const pages: [string, string][] = [
  ['the repository', `/r/${demo.repository}`],
  ['a tag', `/r/${demo.repository}:3.13`],
  ['an index digest', `/r/${demo.repository}@${tag.digest}`],
  ['a platform digest', `/r/${demo.repository}@${tag.platforms[0]!.digest}`],
  ['a pinned tag', `/r/${demo.repository}:3.13@${tag.digest}`],
  ['compare', `/compare?a=${encodeURIComponent(`${demo.repository}:3.13`)}&b=${encodeURIComponent(`${demo.repository}:3.14`)}`],
  ['an unknown tag', `/r/${demo.repository}:no-such-tag`],
  ['an invalid reference', '/r/docker.io/library/Alpine'],
];

for (const [what, path] of pages) {
  test(`${what}: nothing wider than the screen`, async ({ page }) => {
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    const { scrollWidth, clientWidth } = await page.evaluate(() => ({ scrollWidth: document.documentElement.scrollWidth, clientWidth: document.documentElement.clientWidth }));
    expect(scrollWidth, `${path} is ${scrollWidth} px wide on a ${clientWidth} px screen`).toBeLessThanOrEqual(clientWidth);
  });
}

test('compare: each platform’s reason is on screen, not off to the side of a table', async ({ page }) => {
  await page.goto(`/compare?a=${encodeURIComponent(`${demo.repository}:3.13`)}&b=${encodeURIComponent(`${demo.repository}:3.14`)}`);
  const why = page.locator('tr[data-platform="linux/arm/v7"] [data-testid="why"]');
  await expect(why).toContainText('a different build');
  const box = (await why.boundingBox())!;
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(390);
  // Nor hidden in a table that scrolls sideways inside the page.
  expect(await why.evaluate((el) => el.closest('table')!.parentElement!.scrollWidth <= el.closest('table')!.parentElement!.clientWidth)).toBe(true);
});

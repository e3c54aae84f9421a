// The dashboard in Chromium against the real registries: the repository page, permalinks,
// URL-kept view state, the keyboard, and an error page a person understands for each failure.
import { expect, test, type Page } from '@playwright/test';
import { expectAccessible } from './axe';
import { e2eEnvironment } from './environment';

const env = e2eEnvironment();
const demo = env.harness.truth.demo;
const repoPath = `/r/${demo.repository}`;

function groupRow(page: Page, digest: string) {
  return page.locator(`tbody[data-digest="${digest}"]`);
}

test.describe('repository page', () => {
  test('groups alias tags, expands into the platform table, and passes axe', async ({ page }) => {
    await page.goto(repoPath);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(demo.repository);
    const alias = demo.groups.find((g) => g.tags.includes('3.12'))!;
    const row = groupRow(page, alias.digest);
    for (const tag of ['3.12', '3.12.9', '3.12.9-r0']) await expect(row.getByRole('link', { name: tag, exact: true })).toBeVisible();
    await expect(row.getByText('Docker manifest list')).toBeVisible();
    await expect(page.getByText('resolved')).toBeHidden(); // the stream finished
    await row.getByRole('button', { name: /Show the platforms of 3\.12/ }).click();
    const arm = demo.tags['3.12']!.platforms.find((p) => p.platform === 'linux/arm/v7')!;
    const platformRow = row.locator('tr[data-platform="linux/arm/v7"]');
    await expect(platformRow.locator('code').first()).toHaveAttribute('title', arm.digest);
    await expect(platformRow.locator('code').nth(1)).toHaveAttribute('title', arm.configDigest);
    await expectAccessible(page);
  });

  test('shows attestations as a badge, not platforms; signatures as "signed"; partial sharing', async ({ page }) => {
    await page.goto(repoPath);
    const g313 = groupRow(page, demo.tags['3.13']!.digest);
    await expect(g313.getByText('provenance / SBOM')).toBeVisible();
    await expect(g313.getByText('signed', { exact: true })).toBeVisible();
    await expect(g313.getByText('unknown/unknown')).toHaveCount(0);
    await expect(groupRow(page, demo.tags.latest!.digest).getByText('shares 2 of 4 platform images with 3.13.1')).toBeVisible();
    await expect(page.getByRole('link', { name: /^sha256-/ })).toHaveCount(0);
    await expect(page.getByText('1 signature tag whose image is not in this repository')).toBeVisible();
  });

  test('filter, sort and platform live in the URL and survive a reload', async ({ page }) => {
    await page.goto(repoPath);
    await page.getByLabel('Filter tags').fill('/^3\\.1[23]$/');
    await expect(page).toHaveURL(/q=%2F%5E3%5C.1%5B23%5D%24%2F/);
    await page.getByLabel('Sort', { exact: true }).selectOption('name');
    await expect(page).toHaveURL(/sort=name/);
    await page.reload();
    await expect(page.getByLabel('Filter tags')).toHaveValue('/^3\\.1[23]$/');
    const rows = page.locator('tbody[data-row-kind="group"]');
    await expect(rows).toHaveCount(2);
    await expect(rows.first()).toHaveAttribute('data-digest', demo.tags['3.12']!.digest);
    await page.getByLabel('Platform', { exact: true }).selectOption('linux/386');
    await expect(page).toHaveURL(/platform=linux%2F386/);
    await expect(rows).toHaveCount(1);
    await page.getByLabel('Filter tags').fill('/[/');
    await expect(page.getByText(/not a valid regular expression/)).toBeVisible();
  });

  test('the count follows the filter, and an empty result offers to clear the filters', async ({ page }) => {
    await page.goto(`${repoPath}?q=3.12`);
    await expect(page.getByText(/^1 of \d+ groups · 3 of \d+ tags match 3\.12/)).toBeVisible();
    await page.goto(`${repoPath}?q=no-such-tag-at-all`);
    await expect(page.getByText('No tags match.')).toBeVisible();
    await page.getByRole('button', { name: 'Clear filters' }).click();
    await expect(page).toHaveURL(new RegExp(`${repoPath.replace(/[.]/g, '\\.')}$`));
    await expect(page.getByText('No tags match.')).toBeHidden();
  });

  test('works from the keyboard: tab to a group, expand it with Enter', async ({ page }) => {
    await page.goto(repoPath);
    const button = page.getByRole('button', { name: /Show the platforms of 3\.14, latest/ });
    await expect(button).toBeVisible();
    for (let i = 0; i < 40 && !(await button.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
    await expect(button).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(page.getByRole('button', { name: /Hide the platforms of 3\.14, latest/ })).toHaveAttribute('aria-expanded', 'true');
  });

  test('copies a digest with one click', async ({ page, context }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.goto(repoPath);
    const digest = demo.tags['3.13']!.digest;
    await page.getByRole('button', { name: `Copy index digest of 3.13.1, 3.13 ${digest}` }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(digest);
  });

  test('tag names appear at once and a progress bar fills while a slow registry resolves, the stream compressed', async ({ page }) => {
    const stream = page.waitForResponse((response) => response.url().includes('/api/v1/repository?'));
    await page.goto(`/r/${env.fronts.slowPage}/library/demo`);
    // Chromium asks for br; its fetch reader decodes each flushed batch as it arrives.
    expect((await stream).headers()['content-encoding']).toBe('br');
    const progress = new RegExp(`resolved \\d+ of ${Object.keys(demo.tags).length} tags`);
    await expect(page.getByText(progress)).toBeVisible();
    await expect(page.locator('tbody[data-row-kind="pending"]').first()).toBeVisible();
    await expect(page.getByText(progress)).toBeHidden({ timeout: 20_000 });
    await expect(page.locator('tbody[data-row-kind="group"]')).toHaveCount(demo.groups.length);
  });

  test('the short form redirects to the canonical address', async ({ page }) => {
    const response = await page.request.get(`/r/${demo.repository.replace('/library/demo', '/library/demo/')}`, { maxRedirects: 0 });
    expect([308, 200]).toContain(response.status());
    const redirect = await page.request.get('/r/alpine:3.12', { maxRedirects: 0 });
    expect(redirect.status()).toBe(308);
    expect(redirect.headers().location).toBe('/r/docker.io/library/alpine:3.12');
  });
});

test.describe('permalinks, rendered on the server', () => {
  test('a tag: its index digest, aliases, platform table and pull commands; axe', async ({ page, context }) => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    const truth = demo.tags['3.12']!;
    await page.goto(`${repoPath}:3.12`);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${demo.repository}:3.12`);
    await expect(page.locator('code[title]').first()).toHaveAttribute('title', truth.digest);
    await expect(page.getByTestId('aliases')).toContainText('3.12.9');
    await expect(page.getByTestId('aliases')).toContainText('3.12.9-r0');
    await expect(page.locator('tr[data-platform]')).toHaveCount(truth.platforms.length);
    const pinned = `docker pull ${demo.repository}:3.12@${truth.digest}`;
    await expect(page.getByText(pinned, { exact: true })).toBeVisible();
    await page.getByRole('button', { name: `Copy the command ${pinned}` }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(pinned);
    await expectAccessible(page);
  });

  test('the server sends the group in the HTML, before any script runs', async ({ request }) => {
    const html = await (await request.get(`${repoPath}:3.13`)).text();
    expect(html).toContain(demo.tags['3.13']!.digest);
    for (const platform of demo.tags['3.13']!.platforms) expect(html).toContain(platform.configDigest);
  });

  test('a digest: the tags pointing at it', async ({ page }) => {
    const digest = demo.tags['3.14']!.digest;
    await page.goto(`${repoPath}@${digest}`);
    await expect(page.getByTestId('page-kind')).toHaveText('Index');
    await expect(page.getByTestId('aliases')).toContainText('latest');
    await expect(page.getByTestId('aliases')).toContainText('3.14');
    await expectAccessible(page);
  });

  test('a platform digest: the tags of every index that contains it', async ({ page }) => {
    // 3.14 is a rebuild that kept 3.13's amd64 image: both indexes hold it.
    const platform = demo.tags['3.13']!.platforms[0]!;
    await page.goto(`${repoPath}@${platform.digest}`);
    const lines = page.getByTestId('via-index');
    await expect(lines).toHaveCount(2);
    await expect(lines.filter({ hasText: '3.13.1' })).toContainText(`As ${platform.platform} in the index of 3.13 3.13.1`);
    await expect(lines.filter({ hasText: '3.14' })).toContainText(`As ${platform.platform} in the index of latest 3.14`);
  });

  test('a platform digest tagged on its own as well: the tag, and the index that holds it', async ({ page }) => {
    const nested = env.harness.truth.nested;
    const own = nested.tags['outer-s390x']!;
    await page.goto(`/r/${nested.repository}@${own.digest}`);
    await expect(page.getByTestId('aliases')).toContainText('Tags pointing at this digest: outer-s390x');
    await expect(page.getByTestId('via-index')).toHaveText('As linux/s390x in the index of outer');
  });

  test('pinned: says whether the tag still points at the digest', async ({ page }) => {
    await page.goto(`${repoPath}:3.13@${demo.tags['3.13']!.digest}`);
    await expect(page.getByRole('status').filter({ hasText: 'still points at this digest' })).toBeVisible();
    await page.goto(`${repoPath}:latest@${demo.tags['3.13']!.digest}`);
    await expect(page.getByRole('status').filter({ hasText: `now points at ${demo.tags.latest!.digest}` })).toBeVisible();
    await expectAccessible(page);
  });
});

test.describe('error pages say what happened and what to try, with the status the API gives', () => {
  const cases: [string, () => string, string, string, number][] = [
    ['repository not found', () => `/r/${env.harness.open.host}/library/nothing`, 'Repository not found', 'NAME_UNKNOWN', 404],
    ['tag not found', () => `${repoPath}:no-such-tag`, 'Tag not found', 'MANIFEST_UNKNOWN', 404],
    ['digest not found', () => `${repoPath}@sha256:${'0'.repeat(63)}2`, 'Digest not found', 'MANIFEST_UNKNOWN', 404],
    ['credentials needed', () => `/r/${env.harness.truth.basic.repository}`, 'Not found, or credentials needed', 'UNAUTHORIZED', 401],
    ['credentials refused', () => `/r/${env.fronts.denied}/team/app`, 'Access denied', 'DENIED', 403],
    ['rate limited', () => `/r/${env.fronts.rateLimited}/library/demo:latest`, 'Rate limited by the registry', 'TOOMANYREQUESTS', 429],
    ['registry unreachable', () => `/r/${env.unreachable}/library/demo`, 'Registry unreachable', 'UNREACHABLE', 502],
    ['address not allowed', () => `/r/${env.fronts.foreignLink}/library/demo`, 'Address not allowed', 'ADDRESS_NOT_ALLOWED', 403],
    ['invalid reference', () => '/r/docker.io/library/Alpine', 'Invalid reference', 'INVALID_REFERENCE', 400],
  ];
  for (const [name, path, title, code, status] of cases) {
    test(`${name}: ${status}`, async ({ page }) => {
      const response = await page.goto(path());
      expect(response?.status()).toBe(status);
      await expect(page).toHaveTitle(new RegExp(`^${title}: .+ · Tagscope$`)); // no title has a regex character
      const panel = page.locator(`[data-error-code="${code}"]`);
      await expect(panel.getByRole('heading', { level: 1 })).toHaveText(title);
      await expectAccessible(page);
    });
  }

  test('the status and the page arrive together, before any script runs', async ({ request }) => {
    const response = await request.get(`${repoPath}:no-such-tag`);
    expect(response.status()).toBe(404);
    expect(await response.text()).toContain('data-error-code="MANIFEST_UNKNOWN"');
  });

  test('the rate-limit page gives the registry numbers and when to retry', async ({ page }) => {
    await page.goto(`/r/${env.fronts.rateLimited}/library/demo:latest`);
    await expect(page.getByText('The registry allows 100 pulls per window; 0 remain. Try again in 30 minutes.')).toBeVisible();
  });
});

test.describe('without JavaScript', () => {
  test.use({ javaScriptEnabled: false });

  test('the repository page says why the groups need it, and where to go instead', async ({ page }) => {
    await page.goto(repoPath);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(demo.repository);
    const note = page.getByTestId('noscript');
    await expect(note).toContainText('needs JavaScript, which is off here');
    await expect(note.getByRole('link', { name: '/api/v1/repository' })).toHaveAttribute('href', `/api/v1/repository?repository=${encodeURIComponent(demo.repository)}`);
  });

  test('a tag page and an error page are whole without it', async ({ page }) => {
    await page.goto(`${repoPath}:3.12`);
    await expect(page.locator('tr[data-platform]')).toHaveCount(demo.tags['3.12']!.platforms.length);
    await expect(page.getByTestId('noscript')).toHaveCount(0);
    const response = await page.goto(`${repoPath}:no-such-tag`);
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Tag not found');
  });
});

test.describe('layouts', () => {
  test('dark mode follows the system and passes axe', async ({ browser }) => {
    const context = await browser.newContext({ colorScheme: 'dark' });
    const page = await context.newPage();
    await page.goto(`${process.env.TAGSCOPE_E2E_BASE_URL}${repoPath}`);
    await expect(page.locator('tbody[data-row-kind="group"]').first()).toBeVisible();
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).not.toBe('rgb(255, 255, 255)');
    await expectAccessible(page);
    await context.close();
  });

  test('a phone-sized screen has no sideways page scroll', async ({ browser }) => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    for (const path of ['/', repoPath, `${repoPath}:3.13`]) {
      await page.goto(`${process.env.TAGSCOPE_E2E_BASE_URL}${path}`);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    }
    await context.close();
  });
});

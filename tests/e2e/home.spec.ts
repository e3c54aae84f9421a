import { expect, test } from '@playwright/test';
import { expectAccessible } from './axe';
import { e2eEnvironment } from './environment';

const { harness } = e2eEnvironment();

test.describe('home page', () => {
  test('loads with the reference box and passes axe', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Which digest is which?');
    await expect(page.getByLabel('Image reference')).toBeVisible();
    await expectAccessible(page);
  });

  test('says what is wrong with an invalid reference and stays put', async ({ page }) => {
    await page.goto('/');
    const box = page.getByLabel('Image reference');
    await box.fill('ghcr.io/Org/App');
    await page.getByRole('button', { name: 'Open' }).click();
    await expect(page.getByRole('alert').filter({ hasText: 'repository name must be lowercase' })).toBeVisible();
    await expect(box).toHaveAttribute('aria-invalid', 'true');
    await expect(page).toHaveURL(/\/$/);
    await expectAccessible(page);
  });

  test('navigates to the canonical /r/ page of a valid reference, from the keyboard', async ({ page }) => {
    await page.goto('/');
    // Skip link first, then the site links, then the box.
    const box = page.getByLabel('Image reference');
    for (let i = 0; i < 6 && !(await box.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press('Tab');
    await expect(box).toBeFocused();
    await page.keyboard.type(`${harness.open.host}/library/demo:3.12`);
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(new RegExp(`/r/${harness.open.host.replace(/\./g, '\\.')}/library/demo:3\\.12$`));
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${harness.open.host}/library/demo:3.12`);
  });

  test('a short Docker Hub name navigates to its canonical address', async ({ page }) => {
    await page.goto('/');
    await page.getByLabel('Image reference').fill('alpine:3.12');
    // Do not wait for the page: Docker Hub cannot be reached from the tests.
    await Promise.all([page.waitForURL(/\/r\/docker\.io\/library\/alpine:3\.12$/, { waitUntil: 'commit' }), page.getByRole('button', { name: 'Open' }).click()]);
  });
});

test.describe('/r/ addresses', () => {
  test('a short form redirects with 308 to the canonical form', async ({ request }) => {
    const response = await request.get('/r/alpine', { maxRedirects: 0 });
    expect(response.status()).toBe(308);
    expect(response.headers().location).toBe('/r/docker.io/library/alpine');
  });

  test('percent-encoded segments are decoded before parsing', async ({ page }) => {
    const encoded = `/r/${encodeURIComponent(harness.open.host)}/library/demo${encodeURIComponent(':3.12')}`;
    expect(encoded).toContain('%3A');
    const response = await page.goto(encoded);
    expect(response?.status()).toBe(200);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${harness.open.host}/library/demo:3.12`);
  });

  test('an address Tagscope has no page for: 404, its own page with the reference box, axe', async ({ page }) => {
    const response = await page.goto('/no/such/page');
    expect(response?.status()).toBe(404);
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Page not found');
    await expect(page.getByLabel('Image reference')).toBeVisible();
    await expectAccessible(page);
  });

  test('an invalid reference in the address gets a page that says why', async ({ page }) => {
    await page.goto('/r/docker.io/library/Alpine');
    await expect(page.getByRole('heading', { level: 1 })).toHaveText('Invalid reference');
    await expect(page.getByRole('alert').filter({ hasText: 'repository name must be lowercase' })).toBeVisible();
    await expect(page.getByLabel('Image reference')).toHaveValue('docker.io/library/Alpine');
    await expectAccessible(page);
  });
});

test.describe('home page for someone with nothing in mind', () => {
  const demo = harness.truth.demo;

  test('offers the configured examples, which work offline against the demo registry', async ({ page }) => {
    await page.goto('/');
    const examples = page.getByRole('region', { name: 'Examples' }).getByRole('link');
    await expect(examples).toHaveText([demo.repository, `${demo.repository}:3.13`, `${demo.repository}@${demo.tags['3.13']!.platforms[0]!.digest}`]);
    await examples.first().click();
    await expect(page.locator('tbody[data-row-kind="group"]').first()).toBeVisible();
  });

  test('lists recently opened repositories, kept in this browser only, and forgets them', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByRole('heading', { name: 'Recently opened' })).toHaveCount(0);
    await page.goto(`/r/${demo.repository}`);
    await expect(page.locator('tbody[data-row-kind="group"]').first()).toBeVisible();
    await page.goto(`/r/${harness.truth.nested.repository}`);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    // A corrupt entry (edited by hand, or by another version) is skipped, not shown.
    await page.evaluate(() => {
      const key = 'tagscope:recent-repositories';
      const list = JSON.parse(localStorage.getItem(key) ?? '[]') as string[];
      localStorage.setItem(key, JSON.stringify([...list, '<script>', 42, 'docker.io/library/UPPER']));
    });
    await page.goto('/');
    const recent = page.getByRole('region', { name: 'Recently opened' });
    await expect(recent.getByRole('link')).toHaveText([harness.truth.nested.repository, demo.repository]);
    await expectAccessible(page);
    await recent.getByRole('button', { name: 'Forget these' }).click();
    await expect(page.getByRole('heading', { name: 'Recently opened' })).toHaveCount(0);
    expect(await page.evaluate(() => localStorage.getItem('tagscope:recent-repositories'))).toBeNull();
  });
});

test.describe('the box takes what people copy', () => {
  const demo = harness.truth.demo;
  const cases: [string, string, string][] = [
    ['a docker pull line with a platform', `docker pull --platform linux/arm64 ${demo.repository}`, `/r/${demo.repository}?platform=linux/arm64`],
    ['a Tagscope link from another instance', `https://tagscope.example/r/${demo.repository}?q=3.12&pull=1`, `/r/${demo.repository}?q=3.12`],
    ['a Docker Hub tags page with a filter', 'https://hub.docker.com/_/alpine/tags?name=3.12', '/r/docker.io/library/alpine?q=3.12'],
    ['a GitHub package page', 'https://github.com/home-assistant/core/pkgs/container/home-assistant', '/r/ghcr.io/home-assistant/home-assistant'],
    ['a Quay repository page', 'https://quay.io/repository/prometheus/prometheus?tab=tags', '/r/quay.io/prometheus/prometheus'],
  ];
  for (const [what, input, path] of cases) {
    test(`${what} opens its canonical page`, async ({ page }) => {
      // Pages of public registries are not loaded (no internet here): the address is what counts.
      await page.route((url) => url.pathname.startsWith('/r/') && !url.pathname.includes(harness.open.host), (route) => route.fulfill({ status: 200, contentType: 'text/html', body: '<title>stub</title><h1>stub</h1>' }));
      await page.goto('/');
      await page.getByLabel('Image reference').fill(input);
      await page.getByRole('button', { name: 'Open' }).click();
      await expect.poll(() => { const url = new URL(page.url()); return decodeURIComponent(url.pathname) + decodeURIComponent(url.search); }).toBe(path);
    });
  }

  test('an address it cannot read gets words saying which forms it reads', async ({ page }) => {
    await page.goto('/');
    await page.getByLabel('Image reference').fill('https://example.com/some/page');
    await page.getByRole('button', { name: 'Open' }).click();
    await expect(page.getByRole('search', { name: 'Open a reference' }).getByRole('alert')).toContainText('docker pull command');
    await expect(page).toHaveURL(/\/$/);
  });
});

// A registry's page in Chromium: its repositories from the catalog (type the host, filter,
// open one, come back with the filter kept), words where a registry will not list them, and
// Docker Hub's search and namespace listing through its web API (the emulator).
import { expect, test } from '@playwright/test';
import type { CatalogResponse } from '../../lib/api/types';
import { expectAccessible } from './axe';
import { e2eEnvironment } from './environment';

const env = e2eEnvironment();
const { harness } = env;
const open = harness.open.host;

test('type a registry, filter its repositories, open one, and come back with the filter kept', async ({ page, request }) => {
  const catalog = (await (await request.get(`/api/v1/catalog?registry=${encodeURIComponent(open)}`)).json()) as CatalogResponse;
  expect(catalog.repositories).toContain('library/demo');

  await page.goto('/');
  await page.getByLabel('Image reference').fill(open);
  await page.getByRole('button', { name: 'Open' }).click();
  await expect(page).toHaveURL(new RegExp(`/r/${open.replace(/\./g, '\\.')}$`));
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(open);
  const list = page.getByRole('list', { name: `Repositories of ${open}` });
  // Every repository the catalog lists, under its namespace with a count.
  await expect(list.locator('[data-repository]')).toHaveCount(catalog.repositories.length);
  const library = catalog.repositories.filter((r) => r.startsWith('library/')).length;
  await expect(list.locator('[data-namespace="library"]')).toContainText(`${library} ${library === 1 ? 'repository' : 'repositories'}`);
  // The tag count of a row on screen, loaded for it.
  await expect(list.locator('[data-repository="library/demo"]')).toContainText(`${Object.keys(harness.truth.demo.tags).length} tags`);
  await expectAccessible(page);

  await page.getByLabel('Filter repositories').fill('nested');
  await expect(page).toHaveURL(/[?&]q=nested$/);
  await expect(list.locator('[data-repository]')).toHaveCount(catalog.repositories.filter((r) => r.includes('nested')).length);
  await list.getByRole('link', { name: 'library/nested' }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${open}/library/nested`);
  await page.goBack();
  await expect(page.getByLabel('Filter repositories')).toHaveValue('nested');
  await expect(list.locator('[data-repository]')).toHaveCount(catalog.repositories.filter((r) => r.includes('nested')).length);
});

test('a registry that wants credentials the server lacks says so, and what works instead', async ({ page }) => {
  const response = await page.goto(`/r/${harness.basic.host}`);
  expect(response?.status()).toBe(200);
  const panel = page.locator('[data-error-code="UNAUTHORIZED"]');
  await expect(panel).toBeVisible();
  await expect(panel).toContainText(/credentials/i);
  // Typing a repository still works there.
  await expect(page.getByLabel('Image reference')).toHaveValue(`${harness.basic.host}/`);
  await expectAccessible(page);
});

test('a Docker Hub namespace lists its repositories from the web API, sortable, and search finds them', async ({ page }) => {
  const hub = env.fronts.hub;
  await page.goto(`/r/${hub}?namespace=library`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${hub}/library`);
  const row = page.locator(`tr[data-repository="${hub}/library/demo"]`);
  await expect(row).toBeVisible();
  await expect(row).toContainText('described by the Tagscope test Hub');
  await page.getByRole('button', { name: 'Stars' }).click();
  await expect(page.getByRole('columnheader', { name: /Stars/ })).toHaveAttribute('aria-sort', 'descending');
  await expectAccessible(page);
  await row.getByRole('link', { name: 'demo', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(`${hub}/library/demo`);

  await page.goto(`/r/${hub}`);
  await page.getByLabel(/Search .* repositories/).fill('demo');
  await expect(page).toHaveURL(/[?&]q=demo$/);
  await expect(page.locator(`tr[data-repository="${hub}/library/demo"]`)).toBeVisible();
});

test('an official name that does not exist offers the namespace of that name', async ({ page }) => {
  const response = await page.goto(`/r/${env.fronts.hub}/library/library`);
  expect(response?.status()).toBe(404);
  await page.getByRole('link', { name: 'Open the namespace library' }).click();
  await expect(page).toHaveURL(/\?namespace=library$/);
  await expect(page.locator(`tr[data-repository="${env.fronts.hub}/library/demo"]`)).toBeVisible();
});

test('/r/ turns a pasted web address into its canonical page with a 308, keeping what it meant', async ({ request }) => {
  const cases: [string, string][] = [
    ['/r/https://hub.docker.com/_/alpine/tags?name=3.12', '/r/docker.io/library/alpine?q=3.12'],
    ['/r/alpine?q=3.12', '/r/docker.io/library/alpine?q=3.12'],
    ['/r/index.docker.io', '/r/docker.io'],
    ['/r/docker.io/library', '/r/docker.io?namespace=library'],
    [`/r/${open}/`, `/r/${open}`],
  ];
  for (const [asked, canonical] of cases) {
    // Next first folds the `//` of a pasted https:// (a 308 of its own); then Tagscope's.
    let location = asked;
    for (let hop = 0; hop < 3 && location !== canonical; hop++) {
      const response = await request.get(location, { maxRedirects: 0 });
      expect(response.status(), `${asked}: ${location}`).toBe(308);
      location = response.headers().location!;
    }
    expect(location, asked).toBe(canonical);
  }
});

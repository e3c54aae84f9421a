// The repository page of a registry whose host has Docker Hub's web API configured, in
// Chromium: the summary Hub's own page shows (description, stars, pulls) with the pull budget
// the registry reported, a Last pushed column, images the web API does not describe shown as
// needing a pull, and the push-date sort kept in the URL. The registry is the harness's open
// registry behind a front that counts pulls like Docker Hub; the web API is the emulator.
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import type { RepositoryResponse } from '../../lib/api/types';
import { formatCreated } from '../../lib/shared/format';
import { hubRepositoryFromTruth } from '../support/harness/hub';
import { expectAccessible } from './axe';
import { e2eEnvironment } from './environment';
import { viewFinished } from './repository-page';

const env = e2eEnvironment();
const demo = env.harness.truth.demo;
const repository = `${env.fronts.hub}/${demo.repository.slice(demo.repository.indexOf('/') + 1)}`;
// What the emulator serves: the same data global-setup gave it.
const hubInfo = hubRepositoryFromTruth(demo).info;

async function view(request: APIRequestContext): Promise<RepositoryResponse> {
  const response = await request.get(`/api/v1/repository?repository=${encodeURIComponent(repository)}`);
  expect(response.status()).toBe(200);
  return (await response.json()) as RepositoryResponse;
}

function groupRows(page: Page) {
  return page.locator('tbody[data-row-kind="group"]');
}

async function openFinished(page: Page, search = '') {
  await page.goto(`/r/${repository}${search}`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(repository);
  await viewFinished(page);
}

test.describe('a Docker Hub repository page', () => {
  test('the API: the web API’s info, the pull budget, and platforms without image IDs', async ({ request }) => {
    const body = await view(request);
    expect(body.info).toMatchObject({ description: hubInfo.description, stars: hubInfo.star_count, pullCount: hubInfo.pull_count });
    expect(body.pulls).toMatchObject({ limit: 100, remaining: expect.any(Number), windowSeconds: 21_600, reserve: expect.any(Number) });
    const described = body.groups.filter((g) => !g.platformsNeedPull);
    expect(described.length).toBeGreaterThan(0);
    // The image ID (config digest) needs the manifest, which is a pull: not fetched.
    for (const group of described) {
      expect(group.platforms.length, group.tags.join(', ')).toBeGreaterThan(0);
      for (const platform of group.platforms) expect(platform.configDigest).toBeNull();
    }
    expect(body.groups.find((g) => g.tags.includes('notes'))).toMatchObject({ platforms: [], platformsNeedPull: true });
  });

  test('shows the summary and the pull budget the registry reported', async ({ page, request }) => {
    await openFinished(page);
    const { pulls } = await view(request);
    expect(pulls).not.toBeNull();
    const summary = page.getByTestId('repository-summary');
    await expect(summary).toContainText(hubInfo.description);
    await expect(summary).toContainText(`${hubInfo.star_count.toLocaleString('en')} stars`);
    await expect(summary).toContainText(`${hubInfo.pull_count.toLocaleString('en')} pulls`);
    const budget = page.getByTestId('pull-budget');
    await expect(budget).toContainText(`${pulls!.remaining.toLocaleString('en')} of ${pulls!.limit!.toLocaleString('en')} pulls left for this server`);
    await expect(budget).toContainText('6-hour window');
    await expect(budget).toContainText(`Tagscope keeps the last ${pulls!.reserve}`);
  });

  test('dates the described groups in Last pushed; an undescribed image needs a pull', async ({ page, request }) => {
    const { groups } = await view(request);
    // Dates come from the web API: no image config is read for them (on Docker Hub that would
    // start with a manifest GET, a pull).
    const configRequests: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/v1/config')) configRequests.push(r.url());
    });
    await openFinished(page);
    await expect(page.getByRole('columnheader', { name: 'Last pushed' })).toBeVisible();
    const dated = groups.filter((g) => g.lastPushed !== null);
    expect(dated.length).toBeGreaterThan(0);
    for (const group of dated) {
      const row = page.locator(`tbody[data-digest="${group.digest}"]`);
      // Relative, as Docker Hub shows it, with the exact time for screen readers and on focus.
      const time = row.locator(`time[datetime="${group.lastPushed}"]`);
      await expect(time).toHaveText(/^(?:\d+ \w+ ago|yesterday|last \w+|just now), pushed /);
      await expect(time).toContainText(`pushed ${formatCreated(group.lastPushed)}`);
    }
    const notes = page.locator(`tbody[data-digest="${demo.tags.notes!.digest}"]`);
    await expect(notes.getByText('platforms need a pull: open the tag')).toBeVisible();
    expect(configRequests).toEqual([]);
  });

  test('sorts by Newest (the push date) from the keyboard, kept in the URL, and passes axe', async ({ page, request }) => {
    const { groups } = await view(request);
    await openFinished(page);
    await page.getByLabel('Filter tags').focus();
    await page.keyboard.press('Tab');
    const sort = page.getByLabel('Sort', { exact: true });
    await expect(sort).toBeFocused();
    // "Newest" is Docker Hub's name for the push date, the first option: Home picks it in a single
    // change, where each ArrowDown would change the sort (and the URL) on its way.
    await expect(sort.locator('option').first()).toHaveText('Newest');
    await page.keyboard.press('Home');
    await expect(sort).toHaveValue('pushed');
    await expect(page).toHaveURL(/[?&]sort=pushed(?:&|$)/);

    // Newest push first; groups without a date last.
    const pushedOf = new Map(groups.map((g) => [g.digest, g.lastPushed]));
    // Retried until it holds (the order follows the URL by a render); when it never does, the
    // message says what the tags section showed.
    const expectNewestFirst = () =>
      expect(async () => {
        const order = await groupRows(page).evaluateAll((rows) => rows.map((row) => row.getAttribute('data-digest') ?? ''));
        const shown = order.length === groups.length ? '' : await page.locator('section[aria-labelledby="tags-heading"]').innerText();
        expect(order, `the tags section read:\n${shown}`).toHaveLength(groups.length);
        const dates = order.map((digest) => pushedOf.get(digest) ?? null);
        const times = dates.map((d) => (d === null ? -Infinity : Date.parse(d)));
        expect(times, JSON.stringify(dates)).toEqual([...times].sort((a, b) => b - a));
        expect(dates[0]).not.toBeNull();
      }).toPass({ timeout: 10_000 });
    await expectNewestFirst();
    await page.reload();
    await expect(page.getByLabel('Sort', { exact: true })).toHaveValue('pushed');
    await viewFinished(page);
    await expectNewestFirst();
    await expectAccessible(page);
  });
});

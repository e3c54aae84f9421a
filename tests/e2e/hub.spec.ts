// The repository page of a registry whose host has Docker Hub's web API configured, in
// Chromium: the summary Hub's own page shows (description, stars, pulls) with the pull budget
// the registry reported, a Last pushed column, images the web API does not describe shown as
// needing a pull, and the push-date sort kept in the URL. The registry is the harness's open
// registry behind a front that counts pulls like Docker Hub; the web API is the emulator.
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import type { RepositoryResponse } from '../../lib/api/types';
import { formatCreated } from '../../lib/common/format';
import { hubRepositoryFromTruth } from '../support/harness/hub';
import { expectedGroups, hubGroupPushes } from '../support/truth';
import { expectAccessible } from './axe';
import { e2eEnvironment } from './environment';
import { viewFinished } from './repository-page';

const env = e2eEnvironment();
const demo = env.harness.truth.demo;
const repository = `${env.fronts.hub}/${demo.repository.slice(demo.repository.indexOf('/') + 1)}`;
// What the emulator serves: the same data global-setup gave it. The expectations below come from
// it and from the harness truth, never from the API under test.
const served = hubRepositoryFromTruth(demo);
const hubInfo = served.info;
const lastPushed = hubGroupPushes(demo, served.tags);
const imageGroups = expectedGroups(demo).filter((g) => g.kind === 'index' || g.kind === 'manifest');
// The front counts pulls as Docker Hub does, 100 per 6 hours (global-setup); these tests view
// and spend none, and Tagscope keeps 20% of the limit in reserve (docs/security.md).
const PULLS = { limit: 100, remaining: 100, windowSeconds: 21_600, reserve: 20 };

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
    expect(body.pulls).toMatchObject(PULLS);
    // Every image the web API describes, with its platforms; the image ID (config digest) needs
    // the manifest, which is a pull: not fetched.
    for (const want of imageGroups) {
      const group = body.groups.find((g) => g.digest === want.digest);
      expect(group, want.tags.join(', ')).toBeDefined();
      expect(group!.platforms.map((p) => p.digest).sort(), want.tags.join(', ')).toEqual(want.platforms.map((p) => p.digest).sort());
      for (const platform of group!.platforms) expect(platform.configDigest).toBeNull();
    }
    expect(body.groups.find((g) => g.tags.includes('notes'))).toMatchObject({ platforms: [], platformsNeedPull: true });
  });

  test('shows the summary and the pull budget the registry reported', async ({ page }) => {
    await openFinished(page);
    const summary = page.getByTestId('repository-summary');
    await expect(summary).toContainText(hubInfo.description);
    await expect(summary).toContainText(`${hubInfo.star_count.toLocaleString('en')} stars`);
    await expect(summary).toContainText(`${hubInfo.pull_count.toLocaleString('en')} pulls`);
    const budget = page.getByTestId('pull-budget');
    await expect(budget).toContainText(`${PULLS.remaining} of ${PULLS.limit} pulls left for this server`);
    await expect(budget).toContainText('6-hour window');
    await expect(budget).toContainText(`Tagscope keeps the last ${PULLS.reserve}`);
  });

  test('dates every group in Last pushed with its newest tag’s push; an undescribed image needs a pull', async ({ page }) => {
    // Dates come from the web API: no image config is read for them (on Docker Hub that would
    // start with a manifest GET, a pull).
    const configRequests: string[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/api/v1/config')) configRequests.push(r.url());
    });
    await openFinished(page);
    await expect(page.getByRole('columnheader', { name: 'Last pushed' })).toBeVisible();
    for (const [digest, pushed] of lastPushed) {
      const row = page.locator(`tbody[data-digest="${digest}"]`);
      // Relative, as Docker Hub shows it, with the exact time for screen readers and on focus.
      const time = row.locator(`time[datetime="${pushed}"]`);
      await expect(time).toHaveText(/^(?:\d+ \w+ ago|yesterday|last \w+|just now), pushed /);
      await expect(time).toContainText(`pushed ${formatCreated(pushed)}`);
    }
    const notes = page.locator(`tbody[data-digest="${demo.tags.notes!.digest}"]`);
    await expect(notes.getByText('platforms need a pull: open the tag')).toBeVisible();
    expect(configRequests).toEqual([]);
  });

  test('sorts by Newest (the push date) from the keyboard, kept in the URL, and passes axe', async ({ page }) => {
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

    // Newest push first, by the date each group shows.
    const groups = [...lastPushed.keys()];
    // Retried until it holds (the order follows the URL by a render); when it never does, the
    // message says what the tags section showed.
    const expectNewestFirst = () =>
      expect(async () => {
        const order = await groupRows(page).evaluateAll((rows) => rows.map((row) => row.getAttribute('data-digest') ?? ''));
        const shown = order.length === groups.length ? '' : await page.locator('section[aria-labelledby="tags-heading"]').innerText();
        expect(order, `the tags section read:\n${shown}`).toHaveLength(groups.length);
        const dates = order.map((digest) => lastPushed.get(digest) ?? null);
        expect(dates).not.toContain(null);
        const times = dates.map((d) => Date.parse(d!));
        expect(times, JSON.stringify(dates)).toEqual([...times].sort((a, b) => b - a));
      }).toPass({ timeout: 10_000 });
    await expectNewestFirst();
    await page.reload();
    await expect(page.getByLabel('Sort', { exact: true })).toHaveValue('pushed');
    await viewFinished(page);
    await expectNewestFirst();
    await expectAccessible(page);
  });
});

// The tag list as people use it, in Chromium against the real registry: Docker Hub's row
// actions (copy docker pull, copy name@digest), a date in every row, the sort names, a chosen
// platform's digest per row, a click on a row, short IDs, and a layout that does not move.
import { expect, test, type Page } from '@playwright/test';
import { expectAccessible } from './axe';
import { e2eEnvironment } from './environment';
import { viewFinished } from './repository-page';

const env = e2eEnvironment();
const demo = env.harness.truth.demo;
const repoPath = `/r/${demo.repository}`;
// The name docker pull takes: a registry other than Docker Hub keeps its host.
const name = demo.repository;

const groupRow = (page: Page, digest: string) => page.locator(`tbody[data-digest="${digest}"]`);


test.describe('row actions', () => {
  test.use({ permissions: ['clipboard-read', 'clipboard-write'] });

  test('copy docker pull for any tag of a group, and name@digest for one platform', async ({ page }) => {
    await page.goto(repoPath);
    const row = groupRow(page, demo.tags.latest!.digest);
    const menu = row.getByRole('button', { name: 'Copy a docker pull command for 3.14, latest' });
    await menu.click();
    await expect(menu).toHaveAttribute('aria-expanded', 'true');
    const commands = row.getByRole('list', { name: 'docker pull commands for 3.14, latest' });
    await expect(commands.locator('code')).toHaveText([`docker pull ${name}:3.14`, `docker pull ${name}:latest`]);
    await commands.getByRole('button', { name: `Copy the command docker pull ${name}:latest` }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`docker pull ${name}:latest`);
    await expectAccessible(page);
    await page.keyboard.press('Escape');
    await expect(menu).toHaveAttribute('aria-expanded', 'false');
    await expect(menu).toBeFocused();

    // A group of one tag copies at once.
    const single = groupRow(page, demo.tags['single-docker']!.digest);
    await single.getByRole('button', { name: `Copy the command docker pull ${name}:single-docker` }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`docker pull ${name}:single-docker`);

    await row.getByRole('button', { name: /^Show the platforms/ }).click();
    const arm = demo.tags.latest!.platforms.find((p) => p.platform === 'linux/arm64/v8')!;
    await row.locator('tr[data-platform="linux/arm64/v8"]').getByRole('button', { name: /the reference that pulls only linux\/arm64\/v8$/ }).click();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(`${name}@${arm.digest}`);
  });
});

test('a click on a row’s free space opens it; a click on a link follows the link', async ({ page }) => {
  await page.goto(repoPath);
  const row = groupRow(page, demo.tags['3.13']!.digest);
  const toggle = row.getByRole('button', { name: /the platforms of 3\.13\.1, 3\.13$/ });
  await row.getByText('OCI index').click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'true');
  await expect(row.locator('tr[data-platform="linux/amd64"]')).toBeVisible();
  await row.getByText('OCI index').click();
  await expect(toggle).toHaveAttribute('aria-expanded', 'false');
  await row.getByRole('link', { name: '3.13.1', exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`${demo.repository.replace(/[.]/g, '\\.')}:3\\.13\\.1$`));
});

test('every group row has a date: the build date from one image config, relative, exact on focus', async ({ page }) => {
  await page.goto(repoPath);
  await viewFinished(page);
  await expect(page.getByRole('columnheader', { name: 'Created' })).toBeVisible();
  const images = demo.groups.filter((g) => demo.tags[g.tags[0]!]!.platforms.length > 0);
  for (const group of images) {
    const created = demo.tags[group.tags[0]!]!.platforms.map((p) => p.created);
    const time = groupRow(page, group.digest).getByTestId('group-date').locator('time');
    await expect(time).toHaveText(/^(?:\d+ \w+ ago|yesterday|last \w+|just now), built \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    expect(created).toContain(await time.getAttribute('datetime'));
  }
  // The exact time shows on keyboard focus, without moving anything.
  const first = groupRow(page, images[0]!.digest).getByTestId('group-date').locator('time');
  const before = await first.boundingBox();
  await first.focus();
  await expect(first.locator('[aria-hidden="true"]')).toBeVisible();
  expect(await first.boundingBox()).toEqual(before);
});

test('sorts by the names Docker Hub uses; a chosen platform shows its digest and size per row', async ({ page }) => {
  await page.goto(repoPath);
  await viewFinished(page);
  const sort = page.getByLabel('Sort', { exact: true });
  await expect(sort.locator('option')).toHaveText(['Newest', 'Oldest', 'A–Z', 'Z–A', 'Newest version', 'Oldest version']);
  // The options read as the chips do: linux/arm64/v8, not linux/arm64.
  const platform = page.getByLabel('Platform', { exact: true });
  await expect(platform.locator('option', { hasText: 'linux/arm64/v8' })).toHaveCount(1);
  await platform.selectOption('linux/arm64/v8');
  const arm = demo.tags['3.12']!.platforms.find((p) => p.platform === 'linux/arm64/v8')!;
  const row = groupRow(page, demo.tags['3.12']!.digest);
  await expect(row.getByTestId('platform-digest').locator('code')).toHaveAttribute('title', arm.digest);
  // A URL written with the short form selects the same option.
  await page.goto(`${repoPath}?platform=linux/arm64`);
  await expect(page.getByLabel('Platform', { exact: true })).toHaveValue('linux/arm64/v8');
});

test('column widths stay put while rows stream in, and an invalid filter moves nothing', async ({ page }) => {
  // Hold the stream back, so the first paint (tag names only) can be measured.
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  await page.route((url) => url.pathname === '/api/v1/repository', async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(repoPath);
  const headers = page.locator('[data-testid="tags-scroll"] thead th');
  await expect(page.locator('tbody[data-row-kind="pending"]').first()).toBeVisible();
  const widths = async () => headers.evaluateAll((cells) => cells.map((cell) => Math.round(cell.getBoundingClientRect().width)));
  const pending = await widths();
  release();
  await viewFinished(page);
  await expect(page.locator('tbody[data-row-kind="group"]').first()).toBeVisible();
  expect(await widths()).toEqual(pending);

  const sortBox = await page.getByLabel('Sort', { exact: true }).boundingBox();
  const tableBox = await page.getByTestId('tags-scroll').boundingBox();
  await page.getByLabel('Filter tags').fill('/[/');
  await expect(page.getByText(/not a valid regular expression/)).toBeVisible();
  expect(await page.getByLabel('Sort', { exact: true }).boundingBox()).toEqual(sortBox);
  expect((await page.getByTestId('tags-scroll').boundingBox())?.y).toBe(tableBox?.y);
});

test('the digest finder takes the 12-character short IDs docker images shows', async ({ page }) => {
  await page.goto(repoPath);
  await viewFinished(page);
  const image = demo.tags['3.13']!.platforms[0]!;
  await page.getByLabel('What is this digest?').fill(image.configDigest.slice('sha256:'.length, 'sha256:'.length + 12));
  await page.getByRole('button', { name: 'Find' }).click();
  await expect(page).toHaveURL(new RegExp(`@${image.configDigest}$`));

  await page.goto(repoPath);
  await viewFinished(page);
  await page.getByLabel('What is this digest?').fill('0000abcdef00');
  await page.getByRole('button', { name: 'Find' }).click();
  await expect(page.getByRole('form', { name: 'Find a digest' }).getByRole('alert')).toContainText('No index digest, platform digest or image ID of this repository starts with 0000abcdef00');
});

test.describe('on a phone', () => {
  test.use({ viewport: { width: 390, height: 844 } });

  test('a group is a card and its platforms stacked rows, all within the screen', async ({ page }) => {
    await page.goto(repoPath);
    await viewFinished(page);
    const row = groupRow(page, demo.tags['3.12']!.digest);
    await row.getByRole('button', { name: /^Show the platforms/ }).click();
    const scroll = page.getByTestId('tags-scroll');
    const { scrollWidth, clientWidth } = await scroll.evaluate((el) => ({ scrollWidth: el.scrollWidth, clientWidth: el.clientWidth }));
    expect(scrollWidth, 'the list scrolls sideways').toBeLessThanOrEqual(clientWidth);
    // The card carries what the table's columns carry: size and date are on screen, not hidden.
    await expect(row.getByText(/^Compressed size/).first()).toBeVisible();
    await expect(row.getByTestId('group-date').locator('time')).toBeVisible();
    const platforms = row.locator('tr[data-platform]');
    await expect(platforms).toHaveCount(demo.tags['3.12']!.platforms.length);
    for (const box of await platforms.evaluateAll((rows) => rows.map((r) => r.getBoundingClientRect().toJSON() as DOMRect))) {
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(390);
    }
    const page390 = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(page390).toBeLessThanOrEqual(390);
    await expectAccessible(page);
  });
});

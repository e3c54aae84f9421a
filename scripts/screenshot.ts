// `npm run screenshot`: renders the README's screenshot from a real registry — the demo
// repository seeded by the test harness — in Debian's Chromium. Needs a production build.

import path from 'node:path';
import { chromium } from '@playwright/test';
import { startHarness } from '../tests/support/harness';
import { startNextServer } from '../tests/support/next-server';

const out = path.resolve(import.meta.dirname, '..', 'docs', 'screenshot.png');
const harness = await startHarness({ openOnly: true });
const server = await startNextServer({ TAGSCOPE_INSECURE_REGISTRIES: harness.info.open.host });
const browser = await chromium.launch({
  executablePath: process.env.TAGSCOPE_CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync', '--disable-quic'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 820 }, colorScheme: 'light' });
  await page.goto(`${server.url}/r/${harness.info.open.host}/library/demo`);
  await page.locator('tbody[data-row-kind="group"]').first().waitFor();
  await page.getByText(/resolved \d+ of/).waitFor({ state: 'hidden' });
  await page.getByRole('button', { name: /Show the platforms of 3\.13\.1, 3\.13$/ }).click();
  // Each platform's build date is read when the group opens: wait for all of them.
  await page.locator('[data-testid="created"]', { hasText: 'loading' }).first().waitFor({ state: 'detached' });
  await page.screenshot({ path: out });
  console.log(`screenshot: wrote ${path.relative(process.cwd(), out)}`);
} finally {
  await browser.close();
  await server.stop();
  await harness.stop();
}

// Starts what the end-to-end tests run against: the production build of the dashboard.
import { existsSync } from 'node:fs';
import type { FullConfig } from '@playwright/test';
import { startNextServer } from '../support/next-server';

export default async function globalSetup(config: FullConfig) {
  const chromium = config.projects[0]?.use.launchOptions?.executablePath;
  if (chromium && !existsSync(chromium)) {
    throw new Error(`Chromium is not at ${chromium}: run "node scripts/ensure-system-packages.mjs chromium"`);
  }
  const server = await startNextServer();
  process.env.TAGSCOPE_E2E_BASE_URL = server.url;
  return async () => {
    await server.stop();
  };
}

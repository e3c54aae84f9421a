// Starts what the end-to-end tests run against: the real-registry harness, fronts that make
// registries misbehave in the ways real ones do (wrong credentials, rate limits, altered
// bodies, foreign Links, Docker Hub's pull limit and web API), and the production build of the
// dashboard pointed at them all.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { insecureRegistries, startHarness } from '../support/harness';
import { startFront, type Front } from '../support/harness/front';
import { hubRepositoryFromTruth, startHubEmulator, type HubEmulator } from '../support/harness/hub';
import { ensureSystemPackages } from '../support/harness/registry-process';
import { demoExamples } from '../support/harness/seed';
import { startNextServer } from '../support/next-server';
import type { E2EEnvironment } from './environment';

export default async function globalSetup() {
  // Chromium (at TAGSCOPE_CHROMIUM, as playwright.config.ts), the registry and its helpers.
  ensureSystemPackages('--for', 'e2e');
  const harness = await startHarness();
  const fronts: Front[] = [];
  let hubApi: HubEmulator | undefined;
  const stopAll = async () => {
    for (const front of fronts) await front.stop();
    await hubApi?.stop();
    await harness.stop();
  };
  try {
    const { info } = harness;
    const denied = await startFront(info.basic.url);
    const rateLimited = await startFront(info.open.url, {
      intercept: ({ kind }) =>
        kind === 'manifestGet' || kind === 'manifestHead'
          ? {
              status: 429,
              headers: { 'retry-after': '1800', 'ratelimit-limit': '100;w=21600', 'ratelimit-remaining': '0;w=21600', 'content-type': 'application/json' },
              body: JSON.stringify({ errors: [{ code: 'TOOMANYREQUESTS', message: 'You have reached your pull rate limit.' }] }),
            }
          : null,
    });
    const altered = await startFront(info.open.url, { alterBodies: new Set(['latest']) });
    const foreignLink = await startFront(info.open.url, { pageSize: 2, linkStyle: 'foreign' });
    // Two slow fronts: each view is cached once seen, so each test that needs slowness has its own.
    const slow = await startFront(info.open.url, { delayMs: 80 });
    const slowPage = await startFront(info.open.url, { delayMs: 120 });
    // Docker Hub: the open registry counting pulls as Hub does, described by the web API emulator.
    const hub = await startFront(info.open.url, { pullLimit: { limit: 100, windowSeconds: 21_600 } });
    fronts.push(denied, rateLimited, altered, foreignLink, slow, slowPage, hub);
    hubApi = await startHubEmulator({ repositories: [hubRepositoryFromTruth(info.truth.demo)] });

    const dir = await mkdtemp(path.join(tmpdir(), 'tagscope-e2e-'));
    const authFile = path.join(dir, 'auth.json');
    const basic = (user: string, password: string) => ({ auth: Buffer.from(`${user}:${password}`).toString('base64') });
    // The server has alice's token credentials, none for the Basic registry, and a wrong
    // password for the Basic registry reached through `denied`.
    await writeFile(authFile, JSON.stringify({ auths: { [info.token.host]: basic('alice', 'alice-secret'), [denied.host]: basic('bob', 'wrong') } }));

    const environment: E2EEnvironment = {
      harness: info,
      fronts: { denied: denied.host, rateLimited: rateLimited.host, altered: altered.host, foreignLink: foreignLink.host, slow: slow.host, slowPage: slowPage.host, hub: hub.host },
      hubApi: hubApi.host,
      unreachable: '127.0.0.1:1',
    };
    const server = await startNextServer({
      TAGSCOPE_INSECURE_REGISTRIES: insecureRegistries(info, [...fronts.map((f) => f.host), hubApi.host, '127.0.0.1:1']),
      TAGSCOPE_REGISTRY_APIS: `${hub.host}=hub:${hubApi.url}`,
      REGISTRY_AUTH_FILE: authFile,
      TAGSCOPE_CACHE_DIR: path.join(dir, 'cache'),
      // The home page's examples, as `npm run demo` sets them: they work offline.
      TAGSCOPE_EXAMPLES: demoExamples(info.truth.demo).join(','),
    });
    process.env.TAGSCOPE_E2E_BASE_URL = server.url;
    process.env.TAGSCOPE_E2E_ENVIRONMENT = JSON.stringify(environment);
    return async () => {
      await server.stop();
      await stopAll();
      await rm(dir, { recursive: true, force: true });
    };
  } catch (error) {
    await stopAll();
    throw error;
  }
}

// `npm run demo`: a real registry on loopback seeded with the sample images and a 2,000-tag
// repository, and the dashboard pointed at it, so Tagscope can be seen with real data and no
// internet access. Stop with Ctrl-C; the registry and its storage are removed.

import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { startDemoEnvironment } from '../tests/support/demo-environment';
import { hasProductionBuild } from '../tests/support/next-server';

const root = path.resolve(import.meta.dirname, '..');
const next = path.join(root, 'node_modules', '.bin', 'next');
const port = Number(process.env.PORT ?? 3000);

const install = spawnSync('node', [path.join(root, 'scripts/ensure-system-packages.mjs'), 'docker-registry'], { stdio: 'inherit' });
if (install.status !== 0) process.exit(1);

if (!hasProductionBuild()) {
  console.log('demo: building the dashboard first …');
  if (spawnSync(next, ['build'], { cwd: root, stdio: 'inherit' }).status !== 0) {
    console.error('demo: "next build" failed (see above)');
    process.exit(1);
  }
}

// The server `npm start` runs, where `npm start` listens, with the deployment's own API rate
// limit (not the tests' none), so the demo's API behaves as a deployment's does.
const demo = await startDemoEnvironment({
  port,
  hostname: null,
  inheritOutput: true,
  env: { TAGSCOPE_RATE_LIMIT: process.env.TAGSCOPE_RATE_LIMIT },
}).catch((error: unknown) => {
  // scripts/server.mjs has said why it stopped (a port in use, a bad setting) just above.
  console.error(`demo: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
const open = (repository: string) => `http://localhost:${port}/r/${demo.registryHost}/${repository}`;
console.log(`demo: registry with sample images at http://${demo.registryHost}`);
console.log(`demo: open ${open('library/demo')}`);
demo.scale?.then(
  (truth) => console.log(`demo: ${Object.keys(truth.tags).length.toLocaleString('en')} tags at ${open(truth.repository.slice(demo.registryHost.length + 1))}`),
  (error: unknown) => console.error(`demo: pushing the 2,000-tag repository failed: ${String(error)}`),
);

const shutdown = async () => {
  await demo.stop();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
void demo.server.exited.then(async (code) => {
  await demo.stop();
  if (code !== 0 && code !== null) console.error(`demo: the server exited with code ${code} (is port ${port} in use? set PORT)`);
  process.exit(code ?? 0);
});

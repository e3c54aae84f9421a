// `npm run demo`: a real registry on loopback seeded with the sample images, and the
// dashboard pointed at it, so Tagscope can be seen with real data and no internet access.
// Stop with Ctrl-C; the registry and its storage are removed.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { startHarness } from '../tests/support/harness';
import { demoExamples } from '../tests/support/harness/seed';

const root = path.resolve(import.meta.dirname, '..');
const next = path.join(root, 'node_modules', '.bin', 'next');
const port = Number(process.env.PORT ?? 3000);

const install = spawnSync('node', [path.join(root, 'scripts/ensure-system-packages.mjs'), 'docker-registry'], { stdio: 'inherit' });
if (install.status !== 0) process.exit(1);

const harness = await startHarness({ openOnly: true });
const { host } = harness.info.open;
console.log(`demo: registry with sample images at http://${host}`);

if (!existsSync(path.join(root, '.next', 'BUILD_ID'))) {
  console.log('demo: building the dashboard first …');
  if (spawnSync(next, ['build'], { cwd: root, stdio: 'inherit' }).status !== 0) {
    await harness.stop();
    console.error('demo: "next build" failed (see above)');
    process.exit(1);
  }
}

// The server `npm start` runs, so the demo's API behaves as a deployment's does.
const server = spawn(process.execPath, [path.join(root, 'scripts', 'server.mjs')], {
  cwd: root,
  stdio: ['ignore', 'inherit', 'inherit'],
  env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1', TAGSCOPE_INSECURE_REGISTRIES: host, TAGSCOPE_EXAMPLES: demoExamples(harness.info.truth.demo).join(','), PORT: String(port) },
});
console.log(`demo: open http://localhost:${port}/r/${host}/library/demo`);

const shutdown = async () => {
  server.kill('SIGTERM');
  await harness.stop();
  process.exit(0);
};
process.on('SIGINT', shutdown);
process.on('SIGTERM', shutdown);
server.on('exit', async (code) => {
  await harness.stop();
  if (code !== 0 && code !== null) console.error(`demo: the server exited with code ${code} (is port ${port} in use? set PORT)`);
  process.exit(code ?? 0);
});

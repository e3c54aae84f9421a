#!/usr/bin/env node
// The README's first command on a fresh clone: `npm start` must build (there is no build yet)
// and then serve, the server with its bounded heap. Run by .ci/run before the tests; fails in
// one line. Usage: node scripts/smoke-start.mjs
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
function fail(message) {
  console.error(`smoke-start: ${message}`);
  process.exit(1);
}
if (existsSync(path.join(root, '.next', 'BUILD_ID'))) fail('there is a build already; run this on a fresh clone (or remove .next)');

const port = await new Promise((resolve) => {
  const probe = net.createServer().listen(0, '127.0.0.1', () => {
    const { port: free } = probe.address();
    probe.close(() => resolve(free));
  });
});
const env = { ...process.env, PORT: String(port), HOSTNAME: '127.0.0.1' };
delete env.NODE_OPTIONS;
// Its own process group, so npm, the start script and the server stop together.
const child = spawn('npm', ['start'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
let output = '';
child.stdout.on('data', (c) => (output += c));
child.stderr.on('data', (c) => (output += c));
const stop = () => {
  const all = descendants(child.pid);
  try {
    process.kill(-child.pid, 'SIGTERM');
  } catch {}
  for (const pid of all) {
    try {
      process.kill(pid, 'SIGTERM');
    } catch {}
  }
};
function descendants(pid) {
  let out = [];
  try {
    for (const child of execFileSync('pgrep', ['-P', String(pid)]).toString().trim().split('\n').filter(Boolean)) out = [...out, Number(child), ...descendants(Number(child))];
  } catch {}
  return out;
}

const deadline = Date.now() + 600_000;
let status = 0;
while (Date.now() < deadline && status !== 200 && child.exitCode === null) {
  status = await fetch(`http://127.0.0.1:${port}/`).then((r) => r.status, () => 0);
  if (status !== 200) await new Promise((r) => setTimeout(r, 1000));
}
if (status !== 200) {
  stop();
  fail(`npm start did not serve http://127.0.0.1:${port}/ (last status ${status}):\n${output.slice(-3000)}`);
}
if (!output.includes('no production build yet')) {
  stop();
  fail('npm start did not build first');
}
const capped = descendants(child.pid).some((pid) => {
  try {
    return readFileSync(`/proc/${pid}/environ`, 'utf8').split('\0').includes('NODE_OPTIONS=--max-old-space-size=256');
  } catch {
    return false;
  }
});
stop();
if (!capped) fail('the server does not run with NODE_OPTIONS=--max-old-space-size=256');
console.log('smoke-start: npm start built, then served with a bounded heap: ok');
process.exit(0);

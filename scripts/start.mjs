#!/usr/bin/env node
// `npm start`: builds the dashboard when there is no production build yet, then serves it
// with scripts/server.mjs (Next's custom server, which tells the app each request's socket
// address). PORT (default 3000) and HOSTNAME choose where it listens; a port that is taken is
// reported in one line instead of a stack trace.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const SERVER_HEAP_MB = 256;
const next = path.join(root, 'node_modules', '.bin', 'next');
const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOSTNAME ?? '0.0.0.0';
process.env.NEXT_TELEMETRY_DISABLED ??= '1';

function fail(message) {
  console.error(`tagscope: ${message}`);
  process.exit(1);
}

if (!Number.isInteger(port) || port < 1 || port > 65535) fail(`PORT=${process.env.PORT} is not a port number (1-65535)`);
if (!existsSync(next)) fail('Next.js is not installed: run "npm install" first');

await new Promise((resolve) => {
  const probe = net.createServer();
  probe.once('error', (error) => {
    if (error.code === 'EADDRINUSE') fail(`port ${port} is already in use: stop what listens there or set PORT to another port`);
    if (error.code === 'EACCES') fail(`port ${port} needs more privileges: set PORT to a port above 1023`);
    fail(`cannot listen on ${hostname}:${port}: ${error.message}`);
  });
  probe.listen(port, hostname, () => probe.close(resolve));
});

if (!existsSync(path.join(root, '.next', 'BUILD_ID'))) {
  console.log('tagscope: no production build yet, running "next build" first …');
  const build = spawnSync(next, ['build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) fail('"next build" failed (see its output above); fix the error and run "npm start" again');
}

// The server only (not the build, which needs more): a bounded heap makes V8 collect before
// it grows, so 10,000 tags stay well under 300 MB RSS (docs/performance.md). NODE_OPTIONS wins.
const serverEnv = {
  ...process.env,
  PORT: String(port),
  HOSTNAME: hostname,
  NODE_OPTIONS: process.env.NODE_OPTIONS ?? `--max-old-space-size=${SERVER_HEAP_MB}`,
};
const server = spawn(process.execPath, [path.join(root, 'scripts', 'server.mjs')], { cwd: root, stdio: 'inherit', env: serverEnv });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));

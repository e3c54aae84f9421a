#!/usr/bin/env node
// The production server (`npm start` runs it through scripts/start.mjs; the end-to-end tests
// too): Next's documented custom server, for one thing `next start` cannot do. `next start`
// only fills X-Forwarded-For from the socket when the client sent none, so a route handler
// cannot tell a client's own claim from the real peer address. Here every request carries the
// socket's address in a header whose name is random per process (a client cannot forge it),
// and lib/api/rate-limit.ts believes X-Forwarded-For only from TAGSCOPE_TRUSTED_PROXIES.
// Needs a production build (`next build`). PORT (default 3000) and HOSTNAME choose where it listens.

import { randomBytes } from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import next from 'next';

const root = path.resolve(import.meta.dirname, '..');
const port = Number(process.env.PORT ?? 3000);
const hostname = process.env.HOSTNAME ?? '0.0.0.0';
process.env.NEXT_TELEMETRY_DISABLED ??= '1';
process.env.NODE_ENV ??= 'production';

function fail(message) {
  console.error(`tagscope: ${message}`);
  process.exit(1);
}

if (!Number.isInteger(port) || port < 1 || port > 65535) fail(`PORT=${process.env.PORT} is not a port number (1-65535)`);

// Read by lib/env.ts (`peerHeader`), in this same process, before any request arrives.
const peerHeader = `x-tagscope-peer-${randomBytes(8).toString('hex')}`;
process.env.TAGSCOPE_PEER_HEADER = peerHeader;

const app = next({ dev: false, dir: root, hostname, port });
const handle = app.getRequestHandler();
await app.prepare();

const server = http.createServer((request, response) => {
  request.headers[peerHeader] = request.socket.remoteAddress ?? '';
  handle(request, response).catch((error) => {
    console.error(`tagscope: ${request.method} ${request.url} failed: ${error?.stack ?? error}`);
    if (!response.headersSent) response.statusCode = 500;
    response.end();
  });
});
server.once('error', (error) => {
  if (error.code === 'EADDRINUSE') fail(`port ${port} is already in use: stop what listens there or set PORT to another port`);
  if (error.code === 'EACCES') fail(`port ${port} needs more privileges: set PORT to a port above 1023`);
  fail(`cannot listen on ${hostname}:${port}: ${error.message}`);
});
server.listen(port, hostname, () => {
  const shown = hostname === '0.0.0.0' || hostname === '::' ? 'localhost' : hostname;
  console.log(`tagscope: serving on http://${shown}:${port}`);
});

// TAGSCOPE_CPU_PROFILE=<file>: a CPU profile of the server until it stops, for finding where
// time goes (docs/performance.md); Node refuses --cpu-prof in NODE_OPTIONS.
const profile = process.env.TAGSCOPE_CPU_PROFILE ? await startProfile() : null;

for (const signal of ['SIGINT', 'SIGTERM']) {
  process.once(signal, async () => {
    server.close();
    if (profile) await profile();
    process.exit(0);
  });
}

async function startProfile() {
  const { Session } = await import('node:inspector/promises');
  const { writeFile } = await import('node:fs/promises');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  await session.post('Profiler.start');
  return async () => {
    const { profile: taken } = await session.post('Profiler.stop');
    await writeFile(process.env.TAGSCOPE_CPU_PROFILE, JSON.stringify(taken));
  };
}

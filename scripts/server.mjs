#!/usr/bin/env node
// The production server (`npm start` runs it through scripts/start.mjs; the end-to-end tests
// too): Next's documented custom server, for two things `next start` cannot do. `next start`
// only fills X-Forwarded-For from the socket when the client sent none, so a route handler
// cannot tell a client's own claim from the real peer address. Here every request carries the
// socket's address in a header whose name is random per process (a client cannot forge it),
// and lib/api/rate-limit.ts believes X-Forwarded-For only from TAGSCOPE_TRUSTED_PROXIES.
// And a page cannot answer with its own status (a 404 for an unknown tag) and still render its
// own markup: each request gets an id in a second such header, and a page hands its status to
// a hook here with that id (lib/api/page-status.ts), before its first byte is sent.
// And the NDJSON streams are compressed here (scripts/ndjson-compression.mjs says why not in Next).
// Needs a production build (`next build`). PORT (default 3000) and HOSTNAME choose where it listens.

import { randomBytes } from 'node:crypto';
import http from 'node:http';
import path from 'node:path';
import next from 'next';
import { compressNdjson } from './ndjson-compression.mjs';

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

// Read by lib/server/env.ts (`peerHeader`, `statusHeader`), in this same process, before any request arrives.
const peerHeader = `x-tagscope-peer-${randomBytes(8).toString('hex')}`;
process.env.TAGSCOPE_PEER_HEADER = peerHeader;
const statusHeader = `x-tagscope-request-${randomBytes(8).toString('hex')}`;
process.env.TAGSCOPE_STATUS_HEADER = statusHeader;

// The responses still open, by request id, and the hook lib/api/page-status.ts calls: a page's
// status is set only while nothing of its response has been sent.
const open = new Map();
let lastId = 0;
globalThis[Symbol.for('tagscope.pageStatus')] = (id, status) => {
  const response = open.get(id);
  if (response && !response.headersSent) response.statusCode = status;
};

const app = next({ dev: false, dir: root, hostname, port });
const handle = app.getRequestHandler();
await app.prepare();

const server = http.createServer((request, response) => {
  request.headers[peerHeader] = request.socket.remoteAddress ?? '';
  const id = String(++lastId);
  request.headers[statusHeader] = id;
  open.set(id, response);
  response.once('close', () => open.delete(id));
  compressNdjson(request, response);
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
    // Tag history (lib/history/runtime.ts) writes the sightings still in memory and closes its database.
    const history = globalThis[Symbol.for('tagscope.history')];
    await Promise.race([history?.stop?.().catch(() => {}), new Promise((resolve) => setTimeout(resolve, 5_000).unref())]);
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

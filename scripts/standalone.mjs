#!/usr/bin/env node
// Completes the standalone output of `next build` (`output: 'standalone'` in next.config.js)
// into a folder that runs alone with `node server.js`: `npm run build` runs it after
// `next build`. Next traces the server's files into .next/standalone but leaves three things to
// the deployer (https://nextjs.org/docs/app/api-reference/config/next-config-js/output):
// public/ and .next/static, which its server serves from the folder but does not copy, and a
// custom server, which it does not trace. So this copies those in, and replaces Next's
// server.js with scripts/standalone-server.mjs, which runs scripts/server.mjs. It runs after
// `next build` rather than inside it because `next build` deletes and rewrites the folder as its
// last step, after every hook next.config.js can name (next/dist/build/index.js).
// Then the folder must hold exactly scripts/standalone-entries.mjs' list: an entry Next adds
// (a copied .env file, say) stops it here instead of going into an image unnoticed.

import { existsSync } from 'node:fs';
import { cp, mkdir, readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { STANDALONE_DIR, STANDALONE_ENTRIES } from './standalone-entries.mjs';

const root = path.resolve(import.meta.dirname, '..');
const folder = path.join(root, STANDALONE_DIR);

function fail(message) {
  console.error(`standalone: ${message}`);
  process.exit(1);
}

if (!existsSync(path.join(folder, '.next', 'BUILD_ID'))) {
  fail(`no standalone build in ${STANDALONE_DIR}: run "next build" first (next.config.js must keep output: 'standalone')`);
}

/** [from the checkout, to the folder]; what is there already is replaced, so it can run again. */
const copies = [
  ['scripts/standalone-server.mjs', 'server.js'],
  ['scripts/server.mjs', 'scripts/server.mjs'],
  ['scripts/ndjson-compression.mjs', 'scripts/ndjson-compression.mjs'],
  ['public', 'public'],
  ['.next/static', '.next/static'],
];
// Traced by Turbopack (next 16.4.6: into the instrumentation hook's trace, which
// outputFileTracingExcludes does not reach) though the server never reads it.
const untraced = ['tsconfig.json'];
for (const entry of untraced) await rm(path.join(folder, entry), { force: true });

for (const [from, to] of copies) {
  const target = path.join(folder, to);
  await rm(target, { recursive: true, force: true });
  await mkdir(path.dirname(target), { recursive: true });
  await cp(path.join(root, from), target, { recursive: true });
}

const present = await readdir(folder);
const unexpected = present.filter((entry) => !STANDALONE_ENTRIES.includes(entry));
const missing = STANDALONE_ENTRIES.filter((entry) => !present.includes(entry));
if (unexpected.length || missing.length) {
  fail(
    `${STANDALONE_DIR} should hold exactly ${STANDALONE_ENTRIES.join(', ')}` +
      (unexpected.length ? `; it also holds ${unexpected.join(', ')}` : '') +
      (missing.length ? `; it lacks ${missing.join(', ')}` : '') +
      ' (scripts/standalone-entries.mjs lists them)',
  );
}
console.log(`standalone: ${STANDALONE_DIR} is complete: cd there and run "node server.js"`);

// What a standalone build folder (.next/standalone after `npm run build`) holds, and nothing
// else: scripts/standalone.mjs checks the folder against it, the Dockerfile's runtime stage
// copies exactly these, and tests/integration/standalone.test.ts serves a copy of only these.

/** The folder `next build` writes with `output: 'standalone'`, relative to the checkout. */
export const STANDALONE_DIR = '.next/standalone';

/** Its top-level entries once scripts/standalone.mjs has completed it. */
export const STANDALONE_ENTRIES = [
  'server.js', // scripts/standalone-server.mjs: our server, in place of Next's
  'scripts', // scripts/server.mjs and what it imports
  'package.json', // Next's copy: "type": "module" makes server.js an ES module
  'node_modules', // the files the server uses, traced by Next
  '.next', // the build, with .next/static copied in
  'public',
];

// The standalone folder's server.js (scripts/standalone.mjs puts it there, in place of the one
// `next build` writes): our production server, scripts/server.mjs, run from a folder with no
// source tree. Next's generated server.js would start Next's own HTTP server, without the peer
// and page-status headers and the NDJSON compression scripts/server.mjs adds.
// `node server.js` in the folder; PORT (default 3000) and HOSTNAME (default all interfaces).

import { readFileSync } from 'node:fs';

// There is no next.config.js here: as Next's generated server.js does, hand Next the resolved
// configuration `next build` used (its copy in required-server-files.json), which also keeps it
// from loading build-only modules the trace left out (next/dist/server/config.js).
const { config } = JSON.parse(readFileSync(new URL('./.next/required-server-files.json', import.meta.url), 'utf8'));
process.env.__NEXT_PRIVATE_STANDALONE_CONFIG = JSON.stringify(config);
// Relative paths (the disk cache's default .data/cache) are the folder's, wherever it is started
// from, as with Next's generated server.js.
process.chdir(import.meta.dirname);

await import('./scripts/server.mjs');

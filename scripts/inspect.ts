// `npm run inspect -- <reference>`: prints what the registry client resolves for a reference —
// index digest, media type, each platform's digest, size, compressed size and image ID — for
// people debugging a registry. Reads the same environment as the server (README).

import { clientFromEnvironment } from '../lib/registry/environment';
import { describeMediaType, isRegistryError, parseReference, type RequestEvent } from '../lib/registry';

const input = process.argv.slice(2).find((arg) => !arg.startsWith('-'));
if (!input) {
  console.error('usage: npm run inspect -- <reference>   e.g. npm run inspect -- alpine:3.20');
  process.exit(2);
}

const requests: RequestEvent[] = [];
try {
  const reference = parseReference(input);
  const client = clientFromEnvironment(process.env, { onRequest: (event) => requests.push(event) });
  const resolved = await client.resolve(reference);
  const table = resolved.platforms.map((p) => ({
    platform: p.platform,
    digest: p.digest,
    size: p.size,
    compressed: p.compressedSize,
    'image ID': p.configDigest,
  }));
  console.log(`reference   ${reference.canonical}${reference.tag || reference.digest ? '' : ':latest (no tag given)'}`);
  console.log(`digest      ${resolved.digest}   (what docker pull prints)`);
  console.log(`media type  ${resolved.mediaType} (${describeMediaType(resolved.mediaType)}), ${resolved.size} bytes`);
  if (resolved.artifactType) console.log(`artifact    ${resolved.artifactType}`);
  console.table(table);
  for (const a of resolved.attestations) console.log(`attestation ${a.digest} (${a.type}) for ${a.for ?? '?'}`);
  for (const e of resolved.errors) console.log(`error       ${e.digest}: ${e.error.code} ${e.error.message}`);
  console.log(`requests    ${requests.length} (${requests.map((r) => `${r.method} ${r.kind} ${r.status ?? 'failed'}`).join(', ')})`);
} catch (error) {
  if (!isRegistryError(error)) throw error;
  console.error(`${error.code}: ${error.message}`);
  process.exit(1);
}

// What the tag-history integration tests share: moving a tag in a harness registry as
// `docker tag` + `docker push` would, and waiting for history, which is written moments after
// what it records, off the view's path.
import { createHash } from 'node:crypto';
import type { Pusher } from './harness/pusher';

const ACCEPT = [
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
].join(', ');

/** Points `tag` at what `source` points at in the registry at `registryUrl`; the new digest. */
export async function retag(pusher: Pusher, registryUrl: string, repoPath: string, tag: string, source: string): Promise<string> {
  const response = await fetch(`${registryUrl}/v2/${repoPath}/manifests/${source}`, { headers: { accept: ACCEPT } });
  const bytes = Buffer.from(await response.arrayBuffer());
  const digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  await pusher.pushManifest(repoPath, tag, { bytes, digest, size: bytes.length, mediaType: response.headers.get('content-type')! });
  return digest;
}

/** Reads until `check` holds or `timeoutMs` passes; the last value read. */
export async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (check(value) || Date.now() > until) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

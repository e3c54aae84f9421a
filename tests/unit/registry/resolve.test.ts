// One implementation of "digest → platform table" (lib/registry/resolve.ts), for the registry
// client and the app's groups alike: each kind of manifest, and each way a part can fail.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { RegistryError } from '@/lib/registry/errors';
import { parseImageConfig, type ImageConfig } from '@/lib/registry/image-config';
import type { FetchedChild } from '@/lib/registry/index-walk';
import { parseManifest } from '@/lib/registry/manifest';
import { resolveImage, type ImageSource } from '@/lib/registry/resolve';

const sha = (text: string) => `sha256:${createHash('sha256').update(text).digest('hex')}`;
const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';

/** An in-memory registry: documents by digest, and digests that fail with a given error. */
function source(documents: string[], failing: Record<string, RegistryError> = {}): ImageSource & { get(digest: string): FetchedChild } {
  const byDigest = new Map(documents.map((text) => [sha(text), text]));
  const get = (digest: string): FetchedChild => {
    const text = byDigest.get(digest);
    if (!text) throw new RegistryError('MANIFEST_UNKNOWN', `${digest} was not found`);
    const manifest = parseManifest(Buffer.from(text));
    return { digest, mediaType: manifest.mediaType, size: Buffer.byteLength(text), manifest };
  };
  return {
    get,
    manifest: async (digest) => {
      if (failing[digest]) throw failing[digest];
      return get(digest);
    },
    config: async (descriptor): Promise<ImageConfig> => {
      if (failing[descriptor.digest]) throw failing[descriptor.digest];
      const text = byDigest.get(descriptor.digest);
      if (!text) throw new RegistryError('BLOB_UNKNOWN', `${descriptor.digest} was not found`);
      return parseImageConfig(Buffer.from(text), descriptor.digest);
    },
  };
}

const config = (architecture: string, created: string) => JSON.stringify({ architecture, os: 'linux', created, rootfs: { type: 'layers', diff_ids: [] } });
const image = (configText: string) =>
  JSON.stringify({
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: { mediaType: OCI_CONFIG, digest: sha(configText), size: Buffer.byteLength(configText) },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: sha(`layer ${configText}`), size: 1234 }],
  });
const amd64Config = config('amd64', '2024-01-01T00:00:00Z');
const arm64Config = config('arm64', '2024-02-01T00:00:00Z');
const amd64 = image(amd64Config);
const arm64 = image(arm64Config);
const index = JSON.stringify({
  schemaVersion: 2,
  mediaType: OCI_INDEX,
  manifests: [
    { mediaType: OCI_MANIFEST, digest: sha(amd64), size: Buffer.byteLength(amd64), platform: { os: 'linux', architecture: 'amd64' } },
    { mediaType: OCI_MANIFEST, digest: sha(arm64), size: Buffer.byteLength(arm64), platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
  ],
});
const schema1 = JSON.stringify({ schemaVersion: 1, name: 'library/old', tag: 'latest', architecture: 'arm', fsLayers: [{ blobSum: sha('l') }], history: [] });
const artifact = JSON.stringify({
  schemaVersion: 2,
  mediaType: OCI_MANIFEST,
  artifactType: 'application/vnd.example.notes',
  config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: sha('{}'), size: 2 },
  layers: [],
});
const all = [amd64Config, arm64Config, amd64, arm64, index, schema1, artifact];

describe('resolveImage', () => {
  it('an index: every platform with its digest, compressed size and image ID; no configs read', async () => {
    const s = source(all);
    const resolved = await resolveImage(s.get(sha(index)), s);
    expect(resolved).toMatchObject({ kind: 'index', digest: sha(index), errors: [] });
    expect(resolved.platforms.map((p) => [p.platform, p.digest, p.compressedSize, p.configDigest])).toEqual([
      ['linux/amd64', sha(amd64), 1234, sha(amd64Config)],
      ['linux/arm64/v8', sha(arm64), 1234, sha(arm64Config)],
    ]);
    expect(resolved.created).toBeUndefined();
  });

  it('an index with dates: each platform\'s created, the newest for the image', async () => {
    const s = source(all);
    const resolved = await resolveImage(s.get(sha(index)), s, { withCreated: true });
    expect(resolved.platforms.map((p) => p.created)).toEqual(['2024-01-01T00:00:00Z', '2024-02-01T00:00:00Z']);
    expect(resolved.created).toBe('2024-02-01T00:00:00Z');
  });

  it('an index whose platform manifest fails: the rest stands, the failure names the platform', async () => {
    const s = source(all, { [sha(arm64)]: new RegistryError('DIGEST_MISMATCH', 'bytes differ') });
    const resolved = await resolveImage(s.get(sha(index)), s);
    expect(resolved.platforms.map((p) => p.platform)).toEqual(['linux/amd64']);
    expect(resolved.errors.map((e) => [e.digest, e.error.code, e.error.message])).toEqual([[sha(arm64), 'DIGEST_MISMATCH', 'platform linux/arm64/v8: bytes differ']]);
  });

  it('an index with dates whose config fails: the platform stands without a date, the failure is said', async () => {
    const s = source(all, { [sha(arm64Config)]: new RegistryError('BLOB_UNKNOWN', 'gone') });
    const resolved = await resolveImage(s.get(sha(index)), s, { withCreated: true });
    expect(resolved.platforms.map((p) => p.created)).toEqual(['2024-01-01T00:00:00Z', null]);
    expect(resolved.errors.map((e) => [e.digest, e.error.code])).toEqual([[sha(arm64Config), 'BLOB_UNKNOWN']]);
  });

  it('a single manifest: its platform and date from its config', async () => {
    const s = source(all);
    const resolved = await resolveImage(s.get(sha(amd64)), s);
    expect(resolved).toMatchObject({ kind: 'manifest', created: '2024-01-01T00:00:00Z', errors: [] });
    expect(resolved.platforms).toEqual([expect.objectContaining({ platform: 'linux/amd64', digest: sha(amd64), configDigest: sha(amd64Config), created: '2024-01-01T00:00:00Z' })]);
  });

  it('a single manifest whose config fails: platform unknown, the failure said', async () => {
    const s = source(all, { [sha(amd64Config)]: new RegistryError('ADDRESS_NOT_ALLOWED', 'refused') });
    const resolved = await resolveImage(s.get(sha(amd64)), s);
    expect(resolved.platforms.map((p) => [p.platform, p.digest])).toEqual([['unknown', sha(amd64)]]);
    expect(resolved.errors.map((e) => [e.digest, e.error.code, e.error.message])).toEqual([[sha(amd64Config), 'ADDRESS_NOT_ALLOWED', `image config ${sha(amd64Config)}: refused`]]);
  });

  it('a schema 1 manifest: linux and its architecture, no image ID', async () => {
    const s = source(all);
    const resolved = await resolveImage(s.get(sha(schema1)), s);
    expect(resolved).toMatchObject({ kind: 'schema1', artifactType: null });
    expect(resolved.platforms).toEqual([expect.objectContaining({ platform: 'linux/arm', configDigest: null, compressedSize: null })]);
  });

  it('an artifact: its artifactType, no platforms', async () => {
    const s = source(all);
    expect(await resolveImage(s.get(sha(artifact)), s)).toMatchObject({ kind: 'artifact', artifactType: 'application/vnd.example.notes', platforms: [] });
  });

  it('the caller\'s cancellation ends the walk instead of becoming a platform\'s problem', async () => {
    const stop = new AbortController();
    const reason = new RegistryError('TIMEOUT', 'the view stopped');
    stop.abort(reason);
    const s = source(all, { [sha(arm64)]: reason });
    await expect(resolveImage(s.get(sha(index)), s, { signal: stop.signal })).rejects.toBe(reason);
  });
});

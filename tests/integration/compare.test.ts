// Comparing images across registries, with the same image pushed in Docker form to one
// harness registry and in OCI form to another, a rebuild and a recompression.
import { describe, expect, inject, it } from 'vitest';
import { Cache } from '@/lib/cache/cache';
import { referenceParameter } from '@/lib/api/schemas';
import { compareImages } from '@/lib/data/compare';
import { CredentialStore, parseReference, RegistryClient } from '@/lib/registry';
import { RegistryService } from '@/lib/data/service';
import { insecureRegistries } from '../support/harness';

const harness = inject('harness');
const service = new RegistryService(
  new RegistryClient({ insecureRegistries: insecureRegistries(harness).split(','), credentials: new CredentialStore() }),
  new Cache(60_000),
);
const docker = harness.truth.compareDocker.repository;
const oci = harness.truth.compareOci.repository;
const compare = (a: string, b: string) => compareImages(parseReference(a), parseReference(b), service);

describe('compareImages', () => {
  it('Docker list in one registry vs OCI index in another: the same image, other digests, and why', async () => {
    const result = await compare(`${docker}:1.0`, `${oci}:1.0`);
    expect(result.a).toEqual({ reference: `${docker}:1.0`, digest: harness.truth.compareDocker.tags['1.0']!.digest, mediaType: 'application/vnd.docker.distribution.manifest.list.v2+json' });
    expect(result.sameIndexDigest).toBe(false);
    expect(result.verdict).toBe('same-image');
    expect(result.platforms.map((p) => [p.platform, p.samePlatformDigest, p.sameImageId, p.sameDiffIds, p.sameCompressedLayers])).toEqual([
      ['linux/amd64', false, true, true, true],
      ['linux/arm64/v8', false, true, true, true],
    ]);
    expect(result.platforms[0]!.reason).toContain('Docker v2 vs OCI media types');
    expect(result.reason).toContain('same image ID');
  });

  it('a rebuild: the same filesystem, another image ID', async () => {
    const result = await compare(`${oci}:1.0`, `${oci}:1.0-rebuilt`);
    expect(result.verdict).toBe('same-filesystem');
    expect(result.platforms.every((p) => p.sameDiffIds && !p.sameImageId && p.sameCompressedLayers)).toBe(true);
    expect(result.platforms[0]!.reason).toContain('a rebuild');
  });

  it('a recompression: the same image ID, other compressed layers', async () => {
    const result = await compare(`${oci}:1.0`, `${oci}:1.0-recompressed`);
    expect(result.verdict).toBe('same-image');
    expect(result.platforms.every((p) => p.sameImageId && p.sameDiffIds && !p.sameCompressedLayers)).toBe(true);
    expect(result.platforms[0]!.reason).toContain('recompressed');
  });

  it('a tag and its digest: identical', async () => {
    const digest = harness.truth.compareOci.tags['1.0']!.digest;
    const result = await compare(`${oci}:1.0`, `${oci}@${digest}`);
    expect(result).toMatchObject({ sameIndexDigest: true, verdict: 'identical' });
    expect(result.platforms.every((p) => p.samePlatformDigest)).toBe(true);
  });

  it('two tags sharing some platforms: different, with the platforms only one has', async () => {
    const demo = harness.truth.demo.repository;
    const result = await compare(`${demo}:3.13`, `${demo}:latest`);
    expect(result.verdict).toBe('different');
    const byPlatform = Object.fromEntries(result.platforms.map((p) => [p.platform, p]));
    expect(byPlatform['linux/amd64']!.samePlatformDigest).toBe(true);
    expect(byPlatform['linux/arm/v7']!.samePlatformDigest).toBe(false);
    expect(byPlatform['linux/s390x']!.reason).toBe('only in b');
    expect(result.reason).toContain('linux/s390x (only in b)');
  });

  it('names the side whose reference is invalid', () => {
    expect(() => referenceParameter('b', 'Not/Valid')).toThrow(expect.objectContaining({ code: 'INVALID_REFERENCE', details: { parameter: 'b' } }));
  });
});

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { manifestDigest, parseManifest, schema1Payload, schema1PayloadDigest } from '@/lib/registry/manifest';
import { describeMediaType, isIndex, isImageManifest, isSchema1, MediaType } from '@/lib/registry/media-types';

const dir = path.resolve(import.meta.dirname, '../../fixtures/manifests');
const fixtures = (JSON.parse(readFileSync(path.join(dir, 'index.json'), 'utf8')) as {
  files: { file: string; mediaType: string; sha256: string; size: number }[];
}).files;
const read = (file: string) => readFileSync(path.join(dir, file));

describe('real upstream manifests', () => {
  it.each(fixtures.filter((f) => !f.file.includes('schema1')))('$file hashes to its recorded digest and parses as its media type', (fixture) => {
    const bytes = read(fixture.file);
    expect(bytes.length).toBe(fixture.size);
    expect(manifestDigest(bytes, fixture.mediaType)).toBe(fixture.sha256);
    expect(parseManifest(bytes).mediaType).toBe(fixture.mediaType);
  });

  it('a signed schema1 manifest is identified by its JWS payload, not its bytes (moby fixture)', () => {
    const bytes = read('docker-schema1-signed-moby-fixture.json');
    expect(schema1PayloadDigest(bytes)).toBe('sha256:02fee8c3220ba806531f606525eceb83f4feb654f62b207191b1c9209188dedd');
    expect(manifestDigest(bytes, MediaType.DockerSchema1Signed)).toBe('sha256:02fee8c3220ba806531f606525eceb83f4feb654f62b207191b1c9209188dedd');
    const parsed = parseManifest(bytes);
    expect(parsed).toMatchObject({ kind: 'schema1', mediaType: MediaType.DockerSchema1Signed, architecture: 'amd64' });
  });

  it('keeps BuildKit attestation manifests apart from platforms', () => {
    const parsed = parseManifest(read('oci-index-with-attestation-buildkit-doc.json'));
    if (parsed.kind !== 'index') throw new Error('expected an index');
    expect(parsed.manifests.map((m) => m.platformText)).toEqual(['linux/amd64']);
    expect(parsed.attestations).toEqual([
      expect.objectContaining({
        type: 'attestation-manifest',
        for: 'sha256:23678f31b3b3586c4fb318aecfe64a96a1f0916ba8faf9b2be2abee63fa9e827',
      }),
    ]);
  });

  it('treats every unknown/unknown reference manifest as a non-platform (regclient "builder" type)', () => {
    const parsed = parseManifest(read('oci-index-with-reference-annotations-regclient.json'));
    if (parsed.kind !== 'index') throw new Error('expected an index');
    expect(parsed.manifests.map((m) => m.platformText)).toEqual(['linux/amd64', 'linux/arm64']);
    expect(parsed.attestations.map((a) => a.type)).toEqual(['builder', 'builder']);
    expect(parsed.annotations).toEqual({ 'org.example.version': 'v1' });
  });

  it('reads a Docker image manifest with its config and compressed size', () => {
    const parsed = parseManifest(read('docker-schema2-distribution-doc.json'));
    if (parsed.kind !== 'image') throw new Error('expected an image');
    expect(parsed.config.mediaType).toBe(MediaType.DockerConfig);
    expect(parsed.compressedSize).toBe(parsed.layers.reduce((sum, l) => sum + l.size, 0));
    expect(parsed.layers).toHaveLength(3);
  });

  it('recognizes an artifact with a subject (not an image)', () => {
    const parsed = parseManifest(read('oci-artifact-sbom-with-subject-regclient.json'));
    expect(parsed.kind).toBe('artifact');
    if (parsed.kind !== 'artifact') return;
    expect(parsed.artifactType).not.toBeNull();
    expect(parsed.subject?.digest).toMatch(/^sha256:/);
  });

  it('keeps a nested index entry without a platform as an entry to follow', () => {
    const parsed = parseManifest(read('oci-index-mixed-media-types-image-spec-doc.json'));
    if (parsed.kind !== 'index') throw new Error('expected an index');
    expect(parsed.manifests.map((m) => [m.descriptor.mediaType, m.platformText])).toEqual([
      [MediaType.OciManifest, 'linux/ppc64le'],
      [MediaType.OciIndex, null],
    ]);
  });
});

describe('parseManifest on bad input', () => {
  it.each([
    ['not JSON', '{', 'it is not JSON'],
    ['an index whose entry has no digest', JSON.stringify({ schemaVersion: 2, mediaType: MediaType.OciIndex, manifests: [{ mediaType: 'x', size: 1 }] }), 'manifests.0.digest'],
    ['a manifest with a negative size', JSON.stringify({ schemaVersion: 2, mediaType: MediaType.OciManifest, config: { mediaType: MediaType.OciConfig, digest: `sha256:${'a'.repeat(64)}`, size: -1 }, layers: [] }), 'config.size'],
  ])('%s → UPSTREAM error', (_, text, reason) => {
    expect(() => parseManifest(Buffer.from(text))).toThrow(reason);
  });

  it('falls back to Content-Type, then to the shape, when the body names no media type', () => {
    const body = Buffer.from(JSON.stringify({ schemaVersion: 2, manifests: [] }));
    expect(parseManifest(body, `${MediaType.DockerManifestList}; charset=utf-8`).mediaType).toBe(MediaType.DockerManifestList);
    expect(parseManifest(body, 'application/json').mediaType).toBe(MediaType.OciIndex);
  });
});

describe('media type predicates', () => {
  it.each([
    [MediaType.OciIndex, true, false, false, 'OCI index'],
    [MediaType.DockerManifestList, true, false, false, 'Docker manifest list'],
    [MediaType.OciManifest, false, true, false, 'OCI manifest'],
    [MediaType.DockerManifest, false, true, false, 'Docker manifest (v2 schema 2)'],
    [MediaType.DockerSchema1Signed, false, false, true, 'Docker schema 1 (legacy)'],
    ['application/vnd.example+json', false, false, false, 'application/vnd.example+json'],
  ])('%s', (mediaType, index, image, schema1, words) => {
    expect([isIndex(mediaType), isImageManifest(mediaType), isSchema1(mediaType), describeMediaType(mediaType)]).toEqual([index, image, schema1, words]);
  });
});

describe('signed schema 1: the payload is believed only when it is the body without its signatures (libtrust)', () => {
  const genuine = read('docker-schema1-signed-moby-fixture.json');
  const formatLength = 3197;
  const head = genuine.subarray(0, formatLength);
  const signatures = genuine.subarray(formatLength); // `,\n   "signatures": [ … ]\n}`
  const protectedOf = (header: object) => Buffer.from(JSON.stringify(header)).toString('base64url');
  const withProtected = (body: Buffer, header: object) => {
    const text = body.toString('utf8');
    const original = /"protected": "([^"]+)"/.exec(text)![1]!;
    return Buffer.from(text.replace(original, protectedOf(header)));
  };
  const cases: { name: string; body: Buffer; payload: boolean }[] = [
    { name: 'the genuine moby fixture', body: genuine, payload: true },
    { name: 'fields added between the payload and the signatures (a later key wins in JSON)', body: Buffer.concat([head, Buffer.from(',\n   "architecture": "evil"'), signatures]), payload: false },
    { name: 'bytes after the tail', body: Buffer.concat([genuine, Buffer.from('\n')]), payload: false },
    { name: 'a formatLength that cuts inside the document', body: withProtected(genuine, { formatLength: 100, formatTail: 'Cn0' }), payload: false },
    { name: 'a formatLength past the end', body: withProtected(genuine, { formatLength: 99_999, formatTail: 'Cn0' }), payload: false },
    { name: 'a tail that is not the body\'s', body: withProtected(genuine, { formatLength, formatTail: Buffer.from(']}').toString('base64url') }), payload: false },
    { name: 'no formatTail', body: withProtected(genuine, { formatLength }), payload: false },
    { name: 'no signatures block', body: Buffer.concat([head, Buffer.from('\n}')]), payload: false },
  ];

  it.each(cases)('$name', ({ body, payload }) => {
    const result = schema1Payload(body);
    if (payload) {
      expect(`sha256:${createHash('sha256').update(result!).digest('hex')}`).toBe('sha256:02fee8c3220ba806531f606525eceb83f4feb654f62b207191b1c9209188dedd');
      expect(result!.toString('utf8')).toBe(`${head.toString('utf8')}\n}`);
    } else {
      expect(result).toBeNull();
      // Identified by the bytes received, never by the header's claim.
      expect(manifestDigest(body, MediaType.DockerSchema1Signed)).toBe(`sha256:${createHash('sha256').update(body).digest('hex')}`);
    }
  });

  it('the spoof is read from its body, the genuine manifest from its payload', () => {
    const spoof = Buffer.concat([head, Buffer.from(',\n   "architecture": "evil"'), signatures]);
    expect(parseManifest(spoof)).toMatchObject({ kind: 'schema1', architecture: 'evil' });
    expect(parseManifest(genuine)).toMatchObject({ kind: 'schema1', architecture: 'amd64' });
  });
});

import { describe, expect, it } from 'vitest';
import { describeGroupKind, formatCreated, shortDigest } from '@/lib/format';
import { MediaType } from '@/lib/registry/media-types';

describe('describeGroupKind: one vocabulary for what a group is', () => {
  it.each([
    ['index', MediaType.OciIndex, null, 'OCI index'],
    ['index', MediaType.DockerManifestList, null, 'Docker manifest list'],
    ['manifest', MediaType.OciManifest, null, 'Single OCI manifest'],
    ['manifest', MediaType.DockerManifest, null, 'Single Docker manifest (v2 schema 2)'],
    ['schema1', MediaType.DockerSchema1Signed, null, 'Docker schema 1 (legacy)'],
    ['artifact', MediaType.OciManifest, 'application/vnd.dev.cosign.artifact.sig.v1+json', 'Artifact (application/vnd.dev.cosign.artifact.sig.v1+json)'],
    ['artifact', MediaType.OciManifest, null, 'Artifact'],
    ['manifest', null, null, 'Single manifest'],
    ['index', null, null, 'Index'],
  ] as const)('%s of %s (%s): "%s"', (kind, mediaType, artifactType, words) => {
    expect(describeGroupKind({ kind, mediaType, artifactType })).toBe(words);
  });
});

describe('formatCreated and shortDigest', () => {
  it.each([
    ['2024-01-31T12:34:56.789Z', '2024-01-31 12:34 UTC'],
    ['2024-01-31T13:34:56+01:00', '2024-01-31 12:34 UTC'],
    ['not a date', 'not a date'],
    [null, '—'],
  ])('formatCreated(%s) = %s', (created, shown) => {
    expect(formatCreated(created)).toBe(shown);
  });

  it('keeps the algorithm and 12 hex characters', () => {
    expect(shortDigest(`sha256:0123456789abcdef${'0'.repeat(48)}`)).toBe('sha256:0123456789ab');
  });
});

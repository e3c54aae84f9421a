import { describe, expect, it } from 'vitest';
import { describeGroupKind, formatCreated, formatRelative, shortDigest } from '@/lib/common/format';
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

describe('formatRelative: dates as Docker Hub’s tag list shows them', () => {
  const now = Date.parse('2026-11-29T12:00:00Z');
  it.each([
    ['2026-11-29T11:59:30Z', 'just now'],
    ['2026-11-29T11:15:00Z', '45 minutes ago'],
    ['2026-11-29T09:00:00Z', '3 hours ago'],
    ['2026-11-28T09:00:00Z', 'yesterday'],
    ['2026-11-26T12:00:00Z', '3 days ago'],
    ['2026-11-10T12:00:00Z', '2 weeks ago'],
    ['2026-09-01T12:00:00Z', '2 months ago'],
    ['2025-06-01T12:00:00Z', 'last year'],
    ['2019-01-01T00:00:00Z', '7 years ago'],
    ['2026-11-29T15:00:00Z', 'in 3 hours'],
  ])('%s → %s', (date, shown) => {
    expect(formatRelative(date, now)).toBe(shown);
  });
  it('gives null for text that is not a date', () => {
    expect(formatRelative('yesterday-ish', now)).toBeNull();
  });
});

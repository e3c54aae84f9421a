// The seeder's truth in the API's shapes, so tests compare the product with what was pushed.
import type { Group } from '../../lib/api/types';
import type { HubTag } from './harness/hub';
import type { Truth } from './harness/seed';

export interface ComparableGroup {
  digest: string;
  mediaType: string | null;
  kind: string;
  size: number | null;
  tags: string[];
  platforms: {
    platform: string;
    os: string;
    architecture: string;
    variant: string | null;
    digest: string;
    mediaType: string | null;
    size: number | null;
    compressedSize: number | null;
    configDigest: string | null;
  }[];
  attestations: { digest: string; for: string | null; type: string }[];
  signatures: { tag: string; digest: string }[];
  artifactType: string | null;
}

/** Every group the truth implies, with signatures folded into their subject's group. */
export function expectedGroups(truth: Truth): ComparableGroup[] {
  const groups = truth.groups.map(({ digest, tags }) => {
    const t = truth.tags[tags[0]!]!;
    const subjects = [digest, ...t.platforms.map((p) => p.digest)].map((d) => d.replace(':', '-'));
    const signatures = Object.entries(truth.tags)
      .filter(([tag, s]) => s.kind === 'signature' && subjects.some((subject) => tag.startsWith(subject)))
      .map(([tag, s]) => ({ tag, digest: s.digest }));
    return {
      digest,
      mediaType: t.mediaType,
      kind: t.kind,
      size: t.size,
      tags: [...tags].sort(),
      platforms: t.platforms.map(({ platform, os, architecture, variant, digest: d, mediaType, size, compressedSize, configDigest }) => ({
        platform,
        os,
        architecture,
        variant,
        digest: d,
        mediaType,
        size,
        compressedSize,
        configDigest,
      })),
      attestations: t.attestations.map((a) => ({ ...a, type: 'attestation-manifest' })),
      signatures,
      artifactType: t.artifactType ?? null,
    };
  });
  return groups.sort((a, b) => a.tags[0]!.localeCompare(b.tags[0]!));
}

/** An API group list reduced to the fields the truth knows, in the same order. */
export function comparableGroups(groups: Group[]): ComparableGroup[] {
  return groups
    .map((g) => ({
      digest: g.digest,
      mediaType: g.mediaType,
      kind: g.kind,
      size: g.size,
      tags: [...g.tags].sort(),
      platforms: g.platforms.map(({ osVersion: _osVersion, created: _created, lastPushed: _lastPushed, lastPulled: _lastPulled, ...p }) => p),
      attestations: g.attestations,
      signatures: g.signatures,
      artifactType: g.artifactType,
    }))
    .sort((a, b) => a.tags[0]!.localeCompare(b.tags[0]!));
}

/** The orphan signature tags: those whose subject is in no group. */
export function expectedUnattached(truth: Truth): { tag: string; digest: string }[] {
  const attached = new Set(expectedGroups(truth).flatMap((g) => g.signatures.map((s) => s.tag)));
  return Object.entries(truth.tags)
    .filter(([tag, t]) => t.kind === 'signature' && !attached.has(tag))
    .map(([tag, t]) => ({ tag, digest: t.digest }));
}

/**
 * Each group's Last pushed as Docker Hub's web API tells it: the newest `tag_last_pushed` among
 * the group's tags in the emulator's records, by the group's digest, in the API's spelling.
 */
export function hubGroupPushes(truth: Truth, records: HubTag[]): Map<string, string> {
  const pushed = new Map(records.map((t) => [t.name, t.tag_last_pushed]));
  return new Map(
    truth.groups.map(({ digest, tags }) => {
      const times = tags.map((tag) => Date.parse(pushed.get(tag) ?? 'missing'));
      if (times.some((t) => !Number.isFinite(t))) throw new Error(`the web API lists no push date for a tag of ${tags.join(', ')}`);
      return [digest, new Date(Math.max(...times)).toISOString()];
    }),
  );
}

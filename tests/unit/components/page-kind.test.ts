// A permalink page names what its reference points at in one vocabulary: the label over the
// heading, the <title>, what it calls its digest, and the pull command by that digest — so a
// platform manifest is never called an index, and a cosign tag says what it signs.
import { describe, expect, it } from 'vitest';
import { pageKind, pageTitle, signatureOf } from '@/components/image/page-kind';
import { pullCommands } from '@/components/image/pull-commands';
import type { Group, GroupKind } from '@/lib/api/types';
import { parseReference } from '@/lib/registry/reference';

const digest = `sha256:${'ab'.repeat(32)}`;
const group = (kind: GroupKind): Group => ({
  digest,
  mediaType: null,
  kind,
  size: null,
  tags: [],
  platforms: [],
  attestations: [],
  signatures: [],
  artifactType: null,
  lastPushed: null,
});

describe('pageKind and pageTitle', () => {
  it.each([
    ['a tag to an index', 'ghcr.io/o/app:1.0', 'index', 'Tag', 'Index digest', 'ghcr.io/o/app:1.0'],
    ['a tag to a single manifest', 'ghcr.io/o/app:1.0', 'manifest', 'Tag', 'Index digest', 'ghcr.io/o/app:1.0'],
    ['a pinned tag', `ghcr.io/o/app:1.0@${digest}`, 'index', 'Pinned tag', 'Index digest', `Pinned tag ghcr.io/o/app:1.0@${digest}`],
    ['an index digest', `ghcr.io/o/app@${digest}`, 'index', 'Index', 'Index digest', `Index ghcr.io/o/app@${digest}`],
    ['a platform digest', `ghcr.io/o/app@${digest}`, 'manifest', 'Platform manifest', 'Platform digest', `Platform manifest ghcr.io/o/app@${digest}`],
    ['an artifact digest', `ghcr.io/o/app@${digest}`, 'artifact', 'Artifact', 'Digest', `Artifact ghcr.io/o/app@${digest}`],
    ['a schema 1 digest', `ghcr.io/o/app@${digest}`, 'schema1', 'Schema 1 manifest', 'Digest', `Schema 1 manifest ghcr.io/o/app@${digest}`],
    ['a cosign signature tag', `ghcr.io/o/app:sha256-${'ab'.repeat(32)}.sig`, 'manifest', 'Cosign signature', 'Index digest', `Cosign signature ghcr.io/o/app:sha256-${'ab'.repeat(32)}.sig`],
  ] as const)('%s: "%s"', (_, text, kind, label, digestName, title) => {
    const reference = parseReference(text);
    const page = pageKind(reference, kind);
    expect({ label: page.label, digestName: page.digestName, title: pageTitle(reference, page.label) }).toEqual({ label, digestName, title });
  });

  it('says what a digest page shows, and nothing on a tag page', () => {
    expect(pageKind(parseReference(`ghcr.io/o/app@${digest}`), 'manifest').role).toContain('a platform manifest: an image manifest for one platform');
    expect(pageKind(parseReference('ghcr.io/o/app:1.0'), 'manifest').role).toBeNull();
  });
});

describe('signatureOf', () => {
  it.each([
    ['.sig', 'sha256-%s.sig', 'Cosign signature', 'the cosign signature of'],
    ['.att', 'sha256-%s.att', 'Cosign attestation', 'the cosign attestation of'],
    ['.sbom', 'sha256-%s.sbom', 'Cosign SBOM', 'the SBOM cosign attached to'],
    ['no suffix', 'sha256-%s', 'Referrers tag', 'the referrers tag (the fallback of the OCI referrers API) of'],
  ])('%s: what it holds, for the digest its name carries', (_, tag, label, what) => {
    const reference = parseReference(`ghcr.io/o/app:${tag.replace('%s', 'ab'.repeat(32))}`);
    expect(signatureOf(reference)).toEqual({ label, what, subject: digest });
  });

  it.each([['ghcr.io/o/app:1.0'], [`ghcr.io/o/app@${digest}`], [`ghcr.io/o/app:sha256-${'ab'.repeat(31)}.sig`]])('%s: none', (text) => {
    expect(signatureOf(parseReference(text))).toBeNull();
  });
});

describe('the pull command by digest says what it pulls', () => {
  it.each([
    ['a tag to an index', 'ghcr.io/o/app:1.0', 'index', 'By index digest (this exact image, every platform)'],
    ['a tag to a single manifest', 'ghcr.io/o/app:1.0', 'manifest', 'By index digest (this exact image, its one platform)'],
    ['a platform digest', `ghcr.io/o/app@${digest}`, 'manifest', 'By platform digest (this platform’s image only)'],
    ['a schema 1 digest', `ghcr.io/o/app@${digest}`, 'schema1', 'By digest (this exact image)'],
    ['an artifact', 'ghcr.io/o/app:1.0', 'artifact', 'By digest (this exact artifact)'],
  ] as const)('%s', (_, text, kind, label) => {
    const commands = pullCommands(parseReference(text), group(kind));
    expect(commands.find((c) => c.command === `docker pull ghcr.io/o/app@${digest}`)?.label).toBe(label);
  });
});

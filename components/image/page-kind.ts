// What a permalink page is, in the words its eyebrow, its <title> and its digest section use:
// a tag (a cosign tag by what it is), a pinned tag, or a digest by what it names — an index,
// one platform's image manifest, an artifact, a schema 1 manifest, a config, a layer. One
// table, so the heading, the title and the explanation never disagree.
import type { GroupKind } from '@/lib/api/types';
import type { DigestRole } from '@/lib/data/digest';
import { parseSignatureTag, type Reference } from '@/lib/registry/reference';

export interface PageKind {
  /** The eyebrow over the heading; it starts the <title> of every page but a plain tag's. */
  label: string;
  /** What the page calls the digest it shows. */
  digestName: string;
  /** "This digest is …", on a digest page. */
  role: string | null;
}

const DIGESTS: Record<GroupKind, PageKind> = {
  index: { label: 'Index', digestName: 'Index digest', role: 'an index: the digest docker pull prints for every platform at once' },
  manifest: {
    label: 'Platform manifest',
    digestName: 'Platform digest',
    role: 'a platform manifest: an image manifest for one platform (the platform digest Docker Hub lists)',
  },
  artifact: { label: 'Artifact', digestName: 'Digest', role: 'an artifact manifest: content that is not a runnable image' },
  schema1: { label: 'Schema 1 manifest', digestName: 'Digest', role: 'a legacy Docker schema 1 manifest: one image' },
};

export const BLOB_KINDS: Record<DigestRole, { label: string; role: string }> = {
  config: { label: 'Image config', role: 'an image config: its digest is the image ID that docker images shows' },
  layer: { label: 'Layer', role: 'a layer: one compressed filesystem tarball of an image' },
  attestation: { label: 'Attestation', role: 'a BuildKit attestation manifest (provenance or SBOM)' },
};

/** cosign's tag scheme and the referrers fallback tag (docs/registry-protocol.md §5.4, §5.5): the suffix says what the tag holds, for which digest. */
const SIGNATURE_TAGS: Record<string, { label: string; what: string }> = {
  sig: { label: 'Cosign signature', what: 'the cosign signature of' },
  att: { label: 'Cosign attestation', what: 'the cosign attestation of' },
  sbom: { label: 'Cosign SBOM', what: 'the SBOM cosign attached to' },
  '': { label: 'Referrers tag', what: 'the referrers tag (the fallback of the OCI referrers API) of' },
};

/** A `sha256-<hex>[.sig|.att|.sbom]` tag: what it holds and the digest it names; null for any other reference. */
export function signatureOf(reference: Reference): { label: string; what: string; subject: string } | null {
  const signature = reference.tag === null ? null : parseSignatureTag(reference.tag);
  return signature && { ...SIGNATURE_TAGS[signature.kind ?? '']!, subject: signature.subject };
}

/** The page of a tag or a digest whose manifest is of `kind`. */
export function pageKind(reference: Reference, kind: GroupKind): PageKind {
  if (reference.tag === null) return DIGESTS[kind];
  const label = reference.digest ? 'Pinned tag' : (signatureOf(reference)?.label ?? 'Tag');
  return { label, digestName: 'Index digest', role: null };
}

/** The <title> of an image or digest page: a plain tag is its own title; anything else says what it is. */
export function pageTitle(reference: Reference, label: string): string {
  return label === 'Tag' ? reference.familiar : `${label} ${reference.familiar}`;
}

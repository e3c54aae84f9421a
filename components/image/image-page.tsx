// The permalink page of one tag, one digest, or a tag pinned to a digest, rendered on the
// server from what lib/data/image.ts gives (getTag, getDigest): the group, named by what the
// reference points at (page-kind.ts); the tags that lead to it, its signatures and
// attestations (streamed in when their search ends); the platform table and the pull commands.
// With tag history (lib/data/history.ts, read by the page): a tag's timeline, `?at=`'s answer
// at the top, and on a pinned page whose tag moved, when it moved away.
import Link from 'next/link';
import { Fragment, Suspense } from 'react';
import type { Attestation, Group } from '@/lib/api/types';
import type { MovedAway, TagTimeline } from '@/lib/data/history';
import type { ImagePage as ImagePageData, ImageView, OwnersResult } from '@/lib/data/image';
import type { HistoryRead } from '@/lib/history/runtime';
import type { TagAt } from '@/lib/history/store';
import { describeMediaType } from '@/lib/registry/media-types';
import { type Reference } from '@/lib/registry/reference';
import { referenceHref } from '@/lib/common/routes';
import { describeGroupKind, formatBytes } from '@/lib/common/format';
import { ErrorPanel } from '../errors/error-panel';
import { DigestLink } from '../history/digest-link';
import { sourcePhrase } from '../history/history-source';
import { TagAtPanel } from '../history/tag-at-panel';
import { TagHistory } from '../history/tag-history';
import { DigestText } from '../tags/digest-text';
import { PlatformTable } from '../tags/platform-table';
import { Badge } from '../ui/badge';
import { RelativeTime } from '../ui/relative-time';
import { BlobPage } from './blob-page';
import { ConfigView } from './config-view';
import { Explainer } from './explainer';
import { ManifestView } from './manifest-view';
import { pageKind, signatureOf } from './page-kind';
import { PullCommands } from './pull-commands';
import { RepositoryLink } from './repository-link';
import { SignatureNote } from './signature-note';
import { VisibleText } from '../ui/visible-text';

/** What tag history adds to the page, as the page read it; null where it does not apply. */
export interface ImageHistory {
  /** A tag's page: the tag's runs and moves. */
  timeline: HistoryRead<TagTimeline> | null;
  /** A tag's page with `?at=`: the date asked for (ISO 8601) and what the tag pointed at then. */
  at: { at: string; read: HistoryRead<TagAt> } | null;
  /** A pinned page whose tag has moved: when it left the pinned digest. */
  movedAway: HistoryRead<MovedAway | null> | null;
}

const NO_HISTORY: ImageHistory = { timeline: null, at: null, movedAway: null };

function TagLink({ reference, tag }: { reference: Reference; tag: string }) {
  return (
    <Link href={referenceHref(`${reference.repository}:${tag}`)} className="break-all font-mono text-sm text-sky-700 underline-offset-2 hover:underline dark:text-sky-400">
      {tag}
    </Link>
  );
}

async function Aliases({ reference, result }: { reference: Reference; result: Promise<OwnersResult> }) {
  const found = await result;
  if (!found.ok) {
    return (
      <p className="text-sm text-slate-600 dark:text-slate-400">
        Could not list the repository&apos;s tags: <VisibleText text={found.error.message} />
      </p>
    );
  }
  const { owners } = found;
  const others = owners.direct.filter((tag) => tag !== reference.tag);
  // Spaces between the items: not laid out in the flex line, but kept in its text (copy, find).
  const links = (tags: string[]) => tags.map((tag) => <Fragment key={tag}> <TagLink reference={reference} tag={tag} /></Fragment>);
  return (
    <div className="space-y-2 text-sm" data-testid="aliases">
      {reference.tag ? (
        <p className="flex flex-wrap items-baseline gap-x-2 gap-y-2">
          <span>{others.length > 0 ? 'Other tags pointing at this image:' : 'No other tag points at this image.'}</span>
          {links(others)}
        </p>
      ) : owners.direct.length > 0 ? (
        <p className="flex flex-wrap items-baseline gap-x-2 gap-y-2">
          <span>Tags pointing at this digest:</span>
          {links(owners.direct)}
        </p>
      ) : (
        owners.viaIndex.length === 0 && <p>No tag points at this digest now.</p>
      )}
      {owners.viaIndex.map((owner) => (
        <p key={`${owner.index} ${owner.platform}`} className="flex flex-wrap items-baseline gap-x-2 gap-y-2" data-testid="via-index">
          <span>
            As <VisibleText text={owner.platform} /> in the index of
          </span>
          {links(owner.tags)}
          {owner.signatures.length > 0 && <span> — that index is signed:</span>}
          {links(owner.signatures)}
        </p>
      ))}
      {owners.signatures.length > 0 && (
        <p className="flex flex-wrap items-baseline gap-x-2 gap-y-2" data-testid="signature-tags">
          <span>Signed by:</span>
          {links(owners.signatures)}
        </p>
      )}
      {owners.incomplete && <p className="text-amber-900 dark:text-amber-200">The search stopped early: {owners.incomplete}</p>}
    </div>
  );
}

const ATTESTATIONS_TITLE = 'BuildKit attestation manifests (provenance / SBOM); never counted as platforms';

/** "provenance / SBOM" and "signed", as the repository view shows them for a group. */
function ProvenanceBadges({ attestations, signatures }: { attestations: Attestation[]; signatures: string[] }) {
  return (
    <>
      {attestations.length > 0 && (
        <Badge tone="info" title={ATTESTATIONS_TITLE}>
          provenance / SBOM
        </Badge>
      )}
      {signatures.length > 0 && (
        <Badge tone="good" title={signatures.join('\n')}>
          signed
        </Badge>
      )}
    </>
  );
}

/**
 * The badges once the tag search has ended: a group's own attestations, those its indexes hold
 * for a platform manifest, and the signature tags naming it (found in the tag list).
 */
async function FoundProvenance({ group, result }: { group: Group; result: Promise<OwnersResult> }) {
  const found = await result;
  const owners = found.ok ? found.owners : null;
  const attestations = [...group.attestations, ...(owners?.viaIndex.flatMap((owner) => owner.attestations) ?? [])];
  return <ProvenanceBadges attestations={attestations} signatures={owners?.signatures ?? []} />;
}

function PinnedStatus({ view, movedAway }: { view: ImageView; movedAway: ImageHistory['movedAway'] }) {
  const { pinned, reference } = view;
  if (!pinned) return null;
  return pinned.stillPoints ? (
    <p role="status" className="rounded-md border border-emerald-300 bg-emerald-50 p-3 text-sm text-emerald-950 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-100">
      The tag <code>{pinned.tag}</code> still points at this digest.
    </p>
  ) : (
    <div role="status" className="space-y-1 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100">
      <p>
        The tag <code>{pinned.tag}</code> {pinned.current ? <>now points at <code className="break-all">{pinned.current}</code></> : 'no longer exists'}; this page shows the pinned digest.
      </p>
      {movedAway?.ok && (
        <p data-testid="moved-away">
          {movedAway.value ? (
            <>
              It moved away{' '}
              <span className="whitespace-nowrap">
                <RelativeTime date={movedAway.value.at} verb="Moved away" />
                {movedAway.value.to ? '' : ','}
              </span>
              {movedAway.value.to && (
                <>
                  {' '}
                  (to <DigestLink repository={reference.repository} digest={movedAway.value.to} />
                  ),
                </>
              )}{' '}
              {sourcePhrase(movedAway.value.source)}.
            </>
          ) : (
            <>Tagscope&apos;s history has no record of when it moved away.</>
          )}
        </p>
      )}
    </div>
  );
}

export function ImagePage({ reference, page, history = NO_HISTORY }: { reference: Reference; page: ImagePageData; history?: ImageHistory }) {
  if (page.kind === 'blob') return <BlobPage reference={reference} location={page.location} />;
  if (page.kind === 'error') {
    return (
      <div className="max-w-3xl space-y-4">
        <ErrorPanel error={page.error} reference={reference.familiar} headingLevel={1} />
        <RepositoryLink reference={reference} />
      </div>
    );
  }
  const { view } = page;
  const { group } = view;
  const kind = pageKind(reference, group.kind);
  // A manifest asked for by digest is one platform's: its media type says more than "Single …".
  const platformManifest = reference.tag === null && group.kind === 'manifest';
  return (
    <article className="space-y-8">
      <header className="space-y-2">
        <p className="text-sm font-medium uppercase tracking-wide text-slate-600 dark:text-slate-400" data-testid="page-kind">
          {kind.label}
        </p>
        <h1 className="break-all font-mono text-2xl font-bold">{reference.familiar}</h1>
        <RepositoryLink reference={reference} />
      </header>
      {history.at && reference.tag && <TagAtPanel repository={reference.repository} tag={reference.tag} at={history.at.at} read={history.at.read} />}
      <SignatureNote reference={reference} />
      <PinnedStatus view={view} movedAway={history.movedAway} />
      <section aria-labelledby="digest-heading" className="space-y-3">
        <h2 id="digest-heading" className="text-lg font-semibold">
          {kind.digestName}
        </h2>
        <p className="flex flex-wrap items-center gap-3">
          <DigestText digest={group.digest} label={kind.digestName.toLowerCase()} />
          <Badge>
            <VisibleText text={platformManifest ? describeMediaType(group.mediaType) : describeGroupKind(group)} />
          </Badge>
          <Suspense fallback={<ProvenanceBadges attestations={group.attestations} signatures={[]} />}>
            <FoundProvenance group={group} result={page.owners} />
          </Suspense>
        </p>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          {group.kind === 'index' || reference.tag !== null ? (
            <>
              What <code>docker pull</code> prints.{' '}
            </>
          ) : null}
          <VisibleText text={describeMediaType(group.mediaType)} />, {formatBytes(group.size)}.
        </p>
        {kind.role && <p data-testid="digest-role">This digest is {kind.role}.</p>}
        {!signatureOf(reference) && <Explainer reference={reference} group={group} />}
        <Suspense fallback={<p className="text-sm text-slate-600 dark:text-slate-400">Looking for the tags that lead here…</p>}>
          <Aliases reference={reference} result={page.owners} />
        </Suspense>
        {view.problems.map((problem) => (
          <p key={problem.message} className="text-sm text-red-700 dark:text-red-400">
            <VisibleText text={problem.message} />
          </p>
        ))}
      </section>
      <section aria-labelledby="platforms-heading" className="space-y-3">
        <h2 id="platforms-heading" className="text-lg font-semibold">
          Platforms
        </h2>
        <PlatformTable repository={reference.repository} platforms={group.platforms} caption={`Platforms of ${reference.familiar}`} />
      </section>
      {history.timeline && reference.tag && <TagHistory repository={reference.repository} tag={reference.tag} currentDigest={group.digest} timeline={history.timeline} />}
      {view.image?.config && (
        <section aria-labelledby="config-heading" className="space-y-3">
          <h2 id="config-heading" className="text-lg font-semibold">
            Image config
          </h2>
          <p className="text-sm text-slate-600 dark:text-slate-400">
            Image ID <code className="break-all">{view.image.configDescriptor.digest}</code>
          </p>
          <ConfigView
            config={view.image.config}
            layers={view.image.layers}
            repository={reference.repository}
            configHref={`/api/v1/config?reference=${encodeURIComponent(`${reference.repository}@${group.digest}`)}`}
          />
        </section>
      )}
      <section aria-labelledby="pull-heading" className="max-w-3xl space-y-3">
        <h2 id="pull-heading" className="text-lg font-semibold">
          Pull
        </h2>
        <PullCommands reference={reference} group={group} />
      </section>
      <section aria-labelledby="manifest-heading" className="space-y-3">
        <h2 id="manifest-heading" className="text-lg font-semibold">
          Manifest
        </h2>
        {view.manifest ? (
          <ManifestView manifest={view.manifest} repository={reference.repository} />
        ) : (
          <div className="max-w-3xl space-y-2 text-sm" data-testid="needs-pull">
            <p>
              On {reference.registry} reading a manifest counts as a pull against this server&apos;s limit, so this page shows what the registry&apos;s web API
              says of the image (its digest checked with a free HEAD) and fetches no manifest until you ask. The image ID (config digest), the layers and the
              raw manifest need it.
            </p>
            <p>
              <Link href={`${referenceHref(reference)}?pull=1`} className="font-medium text-sky-700 underline-offset-2 hover:underline dark:text-sky-400">
                Fetch the manifest and image config (spends 1 pull or more)
              </Link>
            </p>
          </div>
        )}
      </section>
    </article>
  );
}

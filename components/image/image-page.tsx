// The permalink page of one tag, one digest, or a tag pinned to a digest, rendered on the
// server from what lib/data/image.ts gives (getTag, getDigest): the group, the tags that alias
// it (streamed in when their search ends), the platform table and the pull commands.
import Link from 'next/link';
import { Suspense } from 'react';
import type { ImagePage as ImagePageData, ImageView, OwnersResult } from '@/lib/data/image';
import { describeMediaType } from '@/lib/registry/media-types';
import { type Reference } from '@/lib/registry/reference';
import { referenceHref } from '@/lib/routes';
import { describeGroupKind, formatBytes } from '@/lib/format';
import { ErrorPanel } from '../errors/error-panel';
import { DigestText } from '../tags/digest-text';
import { PlatformTable } from '../tags/platform-table';
import { Badge } from '../ui/badge';
import { BlobPage } from './blob-page';
import { ConfigView } from './config-view';
import { Explainer } from './explainer';
import { ManifestView } from './manifest-view';
import { PullCommands } from './pull-commands';
import { RepositoryLink } from './repository-link';
import { VisibleText } from '../ui/visible-text';

const DIGEST_ROLE: Record<string, string> = {
  index: 'an index: the digest docker pull prints for every platform at once',
  manifest: 'an image manifest: one platform’s image (the platform digest Docker Hub lists)',
  artifact: 'an artifact manifest: content that is not a runnable image',
  schema1: 'a legacy Docker schema 1 manifest',
};

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
  const link = (tag: string) => (
    <Link key={tag} href={referenceHref(`${reference.repository}:${tag}`)} className="font-mono text-sm text-sky-700 underline-offset-2 hover:underline dark:text-sky-400">
      {tag}
    </Link>
  );
  return (
    <div className="space-y-2 text-sm" data-testid="aliases">
      {owners.direct.length === 0 && owners.viaIndex.length === 0 && <p>No tag points at this digest now.</p>}
      {owners.direct.length > 0 && (
        <p className="flex flex-wrap items-baseline gap-x-2">
          <span>{reference.tag ? (others.length > 0 ? 'Other tags pointing at this image:' : 'No other tag points at this image.') : 'Tags pointing at this digest:'}</span>
          {(reference.tag ? others : owners.direct).map(link)}
        </p>
      )}
      {owners.viaIndex.map((owner) => (
        <p key={owner.index} className="flex flex-wrap items-baseline gap-x-2">
          <span>
            As <VisibleText text={owner.platform} /> in the index of
          </span>
          {owner.tags.map(link)}
        </p>
      ))}
      {owners.incomplete && <p className="text-amber-900 dark:text-amber-200">The search stopped early: {owners.incomplete}</p>}
    </div>
  );
}

function PinnedStatus({ view }: { view: ImageView }) {
  const { pinned } = view;
  if (!pinned) return null;
  return pinned.stillPoints ? (
    <p role="status" className="rounded-md border border-emerald-300 bg-emerald-50 p-3 text-sm text-emerald-950 dark:border-emerald-800 dark:bg-emerald-950 dark:text-emerald-100">
      The tag <code>{pinned.tag}</code> still points at this digest.
    </p>
  ) : (
    <p role="status" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100">
      The tag <code>{pinned.tag}</code> {pinned.current ? <>now points at <code className="break-all">{pinned.current}</code></> : 'no longer exists'}; this page shows the pinned digest.
    </p>
  );
}

export function ImagePage({ reference, page }: { reference: Reference; page: ImagePageData }) {
  const kind = reference.digest && reference.tag ? 'Pinned tag' : reference.digest ? 'Digest' : 'Tag';
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
  return (
    <article className="space-y-8">
      <header className="space-y-2">
        <p className="text-sm font-medium uppercase tracking-wide text-slate-600 dark:text-slate-400">{kind}</p>
        <h1 className="break-all font-mono text-2xl font-bold">{reference.familiar}</h1>
        <RepositoryLink reference={reference} />
      </header>
      <PinnedStatus view={view} />
      <section aria-labelledby="digest-heading" className="space-y-3">
        <h2 id="digest-heading" className="text-lg font-semibold">
          Index digest
        </h2>
        <p className="flex flex-wrap items-center gap-3">
          <DigestText digest={group.digest} label="index digest" />
          <Badge>
            <VisibleText text={describeGroupKind(group)} />
          </Badge>
          {group.attestations.length > 0 && <Badge tone="info">provenance / SBOM</Badge>}
          {group.signatures.length > 0 && <Badge tone="good">signed</Badge>}
        </p>
        <p className="text-sm text-slate-600 dark:text-slate-400">
          What <code>docker pull</code> prints. <VisibleText text={describeMediaType(group.mediaType)} />, {formatBytes(group.size)}.
        </p>
        {reference.digest && !reference.tag && <p data-testid="digest-role">This digest is {DIGEST_ROLE[group.kind]}.</p>}
        <Explainer reference={reference} group={group} />
        <Suspense fallback={<p className="text-sm text-slate-600 dark:text-slate-400">Looking for the tags that point here…</p>}>
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

// A digest that is not a manifest: an image config (an image ID) or a layer, with the
// descriptor it has and the tags and platforms that use it.
import Link from 'next/link';
import type { BlobLocation } from '@/lib/data/digest';
import { type Reference } from '@/lib/registry/reference';
import { referenceHref } from '@/lib/common/routes';
import { formatBytes } from '@/lib/common/format';
import { DigestText } from '../tags/digest-text';
import { BLOB_KINDS } from './page-kind';
import { RepositoryLink } from './repository-link';
import { VisibleText } from '../ui/visible-text';

export function BlobPage({ reference, location }: { reference: Reference; location: BlobLocation }) {
  return (
    <article className="space-y-8">
      <header className="space-y-2">
        <p className="text-sm font-medium uppercase tracking-wide text-slate-600 dark:text-slate-400" data-testid="page-kind">
          {BLOB_KINDS[location.role].label}
        </p>
        <h1 className="break-all font-mono text-2xl font-bold">{reference.familiar}</h1>
        <p data-testid="digest-role">This digest is {BLOB_KINDS[location.role].role}.</p>
        <RepositoryLink reference={reference} />
      </header>
      <dl className="grid max-w-3xl grid-cols-[max-content_1fr] gap-x-6 gap-y-1 text-sm">
        <dt className="text-slate-600 dark:text-slate-400">Media type</dt>
        <dd className="break-all font-mono text-xs">{location.mediaType ? <VisibleText text={location.mediaType} /> : '—'}</dd>
        <dt className="text-slate-600 dark:text-slate-400">Size</dt>
        <dd>{location.size === null ? '—' : formatBytes(location.size)}</dd>
        {location.diffId && (
          <>
            <dt className="text-slate-600 dark:text-slate-400">diff_id</dt>
            <dd>
              <DigestText digest={location.diffId} label="diff_id" />
            </dd>
          </>
        )}
      </dl>
      <section aria-labelledby="used-heading" className="space-y-2">
        <h2 id="used-heading" className="text-lg font-semibold">
          Used by
        </h2>
        <ul className="space-y-1 text-sm" data-testid="used-by">
          {location.usedBy.map((u) => (
            <li key={`${u.indexDigest}-${u.platformDigest}`} className="flex flex-wrap items-baseline gap-x-2">
              {u.platform && (
                <Link href={referenceHref(`${reference.repository}@${u.platformDigest}`)} className="font-mono text-sky-700 underline-offset-2 hover:underline dark:text-sky-400">
                  <VisibleText text={u.platform} />
                </Link>
              )}
              <span>of</span>
              {u.tags.map((tag) => (
                <Link key={tag} href={referenceHref(`${reference.repository}:${tag}`)} className="font-mono text-sky-700 underline-offset-2 hover:underline dark:text-sky-400">
                  {tag}
                </Link>
              ))}
            </li>
          ))}
        </ul>
        {location.incomplete && <p className="text-sm text-amber-900 dark:text-amber-200">The search stopped early: {location.incomplete}</p>}
      </section>
    </article>
  );
}

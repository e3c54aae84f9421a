import type { Metadata } from 'next';
import { permanentRedirect } from 'next/navigation';
import { Suspense } from 'react';
import { ErrorPanel } from '@/components/errors/error-panel';
import { ImagePage } from '@/components/image/image-page';
import { ReferenceForm } from '@/components/reference/reference-form';
import { StartPageLink } from '@/components/ui/start-page-link';
import { RepositoryView } from '@/components/tags/repository-view';
import { toApiError } from '@/lib/api/errors';
import { familiarName, type Reference } from '@/lib/registry/reference';
import { parseRouteReference, referenceHref } from '@/lib/routes';
import { getDigest, getTag } from '@/lib/data/image';
import { getTags } from '@/lib/data/tags';

interface Props {
  params: Promise<{ reference: string[] }>;
  searchParams: Promise<{ pull?: string | string[] }>;
}

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const parsed = parseRouteReference((await params).reference);
  return { title: parsed.ok ? parsed.reference.familiar : 'Invalid reference' };
}

async function RepositoryPage({ reference }: { reference: Reference }) {
  const name = familiarName(reference.registry, reference.path);
  let tags: string[];
  try {
    tags = (await getTags(reference)).tags;
  } catch (error) {
    return (
      <div className="max-w-3xl space-y-6">
        <ErrorPanel error={toApiError(error).toJSON()} reference={name} headingLevel={1} />
        <ReferenceForm initialValue={name} />
      </div>
    );
  }
  return (
    <div className="space-y-6">
      <header className="space-y-1">
        <p className="text-sm font-medium uppercase tracking-wide text-slate-600 dark:text-slate-400">Repository</p>
        <h1 className="break-all font-mono text-2xl font-bold">{name}</h1>
        {name !== reference.repository && <p className="break-all text-sm text-slate-600 dark:text-slate-400">{reference.repository}</p>}
      </header>
      <Suspense>
        <RepositoryView repository={reference.repository} initialTags={tags} />
      </Suspense>
    </div>
  );
}

export default async function ReferencePage({ params, searchParams }: Props) {
  const parsed = parseRouteReference((await params).reference);
  if (!parsed.ok) {
    return (
      <div className="max-w-3xl space-y-6">
        <ErrorPanel error={toApiError(parsed.error).toJSON()} reference={parsed.input} headingLevel={1} />
        <ReferenceForm initialValue={parsed.input} />
        <StartPageLink />
      </div>
    );
  }
  if (parsed.input !== parsed.reference.canonical) {
    permanentRedirect(referenceHref(parsed.reference));
  }
  const { reference } = parsed;
  if (reference.tag === null && reference.digest === null) return <RepositoryPage reference={reference} />;
  // `?pull=1`: the person asked for what costs a pull where manifests are counted (Docker Hub).
  const pull = (await searchParams).pull === '1';
  const page = reference.tag === null ? await getDigest(reference, { pull }) : await getTag(reference, { pull });
  return <ImagePage reference={reference} page={page} />;
}

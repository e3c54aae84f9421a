import type { Metadata } from 'next';
import { permanentRedirect } from 'next/navigation';
import { cache, Suspense } from 'react';
import { ErrorPanel, explainError } from '@/components/errors/error-panel';
import { ImagePage } from '@/components/image/image-page';
import { BLOB_KINDS, pageKind, pageTitle } from '@/components/image/page-kind';
import { ReferenceForm } from '@/components/reference/reference-form';
import { StartPageLink } from '@/components/ui/start-page-link';
import { RepositoryView } from '@/components/tags/repository-view';
import { toApiError } from '@/lib/api/errors';
import { answerWithErrorStatus } from '@/lib/api/page-status';
import type { ApiErrorInfo } from '@/lib/api/types';
import { familiarName, type Reference } from '@/lib/registry/reference';
import { parseRouteReference, referenceHref } from '@/lib/routes';
import { getDigest, getTag, type ImagePage as ImagePageData } from '@/lib/data/image';
import { getTags } from '@/lib/data/tags';

interface Props {
  params: Promise<{ reference: string[] }>;
  searchParams: Promise<{ pull?: string | string[] }>;
}

type Outcome =
  | { kind: 'invalid'; input: string; error: ApiErrorInfo }
  | { kind: 'moved'; href: string }
  | { kind: 'repository'; reference: Reference; name: string; tags: string[] }
  | { kind: 'repository-error'; reference: Reference; name: string; error: ApiErrorInfo }
  | { kind: 'image'; reference: Reference; page: ImagePageData };

/**
 * What the address names, loaded once per request: the page and its <title> share it through
 * React's cache, so the registry is asked once. `path` is the route's segments as they came
 * (percent-encoded, so joining them with "/" keeps them apart); `pull` is `?pull=1`, the person
 * asking for what costs a pull where manifests are counted (Docker Hub).
 */
const load = cache(async (path: string, pull: boolean): Promise<Outcome> => {
  const parsed = parseRouteReference(path.split('/'));
  if (!parsed.ok) return { kind: 'invalid', input: parsed.input, error: toApiError(parsed.error).toJSON() };
  const { reference } = parsed;
  if (parsed.input !== reference.canonical) return { kind: 'moved', href: referenceHref(reference) };
  if (reference.tag === null && reference.digest === null) {
    const name = familiarName(reference.registry, reference.path);
    try {
      return { kind: 'repository', reference, name, tags: (await getTags(reference)).tags };
    } catch (error) {
      return { kind: 'repository-error', reference, name, error: toApiError(error).toJSON() };
    }
  }
  const page = reference.tag === null ? await getDigest(reference, { pull }) : await getTag(reference, { pull });
  return { kind: 'image', reference, page };
});

async function outcomeOf({ params, searchParams }: Props): Promise<Outcome> {
  const [{ reference }, { pull }] = await Promise.all([params, searchParams]);
  return load(reference.join('/'), pull === '1');
}

function errorOf(outcome: Outcome): { error: ApiErrorInfo; reference: string } | null {
  switch (outcome.kind) {
    case 'invalid':
      // Anything can be typed in an address: a long input is cut, as the error message cuts it.
      return { error: outcome.error, reference: outcome.input.length > 80 ? `${outcome.input.slice(0, 77)}…` : outcome.input };
    case 'repository-error':
      return { error: outcome.error, reference: outcome.name };
    case 'image':
      return outcome.page.kind === 'error' ? { error: outcome.page.error, reference: outcome.reference.familiar } : null;
    default:
      return null;
  }
}

/** The <title>: what the page is, or what went wrong, then the reference. */
function titleOf(outcome: Outcome): string | undefined {
  const failed = errorOf(outcome);
  if (failed) return `${explainError(failed.error, failed.reference).title}: ${failed.reference}`;
  switch (outcome.kind) {
    case 'repository':
      return outcome.name;
    case 'image': {
      const { reference, page } = outcome;
      if (page.kind === 'blob') return pageTitle(reference, BLOB_KINDS[page.location.role].label);
      if (page.kind === 'image') return pageTitle(reference, pageKind(reference, page.view.group.kind).label);
      return undefined;
    }
    default:
      return undefined;
  }
}

export async function generateMetadata(props: Props): Promise<Metadata> {
  return { title: titleOf(await outcomeOf(props)) };
}

function RepositoryPage({ name, reference, tags }: { name: string; reference: Reference; tags: string[] }) {
  return (
    <div className="space-y-6">
      <header className="space-y-1">
        <p className="text-sm font-medium uppercase tracking-wide text-slate-600 dark:text-slate-400">Repository</p>
        <h1 className="break-all font-mono text-2xl font-bold">{name}</h1>
        {name !== reference.repository && <p className="break-all text-sm text-slate-600 dark:text-slate-400">{reference.repository}</p>}
      </header>
      {/* The groups are resolved in the browser, from the stream the table reads. */}
      <noscript className="block">
        <p data-testid="noscript" className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100">
          Grouping the tags below by digest happens in your browser and needs JavaScript, which is off here. Without it, a tag&apos;s own page works (
          <code className="break-all">/r/{reference.repository}:&lt;tag&gt;</code>), and so does the same data as JSON:{' '}
          <a href={`/api/v1/repository?repository=${encodeURIComponent(reference.repository)}`} className="break-all underline underline-offset-2">
            /api/v1/repository
          </a>
          .
        </p>
      </noscript>
      <Suspense>
        <RepositoryView repository={reference.repository} initialTags={tags} />
      </Suspense>
    </div>
  );
}

export default async function ReferencePage(props: Props) {
  const outcome = await outcomeOf(props);
  if (outcome.kind === 'moved') permanentRedirect(outcome.href);
  // Decided before anything renders, so the status goes out with the first byte.
  const failed = errorOf(outcome);
  if (failed) await answerWithErrorStatus(failed.error);
  switch (outcome.kind) {
    case 'invalid':
      return (
        <div className="max-w-3xl space-y-6">
          <ErrorPanel error={outcome.error} reference={outcome.input} headingLevel={1} />
          <ReferenceForm initialValue={outcome.input} />
          <StartPageLink />
        </div>
      );
    case 'repository-error':
      return (
        <div className="max-w-3xl space-y-6">
          <ErrorPanel error={outcome.error} reference={outcome.name} headingLevel={1} />
          <ReferenceForm initialValue={outcome.name} />
        </div>
      );
    case 'repository':
      return <RepositoryPage name={outcome.name} reference={outcome.reference} tags={outcome.tags} />;
    case 'image':
      return <ImagePage reference={outcome.reference} page={outcome.page} />;
  }
}

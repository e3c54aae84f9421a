import type { Metadata } from 'next';
import Link from 'next/link';
import { cookies } from 'next/headers';
import { permanentRedirect } from 'next/navigation';
import { cache, Suspense } from 'react';
import { ErrorPanel, explainError } from '@/components/errors/error-panel';
import { DateForm } from '@/components/history/date-form';
import { FeedLink } from '@/components/history/feed-link';
import { RecentMoves } from '@/components/history/recent-moves';
import { WatchButton } from '@/components/history/watch-button';
import { ImagePage, type ImageHistory } from '@/components/image/image-page';
import { BLOB_KINDS, pageKind, pageTitle } from '@/components/image/page-kind';
import { ReferenceForm } from '@/components/reference/reference-form';
import { StartPageLink } from '@/components/ui/start-page-link';
import { RepositoryView } from '@/components/tags/repository-view';
import { RegistryPage, registryTitle } from '@/components/registry/registry-page';
import { toApiError } from '@/lib/api/errors';
import { answerWithErrorStatus } from '@/lib/api/page-status';
import type { ApiErrorInfo } from '@/lib/api/types';
import { familiarName, type Reference } from '@/lib/registry/reference';
import { feedHref, parseRouteReference, referenceHref } from '@/lib/common/routes';
import { movedAway, recentMoves, tagAt, tagTimeline } from '@/lib/data/history';
import { getDigest, getTag, type ImagePage as ImagePageData } from '@/lib/data/image';
import { watchState, type WatchResponse } from '@/lib/data/watches';
import { OWNER_COOKIE, ownerHash, parseOwnerToken } from '@/lib/api/watch-owner';
import { getServerConfig } from '@/lib/server/env';
import { DATE_FORM, parseIsoDate } from '@/lib/history/dates';
import type { HistoryRead } from '@/lib/history/runtime';
import type { Move } from '@/lib/history/types';
import { hasRegistrySearch } from '@/lib/data/search';
import { getTags } from '@/lib/data/tags';
import { resolveWebAddress, type RegistryPageAddress } from '@/lib/common/web-address';

interface Props {
  params: Promise<{ reference: string[] }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}

type Outcome =
  | { kind: 'invalid'; input: string; error: ApiErrorInfo }
  | { kind: 'moved'; href: string }
  | ({ kind: 'registry'; searchable: boolean } & RegistryPageAddress)
  | { kind: 'repository'; reference: Reference; name: string; tags: string[]; moves: HistoryRead<Move[]>; watch: WatchResponse | null }
  | { kind: 'repository-error'; reference: Reference; name: string; error: ApiErrorInfo }
  | { kind: 'bad-date'; reference: Reference; error: ApiErrorInfo }
  | { kind: 'image'; reference: Reference; page: ImagePageData; history: ImageHistory };

/**
 * What the address names, loaded once per request: the page and its <title> share it through
 * React's cache, so the registry is asked once. `path` is the route's segments as they came
 * (percent-encoded, so joining them with "/" keeps them apart); `pull` is `?pull=1`, the person
 * asking for what costs a pull where manifests are counted (Docker Hub).
 */
const load = cache(async (path: string, search: string): Promise<Outcome> => {
  // What the address means, as the home box reads it: a web address pasted after /r/, a
  // registry host alone, a Docker Hub namespace, or a reference; a different canonical page
  // (with the view state that applies to it) is a redirect.
  const address = resolveWebAddress(`/r/${path}${search}`);
  if (!('error' in address)) {
    if (!samePath(address.href, path)) return { kind: 'moved', href: address.href };
    if (address.registry) return { kind: 'registry', ...address.registry, searchable: hasRegistrySearch(address.registry.registry) };
  }
  const parsed = parseRouteReference(path.split('/'));
  if (!parsed.ok) return { kind: 'invalid', input: parsed.input, error: toApiError(parsed.error).toJSON() };
  if ('error' in address) return { kind: 'invalid', input: parsed.input, error: { code: 'INVALID_REFERENCE', message: address.error } };
  const { reference } = parsed;
  if (parsed.input !== reference.canonical) return { kind: 'moved', href: referenceHref(reference) };
  if (reference.tag === null && reference.digest === null) {
    const name = familiarName(reference.registry, reference.path);
    try {
      // History answers within its own bound (READ_TIMEOUT_MS) while the registry lists the tags.
      const [tags, moves, watch] = await Promise.all([getTags(reference), recentMoves(reference), watchOf(reference)]);
      return { kind: 'repository', reference, name, tags: tags.tags, moves, watch };
    } catch (error) {
      return { kind: 'repository-error', reference, name, error: toApiError(error).toJSON() };
    }
  }
  const query = new URLSearchParams(search);
  // `?at=` means something on a tag's page only (docs/design.md "URLs"); a date it cannot read is
  // the address's mistake, answered before the registry is asked. The `+` of an offset typed
  // into the address arrives as a space (form encoding) and is read back as one.
  const atText = reference.tag !== null && reference.digest === null ? (query.get('at')?.replace(/ (\d{2}:\d{2})$/, '+$1') ?? null) : null;
  const at = atText === null ? null : parseIsoDate(atText);
  if (atText !== null && at === null) return { kind: 'bad-date', reference, error: badDate(atText) };
  const pull = query.get('pull') === '1';
  const page = reference.tag === null ? await getDigest(reference, { pull }) : await getTag(reference, { pull });
  return { kind: 'image', reference, page, history: await imageHistory(reference, page, at) };
});

function badDate(text: string): ApiErrorInfo {
  const shown = text.length > 40 ? `${text.slice(0, 37)}…` : text;
  return { code: 'INVALID_QUERY', message: `at: "${shown}" is not a date; give ${DATE_FORM}`, details: { parameter: 'at' } };
}

/** The watch button's state as the page renders it; null leaves the button to ask (and say why not). */
async function watchOf(reference: Reference): Promise<WatchResponse | null> {
  try {
    const token = parseOwnerToken((await cookies()).get(OWNER_COOKIE)?.value);
    return await watchState(reference, getServerConfig().history.watchIntervalMs / 1000, { ownerHash: ownerHash(token) });
  } catch {
    return null;
  }
}

/**
 * History's part of an image page, read once the page has resolved the tag, so the sighting this
 * very view made (a move, maybe) is in it: a tag's timeline and `?at=`'s answer, or when a
 * pinned tag left its digest.
 */
async function imageHistory(reference: Reference, page: ImagePageData, at: number | null): Promise<ImageHistory> {
  const none: ImageHistory = { timeline: null, at: null, movedAway: null };
  if (page.kind !== 'image' || reference.tag === null) return none;
  const { tag } = reference;
  if (reference.digest === null) {
    const [timeline, atRead] = await Promise.all([tagTimeline(reference, tag), at === null ? null : tagAt(reference, tag, at)]);
    return { ...none, timeline, at: at === null || atRead === null ? null : { at: new Date(at).toISOString(), read: atRead } };
  }
  const { pinned } = page.view;
  return pinned && !pinned.stillPoints ? { ...none, movedAway: await movedAway(reference, tag, reference.digest) } : none;
}

/** Whether `href`'s path is the route's (segments compared decoded: `%3A` and `:` are one). */
function samePath(href: string, path: string): boolean {
  const decode = (segments: string) => {
    try {
      return segments.split('/').map(decodeURIComponent).join('/');
    } catch {
      return segments;
    }
  };
  return decode(href.split('?')[0]!.slice('/r/'.length)) === decode(path);
}

async function outcomeOf({ params, searchParams }: Props): Promise<Outcome> {
  const [{ reference }, query] = await Promise.all([params, searchParams]);
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) for (const item of [value ?? []].flat()) search.append(key, item);
  return load(reference.join('/'), search.size > 0 ? `?${search}` : '');
}

function errorOf(outcome: Outcome): { error: ApiErrorInfo; reference: string } | null {
  switch (outcome.kind) {
    case 'invalid':
      // Anything can be typed in an address: a long input is cut, as the error message cuts it.
      return { error: outcome.error, reference: outcome.input.length > 80 ? `${outcome.input.slice(0, 77)}…` : outcome.input };
    case 'repository-error':
      return { error: outcome.error, reference: outcome.name };
    case 'bad-date':
      return { error: outcome.error, reference: outcome.reference.familiar };
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
    case 'registry':
      return registryTitle(outcome, outcome.searchable);
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

/** The Atom feed of tag moves a page offers (`<link rel="alternate">`): a repository's, or a tag's. */
function feedOf(outcome: Outcome): { url: string; title: string } | null {
  if (outcome.kind === 'repository') return { url: feedHref(outcome.reference.repository), title: `Tag moves in ${outcome.name}` };
  if (outcome.kind === 'image' && outcome.reference.tag !== null && outcome.reference.digest === null && outcome.page.kind === 'image') {
    return { url: feedHref(outcome.reference.repository, outcome.reference.tag), title: `Moves of ${outcome.reference.familiar}` };
  }
  return null;
}

export async function generateMetadata(props: Props): Promise<Metadata> {
  const outcome = await outcomeOf(props);
  const feed = feedOf(outcome);
  return { title: titleOf(outcome), ...(feed && { alternates: { types: { 'application/atom+xml': [feed] } } }) };
}

function RepositoryPage({ name, reference, tags, moves, watch }: { name: string; reference: Reference; tags: string[]; moves: HistoryRead<Move[]>; watch: WatchResponse | null }) {
  return (
    <div className="space-y-6">
      {/* The watch button and the feed sit beside the name, so the tags start where they did. */}
      <header className="flex flex-wrap items-start justify-between gap-x-8 gap-y-3">
        <div className="min-w-0 flex-1 basis-80 space-y-1">
          <p className="text-sm font-medium uppercase tracking-wide text-slate-600 dark:text-slate-400">Repository</p>
          <h1 className="break-all font-mono text-2xl font-bold">{name}</h1>
          {name !== reference.repository && <p className="break-all text-sm text-slate-600 dark:text-slate-400">{reference.repository}</p>}
        </div>
        <WatchButton repository={reference.repository} initial={watch} aside={<FeedLink repository={reference.repository} />} />
      </header>
      <RecentMoves repository={reference.repository} moves={moves} />
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

/**
 * `docker.io/bitnami` is the official image library/bitnami to docker pull, which does not exist:
 * the person most likely meant the namespace, so its page is offered where a web API lists
 * namespaces (Docker Hub's).
 */
function NamespaceHint({ reference, error }: { reference: Reference; error: ApiErrorInfo }) {
  const official = /^library\/([^/]+)$/.exec(reference.path);
  if (!official || !['NAME_UNKNOWN', 'UNAUTHORIZED'].includes(error.code) || !hasRegistrySearch(reference.registry)) return null;
  const namespace = official[1]!;
  return (
    <p className="text-sm">
      Looking for the repositories of <strong>{namespace}</strong>?{' '}
      <a href={`/r/${reference.registry}?namespace=${encodeURIComponent(namespace)}`} className="text-sky-700 underline underline-offset-2 dark:text-sky-400">
        Open the namespace {namespace}
      </a>
      .
    </p>
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
          <NamespaceHint reference={outcome.reference} error={outcome.error} />
          <ReferenceForm initialValue={outcome.name} />
        </div>
      );
    case 'bad-date':
      return (
        <div className="max-w-3xl space-y-6">
          <ErrorPanel error={outcome.error} reference={outcome.reference.familiar} headingLevel={1} />
          <DateForm repository={outcome.reference.repository} tag={outcome.reference.tag!} />
          <p className="text-sm">
            <Link href={referenceHref(outcome.reference)} className="text-sky-700 underline underline-offset-2 dark:text-sky-400">
              See {outcome.reference.familiar} now
            </Link>
          </p>
        </div>
      );
    case 'repository':
      return <RepositoryPage name={outcome.name} reference={outcome.reference} tags={outcome.tags} moves={outcome.moves} watch={outcome.watch} />;
    case 'registry':
      return <RegistryPage address={outcome} searchable={outcome.searchable} />;
    case 'image':
      return <ImagePage reference={outcome.reference} page={outcome.page} history={outcome.history} />;
  }
}

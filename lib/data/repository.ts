import 'server-only';
// The repository view: every tag grouped by the digest it points at (the index digest
// `docker pull` prints), each group with its platforms, attestations and signatures.
// Built as a stream of events so a page can show rows while a big repository resolves;
// the JSON answer is the same events folded together.
//
// Request plan (docs/performance.md "The request plan"): list the tags; HEAD each tag (a GET only
// where HEAD has no digest); GET each distinct digest once, and each distinct platform manifest
// once; a single manifest's config once, for its platform. Tags are queued in the order the person
// sees them, and a group's GETs inherit its first tag's place, so the first screen resolves first.

import { toApiError } from '../api/errors';
import type { ApiErrorInfo, Group, RepositoryEvent, RepositoryInfo, RepositoryResponse, SignatureTag, TagError } from '../api/types';
import { inPool } from '../common/in-pool';
import { recordView } from '../server/metrics';
import { groupOf as describedGroup, listRepository, newestPush, undescribedGroup, type Listing } from './listing';
import { getRegistryService, type RegistryService, type TagTarget } from './service';
import { Budget, isBudgetEnd, LIMITS, parseSignatureTag, resolveImage, type Reference, type RegistryError, type ResolvedImage } from '../registry';
import { compareDates, compareVersions, parseSort, sortTags, type Sort } from '../common/tag-order';

export interface RepositoryViewOptions {
  sort?: Sort;
  /** The client's cancellation: when it leaves, the view's upstream work stops. */
  signal?: AbortSignal;
  /** Overrides of the view's budget (LIMITS.viewManifests, LIMITS.viewDeadlineMs). */
  budget?: { fetches?: number; deadlineMs?: number };
}

export interface GroupOptions {
  /** Queue place at a busy registry host (lower sooner). */
  priority?: number;
  /** Load every platform's config for its `created` date. */
  withCreated?: boolean;
  budget?: Budget;
  /** Told of the group as soon as its index is read, before its platform manifests (see resolveImage). */
  onPreview?: (group: Group) => void;
}

interface GroupState {
  promise: Promise<{ group: Group; problems: RegistryError[] }>;
  tags: Set<string>;
  /** How many tags the group had when it was last sent. */
  sentTags: number;
  group: Group | null;
}

/** Builds a group from its digest (lib/registry/resolve.ts), through the cache and the view's budget. */
export async function resolveGroup(service: RegistryService, repo: Reference, digest: string, { priority = 0, withCreated = false, budget, onPreview }: GroupOptions = {}) {
  const options = { priority, budget };
  const top = await service.manifest(repo, digest, options);
  const image = await resolveImage(
    top,
    // A group shows once its index is read; its platform manifests (sizes, image IDs) queue
    // behind the first screen's tags, so the first screen's groups all appear sooner.
    {
      manifest: (child) => service.manifest(repo, child, { ...options, priority: priority + LIMITS.firstScreenTags }),
      config: (descriptor) => service.config(repo, descriptor, { ...options, priority: priority + LIMITS.firstScreenTags }),
    },
    { withCreated, signal: budget?.signal, onIndex: onPreview && ((preview) => onPreview(groupOf(digest, preview))) },
  );
  return { group: groupOf(digest, image), problems: image.errors.map((e) => e.error) };
}

/** A resolved image as the API's group (its tags filled by the view). */
function groupOf(digest: string, image: ResolvedImage): Group {
  const group: Group = {
    digest,
    mediaType: image.mediaType,
    kind: image.kind,
    size: image.size,
    tags: [],
    // A registry's /v2 API says nothing of push and pull dates: null, never invented.
    platforms: image.platforms.map((p) => ({ ...p, lastPushed: null, lastPulled: null })),
    attestations: image.attestations,
    signatures: [],
    artifactType: image.artifactType,
    lastPushed: null,
  };
  if (image.created !== undefined) group.created = image.created;
  return group;
}

export interface RepositoryView {
  repository: string;
  tags: string[];
  truncated: boolean;
  /** Resolves every tag, telling `emit` of each event; returns the folded answer. */
  run(emit?: (event: RepositoryEvent) => void): Promise<RepositoryResponse>;
}

/**
 * Lists the tags (failing here for an unknown repository, missing credentials …, before any
 * streaming starts), and returns the view ready to run. The view's upstream work carries one
 * budget — manifest GETs, a deadline, the client's cancellation — and stops when it ends.
 */
export async function getRepository(
  repo: Reference,
  options: RepositoryViewOptions = {},
  service: RegistryService = getRegistryService(),
): Promise<RepositoryView> {
  const started = performance.now();
  const sort = options.sort ?? parseSort(null)!;
  const budget = new Budget({
    fetches: options.budget?.fetches ?? LIMITS.viewManifests,
    deadlineMs: options.budget?.deadlineMs ?? LIMITS.viewDeadlineMs,
    signal: options.signal,
    what: `the view of ${repo.path}`,
  });
  let listing: Listing;
  try {
    listing = await listRepository(service, repo, budget);
  } catch (error) {
    budget.done();
    throw error;
  }
  const { list } = listing;
  const imageTags = sortTags(
    list.tags.filter((tag) => parseSignatureTag(tag) === null),
    sort,
    (tag) => listing.pushed.get(tag) ?? null,
  );
  const signatureTags = list.tags.filter((tag) => parseSignatureTag(tag) !== null);
  const invalidTags = list.invalidTags ?? 0;

  return timed(started, {
    repository: repo.repository,
    tags: list.tags,
    truncated: list.truncated,
    async run(emit = () => {}) {
      const groups = new Map<string, GroupState>();
      const errors: TagError[] = [];
      const notices: ApiErrorInfo[] = [];
      const total = list.tags.length;
      let resolved = 0;
      let unresolved = 0;
      let undescribed = 0;
      let lastProgress = 0;
      const progress = (force = false) => {
        const now = Date.now();
        if (force || now - lastProgress >= 100) {
          lastProgress = now;
          emit({ type: 'progress', resolved, total });
        }
      };
      const notice = (code: ApiErrorInfo['code'], message: string, details?: Record<string, unknown>) => {
        const info: ApiErrorInfo = details ? { code, message, details } : { code, message };
        notices.push(info);
        emit({ type: 'notice', notice: info });
      };
      const tagError = (tag: string, error: unknown) => {
        // The view's budget ended (or its client left): counted once below, not per tag.
        if (isBudgetEnd(error, budget)) {
          unresolved++;
          return;
        }
        const info = toApiError(error).toJSON();
        errors.push({ tag, error: info });
        emit({ type: 'error', tag, error: info });
      };
      const send = (state: GroupState) => {
        if (!state.group || state.sentTags === state.tags.size) return;
        // Within a group, aliases read shortest first, like Docker Hub: 3.12, 3.12.9, 3.12.9-r0.
        state.group.tags = [...state.tags].sort(compareVersions);
        // One date per group, the newest push among all its tags — a tag the web API lists with
        // `images: []` or without a digest included — and the same date the sort orders by.
        const pushes = state.group.tags.map((tag) => listing.pushed.get(tag) ?? null).reduce(newestPush, null);
        if (pushes !== null) state.group.lastPushed = pushes;
        state.sentTags = state.tags.size;
        emit({ type: 'group', group: state.group });
      };

      emit({
        type: 'tags',
        repository: repo.repository,
        tags: [...imageTags, ...signatureTags],
        truncated: list.truncated,
        truncatedBy: list.truncatedBy ?? null,
        invalidTags,
      });
      for (const info of listing.notices) notice(info.code, info.message, info.details);
      const info: RepositoryInfo | null = listing.repository
        ? { description: listing.repository.description, stars: listing.repository.starCount, pullCount: listing.repository.pullCount, lastUpdated: listing.repository.lastUpdated }
        : null;
      emit({ type: 'repository', info, pulls: service.pulls(repo) });
      if (list.truncatedBy) notice('TOO_LARGE', `Only part of the tag list was read: ${list.truncatedBy}.`);
      if (invalidTags > 0) {
        notice('UPSTREAM', `The registry listed ${invalidTags} ${invalidTags === 1 ? 'name that is not a valid tag' : 'names that are not valid tags'}; ${invalidTags === 1 ? 'it was' : 'they were'} left out.`, { invalidTags });
      }

      // A group: as the web API describes it (no request), else from the registry — unless each
      // manifest GET is a pull there, and then it waits, without platforms, until someone asks.
      const groupFor = (tag: string, target: TagTarget, priority: number): GroupState['promise'] => {
        // A legacy tag's record lists the platforms but no digest: joined to the HEAD's digest.
        const legacy = listing.undigested.get(tag);
        const described = listing.groups.get(target.digest) ?? (legacy ? describedGroup(legacy, target.digest) : null);
        if (described) return Promise.resolve({ group: { ...described, tags: [] }, problems: [] });
        if (listing.freeOnly) {
          undescribed++;
          // The web API said when the tag was pushed, if not what it is.
          return Promise.resolve({ group: undescribedGroup(target.digest, target.mediaType, target.size), problems: [] });
        }
        // The group is shown as soon as its index is read; its platforms' sizes follow.
        const onPreview = (preview: Group) => {
          const state = groups.get(target.digest);
          if (!state || state.group) return;
          state.group = preview;
          send(state);
        };
        return resolveGroup(service, repo, target.digest, { priority, withCreated: sort.key === 'created', budget, onPreview });
      };
      const resolveTag = async (tag: string, priority: number) => {
        try {
          const digest = listing.digests.get(tag);
          // Described tags need no request; the others a HEAD (free on Docker Hub).
          const target = digest ? { digest, mediaType: null, size: null } : await service.resolveTag(repo, tag, { priority, budget });
          let state = groups.get(target.digest);
          if (!state) {
            state = { promise: groupFor(tag, target, priority), tags: new Set(), sentTags: 0, group: null };
            groups.set(target.digest, state);
          }
          state.tags.add(tag);
          const { group, problems } = await state.promise;
          if (state.group !== group) {
            // The final group replaces a preview: send it even if no tag was added since.
            if (state.group) state.sentTags = -1;
            state.group = group;
          }
          for (const problem of problems) tagError(tag, problem);
          send(state);
        } catch (error) {
          tagError(tag, error);
        } finally {
          resolved++;
          progress();
        }
      };

      const signatures: SignatureTag[] = [];
      try {
        const resolveSignature = async (tag: string, priority: number) => {
          try {
            const target = await service.resolveTag(repo, tag, { priority, budget });
            signatures.push({ tag, digest: target.digest });
          } catch (error) {
            tagError(tag, error);
          } finally {
            resolved++;
            progress();
          }
        };
        // Tags are taken in view order by a bounded pool, not all started at once: the host
        // lets TAGSCOPE_CONCURRENCY requests through anyway, and 10,000 resolutions started
        // together cost the first screen ~0.3 s of CPU (promises, abort listeners, queue
        // entries) while its own requests wait (docs/performance.md).
        const work = [...imageTags.map((tag) => ({ tag, signature: false })), ...signatureTags.map((tag) => ({ tag, signature: true }))];
        await inPool(work, LIMITS.viewTagsInFlight, ({ tag, signature }, i) => (signature ? resolveSignature(tag, i) : resolveTag(tag, i)));
      } finally {
        budget.done();
      }
      // A group first met through a tag listed with `images: []` takes its platforms from another
      // of its tags' legacy records, now that every tag's digest is known.
      for (const state of groups.values()) {
        if (!state.group?.platformsNeedPull) continue;
        const record = [...state.tags].map((tag) => listing.undigested.get(tag)).find((r) => r !== undefined);
        const described = record ? describedGroup(record, state.group.digest) : null;
        if (!described) continue;
        undescribed--;
        state.group = { ...described, tags: [] };
        state.sentTags = -1;
        send(state);
      }
      if (undescribed > 0) {
        notice(
          'PULL_RESERVE',
          `${undescribed} ${undescribed === 1 ? 'image is' : 'images are'} not described by ${repo.registry}'s web API; ${undescribed === 1 ? 'its' : 'their'} platforms cost a pull each, so they are fetched only when asked for: open the tag.`,
          { undescribed },
        );
      }
      if (budget.cut) {
        notice(budget.cut.code, `${budget.cut.message}: ${unresolved} of ${total} tags were not resolved.`, { unresolved, ...budget.cut.details });
      }

      // Signatures join the group whose index or platform digest they name (cosign's tag scheme).
      const resolvedGroups = [...groups.values()].flatMap((state) => (state.group ? [state] : []));
      const unattached: SignatureTag[] = [];
      for (const signature of signatures.sort((a, b) => (a.tag < b.tag ? -1 : 1))) {
        const subject = parseSignatureTag(signature.tag)!.subject;
        const owner =
          resolvedGroups.find((s) => s.group!.digest === subject) ??
          resolvedGroups.find((s) => s.group!.platforms.some((p) => p.digest === subject));
        if (owner) {
          owner.group!.signatures.push(signature);
          owner.sentTags = -1; // changed: send again
          send(owner);
        } else {
          unattached.push(signature);
        }
      }
      if (unattached.length > 0) emit({ type: 'unattached', signatures: unattached });
      progress(true);

      // Groups in the order of their first tag in the view's sort; by push date, in the order of
      // the date each group shows (its newest tag's), undated groups counted oldest as the
      // table does (lib/swr/repository-state.ts), whichever way the sort runs.
      const order = new Map(imageTags.map((tag, i) => [tag, i]));
      const rank = (group: Group) => Math.min(...group.tags.map((tag) => order.get(tag) ?? Infinity));
      const byPush = (a: Group, b: Group) => compareDates(a.lastPushed ?? null, b.lastPushed ?? null) * (sort.descending ? -1 : 1);
      const folded = resolvedGroups.map((s) => s.group!).sort((a, b) => (sort.key === 'pushed' ? byPush(a, b) : 0) || rank(a) - rank(b));
      const pulls = service.pulls(repo);
      emit({ type: 'repository', info, pulls });
      return { repository: repo.repository, groups: folded, unattached, errors, truncated: list.truncated, invalidTags, notices, info, pulls };
    },
  });
}

/** The view whose run is timed from `started` (its tag list) to its last answer, for the metrics. */
function timed(started: number, view: RepositoryView): RepositoryView {
  const run = view.run;
  return {
    ...view,
    async run(emit) {
      try {
        return await run(emit);
      } finally {
        recordView('repository', (performance.now() - started) / 1000);
      }
    },
  };
}

// The repository view as the browser holds it while the NDJSON stream arrives, and the rows
// the table shows: groups and still-resolving tags, filtered and sorted as the URL says.
// Pure functions, shared by the page, its tests and anything else that reads the stream.

import type { ApiErrorInfo, Group, PlatformInfo, RepositoryEvent, RepositoryInfo, SignatureTag } from '../api/types';
import type { NameMatcher } from '../common/name-filter';
import type { PullState } from '../registry/pull-budget';
import { parsePlatform, platformKey, platformOfRow } from '../registry/platform';
import { parseSignatureTag } from '../registry/reference';
import { compareDates, compareNames, compareVersionKeys, compareVersions, tagsBySpecificity, versionKey, versionSpecificity, type Sort, type VersionKey } from '../common/tag-order';

export interface RepositoryState {
  repository: string;
  /** Every tag name, signature tags included, as the stream listed them. */
  tags: string[];
  truncated: boolean;
  groups: Map<string, Group>;
  /** Which group each tag is in, once known. */
  groupOfTag: Map<string, string>;
  tagErrors: Map<string, ApiErrorInfo>;
  unattached: SignatureTag[];
  resolved: number;
  total: number;
  done: boolean;
  /** A failure of the whole view. */
  error: ApiErrorInfo | null;
  /** What limited the view: a tag list cut short, names left out, a budget reached. */
  notices: ApiErrorInfo[];
  /** The registry web API's description of the repository, and the registry's pull budget. */
  info: RepositoryInfo | null;
  pulls: PullState | null;
}

export function initialState(repository: string, tags: string[] = []): RepositoryState {
  return {
    repository,
    tags,
    truncated: false,
    groups: new Map(),
    groupOfTag: new Map(),
    tagErrors: new Map(),
    unattached: [],
    resolved: 0,
    total: tags.length,
    done: false,
    error: null,
    notices: [],
    info: null,
    pulls: null,
  };
}

/** Applies a batch of events; returns a new state when anything changed. */
export function applyEvents(state: RepositoryState, events: RepositoryEvent[]): RepositoryState {
  if (events.length === 0) return state;
  const next: RepositoryState = {
    ...state,
    groups: new Map(state.groups),
    groupOfTag: new Map(state.groupOfTag),
    tagErrors: new Map(state.tagErrors),
  };
  for (const event of events) {
    switch (event.type) {
      case 'tags':
        next.tags = event.tags;
        next.truncated = event.truncated;
        next.total = event.tags.length;
        break;
      case 'group':
        next.groups.set(event.group.digest, event.group);
        for (const tag of event.group.tags) next.groupOfTag.set(tag, event.group.digest);
        for (const signature of event.group.signatures) next.groupOfTag.set(signature.tag, event.group.digest);
        break;
      case 'error':
        if (event.tag !== undefined) next.tagErrors.set(event.tag, event.error);
        else next.error = event.error;
        break;
      case 'unattached':
        next.unattached = event.signatures;
        break;
      case 'notice':
        next.notices = [...next.notices, event.notice];
        break;
      case 'repository':
        next.info = event.info;
        next.pulls = event.pulls;
        break;
      case 'progress':
        next.resolved = event.resolved;
        next.total = event.total;
        break;
      case 'done':
        next.done = true;
        break;
    }
  }
  return next;
}

export type Row =
  | {
      kind: 'group';
      id: string;
      group: Group;
      /** The group's tags as shown, most specific first (`3.14.3, 3.14, 3, latest`). */
      tags: string[];
      /** With a platform chosen, that platform's image in this group (what Docker Hub lists per row). */
      platform: PlatformInfo | null;
      shares: Sharing | null;
    }
  | { kind: 'pending'; id: string; tag: string }
  | { kind: 'error'; id: string; tag: string; error: ApiErrorInfo };

export interface Sharing {
  /** The other group's first tag. */
  tag: string;
  digest: string;
  shared: number;
  of: number;
}

/** For each group, the other group it shares the most (but not all) platform images with. */
export function computeSharing(groups: Group[]): Map<string, Sharing> {
  const owners = new Map<string, Group[]>();
  for (const group of groups) {
    for (const platform of group.platforms) owners.set(platform.digest, [...(owners.get(platform.digest) ?? []), group]);
  }
  const result = new Map<string, Sharing>();
  for (const group of groups) {
    if (group.platforms.length < 2) continue;
    const counts = new Map<Group, number>();
    for (const platform of group.platforms) {
      for (const other of owners.get(platform.digest) ?? []) if (other !== group) counts.set(other, (counts.get(other) ?? 0) + 1);
    }
    let best: [Group, number] | null = null;
    for (const [other, count] of counts) {
      if (count >= group.platforms.length) continue; // shares every image: a superset, not news
      if (!best || count > best[1] || (count === best[1] && compareVersions(other.tags[0] ?? '', best[0].tags[0] ?? '') > 0)) best = [other, count];
    }
    if (best) result.set(group.digest, { tag: best[0].tags.at(-1) ?? best[0].digest, digest: best[0].digest, shared: best[1], of: group.platforms.length });
  }
  return result;
}

// Tags parsed once per page, not once per redraw: a streaming 2,000-tag view rebuilds its rows
// many times. Bounded, so a long session browsing many repositories does not keep every name.
const VERSION_KEYS = new Map<string, VersionKey>();
const VERSION_KEYS_MAX = 100_000;
function cachedVersionKey(tag: string): VersionKey {
  let key = VERSION_KEYS.get(tag);
  if (!key) {
    if (VERSION_KEYS.size >= VERSION_KEYS_MAX) VERSION_KEYS.clear();
    VERSION_KEYS.set(tag, (key = versionKey(tag)));
  }
  return key;
}

export interface RowOptions {
  /** The `q` filter (lib/swr/use-name-matcher.ts); its error is the filter box's. */
  filter: NameMatcher;
  sort: Sort;
  /** `linux/arm64`, matched after normalization; empty for all. */
  platform: string;
}

/** The table's rows: groups, tags still resolving, tags that failed; filtered and sorted. */
export function buildRows(state: RepositoryState, options: RowOptions): { rows: Row[]; filterError: string | null } {
  const test = (tag: string) => options.filter.test(tag);
  const wanted = options.platform ? parsePlatform(options.platform) : null;
  const wantedKey = wanted ? platformKey(wanted) : null;
  const groups = [...state.groups.values()];
  // The date a row sorts by: the build date, or the push date, as the sort asks.
  const dateOf = (group: Group) => (options.sort.key === 'pushed' ? (group.lastPushed ?? null) : (group.created ?? null));
  const sharing = computeSharing(groups);
  const signatureTags = new Set([...groups.flatMap((g) => g.signatures.map((s) => s.tag)), ...state.unattached.map((s) => s.tag)]);

  const rows: { row: Row; tags: string[]; created: string | null }[] = [];
  for (const group of groups) {
    if (!group.tags.some(test)) continue;
    const platform = wantedKey ? group.platforms.find((p) => platformKey(platformOfRow(p)) === wantedKey) : null;
    if (platform === undefined) continue;
    const row: Row = { kind: 'group', id: group.digest, group, tags: tagsBySpecificity(group.tags), platform, shares: sharing.get(group.digest) ?? null };
    rows.push({ row, tags: group.tags, created: dateOf(group) });
  }
  for (const tag of state.tags) {
    if (state.groupOfTag.has(tag) || signatureTags.has(tag) || parseSignatureTag(tag) !== null) continue;
    if (!test(tag)) continue;
    const failure = state.tagErrors.get(tag);
    if (failure) rows.push({ row: { kind: 'error', id: `error:${tag}`, tag, error: failure }, tags: [tag], created: null });
    else if (!wantedKey && !state.done) rows.push({ row: { kind: 'pending', id: `pending:${tag}`, tag }, tags: [tag], created: null });
  }

  // A row sorts by its best tag in the chosen order; pending rows sort like groups.
  const keyOf = cachedVersionKey;
  const compareTag = options.sort.key === 'name' ? compareNames : (a: string, b: string) => compareVersionKeys(keyOf(a), keyOf(b));
  const direction = options.sort.descending ? -1 : 1;
  // A group ranks by its most specific version tag — `latest, 3, 3.14, 3.14.3` as 3.14.3, not as
  // the floating `3` — and by name, by its first name in the order asked for.
  const specificity = (tag: string) => versionSpecificity(keyOf(tag));
  const best = (tags: string[]) =>
    tags.reduce((a, b) => {
      if (options.sort.key !== 'name' && specificity(a) !== specificity(b)) return specificity(a) > specificity(b) ? a : b;
      return compareTag(a, b) * direction <= 0 ? a : b;
    });
  const keyed = rows.map((r) => ({ ...r, key: best(r.tags) }));
  // By date: undated rows count as oldest; ties (and undated rows) fall back to version order.
  const dated = options.sort.key === 'created' || options.sort.key === 'pushed';
  keyed.sort(
    (a, b) =>
      (dated ? compareDates(a.created, b.created) * direction : 0) ||
      compareTag(a.key, b.key) * direction ||
      compareNames(a.row.id, b.row.id),
  );
  return { rows: keyed.map((r) => r.row), filterError: options.filter.error };
}

function plural(count: number, word: string): string {
  return `${count.toLocaleString('en')} ${word}${count === 1 ? '' : 's'}`;
}

/**
 * The list's count as the person reads it: every tag and group, signature tags counted as such
 * ("20 tags + 1 signature in 7 groups"); with a filter or a platform, how many of them match
 * ("3 of 7 groups · 5 of 20 tags match 3.12").
 */
export function countSummary(state: RepositoryState, rows: Row[], options: { filter: string; platform: string }): string {
  const signatures = state.tags.filter((tag) => parseSignatureTag(tag) !== null).length;
  const tags = state.tags.length - signatures;
  const groups = state.groups.size;
  const whole = `${plural(tags, 'tag')}${signatures > 0 ? ` + ${plural(signatures, 'signature')}` : ''}${groups > 0 ? ` in ${plural(groups, 'group')}` : ''}`;
  const asked = [options.filter.trim(), options.platform].filter(Boolean);
  if (asked.length === 0) return whole;
  const shownGroups = rows.filter((row) => row.kind === 'group').length;
  const shownTags = rows.reduce((sum, row) => sum + (row.kind === 'group' ? row.group.tags.length : 1), 0);
  return `${shownGroups.toLocaleString('en')} of ${plural(groups, 'group')} · ${shownTags.toLocaleString('en')} of ${plural(tags, 'tag')} match ${asked.join(' on ')}`;
}

export interface DigestMatch {
  digest: string;
  /** What it is here, in the table's words: `index digest of 3.14, latest`. */
  what: string;
}

/**
 * The digests of the loaded groups that start with `prefix` (hex, `sha256:` optional): index
 * digests, platform digests and image IDs, so the 12-character short IDs that `docker images`
 * and this page show find their image. One entry per digest, however many places name it.
 */
export function findDigests(groups: Iterable<Group>, prefix: string): DigestMatch[] {
  const hex = prefix.trim().toLowerCase().replace(/^sha256:/, '');
  const found = new Map<string, string>();
  const add = (digest: string | null, what: string) => {
    if (digest && digest.slice('sha256:'.length).startsWith(hex) && !found.has(digest)) found.set(digest, what);
  };
  for (const group of groups) {
    const tags = group.tags.join(', ') || shortGroupName(group);
    add(group.digest, `index digest of ${tags}`);
    for (const p of group.platforms) {
      add(p.digest, `platform digest of ${tags} (${p.platform})`);
      add(p.configDigest, `image ID of ${tags} (${p.platform})`);
    }
  }
  return [...found].map(([digest, what]) => ({ digest, what }));
}

function shortGroupName(group: Group): string {
  return group.digest.slice(0, 'sha256:'.length + 12);
}

// How tags are ordered: by name, by version (numbers compared as numbers, so 3.10 follows 3.9
// and 1.2.0-rc1 comes before 1.2.0, as semver says), by created date, or by push date (Docker
// Hub's default order, where the registry says when a tag was pushed). Shared by the server
// (which resolves the first screen first) and the table in the browser.

export const SORT_KEYS = ['name', 'version', 'created', 'pushed'] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export interface Sort {
  key: SortKey;
  descending: boolean;
}

/** `version` newest first is the default, like Docker Hub's "Newest". */
export const DEFAULT_SORT = 'version';

/**
 * Parses `name`, `-name`, `version`, … `version`, `created` and `pushed` mean newest first;
 * `name` A→Z; a leading `-` reverses either. Null for anything else.
 */
export function parseSort(value: string | null | undefined): Sort | null {
  const text = value ?? DEFAULT_SORT;
  const reversed = text.startsWith('-');
  const key = (reversed ? text.slice(1) : text) as SortKey;
  if (!SORT_KEYS.includes(key)) return null;
  const naturalDescending = key !== 'name';
  return { key, descending: reversed ? !naturalDescending : naturalDescending };
}

const VERSION = /^v?(\d+(?:\.\d+)*)(.*)$/i;

/** Chunks of digits and non-digits: "3.12.9-r0" → [3, ".", 12, ".", 9, "-r", 0]. */
function chunks(text: string): (string | number)[] {
  return (text.match(/\d+|\D+/g) ?? []).map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

function compareChunks(a: (string | number)[], b: (string | number)[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (x === y) continue;
    if (typeof x === 'number' && typeof y === 'number') return x - y;
    if (typeof x === 'number') return 1; // numbers after text: "1.2.x" < "1.2.3"
    if (typeof y === 'number') return -1;
    return x < y ? -1 : 1;
  }
  return 0;
}

/** A tag parsed once for version comparison. */
export interface VersionKey {
  tag: string;
  core: (string | number)[] | null;
  suffix: string;
  suffixChunks: (string | number)[];
}

export function versionKey(tag: string): VersionKey {
  const match = VERSION.exec(tag);
  if (!match) return { tag, core: null, suffix: '', suffixChunks: [] };
  return { tag, core: chunks(match[1]!), suffix: match[2]!, suffixChunks: chunks(match[2]!) };
}

export function compareVersionKeys(a: VersionKey, b: VersionKey): number {
  if (!a.core || !b.core) {
    if (a.core) return 1;
    if (b.core) return -1;
    return a.tag < b.tag ? -1 : a.tag > b.tag ? 1 : 0;
  }
  const core = compareChunks(a.core, b.core);
  if (core !== 0) return core;
  if (a.suffix === b.suffix) return 0;
  // semver: a pre-release ("-rc1") comes before the release; other suffixes after it.
  if (a.suffix === '') return b.suffix.startsWith('-') ? 1 : -1;
  if (b.suffix === '') return a.suffix.startsWith('-') ? -1 : 1;
  return compareChunks(a.suffixChunks, b.suffixChunks);
}

/** Ascending version order; tags that are not versions sort before every version. */
export function compareVersions(a: string, b: string): number {
  return compareVersionKeys(versionKey(a), versionKey(b));
}

export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** ISO 8601 dates oldest first, an unknown date (null) before every known one: the one date order of every list. */
export function compareDates(a: string | null, b: string | null): number {
  return a === b ? 0 : a === null ? -1 : b === null ? 1 : a < b ? -1 : 1;
}

/** Sorts tag names for a sort; `created` or `pushed` without dates falls back to version order. */
export function sortTags(tags: readonly string[], sort: Sort, date?: (tag: string) => string | null): string[] {
  // Each tag is parsed once, not once per comparison: 10,000 tags sort in a few milliseconds.
  const keyed = tags.map((tag) => ({ tag, key: versionKey(tag), created: (sort.key === 'created' || sort.key === 'pushed') && date ? date(tag) : null }));
  const base = sort.key === 'name' ? (a: (typeof keyed)[number], b: (typeof keyed)[number]) => compareNames(a.tag, b.tag) : (a: (typeof keyed)[number], b: (typeof keyed)[number]) => compareVersionKeys(a.key, b.key);
  keyed.sort((a, b) => compareDates(a.created, b.created) || base(a, b));
  const sorted = keyed.map((k) => k.tag);
  return sort.descending ? sorted.reverse() : sorted;
}

/** How many version numbers a tag names: `3.14.3-r1` 3, `3` 1, `latest` -1 (not a version). */
export function versionSpecificity(key: VersionKey): number {
  return key.core?.filter((part) => typeof part === 'number').length ?? -1;
}

/**
 * A group's tags as people read them, most specific first: `3.14.3-r1, 3.14.3, 3.14, 3, latest`.
 * More version numbers first, then a suffix (a package revision such as `-r1` pins more than
 * the bare version), then the newer version; names that are not versions last, A–Z.
 */
export function tagsBySpecificity(tags: readonly string[]): string[] {
  const keyed = tags.map((tag) => ({ tag, key: versionKey(tag) }));
  keyed.sort(
    (a, b) =>
      versionSpecificity(b.key) - versionSpecificity(a.key) ||
      (a.key.core ? b.key.suffixChunks.length - a.key.suffixChunks.length || compareVersionKeys(b.key, a.key) : 0) ||
      compareNames(a.tag, b.tag),
  );
  return keyed.map((k) => k.tag);
}

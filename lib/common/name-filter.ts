// The filter syntax of the lists people narrow down — a repository's tags, a registry's
// repositories: a substring (case-insensitive), or a regular expression written as /…/ with its
// flags. One parse and one engine for every side, so `q` means the same in the address bar, the
// page (in the browser and in its first HTML) and the API.
//
// The expression comes from a stranger (a link is enough), and JavaScript's own RegExp
// backtracks: /(a+)+$/ on 30 a's and a dash takes seconds, doubling with each a, and nothing can
// interrupt it. So expressions run on RE2 (the re2js port), which matches in time linear in the
// name for any expression, bounded in length here. A linear engine still costs something per
// name, so every matcher also has a time budget over all the names it tests: past it, it
// stops and says so, as it says an expression is invalid. RE2 has no backreferences and no
// lookaround (they are what needs backtracking); those get a message saying what to write.
//
// Pure, no I/O, safe in the browser: the engine is passed in, so the browser loads re2js only
// when a /regex/ is asked for (lib/swr/use-name-matcher.ts) and the server imports it.

import type { RE2JS } from 're2js';

/** The engine: re2js's RE2JS class. */
export type RegexEngine = typeof RE2JS;

/** Characters an expression may have, between the slashes. */
export const FILTER_MAX_LENGTH = 256;

/**
 * Characters, classes and escapes an expression may stand for once its counted repeats are
 * written out (`\w{1,30}` is 30): RE2's program grows with it, and so do its compile time and
 * its time per name (at 19,000, 200 ms to compile and 400 ms for one 128-character tag; at
 * this bound, tens of milliseconds at worst).
 */
export const FILTER_MAX_EXPANDED = 256;

/** Time one expression may spend over the names a page filters (in the browser, and in the repository page's first HTML). */
export const PAGE_FILTER_BUDGET_MS = 250;

export type NameFilter =
  | { kind: 'all' }
  /** `needle` lower-cased; names are compared lower-cased. */
  | { kind: 'substring'; needle: string }
  /** `flags` are the ones that mean something to a filter (i, m, s, u); `g` and `y` are dropped. */
  | { kind: 'regex'; source: string; flags: string }
  | { kind: 'invalid'; error: string };

const ENGINE_FLAGS = { i: 'CASE_INSENSITIVE', m: 'MULTILINE', s: 'DOTALL' } as const;
// `u` is accepted and changes nothing: RE2 always matches by code point.
const SUPPORTED_FLAGS = new Set(['i', 'm', 's', 'u']);
const IGNORED_FLAGS = new Set(['g', 'y']);

const WHY = 'the filter matches in linear time (RE2 syntax), so it cannot';
const UNSUPPORTED = {
  backreference: `backreferences (\\1, \\k<name>) are not supported: ${WHY} refer back to a group; write the group's pattern again`,
  lookahead: `lookahead ((?=…), (?!…)) is not supported: ${WHY} look ahead; match the text itself, or exclude characters with a class such as [^-]`,
  lookbehind: `lookbehind ((?<=…), (?<!…)) is not supported: ${WHY} look behind; match the text itself, or anchor with ^`,
};

export function parseNameFilter(text: string): NameFilter {
  const trimmed = text.trim();
  if (trimmed === '') return { kind: 'all' };
  const regex = /^\/(.+)\/([a-z]*)$/.exec(trimmed);
  if (!regex) return { kind: 'substring', needle: trimmed.toLowerCase() };
  const source = regex[1]!;
  if (source.length > FILTER_MAX_LENGTH) {
    return { kind: 'invalid', error: `the regular expression is ${source.length} characters long, more than ${FILTER_MAX_LENGTH}: shorten it, or filter by a substring` };
  }
  const flags = [...new Set(regex[2]!)].filter((flag) => !IGNORED_FLAGS.has(flag));
  const unknown = flags.find((flag) => !SUPPORTED_FLAGS.has(flag));
  if (unknown !== undefined) return { kind: 'invalid', error: `the flag ${unknown} is not supported: use i, m, s or u` };
  const unsupported = unsupportedSyntax(source);
  if (unsupported) return { kind: 'invalid', error: UNSUPPORTED[unsupported] };
  const expanded = expandedSize(source);
  if (expanded > FILTER_MAX_EXPANDED) {
    return { kind: 'invalid', error: `the regular expression stands for ${expanded.toLocaleString('en')} characters and classes once its repeats {n,m} are written out, more than ${FILTER_MAX_EXPANDED.toLocaleString('en')}: use smaller counts, or * and +` };
  }
  return { kind: 'regex', source, flags: flags.join('') };
}

/** The first construct RE2 cannot match, outside character classes and escapes. */
function unsupportedSyntax(source: string): keyof typeof UNSUPPORTED | null {
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const char = source[i];
    if (char === '\\') {
      const next = source[i + 1] ?? '';
      if (!inClass && (/[1-9]/.test(next) || (next === 'k' && source[i + 2] === '<'))) return 'backreference';
      i++;
    } else if (inClass) {
      if (char === ']') inClass = false;
    } else if (char === '[') {
      inClass = true;
    } else if (char === '(' && source[i + 1] === '?') {
      const after = source.slice(i + 2, i + 4);
      if (after.startsWith('=') || after.startsWith('!')) return 'lookahead';
      if (after === '<=' || after === '<!') return 'lookbehind';
    }
  }
  return null;
}

/**
 * How many atoms (characters, escapes, classes) the expression has with each counted repeat
 * written out, nested repeats multiplied: an upper bound of RE2's program size, read before
 * compiling (the compile itself is what grows).
 */
function expandedSize(source: string): number {
  // One frame per open group: its atoms so far, and the size of its last item (what a quantifier repeats).
  const frames = [{ total: 0, last: 0 }];
  const top = () => frames.at(-1)!;
  const item = (size: number) => {
    top().total += size;
    top().last = size;
  };
  for (let i = 0; i < source.length; i++) {
    const char = source[i];
    if (char === '\\') {
      // \p{Greek}, \x{263a}: one atom, braces and all.
      const braced = /^\\[pPx]\{[^}]*\}/.exec(source.slice(i));
      i += braced ? braced[0].length - 1 : 1;
      item(1);
    } else if (char === '[') {
      for (i++; i < source.length && source[i] !== ']'; i++) if (source[i] === '\\') i++;
      item(1);
    } else if (char === '(') {
      frames.push({ total: 0, last: 0 });
    } else if (char === ')' && frames.length > 1) {
      item(frames.pop()!.total);
    } else if (char === '{') {
      const repeat = /^\{(\d+)(?:,(\d*))?\}/.exec(source.slice(i));
      if (!repeat) {
        item(1);
        continue;
      }
      const times = Math.max(Number(repeat[1]), repeat[2] ? Number(repeat[2]) : Number(repeat[1]) + 1);
      top().total += top().last * (times - 1);
      top().last *= times;
      i += repeat[0].length - 1;
    } else if (!'|*+?'.includes(char!)) {
      item(1);
    }
  }
  while (frames.length > 1) item(frames.pop()!.total);
  return top().total;
}

/** A filter ready to test names; `error` is set when it is invalid or ran out of time, and then nothing matches. */
export interface NameMatcher {
  test(name: string): boolean;
  readonly error: string | null;
}

/**
 * The matcher for a parsed filter. `engine` is needed for a regex only (null otherwise);
 * `budgetMs` is the time the expression may spend over every name this matcher tests. Each
 * name's answer is kept, so a list redrawn as a stream fills in costs each name once.
 */
export function nameMatcher(filter: NameFilter, engine: RegexEngine | null, budgetMs = PAGE_FILTER_BUDGET_MS): NameMatcher {
  switch (filter.kind) {
    case 'all':
      return { test: () => true, error: null };
    case 'invalid':
      return { test: () => false, error: filter.error };
    case 'substring':
      return { test: (name) => name.toLowerCase().includes(filter.needle), error: null };
    case 'regex': {
      if (!engine) throw new Error('a regular expression filter needs the regex engine loaded');
      let flags = 0;
      for (const flag of filter.flags) if (flag in ENGINE_FLAGS) flags |= engine[ENGINE_FLAGS[flag as keyof typeof ENGINE_FLAGS]];
      try {
        return new RegexMatcher(engine.compile(filter.source, flags), budgetMs);
      } catch (error) {
        return { test: () => false, error: `not a valid regular expression: ${(error as Error).message.replace(/^error parsing regexp: /, '')}` };
      }
    }
  }
}

class RegexMatcher implements NameMatcher {
  error: string | null = null;
  private spentMs = 0;
  private readonly answers = new Map<string, boolean>();

  constructor(
    private readonly pattern: RE2JS,
    private readonly budgetMs: number,
  ) {}

  test(name: string): boolean {
    if (this.error !== null) return false;
    const known = this.answers.get(name);
    if (known !== undefined) return known;
    const started = performance.now();
    const hit = this.pattern.test(name);
    this.spentMs += performance.now() - started;
    if (this.spentMs > this.budgetMs) {
      this.error = `the regular expression took longer than ${this.budgetMs} ms over the names it filters: simplify it, or filter by a substring`;
      this.answers.clear();
      return false;
    }
    this.answers.set(name, hit);
    return hit;
  }
}

// `q` as people type it — a substring, or /regex/ with flags — parsed once and matched by one
// engine (RE2) for the page, its first HTML and the API: linear in the name for any expression,
// bounded in length, and with a time budget over the names, so a link cannot hang a tab or the
// server. What RE2 cannot do (backreferences, lookaround) is said in words.
import { RE2JS } from 're2js';
import { describe, expect, it } from 'vitest';
import type { Group } from '@/lib/api/types';
import { FILTER_MAX_EXPANDED, FILTER_MAX_LENGTH, nameMatcher, PAGE_FILTER_BUDGET_MS, parseNameFilter, type RegexEngine } from '@/lib/common/name-filter';
import { applyEvents, buildRows, initialState } from '@/lib/swr/repository-state';
import { parseSort } from '@/lib/common/tag-order';
import { filterOf } from '../support/name-matcher';

describe('parseNameFilter', () => {
  it.each([
    ['', { kind: 'all' }],
    ['   ', { kind: 'all' }],
    [' App ', { kind: 'substring', needle: 'app' }],
    ['/', { kind: 'substring', needle: '/' }],
    ['/^team\\//', { kind: 'regex', source: '^team\\/', flags: '' }],
    ['/APP/gi', { kind: 'regex', source: 'APP', flags: 'i' }],
    ['/app/y', { kind: 'regex', source: 'app', flags: '' }],
    ['/app/imsu', { kind: 'regex', source: 'app', flags: 'imsu' }],
    ['/app/ii', { kind: 'regex', source: 'app', flags: 'i' }],
    ['/(?:a|b)(?<name>c)[\\1(?=]\\(?=x/', { kind: 'regex', source: '(?:a|b)(?<name>c)[\\1(?=]\\(?=x', flags: '' }], // in a class or escaped: characters, not syntax
    [`/${'a'.repeat(FILTER_MAX_LENGTH)}/`, { kind: 'regex', source: 'a'.repeat(FILTER_MAX_LENGTH), flags: '' }],
    ['/^sha256-[a-f0-9]{64}\\.sig$/', { kind: 'regex', source: '^sha256-[a-f0-9]{64}\\.sig$', flags: '' }],
    ['/\\p{Greek}{1,250}/', { kind: 'regex', source: '\\p{Greek}{1,250}', flags: '' }], // \p{…} is one class, its braces no repeat
    ['/a{/', { kind: 'regex', source: 'a{', flags: '' }],
  ])('%j', (text, expected) => {
    expect(parseNameFilter(text)).toEqual(expected);
  });

  it.each([
    ['an expression longer than the bound', `/${'a'.repeat(FILTER_MAX_LENGTH + 1)}/`, `the regular expression is ${FILTER_MAX_LENGTH + 1} characters long, more than ${FILTER_MAX_LENGTH}: shorten it, or filter by a substring`],
    ['repeats that expand too far', '/\\w{1,200}-\\w{1,200}/', `the regular expression stands for 401 characters and classes once its repeats {n,m} are written out, more than ${FILTER_MAX_EXPANDED}: use smaller counts, or * and +`],
    ['nested repeats, multiplied', '/(\\w{1,20}){1,20}/', /^the regular expression stands for 400 characters/],
    ['a repeat past any count', '/a{99999999999999999999999}/', /^the regular expression stands for .* more than 256/],
    ['a flag a filter has no use for', '/app/d', 'the flag d is not supported: use i, m, s or u'],
    ['a backreference', '/(a)\\1/', /^backreferences \(\\1, \\k<name>\) are not supported: .*linear time.*; write the group's pattern again$/],
    ['a named backreference', '/(?<x>a)\\k<x>/', /^backreferences .* are not supported/],
    ['a lookahead', '/^(?!latest)/', /^lookahead \(\(\?=…\), \(\?!…\)\) is not supported: .*; match the text itself, or exclude characters with a class such as \[\^-\]$/],
    ['a positive lookahead', '/a(?=b)/', /^lookahead .* is not supported/],
    ['a lookbehind', '/(?<=v)1/', /^lookbehind \(\(\?<=…\), \(\?<!…\)\) is not supported: .*; match the text itself, or anchor with \^$/],
    ['a negative lookbehind', '/(?<!v)1/', /^lookbehind .* is not supported/],
  ])('%s is invalid, saying what to write instead', (_, text, error) => {
    const parsed = parseNameFilter(text);
    expect(parsed).toEqual({ kind: 'invalid', error: typeof error === 'string' ? error : expect.stringMatching(error) });
    expect(filterOf(text)).toMatchObject({ error: parsed.kind === 'invalid' ? parsed.error : null });
    expect(filterOf(text).test('a')).toBe(false);
  });
});

describe('nameMatcher: what a filter keeps', () => {
  it.each([
    ['', 'anything', true],
    ['3.1', '3.12', true],
    ['ALP', 'alpine', true],
    ['/^3\\.1$/', '3.12', false],
    ['/^3\\.1\\d$/', '3.12', true],
    ['/ALPINE/', 'alpine', false],
    ['/ALPINE/i', 'alpine', true],
    ['/^b$/', 'a\nb', false],
    ['/^b$/m', 'a\nb', true],
    ['/a.b/', 'a\nb', false],
    ['/a.b/s', 'a\nb', true],
    ['/^.$/u', '😀', true],
    ['/a/g', 'a', true],
    ['/^[\\w.-]+$/', '3.13.0rc2-windowsservercore', true],
    ['/(a+)+$/', `${'a'.repeat(30)}-`, false],
  ])('%j on %j → %s', (filter, name, expected) => {
    const matcher = filterOf(filter);
    expect(matcher.error).toBeNull();
    expect(matcher.test(name)).toBe(expected);
    expect(matcher.test(name)).toBe(expected); // no lastIndex state between calls
  });

  it('an expression RE2 cannot read is invalid, with its reason', () => {
    expect(filterOf('/[/')).toMatchObject({ error: 'not a valid regular expression: missing closing ]: `[`' });
    expect(filterOf('/\\u0041/')).toMatchObject({ error: expect.stringMatching(/^not a valid regular expression: invalid escape sequence/) });
  });

  it('a substring needs no engine; a regex does', () => {
    expect(nameMatcher(parseNameFilter('app'), null).test('team/app')).toBe(true);
    expect(() => nameMatcher(parseNameFilter('/app/'), null)).toThrow(/needs the regex engine/);
    expect(nameMatcher(parseNameFilter('/app/'), RE2JS).test('team/app')).toBe(true);
  });
});

describe("the page's filter has a budget", () => {
  // 2,000 tags of 100 to 127 characters, shaped as catastrophic-backtracking cases: JavaScript's
  // RegExp needs 2^n steps on each (seconds at 30 a's, doubling per a), RE2 a pass over the name.
  const tags = Array.from({ length: 2_000 }, (_, i) => (i % 2 === 0 ? `${'a'.repeat(100 + (i % 27))}-` : `3.13.0rc2-windowsservercore-${'a'.repeat(80 + (i % 20))}`));
  const group = (n: number, groupTags: string[]): Group => ({
    digest: `sha256:${String(n).padStart(64, '0')}`, mediaType: 'application/vnd.oci.image.index.v1+json', kind: 'index', size: 1, tags: groupTags, platforms: [], attestations: [], signatures: [], artifactType: null, lastPushed: null,
  });
  const state = applyEvents(initialState('r'), [
    { type: 'tags', repository: 'r', tags: [...tags, 'aaaa'], truncated: false },
    { type: 'group', group: group(1, ['aaaa']) },
  ]);

  it.each([
    ['/(a+)+$/', ['aaaa']],
    ['/^([\\w.-]+)*!$/', []],
  ])('%s over 2,000 long tags: the right rows, well within the budget', (q, groups) => {
    const started = performance.now();
    const filter = filterOf(q);
    const { rows, filterError } = buildRows(state, { filter, sort: parseSort(null)!, platform: '' });
    const elapsed = performance.now() - started;
    expect(filterError).toBeNull();
    expect(rows.filter((row) => row.kind === 'group').map((row) => (row.kind === 'group' ? row.group.tags : []))).toEqual(groups.length ? [groups] : []);
    expect(elapsed).toBeLessThan(PAGE_FILTER_BUDGET_MS);
  });

  it('stops when the budget is spent, with the error line, matching nothing', () => {
    const many = Array.from({ length: 50_000 }, (_, i) => `${'a'.repeat(100)}${i}`);
    const filter = filterOf('/(\\w{1,8}.){1,8}\\w*[^a]{1,20}(x|y|z)/i', 5);
    const started = performance.now();
    const kept = many.filter((name) => filter.test(name));
    expect(performance.now() - started).toBeLessThan(PAGE_FILTER_BUDGET_MS * 4); // every name tested would take about 100 ms
    expect(filter.error).toBe('the regular expression took longer than 5 ms over the names it filters: simplify it, or filter by a substring');
    expect(kept).toEqual([]);
    expect(filter.test(many[0]!)).toBe(false);
  });

  it('a redraw asks the engine nothing new: answers are kept per name', () => {
    let asked = 0;
    const counting: RegexEngine = Object.assign(Object.create(RE2JS) as RegexEngine, {
      compile(source: string, flags?: number) {
        const pattern = RE2JS.compile(source, flags);
        const test = pattern.test.bind(pattern);
        pattern.test = (name) => (asked++, test(name));
        return pattern;
      },
    });
    const filter = nameMatcher(parseNameFilter('/^a+-$/'), counting);
    buildRows(state, { filter, sort: parseSort(null)!, platform: '' });
    expect(asked).toBe(new Set([...tags, 'aaaa']).size);
    for (let i = 0; i < 5; i++) buildRows(state, { filter, sort: parseSort(null)!, platform: '' });
    expect(asked).toBe(new Set([...tags, 'aaaa']).size);
  });
});

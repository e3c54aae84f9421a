// `q` on the server: the filter syntax people type (a substring, or /regex/ with flags), parsed
// once for the browser and the server, and a regular expression from a stranger bounded in time
// so one that backtracks fails the request, not the server.
import { describe, expect, it } from 'vitest';
import { ServerFilter } from '@/lib/data/server-filter';
import { parseNameFilter } from '@/lib/name-filter';

const NAMES = ['library/alpine', 'library/Busybox-like', 'team/app', 'team/app/api', 'bitnami/redis'];

describe('parseNameFilter', () => {
  it.each([
    ['', { kind: 'all' }],
    ['   ', { kind: 'all' }],
    [' App ', { kind: 'substring', needle: 'app' }],
    ['/^team\\//', { kind: 'regex', source: '^team\\/', flags: '' }],
    ['/APP/gi', { kind: 'regex', source: 'APP', flags: 'i' }],
    ['/app/y', { kind: 'regex', source: 'app', flags: '' }],
    ['/', { kind: 'substring', needle: '/' }],
    ['/(/', { kind: 'invalid', error: expect.stringMatching(/^not a valid regular expression: /) }],
  ])('%j', (text, expected) => {
    expect(parseNameFilter(text)).toEqual(expected);
  });
});

describe('ServerFilter', () => {
  it.each([
    ['', NAMES],
    ['APP', ['team/app', 'team/app/api']],
    ['/^team\\/app$/', ['team/app']],
    ['/busybox/i', ['library/Busybox-like']],
    ['/a/g', NAMES], // no lastIndex carried from one name to the next
  ])('%j keeps the matching names in their order', (q, expected) => {
    const filter = new ServerFilter(q);
    expect(filter.apply(NAMES)).toEqual(expected);
    expect(filter.apply(NAMES)).toEqual(expected);
  });

  it('an expression that does not compile is INVALID_QUERY, naming the parameter', () => {
    expect(() => new ServerFilter('/team-(/')).toThrow(expect.objectContaining({ code: 'INVALID_QUERY', message: expect.stringMatching(/^q: not a valid regular expression/), details: { parameter: 'q' } }));
  });

  it('an expression that backtracks catastrophically is stopped at the budget: INVALID_QUERY, and the process goes on', () => {
    // /^(a+)+$/ on 30 a's and a slash: 2^30 ways to fail, minutes of one core without a bound.
    const names = Array.from({ length: 10 }, (_, i) => `${'a'.repeat(30)}/x${i}`);
    const started = performance.now();
    expect(() => new ServerFilter('/^(a+)+$/', 'q', 200).apply(names)).toThrow(expect.objectContaining({ code: 'INVALID_QUERY', message: expect.stringContaining('took longer than 200 ms') }));
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('the budget is for the whole request: pages that each fit can still run out of it together', () => {
    const filter = new ServerFilter('/^(a+)+$/', 'q', 300);
    const page = [`${'a'.repeat(21)}/x`]; // tens of milliseconds each
    let pages = 0;
    expect(() => {
      for (; pages < 1_000; pages++) filter.apply(page);
    }).toThrow(expect.objectContaining({ code: 'INVALID_QUERY' }));
    expect(pages).toBeGreaterThan(0);
    expect(pages).toBeLessThan(1_000);
  });
});

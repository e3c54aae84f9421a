// `q` on the server: the filter people type (lib/name-filter.ts, tested there), run over the
// names a registry lists with the page's engine, and a budget for the whole request, so an
// expression that costs fails the request, not the server.
import { describe, expect, it } from 'vitest';
import { ServerFilter } from '@/lib/data/server-filter';

const NAMES = ['library/alpine', 'library/Busybox-like', 'team/app', 'team/app/api', 'bitnami/redis'];

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

  it.each([
    ['does not compile', '/team-(/', /^q: not a valid regular expression: missing closing \)/],
    ['needs backtracking', '/^(?!library)/', /^q: lookahead .* is not supported/],
    ['is too long', `/${'a'.repeat(300)}/`, /^q: the regular expression is 300 characters long, more than 256/],
  ])('an expression that %s is INVALID_QUERY before anything is fetched, naming the parameter', (_, q, message) => {
    expect(() => new ServerFilter(q)).toThrow(expect.objectContaining({ code: 'INVALID_QUERY', message: expect.stringMatching(message), details: { parameter: 'q' } }));
  });

  it("an expression that backtracks for minutes in JavaScript's RegExp is answered at once", () => {
    // /^(a+)+$/ on 30 a's and a slash: 2^30 ways to fail for a backtracking engine, one pass for RE2.
    const names = Array.from({ length: 1_000 }, (_, i) => `${'a'.repeat(30 + (i % 90))}/x${i}`);
    const started = performance.now();
    expect(new ServerFilter('/^(a+)+$/').apply([...names, 'aaaa'])).toEqual(['aaaa']);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('the budget is for the whole request: pages that each fit can still run out of it together', () => {
    const filter = new ServerFilter('/(\\w{1,30}.){1,30}\\w*[^a]{1,20}(x|y|z)/i', 'q', 20);
    const page = Array.from({ length: 1_000 }, (_, i) => `${'a'.repeat(100)}${i}`);
    let pages = 0;
    expect(() => {
      for (; pages < 1_000; pages++) filter.apply(page);
    }).toThrow(expect.objectContaining({ code: 'INVALID_QUERY', message: 'q: the regular expression took longer than 20 ms over the names it filters: simplify it, or filter by a substring' }));
    expect(pages).toBeLessThan(1_000);
  });
});

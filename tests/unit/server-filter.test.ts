// `q` on the server: the filter people type (lib/common/name-filter.ts, tested there), run over the
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
  ])('%j keeps the matching names in their order', async (q, expected) => {
    const filter = new ServerFilter(q);
    expect(await filter.apply(NAMES)).toEqual(expected);
    expect(await filter.apply(NAMES)).toEqual(expected);
  });

  it.each([
    ['does not compile', '/team-(/', /^q: not a valid regular expression: missing closing \)/],
    ['needs backtracking', '/^(?!library)/', /^q: lookahead .* is not supported/],
    ['is too long', `/${'a'.repeat(300)}/`, /^q: the regular expression is 300 characters long, more than 256/],
    ['expands too far', '/\\w{1,200}-\\w{1,200}/', /^q: the regular expression stands for 401 characters and classes once its repeats \{n,m\} are written out, more than 256: use smaller counts, or \* and \+$/],
  ])('an expression that %s is INVALID_QUERY before anything is fetched, naming the parameter', (_, q, message) => {
    expect(() => new ServerFilter(q)).toThrow(expect.objectContaining({ code: 'INVALID_QUERY', message: expect.stringMatching(message), details: { parameter: 'q' } }));
  });

  it("an expression that backtracks for minutes in JavaScript's RegExp is answered at once", async () => {
    // /^(a+)+$/ on 30 a's and a slash: 2^30 ways to fail for a backtracking engine, one pass for RE2.
    const names = Array.from({ length: 1_000 }, (_, i) => `${'a'.repeat(30 + (i % 90))}/x${i}`);
    const started = performance.now();
    expect(await new ServerFilter('/^(a+)+$/').apply([...names, 'aaaa'])).toEqual(['aaaa']);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('the budget is for the whole request: pages that each fit can still run out of it together', async () => {
    const filter = new ServerFilter('/(\\w{1,8}.){1,8}\\w*[^a]{1,20}(x|y|z)/i', 'q', 200);
    const page = (n: number) => Array.from({ length: 1_000 }, (_, i) => `${'a'.repeat(100)}${n}-${i}`);
    let pages = 0;
    await expect(
      (async () => {
        for (; pages < 1_000; pages++) await filter.apply(page(pages));
      })(),
    ).rejects.toThrow(expect.objectContaining({ code: 'INVALID_QUERY', message: 'q: the regular expression took longer than 200 ms over the names it filters: simplify it, or filter by a substring' }));
    expect(pages).toBeGreaterThan(0);
    expect(pages).toBeLessThan(1_000);
  });

  it('other work goes on while one request spends its budget: the event loop turns every few milliseconds', async () => {
    const names = Array.from({ length: 200_000 }, (_, i) => `${'a'.repeat(100)}${i}`);
    let turns = 0;
    const ticker = setInterval(() => turns++, 1);
    const started = performance.now();
    try {
      await expect(new ServerFilter('/(\\w{1,8}.){1,8}\\w*[^a]{1,20}(x|y|z)/i', 'q', 300).apply(names)).rejects.toThrow(expect.objectContaining({ code: 'INVALID_QUERY' }));
    } finally {
      clearInterval(ticker);
    }
    // One turn per 20 ms slice at least: without them, the ticker would not run until the end.
    expect(turns).toBeGreaterThanOrEqual(Math.floor((performance.now() - started) / 100));
    expect(turns).toBeGreaterThan(2);
  });
});

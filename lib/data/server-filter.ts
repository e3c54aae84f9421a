import 'server-only';
// A `q` filter (lib/common/name-filter.ts) run on the server over the names a registry lists, for an
// API answer. The engine is the page's (RE2, linear in the name for any expression), and the
// budget is for the whole request, however many pages of names it filters: past it the request
// fails with INVALID_QUERY and the names read so far are not answered as if they were all. The
// work yields to the event loop every few milliseconds, so a costly expression slows its own
// request only.

import { RE2JS } from 're2js';
import { ApiError } from '../api/errors';
import { nameMatcher, parseNameFilter, type NameMatcher } from '../common/name-filter';

/** Time one request's expression may run over all the names it filters. */
export const FILTER_BUDGET_MS = 1_000;

/** Matching done in one turn of the event loop at most. */
const SLICE_MS = 20;

export class ServerFilter {
  private readonly matcher: NameMatcher;

  /** Throws INVALID_QUERY for an expression that is invalid or unsupported, before anything is fetched. */
  constructor(
    text: string,
    /** The query parameter, for messages. */
    private readonly parameter = 'q',
    budgetMs = FILTER_BUDGET_MS,
  ) {
    const filter = parseNameFilter(text);
    this.matcher = nameMatcher(filter, filter.kind === 'regex' ? RE2JS : null, budgetMs);
    this.check();
  }

  /** The names that match, in their order; other requests are answered between slices of the work. */
  async apply(names: string[]): Promise<string[]> {
    const matched: string[] = [];
    let slice = performance.now();
    for (const name of names) {
      if (this.matcher.test(name)) matched.push(name);
      if (performance.now() - slice > SLICE_MS) {
        this.check();
        await new Promise((resolve) => setImmediate(resolve));
        slice = performance.now();
      }
    }
    this.check();
    return matched;
  }

  private check(): void {
    const { error } = this.matcher;
    if (error !== null) throw new ApiError('INVALID_QUERY', `${this.parameter}: ${error}`, { parameter: this.parameter });
  }
}

import 'server-only';
// A `q` filter (lib/name-filter.ts) run on the server over the names a registry lists, for an
// API answer. The engine is the page's (RE2, linear in the name for any expression), and the
// budget is for the whole request, however many pages of names it filters: past it the request
// fails with INVALID_QUERY and the names read so far are not answered as if they were all.

import { RE2JS } from 're2js';
import { ApiError } from '../api/errors';
import { nameMatcher, parseNameFilter, type NameMatcher } from '../name-filter';

/** Time one request's expression may run over all the names it filters. */
export const FILTER_BUDGET_MS = 1_000;

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

  /** The names that match, in their order. */
  apply(names: string[]): string[] {
    const matched = names.filter((name) => this.matcher.test(name));
    this.check();
    return matched;
  }

  private check(): void {
    const { error } = this.matcher;
    if (error !== null) throw new ApiError('INVALID_QUERY', `${this.parameter}: ${error}`, { parameter: this.parameter });
  }
}

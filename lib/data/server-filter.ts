import 'server-only';
// A `q` filter (lib/name-filter.ts) run on the server, over names a registry lists. A
// substring costs nothing; a regular expression comes from a stranger, and one such as
// /(a+)+$/ backtracks for minutes on a 40-character name, holding the event loop and every
// other request with it. So expressions run in a vm context with a time budget for the whole
// request: V8 interrupts a backtracking expression when the budget runs out
// (ERR_SCRIPT_EXECUTION_TIMEOUT), and the request fails with INVALID_QUERY instead of the
// server. The context is not a security boundary and need not be: it runs our one script,
// with the expression as data.

import vm from 'node:vm';
import { ApiError } from '../api/errors';
import { parseNameFilter, type NameFilter } from '../name-filter';

/** Time one request's expression may run over all the names it filters. */
export const FILTER_BUDGET_MS = 1_000;

const MATCH = new vm.Script('(() => { const pattern = new RegExp(source, flags); return names.map((name) => pattern.test(name)); })()');

export class ServerFilter {
  private readonly filter: NameFilter;
  private spentMs = 0;
  private context: vm.Context | null = null;

  /** Throws INVALID_QUERY for an expression that does not compile, before anything is fetched. */
  constructor(
    text: string,
    /** The query parameter, for messages. */
    private readonly parameter = 'q',
    private readonly budgetMs = FILTER_BUDGET_MS,
  ) {
    this.filter = parseNameFilter(text);
    if (this.filter.kind === 'invalid') throw new ApiError('INVALID_QUERY', `${parameter}: ${this.filter.error}`, { parameter });
  }

  /** The names that match, in their order. */
  apply(names: string[]): string[] {
    const filter = this.filter;
    switch (filter.kind) {
      case 'all':
      case 'invalid':
        return names;
      case 'substring':
        return names.filter((name) => name.toLowerCase().includes(filter.needle));
      case 'regex':
        return this.match(names, filter.source, filter.flags);
    }
  }

  private match(names: string[], source: string, flags: string): string[] {
    if (names.length === 0) return names;
    const left = Math.floor(this.budgetMs - this.spentMs);
    if (left <= 0) throw this.tooSlow();
    this.context ??= vm.createContext({ source, flags, names: [] });
    this.context.names = names;
    const started = performance.now();
    let hits: boolean[];
    try {
      hits = MATCH.runInContext(this.context, { timeout: left }) as boolean[];
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw this.tooSlow();
      throw error;
    } finally {
      this.spentMs += performance.now() - started;
      this.context.names = [];
    }
    return names.filter((_, i) => hits[i] === true);
  }

  private tooSlow(): ApiError {
    return new ApiError(
      'INVALID_QUERY',
      `${this.parameter}: the regular expression took longer than ${this.budgetMs} ms over the names it filters (it backtracks); simplify it, or filter by a substring`,
      { parameter: this.parameter },
    );
  }
}

// What one view may spend upstream: a deadline, a number of manifest and config GETs, and the
// client's own cancellation, folded into one AbortSignal that every request of the view
// carries. A registry is a stranger's server: a repository of endless tags, indexes that fan
// out, or answers that drip in must end the view's work, not hold the server. When a budget
// ends the view, `cut` says why, so the answer can say what was left out.

import { setMaxListeners } from 'node:events';
import { RegistryError } from './errors';

export interface BudgetOptions {
  /** Manifest and config GETs allowed. */
  fetches: number;
  deadlineMs: number;
  /** The client's cancellation: the view's work stops when the client leaves. */
  signal?: AbortSignal;
  /** What is being done, for messages: "the view of library/demo". */
  what: string;
}

/** Listeners one shared signal may have before Node warns: a view's requests in flight and their waits. */
export const SIGNAL_LISTENERS = 2_000;

export class Budget {
  readonly signal: AbortSignal;
  /** Why the budget ended the work, when it did; null while it runs or when the client left. */
  cut: RegistryError | null = null;
  private readonly controller = new AbortController();
  private readonly timer: ReturnType<typeof setTimeout>;
  private fetched = 0;

  constructor(private readonly options: BudgetOptions) {
    this.signal = this.controller.signal;
    // Every request of the view listens to this one signal (hundreds at once by design, not a
    // leak): Node's warning past 10 listeners would only be noise.
    setMaxListeners(SIGNAL_LISTENERS, this.signal);
    this.timer = setTimeout(
      () => this.stop(new RegistryError('TIMEOUT', `${options.what} stopped after ${options.deadlineMs / 1000} s, its time limit`, { limit: options.deadlineMs })),
      options.deadlineMs,
    );
    this.timer.unref?.();
    const client = options.signal;
    if (client?.aborted) this.leave();
    else client?.addEventListener('abort', () => this.leave(), { once: true });
  }

  /** GETs charged so far. */
  get spent(): number {
    return this.fetched;
  }

  /** Charges one GET; throws when the view has none left (and stops the rest of its work). */
  spend(): void {
    if (this.signal.aborted) throw this.signal.reason;
    if (this.fetched >= this.options.fetches) {
      this.stop(new RegistryError('TOO_LARGE', `${this.options.what} stopped after ${this.options.fetches} manifest and config requests, its limit`, { limit: this.options.fetches }));
      throw this.signal.reason;
    }
    this.fetched++;
  }

  /** Ends the work because the client went away: nobody is told, nothing is cut. */
  private leave(): void {
    if (this.signal.aborted) return;
    clearTimeout(this.timer);
    this.controller.abort(new RegistryError('TIMEOUT', `${this.options.what} was cancelled: the client went away`, { cancelled: true }));
  }

  private stop(reason: RegistryError): void {
    if (this.signal.aborted) return;
    clearTimeout(this.timer);
    this.cut = reason;
    this.controller.abort(reason);
  }

  /** Stops the deadline timer once the work is done. */
  done(): void {
    clearTimeout(this.timer);
  }
}

/** Was this error the end of a budget (a cut or a client that left), not a registry's answer? */
export function isBudgetEnd(error: unknown, budget: Budget | undefined): boolean {
  return budget !== undefined && budget.signal.aborted && error === budget.signal.reason;
}

import { describe, expect, it } from 'vitest';
import { Budget, isBudgetEnd } from '@/lib/registry/budget';
import { RegistryError } from '@/lib/registry/errors';

describe('Budget: what one view may spend upstream', () => {
  it('allows `fetches` GETs, then stops the view with TOO_LARGE and says why', () => {
    const budget = new Budget({ fetches: 2, deadlineMs: 60_000, what: 'the view of a/b' });
    budget.spend();
    budget.spend();
    expect(() => budget.spend()).toThrow('the view of a/b stopped after 2 manifest and config requests, its limit');
    expect(budget.signal.aborted).toBe(true);
    expect(budget.cut).toMatchObject({ code: 'TOO_LARGE', details: { limit: 2 } });
    expect(isBudgetEnd(budget.signal.reason, budget)).toBe(true);
    budget.done();
  });

  it('ends at its deadline with TIMEOUT', async () => {
    const budget = new Budget({ fetches: 10, deadlineMs: 30, what: 'the view of a/b' });
    await new Promise((resolve) => budget.signal.addEventListener('abort', resolve));
    expect(budget.cut).toBeInstanceOf(RegistryError);
    expect(budget.cut).toMatchObject({ code: 'TIMEOUT', message: 'the view of a/b stopped after 0.03 s, its time limit' });
  });

  it('stops when the client leaves, without calling it a cut', () => {
    const client = new AbortController();
    const budget = new Budget({ fetches: 10, deadlineMs: 60_000, signal: client.signal, what: 'the view of a/b' });
    client.abort();
    expect(budget.signal.aborted).toBe(true);
    expect(budget.cut).toBeNull();
    expect(() => budget.spend()).toThrow('the client went away');
  });

  it('a registry\'s own error is not the end of a budget', () => {
    const budget = new Budget({ fetches: 10, deadlineMs: 60_000, what: 'x' });
    expect(isBudgetEnd(new RegistryError('UPSTREAM', 'boom'), budget)).toBe(false);
    budget.done();
  });
});

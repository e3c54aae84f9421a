import { describe, expect, it } from 'vitest';
import { PriorityLimiter } from '@/lib/registry/limiter';

describe('PriorityLimiter', () => {
  it('runs at most `concurrency` tasks, then the queue by priority, FIFO within one', async () => {
    const limiter = new PriorityLimiter(2);
    const started: string[] = [];
    let running = 0;
    let peak = 0;
    const gates = new Map<string, () => void>();
    const task = (name: string, priority: number) =>
      limiter.run(priority, async () => {
        started.push(name);
        running++;
        peak = Math.max(peak, running);
        await new Promise<void>((resolve) => gates.set(name, resolve));
        running--;
      });
    const all = [task('a', 5), task('b', 5), task('c', 9), task('d', 1), task('e', 9), task('f', 1)];
    await new Promise((r) => setImmediate(r));
    expect(started).toEqual(['a', 'b']);
    expect(limiter.pending).toBe(4);
    for (const name of ['a', 'b', 'd', 'f', 'c', 'e']) {
      gates.get(name)!();
      await new Promise((r) => setImmediate(r));
    }
    await Promise.all(all);
    expect(started).toEqual(['a', 'b', 'd', 'f', 'c', 'e']);
    expect(peak).toBe(2);
  });

  it('frees its slot when a task throws', async () => {
    const limiter = new PriorityLimiter(1);
    await expect(limiter.run(0, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(limiter.run(0, async () => 'ok')).resolves.toBe('ok');
  });
});

describe('PriorityLimiter and cancellation', () => {
  it('a cancelled waiter leaves the line without running; the others keep their order', async () => {
    const limiter = new PriorityLimiter(1);
    const ran: string[] = [];
    let release!: () => void;
    const first = limiter.run(0, () => new Promise<void>((resolve) => (release = resolve)).then(() => void ran.push('first')));
    const cancel = new AbortController();
    const waiting = limiter.run(1, async () => void ran.push('cancelled'), cancel.signal);
    const last = limiter.run(2, async () => void ran.push('last'));
    expect(limiter.pending).toBe(2);
    cancel.abort(new Error('client left'));
    await expect(waiting).rejects.toThrow('client left');
    expect(limiter.pending).toBe(1);
    release();
    await Promise.all([first, last]);
    expect(ran).toEqual(['first', 'last']);
  });

  it('refuses at once when the signal is already aborted', async () => {
    const limiter = new PriorityLimiter(4);
    let ran = false;
    await expect(limiter.run(0, async () => void (ran = true), AbortSignal.abort(new Error('gone')))).rejects.toThrow('gone');
    expect(ran).toBe(false);
  });
});

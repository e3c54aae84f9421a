import { describe, expect, it } from 'vitest';
import { SharedWork } from '@/lib/registry/shared-work';

/** A load that waits until released, and records whether it was told to stop. */
function gatedLoad() {
  const state = { calls: 0, aborted: false, release: (_value: string) => {} };
  const load = (signal: AbortSignal) => {
    state.calls++;
    signal.addEventListener('abort', () => (state.aborted = true));
    return new Promise<string>((resolve) => (state.release = resolve));
  };
  return { state, load };
}

describe('SharedWork: identical work in flight runs once, and stops only when nobody waits', () => {
  it('runs one load for concurrent callers of a key, and gives each the result', async () => {
    const work = new SharedWork();
    const { state, load } = gatedLoad();
    const a = work.run('k', load);
    const b = work.run('k', load, new AbortController().signal);
    state.release('value');
    expect(await Promise.all([a, b])).toEqual(['value', 'value']);
    expect(state.calls).toBe(1);
    expect(work.size).toBe(0);
  });

  it('tells onJoin of every caller that joined work in flight (the coalesced-requests metric)', async () => {
    let joins = 0;
    const work = new SharedWork(() => joins++);
    const { state, load } = gatedLoad();
    const calls = [work.run('k', load), work.run('k', load), work.run('other', async () => 'other')];
    expect(joins).toBe(1);
    state.release('value');
    await Promise.all(calls);
    await work.run('k', async () => 'again');
    expect(joins).toBe(1);
  });

  it('one caller leaving rejects that caller only; the work goes on for the other', async () => {
    const work = new SharedWork();
    const { state, load } = gatedLoad();
    const leaving = new AbortController();
    const a = work.run('k', load, leaving.signal);
    const b = work.run('k', load, new AbortController().signal);
    leaving.abort(new Error('tab closed'));
    await expect(a).rejects.toThrow('tab closed');
    expect(state.aborted).toBe(false);
    state.release('value');
    expect(await b).toBe('value');
  });

  it('the last caller leaving stops the work, and the next caller starts afresh', async () => {
    const work = new SharedWork();
    const first = gatedLoad();
    const a = new AbortController();
    const b = new AbortController();
    const pa = work.run('k', first.load, a.signal);
    const pb = work.run('k', first.load, b.signal);
    a.abort(new Error('gone'));
    b.abort(new Error('gone too'));
    await expect(pa).rejects.toThrow('gone');
    await expect(pb).rejects.toThrow('gone too');
    expect(first.state.aborted).toBe(true);
    const second = gatedLoad();
    const pc = work.run('k', second.load);
    second.state.release('fresh');
    expect(await pc).toBe('fresh');
    expect(second.state.calls).toBe(1);
  });

  it('a caller without a signal keeps the work alive whoever else leaves', async () => {
    const work = new SharedWork();
    const { state, load } = gatedLoad();
    const leaving = new AbortController();
    const staying = work.run('k', load);
    const gone = work.run('k', load, leaving.signal);
    leaving.abort(new Error('gone'));
    await expect(gone).rejects.toThrow('gone');
    expect(state.aborted).toBe(false);
    state.release('value');
    expect(await staying).toBe('value');
  });
});

// When the newest page of Docker Hub's tag list (newest push first) is enough for a poll: it is
// the whole list, or its oldest tag was pushed before the last poll; a page all newer than that
// may have pushed other moved tags off it.
import { describe, expect, it } from 'vitest';
import { newestPageSuffices } from '@/lib/history/watcher';

const since = Date.parse('2026-11-29T12:00:00Z');
const pushed = (...times: (string | null)[]) => times.map((lastPushed) => ({ lastPushed }));

describe('newestPageSuffices', () => {
  it('is enough when it is the whole list, whatever the dates', () => {
    expect(newestPageSuffices(pushed('2026-11-29T12:30:00Z', '2026-11-29T12:20:00Z'), since, false)).toBe(true);
    expect(newestPageSuffices([], since, false)).toBe(true);
  });

  it('is enough when its oldest tag was pushed before the last poll', () => {
    expect(newestPageSuffices(pushed('2026-11-29T12:30:00Z', '2026-11-29T11:59:59Z'), since, true)).toBe(true);
  });

  it('is not when all of it is newer than the last poll, or the oldest has no date', () => {
    expect(newestPageSuffices(pushed('2026-11-29T12:30:00Z', '2026-11-29T12:00:00Z'), since, true)).toBe(false);
    expect(newestPageSuffices(pushed('2026-11-29T12:30:00Z', null), since, true)).toBe(false);
    expect(newestPageSuffices([], since, true)).toBe(false);
  });
});

import { describe, expect, it, vi } from 'vitest';

vi.mock('server-only', () => ({}));
const { readableLine } = await import('@/lib/server/log');

describe('readableLine: the log as npm run dev prints it', () => {
  it('prints time, level, message and fields', () => {
    const line = JSON.stringify({ level: 'info', time: '2026-11-29T12:03:04.567Z', requestId: 'r1', route: '/api/v1/tags', status: 200, durationMs: 12, msg: 'api request' });
    expect(readableLine(line)).toBe('12:03:04 INFO  api request requestId=r1 route=/api/v1/tags status=200 durationMs=12');
  });
  it('passes text that is not a JSON object through', () => {
    expect(readableLine('not json\n')).toBe('not json');
    expect(readableLine('[1,2]')).toBe('[1,2]');
  });
});

import { describe, expect, it } from 'vitest';
import { RECENT_MAX, readRecent, withRecent } from '@/lib/swr/recent';

describe('recently opened repositories (kept in the browser)', () => {
  it('puts the latest first, once, and keeps at most RECENT_MAX', () => {
    let text: string | null = null;
    for (let i = 0; i < RECENT_MAX + 3; i++) text = withRecent(text, `docker.io/library/app${i}`);
    text = withRecent(text, 'docker.io/library/app5');
    const list = readRecent(text);
    expect(list).toHaveLength(RECENT_MAX);
    expect(list[0]).toBe('docker.io/library/app5');
    expect(list.filter((r) => r === 'docker.io/library/app5')).toHaveLength(1);
    expect(list[1]).toBe(`docker.io/library/app${RECENT_MAX + 2}`);
  });

  it.each([
    ['not JSON', '{oops'],
    ['not a list', '{"a":1}'],
    ['null', 'null'],
  ])('reads %s as nothing', (_, text) => {
    expect(readRecent(text)).toEqual([]);
  });

  it('drops entries that are not canonical repositories', () => {
    const text = JSON.stringify(['ghcr.io/org/app', 42, '<img src=x onerror=alert(1)>', 'alpine', 'docker.io/library/UPPER', 'quay.io/x/y:tag', 'x'.repeat(600)]);
    // `alpine` is a short form: the page stores only the canonical docker.io/library/alpine.
    expect(readRecent(text)).toEqual(['ghcr.io/org/app']);
  });
});

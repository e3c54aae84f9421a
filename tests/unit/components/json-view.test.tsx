// @vitest-environment jsdom
// The JSON view: which documents are shown as a tree and which as raw text (render-limits.ts),
// and that the tree, indented by CSS rather than by spaces, still reads and copies as the JSON.
import { cleanup, render } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { JsonView, readJson } from '@/components/image/json-view';

afterEach(cleanup);

const nested = (levels: number) => '['.repeat(levels) + ']'.repeat(levels);
const values = (count: number) => `[${Array.from({ length: count - 1 }, () => '0').join(',')}]`;

describe('readJson', () => {
  it.each([
    ['an ordinary manifest', 'tree', '{"schemaVersion":2,"layers":[{"size":1}]}'],
    ['32 levels of nesting', 'tree', nested(32)],
    ['33 levels of nesting', 'nested deeper than 32 levels', nested(33)],
    ['33 levels of objects', 'nested deeper than 32 levels', `${'{"a":'.repeat(33)}0${'}'.repeat(33)}`],
    ['5,000 values (the array is one)', 'tree', values(5_000)],
    ['5,001 values', 'made of more than 5,000 values', values(5_001)],
    ['keys count as values', 'made of more than 5,000 values', `{${Array.from({ length: 2_500 }, (_, i) => `"k${i}":0`).join(',')}}`],
    ['control characters count as values', 'made of more than 5,000 values', JSON.stringify(['\u202E'.repeat(5_000)])],
    ['exactly 64 KiB', 'tree', JSON.stringify('a'.repeat(64 * 1024 - 2))],
    ['one character more than 64 KiB', 'larger than 64 KiB', JSON.stringify('a'.repeat(64 * 1024 - 1))],
    ['not JSON', 'not valid JSON', '{"schemaVersion":'],
  ])('%s: %s', (_, expected, raw) => {
    const reading = readJson(raw);
    expect(reading.kind === 'tree' ? 'tree' : reading.reason).toBe(expected);
  });
});

describe('the tree', () => {
  const document = {
    schemaVersion: 2,
    config: { digest: `sha256:${'a'.repeat(64)}`, size: 7 },
    layers: [{ size: 1 }, { size: 2, urls: [] }],
    annotations: { 'quote"and\\backslash': 'line\nbreak', empty: {} },
    flags: [true, false, null, 1.5],
  };

  it('reads as the same JSON, so a copy is the document', () => {
    const { container } = render(<JsonView value={document} repository="registry.test/app" label="The manifest" />);
    expect(JSON.parse(container.querySelector('pre')!.textContent!)).toEqual(document);
  });

  it('indents with one padded block per container, not with spaces', () => {
    const { container } = render(<JsonView value={document} repository="registry.test/app" label="The manifest" />);
    expect(container.querySelector('pre')!.textContent).not.toContain('  ');
    // The root, config, layers, two layer objects, annotations, flags; empty ones have none.
    expect(container.querySelectorAll('pre span.block')).toHaveLength(7);
  });

  it('links every digest, underlined among the coloured strings, and is a named region focusable for scrolling by keyboard', () => {
    const { getByRole } = render(<JsonView value={document} repository="registry.test/app" label="The manifest" />);
    const link = getByRole('link', { name: `"sha256:${'a'.repeat(64)}"` });
    expect(link).toHaveAttribute('href', `/r/registry.test/app@sha256:${'a'.repeat(64)}`);
    expect(link).toHaveClass('underline');
    expect(getByRole('region', { name: 'The manifest' })).toHaveAttribute('tabindex', '0');
  });
});

// docs/design.md "Architecture" names every lib/ folder with the side of the server line it runs
// on, so a reader knows from a file's path whether the browser may import it; a folder added
// without a row, a row left behind by a move, or a file left loose in lib/ fails here.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const SIDES = ['server-only', 'browser', 'both', 'plain Node'];

interface Row {
  layer: string;
  where: string[];
  side: string;
}

/** The rows of the `| layer | where | side | rule |` table under "## Architecture". */
function architectureRows(markdown: string): Row[] {
  const section = markdown.split(/^## /m).find((part) => part.startsWith('Architecture\n')) ?? '';
  const lines = section.split('\n').filter((line) => line.startsWith('|'));
  const header = lines[0]?.split('|').map((cell) => cell.trim()) ?? [];
  const column = (name: string) => header.indexOf(name);
  return lines.slice(2).map((line) => {
    const cells = line.split('|').map((cell) => cell.trim());
    return {
      layer: cells[column('layer')] ?? '',
      where: [...(cells[column('where')] ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1]!),
      side: cells[column('side')] ?? '',
    };
  });
}

const rows = architectureRows(readFileSync(path.join(root, 'docs/design.md'), 'utf8'));
const libEntries = readdirSync(path.join(root, 'lib'), { withFileTypes: true })
  .filter((entry) => entry.isDirectory() || /\.tsx?$/.test(entry.name))
  .map((entry) => (entry.isDirectory() ? `lib/${entry.name}/` : `lib/${entry.name}`))
  .sort();

describe('reading the architecture table', () => {
  it.each([
    ['a row with its paths and side', '## Architecture\n| layer | where | side | rule |\n|---|---|---|---|\n| cache | `lib/cache/` | server-only | x |\n', [{ layer: 'cache', where: ['lib/cache/'], side: 'server-only' }]],
    ['a row naming two paths', '## Architecture\n| layer | where | side | rule |\n|---|---|---|---|\n| web | `lib/hub/`, `lib/quay/` | plain Node | x |\n', [{ layer: 'web', where: ['lib/hub/', 'lib/quay/'], side: 'plain Node' }]],
    ['a table without the side column', '## Architecture\n| layer | where | rule |\n|---|---|---|\n| cache | `lib/cache/` | x |\n', [{ layer: 'cache', where: ['lib/cache/'], side: '' }]],
    ['a table in another section', '## Pages\n| layer | where | side | rule |\n|---|---|---|---|\n| cache | `lib/cache/` | server-only | x |\n', []],
  ])('%s', (_, markdown, expected) => {
    expect(architectureRows(markdown)).toEqual(expected);
  });
});

describe('docs/design.md "Architecture"', () => {
  it('has rows', () => {
    expect(rows.length).toBeGreaterThan(0);
  });

  it.each(libEntries)('names %s', (entry) => {
    expect(rows.filter((row) => row.where.includes(entry)).map((row) => row.layer)).toHaveLength(1);
  });

  it.each(rows.map((row) => [row.layer, row] as const))('says which side %s runs on', (_, row) => {
    expect(SIDES.some((side) => row.side.startsWith(side))).toBe(true);
  });

  it('has no file loose in lib/, where its side would not show', () => {
    expect(libEntries.filter((entry) => !entry.endsWith('/'))).toEqual([]);
  });

  it('names no lib/ path that is not there', () => {
    const named = rows.flatMap((row) => row.where).filter((where) => where.startsWith('lib/') && /(\/|\.tsx?)$/.test(where));
    expect(named.filter((where) => !libEntries.includes(where))).toEqual([]);
  });
});

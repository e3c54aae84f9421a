// The docs a clone has are the docs the code cites: every `docs/<file>.md §n` in a comment names
// a heading that is there and says what the comment relies on, and a comment gives its reason
// itself rather than a tracker's issue number, which a reader of the code cannot open. How a
// citation is read: tests/support/doc-citations.ts; the convention: docs/design.md "Docs and
// citations".
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  ISSUE_NUMBER,
  citationsIn,
  commentBlocks,
  defaultDoc,
  headingsOf,
  readText,
  sourceFiles,
  unresolved,
  type Citation,
  type Heading,
} from '../support/doc-citations';

const root = path.resolve(import.meta.dirname, '../..');
const SCANNED = ['lib', 'app', 'components', 'scripts', 'tests'];

const docs = new Map<string, Heading[] | null>();
function headingsOfDoc(doc: string): Heading[] | null {
  if (!docs.has(doc)) {
    const text = readText(root, doc);
    docs.set(doc, text === null ? null : headingsOf(text));
  }
  return docs.get(doc)!;
}
const docExists = (doc: string) => headingsOfDoc(doc) !== null;

const files = sourceFiles(root, SCANNED).map((file) => {
  const blocks = commentBlocks(file, readText(root, file)!);
  return { file, blocks, bareDoc: defaultDoc(blocks) };
});

const cite = (doc: string | null, section: string | null, item: string | null = null, title: string | null = null): Citation => ({ doc, section, item, title });

describe('reading citations out of comments', () => {
  it.each([
    ['a doc and its sections', '// docs/registry-protocol.md §4.5, §10.', [cite('docs/registry-protocol.md', '4.5'), cite('docs/registry-protocol.md', '10')]],
    ['a doc named on one line and its section on the next', '// lenient (docs/docker-hub-api.md\n// §1.4): old tags', [cite('docs/docker-hub-api.md', '1.4')]],
    ['a range and a list ending in "and"', '// (docs/docker-hub-api.md §1–§3, and §7)', [cite('docs/docker-hub-api.md', '1'), cite('docs/docker-hub-api.md', '3'), cite('docs/docker-hub-api.md', '7')]],
    ['a bare § after the first comment named one doc', '// Why (docs/docker-hub-api.md §0).\nconst x = 1;\n/** Oldest first (§1.2). */\nexport const y = x;', [cite('docs/docker-hub-api.md', '0'), cite('docs/docker-hub-api.md', '1.2')]],
    ['a bare list of sections', '// Why (docs/docker-hub-api.md §0).\n/** Constants (§1.2, §0.2). */\nexport const x = 1;', [cite('docs/docker-hub-api.md', '0'), cite('docs/docker-hub-api.md', '1.2'), cite('docs/docker-hub-api.md', '0.2')]],
    ['a bare § after another doc in the same comment', '// Why (docs/docker-hub-api.md §0).\nconst x = 1; // registry-protocol.md §4.5; quirks in §1.4\nexport const y = x;', [cite('docs/docker-hub-api.md', '0'), cite('docs/registry-protocol.md', '4.5'), cite('docs/registry-protocol.md', '1.4')]],
    ['a bare § in a file whose first comment names no doc', '// Why.\nconst x = 1; // (§3)\nexport const y = x;', [cite(null, '3')]],
    ['a lettered sample', '// the §1.5c tag (docs/docker-hub-api.md §1.5c)', [cite('docs/docker-hub-api.md', '1.5', 'c'), cite('docs/docker-hub-api.md', '1.5', 'c')]],
    ['a doc cited without docs/', '/** A (registry-protocol.md §6.1). */\nexport const x = 1;', [cite('docs/registry-protocol.md', '6.1')]],
    ['a heading cited by its title', '// the addresses (docs/design.md "URLs")', [cite('docs/design.md', null, null, 'URLs')]],
    ['an RFC section is not a doc of ours', '// RFC 9110 §15.5.20 and RFC 4291 §2.5.5.1', []],
    ['ECMA-262 is not either', '/** The latest instant (ECMA-262 §21.4.1.1). */\nexport const x = 1;', []],
    ['an upstream file not in docs/ is not either', '// distribution-spec spec.md §3', []],
    ['§ inside a string is not a comment', "export const x = '(docs/nope.md §1)';", []],
  ])('%s', (_, source, expected) => {
    const blocks = commentBlocks('lib/x.ts', source);
    expect(blocks.flatMap((block) => citationsIn(block, defaultDoc(blocks), docExists))).toEqual(expected);
  });
});

describe('resolving a citation to a heading', () => {
  const doc = [
    '# Notes',
    '## 1. Tags',
    '### 1.2 Query parameters',
    '**a) One.** text',
    '```',
    '## 9. Not a heading inside a fence',
    '```',
    '## 2. Pull limits',
  ].join('\n');
  it.each([
    ['a section', cite('docs/x.md', '1'), null],
    ['a subsection', cite('docs/x.md', '1.2'), null],
    ['a lettered item of it', cite('docs/x.md', '1.2', 'a'), null],
    ['a heading by its title', cite('docs/x.md', null, null, 'Pull limits'), null],
    ['a section that is not there', cite('docs/x.md', '1.3'), 'docs/x.md has no heading numbered 1.3'],
    ['a heading inside a code fence', cite('docs/x.md', '9'), 'docs/x.md has no heading numbered 9'],
    ['an item that is not there', cite('docs/x.md', '1.2', 'b'), 'docs/x.md §1.2 has no item **b)'],
    ['a title that is not there', cite('docs/x.md', null, null, 'Auth'), 'docs/x.md has no heading "Auth"'],
  ])('%s', (_, citation, reason) => {
    expect(unresolved(citation, headingsOf(doc))).toBe(reason);
  });

  it('a doc that does not exist', () => {
    expect(unresolved(cite('docs/nope.md', '1'), null)).toBe('docs/nope.md does not exist');
  });
});

describe('comments that cite an issue number', () => {
  it.each([
    ['issue 7', true],
    ['(issue 29, row 1)', true],
    ['security issue #12, finding 8', true],
    ['Issue 15', true],
    ['issues 8 and 9', true],
    ['docker/hub-feedback#2484', false],
    ['renovatebot/renovate#36103', false],
    ['the issue is that', false],
  ])('%s: %s', (text, flagged) => {
    expect(ISSUE_NUMBER.test(text)).toBe(flagged);
  });
});

describe(`the code's comments in ${SCANNED.join(', ')}`, () => {
  it('scans the files where the docs are cited', () => {
    expect(files.map((f) => f.file)).toEqual(expect.arrayContaining(['lib/hub/client.ts', 'lib/registry/transport.ts', 'tests/fixtures/hub/README.md']));
  });

  it('cite only headings that are there, in docs that exist', () => {
    const broken = files.flatMap(({ file, blocks, bareDoc }) =>
      blocks.flatMap((block) => citationsIn(block, bareDoc, docExists)).flatMap((citation) => {
        const reason = unresolved(citation, citation.doc === null ? [] : headingsOfDoc(citation.doc));
        const cited = citation.title !== null ? `"${citation.title}"` : `§${citation.section}${citation.item ?? ''}`;
        return reason === null ? [] : [`${file}: ${citation.doc ?? '(no doc)'} ${cited}: ${reason}`];
      }),
    );
    expect(broken).toEqual([]);
  });

  it('give the reason, not an issue number', () => {
    const citing = files.flatMap(({ file, blocks }) =>
      blocks.filter((block) => ISSUE_NUMBER.test(block)).map((block) => `${file}: …${ISSUE_NUMBER.exec(block)![0]}…`),
    );
    expect(citing).toEqual([]);
  });
});

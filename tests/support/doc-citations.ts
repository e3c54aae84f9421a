// What the code's comments cite, read the way docs/design.md "Docs and citations" describes:
// `docs/<file>.md §n.m` names a numbered heading of that doc, `docs/<file>.md "Title"` a heading
// by its words, and a bare `§n` a heading of the doc cited last before it in the same comment,
// else of the one doc the file's first comment names. The comments come from TypeScript's own
// scanner (leading and trailing trivia of every token), so a `//` inside a string or a regular
// expression is never mistaken for one.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export interface Citation {
  /** The doc as written: `docs/docker-hub-api.md`; null for a bare `§n` whose file names no doc. */
  doc: string | null;
  /** `n.m` as written, or null for a citation by title. */
  section: string | null;
  /** A lettered sample inside the section (`§n.mc` → `c`), written there as `**c)`. */
  item: string | null;
  /** A heading's words (`docs/design.md "URLs"`), when cited by title. */
  title: string | null;
}

export interface Heading {
  /** `n`, `n.m`, `n.m.k`; null for an unnumbered heading. */
  section: string | null;
  title: string;
  /** The section's text up to the next heading of the same or a higher level. */
  body: string;
}

const SECTION = String.raw`§(\d+(?:\.\d+)*)([a-z])?\b`;
/** A run of sections joined by `,`, `–`, `-` or `and`: `§n, §m`, `§n–§m`. */
const CHAIN = new RegExp(String.raw`([^\s§]*)[ \t]*(${SECTION}(?:\s*(?:,\s*(?:and\s+)?|–|-|and\s+)\s*${SECTION})*)`, 'g');
const DOC_PATH = /(docs\/[\w.-]+\.md)[),;:]*$/;
const BARE_MD = /([\w-]+\.md)[),;:]*$/;
/** An RFC's or ECMA-262's sections (the token before `§` ends in a digit): another spec's, not the project's docs. */
const FOREIGN = /(\d|^RFC|^ECMA[\w-]*)[),;:]*$/;
const TITLED = /(docs\/[\w.-]+\.md) "([^"]+)"/g;
const DOC_NAMED = /docs\/[\w.-]+\.md/g;

/** An issue of this project's tracker named in a comment: the comment should give the reason itself. */
export const ISSUE_NUMBER = /\b[Ii]ssues? #?\d+/;

/**
 * The comment blocks of a source file, markers stripped and lines joined by spaces, in file
 * order. `//` lines that follow each other are one block. A Markdown file is one block.
 */
export function commentBlocks(file: string, text: string): string[] {
  if (file.endsWith('.md')) return [text.replace(/\s+/g, ' ')];
  const kind = file.endsWith('.tsx') ? ts.ScriptKind.TSX : file.endsWith('.ts') ? ts.ScriptKind.TS : ts.ScriptKind.JS;
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kind);
  const ranges = new Map<number, ts.CommentRange>();
  const visit = (node: ts.Node) => {
    for (const at of [node.getFullStart(), node.end]) {
      for (const range of [...(ts.getLeadingCommentRanges(text, at) ?? []), ...(ts.getTrailingCommentRanges(text, at) ?? [])]) {
        ranges.set(range.pos, range);
      }
    }
    for (const child of node.getChildren(source)) visit(child);
  };
  visit(source);
  const sorted = [...ranges.values()].sort((a, b) => a.pos - b.pos);
  const blocks: string[] = [];
  let previous: ts.CommentRange | null = null;
  for (const range of sorted) {
    const raw = text.slice(range.pos, range.end);
    const words = range.kind === ts.SyntaxKind.SingleLineCommentTrivia
      ? raw.replace(/^\/\/\s?/, '')
      : raw.replace(/^\/\*+|\*+\/$/g, '').replace(/^\s*\*\s?/gm, '');
    const joined = previous !== null
      && previous.kind === ts.SyntaxKind.SingleLineCommentTrivia
      && range.kind === ts.SyntaxKind.SingleLineCommentTrivia
      && /^[ \t]*\r?\n[ \t]*$/.test(text.slice(previous.end, range.pos));
    const flat = words.replace(/\s+/g, ' ').trim();
    if (joined) blocks[blocks.length - 1] += ` ${flat}`;
    else blocks.push(flat);
    previous = range;
  }
  return blocks;
}

/** The one doc a file's first comment names, which its bare `§n` cite; null when it names none or several. */
export function defaultDoc(blocks: readonly string[]): string | null {
  const named = new Set(blocks[0]?.match(DOC_NAMED) ?? []);
  return named.size === 1 ? [...named][0]! : null;
}

/**
 * Every citation of a project doc in one comment block; a bare `§n` cites the doc cited last
 * before it in the block, else `bareDoc`. `docs/` may be left out before a doc
 * that exists there (`registry-protocol.md §n`); any other `<file>.md §n` is an upstream
 * file's, as are an RFC's and ECMA-262's sections.
 */
export function citationsIn(block: string, bareDoc: string | null, docExists: (doc: string) => boolean): Citation[] {
  const found: Citation[] = [];
  let lastDoc = bareDoc;
  for (const [, prefix = '', chain = ''] of block.matchAll(CHAIN)) {
    let doc: string | null;
    const docPath = DOC_PATH.exec(prefix)?.[1];
    const bareMd = BARE_MD.exec(prefix)?.[1];
    if (docPath) doc = docPath;
    else if (bareMd) {
      if (!docExists(`docs/${bareMd}`)) continue;
      doc = `docs/${bareMd}`;
    } else if (FOREIGN.test(prefix)) continue;
    else doc = lastDoc;
    lastDoc = doc;
    for (const [, section = '', item] of chain.matchAll(new RegExp(SECTION, 'g'))) {
      found.push({ doc, section, item: item ?? null, title: null });
    }
  }
  for (const [, doc = '', title = ''] of block.matchAll(TITLED)) found.push({ doc, section: null, item: null, title });
  return found;
}

/** The headings of a Markdown doc: `## n. Title` is section n, `### n.m Title` n.m, `#### n.m.k Title` n.m.k. */
export function headingsOf(markdown: string): Heading[] {
  const lines = markdown.split('\n');
  const starts: { line: number; level: number; section: string | null; title: string }[] = [];
  let fenced = false;
  lines.forEach((line, index) => {
    if (line.startsWith('```')) fenced = !fenced;
    const heading = fenced ? null : /^(#{1,6}) (.*)$/.exec(line);
    if (!heading) return;
    const numbered = /^(\d+(?:\.\d+)*)\.? (.*)$/.exec(heading[2]!);
    starts.push({ line: index, level: heading[1]!.length, section: numbered?.[1] ?? null, title: (numbered?.[2] ?? heading[2]!).trim() });
  });
  return starts.map((start, i) => {
    const next = starts.slice(i + 1).find((s) => s.level <= start.level);
    return { section: start.section, title: start.title, body: lines.slice(start.line + 1, next?.line ?? lines.length).join('\n') };
  });
}

/** Why a citation resolves to nothing, or null when it names a heading that is there. */
export function unresolved(citation: Citation, headings: readonly Heading[] | null): string | null {
  if (citation.doc === null) return 'a bare § in a file whose first comment names no single doc: write the doc before it';
  if (headings === null) return `${citation.doc} does not exist`;
  if (citation.title !== null) {
    return headings.some((h) => h.title.startsWith(citation.title!)) ? null : `${citation.doc} has no heading "${citation.title}"`;
  }
  const heading = headings.find((h) => h.section === citation.section);
  if (!heading) return `${citation.doc} has no heading numbered ${citation.section}`;
  if (citation.item !== null && !heading.body.includes(`**${citation.item})`)) {
    return `${citation.doc} §${citation.section} has no item **${citation.item})`;
  }
  return null;
}

/** Source and Markdown files under the given folders, relative to root, node_modules left out. */
export function sourceFiles(root: string, folders: readonly string[]): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(path.join(root, dir), { withFileTypes: true })) {
      const rel = path.posix.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== 'node_modules') walk(rel);
      } else if (/\.(ts|tsx|mjs|js|md)$/.test(entry.name)) out.push(rel);
    }
  };
  for (const folder of folders) walk(folder);
  return out.sort();
}

export function readText(root: string, file: string): string | null {
  try {
    return readFileSync(path.join(root, file), 'utf8');
  } catch {
    return null;
  }
}

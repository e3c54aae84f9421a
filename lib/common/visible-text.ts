// Text from a registry may carry characters a browser obeys but does not show: a bidi
// override (U+202E) makes `evil\u202Egnp.exe` read as `evilexe.png`, and C0/C1 controls
// vanish or garble a line (Trojan Source, CVE-2021-42574). Pages split such text into plain
// runs and these characters, and show each of them as its `\uXXXX` escape. Pure string work.

export type TextPart = { kind: 'text'; text: string } | { kind: 'invisible'; char: string; escape: string; name: string };

const BIDI_NAMES: Record<number, string> = {
  0x061c: 'arabic letter mark',
  0x200e: 'left-to-right mark',
  0x200f: 'right-to-left mark',
  0x202a: 'left-to-right embedding',
  0x202b: 'right-to-left embedding',
  0x202c: 'pop directional formatting',
  0x202d: 'left-to-right override',
  0x202e: 'right-to-left override',
  0x2066: 'left-to-right isolate',
  0x2067: 'right-to-left isolate',
  0x2068: 'first strong isolate',
  0x2069: 'pop directional isolate',
  0x200b: 'zero width space',
  0x2028: 'line separator',
  0x2029: 'paragraph separator',
  0x2060: 'word joiner',
  0xfeff: 'zero width no-break space',
};

// Every C0 control but tab and newline (they are layout, not disguise), DEL, every C1
// control, the bidi marks, embeddings, overrides and isolates above, and the characters
// that take no width (two names that look the same can differ by one of these) — but not the
// joiners U+200C/U+200D, which emoji and several scripts need.
const INVISIBLE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200B\u200E\u200F\u2028\u2029\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;

/** The same text as plain characters, each invisible one spelled as its escape (for `<option>`, titles). */
export function escapeInvisible(text: string): string {
  return splitInvisible(text)
    .map((part) => (part.kind === 'text' ? part.text : part.escape))
    .join('');
}

export function splitInvisible(text: string): TextPart[] {
  const parts: TextPart[] = [];
  let start = 0;
  for (const match of text.matchAll(INVISIBLE)) {
    if (match.index > start) parts.push({ kind: 'text', text: text.slice(start, match.index) });
    const code = match[0].charCodeAt(0);
    const hex = code.toString(16).toUpperCase().padStart(4, '0');
    parts.push({ kind: 'invisible', char: match[0], escape: `\\u${hex}`, name: `U+${hex} ${BIDI_NAMES[code] ?? 'control character'}` });
    start = match.index + 1;
  }
  if (start < text.length) parts.push({ kind: 'text', text: text.slice(start) });
  return parts;
}

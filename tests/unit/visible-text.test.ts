// splitInvisible: which characters a page shows as escapes, so bidi overrides and control
// characters from a registry cannot disguise the text around them.
import { describe, expect, it } from 'vitest';
import { splitInvisible, type TextPart } from '@/lib/common/visible-text';

const text = (t: string): TextPart => ({ kind: 'text', text: t });
const mark = (char: string, escape: string, name: string): TextPart => ({ kind: 'invisible', char, escape, name });

describe('splitInvisible', () => {
  it.each<[string, string, TextPart[]]>([
    ['plain text is one part', 'alpine:3.12', [text('alpine:3.12')]],
    ['the empty string has no parts', '', []],
    ['newline and tab are layout, left alone', 'a\n\tb', [text('a\n\tb')]],
    ['non-Latin text is left alone', 'שלום עולם مرحبا', [text('שלום עולם مرحبا')]],
    ['a right-to-left override is split out', 'evil\u202Egnp.exe', [text('evil'), mark('\u202E', '\\u202E', 'U+202E right-to-left override'), text('gnp.exe')]],
    ['an override at either end', '\u202Dx\u202C', [mark('\u202D', '\\u202D', 'U+202D left-to-right override'), text('x'), mark('\u202C', '\\u202C', 'U+202C pop directional formatting')]],
    ['adjacent controls are one part each', '\u2066\u2069', [mark('\u2066', '\\u2066', 'U+2066 left-to-right isolate'), mark('\u2069', '\\u2069', 'U+2069 pop directional isolate')]],
    ['a carriage return is a control', 'a\rb', [text('a'), mark('\r', '\\u000D', 'U+000D control character'), text('b')]],
    ['NUL, escape and DEL', '\u0000\u001B\u007F', [mark('\u0000', '\\u0000', 'U+0000 control character'), mark('\u001B', '\\u001B', 'U+001B control character'), mark('\u007F', '\\u007F', 'U+007F control character')]],
    ['a C1 control (next line)', 'a\u0085', [text('a'), mark('\u0085', '\\u0085', 'U+0085 control character')]],
  ])('%s', (_, input, parts) => {
    expect(splitInvisible(input)).toEqual(parts);
  });

  it.each([
    ['061C', 'arabic letter mark'],
    ['200E', 'left-to-right mark'],
    ['200F', 'right-to-left mark'],
    ['202A', 'left-to-right embedding'],
    ['202B', 'right-to-left embedding'],
    ['202C', 'pop directional formatting'],
    ['202D', 'left-to-right override'],
    ['202E', 'right-to-left override'],
    ['2066', 'left-to-right isolate'],
    ['2067', 'right-to-left isolate'],
    ['2068', 'first strong isolate'],
    ['2069', 'pop directional isolate'],
  ])('the bidi control U+%s is marked and named (%s)', (hex, name) => {
    const char = String.fromCharCode(parseInt(hex, 16));
    expect(splitInvisible(`a${char}b`)).toEqual([text('a'), mark(char, `\\u${hex}`, `U+${hex} ${name}`), text('b')]);
  });

  it('marks every C0 control but tab and newline, DEL and every C1 control, and nothing else below U+00A0', () => {
    const marked = Array.from({ length: 0xa0 }, (_, code) => code).filter((code) => splitInvisible(String.fromCharCode(code))[0]?.kind === 'invisible');
    const expected = Array.from({ length: 0xa0 }, (_, code) => code).filter((code) => (code < 0x20 && code !== 0x09 && code !== 0x0a) || code >= 0x7f);
    expect(marked).toEqual(expected);
  });

  it.each([
    ['200B', 'zero width space'],
    ['2028', 'line separator'],
    ['2029', 'paragraph separator'],
    ['2060', 'word joiner'],
    ['FEFF', 'zero width no-break space'],
  ])('the zero-width or separator character U+%s is marked and named (%s)', (hex, name) => {
    const char = String.fromCharCode(parseInt(hex, 16));
    expect(splitInvisible(`a${char}b`)).toEqual([text('a'), mark(char, `\\u${hex}`, `U+${hex} ${name}`), text('b')]);
  });

  it('leaves the zero-width joiners emoji and scripts need alone', () => {
    expect(splitInvisible('👩\u200D💻\u200C')).toEqual([text('👩\u200D💻\u200C')]);
  });
});

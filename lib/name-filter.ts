// The filter syntax of the lists people narrow down — a repository's tags in the browser, a
// registry's repositories on the server: a substring (case-insensitive), or a regular
// expression written as /…/ with its flags. One parse for both sides, so `q` means the same
// in the address bar, the page and the API. Pure: no I/O, safe in the browser.

export type NameFilter =
  | { kind: 'all' }
  /** `needle` lower-cased; names are compared lower-cased. */
  | { kind: 'substring'; needle: string }
  /** A source and flags that compile; `g` and `y` are dropped (they would make test() remember lastIndex between names). */
  | { kind: 'regex'; source: string; flags: string }
  | { kind: 'invalid'; error: string };

export function parseNameFilter(text: string): NameFilter {
  const trimmed = text.trim();
  if (trimmed === '') return { kind: 'all' };
  const regex = /^\/(.+)\/([a-z]*)$/.exec(trimmed);
  if (!regex) return { kind: 'substring', needle: trimmed.toLowerCase() };
  const source = regex[1]!;
  const flags = regex[2]!.replace(/[gy]/g, '');
  try {
    new RegExp(source, flags);
  } catch (error) {
    return { kind: 'invalid', error: `not a valid regular expression: ${(error as Error).message}` };
  }
  return { kind: 'regex', source, flags };
}

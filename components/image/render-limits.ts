// Every bound on how much registry content one page renders, in one table. A manifest or a
// config may be 4 MiB (lib/registry/limits.ts), and a server-rendered page carries what it
// shows twice — as HTML and again in the RSC payload, where `<` becomes six characters — so
// what a registry sends is shown as a tree or list only up to these sizes, as raw text
// beyond them, and cut with a link to the full bytes past the raw-text size. docs/security.md
// gives the page sizes measured with them.

export const RENDER_LIMITS = {
  /** Containers nested in a JSON document shown as a tree; deeper ones are shown as raw text. */
  jsonDepth: 32,
  /** Characters of a JSON document shown as a tree; bigger ones are shown as raw text. */
  jsonChars: 64 * 1024,
  /** Values, keys and marked control characters of a JSON tree; more are shown as raw text. */
  jsonElements: 5_000,
  /** Characters of raw text shown; the rest is left out with a link to the full bytes. */
  rawChars: 128 * 1024,
  /** Control characters of one text shown marked with a tooltip; further ones as plain escapes. */
  markedPerText: 16,
  /** Entries of each image config list (env, labels, ports, history, layers) shown. */
  listEntries: 256,
  /** Characters of registry text the image config view shows in all; the rest is left out. */
  configChars: 64 * 1024,
} as const;

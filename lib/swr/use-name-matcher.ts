// The filter box's `q` as a matcher for the lists a page shows (lib/common/name-filter.ts). The regex
// engine (re2js, about 60 KB compressed) is imported only when a /regex/ is asked for, so the
// pages' JavaScript does not grow for the substrings most people type. Until it has arrived the
// component suspends: in the server's first render that holds the Suspense boundary's HTML
// until the rows are filtered, and in the browser a filter typed in (a transition) keeps the
// list on screen meanwhile.

import { use, useMemo } from 'react';
import { nameMatcher, parseNameFilter, type NameMatcher, type RegexEngine } from '../common/name-filter';

let engine: RegexEngine | null = null;
let loading: Promise<RegexEngine | Error> | null = null;

/** The engine, imported once per page (or server process); an Error when its script did not load (asked again next time). */
export function loadRegexEngine(): Promise<RegexEngine | Error> {
  loading ??= import('re2js').then(
    (module) => (engine = module.RE2JS),
    (error: unknown) => {
      loading = null;
      return error instanceof Error ? error : new Error(String(error));
    },
  );
  return loading;
}

export function useNameMatcher(text: string): NameMatcher {
  const filter = useMemo(() => parseNameFilter(text), [text]);
  const loaded = filter.kind === 'regex' ? (engine ?? use(loadRegexEngine())) : null;
  // One matcher per filter, kept across the stream's redraws: its answers and its budget are per expression.
  return useMemo(() => {
    if (loaded instanceof Error) return nameMatcher({ kind: 'invalid', error: `the regular expression engine did not load (${loaded.message}): reload the page, or filter by a substring` }, null);
    return nameMatcher(filter, loaded);
  }, [filter, loaded]);
}

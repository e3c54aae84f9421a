// A `q` filter as the page compiles it (lib/swr/use-name-matcher.ts does the same with re2js
// loaded on demand), for tests of the pure functions that take one.
import { RE2JS } from 're2js';
import { nameMatcher, parseNameFilter, PAGE_FILTER_BUDGET_MS, type NameMatcher } from '@/lib/common/name-filter';

export function filterOf(text: string, budgetMs = PAGE_FILTER_BUDGET_MS): NameMatcher {
  return nameMatcher(parseNameFilter(text), RE2JS, budgetMs);
}

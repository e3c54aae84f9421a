// The two sources of tag history in words, the same on every page (lib/history/types.ts): what
// Tagscope saw itself, or the registry's own record of its tags, which only some registries keep
// (Quay's tag history). A page never lets one pass for the other.
import type { HistorySource } from '@/lib/history/types';

/** Who keeps a registry's record, by how it was read (Observation.via). */
const RECORD_KEEPERS: Record<string, string> = { quay: 'Quay' };

/** Who keeps the registry's record read `via` this (`Quay`), when known. */
export function recordKeeper(via?: string | null): string | null {
  return (via ? RECORD_KEEPERS[via] : undefined) ?? null;
}

/** For a table cell: `Tagscope saw` / `registry record (Quay)`. */
export function sourceLabel(source: HistorySource, via?: string | null): string {
  if (source === 'observed') return 'Tagscope saw';
  const keeper = recordKeeper(via);
  return keeper ? `registry record (${keeper})` : 'registry record';
}

/** For a sentence: `as Tagscope saw it` / `according to the registry's record`. */
export function sourcePhrase(source: HistorySource): string {
  return source === 'observed' ? 'as Tagscope saw it' : 'according to the registry’s record';
}

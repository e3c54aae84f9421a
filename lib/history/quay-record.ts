// The registry's own record of tag history, where a registry keeps one: Quay's, for a host
// configured as `quay` in TAGSCOPE_REGISTRY_APIS. The watcher imports a watched repository's
// whole record at each poll; a tag page, `?at=` and the history API import one tag's (or the
// repository's) when they are read, at most once per tag TTL, so any Quay tag has its history.

import { QuayClient } from '../quay';
import type { Reference } from '../registry/reference';
import type { HistoryStore } from './store';
import { POLL_PRIORITY, type RecordSource } from './watcher';

/**
 * Quay's record of a repository's tags, for a registry configured as `quay` in
 * TAGSCOPE_REGISTRY_APIS: every run of every tag, dead ones included. An expiry in the future
 * is not an end yet.
 */
export function quayRecord(transport: Parameters<typeof QuayClient.for>[0], priority = POLL_PRIORITY): RecordSource {
  return async (repo, signal, tag) => {
    const quay = QuayClient.for(transport, repo.registry);
    if (!quay) return null;
    const list = await quay.tagHistory(repo, { signal, priority, specificTag: tag });
    const now = Date.now();
    return list.tags
      .filter((tag) => tag.start !== null)
      .map((tag) => ({ tag: tag.name, digest: tag.digest, mediaType: null, start: tag.start!, end: tag.end !== null && tag.end <= now ? tag.end : null }));
  };
}

/** The longest a page waits for the registry's record before it shows what history already has. */
export const RECORD_IMPORT_MS = 1_500;

/**
 * Imports the registry's record of `tag` (or the whole repository) into history, for a read
 * that is about to happen: once per `ttlMs` per tag, within RECORD_IMPORT_MS, and never an
 * error — a record that cannot be read leaves history as it was. `at` is the clock.
 */
export function recordImporter(transport: Parameters<typeof QuayClient.for>[0], ttlMs: number, at: () => number = Date.now) {
  const source = quayRecord(transport, 0);
  const recent = new Map<string, { at: number; done: Promise<void> }>();
  return async (store: HistoryStore, repo: Reference, tag?: string): Promise<void> => {
    if (!QuayClient.for(transport, repo.registry)) return;
    const key = `${repo.repository}\n${tag ?? ''}`;
    const now = at();
    const last = recent.get(key);
    // Imported lately, or being imported: wait for that one (a page reads twice at once).
    if (last !== undefined && now - last.at < Math.max(ttlMs, 1_000)) return last.done;
    const done = (async () => {
      try {
        const runs = await source(repo, AbortSignal.timeout(RECORD_IMPORT_MS), tag);
        if (runs) await store.importRecord(repo.registry, repo.repository, runs);
      } catch {
        // Quay's API refused, failed or was slow: history shows what it has.
      }
    })();
    recent.delete(key);
    recent.set(key, { at: now, done });
    // A bounded memory of what was imported: the oldest key goes first.
    if (recent.size > 10_000) recent.delete(recent.keys().next().value!);
    return done;
  };
}

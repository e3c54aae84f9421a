// Recently opened repositories, kept in the browser only (localStorage): the home page lists
// them, the repository page adds to them. Nothing leaves the browser. What is read back is
// checked against the reference grammar, so an edited or corrupt entry is dropped, not shown.

import { parseRepository } from '../registry/reference';

export const RECENT_KEY = 'tagscope:recent-repositories';
export const RECENT_MAX = 8;

/** The remembered repositories, most recent first; never throws. */
export function readRecent(text: string | null): string[] {
  if (!text) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return [];
  }
  if (!Array.isArray(parsed)) return [];
  const seen = new Set<string>();
  for (const item of parsed) {
    if (typeof item !== 'string' || item.length > 512) continue;
    try {
      const reference = parseRepository(item);
      if (reference.repository === item) seen.add(item);
    } catch {
      // not a repository: skipped
    }
    if (seen.size === RECENT_MAX) break;
  }
  return [...seen];
}

/** The list with `repository` moved to the front, as stored text. */
export function withRecent(text: string | null, repository: string): string {
  return JSON.stringify([repository, ...readRecent(text).filter((r) => r !== repository)].slice(0, RECENT_MAX));
}

// The browser side: a store React can subscribe to (other tabs' changes arrive as `storage` events).
const listeners = new Set<() => void>();

function storage(): Storage | null {
  try {
    return typeof window === 'undefined' ? null : window.localStorage;
  } catch {
    return null; // storage disabled (privacy settings): remember nothing
  }
}

export function subscribeRecent(listener: () => void): () => void {
  listeners.add(listener);
  const onStorage = (event: StorageEvent) => {
    if (event.key === RECENT_KEY || event.key === null) listener();
  };
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', onStorage);
  };
}

export function recentSnapshot(): string | null {
  return storage()?.getItem(RECENT_KEY) ?? null;
}

export function rememberRepository(repository: string): void {
  const store = storage();
  if (!store) return;
  try {
    store.setItem(RECENT_KEY, withRecent(store.getItem(RECENT_KEY), repository));
  } catch {
    return; // quota or disabled: the list is a convenience
  }
  for (const listener of listeners) listener();
}

export function forgetRecent(): void {
  storage()?.removeItem(RECENT_KEY);
  for (const listener of listeners) listener();
}

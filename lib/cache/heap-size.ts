// A cheap estimate of what a plain JSON value (a tag list, a tag → digest answer) holds on the
// heap, so the in-memory caches are bounded in bytes rather than in entries: one entry can be
// a 30-byte digest or a 100,000-tag list. It walks the value once and allocates nothing,
// unlike measuring with JSON.stringify; it errs high (two bytes a character, a word a slot).

const HEADER = 16;
const SLOT = 8;

export function heapSize(value: unknown): number {
  if (typeof value === 'string') return HEADER + 2 * value.length;
  if (value === null || typeof value !== 'object') return SLOT;
  if (Array.isArray(value)) {
    let size = HEADER;
    for (const item of value as unknown[]) size += SLOT + heapSize(item);
    return size;
  }
  let size = HEADER;
  for (const key in value) size += SLOT + heapSize(key) + heapSize((value as Record<string, unknown>)[key]);
  return size;
}

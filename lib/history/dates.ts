// The dates history takes from people (`?at=`, `since=`): ISO 8601, a day or a moment.

/** `2024-06-14`, `2024-06-14T23:04:00Z`, `2024-06-14T23:04:00.123+02:00`. */
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

/** The expected form, for messages. */
export const DATE_FORM = 'an ISO 8601 date such as 2024-06-14 or 2024-06-14T23:04:00Z';

/** An ISO 8601 date (a day means its start, UTC) → ms since the epoch; null when it is not one. */
export function parseIsoDate(text: string): number | null {
  const trimmed = text.trim();
  if (!ISO_DATE.test(trimmed)) return null;
  const ms = Date.parse(trimmed.length === 10 ? `${trimmed}T00:00:00Z` : trimmed);
  return Number.isFinite(ms) ? ms : null;
}

// Formatting shared by the server's pages and the browser's components: sizes as Docker Hub
// shows them, short digests, dates. Pure functions of their input.

import type { Group } from '../api/types';
import { describeMediaType } from '../registry/media-types';

/** `2.6 MB`, `812 kB`: decimal units, as Docker Hub shows sizes. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined) return '—';
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} ${units[unit]}`;
}

/** The compressed size range of a group's platforms: `2.6 MB – 3.1 MB`, or one size. */
export function sizeRange(group: Group): string {
  const sizes = group.platforms.map((p) => p.compressedSize).filter((s): s is number => s !== null);
  if (sizes.length === 0) return '—';
  const min = Math.min(...sizes);
  const max = Math.max(...sizes);
  return min === max ? formatBytes(min) : `${formatBytes(min)} – ${formatBytes(max)}`;
}

export function shortDigest(digest: string): string {
  const [algorithm, hex] = digest.split(':');
  return hex ? `${algorithm}:${hex.slice(0, 12)}` : digest;
}

/** A build date as `2024-01-31 12:34 UTC`; text that is not a date is shown as it is. */
export function formatCreated(created: string | null | undefined): string {
  if (!created) return '—';
  const date = new Date(created);
  return Number.isNaN(date.getTime()) ? created : `${date.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

const UNITS: [Intl.RelativeTimeFormatUnit, number][] = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];
const relative = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/**
 * A date as Docker Hub shows it in its tag list, relative to `now`: `3 days ago`, `last month`,
 * `just now`; null for text that is not a date (the caller shows it as it is).
 */
export function formatRelative(date: string, now: number): string | null {
  const time = new Date(date).getTime();
  if (Number.isNaN(time)) return null;
  const seconds = (time - now) / 1000;
  if (Math.abs(seconds) < 60) return 'just now';
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return relative.format(Math.trunc(seconds / size), unit);
  }
  return relative.format(Math.trunc(seconds / 60), 'minute');
}

/**
 * What a group is, in the words `describeMediaType` uses for its media type (one vocabulary for
 * the table, the tag page and the API's types): `OCI index`, `Single Docker manifest (v2
 * schema 2)`, `Artifact (application/vnd.example)`.
 */
export function describeGroupKind(group: Pick<Group, 'kind' | 'mediaType' | 'artifactType'>): string {
  switch (group.kind) {
    case 'index':
      return group.mediaType ? describeMediaType(group.mediaType) : 'Index';
    case 'schema1':
      return describeMediaType(group.mediaType);
    case 'manifest':
      // A web API may not say which manifest type a single-platform tag is (Docker Hub does not).
      return group.mediaType ? `Single ${describeMediaType(group.mediaType)}` : 'Single manifest';
    case 'artifact':
      return `Artifact${group.artifactType ? ` (${group.artifactType})` : ''}`;
  }
}

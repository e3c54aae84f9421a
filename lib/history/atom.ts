// Atom 1.0 (RFC 4287) feeds of tag moves: one per repository, or per tag. Every piece of text
// comes from a registry (tag names, digests) or a visitor (the repository) and is escaped;
// characters XML 1.0 cannot carry are dropped. Entry ids are stable (a hash of the move), so
// a feed reader shows a move once however often it polls.

import { createHash } from 'node:crypto';
import type { Move } from './types';

/** Entries in one feed: the newest moves. */
export const FEED_ENTRIES = 50;

// Characters outside XML 1.0's Char production (controls, lone surrogates, U+FFFE/U+FFFF).
const NOT_XML = /[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]/gu;

export function escapeXml(text: string): string {
  return text
    .replace(NOT_XML, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** A stable urn:uuid from any text (the UUID layout of a SHA-256 prefix, version 8). */
function urnOf(text: string): string {
  const hex = createHash('sha256').update(text).digest('hex');
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-8${hex.slice(13, 16)}-${((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const short = (digest: string | null) => (digest ? digest.replace(/^sha256:/, '').slice(0, 12) : 'nothing');

export interface FeedOptions {
  /** `docker.io/library/alpine` */
  repository: string;
  /** One tag's feed, or the repository's. */
  tag?: string;
  /** Absolute URLs: this feed, the page it describes, and a digest's page. */
  selfUrl: string;
  pageUrl: string;
  digestUrl: (digest: string) => string;
  tagUrl: (tag: string) => string;
  /** When the feed was generated: its `updated` when it has no entries. */
  now: Date;
}

export function renderAtomFeed(moves: readonly Move[], options: FeedOptions): string {
  const subject = options.tag ? `${options.repository}:${options.tag}` : options.repository;
  const entries = moves.slice(0, FEED_ENTRIES);
  const updated = entries[0]?.at ?? options.now.toISOString();
  const lines = [
    '<?xml version="1.0" encoding="utf-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom">',
    `  <id>${escapeXml(urnOf(`tagscope feed ${subject}`))}</id>`,
    `  <title>${escapeXml(`Tag moves in ${subject}`)}</title>`,
    `  <subtitle>${escapeXml(`Tags of ${options.repository} found pointing at a new digest, as seen by Tagscope or recorded by the registry.`)}</subtitle>`,
    `  <updated>${escapeXml(updated)}</updated>`,
    `  <link rel="self" type="application/atom+xml" href="${escapeXml(options.selfUrl)}"/>`,
    `  <link rel="alternate" type="text/html" href="${escapeXml(options.pageUrl)}"/>`,
    '  <author><name>Tagscope</name></author>',
    '  <generator>Tagscope</generator>',
  ];
  for (const move of entries) {
    const origin = move.source === 'registry' ? 'the registry’s record' : 'Tagscope’s sightings';
    const summary = `${move.tag} moved from ${move.from ?? 'nothing'} to ${move.to} at ${move.at} (${origin}).`;
    lines.push(
      '  <entry>',
      `    <id>${escapeXml(urnOf(`tagscope move ${move.repository} ${move.tag} ${move.at} ${move.from ?? ''} ${move.to} ${move.source}`))}</id>`,
      `    <title>${escapeXml(`${move.tag}: ${short(move.from)} → ${short(move.to)}`)}</title>`,
      `    <updated>${escapeXml(move.at)}</updated>`,
      `    <link rel="alternate" type="text/html" href="${escapeXml(options.digestUrl(move.to))}"/>`,
      `    <link rel="related" type="text/html" href="${escapeXml(options.tagUrl(move.tag))}"/>`,
      `    <category term="${escapeXml(move.source)}"/>`,
      `    <summary type="text">${escapeXml(summary)}</summary>`,
      '  </entry>',
    );
  }
  lines.push('</feed>', '');
  return lines.join('\n');
}

// The Atom feed of tag moves as a feed reader takes it: well-formed XML (fast-xml-parser's
// validator, strict), read by a feed parser that feed readers use (@rowanmanning/feed-parser),
// with RFC 4287's required elements, stable entry ids, and hostile text escaped, never markup.
import { parseFeed } from '@rowanmanning/feed-parser';
import fc from 'fast-check';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { FEED_ENTRIES, renderAtomFeed, type FeedOptions } from '@/lib/history/atom';
import type { Move } from '@/lib/history/types';

const A = `sha256:${'a'.repeat(64)}`;
const B = `sha256:${'b'.repeat(64)}`;
const origin = 'http://tagscope.test';

function options(extra: Partial<FeedOptions> = {}): FeedOptions {
  return {
    repository: 'docker.io/library/alpine',
    selfUrl: `${origin}/api/v1/feed?repository=docker.io%2Flibrary%2Falpine`,
    pageUrl: `${origin}/r/docker.io/library/alpine`,
    digestUrl: (digest) => `${origin}/r/docker.io/library/alpine@${digest}`,
    tagUrl: (tag) => `${origin}/r/docker.io/library/alpine:${tag}`,
    now: new Date('2026-01-02T03:04:05Z'),
    ...extra,
  };
}

const move = (tag: string, from: string | null, to: string, at: string, source: Move['source'] = 'observed'): Move => ({
  registry: 'docker.io',
  repository: 'docker.io/library/alpine',
  tag,
  from,
  to,
  at,
  source,
});

function wellFormed(xml: string) {
  const verdict = XMLValidator.validate(xml, { allowBooleanAttributes: false });
  expect(verdict, JSON.stringify(verdict)).toBe(true);
  return new XMLParser({ ignoreAttributes: false, isArray: (name) => ['entry', 'link'].includes(name) }).parse(xml);
}

describe('renderAtomFeed', () => {
  const moves = [move('3.20', A, B, '2026-01-01T10:00:00.000Z'), move('latest', null, A, '2025-12-01T00:00:00.000Z', 'registry')];

  it('is a well-formed Atom document with the required elements', () => {
    const xml = renderAtomFeed(moves, options());
    const { feed } = wellFormed(xml);
    expect(feed['@_xmlns']).toBe('http://www.w3.org/2005/Atom');
    expect(feed.id).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(feed.title).toBe('Tag moves in docker.io/library/alpine');
    expect(feed.updated).toBe('2026-01-01T10:00:00.000Z');
    expect(feed.author.name).toBe('Tagscope');
    expect(feed.link.map((link: Record<string, string>) => link['@_rel'])).toEqual(['self', 'alternate']);
    expect(feed.entry).toHaveLength(2);
    for (const entry of feed.entry) {
      expect(entry.id).toMatch(/^urn:uuid:/);
      expect(Date.parse(entry.updated)).not.toBeNaN();
      expect(entry.title).toBeTruthy();
    }
  });

  it('reads in a feed reader’s parser: titles, links and dates of each move', () => {
    const feed = parseFeed(renderAtomFeed(moves, options()));
    expect(feed.meta.type).toBe('atom');
    expect(feed.title).toBe('Tag moves in docker.io/library/alpine');
    expect(feed.url).toBe(`${origin}/r/docker.io/library/alpine`);
    expect(feed.items.map((item) => item.title)).toEqual(['3.20: aaaaaaaaaaaa → bbbbbbbbbbbb', 'latest: nothing → aaaaaaaaaaaa']);
    expect(feed.items[0]!.url).toBe(`${origin}/r/docker.io/library/alpine@${B}`);
    expect(feed.items[0]!.updated?.toISOString()).toBe('2026-01-01T10:00:00.000Z');
    expect(feed.items[0]!.description).toContain("Tagscope’s sightings");
    expect(feed.items[1]!.description).toContain("the registry’s record");
  });

  it('gives a move the same id every time and different moves different ids', () => {
    const first = wellFormed(renderAtomFeed(moves, options())).feed.entry.map((entry: { id: string }) => entry.id);
    const again = wellFormed(renderAtomFeed(moves, options({ now: new Date() }))).feed.entry.map((entry: { id: string }) => entry.id);
    expect(again).toEqual(first);
    expect(new Set(first).size).toBe(2);
  });

  it('is valid with no moves, dated when it was made', () => {
    const { feed } = wellFormed(renderAtomFeed([], options({ tag: 'edge' })));
    expect(feed.entry).toBeUndefined();
    expect(feed.updated).toBe('2026-01-02T03:04:05.000Z');
    expect(feed.title).toBe('Tag moves in docker.io/library/alpine:edge');
  });

  it(`carries at most ${FEED_ENTRIES} entries`, () => {
    const many = Array.from({ length: FEED_ENTRIES + 20 }, (_, i) => move(`t${i}`, A, B, new Date(Date.UTC(2026, 0, 1) - i * 60_000).toISOString()));
    expect(parseFeed(renderAtomFeed(many, options())).items).toHaveLength(FEED_ENTRIES);
  });

  it('stays well-formed and markup-free whatever text it carries', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), fc.string({ unit: 'binary' }), (tag, repository) => {
        const hostile = { ...move(tag, A, B, '2026-01-01T00:00:00.000Z'), repository };
        const xml = renderAtomFeed([hostile], options({ repository, tag, pageUrl: `${origin}/?q=${tag}` }));
        expect(XMLValidator.validate(xml)).toBe(true);
        const { feed } = new XMLParser().parse(xml);
        expect(Object.keys(feed).sort()).toEqual(['author', 'entry', 'generator', 'id', 'link', 'subtitle', 'title', 'updated']);
      }),
      { numRuns: 300 },
    );
    const xml = renderAtomFeed([move('<script>alert(1)</script>&', A, B, '2026-01-01T00:00:00.000Z')], options());
    expect(xml).not.toContain('<script>');
    expect(parseFeed(xml).items[0]!.title).toContain('<script>alert(1)</script>&');
  });
});

// Docker Hub's tag answers, read from real samples (docs/docker-hub-api.md §1.5): lenient where
// Hub is unreliable, strict where a wrong value would mislead.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { hubImageSchema, hubNamespacePageSchema, hubSearchPageSchema, hubTagPageSchema, hubTagSchema, toHubRepository, toHubTag } from '@/lib/hub/schemas';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(path.join(import.meta.dirname, '../../fixtures/hub', name), 'utf8')) as Record<string, unknown>;
const read = (json: unknown) => toHubTag(hubTagSchema.parse(json));

describe('real tags', () => {
  it('a multi-platform Docker manifest list (library/php:8.3.8-fpm-alpine): the index digest and its platforms', () => {
    expect(read(fixture('php-8.3.8-fpm-alpine.json'))).toEqual({
      name: '8.3.8-fpm-alpine',
      digest: 'sha256:7c3948e54737d9e4271637639250e63b7f8fd2d58ecf31ac7663985c9ce7263c',
      mediaType: 'application/vnd.docker.distribution.manifest.list.v2+json',
      lastPushed: '2024-06-21T05:14:48.231Z',
      lastPulled: '2024-07-04T11:22:47.149Z',
      images: [
        {
          os: 'linux',
          architecture: 'amd64',
          variant: null,
          osVersion: null,
          digest: 'sha256:dfd831b50b0c03ab75ae196835fd3b2c3c28e7937a4a852bf5cce1d0d57c6ea2',
          size: 32521545,
          lastPushed: '2024-06-21T02:23:42.351Z',
          lastPulled: '2024-07-04T10:44:57.837Z',
          attestation: false,
        },
      ],
    });
  });

  it('a single-platform tag (dotcms): the config media type Hub gives is not passed off as the manifest\'s; 9 fractional digits read', () => {
    const tag = read(fixture('dotcms-26.03.12-01.json'));
    expect(tag.mediaType).toBeNull();
    expect(tag.digest).toBe('sha256:3e94fbb14cba73fdd3ceec52de7b9b687f9f2e37d420f5827de9611eae3f7381');
    expect(tag.digest).toBe(tag.images[0]!.digest);
    expect(tag.lastPushed).toBe('2026-03-13T15:11:57.444Z');
    expect(tag.images[0]).toMatchObject({ size: 535502520, lastPulled: '2026-06-12T12:26:41.313Z', lastPushed: '2026-03-13T15:02:21.977Z' });
  });

  it('an old tag with no digest and no images (library/rust:1.44.0-slim): nulls, not an error', () => {
    expect(read(fixture('rust-1.44.0-slim.json'))).toEqual({
      name: '1.44.0-slim',
      digest: null,
      mediaType: 'application/vnd.docker.distribution.manifest.list.v2+json',
      lastPushed: null,
      lastPulled: null,
      images: [],
    });
  });

  it('images: [] (hub-feedback#2484) and images: null are no platforms', () => {
    expect(read({ ...fixture('php-8.3.8-fpm-alpine.json'), images: [] }).images).toEqual([]);
    expect(read({ ...fixture('php-8.3.8-fpm-alpine.json'), images: null }).images).toEqual([]);
  });

  it('the page envelope (§1.3): count, an absolute next, results', () => {
    const page = hubTagPageSchema.parse(fixture('dotcms-page.json'));
    expect(page.count).toBe(2);
    expect(page.next).toBe('https://hub.docker.com/v2/namespaces/dotcms/repositories/dotcms-test/tags?page=2&page_size=100');
    expect(page.results.map((r) => r.name)).toEqual(['26.03.12-01']);
    expect(hubTagPageSchema.parse({ ...fixture('dotcms-page.json'), next: null }).next).toBeNull();
  });
});

describe('a buildx attestation in images[] (besogon1/*:latest)', () => {
  const quoted = fixture('besogon1-latest-attestation.json');

  it('as quoted, its digest cut short by the document, it is refused: a digest is a digest or nothing', () => {
    expect(hubImageSchema.safeParse(quoted).success).toBe(false);
  });

  it('is marked an attestation (unknown/unknown), not a platform', () => {
    const { digest: _cut, ...entry } = quoted;
    const tag = read({ ...fixture('php-8.3.8-fpm-alpine.json'), images: [...(fixture('php-8.3.8-fpm-alpine.json').images as unknown[]), entry] });
    expect(tag.images.map((i) => [`${i.os}/${i.architecture}`, i.attestation, i.size])).toEqual([
      ['linux/amd64', false, 32521545],
      ['unknown/unknown', true, 17278],
    ]);
  });
});

describe('timestamps: 0, 6 and 9 fractional digits, one spelling; nothing else believed', () => {
  it.each([
    ['2021-02-22T14:29:56Z', '2021-02-22T14:29:56.000Z'],
    ['2026-03-13T15:11:57.444216Z', '2026-03-13T15:11:57.444Z'],
    ['2026-06-12T12:26:41.313393116Z', '2026-06-12T12:26:41.313Z'],
    ['2026-06-12T14:26:41+02:00', '2026-06-12T12:26:41.000Z'],
    [null, null],
    ['', null],
    ['yesterday', null],
    ['March 7, 2024', null],
    ['2026-13-45T99:99:99Z', null],
  ])('%j → %j', (value, expected) => {
    expect(read({ name: 'x', tag_last_pushed: value }).lastPushed).toBe(expected);
  });
});

describe('strict where a wrong value would mislead', () => {
  const php = fixture('php-8.3.8-fpm-alpine.json');
  const image = (php.images as Record<string, unknown>[])[0]!;
  it.each([
    ['a tag digest cut short', { ...php, digest: 'sha256:7c3948e5…' }],
    ['a digest of another algorithm', { ...php, digest: `md5:${'a'.repeat(32)}` }],
    ['an upper-case digest', { ...php, digest: `sha256:${'A'.repeat(64)}` }],
    ['a platform digest that is a path', { ...php, images: [{ ...image, digest: '../../etc/passwd' }] }],
    ['a size that is not a count', { ...php, images: [{ ...image, size: '32 MB' }] }],
    ['a negative size', { ...php, images: [{ ...image, size: -1 }] }],
    ['images as an object, as the OpenAPI spec wrongly says', { ...php, images: image }],
    ['a platform without os', { ...php, images: [{ ...image, os: null }] }],
    ['a name that is not a string', { ...php, name: 42 }],
  ])('%s is refused', (_, json) => {
    expect(hubTagSchema.safeParse(json).success).toBe(false);
  });
});

describe('repository listings (§3): a namespace\'s repositories and search results', () => {
  it('a namespace page: name, namespace, description, counts and the last update; other fields ignored', () => {
    const page = hubNamespacePageSchema.parse({
      count: 1,
      next: null,
      previous: null,
      results: [{ name: 'alpine', namespace: 'library', repository_type: 'image', status: 1, description: 'A minimal image', is_private: false, star_count: 11_000, pull_count: 9_000_000_000, last_updated: '2026-05-01T10:00:00.123456Z', media_types: [], categories: [] }],
    });
    const result = page.results[0]!;
    expect(toHubRepository(result, result.namespace, result.name)).toEqual({
      namespace: 'library',
      name: 'alpine',
      official: true,
      description: 'A minimal image',
      starCount: 11_000,
      pullCount: 9_000_000_000,
      lastUpdated: '2026-05-01T10:00:00.123Z',
    });
  });

  it('a search page: repo_name as Hub gives it, "" and null descriptions are none', () => {
    const page = hubSearchPageSchema.parse({
      count: 2,
      next: 'https://hub.docker.com/v2/search/repositories/?page=2&page_size=1&query=redis',
      previous: null,
      results: [
        { repo_name: 'redis', short_description: '', star_count: 13_000, pull_count: 1_000_000_000, repo_owner: '', is_automated: false, is_official: true },
        { repo_name: 'bitnami/redis', short_description: null, star_count: null, pull_count: 5 },
      ],
    });
    expect(page.results.map((r) => [r.repo_name, r.short_description, r.star_count])).toEqual([
      ['redis', null, 13_000],
      ['bitnami/redis', null, null],
    ]);
  });

  it.each([
    ['a result without repo_name', { count: 1, next: null, results: [{ short_description: 'x' }] }],
    ['a pull count that is not a count', { count: 1, next: null, results: [{ repo_name: 'x/y', pull_count: '1.2M' }] }],
    ['results that are not a list', { count: 1, next: null, results: { repo_name: 'x/y' } }],
  ])('%s is refused', (_, json) => {
    expect(hubSearchPageSchema.safeParse(json).success).toBe(false);
  });
});

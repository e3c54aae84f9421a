import { describe, expect, it } from 'vitest';
import { RegistryError } from '@/lib/registry/errors';
import { parseRouteReference, referenceHref } from '@/lib/common/routes';
import {
  canonicalRegistry,
  familiarName,
  isRepositoryPath,
  makeReference,
  parseReference,
  parseRegistryHost,
  parseRepository,
  parseSignatureTag,
} from '@/lib/registry/reference';

const D = `sha256:${'a'.repeat(64)}`;

describe('parseReference normalizes as docker pull does, without adding a tag', () => {
  const cases: [string, { registry: string; path: string; tag: string | null; digest: string | null; canonical: string; familiar: string }][] = [
    ['alpine', { registry: 'docker.io', path: 'library/alpine', tag: null, digest: null, canonical: 'docker.io/library/alpine', familiar: 'alpine' }],
    ['alpine:3.12', { registry: 'docker.io', path: 'library/alpine', tag: '3.12', digest: null, canonical: 'docker.io/library/alpine:3.12', familiar: 'alpine:3.12' }],
    ['library/alpine', { registry: 'docker.io', path: 'library/alpine', tag: null, digest: null, canonical: 'docker.io/library/alpine', familiar: 'alpine' }],
    ['docker.io/alpine', { registry: 'docker.io', path: 'library/alpine', tag: null, digest: null, canonical: 'docker.io/library/alpine', familiar: 'alpine' }],
    ['index.docker.io/library/alpine:edge', { registry: 'docker.io', path: 'library/alpine', tag: 'edge', digest: null, canonical: 'docker.io/library/alpine:edge', familiar: 'alpine:edge' }],
    ['registry-1.docker.io/foo/bar', { registry: 'docker.io', path: 'foo/bar', tag: null, digest: null, canonical: 'docker.io/foo/bar', familiar: 'foo/bar' }],
    ['foo/bar', { registry: 'docker.io', path: 'foo/bar', tag: null, digest: null, canonical: 'docker.io/foo/bar', familiar: 'foo/bar' }],
    ['library/foo/bar', { registry: 'docker.io', path: 'library/foo/bar', tag: null, digest: null, canonical: 'docker.io/library/foo/bar', familiar: 'library/foo/bar' }],
    ['ghcr.io/org/app:1.4', { registry: 'ghcr.io', path: 'org/app', tag: '1.4', digest: null, canonical: 'ghcr.io/org/app:1.4', familiar: 'ghcr.io/org/app:1.4' }],
    ['ghcr.io/app', { registry: 'ghcr.io', path: 'app', tag: null, digest: null, canonical: 'ghcr.io/app', familiar: 'ghcr.io/app' }],
    [`quay.io/x/y@${D}`, { registry: 'quay.io', path: 'x/y', tag: null, digest: D, canonical: `quay.io/x/y@${D}`, familiar: `quay.io/x/y@${D}` }],
    [`alpine:3.12@${D}`, { registry: 'docker.io', path: 'library/alpine', tag: '3.12', digest: D, canonical: `docker.io/library/alpine:3.12@${D}`, familiar: `alpine:3.12@${D}` }],
    ['localhost/app', { registry: 'localhost', path: 'app', tag: null, digest: null, canonical: 'localhost/app', familiar: 'localhost/app' }],
    ['localhost:5000/library/demo:3.12', { registry: 'localhost:5000', path: 'library/demo', tag: '3.12', digest: null, canonical: 'localhost:5000/library/demo:3.12', familiar: 'localhost:5000/library/demo:3.12' }],
    ['127.0.0.1:5000/demo', { registry: '127.0.0.1:5000', path: 'demo', tag: null, digest: null, canonical: '127.0.0.1:5000/demo', familiar: '127.0.0.1:5000/demo' }],
    ['[::1]:5000/demo:v1', { registry: '[::1]:5000', path: 'demo', tag: 'v1', digest: null, canonical: '[::1]:5000/demo:v1', familiar: '[::1]:5000/demo:v1' }],
    ['[2001:db8::1]/demo', { registry: '[2001:db8::1]', path: 'demo', tag: null, digest: null, canonical: '[2001:db8::1]/demo', familiar: '[2001:db8::1]/demo' }],
    ['example:5000/demo', { registry: 'example:5000', path: 'demo', tag: null, digest: null, canonical: 'example:5000/demo', familiar: 'example:5000/demo' }],
    ['Example.COM/demo', { registry: 'example.com', path: 'demo', tag: null, digest: null, canonical: 'example.com/demo', familiar: 'example.com/demo' }],
    ['Foo/bar', { registry: 'Foo', path: 'bar', tag: null, digest: null, canonical: 'Foo/bar', familiar: 'Foo/bar' }],
    ['alpine:Latest_1.2-rc', { registry: 'docker.io', path: 'library/alpine', tag: 'Latest_1.2-rc', digest: null, canonical: 'docker.io/library/alpine:Latest_1.2-rc', familiar: 'alpine:Latest_1.2-rc' }],
    ['a__b/c.d/e---f', { registry: 'docker.io', path: 'a__b/c.d/e---f', tag: null, digest: null, canonical: 'docker.io/a__b/c.d/e---f', familiar: 'a__b/c.d/e---f' }],
    ['localhost:5000', { registry: 'docker.io', path: 'library/localhost', tag: '5000', digest: null, canonical: 'docker.io/library/localhost:5000', familiar: 'localhost:5000' }],
    ['  alpine  ', { registry: 'docker.io', path: 'library/alpine', tag: null, digest: null, canonical: 'docker.io/library/alpine', familiar: 'alpine' }],
  ];
  it.each(cases)('%s', (input, expected) => {
    const reference = parseReference(input);
    expect(reference).toEqual({ ...expected, repository: `${expected.registry}/${expected.path}` });
  });
});

describe('parseReference refuses invalid input with a reason a person understands', () => {
  const cases: [string, string][] = [
    ['', 'it is empty'],
    ['   ', 'it is empty'],
    ['Alpine', 'repository name must be lowercase'],
    ['ghcr.io/Org/App', 'repository name must be lowercase'],
    ['alpine:', 'the tag after ":" is empty'],
    ['alpine:-x', 'may only contain letters'],
    ['alpine:.x', 'may only contain letters'],
    [`alpine:${'a'.repeat(129)}`, 'at most 128 are allowed'],
    ['alpine@sha256:abc', 'a sha256 digest has 64 hex characters, this one has 3'],
    [`alpine@sha256:${'A'.repeat(64)}`, 'lowercase hexadecimal'],
    [`alpine@md5:${'a'.repeat(32)}`, 'unsupported digest algorithm "md5"'],
    ['alpine@latest', 'the digest must look like sha256:'],
    ['alpine@', 'the digest must look like sha256:'],
    ['a'.repeat(64), 'image ID, not a reference'],
    ['foo//bar', 'empty path component'],
    ['foo/bar/', 'empty path component'],
    ['ghcr.io/', 'the repository name is empty'],
    ['-foo/bar', 'is not a valid path component'],
    ['foo/bar_', 'is not a valid path component'],
    ['foo/b@r', 'the digest must look like'],
    ['foo bar', 'white space'],
    ['https://ghcr.io/org/app', 'it is a URL'],
    ['example.com:99999/app', 'port 99999 is out of range'],
    ['exa_mple.com/app', 'is not a valid registry host'],
    ['[::1]', 'registry host without a repository'],
    [`ghcr.io/${'a'.repeat(256)}`, 'at most 255 are allowed'],
  ];
  it.each(cases)('%j → %s', (input, reason) => {
    let caught: unknown;
    try {
      parseReference(input);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(RegistryError);
    expect((caught as RegistryError).code).toBe('INVALID_REFERENCE');
    expect((caught as RegistryError).message).toContain(reason);
  });

  it('counts the 255-character limit on the path only, not the registry host', () => {
    const path = 'a'.repeat(255);
    expect(parseReference(`registry.example.org:5000/${path}`).path).toBe(path);
  });

  it('suggests the lowercase spelling', () => {
    expect(() => parseReference('Org/App')).toThrow(/Try "app"|lowercase/);
    expect(() => parseReference('ghcr.io/Org/App')).toThrow('Try "org/app"');
  });
});

describe('one registry, one name: every spelling of a host canonicalizes to the same registry', () => {
  const cases: [string, string[]][] = [
    ['127.0.0.1:5018', ['127.0.0.1:5018', '127.1:5018', '2130706433:5018', '127.0.0.1:05018', '0x7f.1:5018', '0x7f000001:5018', '0177.0.0.1:5018', '127.0.1:005018']],
    ['[::1]:5018', ['[::1]:5018', '[0:0:0:0:0:0:0:1]:5018', '[::0001]:5018', '[0::1]:05018']],
    ['[::ffff:7f00:1]:5000', ['[::FFFF:7F00:1]:5000', '[0:0:0:0:0:ffff:7f00:1]:5000']],
    ['registry.example.com:5000', ['registry.example.com:5000', 'Registry.Example.COM:5000', 'REGISTRY.EXAMPLE.COM:05000']],
    ['localhost:5000', ['localhost:5000', 'LOCALHOST:5000', 'LocalHost:0005000']],
    ['docker.io', ['docker.io', 'DOCKER.IO', 'index.docker.io', 'Registry-1.Docker.IO']],
    // A port is neither added nor dropped: `:443` is a name of its own, as for docker pull.
    ['example.com:443', ['example.com:443', 'EXAMPLE.com:0443']],
    ['example.com', ['example.com', 'Example.Com']],
  ];
  it.each(cases)('%s', (canonical, spellings) => {
    for (const spelling of spellings) {
      expect(canonicalRegistry(spelling)).toBe(canonical);
      const reference = parseReference(`${spelling}/team/app:1.0`);
      expect(reference.registry).toBe(canonical);
      expect(reference.repository).toBe(`${canonical}/team/app`);
      expect(parseRepository(`${spelling}/team/app`).repository).toBe(`${canonical}/team/app`);
      expect(makeReference(spelling, 'team/app', null, null).registry).toBe(canonical);
    }
  });

  it.each([
    [['127.1:5018', 'team', 'app:1.0'], '/r/127.0.0.1:5018/team/app:1.0'],
    [['2130706433%3A5018', 'team', 'app'], '/r/127.0.0.1:5018/team/app'],
    [['%5B0:0::1%5D:05018', 'team', 'app'], '/r/%5B::1%5D:5018/team/app'],
    [['GHCR.IO', 'org', 'app'], '/r/ghcr.io/org/app'],
  ])('the page at /r/%j is an alias: it redirects (308) to %s', (segments, href) => {
    const parsed = parseRouteReference(segments);
    if (!parsed.ok) throw parsed.error;
    // app/r/[...reference]/page.tsx redirects whenever the input is not the canonical form.
    expect(parsed.input).not.toBe(parsed.reference.canonical);
    expect(referenceHref(parsed.reference)).toBe(href);
  });

  it('keeps a host that is one only because of its capitals as typed, so it never reads as a Docker Hub path', () => {
    expect(canonicalRegistry('Foo')).toBe('Foo');
    expect(parseReference('Foo/bar').canonical).toBe('Foo/bar');
  });

  it.each([
    ['foo.123/app', 'is not a valid registry host'], // ends in a number: an IPv4 address, and not a valid one
    ['999.1.1.1/app', 'is not a valid registry host'],
    ['1.2.3.4.5/app', 'is not a valid registry host'],
    ['[1::2::3]/app', 'is not a valid registry host'],
    ['[:::]/app', 'is not a valid registry host'],
    ['example.com./app', 'is not a valid registry host'], // a trailing dot is outside the grammar, as for docker
    ['127.0.0.1.:5000/app', 'is not a valid registry host'],
    ['example.com:0/app', 'port 0 is out of range'],
    ['example.com:65536/app', 'port 65536 is out of range'],
  ])('refuses %s, which no URL names, instead of keeping another spelling', (input, reason) => {
    expect(() => parseReference(input)).toThrow(reason);
  });
});

describe('parseRepository', () => {
  it('accepts a repository and normalizes it', () => {
    expect(parseRepository('alpine').repository).toBe('docker.io/library/alpine');
  });
  it.each(['alpine:3.12', `alpine@${D}`])('refuses %s, which names an image', (input) => {
    expect(() => parseRepository(input)).toThrow('a repository has no tag or digest');
  });
});

describe('familiarName', () => {
  it.each([
    ['docker.io', 'library/alpine', 'alpine'],
    ['docker.io', 'library/a/b', 'library/a/b'],
    ['docker.io', 'bitnami/redis', 'bitnami/redis'],
    ['ghcr.io', 'library/alpine', 'ghcr.io/library/alpine'],
    ['docker.io', 'example.com/app', 'docker.io/example.com/app'],
    ['docker.io', 'localhost/app', 'docker.io/localhost/app'],
  ])('%s/%s → %s', (registry, path, expected) => {
    expect(familiarName(registry, path)).toBe(expected);
  });
});

describe('referenceHref keeps ":" and "@" readable and encodes the rest', () => {
  it.each([
    ['docker.io/library/alpine:3.12', '/r/docker.io/library/alpine:3.12'],
    [`quay.io/x/y@${D}`, `/r/quay.io/x/y@${D}`],
    ['localhost:5000/demo', '/r/localhost:5000/demo'],
    ['[::1]:5000/demo', '/r/%5B::1%5D:5000/demo'],
  ])('%s → %s', (reference, href) => {
    expect(referenceHref(reference)).toBe(href);
  });
});

describe('parseSignatureTag recognizes cosign and referrers-fallback tags', () => {
  const hex = 'b'.repeat(64);
  it.each([
    [`sha256-${hex}.sig`, { subject: `sha256:${hex}`, kind: 'sig' }],
    [`sha256-${hex}.att`, { subject: `sha256:${hex}`, kind: 'att' }],
    [`sha256-${hex}.sbom`, { subject: `sha256:${hex}`, kind: 'sbom' }],
    [`sha256-${hex}`, { subject: `sha256:${hex}`, kind: null }],
    [`sha256-${hex.slice(1)}.sig`, null],
    [`sha512-${hex}.sig`, null],
    ['latest', null],
    [`sha256-${hex}.txt`, null],
  ])('%s', (tag, expected) => {
    expect(parseSignatureTag(tag)).toEqual(expected);
  });
});

describe('isRepositoryPath: names a catalog lists', () => {
  it.each([
    ['library/alpine', true],
    ['team/app/api', true],
    ['a', true],
    ['lib.0/svc_1', true],
    ['lib__0/svc-1', true],
    ['x'.repeat(255), true],
    ['x'.repeat(256), false],
    ['', false],
    ['UPPER/case', false],
    ['a//b', false],
    ['/leading', false],
    ['trailing/', false],
    ['-dash/x', false],
    ['../../etc/passwd', false],
    ['tab\there', false],
    ['x/\u202Egpj.exe', false],
  ])('%j → %s', (name, expected) => {
    expect(isRepositoryPath(name)).toBe(expected);
  });
});

describe('parseRegistryHost: a registry named on its own', () => {
  it.each([
    ['ghcr.io', 'ghcr.io'],
    ['index.docker.io', 'docker.io'],
    ['registry-1.docker.io', 'docker.io'],
    ['localhost', 'localhost'],
    ['localhost:5000', 'localhost:5000'],
    ['127.1:05000', '127.0.0.1:5000'],
    [' Quay.IO ', 'quay.io'],
    ['[::1]:5000', '[::1]:5000'],
  ])('%s → %s', (input, expected) => {
    expect(parseRegistryHost(input)).toBe(expected);
  });

  it.each([['alpine'], [''], ['ghcr.io/org'], ['https://ghcr.io'], ['999.1.1.1']])('%j is INVALID_REFERENCE', (input) => {
    expect(() => parseRegistryHost(input)).toThrow(expect.objectContaining({ code: 'INVALID_REFERENCE' }));
  });
});

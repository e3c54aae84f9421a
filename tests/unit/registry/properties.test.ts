// Property tests: whatever a stranger types or a registry sends, the parsers answer with a
// well-formed result or a typed error — never anything else. Each property checks whichever
// answer it got, and counts both kinds so a generator that only ever reaches one is caught.
// The shapes checked here are written from the grammars (distribution/reference, image-spec),
// not taken from the code under test.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseChallenges } from '@/lib/registry/challenge';
import { RegistryError, type RegistryErrorCode } from '@/lib/registry/errors';
import { parseNextLink } from '@/lib/registry/link';
import { parseManifest, type ParsedManifest } from '@/lib/registry/manifest';
import { parsePlatform, type Platform } from '@/lib/registry/platform';
import { canonicalRegistry, parseReference, type Reference } from '@/lib/registry/reference';

const PATH_COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^\w[\w.-]{0,127}$/;
const DIGEST = /^(?:sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;
const REGISTRY_HOST = /^(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*|\[[0-9a-f:.]+\])(?::[1-9][0-9]{0,4})?$/;

/** Runs a parser; a throw must be a RegistryError with the expected code. */
function outcome<T>(run: () => T, code: RegistryErrorCode): { value: T } | { error: RegistryError } {
  try {
    return { value: run() };
  } catch (error) {
    expect(error, `threw ${String(error)}`).toBeInstanceOf(RegistryError);
    expect((error as RegistryError).code).toBe(code);
    return { error: error as RegistryError };
  }
}

/** Counts the answers of one property run, so each test can say both kinds were reached. */
function tally() {
  const counts = { values: 0, errors: 0 };
  return {
    counts,
    add(result: { value: unknown } | { error: unknown } | { value: null }) {
      if ('value' in result && result.value !== null) counts.values++;
      else counts.errors++;
    },
  };
}

/** A parsed reference's parts obey the grammar, and its two spellings are built from them. */
function expectWellFormed(reference: Reference) {
  expect(reference.registry).toMatch(REGISTRY_HOST);
  expect(reference.path.length).toBeLessThanOrEqual(255);
  for (const component of reference.path.split('/')) expect(component).toMatch(PATH_COMPONENT);
  if (reference.tag !== null) expect(reference.tag).toMatch(TAG);
  if (reference.digest !== null) expect(reference.digest).toMatch(DIGEST);
  expect(reference.repository).toBe(`${reference.registry}/${reference.path}`);
  const suffix = `${reference.tag === null ? '' : `:${reference.tag}`}${reference.digest === null ? '' : `@${reference.digest}`}`;
  expect(reference.canonical).toBe(`${reference.repository}${suffix}`);
  expect(reference.familiar.endsWith(`${reference.path.replace(/^library\//, '')}${suffix}`)).toBe(true);
}

const referenceChars = fc.constantFrom(...'abcxyz019ABC.-_/:@[]%'.split(''), 'sha256:', 'localhost', 'docker.io/', '.io/', '0x7f.1', '127.1', '2130706433', ':05000', '[::1]', '[0:0::1]', 'FFFF');
const referenceLike = fc.array(referenceChars, { maxLength: 40 }).map((parts) => parts.join(''));

describe('parseReference', () => {
  it('returns a well-formed reference or throws INVALID_REFERENCE, for any string', () => {
    const seen = tally();
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), referenceLike), (input) => {
        const result = outcome(() => parseReference(input), 'INVALID_REFERENCE');
        seen.add(result);
        if ('value' in result) expectWellFormed(result.value);
      }),
      { numRuns: 2000 },
    );
    expect(seen.counts.values, 'references that parsed').toBeGreaterThan(50);
    expect(seen.counts.errors, 'references refused').toBeGreaterThan(500);
  });

  it('is idempotent: the canonical and familiar forms parse to the same reference', () => {
    const seen = tally();
    fc.assert(
      fc.property(referenceLike, (input) => {
        const result = outcome(() => parseReference(input), 'INVALID_REFERENCE');
        seen.add(result);
        if (!('value' in result)) return;
        expect(parseReference(result.value.canonical)).toEqual(result.value);
        expect(parseReference(result.value.familiar)).toEqual(result.value);
      }),
      { numRuns: 2000 },
    );
    expect(seen.counts.values, 'references that parsed').toBeGreaterThan(50);
  });

  it('reads a reference built from the grammar back into the parts it was built from', () => {
    const component = fc.stringMatching(/^[a-z0-9]{1,6}(?:(?:[._]|__|-{1,2})[a-z0-9]{1,6}){0,2}$/);
    const registry = fc.constantFrom('ghcr.io', 'quay.io', 'localhost:5000', 'registry.example.com:8443', '127.0.0.1:5000', '[::1]:5000');
    const tag = fc.option(fc.stringMatching(/^\w[\w.-]{0,20}$/));
    const digest = fc.option(fc.stringMatching(/^[a-f0-9]{64}$/).map((hex) => `sha256:${hex}`));
    fc.assert(
      fc.property(registry, fc.array(component, { minLength: 1, maxLength: 3 }), tag, digest, (host, components, t, d) => {
        const path = components.join('/');
        const text = `${host}/${path}${t === null ? '' : `:${t}`}${d === null ? '' : `@${d}`}`;
        const reference = parseReference(text);
        expect(reference).toMatchObject({ registry: host, path, repository: `${host}/${path}`, tag: t, digest: d, canonical: text, familiar: text });
      }),
      { numRuns: 1000 },
    );
  });
});

describe('canonicalRegistry', () => {
  // Hosts the reference grammar reads as a registry (each holds ".", ":" or a capital), in the
  // spellings the URL parser folds together: IPv4 in decimal, hex, octal and short forms,
  // IPv6 compressed or not, any case, ports with leading zeros.
  const ipv4Part = fc.oneof(fc.nat(255).map(String), fc.nat(255).map((n) => `0x${n.toString(16)}`), fc.nat(255).map((n) => `0${n.toString(8)}`), fc.nat(2 ** 32 - 1).map(String));
  const ipv4 = fc.array(ipv4Part, { minLength: 1, maxLength: 4 }).map((parts) => parts.join('.'));
  const dnsName = fc.array(fc.constantFrom('example', 'Registry', 'a-b', 'x1', 'LOCALHOST', 'com', 'io', 'docker', 'index'), { minLength: 1, maxLength: 3 }).map((labels) => labels.join('.'));
  const ipv6 = fc.ipV6().map((address) => `[${address}]`);
  const port = fc.tuple(fc.nat(2), fc.integer({ min: 0, max: 65_536 })).map(([zeros, n]) => `:${'0'.repeat(zeros)}${n}`);
  const chaos = fc
    .tuple(fc.array(fc.constantFrom(...'019afx.:[]'.split(''), '0x', '::', 'ffff', 'localhost'), { maxLength: 8 }), fc.constantFrom('.', ':', 'A', '.io', ':5000'))
    .map(([parts, marker]) => [...parts, marker].join(''));
  const hostLike = fc.oneof(
    fc.tuple(fc.oneof(ipv4, dnsName, ipv6), fc.option(port)).map(([host, p]) => `${host}${p ?? ''}`).filter((h) => /[.:A-Z]/.test(h)),
    chaos,
  );

  it('is idempotent, and is the registry of every reference through that host', () => {
    const seen = tally();
    fc.assert(
      fc.property(hostLike, (host) => {
        const result = outcome(() => canonicalRegistry(host), 'INVALID_REFERENCE');
        seen.add(result);
        if (!('value' in result)) return;
        const canonical = result.value;
        expect(canonical).toMatch(REGISTRY_HOST);
        expect(canonicalRegistry(canonical)).toBe(canonical);
        const reference = parseReference(`${host}/app:1`);
        expect(reference.registry).toBe(canonical);
        expect(parseReference(reference.canonical)).toEqual(reference);
      }),
      { numRuns: 3000 },
    );
    expect(seen.counts.values, 'hosts accepted').toBeGreaterThan(300);
    expect(seen.counts.errors, 'hosts refused').toBeGreaterThan(50);
  });
});

describe('header parsers never throw, and answer only from what the header holds', () => {
  const headerish = fc.oneof(
    fc.string(),
    fc.array(fc.constantFrom('Bearer ', 'Basic ', 'realm=', '"', ',', ' ', '\\', 'scope="a:b,c"', '=', 'x', '<', '>', ';', 'rel=next', 'rel="next"'), { maxLength: 30 }).map((p) => p.join('')),
  );
  it('parseChallenges: lower-case schemes and parameter names, each a token of the header', () => {
    const seen = tally();
    fc.assert(
      fc.property(headerish, (header) => {
        const challenges = parseChallenges(header);
        expect(Array.isArray(challenges)).toBe(true);
        seen.add({ value: challenges.length > 0 ? challenges : null });
        for (const c of challenges) {
          expect(c.scheme).toMatch(/^[!#$%&'*+\-.^_`|~0-9a-z]+$/);
          expect(header.toLowerCase()).toContain(c.scheme);
          for (const [name, value] of Object.entries(c.params)) {
            expect(name).toMatch(/^[!#$%&'*+\-.^_`|~0-9a-z]+$/);
            expect(typeof value).toBe('string');
          }
        }
      }),
      { numRuns: 3000 },
    );
    expect(seen.counts.values, 'headers with a challenge').toBeGreaterThan(300);
  });
  it('parseNextLink: null, or a <target> of the header that a rel=next follows', () => {
    const noise = fc
      .array(fc.constantFrom('<', '>', '/v2/a/tags/list?n=1', '</v2/b>', ';', '; ', ' ', 'rel=next', 'rel="next"', 'rel="prev"', ',', ', ', '"', 'title="a, b"'), { maxLength: 6 })
      .map((p) => p.join(''));
    const linkish = fc
      .tuple(noise, fc.constantFrom('<', '<', '<<', ''), fc.constantFrom('/v2/a/tags/list?last=b&n=2', '', 'x y', '"q"'), fc.constantFrom('>', '>', ''), fc.constantFrom(';', '; ', ' ; ', ''), fc.constantFrom('rel=next', 'rel="next"', 'REL=Next', 'rel="prev next"', 'rel="prev"', 'rel=nex'), noise)
      .map((p) => p.join(''));
    const seen = tally();
    fc.assert(
      fc.property(fc.oneof(headerish, linkish), (header) => {
        const link = parseNextLink(header);
        seen.add({ value: link });
        if (link === null) return;
        expect(typeof link).toBe('string');
        expect(link).not.toContain('>');
        const at = header.indexOf(`<${link}>`);
        expect(at).toBeGreaterThanOrEqual(0);
        expect(header.slice(at).toLowerCase()).toMatch(/rel\s*=\s*"?[^"]*next/);
      }),
      { numRuns: 3000 },
    );
    expect(seen.counts.values, 'headers with a next link').toBeGreaterThan(150);
  });
  it('parseNextLink finds the next link among others', () => {
    const target = fc.stringMatching(/^\/v2\/[a-z]{1,8}\/tags\/list\?last=[a-z0-9.]{1,8}&n=[0-9]{1,3}$/);
    fc.assert(
      fc.property(target, fc.constantFrom('rel=next', 'rel="next"', 'REL="Next"', 'rel="prev next"'), fc.boolean(), (next, rel, otherFirst) => {
        const links = [`<${next}>; ${rel}`, '</v2/x/tags/list?n=1>; rel="prev"'];
        expect(parseNextLink((otherFirst ? links.reverse() : links).join(', '))).toBe(next);
      }),
      { numRuns: 300 },
    );
  });
  it('parsePlatform: null, or os/architecture[/variant] that formats back to the text', () => {
    const word = fc.constantFrom('linux', 'windows', 'Darwin', 'amd64', 'arm64', 'arm', 'v7', 'v8', '386', 's390x', 'x86_64', 'a.b-c');
    const platformLike = fc.oneof(
      fc.string(),
      fc.array(fc.oneof(word, fc.constantFrom('/', '//', '(10.0.17763.1)', '(', ')', ' ', '\t', '')), { maxLength: 7 }).map((p) => p.join('')),
      fc
        .tuple(fc.constantFrom('', ' ', '\t'), word, fc.constantFrom('', '', '(10.0.17763.1)', '()', '(', ')'), fc.constantFrom('/', '/', '//', ''), word, fc.constantFrom('', '/v7', '/v8', '/', '/v8/x', '/v 7'), fc.constantFrom('', ' '))
        .map((p) => p.join('')),
    );
    const seen = tally();
    fc.assert(
      fc.property(platformLike, (text) => {
        const platform = parsePlatform(text);
        seen.add({ value: platform });
        if (platform === null) return;
        const part = /^[a-z0-9_.-]+$/i;
        expect(platform.os).toMatch(part);
        expect(platform.architecture).toMatch(part);
        if (platform.variant !== undefined) expect(platform.variant).toMatch(part);
        const spelled = (p: Platform) =>
          [`${p.os}${p['os.version'] ? `(${p['os.version']})` : ''}`, p.architecture, p.variant].filter((x) => x !== undefined).join('/');
        // Written out again, it is the text (an empty "()" aside) and parses to the same platform.
        expect(spelled(platform)).toBe(text.trim().replace('()', ''));
        expect(parsePlatform(spelled(platform))).toEqual(platform);
      }),
      { numRuns: 2000 },
    );
    expect(seen.counts.values, 'texts that were platforms').toBeGreaterThan(60);
    expect(seen.counts.errors, 'texts that were not').toBeGreaterThan(100);
  });
});

/** What every parsed manifest holds, checked against image-spec's rules directly. */
function expectWellFormedManifest(manifest: ParsedManifest) {
  expect(manifest.mediaType.length).toBeGreaterThan(0);
  const descriptor = (d: { digest: string; size: number; mediaType: string }) => {
    expect(d.digest).toMatch(DIGEST);
    expect(Number.isSafeInteger(d.size) && d.size >= 0, `size ${d.size}`).toBe(true);
    expect(typeof d.mediaType).toBe('string');
  };
  switch (manifest.kind) {
    case 'index':
      for (const entry of manifest.manifests) descriptor(entry.descriptor);
      for (const entry of manifest.attestations) descriptor(entry.descriptor);
      break;
    case 'image':
    case 'artifact': {
      descriptor(manifest.config);
      manifest.layers.forEach(descriptor);
      // Each distinct layer once, at the size it is first listed with.
      const distinct = new Map<string, number>();
      for (const layer of manifest.layers) if (!distinct.has(layer.digest)) distinct.set(layer.digest, layer.size);
      expect(manifest.compressedSize).toBe([...distinct.values()].reduce((a, b) => a + b, 0));
      break;
    }
    case 'schema1':
      for (const layer of manifest.layers) expect(typeof layer).toBe('string');
      break;
    default:
      expect.unreachable(`kind ${(manifest as { kind: string }).kind}`);
  }
}

describe('parseManifest', () => {
  it('returns a well-formed manifest or throws UPSTREAM, for any bytes or any JSON', () => {
    const seen = tally();
    fc.assert(
      fc.property(fc.oneof(fc.string().map((s) => Buffer.from(s)), fc.json().map((j) => Buffer.from(j)), fc.uint8Array().map((u) => Buffer.from(u))), fc.option(fc.string()), (bytes, contentType) => {
        const result = outcome(() => parseManifest(bytes, contentType), 'UPSTREAM');
        seen.add(result);
        if ('value' in result) expectWellFormedManifest(result.value);
      }),
      { numRuns: 2000 },
    );
    expect(seen.counts.errors, 'bytes refused').toBeGreaterThan(1000);
  });

  it('survives manifests shaped almost right, and reads the right ones', () => {
    const goodDigest = fc.constantFrom(`sha256:${'a'.repeat(64)}`, `sha256:${'b'.repeat(64)}`, `sha512:${'c'.repeat(128)}`);
    const descriptor = fc.record(
      { mediaType: fc.oneof(fc.string(), fc.constant('application/vnd.oci.image.config.v1+json')), digest: fc.oneof(goodDigest, goodDigest, fc.string()), size: fc.oneof(fc.nat(), fc.nat(), fc.integer(), fc.double(), fc.string()) },
      { requiredKeys: ['mediaType'] },
    );
    const manifestish = fc.record(
      {
        schemaVersion: fc.oneof(fc.constant(2), fc.constant(2), fc.constant(1), fc.integer()),
        mediaType: fc.constantFrom('application/vnd.oci.image.index.v1+json', 'application/vnd.oci.image.manifest.v1+json', 'application/vnd.docker.distribution.manifest.v1+prettyjws', 'x'),
        manifests: fc.array(fc.record({ ...{ platform: fc.record({ os: fc.string(), architecture: fc.string() }, { requiredKeys: [] }) }, descriptor: descriptor }).map((r) => ({ ...r.descriptor, platform: r.platform })), { maxLength: 3 }),
        config: descriptor,
        layers: fc.array(descriptor, { maxLength: 3 }),
        signatures: fc.array(fc.record({ protected: fc.string() })),
      },
      { requiredKeys: ['schemaVersion', 'mediaType'] },
    );
    const seen = tally();
    fc.assert(
      fc.property(manifestish, (m) => {
        const result = outcome(() => parseManifest(Buffer.from(JSON.stringify(m))), 'UPSTREAM');
        seen.add(result);
        if ('value' in result) expectWellFormedManifest(result.value);
      }),
      { numRuns: 2000 },
    );
    expect(seen.counts.values, 'manifests read').toBeGreaterThan(100);
    expect(seen.counts.errors, 'manifests refused').toBeGreaterThan(100);
  });
});

// Property tests: whatever a stranger types or a registry sends, the parsers answer with a
// result or a typed error — never anything else.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseChallenges } from '@/lib/registry/challenge';
import { RegistryError } from '@/lib/registry/errors';
import { parseNextLink } from '@/lib/registry/link';
import { parseManifest } from '@/lib/registry/manifest';
import { parsePlatform } from '@/lib/registry/platform';
import { canonicalRegistry, parseReference } from '@/lib/registry/reference';

const referenceChars = fc.constantFrom(...'abcxyz019ABC.-_/:@[]%'.split(''), 'sha256:', 'localhost', 'docker.io/', '.io/', '0x7f.1', '127.1', '2130706433', ':05000', '[::1]', '[0:0::1]', 'FFFF');
const referenceLike = fc.array(referenceChars, { maxLength: 40 }).map((parts) => parts.join(''));

function typedOrResult(run: () => unknown) {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(RegistryError);
  }
}

describe('parseReference', () => {
  it('returns a reference or throws INVALID_REFERENCE, for any string', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'binary' }), referenceLike), (input) => {
        try {
          parseReference(input);
        } catch (error) {
          expect(error).toBeInstanceOf(RegistryError);
          expect((error as RegistryError).code).toBe('INVALID_REFERENCE');
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('is idempotent: the canonical form parses to itself', () => {
    fc.assert(
      fc.property(referenceLike, (input) => {
        let parsed;
        try {
          parsed = parseReference(input);
        } catch {
          return;
        }
        expect(parseReference(parsed.canonical)).toEqual(parsed);
        expect(parseReference(parsed.familiar).canonical).toBe(parsed.canonical);
      }),
      { numRuns: 2000 },
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
    fc.assert(
      fc.property(hostLike, (host) => {
        let canonical: string;
        try {
          canonical = canonicalRegistry(host);
        } catch (error) {
          expect((error as RegistryError).code).toBe('INVALID_REFERENCE');
          return;
        }
        expect(canonicalRegistry(canonical)).toBe(canonical);
        const reference = parseReference(`${host}/app:1`);
        expect(reference.registry).toBe(canonical);
        expect(parseReference(reference.canonical)).toEqual(reference);
      }),
      { numRuns: 3000 },
    );
  });
});

describe('header parsers never throw', () => {
  const headerish = fc.oneof(
    fc.string(),
    fc.array(fc.constantFrom('Bearer ', 'Basic ', 'realm=', '"', ',', ' ', '\\', 'scope="a:b,c"', '=', 'x', '<', '>', ';', 'rel=next', 'rel="next"'), { maxLength: 30 }).map((p) => p.join('')),
  );
  it('parseChallenges', () => {
    fc.assert(
      fc.property(headerish, (header) => {
        const challenges = parseChallenges(header);
        expect(Array.isArray(challenges)).toBe(true);
        for (const c of challenges) expect(c.scheme).toBe(c.scheme.toLowerCase());
      }),
      { numRuns: 3000 },
    );
  });
  it('parseNextLink', () => {
    fc.assert(
      fc.property(headerish, (header) => {
        const link = parseNextLink(header);
        expect(link === null || typeof link === 'string').toBe(true);
      }),
      { numRuns: 3000 },
    );
  });
  it('parsePlatform', () => {
    fc.assert(fc.property(fc.string(), (text) => typedOrResult(() => parsePlatform(text))));
  });
});

describe('parseManifest', () => {
  it('returns a manifest or throws a RegistryError, for any bytes or any JSON', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string().map((s) => Buffer.from(s)), fc.json().map((j) => Buffer.from(j)), fc.uint8Array().map((u) => Buffer.from(u))), fc.option(fc.string()), (bytes, contentType) => {
        typedOrResult(() => parseManifest(bytes, contentType));
      }),
      { numRuns: 2000 },
    );
  });

  it('survives manifests shaped almost right', () => {
    const descriptor = fc.record({ mediaType: fc.string(), digest: fc.oneof(fc.string(), fc.constant(`sha256:${'a'.repeat(64)}`)), size: fc.oneof(fc.integer(), fc.double(), fc.string()) }, { requiredKeys: [] });
    const manifestish = fc.record(
      {
        schemaVersion: fc.oneof(fc.constant(2), fc.constant(1), fc.integer()),
        mediaType: fc.constantFrom('application/vnd.oci.image.index.v1+json', 'application/vnd.oci.image.manifest.v1+json', 'application/vnd.docker.distribution.manifest.v1+prettyjws', 'x'),
        manifests: fc.array(fc.record({ ...{ platform: fc.record({ os: fc.string(), architecture: fc.string() }, { requiredKeys: [] }) }, descriptor: descriptor }).map((r) => ({ ...r.descriptor, platform: r.platform }))),
        config: descriptor,
        layers: fc.array(descriptor),
        signatures: fc.array(fc.record({ protected: fc.string() })),
      },
      { requiredKeys: [] },
    );
    fc.assert(fc.property(manifestish, (m) => typedOrResult(() => parseManifest(Buffer.from(JSON.stringify(m))))), { numRuns: 2000 });
  });
});

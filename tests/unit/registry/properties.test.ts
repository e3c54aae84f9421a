// Property tests: whatever a stranger types or a registry sends, the parsers answer with a
// result or a typed error — never anything else.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseChallenges } from '@/lib/registry/challenge';
import { RegistryError } from '@/lib/registry/errors';
import { parseNextLink } from '@/lib/registry/link';
import { parseManifest } from '@/lib/registry/manifest';
import { parsePlatform } from '@/lib/registry/platform';
import { parseReference } from '@/lib/registry/reference';

const referenceChars = fc.constantFrom(...'abcxyz019ABC.-_/:@[]%'.split(''), 'sha256:', 'localhost', 'docker.io/', '.io/');
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

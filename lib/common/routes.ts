// The app's addresses: everything after /r/ is one image reference (docs/design.md "URLs"):
// reading one from a route's segments, and writing the link to one. Pure; browser and server.

import { RegistryError } from '../registry/errors';
import { parseReference, type Reference } from '../registry/reference';

/** Next.js hands catch-all segments over percent-encoded; each is decoded before parsing. */
export function referenceInputFromSegments(segments: readonly string[]): string {
  return segments
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        throw new RegistryError('INVALID_REFERENCE', `"${segment}" is not a valid percent-encoded path segment`);
      }
    })
    .join('/');
}

export type ParsedRouteReference =
  | { ok: true; input: string; reference: Reference }
  | { ok: false; input: string; error: RegistryError };

export function parseRouteReference(segments: readonly string[]): ParsedRouteReference {
  let input = segments.join('/');
  try {
    input = referenceInputFromSegments(segments);
    return { ok: true, input, reference: parseReference(input) };
  } catch (error) {
    if (error instanceof RegistryError) return { ok: false, input, error };
    throw error;
  }
}

/** The page of a reference: `/r/` + its canonical form, each segment encoded but `:` and `@` kept. */
export function referenceHref(reference: string | Reference): string {
  const text = typeof reference === 'string' ? reference : reference.canonical;
  return `/r/${text
    .split('/')
    .map((segment) => encodeURIComponent(segment).replace(/%3A/gi, ':').replace(/%40/gi, '@'))
    .join('/')}`;
}

/** The Atom feed of a repository's tag moves, or of one tag's (served by /api/v1/feed). */
export function feedHref(repository: string, tag?: string | null): string {
  const query = new URLSearchParams({ repository });
  if (tag) query.set('tag', tag);
  return `/api/v1/feed?${query.toString().replace(/%2F/gi, '/').replace(/%3A/gi, ':')}`;
}

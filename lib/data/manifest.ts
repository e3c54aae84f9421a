import 'server-only';
// `manifest`: the exact bytes a registry sends for a reference, with the digest we computed,
// whether it verified, and the response headers — optionally the manifest of one platform.

import { ApiError } from '../api/errors';
import type { ManifestResponse } from '../api/types';
import { getRegistryService, type StoredManifest } from './service';
import { DEFAULT_TAG, formatPlatform, parsePlatform, platformKey, type Reference } from '../registry';

/** The manifest a reference names (one platform's, with `platformText`), parsed once. */
export async function resolveManifest(
  reference: Reference,
  platformText?: string,
): Promise<{ shown: string; fetched: StoredManifest & { verified: boolean | null } }> {
  const service = getRegistryService();
  let fetched = await service.manifestByReference(reference, reference.digest ?? reference.tag ?? DEFAULT_TAG);
  let shown = reference.canonical;
  if (platformText) {
    const wanted = parsePlatform(platformText)!;
    if (fetched.manifest.kind !== 'index') {
      throw new ApiError('INVALID_QUERY', `${reference.familiar} is a single manifest, not an index; leave out platform`, { parameter: 'platform' });
    }
    const entry = fetched.manifest.manifests.find((m) => m.platform && platformKey(m.platform) === platformKey(wanted));
    if (!entry) {
      const available = fetched.manifest.manifests.flatMap((m) => (m.platform ? [formatPlatform(m.platform)] : []));
      throw new ApiError('MANIFEST_UNKNOWN', `${reference.familiar} has no ${platformText} image; it has ${available.join(', ') || 'no platforms'}`, {
        platforms: available,
      });
    }
    fetched = { ...(await service.manifest(reference, entry.descriptor.digest)), verified: true };
    shown = `${reference.repository}@${entry.descriptor.digest}`;
  }
  return { shown, fetched };
}

/** The manifest API's answer for stored bytes: shown as `reference`, the body as UTF-8 text. */
export function manifestResponse(reference: string, fetched: StoredManifest & { verified: boolean | null }): ManifestResponse {
  return {
    reference,
    digest: fetched.digest,
    mediaType: fetched.mediaType,
    size: fetched.size,
    verified: fetched.verified,
    headers: fetched.headers,
    raw: fetched.bytes.toString('utf8'),
  };
}

export async function getManifest(reference: Reference, platformText?: string): Promise<ManifestResponse> {
  const { shown, fetched } = await resolveManifest(reference, platformText);
  return manifestResponse(shown, fetched);
}

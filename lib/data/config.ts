import 'server-only';
// `config`: one platform's image config — what `docker inspect` shows, whose digest is the
// image ID — for a platform digest, a single-manifest tag, or an index with `platform=`.

import { ApiError } from '../api/errors';
import type { ConfigResponse } from '../api/types';
import { resolveManifest } from './manifest';
import { getRegistryService } from './service';
import type { Reference } from '../registry';

export async function getConfig(reference: Reference, platform?: string): Promise<ConfigResponse> {
  const { shown, fetched } = await resolveManifest(reference, platform);
  const parsed = fetched.manifest;
  if (parsed.kind === 'index') {
    throw new ApiError('INVALID_QUERY', 'this reference is an index: add platform=, e.g. platform=linux/amd64', { parameter: 'platform' });
  }
  if (parsed.kind !== 'image') {
    throw new ApiError('INVALID_QUERY', `this reference is ${parsed.kind === 'artifact' ? 'an artifact' : 'a legacy schema 1 manifest'}, which has no image config`, {
      parameter: 'reference',
    });
  }
  const config = await getRegistryService().config(reference, parsed.config);
  return { reference: shown, manifestDigest: fetched.digest, digest: parsed.config.digest, mediaType: parsed.config.mediaType, size: parsed.config.size, config };
}

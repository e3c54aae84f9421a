import { apiRoute } from '@/lib/api/route';
import { manifestQuery } from '@/lib/api/schemas';
import { getManifest } from '@/lib/data/manifest';
import { parseReference } from '@/lib/registry/reference';

export const GET = apiRoute(manifestQuery, async ({ reference, platform }) => getManifest(parseReference(reference), platform));

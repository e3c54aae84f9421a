import { apiRoute } from '@/lib/api/route';
import { manifestQuery } from '@/lib/api/schemas';
import { getManifestView } from '@/lib/data/manifest';

export const GET = apiRoute(manifestQuery, async ({ reference, platform }) => getManifestView(reference, platform));

import { apiRoute } from '@/lib/api/route';
import { configQuery } from '@/lib/api/schemas';
import { getConfig } from '@/lib/data/config';
import { parseReference } from '@/lib/registry/reference';

export const GET = apiRoute(configQuery, async ({ reference, platform }) => getConfig(parseReference(reference), platform));

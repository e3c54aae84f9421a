import { apiRoute } from '@/lib/api/route';
import { configQuery } from '@/lib/api/schemas';
import { getConfigView } from '@/lib/data/config';

export const GET = apiRoute(configQuery, async ({ reference, platform }) => getConfigView(reference, platform));

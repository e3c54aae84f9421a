import { apiRoute } from '@/lib/api/route';
import { compareQuery } from '@/lib/api/schemas';
import { compareReferences } from '@/lib/data/compare';

export const GET = apiRoute(compareQuery, async ({ a, b }) => compareReferences(a, b));

import { apiRoute } from '@/lib/api/route';
import { searchQuery } from '@/lib/api/schemas';
import { searchRepositories } from '@/lib/data/search';

export const GET = apiRoute(searchQuery, async ({ registry, q, namespace }) => searchRepositories(registry, { q, namespace }));

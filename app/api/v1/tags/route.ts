import { apiRoute } from '@/lib/api/route';
import { repositoryQuery } from '@/lib/api/schemas';
import { getTags } from '@/lib/data/tags';
import { parseRepository } from '@/lib/registry/reference';

export const GET = apiRoute(repositoryQuery, async ({ repository }) => getTags(parseRepository(repository)));

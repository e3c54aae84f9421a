import { ndjsonResponse, wantsNdjson } from '@/lib/api/ndjson';
import { apiRoute } from '@/lib/api/route';
import { repositoryQuery } from '@/lib/api/schemas';
import { parseRepository } from '@/lib/registry/reference';
import { openRepositoryView } from '@/lib/repository-view';
import { parseSort } from '@/lib/tag-order';

export const GET = apiRoute(repositoryQuery, async ({ repository, sort }, request) => {
  const view = await openRepositoryView(parseRepository(repository), { sort: parseSort(sort)! });
  return wantsNdjson(request) ? ndjsonResponse((emit) => view.run(emit)) : view.run();
});

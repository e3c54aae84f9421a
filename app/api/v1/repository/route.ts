import { ndjsonResponse, wantsNdjson } from '@/lib/api/ndjson';
import { apiRoute } from '@/lib/api/route';
import { repositoryQuery } from '@/lib/api/schemas';
import { parseRepository } from '@/lib/registry/reference';
import { getRepository } from '@/lib/data/repository';
import { parseSort } from '@/lib/common/tag-order';

export const GET = apiRoute(repositoryQuery, async ({ repository, sort }, request) => {
  // The view's upstream work stops when the client goes away (the request or the stream ends).
  const left = new AbortController();
  request.signal.addEventListener('abort', () => left.abort(), { once: true });
  const view = await getRepository(parseRepository(repository), { sort: parseSort(sort)!, signal: left.signal });
  return wantsNdjson(request) ? ndjsonResponse((emit) => view.run(emit), () => left.abort()) : view.run();
});

import { ndjsonResponse, wantsNdjson } from '@/lib/api/ndjson';
import { apiRoute } from '@/lib/api/route';
import { catalogQuery } from '@/lib/api/schemas';
import type { CatalogEvent } from '@/lib/api/types';
import { getCatalog } from '@/lib/data/catalog';

export const GET = apiRoute(catalogQuery, async ({ registry, q, last }, request) => {
  // The listing stops when the client goes away (the request or the stream ends).
  const left = new AbortController();
  request.signal.addEventListener('abort', () => left.abort(), { once: true });
  const view = await getCatalog(registry, { q, last, signal: left.signal });
  return wantsNdjson(request) ? ndjsonResponse<CatalogEvent>((emit) => view.run(emit), () => left.abort()) : view.run();
});

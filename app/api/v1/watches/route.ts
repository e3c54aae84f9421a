// The watch list: GET lists it; PUT and DELETE ?repository= add and remove a watch (the watch
// button). The only writes of the API: a browser sends them only from Tagscope's own pages
// (a cross-site PUT or DELETE needs a CORS preflight this server never grants), and an Origin
// header from anywhere else is refused as well.
import { ApiError } from '@/lib/api/errors';
import { isOwnOrigin } from '@/lib/api/origin';
import { apiRoute } from '@/lib/api/route';
import { repositoryQuery } from '@/lib/api/schemas';
import { addWatch, listWatches, removeWatch, watchState } from '@/lib/data/watches';
import { getServerConfig } from '@/lib/env';
import { parseRepository } from '@/lib/registry/reference';
import { z } from 'zod';

const optionalRepository = z.object({ repository: z.string().trim().min(1).max(1_024).optional() });

/**
 * Browsers say where a request comes from in Sec-Fetch-Site; one too old to send it still sends
 * Origin on a PUT or DELETE, compared with the address the reader used (behind a proxy, trusted
 * as TAGSCOPE_TRUSTED_PROXIES says) and TAGSCOPE_PUBLIC_ORIGIN's origins.
 */
function sameOrigin(request: Request): void {
  const origin = request.headers.get('origin');
  const site = request.headers.get('sec-fetch-site');
  const fromElsewhere = site !== null ? site !== 'same-origin' && site !== 'none' : origin !== null && !isOwnOrigin(origin, request, getServerConfig());
  if (fromElsewhere) throw new ApiError('DENIED', 'watches are changed from Tagscope’s own pages only');
}

const interval = () => getServerConfig().history.watchIntervalMs / 1000;

export const GET = apiRoute(optionalRepository, async ({ repository }) =>
  repository === undefined ? listWatches() : watchState(parseRepository(repository), interval()),
);

export const PUT = apiRoute(repositoryQuery, async ({ repository }, request) => {
  sameOrigin(request);
  return addWatch(parseRepository(repository), interval());
});

export const DELETE = apiRoute(repositoryQuery, async ({ repository }, request) => {
  sameOrigin(request);
  return removeWatch(parseRepository(repository), interval());
});

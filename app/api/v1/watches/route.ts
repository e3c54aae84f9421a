// The watch list: GET lists it; PUT and DELETE ?repository= add and remove a watch (the watch
// button). The only writes of the API: a browser sends them only from Tagscope's own pages
// (a cross-site PUT or DELETE needs a CORS preflight this server never grants), and an Origin
// header from anywhere else is refused as well. The first PUT gives the browser its owner
// token (lib/api/watch-owner.ts), which a DELETE must bring back.
import { ApiError } from '@/lib/api/errors';
import { isOwnOrigin, requestOrigin } from '@/lib/api/origin';
import { apiRoute, clientKey } from '@/lib/api/route';
import { repositoryQuery } from '@/lib/api/schemas';
import { newOwnerToken, ownerCookie, ownerHash, readOwnerToken } from '@/lib/api/watch-owner';
import { addWatch, listWatches, removeWatch, watchState, type WatchReader } from '@/lib/data/watches';
import { getServerConfig } from '@/lib/server/env';
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

const reader = (request: Request): WatchReader => ({ ownerHash: ownerHash(readOwnerToken(request)) });

export const GET = apiRoute(optionalRepository, async ({ repository }, request) =>
  repository === undefined ? listWatches(reader(request)) : watchState(parseRepository(repository), interval(), reader(request)),
);

export const PUT = apiRoute(repositoryQuery, async ({ repository }, request) => {
  sameOrigin(request);
  const token = readOwnerToken(request) ?? newOwnerToken();
  const answer = await addWatch(parseRepository(repository), interval(), { ownerHash: ownerHash(token)!, clientKey: clientKey(request) });
  const secure = requestOrigin(request, getServerConfig()).startsWith('https:');
  return Response.json(answer, { headers: { 'cache-control': 'no-store', 'set-cookie': ownerCookie(token, secure) } });
});

export const DELETE = apiRoute(repositoryQuery, async ({ repository }, request) => {
  sameOrigin(request);
  return removeWatch(parseRepository(repository), interval(), reader(request));
});

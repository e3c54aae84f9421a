// GET /api/v1/feed?repository=[&tag=]: an Atom feed of a repository's (or one tag's) tag moves.
import { feedMoves } from '@/lib/data/history';
import { publicOrigin } from '@/lib/api/origin';
import { apiRoute } from '@/lib/api/route';
import { getServerConfig } from '@/lib/server/env';
import { historyQuery } from '@/lib/api/schemas';
import { renderAtomFeed } from '@/lib/history/atom';
import { parseRepository } from '@/lib/registry/reference';
import { referenceHref } from '@/lib/common/routes';

export const GET = apiRoute(historyQuery.omit({ since: true }), async ({ repository, tag }, request) => {
  const repo = parseRepository(repository);
  const moves = await feedMoves(repo, tag);
  // Links are absolute: on TAGSCOPE_PUBLIC_ORIGIN's first origin, else on the address the reader used.
  const origin = publicOrigin(request, getServerConfig());
  const page = (reference: string) => new URL(referenceHref(reference), origin).toString();
  const self = new URL('/api/v1/feed', origin);
  self.searchParams.set('repository', repo.repository);
  if (tag) self.searchParams.set('tag', tag);
  const body = renderAtomFeed(moves, {
    repository: repo.repository,
    tag,
    selfUrl: self.toString(),
    pageUrl: page(tag ? `${repo.repository}:${tag}` : repo.repository),
    digestUrl: (digest) => page(`${repo.repository}@${digest}`),
    tagUrl: (name) => page(`${repo.repository}:${name}`),
    now: new Date(),
  });
  return new Response(body, { headers: { 'content-type': 'application/atom+xml; charset=utf-8', 'cache-control': 'no-store' } });
});

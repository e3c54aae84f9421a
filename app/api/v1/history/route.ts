import { apiRoute } from '@/lib/api/route';
import { historyQuery } from '@/lib/api/schemas';
import { getHistory } from '@/lib/data/history';
import { parseIsoDate } from '@/lib/history/dates';
import { parseRepository } from '@/lib/registry/reference';

export const GET = apiRoute(historyQuery, async ({ repository, tag, since }) =>
  getHistory(parseRepository(repository), { tag, since: since === undefined ? undefined : (parseIsoDate(since) ?? undefined) }),
);

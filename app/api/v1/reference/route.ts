import { apiRoute } from '@/lib/api/route';
import { referenceQuery } from '@/lib/api/schemas';
import { describeReference } from '@/lib/reference-view';

export const GET = apiRoute(referenceQuery, async ({ reference }) => describeReference(reference));

import { apiRoute } from '@/lib/api/route';
import { compareQuery, referenceParameter } from '@/lib/api/schemas';
import { compareImages } from '@/lib/data/compare';

export const GET = apiRoute(compareQuery, async ({ a, b }) => compareImages(referenceParameter('a', a), referenceParameter('b', b)));

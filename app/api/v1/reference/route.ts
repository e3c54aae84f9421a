import { apiRoute } from '@/lib/api/route';
import { referenceQuery } from '@/lib/api/schemas';
import type { ReferenceResponse } from '@/lib/api/types';
import { parseReference } from '@/lib/registry/reference';

// A reference parsed and normalized, as it is: the API's shape is the parsed Reference.
export const GET = apiRoute(referenceQuery, async ({ reference }): Promise<ReferenceResponse> => parseReference(reference));

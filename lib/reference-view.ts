// `reference`: a reference parsed and normalized, in the API's shape.
import type { ReferenceResponse } from './api/types';
import { parseReference } from './registry/reference';

export function describeReference(input: string): ReferenceResponse {
  return parseReference(input);
}

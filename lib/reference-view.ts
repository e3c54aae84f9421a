// `reference`: a reference parsed and normalized, in the API's shape.
import type { ReferenceResponse } from './api/types';
import { parseReference } from './registry/reference';

export function describeReference(input: string): ReferenceResponse {
  const { registry, path, repository, tag, digest, canonical, familiar } = parseReference(input);
  return { registry, path, repository, tag, digest, canonical, familiar };
}

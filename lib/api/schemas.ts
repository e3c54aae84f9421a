// Query schemas of the /api/v1 routes: the parameter names of docs/api.md, checked at the edge.

import { z } from 'zod';
import { DATE_FORM, parseIsoDate } from '../history/dates';
import { isRepositoryPath, isTag, parseReference, type Reference } from '../registry/reference';
import { ApiError } from './errors';
import { parsePlatform } from '../registry/platform';
import { parseSort } from '../common/tag-order';

const required = (name: string, example: string) =>
  z.string({ error: `is required, e.g. ?${name}=${example}` }).trim().min(1, `is required, e.g. ?${name}=${example}`).max(1_024, 'is too long');

/** `platform=linux/arm64`, matched after normalization. */
const platformParameter = z
  .string()
  .optional()
  .refine((value) => value === undefined || parsePlatform(value) !== null, 'must look like linux/arm64 or linux/arm/v7');

export const referenceQuery = z.object({ reference: required('reference', 'alpine:3.12') });

export const repositoryQuery = z.object({
  repository: required('repository', 'alpine'),
  sort: z
    .string()
    .optional()
    .refine((value) => value === undefined || parseSort(value) !== null, 'must be name, version, created or pushed, optionally with a leading "-"'),
});

export const configQuery = z.object({
  reference: required('reference', 'alpine@sha256:…'),
  platform: platformParameter,
});

export const manifestQuery = z.object({
  reference: required('reference', 'alpine:3.12'),
  platform: platformParameter,
});

/**
 * A reference given as the query parameter `name` (compare's `a` and `b`): parsed with the
 * grammar, and a failure says which parameter it was.
 */
export function referenceParameter(name: string, input: string): Reference {
  try {
    return parseReference(input);
  } catch (error) {
    throw new ApiError('INVALID_REFERENCE', `${name}: ${(error as Error).message}`, { parameter: name });
  }
}

export const compareQuery = z.object({
  a: required('a', 'alpine:3.20'),
  b: required('b', 'ghcr.io/mirror/alpine:3.20'),
});

/** `registry=ghcr.io`: a host, checked by the data function (parseRegistryHost) like a reference. */
const registryParameter = required('registry', 'ghcr.io');

export const catalogQuery = z.object({
  registry: registryParameter,
  /** A substring or /regex/, as the tag filter. */
  q: z.string().max(1_024, 'is too long').optional(),
  last: z
    .string()
    .optional()
    .refine((value) => value === undefined || isRepositoryPath(value), 'must be a repository name such as library/alpine, the last one read'),
});

export const searchQuery = z
  .object({
    registry: registryParameter,
    q: z.string().trim().max(256, 'is too long').optional(),
    namespace: z
      .string()
      .trim()
      .optional()
      .refine((value) => value === undefined || (isRepositoryPath(value) && !value.includes('/')), 'must be one namespace such as library or bitnami'),
  })
  .refine((query) => Boolean(query.q || query.namespace), { message: 'give q=<text> to search, or namespace=<namespace> to list one namespace', path: ['q'] });

/** `since=`: an ISO 8601 date. */
const dateParameter = z
  .string()
  .optional()
  .refine((value) => value === undefined || parseIsoDate(value) !== null, `must be ${DATE_FORM}`);

export const historyQuery = z.object({
  repository: required('repository', 'alpine'),
  tag: z
    .string()
    .optional()
    .refine((value) => value === undefined || isTag(value), 'must be a tag name (letters, digits, _ . -, at most 128 characters)'),
  since: dateParameter,
});

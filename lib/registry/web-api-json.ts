// A registry web API's 2xx body read as JSON of one zod schema, for every web API client
// (lib/hub, lib/quay): an answer Tagscope cannot use — not JSON, the wrong shape — is
// UPSTREAM, said with where the shape broke, so the caller can fall back to the registry.

import type { z } from 'zod';
import { RegistryError } from './errors';
import type { WebApiResponse } from './transport';

/** `host` and `what` are for the message: `hub.docker.com sent a tag page of library/alpine that is not JSON`. */
export function parseWebApiJson<S extends z.ZodType>(response: WebApiResponse, schema: S, host: string, what: string): z.infer<S> {
  let json: unknown;
  try {
    json = JSON.parse(response.body.toString('utf8'));
  } catch {
    throw new RegistryError('UPSTREAM', `${host} sent ${what} that is not JSON`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
    throw new RegistryError('UPSTREAM', `${host} sent ${what} Tagscope cannot read (${issue?.message ?? 'wrong shape'}${where})`);
  }
  return parsed.data;
}

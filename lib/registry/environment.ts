// The registry client's configuration from the environment variables the README documents —
// TAGSCOPE_INSECURE_REGISTRIES, TAGSCOPE_CONCURRENCY, REGISTRY_AUTH_FILE, DOCKER_CONFIG — read
// here and only here, for scripts (`npm run inspect`) and the app (lib/env.ts) alike. A bad
// value is an INVALID_CONFIGURATION error whose one line names the variable.

import { z } from 'zod';
import { RegistryClient } from './client';
import { CredentialStore } from './credentials';
import { RegistryError } from './errors';
import { parseInsecureRegistries, type TransportOptions } from './transport';

export type Environment = Record<string, string | undefined>;

const clientSchema = z.object({
  TAGSCOPE_INSECURE_REGISTRIES: z.string().optional(),
  TAGSCOPE_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(8),
});

/** Parses `env` with `schema`; the first problem becomes one line naming the variable and its value. */
export function parseEnvironment<S extends z.ZodType>(schema: S, env: Environment): z.infer<S> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const name = String(issue.path[0]);
  throw new RegistryError('INVALID_CONFIGURATION', `${name}=${env[name]} is not valid: ${issue.message}`, { variable: name });
}

export function transportOptionsFromEnvironment(env: Environment = process.env): TransportOptions {
  const e = parseEnvironment(clientSchema, env);
  let credentials: CredentialStore;
  try {
    credentials = CredentialStore.fromEnvironment(env);
  } catch (error) {
    const variable = env.REGISTRY_AUTH_FILE ? 'REGISTRY_AUTH_FILE' : 'DOCKER_CONFIG';
    throw new RegistryError('INVALID_CONFIGURATION', (error as Error).message, { variable });
  }
  return { credentials, insecureRegistries: parseInsecureRegistries(e.TAGSCOPE_INSECURE_REGISTRIES), concurrency: e.TAGSCOPE_CONCURRENCY };
}

export function clientFromEnvironment(env: Environment = process.env, extra: TransportOptions = {}): RegistryClient {
  return new RegistryClient({ ...transportOptionsFromEnvironment(env), ...extra });
}

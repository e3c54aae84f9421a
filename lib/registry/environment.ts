// The registry client's configuration from the environment variables the README documents —
// TAGSCOPE_INSECURE_REGISTRIES, TAGSCOPE_CONCURRENCY, TAGSCOPE_REGISTRY_APIS,
// TAGSCOPE_PULL_RESERVE, REGISTRY_AUTH_FILE, DOCKER_CONFIG — read here and only here, for
// scripts (`npm run inspect`) and the app (lib/server/env.ts) alike. A bad value is an
// INVALID_CONFIGURATION error whose one line names the variable.

import { z } from 'zod';
import { RegistryClient } from './client';
import { CredentialStore } from './credentials';
import { RegistryError } from './errors';
import { DEFAULT_PULL_RESERVE, parsePullReserve } from './pull-budget';
import { canonicalRegistry } from './reference';
import { parseInsecureRegistries, REGISTRY_API_KINDS, type RegistryApi, type RegistryApiKind, type TransportOptions } from './transport';

export type Environment = Record<string, string | undefined>;

/** Docker Hub's web API for docker.io and Quay's for quay.io, unless TAGSCOPE_REGISTRY_APIS says otherwise. */
const DEFAULT_API_ENTRIES = ['docker.io=hub:https://hub.docker.com', 'quay.io=quay:https://quay.io'] as const;
export const DEFAULT_REGISTRY_APIS = DEFAULT_API_ENTRIES.join(',');

const clientSchema = z.object({
  TAGSCOPE_INSECURE_REGISTRIES: z.string().optional(),
  TAGSCOPE_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(8),
  TAGSCOPE_PULL_RESERVE: z
    .string()
    .optional()
    .transform((text, context) => {
      if (!text?.trim()) return DEFAULT_PULL_RESERVE;
      try {
        return parsePullReserve(text);
      } catch (error) {
        context.addIssue({ code: 'custom', message: (error as Error).message });
        return z.NEVER;
      }
    }),
});

/** Parses `env` with `schema`; the first problem becomes one line naming the variable and its value. */
export function parseEnvironment<S extends z.ZodType>(schema: S, env: Environment): z.infer<S> {
  const parsed = schema.safeParse(env);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  const name = String(issue.path[0]);
  // A secret's value is never repeated in a message (it would land in the start-up log): a
  // token, or a URL that may carry a password.
  const shown = name.endsWith('_TOKEN') || name.endsWith('_SECRET') || name === 'DATABASE_URL' ? '(hidden)' : env[name];
  throw new RegistryError('INVALID_CONFIGURATION', `${name}=${shown} is not valid: ${issue.message}`, { variable: name });
}

function isApiKind(kind: string): kind is RegistryApiKind {
  return (REGISTRY_API_KINDS as readonly string[]).includes(kind);
}

/**
 * TAGSCOPE_REGISTRY_APIS: a comma list of `host=kind:baseURL` naming the web API that
 * describes a registry's tags (DEFAULT_REGISTRY_APIS when unset: Docker Hub's and Quay's); a
 * value replaces the whole default, and `none` turns them all off. Hosts are spelled as
 * references spell registries (`index.docker.io` is `docker.io`). A bad entry stops start-up
 * with one line naming it.
 */
export function parseRegistryApis(value: string | undefined): Map<string, RegistryApi> {
  const variable = 'TAGSCOPE_REGISTRY_APIS';
  const fail = (message: string) => new RegistryError('INVALID_CONFIGURATION', `${variable} ${message}`, { variable });
  const text = value?.trim() ? value.trim() : DEFAULT_REGISTRY_APIS;
  const apis = new Map<string, RegistryApi>();
  if (text.toLowerCase() === 'none') return apis;
  for (const entry of text.split(',').map((part) => part.trim()).filter((part) => part.length > 0)) {
    const malformed = () => fail(`entry "${entry}" is not host=kind:baseURL, e.g. ${DEFAULT_API_ENTRIES[0]}`);
    const match = /^([^=\s]+)=([a-z][a-z0-9-]*):(\S+)$/i.exec(entry);
    if (!match) throw malformed();
    const [, host, kindText, base] = match as unknown as [string, string, string, string];
    let registry: string;
    let baseUrl: URL;
    try {
      registry = canonicalRegistry(host.toLowerCase());
      baseUrl = new URL(base);
    } catch {
      throw malformed();
    }
    const plainBase = (baseUrl.protocol === 'https:' || baseUrl.protocol === 'http:') && !baseUrl.username && !baseUrl.password && !baseUrl.search && !baseUrl.hash;
    if (!plainBase) throw malformed();
    const kind = kindText.toLowerCase();
    if (!isApiKind(kind)) throw fail(`entry "${entry}" names the kind "${kind}", which Tagscope does not know (known: ${REGISTRY_API_KINDS.join(', ')})`);
    if (apis.has(registry)) throw fail(`names ${registry} twice; give one entry per registry`);
    apis.set(registry, { kind, baseUrl });
  }
  return apis;
}

export function transportOptionsFromEnvironment(env: Environment = process.env): TransportOptions {
  const e = parseEnvironment(clientSchema, env);
  const registryApis = parseRegistryApis(env.TAGSCOPE_REGISTRY_APIS);
  let credentials: CredentialStore;
  try {
    credentials = CredentialStore.fromEnvironment(env);
  } catch (error) {
    const variable = env.REGISTRY_AUTH_FILE ? 'REGISTRY_AUTH_FILE' : 'DOCKER_CONFIG';
    throw new RegistryError('INVALID_CONFIGURATION', (error as Error).message, { variable });
  }
  return {
    credentials,
    insecureRegistries: parseInsecureRegistries(e.TAGSCOPE_INSECURE_REGISTRIES),
    concurrency: e.TAGSCOPE_CONCURRENCY,
    registryApis,
    pullReserve: e.TAGSCOPE_PULL_RESERVE,
  };
}

export function clientFromEnvironment(env: Environment = process.env, extra: TransportOptions = {}): RegistryClient {
  return new RegistryClient({ ...transportOptionsFromEnvironment(env), ...extra });
}

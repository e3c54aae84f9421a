// Builds a client from the environment variables the README documents, for scripts and the
// app alike: TAGSCOPE_INSECURE_REGISTRIES, TAGSCOPE_CONCURRENCY, REGISTRY_AUTH_FILE, DOCKER_CONFIG.

import { RegistryClient } from './client';
import { CredentialStore } from './credentials';
import { parseInsecureRegistries, type TransportOptions } from './transport';

export function transportOptionsFromEnvironment(env: Record<string, string | undefined> = process.env): TransportOptions {
  const concurrency = Number(env.TAGSCOPE_CONCURRENCY ?? 8);
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 256) {
    throw new Error(`TAGSCOPE_CONCURRENCY=${env.TAGSCOPE_CONCURRENCY} must be a whole number from 1 to 256`);
  }
  return {
    credentials: CredentialStore.fromEnvironment(env),
    insecureRegistries: parseInsecureRegistries(env.TAGSCOPE_INSECURE_REGISTRIES),
    concurrency,
  };
}

export function clientFromEnvironment(env: Record<string, string | undefined> = process.env, extra: TransportOptions = {}): RegistryClient {
  return new RegistryClient({ ...transportOptionsFromEnvironment(env), ...extra });
}

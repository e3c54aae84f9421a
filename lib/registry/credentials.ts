// Registry credentials from Docker's config.json format (`auths.<host>.auth` = base64
// `user:password`), read from REGISTRY_AUTH_FILE, else $DOCKER_CONFIG/config.json, else
// ~/.docker/config.json. They stay in this process: never logged, never in an error message.

import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { canonicalRegistry } from './reference';

export interface Credential {
  username: string;
  password: string;
}

const configSchema = z.object({
  auths: z
    .record(
      z.string(),
      z.object({
        auth: z.string().optional(),
        username: z.string().optional(),
        password: z.string().optional(),
      }),
    )
    .optional(),
});

/**
 * `https://index.docker.io/v1/`, `docker.io`, `https://ghcr.io`, `127.1:05000` → the registry
 * name references use (canonicalRegistry), so a credential finds every spelling of its host.
 */
export function normalizeAuthKey(key: string): string {
  let host = key.trim().toLowerCase().replace(/^[a-z][a-z0-9+.-]*:\/\//, '');
  host = host.split('/')[0] ?? host;
  try {
    return canonicalRegistry(host);
  } catch {
    return host; // not a registry name: kept, and never matched by a reference
  }
}

export class CredentialStore {
  private readonly byRegistry: Map<string, Credential>;

  constructor(entries: Iterable<[string, Credential]> = []) {
    this.byRegistry = new Map([...entries].map(([key, credential]) => [normalizeAuthKey(key), credential]));
  }

  get(registry: string): Credential | null {
    return this.byRegistry.get(registry.toLowerCase()) ?? null;
  }

  get size(): number {
    return this.byRegistry.size;
  }

  /** Parses a config.json document; `source` names it in error messages. */
  static fromDockerConfig(text: string, source: string): CredentialStore {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new Error(`${source} is not valid JSON; it must be a Docker config.json`);
    }
    const parsed = configSchema.safeParse(json);
    if (!parsed.success) throw new Error(`${source} is not a Docker config.json: "auths" must map hosts to { "auth": … }`);
    const entries: [string, Credential][] = [];
    for (const [key, entry] of Object.entries(parsed.data.auths ?? {})) {
      if (entry.auth) {
        const decoded = Buffer.from(entry.auth, 'base64').toString('utf8');
        const colon = decoded.indexOf(':');
        if (colon <= 0) throw new Error(`${source}: the "auth" of ${key} is not base64 of user:password`);
        entries.push([key, { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) }]);
      } else if (entry.username && entry.password !== undefined) {
        entries.push([key, { username: entry.username, password: entry.password }]);
      }
    }
    return new CredentialStore(entries);
  }

  /** REGISTRY_AUTH_FILE, else $DOCKER_CONFIG/config.json, else ~/.docker/config.json; none is fine. */
  static fromEnvironment(env: Record<string, string | undefined> = process.env): CredentialStore {
    const explicit = env.REGISTRY_AUTH_FILE;
    const file = explicit || path.join(env.DOCKER_CONFIG || path.join(homedir(), '.docker'), 'config.json');
    let text: string;
    try {
      text = readFileSync(/*turbopackIgnore: true*/ file, 'utf8');
    } catch (error) {
      if (!explicit && (error as NodeJS.ErrnoException).code === 'ENOENT') return new CredentialStore();
      throw new Error(`cannot read ${explicit ? 'REGISTRY_AUTH_FILE' : 'the Docker config'} ${file}: ${(error as Error).message}`);
    }
    return CredentialStore.fromDockerConfig(text, file);
  }
}

/** A stable identity for cache keys that does not reveal the password. */
export function credentialIdentity(credential: Credential | null): string {
  if (!credential) return 'anonymous';
  const hash = createHash('sha256').update(`${credential.username}\0${credential.password}`).digest('hex').slice(0, 16);
  return `${credential.username}#${hash}`;
}

export function basicAuthorization(credential: Credential): string {
  return `Basic ${Buffer.from(`${credential.username}:${credential.password}`).toString('base64')}`;
}

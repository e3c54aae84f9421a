import 'server-only';
// The server's configuration, read once from the environment (README "Configuration") and
// checked with zod, so a bad value fails at start-up with a message naming the variable.

import path from 'node:path';
import { z } from 'zod';
import { parseInsecureRegistries } from './registry/transport';

const schema = z.object({
  TAGSCOPE_INSECURE_REGISTRIES: z.string().optional(),
  TAGSCOPE_CACHE_DIR: z.string().optional(),
  TAGSCOPE_TAG_TTL_SECONDS: z.coerce.number().int().min(0).max(86_400).default(60),
  TAGSCOPE_CONCURRENCY: z.coerce.number().int().min(1).max(256).default(8),
  TAGSCOPE_RATE_LIMIT: z.coerce.number().int().min(0).max(1_000_000).default(600),
  REDIS_URL: z.string().optional(),
});

export interface Config {
  insecureRegistries: string[];
  cacheDir: string;
  tagTtlMs: number;
  concurrency: number;
  rateLimitPerMinute: number;
  redisUrl: string | null;
}

export function readConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${String(issue.path[0])}=${env[String(issue.path[0])]} is not valid: ${issue.message}`);
  }
  const e = parsed.data;
  return {
    insecureRegistries: parseInsecureRegistries(e.TAGSCOPE_INSECURE_REGISTRIES),
    cacheDir: path.resolve(/*turbopackIgnore: true*/ e.TAGSCOPE_CACHE_DIR || '.data/cache'),
    tagTtlMs: e.TAGSCOPE_TAG_TTL_SECONDS * 1000,
    concurrency: e.TAGSCOPE_CONCURRENCY,
    rateLimitPerMinute: e.TAGSCOPE_RATE_LIMIT,
    redisUrl: e.REDIS_URL || null,
  };
}

let config: Config | undefined;
export function getConfig(): Config {
  config ??= readConfig();
  return config;
}

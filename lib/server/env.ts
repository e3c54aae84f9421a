import 'server-only';
// The server's configuration, read once from the environment (README "Configuration") and
// checked with zod, so a bad value fails at start-up with a message naming the variable. The
// registry client's own variables are read by lib/registry/environment.ts, here as for scripts.

import type { BlockList } from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import { parsePublicOrigins } from '../api/origin';
import { parseTrustedProxies } from '../api/rate-limit';
import { DEFAULT_CACHE_MAX_BYTES } from '../cache/types';
import { parseEnvironment, transportOptionsFromEnvironment } from '../registry/environment';
import { parseDatabaseUrl } from '../history/database';
import { DEFAULT_RETENTION, type RetentionPolicy } from '../history/retention-policy';
import { parseWebhookUrl } from '../history/webhook-url';
import { parseReference, parseRepository, type Reference } from '../registry/reference';
import type { TransportOptions } from '../registry/transport';

const BYTE_UNITS: Record<string, number> = {
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  tb: 1e12,
  kib: 2 ** 10,
  mib: 2 ** 20,
  gib: 2 ** 30,
  tib: 2 ** 40,
};

/** `1073741824`, `512MiB`, `2GiB`, `500MB`, `1.5 GiB` → bytes; null when it is none of these. */
export function parseByteSize(text: string): number | null {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$/i.exec(text);
  if (!match) return null;
  const unit = BYTE_UNITS[(match[2] || 'b').toLowerCase()];
  // A fraction of a unit is fine (`1.5GiB`), a fraction of a byte is a typo.
  if (unit === undefined || (unit === 1 && match[1]!.includes('.'))) return null;
  const bytes = Math.floor(Number(match[1]) * unit);
  return Number.isSafeInteger(bytes) && bytes > 0 ? bytes : null;
}

/** Turns a parse that throws into a zod issue, so the message names the variable like every other. */
function parsedWith<T>(parse: (text: string | undefined) => T) {
  return (text: string | undefined, context: z.RefinementCtx) => {
    try {
      return parse(text);
    } catch (error) {
      context.addIssue({ code: 'custom', message: (error as Error).message });
      return z.NEVER;
    }
  };
}

/** A whole number from `min` to 100,000,000, or `fallback` when unset; the message says what it counts. */
function wholeNumber(min: number, what: string, fallback: number) {
  const message = `expected a whole number, ${min.toLocaleString('en')} or more (${what})`;
  return z.coerce.number({ error: message }).int(message).min(min, message).max(100_000_000, `expected at most 100,000,000 (${what})`).default(fallback);
}

const schema = z.object({
  TAGSCOPE_CACHE_DIR: z.string().optional(),
  TAGSCOPE_CACHE_MAX_BYTES: z
    .string()
    .optional()
    .transform(
      parsedWith((text) => {
        if (!text?.trim()) return DEFAULT_CACHE_MAX_BYTES;
        const bytes = parseByteSize(text);
        if (bytes === null) throw new Error('expected a size in bytes such as 1073741824, 512MiB, 2GiB or 500MB');
        return bytes;
      }),
    ),
  TAGSCOPE_TAG_TTL_SECONDS: z.coerce.number().int().min(0).max(86_400).default(60),
  TAGSCOPE_RATE_LIMIT: z.coerce.number().int().min(0).max(1_000_000).default(600),
  TAGSCOPE_TRUSTED_PROXIES: z.string().optional().transform(parsedWith(parseTrustedProxies)),
  TAGSCOPE_PUBLIC_ORIGIN: z.string().optional().transform(parsedWith(parsePublicOrigins)),
  REDIS_URL: z.string().optional(),
  TAGSCOPE_EXAMPLES: z.string().optional().transform(parsedWith(parseExamples)),
  TAGSCOPE_METRICS: z.enum(['0', '1'], { error: 'expected 1 (serve /metrics) or 0' }).optional(),
  TAGSCOPE_METRICS_TOKEN: z
    .string()
    .optional()
    .refine((text) => !text || /^[\x21-\x7e]{16,}$/.test(text), 'expected at least 16 visible ASCII characters without spaces (a Bearer token)'),
  TAGSCOPE_WEBHOOK_SECRET: z
    .string()
    .optional()
    .refine((text) => !text || /^[\x21-\x7e]{16,}$/.test(text), 'expected at least 16 visible ASCII characters without spaces (the key each delivery is signed with)'),
  TAGSCOPE_HISTORY: z.enum(['on', 'off'], { error: 'expected on (record tag history, the default) or off' }).default('on'),
  TAGSCOPE_DATA_DIR: z.string().optional(),
  DATABASE_URL: z.string().optional().transform(parsedWith((text) => (text?.trim() ? parseDatabaseUrl(text) : null))),
  TAGSCOPE_WATCH: z.string().optional().transform(parsedWith(parseWatchList)),
  TAGSCOPE_HISTORY_RUNS_PER_TAG: wholeNumber(1, 'a run per tag', DEFAULT_RETENTION.runsPerTag),
  TAGSCOPE_HISTORY_ROWS_PER_REPOSITORY: wholeNumber(100, 'rows per repository', DEFAULT_RETENTION.rowsPerRepository),
  TAGSCOPE_WATCH_INTERVAL_SECONDS: z.coerce.number({ error: 'expected a whole number of seconds, 1 or more' }).int('expected a whole number of seconds, 1 or more').min(1, 'expected a whole number of seconds, 1 or more').max(31_536_000).default(600),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], { error: 'expected one of fatal, error, warn, info, debug, trace, silent' }).default('info'),
});

/** The home page's examples when TAGSCOPE_EXAMPLES is unset: public images, one per kind of registry. */
export const DEFAULT_EXAMPLES = ['alpine', 'alpine:3.20', 'ghcr.io/home-assistant/home-assistant', 'quay.io/prometheus/prometheus', 'registry.k8s.io/pause'];

/**
 * TAGSCOPE_EXAMPLES: the references the home page offers, comma-separated (`npm run demo` sets
 * its own registry's, so they work offline); each must parse, or start-up says which does not.
 */
export function parseExamples(text: string | undefined): string[] {
  if (!text?.trim()) return DEFAULT_EXAMPLES;
  const examples = text.split(',').map((item) => item.trim()).filter(Boolean);
  if (examples.length > 20) throw new Error(`at most 20 examples, not ${examples.length}`);
  for (const example of examples) {
    try {
      parseReference(example);
    } catch (error) {
      throw new Error(`"${example}" is not an image reference: ${(error as Error).message}`);
    }
  }
  return examples;
}

/** Repositories watched at most through TAGSCOPE_WATCH (the watch button has its own bound). */
export const MAX_CONFIGURED_WATCHES = 200;

/**
 * TAGSCOPE_WATCH: a comma list of repositories (`alpine`, `ghcr.io/org/app`), each with neither
 * tag nor digest; start-up names the first entry that is not one.
 */
export function parseWatchList(text: string | undefined): Reference[] {
  const entries = (text ?? '').split(',').map((item) => item.trim()).filter(Boolean);
  if (entries.length > MAX_CONFIGURED_WATCHES) throw new Error(`at most ${MAX_CONFIGURED_WATCHES} repositories, not ${entries.length}`);
  const seen = new Map<string, Reference>();
  for (const entry of entries) {
    try {
      const repository = parseRepository(entry);
      seen.set(repository.repository, repository);
    } catch (error) {
      throw new Error(`entry "${entry}" is not a repository: ${(error as Error).message}`);
    }
  }
  return [...seen.values()];
}

export interface Config {
  /** The registry client's options: credentials, TAGSCOPE_INSECURE_REGISTRIES, TAGSCOPE_CONCURRENCY. */
  transport: TransportOptions;
  cacheDir: string;
  cacheMaxBytes: number;
  tagTtlMs: number;
  rateLimitPerMinute: number;
  trustedProxies: BlockList;
  /**
   * TAGSCOPE_PUBLIC_ORIGIN: the origins this server is reached at, the first for links that
   * leave it; host names other than these, loopback names and IP addresses are refused (proxy.ts).
   */
  publicOrigins: string[];
  /**
   * The request header scripts/server.mjs fills with the socket's address; null when the app
   * runs without it (`next start`, `next dev`), and then no header tells clients apart.
   */
  peerHeader: string | null;
  /**
   * The request header in which scripts/server.mjs gives each request the id its page hands back
   * with its HTTP status (lib/api/page-status.ts); null without it, and pages then answer 200.
   */
  statusHeader: string | null;
  redisUrl: string | null;
  /** The home page's example references. */
  examples: string[];
  /**
   * GET /metrics: off (404) unless TAGSCOPE_METRICS=1 or a token is set; with
   * TAGSCOPE_METRICS_TOKEN, only for `Authorization: Bearer <token>`.
   */
  metrics: { enabled: boolean; token: string | null };
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Tag history: the embedded database's folder, or PostgreSQL; what is watched; where moves are posted. */
  history: {
    /** TAGSCOPE_HISTORY=off: no database, nothing recorded, no watches (for measuring what history costs). */
    enabled: boolean;
    dataDir: string;
    databaseUrl: string | null;
    watch: Reference[];
    watchIntervalMs: number;
    webhookUrl: URL | null;
    /** TAGSCOPE_WEBHOOK_SECRET: each delivery's body is signed with it (SIGNATURE_HEADER). */
    webhookSecret: string | null;
    /** TAGSCOPE_HISTORY_RUNS_PER_TAG, TAGSCOPE_HISTORY_ROWS_PER_REPOSITORY: the newest kept. */
    retention: RetentionPolicy;
  };
}

export function readConfig(env: Record<string, string | undefined> = process.env): Config {
  const e = parseEnvironment(schema, env);
  return {
    transport: transportOptionsFromEnvironment(env),
    cacheDir: path.resolve(/*turbopackIgnore: true*/ e.TAGSCOPE_CACHE_DIR || '.data/cache'),
    cacheMaxBytes: e.TAGSCOPE_CACHE_MAX_BYTES,
    tagTtlMs: e.TAGSCOPE_TAG_TTL_SECONDS * 1000,
    rateLimitPerMinute: e.TAGSCOPE_RATE_LIMIT,
    trustedProxies: e.TAGSCOPE_TRUSTED_PROXIES,
    publicOrigins: e.TAGSCOPE_PUBLIC_ORIGIN,
    peerHeader: env.TAGSCOPE_PEER_HEADER || null,
    statusHeader: env.TAGSCOPE_STATUS_HEADER || null,
    redisUrl: e.REDIS_URL || null,
    examples: e.TAGSCOPE_EXAMPLES,
    metrics: { enabled: e.TAGSCOPE_METRICS === '1' || Boolean(e.TAGSCOPE_METRICS_TOKEN), token: e.TAGSCOPE_METRICS_TOKEN || null },
    logLevel: e.LOG_LEVEL,
    history: {
      enabled: e.TAGSCOPE_HISTORY === 'on',
      dataDir: path.resolve(/*turbopackIgnore: true*/ e.TAGSCOPE_DATA_DIR || '.data'),
      databaseUrl: e.DATABASE_URL,
      watch: e.TAGSCOPE_WATCH,
      watchIntervalMs: e.TAGSCOPE_WATCH_INTERVAL_SECONDS * 1000,
      // Read on its own: its own errors name it, and never repeat the value (it may hold a secret).
      webhookUrl: parseWebhookUrl(env.TAGSCOPE_WEBHOOK_URL),
      webhookSecret: e.TAGSCOPE_WEBHOOK_SECRET || null,
      retention: { runsPerTag: e.TAGSCOPE_HISTORY_RUNS_PER_TAG, rowsPerRepository: e.TAGSCOPE_HISTORY_ROWS_PER_REPOSITORY },
    },
  };
}

let config: Config | undefined;
export function getServerConfig(): Config {
  config ??= readConfig();
  return config;
}

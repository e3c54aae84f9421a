// The transport: every HTTP request to a registry, a token realm or a registry's web API
// (Docker Hub's hub.docker.com, Quay's /api/v1) goes through here, so policy lives in one
// place — which scheme a host is reached with, redirects followed by hand with Authorization
// dropped on any host change, auth, per-host concurrency, retries with backoff honouring
// Retry-After, timeouts, size caps, the pull budget, and one mapping from HTTP failures to
// RegistryError codes. Sources: distribution-spec spec.md "API", "Error Codes";
// docs/registry-protocol.md §2.8, §4.5, §8, §10; docs/docker-hub-api.md §1.8, §2, §4.

import { fetch as undiciFetch } from 'undici';
import { AddressPolicy, policyError } from './address-policy';
import { Authenticator, unauthorizedMessage } from './auth';
import { credentialIdentity, CredentialStore } from './credentials';
import { isRegistryError, RegistryError, type RegistryErrorCode, type RegistryErrorDetails } from './errors';
import { LIMITS } from './limits';
import { PriorityLimiter } from './limiter';
import { PullBudget, type PullKey, type PullReserve, type PullState } from './pull-budget';
import { cappedPause, parseRateLimit, parseRetryAfter, parseRetryAfterHeaders, parseWebRateLimit, type RateLimit, type WebRateLimit } from './rate-limit';
import { canonicalRegistry, DOCKER_HUB, DOCKER_HUB_API_HOST } from './reference';
import { registryErrorBodySchema } from './schemas';
import { redact, secretForms } from './redact';

/** `catalog`: the registry's repository list (/v2/_catalog); `api`: a registry's web API (hub.docker.com, quay.io/api/v1), beside the distribution API. */
export type RequestKind = 'manifest' | 'blob' | 'tags' | 'catalog' | 'token' | 'api';

/**
 * Web APIs Tagscope speaks, by the kind TAGSCOPE_REGISTRY_APIS names: `hub`, Docker Hub's
 * (lib/hub: tag views and search); `quay`, Quay's /api/v1 (lib/quay: the registry's own record
 * of tag history). Each client answers only for its own kind.
 */
export const REGISTRY_API_KINDS = ['hub', 'quay'] as const;
export type RegistryApiKind = (typeof REGISTRY_API_KINDS)[number];

/** The web API that describes a registry's tags: `docker.io` → `{ kind: 'hub', baseUrl: https://hub.docker.com }`. */
export interface RegistryApi {
  kind: RegistryApiKind;
  baseUrl: URL;
}

export interface RequestEvent {
  registry: string;
  method: string;
  url: string;
  kind: RequestKind;
  status: number | null;
  /** Until the answer's headers came, or the request failed. */
  durationMs: number;
  /** Why no answer came (status null): the network code (`ECONNREFUSED`), `TIMEOUT`, `ADDRESS_NOT_ALLOWED`, `ABORTED`. */
  error: string | null;
  /** A manifest answer's `ratelimit-remaining`: the pulls left to this server (Docker Hub). */
  ratelimitRemaining: number | null;
}

export interface TransportOptions {
  credentials?: CredentialStore;
  /** `host:port` entries reached over plain http (TAGSCOPE_INSECURE_REGISTRIES). */
  insecureRegistries?: Iterable<string>;
  /** Requests in flight per registry host. */
  concurrency?: number;
  requestTimeoutMs?: number;
  retries?: number;
  userAgent?: string;
  /** Told of every HTTP exchange, for metrics and request-plan tests. */
  onRequest?: (event: RequestEvent) => void;
  /** The clock token lifetimes and pull-limit windows are measured with (tests move it forward). */
  now?: () => number;
  /** Web APIs by canonical registry name (TAGSCOPE_REGISTRY_APIS). */
  registryApis?: Map<string, RegistryApi>;
  /** Pulls never spent of a registry's limit (TAGSCOPE_PULL_RESERVE); 20% by default. */
  pullReserve?: PullReserve;
}

export interface RegistryRequest {
  registry: string;
  /** The repository path, for the token scope and messages; null for the registry's catalog (scope `registry:catalog:*`). */
  repository: string | null;
  method: 'GET' | 'HEAD';
  url: URL;
  kind: RequestKind;
  accept?: string;
  maxBytes: number;
  signal?: AbortSignal;
  /** Lower runs sooner when the host's requests queue up; default 0. */
  priority?: number;
  /** What was asked for, for messages: `library/demo:3.12`. */
  describe: string;
}

export interface RegistryResponse {
  status: number;
  headers: Headers;
  url: URL;
  body: Buffer;
  rateLimit: RateLimit | null;
}

/** A JSON request to a registry's web API: GET, or POST for its token. */
export interface WebApiRequest {
  /** The registry the API describes (`docker.io`), for request events. */
  registry: string;
  url: URL;
  method: 'GET' | 'POST';
  /** Sent as JSON. A request with a body is never redirected: its secret stays on this host. */
  body?: unknown;
  /** Names are lower-cased; `authorization` never crosses hosts on a redirect. */
  headers?: Record<string, string>;
  maxBytes: number;
  signal?: AbortSignal;
  priority?: number;
  /** What was asked for, for messages: `the tags of library/alpine on Docker Hub`. */
  describe: string;
}

/**
 * A web API's answer: any 2xx, and the 4xx the caller reads itself (a 403's message, a 404).
 * 429, 408 and 5xx are retried and then thrown (TOOMANYREQUESTS, UPSTREAM); a 4xx body is
 * read up to the error-body cap.
 */
export interface WebApiResponse {
  status: number;
  headers: Headers;
  url: URL;
  body: Buffer;
  rateLimit: WebRateLimit | null;
}

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const RETRYABLE_STATUS = new Set([408, 500, 502, 503, 504]);
const RETRYABLE_NETWORK = new Set(['ECONNRESET', 'EPIPE', 'UND_ERR_SOCKET', 'UND_ERR_CLOSED', 'ECONNABORTED']);

/**
 * Parses TAGSCOPE_INSECURE_REGISTRIES: a comma list of host:port, each spelled as references
 * spell registries (`127.1:05000` is `127.0.0.1:5000`); an entry that is no host is kept as
 * written, lower-cased, so it simply matches nothing.
 */
export function parseInsecureRegistries(value: string | undefined): string[] {
  return (value ?? '')
    .split(',')
    .map((entry) => entry.trim().toLowerCase())
    .filter((entry) => entry.length > 0)
    .map((entry) => {
      try {
        return canonicalRegistry(entry);
      } catch {
        // Not a registry name: kept as written, and so never matched by a request.
        return entry;
      }
    });
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}

/** Reads a body up to `max` bytes; Content-Length is checked first, then every chunk. */
export async function readCapped(response: Response, max: number, what: string): Promise<Buffer> {
  const declared = Number(response.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > max) {
    await response.body?.cancel();
    throw new RegistryError('TOO_LARGE', `${what} is ${declared} bytes, over the ${max}-byte limit`, { limit: max, size: declared });
  }
  if (!response.body) return Buffer.alloc(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    let part: ReadableStreamReadResult<Uint8Array>;
    try {
      part = await reader.read();
    } catch (error) {
      const name = (error as { name?: string })?.name;
      if (name === 'TimeoutError' || name === 'AbortError') {
        throw new RegistryError('TIMEOUT', `${what} did not arrive in time`, {}, { cause: error });
      }
      // The connection broke mid-body (a reset, a truncated answer): retryable like a reset.
      throw new RegistryError('UNREACHABLE', `the connection broke while reading ${what}`, { network: 'ECONNRESET' }, { cause: error });
    }
    const { done, value } = part;
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel();
      throw new RegistryError('TOO_LARGE', `${what} is over the ${max}-byte limit`, { limit: max });
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/** The system error code of a failed fetch (`ECONNREFUSED`, `UND_ERR_SOCKET`), from it or its cause. */
export function networkCode(error: unknown): string | null {
  const cause = (error as { cause?: { code?: string } })?.cause;
  return cause?.code ?? (error as { code?: string })?.code ?? null;
}

export class Transport {
  readonly auth: Authenticator;
  private readonly policy: AddressPolicy;
  private readonly limits = new Map<string, PriorityLimiter>();
  private readonly concurrency: number;
  private readonly requestTimeoutMs: number;
  private readonly retries: number;
  private readonly userAgent: string;
  private readonly onRequest?: (event: RequestEvent) => void;
  private readonly registryApis: Map<string, RegistryApi>;
  private readonly pullBudget: PullBudget;
  /** Per web API host: no request goes out before this time (its X-RateLimit-Reset or Retry-After, cut to LIMITS.maxRateLimitPauseMs). */
  private readonly webApiPausedUntil = new Map<string, number>();
  private readonly now: () => number;

  constructor(options: TransportOptions = {}) {
    this.policy = new AddressPolicy(options.insecureRegistries);
    this.concurrency = options.concurrency ?? 8;
    this.requestTimeoutMs = options.requestTimeoutMs ?? LIMITS.requestTimeoutMs;
    this.retries = options.retries ?? LIMITS.retries;
    this.userAgent = options.userAgent ?? 'Tagscope/0.1 (registry dashboard)';
    this.onRequest = options.onRequest;
    this.registryApis = options.registryApis ?? new Map();
    this.now = options.now ?? Date.now;
    this.pullBudget = new PullBudget(options.pullReserve, options.now);
    this.auth = new Authenticator(
      options.credentials ?? new CredentialStore(),
      (registry) => this.apiHost(registry),
      (url, headers, signal) => this.fetchToken(url, headers, signal),
      options.now,
      (url) => this.policy.isInsecureUrl(url),
    );
  }

  /** The host a registry name is reached at: docker.io answers at registry-1.docker.io. */
  apiHost(registry: string): string {
    return registry === DOCKER_HUB ? DOCKER_HUB_API_HOST : registry;
  }

  /** The web API configured for a registry (TAGSCOPE_REGISTRY_APIS), or null. */
  registryApi(registry: string): RegistryApi | null {
    return this.registryApis.get(registry) ?? null;
  }

  /**
   * What the registry last said of the pull limit of this server's address (or account), and
   * the reserve Tagscope keeps of it; null while unknown or once the window should have reset.
   */
  pulls(registry: string): PullState | null {
    return this.pullBudget.state(this.pullKey(registry));
  }

  /** Pulls are counted per registry and per identity: the server's address, or one account. */
  private pullKey(registry: string): PullKey {
    return { registry, identity: credentialIdentity(this.auth.credentialFor(registry)) };
  }

  isInsecure(host: string): boolean {
    return this.policy.isInsecure(host);
  }

  /** https always; plain http only for TAGSCOPE_INSECURE_REGISTRIES entries. */
  baseUrl(registry: string): URL {
    const host = this.apiHost(registry);
    // Compared as the URL parser spells it, so `2130706433:5000` is the listed `127.0.0.1:5000`.
    const plain = new URL(`http://${host}`);
    return this.policy.isInsecureUrl(plain) ? plain : new URL(`https://${host}`);
  }

  /** Whether the address policy lets `registry` be reached (its name resolved once); throws ADDRESS_NOT_ALLOWED. */
  async checkRegistryAddress(registry: string): Promise<void> {
    await this.policy.vet(this.baseUrl(registry));
  }

  /** Whether this server holds credentials for `registry`: what it shows there may be private. */
  hasCredentials(registry: string): boolean {
    return this.auth.credentialFor(registry) !== null;
  }

  private limiter(registry: string): PriorityLimiter {
    let limit = this.limits.get(registry);
    if (!limit) {
      limit = new PriorityLimiter(this.concurrency);
      this.limits.set(registry, limit);
    }
    return limit;
  }

  /** One HTTP exchange, following redirects by hand; Authorization never crosses hosts. */
  private async exchange(
    registry: string,
    kind: RequestKind,
    method: string,
    start: URL,
    headers: Record<string, string>,
    signal: AbortSignal | undefined,
    body?: string,
  ): Promise<{ response: Response; url: URL; crossedHost: boolean }> {
    let url = start;
    let sendHeaders = { ...headers };
    let crossedHost = false;
    for (let hop = 0; hop <= LIMITS.redirects; hop++) {
      // Every URL passes the address policy before it is fetched: registry, redirect hop, Link, token realm.
      this.policy.check(url);
      const timeout = AbortSignal.timeout(this.requestTimeoutMs);
      const started = performance.now();
      let response: Response;
      try {
        response = (await undiciFetch(url, {
          method,
          headers: sendHeaders,
          body,
          redirect: 'manual',
          signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
          dispatcher: this.policy.dispatcher(url),
        })) as unknown as Response;
      } catch (error) {
        const refused = policyError(error);
        const code = networkCode(error);
        const failure = signal?.aborted ? 'ABORTED' : refused ? refused.code : timeout.aborted ? 'TIMEOUT' : (code ?? 'UNREACHABLE');
        this.onRequest?.({ registry, method, url: url.toString(), kind, status: null, durationMs: performance.now() - started, error: failure, ratelimitRemaining: null });
        if (signal?.aborted) throw signal.reason;
        if (refused) throw refused;
        if (timeout.aborted) {
          throw new RegistryError('TIMEOUT', `${url.host} did not answer within ${this.requestTimeoutMs / 1000} s`, { host: url.host }, { cause: error });
        }
        const plainHttp = code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'ERR_SSL_PACKET_LENGTH_TOO_LONG';
        const hint = plainHttp ? '; it seems to speak plain http, which is used only for TAGSCOPE_INSECURE_REGISTRIES entries' : '';
        throw new RegistryError('UNREACHABLE', `cannot connect to ${url.host} over ${url.protocol.slice(0, -1)}${code ? ` (${code})` : ''}${hint}`, { host: url.host, network: code }, { cause: error });
      }
      if (this.onRequest) {
        const ratelimitRemaining = kind === 'manifest' ? (parseRateLimit(response.headers)?.remaining ?? null) : null;
        this.onRequest({ registry, method, url: url.toString(), kind, status: response.status, durationMs: performance.now() - started, error: null, ratelimitRemaining });
      }
      const location = response.headers.get('location');
      if (!REDIRECTS.has(response.status) || !location) return { response, url, crossedHost };
      await response.body?.cancel();
      if (body !== undefined) {
        // A body may carry a secret (the Hub token request): it is never re-sent elsewhere.
        throw new RegistryError('UPSTREAM', `${url.host} redirected a ${method} request; Tagscope does not re-send its body`, { status: response.status });
      }
      let next: URL;
      try {
        next = new URL(location, url);
      } catch {
        throw new RegistryError('UPSTREAM', `${url.host} redirected to an address that is not a URL`);
      }
      if (next.host !== url.host) {
        // distribution-spec "API": MUST NOT forward Authorization across host boundaries.
        sendHeaders = Object.fromEntries(Object.entries(sendHeaders).filter(([name]) => name !== 'authorization'));
        crossedHost = true;
      }
      url = next;
    }
    throw new RegistryError('UPSTREAM', `${start.host} redirected more than ${LIMITS.redirects} times`);
  }

  private async fetchToken(url: URL, headers: Record<string, string>, signal: AbortSignal | undefined) {
    const registry = url.host;
    const { response } = await this.exchange(registry, 'token', 'GET', url, { ...headers, 'user-agent': this.userAgent, accept: 'application/json' }, signal);
    const body = await readCapped(response, LIMITS.tokenResponseBytes, `the token response of ${url.host}`);
    return { status: response.status, body };
  }

  /**
   * Sends a registry request with auth, retries and caps; non-2xx answers become errors. A
   * manifest GET that would spend the pulls kept in reserve is refused with PULL_RESERVE
   * before anything is sent; HEADs are free and always go out.
   */
  async send(request: RegistryRequest): Promise<RegistryResponse> {
    const pullKey = request.kind === 'manifest' ? this.pullKey(request.registry) : null;
    const release =
      pullKey && request.method === 'GET'
        ? this.pullBudget.acquire(pullKey, { describe: request.describe, signedIn: this.auth.credentialFor(request.registry) !== null })
        : null;
    try {
      return await this.withRetries(request.registry, request.priority, request.signal, () => this.attempt(request), (error) => {
        // The registry says no pulls are left: nothing more until its window resets.
        if (pullKey && isRegistryError(error, 'TOOMANYREQUESTS')) this.pullBudget.exhausted(pullKey, null, error.details.retryAfter ?? null);
      });
    } finally {
      release?.();
    }
  }

  /**
   * A JSON request to a registry's web API (Docker Hub's hub.docker.com, Quay's /api/v1) under
   * the same address policy, redirect rule, per-host concurrency, timeouts, retries and size
   * caps as registry requests. It sends only the headers the caller gives: no registry
   * credentials are added. Its `X-RateLimit-*` are honoured: with none left, a short wait is
   * waited out and a long one is TOOMANYREQUESTS without a request.
   */
  async webApi(request: WebApiRequest): Promise<WebApiResponse> {
    return this.withRetries(request.url.host, request.priority, request.signal, () => this.webAttempt(request));
  }

  /** Runs `attempt` in the host's queue, again after retryable failures; `onFinal` sees the error given up on. */
  private async withRetries<T>(host: string, priority: number | undefined, signal: AbortSignal | undefined, attempt: () => Promise<T>, onFinal?: (error: unknown) => void): Promise<T> {
    return this.limiter(host).run(priority ?? 0, async () => {
      for (let attempts = 0; ; attempts++) {
        try {
          return await attempt();
        } catch (error) {
          // Cancelled (the client left, the view's budget ended): no retry, whatever broke.
          if (signal?.aborted) throw signal.reason;
          const wait = this.retryDelay(error, attempts);
          if (wait === null) {
            onFinal?.(error);
            throw error;
          }
          await sleep(wait, signal);
        }
      }
    }, signal);
  }

  private async webAttempt(request: WebApiRequest): Promise<WebApiResponse> {
    const host = request.url.host;
    const pausedFor = (this.webApiPausedUntil.get(host) ?? 0) - this.now();
    if (pausedFor > 0) {
      if (pausedFor > LIMITS.maxRetryWaitMs) {
        const retryAfter = Math.ceil(pausedFor / 1000);
        throw new RegistryError('TOOMANYREQUESTS', `${host} allows no more API requests for now; retry in ${retryAfter} s`, { retryAfter });
      }
      await sleep(pausedFor, request.signal);
    }
    const headers: Record<string, string> = {
      ...Object.fromEntries(Object.entries(request.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value])),
      'user-agent': this.userAgent,
      accept: 'application/json',
    };
    let body: string | undefined;
    if (request.body !== undefined) {
      body = JSON.stringify(request.body);
      headers['content-type'] = 'application/json';
    }
    const { response, url } = await this.exchange(request.registry, 'api', request.method, request.url, headers, request.signal, body);
    const status = response.status;
    const rateLimit = parseWebRateLimit(response.headers);
    const now = this.now();
    const asked = status === 429 ? parseRetryAfterHeaders(response.headers, now) : null;
    const retryAfter = asked === null ? null : cappedPause(asked);
    if (retryAfter !== null) this.webApiPausedUntil.set(host, now + retryAfter * 1000);
    else if (rateLimit?.remaining === 0 && rateLimit.reset !== null) {
      this.webApiPausedUntil.set(host, now + cappedPause(Math.max(0, rateLimit.reset - Math.floor(now / 1000))) * 1000);
    }
    if (status >= 200 && status < 300) {
      return { status, headers: response.headers, url, body: await readCapped(response, request.maxBytes, request.describe), rateLimit };
    }
    const errorBody = await readCapped(response, LIMITS.errorBodyBytes, 'the error answer').catch(() => Buffer.alloc(0));
    if (status === 429) {
      const details: RegistryErrorDetails = { status };
      if (retryAfter !== null) details.retryAfter = retryAfter;
      const limit = rateLimit?.limit != null ? ` (${rateLimit.limit} requests a minute)` : '';
      throw new RegistryError('TOOMANYREQUESTS', `${host} is rate limiting API requests${limit}${retryAfter !== null ? `; retry in ${retryAfter} s` : ''}`, details);
    }
    if (status >= 500 || RETRYABLE_STATUS.has(status)) {
      throw new RegistryError('UPSTREAM', `${host} answered HTTP ${status} for ${request.describe}`, { status });
    }
    return { status, headers: response.headers, url, body: errorBody, rateLimit };
  }

  /** Milliseconds to wait before another attempt, or null when the error is final. */
  private retryDelay(error: unknown, attempt: number): number | null {
    if (!(error instanceof RegistryError) || attempt >= this.retries) return null;
    const backoff = 100 * 2 ** attempt + Math.floor(Math.random() * 100);
    const status = error.details.status;
    if (error.code === 'TOOMANYREQUESTS') {
      const after = error.details.retryAfter;
      // Only a short, announced wait is worth it; a pull limit is reported, not waited out.
      return after !== undefined && after * 1000 <= LIMITS.maxRetryWaitMs ? Math.max(after * 1000, backoff) : null;
    }
    if (status !== undefined && RETRYABLE_STATUS.has(status)) {
      const after = error.details.retryAfter;
      return after !== undefined ? Math.min(after * 1000, LIMITS.maxRetryWaitMs) : backoff;
    }
    if (error.code === 'UNREACHABLE' && RETRYABLE_NETWORK.has(String(error.details.network))) return backoff;
    return null;
  }

  private async attempt(request: RegistryRequest): Promise<RegistryResponse> {
    const headers: Record<string, string> = { 'user-agent': this.userAgent };
    if (request.accept) headers.accept = request.accept;
    // Blobs are hashed as stored: no transfer compression (quay#1310).
    if (request.kind === 'blob') headers['accept-encoding'] = 'identity';

    let authorization = await this.auth.authorization(request.registry, request.repository, request.signal);
    let result = await this.exchange(request.registry, request.kind, request.method, request.url, withAuth(headers, authorization), request.signal);
    if (result.response.status === 401 && !result.crossedHost) {
      const retry = this.auth.onUnauthorized(
        request.registry,
        request.repository,
        result.response.headers.get('www-authenticate'),
        result.url,
        authorization !== null,
      );
      if (retry) {
        await result.response.body?.cancel();
        authorization = await this.auth.authorization(request.registry, request.repository, request.signal);
        result = await this.exchange(request.registry, request.kind, request.method, request.url, withAuth(headers, authorization), request.signal);
      }
    }
    const { response, url } = result;
    const rateLimit = parseRateLimit(response.headers);
    // Every manifest answer, HEAD or GET, error or not, says what is left of the pull limit.
    if (request.kind === 'manifest') this.pullBudget.observe(this.pullKey(request.registry), rateLimit);
    if (response.status >= 200 && response.status < 300) {
      const body =
        request.method === 'HEAD' ? (await response.body?.cancel(), Buffer.alloc(0)) : await readCapped(response, request.maxBytes, request.describe);
      return { status: response.status, headers: response.headers, url, body, rateLimit };
    }
    // An error body that cannot be read (cut, too large) leaves the status to say what happened.
    const errorBody = await readCapped(response, LIMITS.errorBodyBytes, 'the error answer').catch(() => Buffer.alloc(0));
    throw this.httpError(request, response, errorBody, rateLimit, authorization);
  }

  private httpError(request: RegistryRequest, response: Response, body: Buffer, rateLimit: RateLimit | null, authorization: string | null): RegistryError {
    const status = response.status;
    const details: RegistryErrorDetails = { status };
    const retryAfter = parseRetryAfter(response.headers.get('retry-after'));
    if (retryAfter !== null) details.retryAfter = retryAfter;
    if (rateLimit?.limit != null) details.ratelimitLimit = rateLimit.limit;
    if (rateLimit?.remaining != null) details.ratelimitRemaining = rateLimit.remaining;
    let registryCode: string | undefined;
    try {
      const parsed = registryErrorBodySchema.safeParse(JSON.parse(body.toString('utf8')));
      if (parsed.success) {
        const secrets = secretForms(this.auth.credentialFor(request.registry), authorization);
        details.registryErrors = parsed.data.errors.map(({ code, message }) => ({
          code: redact(code, secrets),
          message: message === undefined ? undefined : redact(message, secrets),
        }));
        registryCode = parsed.data.errors[0]?.code;
      }
    } catch {
      // Error bodies MAY be any format (spec.md "Error Codes"); the status decides then.
    }
    const host = request.registry;
    const what = request.describe;
    const subject = request.repository ?? 'its repository list';
    const make = (code: RegistryErrorCode, message: string) => new RegistryError(code, message, details);

    if (status === 404) {
      if (request.repository !== null && (registryCode === 'NAME_UNKNOWN' || request.kind === 'tags')) return make('NAME_UNKNOWN', `repository ${request.repository} was not found on ${host}`);
      if (registryCode === 'BLOB_UNKNOWN' || request.kind === 'blob') return make('BLOB_UNKNOWN', `blob ${what} was not found on ${host}`);
      return make('MANIFEST_UNKNOWN', `${what} was not found on ${host}`);
    }
    if (status === 401) {
      const credential = this.auth.credentialFor(request.registry);
      return credential && authorization !== null
        ? make('DENIED', `${host} refused the credentials configured for it, or they do not allow ${request.repository === null ? 'listing its repositories' : `pulling ${request.repository}`}`)
        : make('UNAUTHORIZED', unauthorizedMessage(host, request.repository));
    }
    if (status === 403) return make('DENIED', `${host} denied access to ${subject}`);
    if (status === 429) {
      const wait = retryAfter !== null ? `; retry in ${retryAfter} s` : '';
      return make('TOOMANYREQUESTS', `${host} is rate limiting requests${wait}`);
    }
    return make('UPSTREAM', `${host} answered HTTP ${status} for ${what}`);
  }
}

function withAuth(headers: Record<string, string>, authorization: string | null): Record<string, string> {
  return authorization ? { ...headers, authorization } : headers;
}

// The transport: every HTTP request to a registry or token realm goes through here, so policy
// lives in one place — which scheme a host is reached with, redirects followed by hand with
// Authorization dropped on any host change, auth, per-host concurrency, retries with backoff
// honouring Retry-After, timeouts, size caps, and one mapping from HTTP failures to
// RegistryError codes. Sources: distribution-spec spec.md "API", "Error Codes";
// docs/registry-protocol.md §2.8, §4.5, §8, §10.

import { Agent, fetch as undiciFetch } from 'undici';
import { checkHostLiteral, guardedLookup } from './address-policy';
import { Authenticator, unauthorizedMessage } from './auth';
import { CredentialStore } from './credentials';
import { RegistryError, type RegistryErrorCode, type RegistryErrorDetails } from './errors';
import { LIMITS } from './limits';
import { PriorityLimiter } from './limiter';
import { parseRateLimit, parseRetryAfter, type RateLimit } from './rate-limit';
import { canonicalRegistry, DOCKER_HUB, DOCKER_HUB_API_HOST } from './reference';
import { registryErrorBodySchema } from './schemas';

export type RequestKind = 'manifest' | 'blob' | 'tags' | 'token';

export interface RequestEvent {
  registry: string;
  method: string;
  url: string;
  kind: RequestKind;
  status: number | null;
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
  /** The clock token lifetimes are measured with (tests move it forward). */
  now?: () => number;
}

export interface RegistryRequest {
  registry: string;
  /** The repository path, for the token scope and messages. */
  repository: string;
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

function networkCode(error: unknown): string | null {
  const cause = (error as { cause?: { code?: string } })?.cause;
  return cause?.code ?? (error as { code?: string })?.code ?? null;
}

/** Connections to public hosts resolve through the address policy; connect to what was checked. */
const publicAgent = new Agent({ connect: { lookup: guardedLookup, timeout: LIMITS.connectTimeoutMs } });
/** TAGSCOPE_INSECURE_REGISTRIES entries: private addresses allowed by configuration. */
const insecureAgent = new Agent({ connect: { timeout: LIMITS.connectTimeoutMs } });

/** The RegistryError a connect-time check raised, wrapped by fetch in its causes. */
function policyError(error: unknown): RegistryError | null {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof RegistryError) return e;
  }
  return null;
}

export class Transport {
  readonly auth: Authenticator;
  private readonly insecure: Set<string>;
  private readonly limits = new Map<string, PriorityLimiter>();
  private readonly concurrency: number;
  private readonly requestTimeoutMs: number;
  private readonly retries: number;
  private readonly userAgent: string;
  private readonly onRequest?: (event: RequestEvent) => void;

  constructor(options: TransportOptions = {}) {
    this.insecure = new Set([...(options.insecureRegistries ?? [])].map((h) => h.toLowerCase()));
    this.concurrency = options.concurrency ?? 8;
    this.requestTimeoutMs = options.requestTimeoutMs ?? LIMITS.requestTimeoutMs;
    this.retries = options.retries ?? LIMITS.retries;
    this.userAgent = options.userAgent ?? 'Tagscope/0.1 (registry dashboard)';
    this.onRequest = options.onRequest;
    this.auth = new Authenticator(
      options.credentials ?? new CredentialStore(),
      (registry) => this.apiHost(registry),
      (url, headers, signal) => this.fetchToken(url, headers, signal),
      options.now,
      (url) => this.isInsecureUrl(url),
    );
  }

  /** The host a registry name is reached at: docker.io answers at registry-1.docker.io. */
  apiHost(registry: string): string {
    return registry === DOCKER_HUB ? DOCKER_HUB_API_HOST : registry;
  }

  isInsecure(host: string): boolean {
    return this.insecure.has(host.toLowerCase());
  }

  /** https always; plain http only for TAGSCOPE_INSECURE_REGISTRIES entries. */
  baseUrl(registry: string): URL {
    const host = this.apiHost(registry);
    // Compared as the URL parser spells it, so `2130706433:5000` is the listed `127.0.0.1:5000`.
    const plain = new URL(`http://${host}`);
    return this.isInsecureUrl(plain) ? plain : new URL(`https://${host}`);
  }

  /** URL.host drops a default port (`registry.local:80` → `registry.local`); match both spellings. */
  private isInsecureUrl(url: URL): boolean {
    return this.isInsecure(url.host) || this.isInsecure(`${url.hostname}:${url.port || (url.protocol === 'https:' ? 443 : 80)}`);
  }

  /**
   * The address policy every URL passes before it is fetched — registry, redirect hop, Link,
   * token realm: https, to a public address (IP literals checked here, names when resolved
   * by the public agent); plain http and private addresses only for insecure entries.
   */
  private checkUrl(url: URL): void {
    if (this.isInsecureUrl(url) && (url.protocol === 'http:' || url.protocol === 'https:')) return;
    if (url.protocol === 'https:') return checkHostLiteral(url);
    throw new RegistryError(
      'ADDRESS_NOT_ALLOWED',
      url.protocol === 'http:'
        ? `${url.host} would be reached over plain http, which is allowed only for TAGSCOPE_INSECURE_REGISTRIES entries`
        : `${url.protocol} addresses are not fetched`,
      { host: url.host },
    );
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
  ): Promise<{ response: Response; url: URL; crossedHost: boolean }> {
    let url = start;
    let sendHeaders = { ...headers };
    let crossedHost = false;
    for (let hop = 0; hop <= LIMITS.redirects; hop++) {
      this.checkUrl(url);
      const timeout = AbortSignal.timeout(this.requestTimeoutMs);
      let response: Response;
      try {
        response = (await undiciFetch(url, {
          method,
          headers: sendHeaders,
          redirect: 'manual',
          signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
          dispatcher: this.isInsecureUrl(url) ? insecureAgent : publicAgent,
        })) as unknown as Response;
      } catch (error) {
        this.onRequest?.({ registry, method, url: url.toString(), kind, status: null });
        if (signal?.aborted) throw signal.reason;
        const refused = policyError(error);
        if (refused) throw refused;
        if (timeout.aborted) {
          throw new RegistryError('TIMEOUT', `${url.host} did not answer within ${this.requestTimeoutMs / 1000} s`, { host: url.host }, { cause: error });
        }
        const code = networkCode(error);
        const plainHttp = code === 'ERR_SSL_WRONG_VERSION_NUMBER' || code === 'ERR_SSL_PACKET_LENGTH_TOO_LONG';
        const hint = plainHttp ? '; it seems to speak plain http, which is used only for TAGSCOPE_INSECURE_REGISTRIES entries' : '';
        throw new RegistryError('UNREACHABLE', `cannot connect to ${url.host} over ${url.protocol.slice(0, -1)}${code ? ` (${code})` : ''}${hint}`, { host: url.host, network: code }, { cause: error });
      }
      this.onRequest?.({ registry, method, url: url.toString(), kind, status: response.status });
      const location = response.headers.get('location');
      if (!REDIRECTS.has(response.status) || !location) return { response, url, crossedHost };
      await response.body?.cancel();
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

  /** Sends a registry request with auth, retries and caps; non-2xx answers become errors. */
  async send(request: RegistryRequest): Promise<RegistryResponse> {
    return this.limiter(request.registry).run(request.priority ?? 0, async () => {
      for (let attempt = 0; ; attempt++) {
        try {
          return await this.attempt(request);
        } catch (error) {
          // Cancelled (the client left, the view's budget ended): no retry, whatever broke.
          if (request.signal?.aborted) throw request.signal.reason;
          const wait = this.retryDelay(error, attempt);
          if (wait === null) throw error;
          await sleep(wait, request.signal);
        }
      }
    }, request.signal);
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
    if (response.status >= 200 && response.status < 300) {
      const body =
        request.method === 'HEAD' ? (await response.body?.cancel(), Buffer.alloc(0)) : await readCapped(response, request.maxBytes, request.describe);
      return { status: response.status, headers: response.headers, url, body, rateLimit };
    }
    // An error body that cannot be read (cut, too large) leaves the status to say what happened.
    const errorBody = await readCapped(response, LIMITS.errorBodyBytes, 'the error answer').catch(() => Buffer.alloc(0));
    throw this.httpError(request, response, errorBody, rateLimit, authorization !== null);
  }

  private httpError(request: RegistryRequest, response: Response, body: Buffer, rateLimit: RateLimit | null, sentAuthorization: boolean): RegistryError {
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
        details.registryErrors = parsed.data.errors.map(({ code, message }) => ({ code, message }));
        registryCode = parsed.data.errors[0]?.code;
      }
    } catch {
      // Error bodies MAY be any format (spec.md "Error Codes"); the status decides then.
    }
    const host = request.registry;
    const what = request.describe;
    const make = (code: RegistryErrorCode, message: string) => new RegistryError(code, message, details);

    if (status === 404) {
      if (registryCode === 'NAME_UNKNOWN' || request.kind === 'tags') return make('NAME_UNKNOWN', `repository ${request.repository} was not found on ${host}`);
      if (registryCode === 'BLOB_UNKNOWN' || request.kind === 'blob') return make('BLOB_UNKNOWN', `blob ${what} was not found on ${host}`);
      return make('MANIFEST_UNKNOWN', `${what} was not found on ${host}`);
    }
    if (status === 401) {
      const credential = this.auth.credentialFor(request.registry);
      return credential && sentAuthorization
        ? make('DENIED', `${host} refused the credentials configured for it, or they do not allow pulling ${request.repository}`)
        : make('UNAUTHORIZED', unauthorizedMessage(host, request.repository));
    }
    if (status === 403) return make('DENIED', `${host} denied access to ${request.repository}`);
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

import 'server-only';
// The history webhook: one JSON POST per move of a tag to the address TAGSCOPE_WEBHOOK_URL
// names. The receiver is a stranger's server like a registry, so the same address policy gates
// it (https to public addresses; http or a private address only for TAGSCOPE_INSECURE_REGISTRIES
// entries) and everything is bounded: the queues, the attempts, each attempt's time, the
// deliveries in flight; an answer's body is never read. Moves of watched repositories wait in
// a queue of their own and go first: any visitor can make moves of other repositories by the
// thousand (a registry of their own, viewed), and those must never push a watched move out.
// Each delivery is kept in the history database until it ends (outbox.ts), so a restart loses none. Retries carry the first
// attempt's delivery id, so a receiver can tell a repeat from a new move.
// Redirects are not followed: a 3xx is the receiver's final answer (`rejected`). Following one
// would send the move to an address nobody configured; the configured URL is the one to fix.

import { createHmac, randomUUID } from 'node:crypto';
import { fetch as undiciFetch, type Dispatcher } from 'undici';
import { getLogger } from '../server/log';
import { recordWebhookDelivery } from '../server/metrics';
import { AddressPolicy, policyError } from '../registry/address-policy';
import { isRegistryError, RegistryError } from '../registry/errors';
import { parseRetryAfter } from '../registry/rate-limit';
import { networkCode } from '../registry/transport';
import type { StoredDelivery } from './store';
import type { HistorySource, Move, WebhookOutcome } from './types';

/** Every bound of the webhook, and its defaults, in one table. */
export const WEBHOOK_LIMITS = {
  /** Attempts per delivery, the first included. */
  attempts: 6,
  /** One attempt, from connecting to the answer's status line. */
  attemptTimeoutMs: 10_000,
  /** Deliveries of moves in repositories nobody watches waiting to be sent; one more drops the oldest of them. */
  queue: 1_000,
  /** Deliveries of watched repositories' moves waiting (their own queue, sent first); one more drops the oldest of these alone. */
  watchedQueue: 10_000,
  /** Deliveries in flight at once, each through its retries: one keeps moves in order. */
  concurrency: 1,
  /** The wait before the first retry, doubled before each next one … */
  backoffMs: 1_000,
  /** … up to this; a longer Retry-After is cut to it too. */
  maxWaitMs: 60_000,
  /** close(): how long deliveries in flight and waiting get to finish before they are abandoned. */
  closeTimeoutMs: 10_000,
} as const;

/** The header carrying a delivery's id, the same on each of its attempts (an idempotency key). */
export const DELIVERY_HEADER = 'x-tagscope-delivery';
/**
 * With TAGSCOPE_WEBHOOK_SECRET, the header carrying `sha256=` and the hex HMAC-SHA256 of the
 * body under the secret, as GitHub signs its webhooks (X-Hub-Signature-256): a receiver that
 * computes the same over the bytes it received knows the move came from this server unaltered.
 */
export const SIGNATURE_HEADER = 'x-tagscope-signature-256';

export function webhookSignature(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}
const USER_AGENT = 'Tagscope/0.1 (webhook)';

/** The JSON body of one delivery: a move, `time` being `Move.at`. */
export interface WebhookPayload {
  registry: string;
  repository: string;
  tag: string;
  from: string | null;
  to: string;
  time: string;
  source: HistorySource;
}

/** Where deliveries are kept until they end, so a restart does not lose them (DeliveryOutbox). */
export interface WebhookOutbox {
  add(delivery: StoredDelivery): void;
  end(id: string): void;
}

/** One delivery's end, as onDelivery hears of it. */
export interface WebhookDelivery {
  id: string;
  outcome: WebhookOutcome;
  /** Attempts made, a refused one included; 0 for a delivery that never left the queue. */
  attempts: number;
  /** The last HTTP status answered, or null. */
  status: number | null;
  /** Why the last attempt got no answer: `TIMEOUT`, `ADDRESS_NOT_ALLOWED`, `ECONNREFUSED` …; null when it got one. */
  error: string | null;
}

/** What an attempt sends: undici's fetch, or a stand-in in tests. Only the status and Retry-After of the answer are used. */
export type WebhookFetch = (
  url: URL,
  init: { method: 'POST'; headers: Record<string, string>; body: string; redirect: 'manual'; signal: AbortSignal; dispatcher: Dispatcher },
) => Promise<{ status: number; headers: { get(name: string): string | null }; body: { cancel(): Promise<void> } | null }>;

export interface WebhookOptions {
  /** The receiver (parseWebhookUrl). */
  url: URL;
  /** Signs each body (SIGNATURE_HEADER); null or absent: unsigned. */
  secret?: string | null;
  /** Keeps each delivery until it ends (the history database); absent: memory only. */
  outbox?: WebhookOutbox;
  /** Parsed TAGSCOPE_INSECURE_REGISTRIES (parseInsecureRegistries): the `host:port` entries allowed over http or at a private address. */
  insecureRegistries?: Iterable<string>;
  attempts?: number;
  attemptTimeoutMs?: number;
  queueSize?: number;
  watchedQueueSize?: number;
  concurrency?: number;
  backoffMs?: number;
  maxWaitMs?: number;
  /** Told of every delivery's end, after it is counted and logged. */
  onDelivery?: (delivery: WebhookDelivery) => void;
  /** The clock an HTTP-date Retry-After is read against. */
  now?: () => number;
  /** Waits between attempts; rejects when `signal` aborts (close() giving up). */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  /** Jitter, in [0, 1). */
  random?: () => number;
  fetch?: WebhookFetch;
}

export function webhookPayload(move: Move): WebhookPayload {
  return { registry: move.registry, repository: move.repository, tag: move.tag, from: move.from, to: move.to, time: move.at, source: move.source };
}

/** Which queue a delivery waits in: `watched` for a watched repository's move, `other` for the rest. */
export type DeliveryClass = 'watched' | 'other';
const deliveryClass = (watched: boolean): DeliveryClass => (watched ? 'watched' : 'other');

interface Job extends StoredDelivery {
  /** The body's signature (SIGNATURE_HEADER), made once for every attempt. */
  signature: string | null;
}

/** One attempt's result; `outcome` null: worth another attempt. */
interface Attempt {
  outcome: Exclude<WebhookOutcome, 'failed' | 'dropped'> | null;
  status: number | null;
  error: string | null;
  retryAfterMs: number | null;
  /** For the log line: the address policy's words on a refusal (they name the host, nothing more), or why a 3xx ended it. */
  reason?: string;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason);
    const abort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', abort);
      resolve();
    }, ms);
    signal.addEventListener('abort', abort, { once: true });
  });
}

const answered = (outcome: Attempt['outcome'], status: number, retryAfterMs: number | null = null): Attempt => ({ outcome, status, error: null, retryAfterMs });
const unanswered = (outcome: Attempt['outcome'], error: string): Attempt => ({ outcome, status: null, error, retryAfterMs: null });
const refusal = (error: RegistryError): Attempt => ({ ...unanswered('refused', error.code), reason: error.message });

/**
 * Delivers moves to one receiver in the background: enqueue() returns at once; deliveries go
 * out in order (watched repositories' first), `concurrency` at a time, each retried with
 * exponential backoff and jitter on a network error, a timeout, a 5xx, a 408 or a 429
 * (honouring Retry-After up to `maxWaitMs`).
 * A delivery holds its place in flight through its waits, so a struggling receiver gets no
 * more than `concurrency` deliveries at once and the queue, not the receiver, absorbs bursts.
 */
export class WebhookSender {
  private readonly url: URL;
  private readonly secret: string | null;
  private readonly outbox?: WebhookOutbox;
  private readonly policy: AddressPolicy;
  private readonly attempts: number;
  private readonly attemptTimeoutMs: number;
  /** Each class's bound. */
  private readonly queueSizes: Record<DeliveryClass, number>;
  private readonly concurrency: number;
  private readonly backoffMs: number;
  private readonly maxWaitMs: number;
  private readonly onDelivery?: (delivery: WebhookDelivery) => void;
  private readonly now: () => number;
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;
  private readonly random: () => number;
  private readonly fetch: WebhookFetch;

  /** Waiting deliveries by class, each in order. */
  private readonly pending: Record<DeliveryClass, Job[]> = { watched: [], other: [] };
  private inFlight = 0;
  private closed = false;
  /** Aborted when close() gives up: cancels attempts and waits in flight. */
  private readonly shutdown = new AbortController();
  private readonly idleWaiters: (() => void)[] = [];
  /** Deliveries dropped since the queue last ran empty: logged once when it fills, once when it empties. */
  private droppedSinceEmpty = 0;
  private abandoned = 0;

  constructor(options: WebhookOptions) {
    this.url = options.url;
    this.secret = options.secret || null;
    this.outbox = options.outbox;
    this.policy = new AddressPolicy(options.insecureRegistries);
    this.attempts = Math.max(1, options.attempts ?? WEBHOOK_LIMITS.attempts);
    this.attemptTimeoutMs = options.attemptTimeoutMs ?? WEBHOOK_LIMITS.attemptTimeoutMs;
    this.queueSizes = {
      watched: Math.max(1, options.watchedQueueSize ?? WEBHOOK_LIMITS.watchedQueue),
      other: Math.max(1, options.queueSize ?? WEBHOOK_LIMITS.queue),
    };
    this.concurrency = Math.max(1, options.concurrency ?? WEBHOOK_LIMITS.concurrency);
    this.backoffMs = options.backoffMs ?? WEBHOOK_LIMITS.backoffMs;
    this.maxWaitMs = options.maxWaitMs ?? WEBHOOK_LIMITS.maxWaitMs;
    this.onDelivery = options.onDelivery;
    this.now = options.now ?? Date.now;
    this.sleep = options.sleep ?? sleep;
    this.random = options.random ?? Math.random;
    this.fetch = options.fetch ?? ((url, init) => undiciFetch(url, init));
  }

  /**
   * Queues the move's delivery and returns its id; a full queue drops its oldest waiting
   * delivery of the same class (`watched`: the repository is watched). The outbox keeps it
   * until it ends, so one abandoned by a shutdown is sent later.
   */
  enqueue(move: Move, watched = false): string {
    const delivery = { id: randomUUID(), body: JSON.stringify(webhookPayload(move)), watched };
    this.outbox?.add(delivery);
    this.queue(delivery);
    return delivery.id;
  }

  /** Queues a delivery the outbox kept (one an instance abandoned or died with): the same id and body. */
  resume(delivery: StoredDelivery): void {
    this.queue(delivery);
  }

  /** How many more deliveries of a class (`watched`) its queue takes before it drops its oldest. */
  room(watched: boolean): number {
    const key = deliveryClass(watched);
    return this.closed ? 0 : Math.max(0, this.queueSizes[key] - this.pending[key].length);
  }

  private queue({ id, body, watched }: StoredDelivery): void {
    if (this.closed) {
      this.finish({ id, outcome: 'abandoned', attempts: 0, status: null, error: null });
      return;
    }
    const key = deliveryClass(watched);
    const waiting = this.pending[key];
    if (waiting.length >= this.queueSizes[key]) {
      const oldest = waiting.shift()!;
      if (this.droppedSinceEmpty++ === 0) {
        getLogger().warn({ host: this.url.host, queue: this.queueSizes[key], watched }, 'webhook queue full: dropping the oldest waiting deliveries');
      }
      this.finish({ id: oldest.id, outcome: 'dropped', attempts: 0, status: null, error: null });
    }
    waiting.push({ id, body, watched, signature: this.secret ? webhookSignature(this.secret, body) : null });
    this.pump();
  }

  private get waiting(): number {
    return this.pending.watched.length + this.pending.other.length;
  }

  /** The next delivery to send: a watched repository's first. */
  private next(): Job | undefined {
    return this.pending.watched.shift() ?? this.pending.other.shift();
  }

  /** Resolves once no delivery waits and none is in flight. */
  drain(): Promise<void> {
    if (this.idle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * For shutdown: takes no more moves, gives what is queued and in flight `timeoutMs` to
   * finish, then abandons the rest (attempts and waits in flight are cancelled).
   */
  async close(timeoutMs: number = WEBHOOK_LIMITS.closeTimeoutMs): Promise<void> {
    this.closed = true;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.drain(), new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
    clearTimeout(timer);
    if (this.idle()) return;
    const before = this.abandoned;
    for (const job of [...this.pending.watched.splice(0), ...this.pending.other.splice(0)]) this.finish({ id: job.id, outcome: 'abandoned', attempts: 0, status: null, error: null });
    this.shutdown.abort(new Error('the webhook sender is closing'));
    await this.drain();
    getLogger().warn({ host: this.url.host, abandoned: this.abandoned - before }, 'webhook closed with deliveries unsent');
  }

  private idle(): boolean {
    return this.waiting === 0 && this.inFlight === 0;
  }

  private pump(): void {
    while (this.inFlight < this.concurrency && this.waiting > 0) {
      const job = this.next()!;
      this.inFlight++;
      void this.deliver(job)
        .catch((error: unknown) => getLogger().error({ deliveryId: job.id, host: this.url.host, error: String(error) }, 'webhook delivery crashed'))
        .finally(() => {
          this.inFlight--;
          this.pump();
        });
    }
    if (this.waiting === 0 && this.droppedSinceEmpty > 0) {
      getLogger().warn({ host: this.url.host, dropped: this.droppedSinceEmpty }, 'webhook queue caught up after dropping deliveries');
      this.droppedSinceEmpty = 0;
    }
    if (this.idle()) for (const resolve of this.idleWaiters.splice(0)) resolve();
  }

  private async deliver(job: Job): Promise<void> {
    for (let attempts = 1; ; attempts++) {
      const attempt = await this.attempt(job);
      const end = (outcome: WebhookOutcome) => this.finish({ id: job.id, outcome, attempts, status: attempt.status, error: attempt.error }, attempt.reason);
      if (attempt.outcome !== null) return end(attempt.outcome);
      if (attempts >= this.attempts) return end('failed');
      try {
        await this.sleep(this.delay(attempts, attempt.retryAfterMs), this.shutdown.signal);
      } catch {
        return end('abandoned');
      }
    }
  }

  /**
   * The wait after the `retry`-th failed attempt: the backoff step doubles from `backoffMs` up
   * to `maxWaitMs`, and the wait is a random point in its upper half (jitter that never makes
   * it shorter than half); a Retry-After waits longer, up to `maxWaitMs`.
   */
  private delay(retry: number, retryAfterMs: number | null): number {
    const step = Math.min(this.maxWaitMs, this.backoffMs * 2 ** (retry - 1));
    const backoff = step / 2 + (this.random() * step) / 2;
    return Math.round(Math.min(this.maxWaitMs, Math.max(backoff, retryAfterMs ?? 0)));
  }

  private async attempt(job: Job): Promise<Attempt> {
    const url = this.url;
    try {
      this.policy.check(url);
    } catch (error) {
      if (isRegistryError(error)) return refusal(error);
      throw error;
    }
    // One controller per attempt, ended by its deadline or by close() giving up. (Not
    // AbortSignal.any: each call would leave a dependant on the sender's long-lived signal.)
    const cancel = new AbortController();
    let timedOut = false;
    const deadline = setTimeout(() => {
      timedOut = true;
      cancel.abort(new DOMException(`no answer within ${this.attemptTimeoutMs} ms`, 'TimeoutError'));
    }, this.attemptTimeoutMs);
    const shutdown = () => cancel.abort(this.shutdown.signal.reason);
    this.shutdown.signal.addEventListener('abort', shutdown, { once: true });
    let response: Awaited<ReturnType<WebhookFetch>>;
    try {
      response = await this.fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': USER_AGENT, [DELIVERY_HEADER]: job.id, ...(job.signature && { [SIGNATURE_HEADER]: job.signature }) },
        body: job.body,
        redirect: 'manual',
        signal: cancel.signal,
        dispatcher: this.policy.dispatcher(url),
      });
      // The body is never read: the status says it all.
      await response.body?.cancel().catch(() => {});
    } catch (error) {
      if (this.shutdown.signal.aborted) return unanswered('abandoned', 'ABORTED');
      const refused = policyError(error);
      if (refused) return refusal(refused);
      return unanswered(null, timedOut ? 'TIMEOUT' : (networkCode(error) ?? 'UNREACHABLE'));
    } finally {
      clearTimeout(deadline);
      this.shutdown.signal.removeEventListener('abort', shutdown);
    }
    const status = response.status;
    if (status >= 200 && status < 300) return answered('delivered', status);
    if (status === 408 || status === 429 || status >= 500) {
      const retryAfter = parseRetryAfter(response.headers.get('retry-after'), this.now());
      return answered(null, status, retryAfter === null ? null : retryAfter * 1000);
    }
    if (status >= 300 && status < 400) return { ...answered('rejected', status), reason: `the receiver redirected (HTTP ${status}); deliveries do not follow redirects` };
    return answered('rejected', status);
  }

  /**
   * A delivery's end: counted, logged, told. A failure is one warn line naming the receiver by
   * its host alone: its path and query may hold the receiver's secret.
   */
  private finish(delivery: WebhookDelivery, reason?: string): void {
    recordWebhookDelivery(delivery.outcome);
    // An abandoned delivery stays in the outbox, for this server's next start or another instance.
    if (delivery.outcome !== 'abandoned') this.outbox?.end(delivery.id);
    if (delivery.outcome === 'abandoned') this.abandoned++;
    const log = getLogger();
    const { id: deliveryId, outcome, attempts, status, error } = delivery;
    const fields = { deliveryId, host: this.url.host, outcome, attempts, status, ...(error && { errorCode: error }), ...(reason && { reason }) };
    if (delivery.outcome === 'delivered') log.debug(fields, 'webhook delivered');
    else if (delivery.outcome === 'rejected' || delivery.outcome === 'failed' || delivery.outcome === 'refused') log.warn(fields, 'webhook delivery failed');
    this.onDelivery?.(delivery);
  }
}

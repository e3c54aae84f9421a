import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { parseWebhookUrl } from '@/lib/history/webhook-url';
import { DELIVERY_HEADER, WebhookSender, type WebhookDelivery, type WebhookFetch, type WebhookOptions } from '@/lib/history/webhook';
import type { Move } from '@/lib/history/types';
import { getLogger } from '@/lib/server/log';
import { scrape } from '@/lib/server/metrics';
import { RegistryError } from '@/lib/registry/errors';

const move = (tag = 'latest'): Move => ({
  registry: 'ghcr.io',
  repository: 'ghcr.io/acme/app',
  tag,
  from: 'sha256:aaaa',
  to: 'sha256:bbbb',
  at: '2026-11-29T12:00:00.000Z',
  source: 'observed',
});

/** An answer of the stand-in receiver: a status (with headers), a thrown network error, or no answer until the attempt is cancelled. */
type Answer = number | { status: number; headers: Record<string, string> } | { network: string } | 'hang';

/**
 * A stand-in receiver answering the scripted answers in turn (the last one again after them),
 * with every request it got, and a fake sleep that only records its waits.
 */
function receiver(answers: Answer[]) {
  const requests: { url: string; headers: Record<string, string>; body: string }[] = [];
  const waits: number[] = [];
  const fetch: WebhookFetch = async (url, init) => {
    requests.push({ url: url.toString(), headers: init.headers, body: init.body });
    const answer = answers[Math.min(requests.length - 1, answers.length - 1)]!;
    if (answer === 'hang') {
      return new Promise((_, reject) => init.signal.addEventListener('abort', () => reject(init.signal.reason), { once: true }));
    }
    if (typeof answer === 'object' && 'network' in answer) throw new TypeError('fetch failed', { cause: Object.assign(new Error(answer.network), { code: answer.network }) });
    const { status, headers } = typeof answer === 'number' ? { status: answer, headers: {} } : answer;
    return new Response(null, { status, headers });
  };
  const sleep = async (ms: number) => {
    waits.push(ms);
  };
  return { requests, waits, fetch, sleep };
}

/** A sender on the stand-in receiver, with every delivery's end collected; jitter fixed at the middle. */
function sender(answers: Answer[], options: Partial<WebhookOptions> = {}) {
  const stub = receiver(answers);
  const deliveries: WebhookDelivery[] = [];
  const webhook = new WebhookSender({
    url: new URL('https://hooks.example.com/tagscope/T0SECRET?token=s3cret'),
    fetch: stub.fetch,
    sleep: stub.sleep,
    random: () => 0.5,
    onDelivery: (delivery) => deliveries.push(delivery),
    ...options,
  });
  return { ...stub, webhook, deliveries };
}

let warn: MockInstance;
beforeEach(() => {
  warn = vi.spyOn(getLogger(), 'warn').mockImplementation(() => undefined);
  vi.spyOn(getLogger(), 'debug').mockImplementation(() => undefined);
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('parseWebhookUrl: TAGSCOPE_WEBHOOK_URL', () => {
  it.each([undefined, '', '   '])('%j is no webhook', (text) => {
    expect(parseWebhookUrl(text)).toBeNull();
  });

  it.each(['https://hooks.example.com/tagscope', 'https://hooks.example.com/services/T0/B0/s3cret?token=s3cret', ' http://10.0.0.5:8080/hook '])('takes %s', (text) => {
    expect(parseWebhookUrl(text)?.toString()).toBe(new URL(text.trim()).toString());
  });

  it.each([
    ['hooks.example.com/s3cret', 'TAGSCOPE_WEBHOOK_URL is not an absolute URL such as https://hooks.example.com/tagscope'],
    ['/hook/s3cret', 'TAGSCOPE_WEBHOOK_URL is not an absolute URL such as https://hooks.example.com/tagscope'],
    ['ftp://hooks.example.com/s3cret', 'TAGSCOPE_WEBHOOK_URL must be an https (or http) URL, not ftp'],
    ['file:///etc/s3cret', 'TAGSCOPE_WEBHOOK_URL must be an https (or http) URL, not file'],
    ['https://user:s3cret@hooks.example.com/hook', "TAGSCOPE_WEBHOOK_URL must not hold a user name or password: put the receiver's secret in its path or query"],
    ['https://s3cret@hooks.example.com/hook', "TAGSCOPE_WEBHOOK_URL must not hold a user name or password: put the receiver's secret in its path or query"],
    ['https://hooks.example.com/hook#s3cret', 'TAGSCOPE_WEBHOOK_URL must not have a fragment (#…): it would never be sent'],
    ['https://hooks.example.com/hook#', 'TAGSCOPE_WEBHOOK_URL must not have a fragment (#…): it would never be sent'],
  ])('refuses %s, without repeating the value', (text, message) => {
    let error: unknown;
    try {
      parseWebhookUrl(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(RegistryError);
    expect(error).toMatchObject({ code: 'INVALID_CONFIGURATION', message, details: { variable: 'TAGSCOPE_WEBHOOK_URL' } });
    expect((error as Error).message).not.toContain('s3cret');
  });
});

describe('WebhookSender: one POST per move', () => {
  it('sends the move as JSON with its delivery id, and counts it delivered', async () => {
    const { webhook, requests, deliveries } = sender([204]);
    const id = webhook.enqueue(move());
    await webhook.drain();
    expect(requests).toEqual([
      {
        url: 'https://hooks.example.com/tagscope/T0SECRET?token=s3cret',
        headers: { 'content-type': 'application/json', 'user-agent': 'Tagscope/0.1 (webhook)', [DELIVERY_HEADER]: id },
        body: JSON.stringify({ registry: 'ghcr.io', repository: 'ghcr.io/acme/app', tag: 'latest', from: 'sha256:aaaa', to: 'sha256:bbbb', time: '2026-11-29T12:00:00.000Z', source: 'observed' }),
      },
    ]);
    expect(deliveries).toEqual([{ id, outcome: 'delivered', attempts: 1, status: 204, error: null }]);
    expect((await scrape()).body).toMatch(/tagscope_webhook_deliveries_total\{outcome="delivered"\} [1-9]/);
  });

  it('gives every move its own delivery id', async () => {
    const { webhook, requests } = sender([200]);
    const ids = [webhook.enqueue(move('a')), webhook.enqueue(move('b'))];
    await webhook.drain();
    expect(new Set(ids).size).toBe(2);
    expect(requests.map((r) => r.headers[DELIVERY_HEADER])).toEqual(ids);
  });
});

describe('WebhookSender: retries', () => {
  it('retries a 5xx with the same delivery id until it is delivered', async () => {
    const { webhook, requests, waits, deliveries } = sender([500, 503, 200]);
    const id = webhook.enqueue(move());
    await webhook.drain();
    expect(requests.map((r) => r.headers[DELIVERY_HEADER])).toEqual([id, id, id]);
    expect(new Set(requests.map((r) => r.body)).size).toBe(1);
    expect(waits).toEqual([750, 1500]);
    expect(deliveries).toEqual([{ id, outcome: 'delivered', attempts: 3, status: 200, error: null }]);
  });

  it.each([
    ['the middle of each step', 0.5, {}, [750, 1500, 3000, 6000, 12000]],
    ['at least half of each step', 0, {}, [500, 1000, 2000, 4000, 8000]],
    ['at most the whole step', 0.999_999, {}, [1000, 2000, 4000, 8000, 16000]],
    ['steps stop doubling at maxWaitMs', 0.5, { maxWaitMs: 4000 }, [750, 1500, 3000, 3000, 3000]],
    ['as many waits as attempts allow', 0.5, { attempts: 3, backoffMs: 100 }, [75, 150]],
  ] as const)('backs off exponentially with jitter: %s', async (_what, random, options, schedule) => {
    const { webhook, requests, waits, deliveries } = sender([503], { random: () => random, ...options });
    webhook.enqueue(move());
    await webhook.drain();
    expect(waits).toEqual(schedule);
    expect(requests).toHaveLength(schedule.length + 1);
    expect(deliveries).toMatchObject([{ outcome: 'failed', attempts: schedule.length + 1, status: 503, error: null }]);
  });

  const now = Date.parse('2026-11-29T12:00:00Z');
  it.each([
    ['a 429 waits its Retry-After in seconds', { status: 429, headers: { 'retry-after': '7' } }, 7_000],
    ['a 503 waits its Retry-After as an HTTP date', { status: 503, headers: { 'retry-after': new Date(now + 20_000).toUTCString() } }, 20_000],
    ['a Retry-After shorter than the backoff waits the backoff', { status: 429, headers: { 'retry-after': '0' } }, 750],
    ['a Retry-After past maxWaitMs waits maxWaitMs', { status: 429, headers: { 'retry-after': '3600' } }, 60_000],
    ['a 408 is retried too', 408, 750],
  ])('%s', async (_what, answer, wait) => {
    const { webhook, waits, deliveries } = sender([answer, 200], { now: () => now });
    webhook.enqueue(move());
    await webhook.drain();
    expect(waits).toEqual([wait]);
    expect(deliveries).toMatchObject([{ outcome: 'delivered', attempts: 2 }]);
  });

  it.each([400, 401, 403, 404, 410, 422, 301, 302, 307, 308])('takes %i as the final answer: rejected, not retried, no redirect followed', async (status) => {
    const { webhook, requests, waits, deliveries } = sender([{ status, headers: { location: 'https://elsewhere.example/' } }]);
    webhook.enqueue(move());
    await webhook.drain();
    expect(requests).toHaveLength(1);
    expect(waits).toEqual([]);
    expect(deliveries).toMatchObject([{ outcome: 'rejected', attempts: 1, status }]);
  });

  it('retries network errors, and names the last one when it gives up', async () => {
    const { webhook, requests, deliveries } = sender([{ network: 'ECONNRESET' }, { network: 'ECONNREFUSED' }], { attempts: 3 });
    webhook.enqueue(move());
    await webhook.drain();
    expect(requests).toHaveLength(3);
    expect(deliveries).toMatchObject([{ outcome: 'failed', attempts: 3, status: null, error: 'ECONNREFUSED' }]);
  });

  it('gives each attempt attemptTimeoutMs, then counts a TIMEOUT and tries again', async () => {
    const { webhook, requests, deliveries } = sender(['hang', 'hang', 200], { attemptTimeoutMs: 20 });
    webhook.enqueue(move());
    await webhook.drain();
    expect(requests).toHaveLength(3);
    expect(deliveries).toMatchObject([{ outcome: 'delivered', attempts: 3 }]);

    const stuck = sender(['hang'], { attemptTimeoutMs: 20, attempts: 2 });
    stuck.webhook.enqueue(move());
    await stuck.webhook.drain();
    expect(stuck.deliveries).toMatchObject([{ outcome: 'failed', attempts: 2, status: null, error: 'TIMEOUT' }]);
  });

  it('logs a failure with the receiver host alone: no path, no query', async () => {
    const { webhook } = sender([500], { attempts: 2 });
    const id = webhook.enqueue(move());
    await webhook.drain();
    expect(warn).toHaveBeenCalledWith({ deliveryId: id, host: 'hooks.example.com', outcome: 'failed', attempts: 2, status: 500 }, 'webhook delivery failed');
    expect(JSON.stringify(warn.mock.calls)).not.toMatch(/SECRET|s3cret|tagscope\//);
  });
});

describe('WebhookSender: the address policy', () => {
  it.each([
    ['plain http to an unlisted host', 'http://hooks.example.com/hook', [], 'hooks.example.com would be reached over plain http'],
    ['loopback', 'https://127.0.0.1:8443/hook', [], '127.0.0.1 is a private, loopback'],
    ['loopback by name', 'https://localhost:8443/hook', [], 'localhost is at 127.0.0.1'],
    ['a private address', 'https://10.1.2.3/hook', [], '10.1.2.3 is a private'],
    ['IPv6 loopback', 'https://[::1]:8443/hook', [], '[::1] is at ::1, a private'],
    ['the cloud metadata address', 'https://169.254.169.254/latest/meta-data', [], '169.254.169.254 is a private'],
    ['plain http to a listed host on another port', 'http://127.0.0.1:8081/hook', ['127.0.0.1:8080'], '127.0.0.1:8081 would be reached over plain http'],
  ])('refuses %s without a request, and does not retry', async (_what, url, insecureRegistries, reason) => {
    const { webhook, requests, waits, deliveries } = sender([200], { url: new URL(url), insecureRegistries });
    webhook.enqueue(move());
    await webhook.drain();
    expect(requests).toEqual([]);
    expect(waits).toEqual([]);
    expect(deliveries).toMatchObject([{ outcome: 'refused', attempts: 1, status: null, error: 'ADDRESS_NOT_ALLOWED' }]);
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ outcome: 'refused', errorCode: 'ADDRESS_NOT_ALLOWED', reason: expect.stringContaining(reason) }), 'webhook delivery failed');
    expect((await scrape()).body).toMatch(/tagscope_webhook_deliveries_total\{outcome="refused"\} [1-9]/);
  });

  it.each([
    ['plain http to a listed host:port', 'http://127.0.0.1:8080/hook', ['127.0.0.1:8080']],
    ['a listed host on the default port', 'http://hooks.internal/hook', ['hooks.internal:80']],
    ['https to a listed private address', 'https://10.1.2.3/hook', ['10.1.2.3:443']],
    ['https to a public address', 'https://93.184.215.14/hook', []],
  ])('sends %s', async (_what, url, insecureRegistries) => {
    const { webhook, requests, deliveries } = sender([200], { url: new URL(url), insecureRegistries });
    webhook.enqueue(move());
    await webhook.drain();
    expect(requests).toHaveLength(1);
    expect(deliveries).toMatchObject([{ outcome: 'delivered' }]);
  });
});

/** A receiver that holds every answer until the test releases it, counting requests in flight. */
function heldReceiver() {
  const held: { tag: string; release(status: number): void }[] = [];
  let inFlight = 0;
  let most = 0;
  const fetch: WebhookFetch = (_url, init) =>
    new Promise((resolve, reject) => {
      inFlight++;
      most = Math.max(most, inFlight);
      const done = () => inFlight--;
      init.signal.addEventListener('abort', () => (done(), reject(init.signal.reason)), { once: true });
      held.push({ tag: (JSON.parse(init.body) as { tag: string }).tag, release: (status) => (done(), resolve(new Response(null, { status }))) });
    });
  const settle = () => new Promise((resolve) => setTimeout(resolve, 0));
  return { held, fetch, settle, most: () => most };
}

describe('WebhookSender: bounds', () => {
  it('keeps at most queueSize deliveries waiting: one more drops the oldest waiting, counted and logged once', async () => {
    const { held, fetch, settle } = heldReceiver();
    const { webhook, deliveries } = sender([], { fetch, queueSize: 2 });
    const [first, second, third, fourth, fifth] = ['t1', 't2', 't3', 't4', 't5'].map((tag) => webhook.enqueue(move(tag)));
    // t1 is in flight; t2 and t3 wait; t4 pushes t2 out and t5 pushes t3 out.
    expect(deliveries).toEqual([
      { id: second, outcome: 'dropped', attempts: 0, status: null, error: null },
      { id: third, outcome: 'dropped', attempts: 0, status: null, error: null },
    ]);
    expect(warn.mock.calls.filter(([, message]) => String(message).startsWith('webhook queue full'))).toHaveLength(1);
    for (let i = 0; i < 3; i++) {
      await settle();
      held[i]!.release(200);
    }
    await webhook.drain();
    expect(held.map((h) => h.tag)).toEqual(['t1', 't4', 't5']);
    expect(deliveries.slice(2).map((d) => [d.id, d.outcome])).toEqual([
      [first, 'delivered'],
      [fourth, 'delivered'],
      [fifth, 'delivered'],
    ]);
    expect(warn).toHaveBeenCalledWith({ host: 'hooks.example.com', dropped: 2 }, 'webhook queue caught up after dropping deliveries');
    expect((await scrape()).body).toMatch(/tagscope_webhook_deliveries_total\{outcome="dropped"\} [2-9]/);
  });

  it("keeps watched repositories' deliveries in a queue of their own: moves from elsewhere never drop them, and they go first", async () => {
    const { held, fetch, settle } = heldReceiver();
    const { webhook, deliveries } = sender([], { fetch, queueSize: 2, watchedQueueSize: 2 });
    const first = webhook.enqueue(move('elsewhere-0'));
    const watched = webhook.enqueue(move('watched'), true);
    const elsewhere = ['elsewhere-1', 'elsewhere-2', 'elsewhere-3', 'elsewhere-4'].map((tag) => webhook.enqueue(move(tag)));
    // Four from elsewhere behind one in flight: the two oldest of them dropped, the watched one not.
    expect(deliveries.map((d) => [d.id, d.outcome])).toEqual([
      [elsewhere[0], 'dropped'],
      [elsewhere[1], 'dropped'],
    ]);
    // A full watched queue drops its own oldest, nothing else.
    const [second, third] = [webhook.enqueue(move('watched-2'), true), webhook.enqueue(move('watched-3'), true)];
    expect(deliveries.at(-1)).toEqual({ id: watched, outcome: 'dropped', attempts: 0, status: null, error: null });
    for (let i = 0; i < 5; i++) {
      await settle();
      held[i]!.release(200);
    }
    await webhook.drain();
    expect(held.map((h) => h.tag)).toEqual(['elsewhere-0', 'watched-2', 'watched-3', 'elsewhere-3', 'elsewhere-4']);
    expect(deliveries.filter((d) => d.outcome === 'delivered').map((d) => d.id)).toEqual([first, second, third, elsewhere[2], elsewhere[3]]);
  });

  it.each([1, 2])('has at most %i deliveries in flight, in the order they came', async (concurrency) => {
    const { held, fetch, settle, most } = heldReceiver();
    const { webhook } = sender([], { fetch, concurrency });
    for (const tag of ['a', 'b', 'c', 'd', 'e']) webhook.enqueue(move(tag));
    const drained = webhook.drain();
    for (let released = 0; released < 5; released++) {
      await settle();
      held[released]!.release(200);
    }
    await drained;
    expect(most()).toBe(concurrency);
    expect(held.map((h) => h.tag)).toEqual(['a', 'b', 'c', 'd', 'e']);
  });
});

describe('WebhookSender.close', () => {
  it('lets queued deliveries finish within its time', async () => {
    const { webhook, deliveries } = sender([500, 200]);
    webhook.enqueue(move('a'));
    webhook.enqueue(move('b'));
    await webhook.close(1_000);
    expect(deliveries.map((d) => d.outcome)).toEqual(['delivered', 'delivered']);
  });

  it('abandons what is still in flight or waiting when its time is up, and takes no more moves', async () => {
    const { held, fetch } = heldReceiver();
    const { webhook, deliveries } = sender([], { fetch });
    const ids = [webhook.enqueue(move('a')), webhook.enqueue(move('b'))];
    await webhook.close(20);
    expect(deliveries).toEqual([
      { id: ids[1], outcome: 'abandoned', attempts: 0, status: null, error: null },
      { id: ids[0], outcome: 'abandoned', attempts: 1, status: null, error: 'ABORTED' },
    ]);
    expect(warn).toHaveBeenCalledWith({ host: 'hooks.example.com', abandoned: 2 }, 'webhook closed with deliveries unsent');

    const late = webhook.enqueue(move('c'));
    expect(held).toHaveLength(1);
    expect(deliveries.at(-1)).toEqual({ id: late, outcome: 'abandoned', attempts: 0, status: null, error: null });
  });

  it('cancels a wait between attempts', async () => {
    const { webhook, deliveries } = sender([503], { sleep: (_ms, signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(signal.reason))) });
    webhook.enqueue(move());
    await webhook.close(20);
    expect(deliveries).toMatchObject([{ outcome: 'abandoned', attempts: 1, status: 503 }]);
  });
});

// The history webhook against a real HTTP receiver on loopback: what goes over the wire, the
// retries a receiver's answers cause, the address policy keeping the webhook off addresses it
// may not reach (no connection gets there), and the bound on each attempt's time.
import { createHmac } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import { mkdtemp, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { openHistoryDatabase } from '@/lib/history/database';
import { DeliveryOutbox } from '@/lib/history/outbox';
import { HistoryStore } from '@/lib/history/store';
import { DELIVERY_HEADER, SIGNATURE_HEADER, WEBHOOK_LIMITS, WebhookSender, type WebhookDelivery, type WebhookOptions, type WebhookOutbox } from '@/lib/history/webhook';
import type { Move } from '@/lib/history/types';
import { getLogger } from '@/lib/server/log';
import { scrape } from '@/lib/server/metrics';
import { isPublicAddress } from '@/lib/registry/address-policy';
import { listenOnLoopback } from '../support/ports';

const MOVE: Move = {
  registry: '127.0.0.1:5000',
  repository: '127.0.0.1:5000/library/demo',
  tag: 'latest',
  from: null,
  to: 'sha256:2c1b6e2d8f4a4b1a9e0f5d3c7b6a5948372615d4c3b2a1908f7e6d5c4b3a2918',
  at: '2026-11-29T12:34:56.789Z',
  source: 'registry',
};

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** How the receiver answers a request: a status, or a function that writes the answer itself (or never does). */
type Answer = number | ((response: ServerResponse) => void);

/** A real HTTP receiver on 127.0.0.1 answering the scripted answers in turn (the last one again after them). */
async function startReceiver(answers: Answer[]) {
  const requests: Received[] = [];
  let connections = 0;
  const server: Server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      requests.push({ method: request.method!, url: request.url!, headers: request.headers, body: Buffer.concat(chunks).toString() });
      const answer = answers[Math.min(requests.length - 1, answers.length - 1)]!;
      if (typeof answer === 'number') response.writeHead(answer).end();
      else answer(response);
    });
  });
  server.on('connection', () => connections++);
  const { port, host, stop } = await listenOnLoopback(server);
  return { port, host, requests, connections: () => connections, stop };
}
type Receiver = Awaited<ReturnType<typeof startReceiver>>;

const receivers: Receiver[] = [];
const senders: WebhookSender[] = [];
let warn: MockInstance;
beforeEach(() => {
  warn = vi.spyOn(getLogger(), 'warn').mockImplementation(() => undefined);
});
afterEach(async () => {
  for (const sender of senders.splice(0)) await sender.close(0);
  for (const receiver of receivers.splice(0)) await receiver.stop();
  vi.restoreAllMocks();
});

async function receiver(answers: Answer[]): Promise<Receiver> {
  const started = await startReceiver(answers);
  receivers.push(started);
  return started;
}

/** A sender to `url` with short waits between attempts, collecting every delivery's end. */
function sender(url: string, options: Partial<WebhookOptions> = {}) {
  const deliveries: WebhookDelivery[] = [];
  const webhook = new WebhookSender({ url: new URL(url), backoffMs: 20, onDelivery: (delivery) => deliveries.push(delivery), ...options });
  senders.push(webhook);
  return { webhook, deliveries };
}

/** A delivery to a receiver listed in TAGSCOPE_INSECURE_REGISTRIES: plain http on loopback. */
function listedSender(to: Receiver, options: Partial<WebhookOptions> = {}) {
  return sender(`http://${to.host}/hooks/tagscope?token=s3cret`, { insecureRegistries: [to.host], ...options });
}

async function deliveriesCounted(outcome: string): Promise<number> {
  const line = (await scrape()).body.split('\n').find((l) => l.startsWith(`tagscope_webhook_deliveries_total{outcome="${outcome}"}`));
  return line ? Number(line.split(' ').at(-1)) : 0;
}

describe('the webhook on the wire', () => {
  it('POSTs the move as JSON with exactly its fields, a User-Agent and a delivery id', async () => {
    const to = await receiver([204]);
    const { webhook, deliveries } = listedSender(to);
    const id = webhook.enqueue(MOVE);
    await webhook.drain();

    expect(to.requests).toHaveLength(1);
    const [request] = to.requests;
    expect(request!.method).toBe('POST');
    expect(request!.url).toBe('/hooks/tagscope?token=s3cret');
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.headers['user-agent']).toBe('Tagscope/0.1 (webhook)');
    expect(request!.headers[DELIVERY_HEADER]).toBe(id);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(JSON.parse(request!.body)).toStrictEqual({
      registry: '127.0.0.1:5000',
      repository: '127.0.0.1:5000/library/demo',
      tag: 'latest',
      from: null,
      to: MOVE.to,
      time: '2026-11-29T12:34:56.789Z',
      source: 'registry',
    });
    expect(deliveries).toEqual([{ id, outcome: 'delivered', attempts: 1, status: 204, error: null }]);
  });

  it('signs the body with the secret, the same signature on every attempt; no secret, no signature', async () => {
    const secret = 'shared-with-the-receiver-0123';
    const to = await receiver([503, 200]);
    const { webhook } = listedSender(to, { secret });
    webhook.enqueue(MOVE);
    await webhook.drain();
    expect(to.requests).toHaveLength(2);
    // What a receiver does: the HMAC-SHA256 of the bytes it received, under the shared secret.
    for (const request of to.requests) {
      expect(request.headers[SIGNATURE_HEADER]).toBe(`sha256=${createHmac('sha256', secret).update(request.body).digest('hex')}`);
    }
    // The wrong secret does not verify.
    expect(to.requests[0]!.headers[SIGNATURE_HEADER]).not.toBe(`sha256=${createHmac('sha256', 'another-secret-0123456').update(to.requests[0]!.body).digest('hex')}`);

    const unsigned = await receiver([200]);
    const plain = listedSender(unsigned);
    plain.webhook.enqueue(MOVE);
    await plain.webhook.drain();
    expect(unsigned.requests[0]!.headers).not.toHaveProperty(SIGNATURE_HEADER);
  });

  it('tells its outbox of each delivery and its end, resumes a kept one as it was, and keeps one a shutdown abandons', async () => {
    const kept: string[] = [];
    const outbox: WebhookOutbox = { add: (delivery) => kept.push(`add ${delivery.id}`), end: (id) => kept.push(`end ${id}`) };
    const to = await receiver([204]);
    const { webhook } = listedSender(to, { outbox });
    const id = webhook.enqueue(MOVE);
    await webhook.drain();
    expect(kept).toEqual([`add ${id}`, `end ${id}`]);
    // One the outbox kept (another instance's, or this one's before a restart): its id and body, unchanged.
    webhook.resume({ id: 'kept-by-the-outbox', body: '{"tag":"kept"}', watched: false });
    await webhook.drain();
    expect(to.requests.at(-1)).toMatchObject({ headers: { [DELIVERY_HEADER]: 'kept-by-the-outbox' }, body: '{"tag":"kept"}' });
    expect(kept.at(-1)).toBe('end kept-by-the-outbox');

    // A receiver that is down, and a shutdown between attempts: the delivery is not ended.
    kept.length = 0;
    const down = await receiver([503]);
    const failing = listedSender(down, { outbox, backoffMs: 60_000 });
    const abandoned = failing.webhook.enqueue(MOVE);
    await vi.waitFor(() => expect(down.requests).toHaveLength(1));
    await failing.webhook.close(0);
    expect(failing.deliveries).toEqual([expect.objectContaining({ id: abandoned, outcome: 'abandoned' })]);
    expect(kept).toEqual([`add ${abandoned}`]);
  });

  it("a watched repository's move between two bursts of 1,500 moves from elsewhere is delivered, from memory and from the database", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tagscope-outbox-'));
    const database = await openHistoryDatabase({ engine: 'sqlite', file: path.join(dir, 'history.db') });
    try {
      const store = new HistoryStore(database);
      // A receiver that holds its first answer until both bursts are queued: the queues fill.
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const to = await receiver([(response) => void held.then(() => response.writeHead(204).end()), 204]);
      const outbox = new DeliveryOutbox({ store: () => store });
      const { webhook, deliveries } = listedSender(to, { outbox });
      const burst = (from: number) => {
        for (let n = from; n < from + 1_500; n++) webhook.enqueue({ ...MOVE, repository: '127.0.0.1:5000/stranger/flood', tag: `t${n}` });
      };
      burst(0);
      const watched = webhook.enqueue({ ...MOVE, tag: 'the-real-move' }, true);
      burst(1_500);
      await vi.waitFor(() => expect(to.requests).toHaveLength(1), { timeout: 30_000 });
      // The database outbox is trimmed by class too (its writes are chained; a sweep waits for them).
      await outbox.sweep();
      expect((await store.claimDeliveries('look', 60_000, 1, true)).map((d) => d.id)).toEqual([]); // still leased to this sender …
      await store.releaseDeliveries(outbox.holder);
      expect((await store.claimDeliveries('look', 60_000, 1, true)).map((d) => d.id)).toEqual([watched]); // … and kept
      await store.releaseDeliveries('look');
      release();
      await vi.waitFor(() => expect(deliveries.find((d) => d.id === watched)?.outcome).toBe('delivered'), { timeout: 30_000 });
      // It went next after the one in flight, ahead of the other moves waiting.
      expect(to.requests[1]!.headers[DELIVERY_HEADER]).toBe(watched);
      expect(JSON.parse(to.requests[1]!.body)).toMatchObject({ repository: MOVE.repository, tag: 'the-real-move' });
      // The moves from elsewhere kept their own bound: the oldest beyond it were dropped.
      expect(deliveries.filter((d) => d.outcome === 'dropped')).toHaveLength(3_000 - 1 - WEBHOOK_LIMITS.queue);
      await webhook.close(0);
      await outbox.stop();
    } finally {
      await database.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('from the database: sends what nobody holds, keeps the outbox to its bound, and forgets what was delivered', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tagscope-outbox-'));
    const database = await openHistoryDatabase({ engine: 'sqlite', file: path.join(dir, 'history.db') });
    try {
      const store = new HistoryStore(database);
      // Three deliveries a stopped instance released, and one a live instance is sending. Added
      // within one millisecond they tie on created_at, and the id decides which is older: the
      // ids sort in the order they are added ('held' had sorted first, and was trimmed instead).
      for (const n of [1, 2, 3]) await store.addDelivery({ id: `released-${n}`, body: `{"n":${n}}`, watched: false }, 'stopped', 60_000);
      await store.releaseDeliveries('stopped');
      await store.addDelivery({ id: 'the-held-one', body: '{"held":true}', watched: false }, 'alive', 60_000);
      const to = await receiver([204]);
      const outbox = new DeliveryOutbox({ store: () => store, keep: { watched: 3, other: 3 } });
      const { webhook } = listedSender(to, { outbox });
      const dropped = await deliveriesCounted('dropped');
      outbox.start(webhook);
      await outbox.sweep();
      await webhook.drain();
      await outbox.stop();
      // The oldest went to keep three; the live instance's is its own to send.
      expect(await deliveriesCounted('dropped')).toBe(dropped + 1);
      expect(to.requests.map((r) => [r.headers[DELIVERY_HEADER], r.body]).sort()).toEqual([
        ['released-2', '{"n":2}'],
        ['released-3', '{"n":3}'],
      ]);
      // Delivered, they are gone; the held one stays with its holder.
      await store.releaseDeliveries('alive');
      expect(await store.claimDeliveries('next', 60_000, 10)).toEqual([{ id: 'the-held-one', body: '{"held":true}', watched: false }]);
    } finally {
      await database.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('retries 500, 500 and is delivered once, with the same delivery id all three times', async () => {
    const to = await receiver([500, 500, 200]);
    const { webhook, deliveries } = listedSender(to);
    const before = await deliveriesCounted('delivered');
    const id = webhook.enqueue(MOVE);
    await webhook.drain();

    expect(to.requests.map((r) => r.headers[DELIVERY_HEADER])).toEqual([id, id, id]);
    expect(new Set(to.requests.map((r) => r.body)).size).toBe(1);
    expect(deliveries).toEqual([{ id, outcome: 'delivered', attempts: 3, status: 200, error: null }]);
    expect(await deliveriesCounted('delivered')).toBe(before + 1);
  });

  it('waits out a 429 Retry-After before the next attempt', async () => {
    const to = await receiver([(response) => response.writeHead(429, { 'retry-after': '1' }).end(), 200]);
    const { webhook, deliveries } = listedSender(to);
    const started = performance.now();
    webhook.enqueue(MOVE);
    await webhook.drain();
    expect(performance.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(deliveries).toMatchObject([{ outcome: 'delivered', attempts: 2 }]);
  });

  it('does not retry a 400, and logs it without the path or query', async () => {
    const to = await receiver([400]);
    const { webhook, deliveries } = listedSender(to);
    const id = webhook.enqueue(MOVE);
    await webhook.drain();

    expect(to.requests).toHaveLength(1);
    expect(deliveries).toEqual([{ id, outcome: 'rejected', attempts: 1, status: 400, error: null }]);
    expect(warn).toHaveBeenCalledWith({ deliveryId: id, host: to.host, outcome: 'rejected', attempts: 1, status: 400 }, 'webhook delivery failed');
    expect(JSON.stringify(warn.mock.calls)).not.toMatch(/hooks|s3cret/);
  });

  it('does not follow a redirect: nothing reaches its target', async () => {
    const elsewhere = await receiver([200]);
    const to = await receiver([(response) => response.writeHead(307, { location: `http://${elsewhere.host}/` }).end()]);
    const { webhook, deliveries } = listedSender(to, { insecureRegistries: [to.host, elsewhere.host] });
    webhook.enqueue(MOVE);
    await webhook.drain();

    expect(deliveries).toMatchObject([{ outcome: 'rejected', attempts: 1, status: 307 }]);
    expect(elsewhere.connections()).toBe(0);
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ status: 307, reason: 'the receiver redirected (HTTP 307); deliveries do not follow redirects' }), 'webhook delivery failed');
  });

  it('never reads an answer body: an endless one does not hold the delivery', async () => {
    let closed = false;
    const to = await receiver([
      (response) => {
        response.writeHead(200, { 'content-type': 'application/octet-stream' });
        const chunk = Buffer.alloc(64 * 1024);
        const timer = setInterval(() => response.write(chunk), 1);
        response.on('close', () => {
          clearInterval(timer);
          closed = true;
        });
      },
    ]);
    const { webhook, deliveries } = listedSender(to, { attemptTimeoutMs: 5_000 });
    webhook.enqueue(MOVE);
    await webhook.drain();

    expect(deliveries).toMatchObject([{ outcome: 'delivered', attempts: 1, status: 200 }]);
    await vi.waitFor(() => expect(closed).toBe(true));
  });
});

// The name of this machine, when it resolves to a non-public address (Debian's /etc/hosts has
// it at 127.0.1.1): a name only the DNS-time check (guardedLookup) can refuse.
const machine = hostname();
const machineAddress = await lookup(machine).then(
  ({ address }) => address,
  () => null,
);

describe('the address policy', () => {
  const cases: [string, (port: number) => string][] = [
    ['plain http to an unlisted loopback address', (port) => `http://127.0.0.1:${port}/hook`],
    ['https to a loopback address', (port) => `https://127.0.0.1:${port}/hook`],
    ['https to localhost', (port) => `https://localhost:${port}/hook`],
    ['https to 127.0.0.1 spelled as a number', (port) => `https://2130706433:${port}/hook`],
    ...(machineAddress !== null && !isPublicAddress(machineAddress) ? [[`https to ${machine}, a name at ${machineAddress}`, (port: number) => `https://${machine}:${port}/hook`] as [string, (port: number) => string]] : []),
  ];

  it.each(cases)('refuses %s: no connection reaches the receiver, ADDRESS_NOT_ALLOWED logged and counted', async (_what, url) => {
    const to = await receiver([200]);
    const { webhook, deliveries } = sender(url(to.port), { insecureRegistries: ['127.0.0.1:1'] });
    const before = await deliveriesCounted('refused');
    const id = webhook.enqueue(MOVE);
    await webhook.drain();

    expect(to.connections()).toBe(0);
    expect(deliveries).toEqual([{ id, outcome: 'refused', attempts: 1, status: null, error: 'ADDRESS_NOT_ALLOWED' }]);
    expect(await deliveriesCounted('refused')).toBe(before + 1);
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ deliveryId: id, outcome: 'refused', errorCode: 'ADDRESS_NOT_ALLOWED' }), 'webhook delivery failed');
  });

  it('reaches the same receiver once its host:port is listed in TAGSCOPE_INSECURE_REGISTRIES, however it is spelled', async () => {
    const to = await receiver([200]);
    const { webhook, deliveries } = sender(`http://2130706433:${to.port}/hook`, { insecureRegistries: [to.host] });
    webhook.enqueue(MOVE);
    await webhook.drain();
    expect(deliveries).toMatchObject([{ outcome: 'delivered' }]);
  });
});

describe('each attempt is bounded in time', () => {
  it('gives up on a receiver that never answers after attemptTimeoutMs, each attempt', async () => {
    const to = await receiver([() => {}]);
    const { webhook, deliveries } = listedSender(to, { attemptTimeoutMs: 300, attempts: 2 });
    const started = performance.now();
    const id = webhook.enqueue(MOVE);
    await webhook.drain();
    const elapsed = performance.now() - started;

    expect(to.requests).toHaveLength(2);
    expect(deliveries).toEqual([{ id, outcome: 'failed', attempts: 2, status: null, error: 'TIMEOUT' }]);
    expect(elapsed).toBeGreaterThanOrEqual(600);
    expect(elapsed).toBeLessThan(5_000);
  });

  it('a receiver that is not there is a network error, retried', async () => {
    const gone = await receiver([200]);
    await gone.stop();
    receivers.splice(receivers.indexOf(gone), 1);
    const { webhook, deliveries } = listedSender(gone, { attempts: 2 });
    webhook.enqueue(MOVE);
    await webhook.drain();
    expect(deliveries).toMatchObject([{ outcome: 'failed', attempts: 2, status: null, error: 'ECONNREFUSED' }]);
  });
});

import 'server-only';
// The webhook's deliveries kept in the history database until they end, so that a restart, a
// crash or a deploy does not lose a move a receiver has not yet been told of. Each delivery is
// leased to the instance sending it, which renews its leases while they wait; a clean shutdown
// releases them, a crash lets them lapse, and then any instance (the restarted one included)
// claims them and sends them with the same delivery id, which tells the receiver a repeat.

import { randomUUID } from 'node:crypto';
import { getLogger } from '../server/log';
import { recordWebhookDelivery } from '../server/metrics';
import type { DeliveryBounds, HistoryStore, StoredDelivery } from './store';
import { WEBHOOK_LIMITS, type WebhookOutbox, type WebhookSender } from './webhook';

export const OUTBOX_LIMITS = {
  /** How long a lease holds without renewal: a crashed instance's deliveries wait this long. */
  leaseMs: 60_000,
  /** Most deliveries one sweep claims (and no more than the sender's queue has room for). */
  claimsPerSweep: 100,
};

export interface DeliveryOutboxOptions {
  /** The store while the database is open; null while it is not (deliveries then live in memory only). */
  store: () => HistoryStore | null;
  holder?: string;
  leaseMs?: number;
  /** Most deliveries of each class kept across every instance (default: one sender's queues). */
  keep?: DeliveryBounds;
}

export class DeliveryOutbox implements WebhookOutbox {
  readonly holder: string;
  private readonly leaseMs: number;
  private readonly keep: DeliveryBounds;
  private readonly store: () => HistoryStore | null;
  /** One write after another: a delivery's end never overtakes its add. */
  private chain: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private sender: WebhookSender | null = null;

  constructor(options: DeliveryOutboxOptions) {
    this.store = options.store;
    this.holder = options.holder ?? `${process.pid}-${randomUUID()}`;
    this.leaseMs = options.leaseMs ?? OUTBOX_LIMITS.leaseMs;
    this.keep = options.keep ?? { watched: WEBHOOK_LIMITS.watchedQueue, other: WEBHOOK_LIMITS.queue };
  }

  add(delivery: StoredDelivery): void {
    this.then('keep a webhook delivery', (store) => store.addDelivery(delivery, this.holder, this.leaseMs));
  }

  end(id: string): void {
    this.then('forget an ended webhook delivery', (store) => store.endDelivery(id));
  }

  /**
   * Sends what the outbox holds for nobody now, then every third of a lease renews this
   * instance's leases and claims what lapsed meanwhile.
   */
  start(sender: WebhookSender): void {
    this.sender = sender;
    void this.sweep();
    this.timer ??= setInterval(() => void this.sweep(), Math.max(1_000, Math.floor(this.leaseMs / 3)));
    this.timer.unref();
  }

  /**
   * Renews this instance's leases, keeps each class of delivery to its newest `keep` (those a
   * restart after restart left with a receiver that is down for good are dropped, counted;
   * moves from elsewhere never push out a watched repository's) and hands the sender
   * deliveries nobody holds, watched repositories' first.
   */
  sweep(): Promise<void> {
    return this.then('claim webhook deliveries', async (store) => {
      await store.renewDeliveries(this.holder, this.leaseMs);
      const dropped = await store.trimDeliveries(this.keep);
      if (dropped > 0) {
        for (let i = 0; i < dropped; i++) recordWebhookDelivery('dropped');
        getLogger().warn({ dropped, kept: this.keep }, 'webhook outbox full: dropped its oldest deliveries');
      }
      const sender = this.sender;
      if (!sender) return;
      let claims = OUTBOX_LIMITS.claimsPerSweep;
      for (const watched of [true, false]) {
        const room = Math.min(sender.room(watched), claims);
        if (room === 0) continue;
        const claimed = await store.claimDeliveries(this.holder, this.leaseMs, room, watched);
        for (const delivery of claimed) sender.resume(delivery);
        claims -= claimed.length;
      }
    });
  }

  /** For shutdown, after the sender closed: the writes finish, and what it did not send is released. */
  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.then('release webhook deliveries', (store) => store.releaseDeliveries(this.holder));
  }

  private then(what: string, work: (store: HistoryStore) => Promise<void>): Promise<void> {
    this.chain = this.chain.then(async () => {
      const store = this.store();
      if (!store) return;
      try {
        await work(store);
      } catch (error) {
        getLogger().warn({ error: (error as Error).message }, `could not ${what}`);
      }
    });
    return this.chain;
  }
}

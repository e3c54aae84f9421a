import 'server-only';
// Starts tag history with the server (instrumentation-node.ts): opens the database named by the
// configuration, attaches it to the recorder, makes the watch list match TAGSCOPE_WATCH, and
// starts the watcher and the webhook. A database written by a newer Tagscope stops start-up;
// a PostgreSQL that does not answer does not — views work without history, and the database
// is tried again in the background until it answers.

import path from 'node:path';
import { getRegistryService } from '../data/service';
import { getServerConfig, type Config } from '../server/env';
import { getLogger } from '../server/log';
import { reportHistoryState, recordTagMove, recordWatchedRepositories, recordWatchPoll } from '../server/metrics';
import { openHistoryDatabase, SchemaTooNewError, SQLITE_FILE, type DatabaseTarget } from './database';
import { getHistoryRuntime } from './runtime';
import { HistoryStore } from './store';
import { quayRecord } from './quay-record';
import { RetentionSweeper } from './retention';
import { DeliveryOutbox } from './outbox';
import { Watcher } from './watcher';
import { WebhookSender } from './webhook';

const REOPEN_MIN_MS = 2_000;
const REOPEN_MAX_MS = 60_000;

export function databaseTarget(history: Config['history']): DatabaseTarget {
  return history.databaseUrl ? { engine: 'postgres', url: history.databaseUrl } : { engine: 'sqlite', file: path.join(history.dataDir, SQLITE_FILE) };
}

let started: Promise<void> | null = null;

/** Starts history once per process; rejects only for what must stop start-up (a newer schema). */
export function startHistory(config: Config = getServerConfig()): Promise<void> {
  started ??= run(config);
  return started;
}

async function run(config: Config): Promise<void> {
  const runtime = getHistoryRuntime();
  const log = getLogger();
  if (!config.history.enabled) {
    runtime.unavailable = 'it is turned off on this server (TAGSCOPE_HISTORY=off)';
    await runtime.recorder.close(0);
    return;
  }
  const target = databaseTarget(config.history);
  const timers: NodeJS.Timeout[] = [];
  let watcher: Watcher | null = null;
  let sweeper: RetentionSweeper | null = null;
  let stopping = false;

  runtime.moveListeners.add((move) => recordTagMove(move.source));
  // One POST per move to TAGSCOPE_WEBHOOK_URL, under the registries' address policy; the
  // instance that writes a move sends it, so several instances send it once. Deliveries are
  // kept in the database until they end: one a restart cut short is sent after it. A watched
  // repository's move waits in a queue of its own, which moves from elsewhere never evict.
  let webhook: WebhookSender | null = null;
  let outbox: DeliveryOutbox | null = null;
  // The watch list, read when the database opens and after every watcher tick (a few seconds
  // apart), so a move is classed without a query of its own.
  let watched = new Set<string>();
  const readWatched = async (store: HistoryStore) => {
    try {
      watched = new Set((await store.watches()).map((watch) => watch.repository));
    } catch (error) {
      log.warn({ error: (error as Error).message }, 'could not read the watch list for the webhook');
    }
  };
  if (config.history.webhookUrl) {
    const kept = new DeliveryOutbox({ store: () => runtime.store });
    const sender = new WebhookSender({ url: config.history.webhookUrl, secret: config.history.webhookSecret, insecureRegistries: config.transport.insecureRegistries, outbox: kept });
    runtime.moveListeners.add((move) => sender.enqueue(move, watched.has(move.repository)));
    [webhook, outbox] = [sender, kept];
  }
  reportHistoryState(() => ({ pending: runtime.recorder.pending, dropped: runtime.recorder.dropped, available: runtime.store !== null && runtime.recorder.error === null }));

  const open = async (): Promise<void> => {
    const database = await openHistoryDatabase(target);
    // The history kept is bounded: what the store writes to a repository is trimmed to the policy soon after.
    const trims = new RetentionSweeper(config.history.retention, {
      onTrimmed: (rows) => log.info({ rows }, 'tag history trimmed to its retention policy'),
      onError: (error) => log.warn({ error: error.message }, 'tag history could not be trimmed; trying again later'),
    });
    const store = new HistoryStore(database, { retention: config.history.retention, onWritten: (repository) => trims.note(repository) });
    trims.attach(store);
    const now = Date.now();
    for (const repo of config.history.watch) await store.addWatch(repo.registry, repo.repository, 'config', now);
    await store.dropConfigWatchesExcept(config.history.watch.map((repo) => repo.repository));
    await readWatched(store);
    runtime.database = database;
    runtime.store = store;
    runtime.unavailable = null;
    runtime.recorder.attach(store);
    const service = getRegistryService();
    watcher = new Watcher({
      store,
      recorder: runtime.recorder,
      service,
      recordSource: quayRecord(service.client.transport),
      intervalMs: config.history.watchIntervalMs,
      onMoves: (moves) => moves.forEach((move) => runtime.moveListeners.forEach((listener) => listener(move))),
      onPoll: (repository, error) => {
        recordWatchPoll(error === null);
        if (error) log.warn({ repository, error: error.message }, 'watch poll failed');
      },
      onWatchCount: (count) => {
        recordWatchedRepositories(count);
        if (webhook) void readWatched(store);
      },
    });
    watcher.start();
    sweeper = trims;
    sweeper.start();
    if (webhook) outbox?.start(webhook);
    log.info({ engine: database.engine, where: database.where, watched: config.history.watch.length }, 'tag history open');
  };

  let delay = REOPEN_MIN_MS;
  const retry = () => {
    const timer = setTimeout(async () => {
      if (stopping) return;
      try {
        await open();
      } catch (error) {
        runtime.unavailable = (error as Error).message;
        delay = Math.min(delay * 2, REOPEN_MAX_MS);
        retry();
      }
    }, delay);
    timer.unref();
    timers.push(timer);
  };

  runtime.stop = async () => {
    stopping = true;
    timers.forEach(clearTimeout);
    await watcher?.stop();
    await sweeper?.stop();
    await runtime.recorder.close();
    await webhook?.close(2_000);
    await outbox?.stop();
    await runtime.database?.close().catch(() => {});
  };

  try {
    await open();
  } catch (error) {
    if (error instanceof SchemaTooNewError) throw error;
    runtime.unavailable = (error as Error).message;
    log.warn({ engine: target.engine, error: (error as Error).message }, 'tag history unavailable; trying again in the background');
    retry();
  }
}

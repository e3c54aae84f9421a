import 'server-only';
// The server's Prometheus metrics (GET /metrics, README "Health and metrics"), defined in one
// place and recorded at the choke points: the transport's request hook for upstream requests
// and pulls, the cache layers, the shared work, the API wrapper, the repository view, the
// history webhook. The
// registry lives on globalThis, so every bundle Next builds (route handlers, pages,
// instrumentation) records into the same series. Label values are bounded: a registry is named
// by its host only, never a repository or tag, and past MAX_HOSTS distinct hosts the rest are
// counted as `other`, so a visitor typing endless hosts cannot grow the series without end.

import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { WebhookOutcome } from '../history/types';
import type { RequestEvent, RequestKind } from '../registry/transport';

/** Distinct registry hosts given their own series; later ones share `other`. */
export const MAX_HOSTS = 100;

/** The cache layers a lookup can hit: the in-process LRUs, then the store below them. */
export type CacheLayer = 'memory' | 'disk' | 'redis';

/** A transport request kind, with manifests split by method: a HEAD is free, a GET is a pull. */
const UPSTREAM_KIND: Record<RequestKind, (method: string) => string> = {
  tags: () => 'tags_list',
  manifest: (method) => (method === 'HEAD' ? 'manifest_head' : 'manifest_get'),
  blob: () => 'blob',
  token: () => 'token',
  api: () => 'web_api',
  catalog: () => 'catalog',
};

function createMetrics() {
  const registry = new Registry();
  // Tag history's state, read at each scrape; set through the shared object, so whichever bundle
  // made the metrics and whichever reports the state meet here.
  const history: { read: (() => HistoryState) | null; droppedCounted: number } = { read: null, droppedCounted: 0 };
  collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    history,
    hosts: new Set<string>(),
    upstreamRequests: new Counter({
      name: 'tagscope_upstream_requests_total',
      help: 'HTTP exchanges with registries, token realms and registry web APIs (each redirect hop counts), by registry host, kind and status class',
      labelNames: ['registry', 'kind', 'status_class'] as const,
      registers,
    }),
    pullsSpent: new Counter({
      name: 'tagscope_pulls_spent_total',
      help: 'Manifest GETs a registry answered 2xx: what Docker Hub counts against its pull limit',
      labelNames: ['registry'] as const,
      registers,
    }),
    pullsRemaining: new Gauge({
      name: 'tagscope_pulls_remaining',
      help: 'The last ratelimit-remaining a registry sent with a manifest answer',
      labelNames: ['registry'] as const,
      registers,
    }),
    cacheLookups: new Counter({
      name: 'tagscope_cache_lookups_total',
      help: 'Cache lookups by layer (memory, disk, redis) and result (hit, miss)',
      labelNames: ['layer', 'result'] as const,
      registers,
    }),
    coalesced: new Counter({
      name: 'tagscope_coalesced_requests_total',
      help: 'Lookups that joined identical upstream work already in flight instead of starting their own',
      registers,
    }),
    viewDuration: new Histogram({
      name: 'tagscope_view_duration_seconds',
      help: 'Time from the start of a view to its last answer (the repository view: tag list, then every tag resolved)',
      labelNames: ['view'] as const,
      buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers,
    }),
    apiResponses: new Counter({
      name: 'tagscope_api_responses_total',
      help: 'Responses of the /api/v1 endpoints by route and HTTP status',
      labelNames: ['route', 'status'] as const,
      registers,
    }),
    watchedRepositories: new Gauge({
      name: 'tagscope_watched_repositories',
      help: 'Repositories polled for tag moves (TAGSCOPE_WATCH and the watch button), as last counted by this instance',
      registers,
    }),
    watchPolls: new Counter({
      name: 'tagscope_watch_polls_total',
      help: 'Polls of watched repositories this instance ran, by outcome (ok, error)',
      labelNames: ['outcome'] as const,
      registers,
    }),
    tagMoves: new Counter({
      name: 'tagscope_tag_moves_total',
      help: 'Tag moves this instance wrote to history, by source (observed: its sightings; registry: the registry record)',
      labelNames: ['source'] as const,
      registers,
    }),
    historyPending: new Gauge({
      name: 'tagscope_history_pending_sightings',
      help: 'Tag sightings waiting in memory to be written to the history database',
      registers,
      collect() {
        const state = history.read?.();
        if (state) this.set(state.pending);
      },
    }),
    historyDropped: new Counter({
      name: 'tagscope_history_dropped_sightings_total',
      help: 'Tag sightings dropped or refused because a bound of the history recorder was reached (per answer, repository, registry, or the whole buffer)',
      registers,
      collect() {
        const state = history.read?.();
        if (state && state.dropped > history.droppedCounted) {
          this.inc(state.dropped - history.droppedCounted);
          history.droppedCounted = state.dropped;
        }
      },
    }),
    historyAvailable: new Gauge({
      name: 'tagscope_history_available',
      help: '1 while the history database takes writes, 0 while it is away, not open or turned off',
      registers,
      collect() {
        this.set(history.read?.().available ? 1 : 0);
      },
    }),
    webhookDeliveries: new Counter({
      name: 'tagscope_webhook_deliveries_total',
      help: 'Moves the history webhook finished with, by outcome (delivered, rejected, failed, refused, dropped, abandoned)',
      labelNames: ['outcome'] as const,
      registers,
    }),
  };
}

type Metrics = ReturnType<typeof createMetrics>;
const KEY = Symbol.for('tagscope.metrics');
const metrics: Metrics = ((globalThis as { [KEY]?: Metrics })[KEY] ??= createMetrics());

/** The label a registry host is counted under: itself while fewer than MAX_HOSTS are known, else `other`. */
export function hostLabel(host: string): string {
  if (metrics.hosts.has(host)) return host;
  if (metrics.hosts.size >= MAX_HOSTS) return 'other';
  metrics.hosts.add(host);
  return host;
}

function statusClass(status: number | null): string {
  return status === null ? 'error' : `${Math.floor(status / 100)}xx`;
}

/** The transport's request hook (TransportOptions.onRequest): counts the exchange, and a pull when one was spent. */
export function recordUpstream(event: RequestEvent): void {
  const registry = hostLabel(event.registry);
  const kind = UPSTREAM_KIND[event.kind](event.method);
  metrics.upstreamRequests.inc({ registry, kind, status_class: statusClass(event.status) });
  if (kind === 'manifest_get' && event.status !== null && event.status >= 200 && event.status < 300) metrics.pullsSpent.inc({ registry });
  if (event.ratelimitRemaining !== null) metrics.pullsRemaining.set({ registry }, event.ratelimitRemaining);
}

export function recordCacheLookup(layer: CacheLayer, hit: boolean): void {
  metrics.cacheLookups.inc({ layer, result: hit ? 'hit' : 'miss' });
}

export function recordCoalesced(): void {
  metrics.coalesced.inc();
}

export function recordView(view: 'repository', seconds: number): void {
  metrics.viewDuration.observe({ view }, seconds);
}

/** `route`: the endpoint's path, one of a fixed set (/api/v1/* has no dynamic segments). */
export function recordApiResponse(route: string, status: number): void {
  metrics.apiResponses.inc({ route, status: String(status) });
}

export function recordWatchPoll(ok: boolean): void {
  metrics.watchPolls.inc({ outcome: ok ? 'ok' : 'error' });
}

export function recordWatchedRepositories(count: number): void {
  metrics.watchedRepositories.set(count);
}

export function recordTagMove(source: 'observed' | 'registry'): void {
  metrics.tagMoves.inc({ source });
}

/** What tag history reports at each scrape: sightings waiting, dropped so far, the database taking writes. */
export interface HistoryState {
  pending: number;
  dropped: number;
  available: boolean;
}

/** Tag history's state, read when /metrics is scraped (lib/history/start.ts). */
export function reportHistoryState(read: () => HistoryState): void {
  metrics.history.read = read;
}

/** One webhook delivery's end: each move counts once, however many attempts it took. */
export function recordWebhookDelivery(outcome: WebhookOutcome): void {
  metrics.webhookDeliveries.inc({ outcome });
}

/** The exposition: Prometheus text format, and its content type. */
export async function scrape(): Promise<{ body: string; contentType: string }> {
  return { body: await metrics.registry.metrics(), contentType: metrics.registry.contentType };
}

import { hostname } from 'node:os';
import type { FastifyPluginAsync } from 'fastify';
import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';
import { resolveAction } from '../api/registry.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import { ENIPLANE_VERSION } from '../lib/version.ts';
import type { Store } from '../store/db.ts';
import { asyncStatesInFlight, GROWING_TABLES, growingTableRows } from '../store/repos/gauges.ts';
import type { TransactionOutcome } from '../store/db.ts';
import { observeTransactions, readerOf } from '../store/tx.ts';
import { fastCounter, fastHistogram, type CounterSeries, type HistogramSeries } from './fast-series.ts';
import type { RpcOutcome } from '../wire/rpc-route.ts';

/** Where Prometheus scrapes: the usual path, on the API listener (GET only; no RPC call is a GET of it). */
export const METRICS_PATH = '/metrics';

/**
 * Latency buckets in seconds: a signed no-op answers in well under a millisecond on an idle
 * server, a write in a few; the top buckets catch a store that stalls.
 */
const SECONDS_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/** States shown at zero when nothing is in them, so a dashboard's series exist from the start. */
const KNOWN_IN_FLIGHT = { eni: ['Attaching', 'Detaching', 'Deleting'], instance: ['Pending', 'Starting', 'Stopping'] } as const;

/** `hostname-pid`: unique per process on a host, readable in a dashboard; `serve --replica-id` overrides it. */
export function defaultReplicaId(): string {
  return `${hostname()}-${process.pid}`;
}

export interface MetricsOptions {
  store: Store;
  clock: Clock;
  log: Logger;
  /** The replica's name in eniplane_replica_info (default: defaultReplicaId()). */
  replicaId?: string;
  /** Node's own process metrics (CPU, memory, event loop lag, GC): a server wants them; a test app need not pay for them. */
  processMetrics?: boolean;
}

export interface AppMetrics {
  /** This app's own registry: several apps in one process (tests) never share series. */
  registry: Registry;
  /** One RPC request answered (wire/rpc-route.ts). */
  observeRequest(outcome: RpcOutcome): void;
  /** The registry in Prometheus' text format, with the gauges read from the store refreshed first. */
  scrape(): Promise<string>;
  /** Stops watching the store's transactions (the app is closing). */
  close(): void;
}

/**
 * The action label of an answered request: the declared name of a resolved action, the cloud's
 * name of a known but unimplemented one, or '' for anything else. Never the request's own
 * string, or any caller could grow the label set (and the server's memory) without bound.
 */
function actionLabel(outcome: RpcOutcome): string {
  if (outcome.code === '') return outcome.action ?? '';
  if (outcome.action === undefined || outcome.version === undefined) return '';
  const resolution = resolveAction(outcome.action, outcome.version);
  if (resolution.kind === 'found') return resolution.action.def.name;
  return resolution.kind === 'not-implemented' ? outcome.action : '';
}

/**
 * The metrics of one API listener, in Prometheus' text format (prom-client): requests by product,
 * action, code and HTTP status, their latency, time spent in store transactions, and, read from
 * the store at scrape time, asynchronous states in flight, the sizes of the nonce and ClientToken
 * tables and the replica's identity.
 */
export function createMetrics(options: MetricsOptions): AppMetrics {
  const { store, clock, log } = options;
  const registry = new Registry();
  const registers = [registry];

  // The per-request series are plain numbers (fast-series.ts), made once per label set.
  const requests = fastCounter(registry, 'eniplane_requests_total', 'RPC requests answered, by product, action, Code (empty for a success) and HTTP status.');
  const duration = fastHistogram(
    registry,
    'eniplane_request_duration_seconds',
    'Time from the RPC handler receiving a request (headers and body read) to its answer being sent, by product and action.',
    SECONDS_BUCKETS,
  );
  const transactions = fastHistogram(
    registry,
    'eniplane_store_transaction_duration_seconds',
    "Time in store transactions (write) and consistent reads (read), waiting for SQLite's one connection included, by outcome (commit, rollback, conflict: retried).",
    SECONDS_BUCKETS,
  );
  const storeUp = new Gauge({
    name: 'eniplane_store_up',
    help: "1 when this scrape's store queries succeeded, else 0 (the gauges read from the store then keep their last values).",
    registers,
  });
  const tableRows = new Gauge({
    name: 'eniplane_store_table_rows',
    help: 'Rows in the tables that grow with traffic: signature_nonces and signature_nonce_log (spent SignatureNonces), client_tokens.',
    labelNames: ['table'] as const,
    registers,
  });
  const inFlight = new Gauge({
    name: 'eniplane_async_in_flight',
    help: 'ENIs and instances whose asynchronous state (Attaching, Detaching, Deleting; Pending, Starting, Stopping) has not reached its due time yet, by the status they show.',
    labelNames: ['resource', 'status'] as const,
    registers,
  });
  /** The gauges read from the store, refreshed once per scrape (before the registry is read, so every gauge shows the same moment). */
  const readStore = async () => {
    try {
      const reader = readerOf(store);
      const states = await asyncStatesInFlight(reader, clock.now());
      const rows = await growingTableRows(reader);
      inFlight.reset();
      for (const [resource, statuses] of Object.entries(KNOWN_IN_FLIGHT)) for (const status of statuses) inFlight.set({ resource, status }, 0);
      for (const r of states) inFlight.set({ resource: r.resource, status: r.status }, r.count);
      for (const table of GROWING_TABLES) tableRows.set({ table }, rows[table]);
      storeUp.set(1);
    } catch (err) {
      log.warn({ err }, 'metrics: the store queries failed');
      storeUp.set(0);
    }
  };
  new Gauge({
    name: 'eniplane_replica_info',
    help: "This replica's identity: its --replica-id, its store's kind and eniplane's version (always 1).",
    labelNames: ['replica', 'store', 'version'] as const,
    registers,
  }).set({ replica: options.replicaId ?? defaultReplicaId(), store: store.dialect, version: ENIPLANE_VERSION }, 1);
  if (options.processMetrics) collectDefaultMetrics({ register: registry });

  const transactionSeries: Record<'write' | 'read', Partial<Record<TransactionOutcome, HistogramSeries>>> = { write: {}, read: {} };
  const stopObserving = observeTransactions(store, (kind, seconds, outcome) => {
    (transactionSeries[kind][outcome] ??= transactions.series({ kind, outcome })).observe(seconds);
  });

  // Each label set's series, made on its first request. A success is found by two lookups of
  // strings the registry interned (product, declared action name): no key is built per request.
  type Child = { count: CounterSeries; time: HistogramSeries };
  const durations = new Map<string, HistogramSeries>();
  const childOf = (product: string, action: string, code: string, status: number): Child => {
    const durationKey = `${product}\n${action}`;
    let time = durations.get(durationKey);
    if (!time) durations.set(durationKey, (time = duration.series({ product, action })));
    return { count: requests.series({ product, action, code, status: String(status) }), time };
  };
  const successes = new Map<string, Map<string, Child>>();
  // Every part of an error's key is bounded: products and codes are declared, actions resolved (actionLabel).
  const errors = new Map<string, Child>();
  return {
    registry,
    async scrape() {
      await readStore();
      return registry.metrics();
    },
    observeRequest(outcome) {
      let child: Child | undefined;
      if (outcome.code === '' && outcome.action !== undefined) {
        let byAction = successes.get(outcome.product);
        if (!byAction) successes.set(outcome.product, (byAction = new Map()));
        child = byAction.get(outcome.action);
        if (!child) byAction.set(outcome.action, (child = childOf(outcome.product, outcome.action, '', outcome.status)));
      } else {
        const action = actionLabel(outcome);
        const key = `${outcome.product}\n${action}\n${outcome.code}\n${outcome.status}`;
        child = errors.get(key);
        if (!child) errors.set(key, (child = childOf(outcome.product, action, outcome.code, outcome.status)));
      }
      child.count.inc();
      child.time.observe(outcome.seconds);
    },
    close: stopObserving,
  };
}

/** GET /metrics: this app's registry in Prometheus' text format. */
export const metricsPlugin: FastifyPluginAsync<{ metrics: AppMetrics }> = async (app, { metrics }) => {
  app.get(METRICS_PATH, async (_request, reply) => {
    const text = await metrics.scrape();
    return reply.type(metrics.registry.contentType).send(text);
  });
};

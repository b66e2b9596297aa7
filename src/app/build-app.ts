import Fastify, { type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import { createFaultInjector } from '../api/fault-injection.ts';
import { createInvoker, type Invoker } from '../api/invoke.ts';
import type { ServerConfig } from '../config.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import type { Random } from '../lib/random.ts';
import { throttleFor } from '../services/throttle.ts';
import type { Store } from '../store/db.ts';
import { rpcPlugin } from '../wire/rpc-route.ts';
import { healthPlugin } from './health.ts';
import { headersTimeoutFor, listenerOptions, type ListenerLimits } from './listener-limits.ts';
import { createMetrics, metricsPlugin, type MetricsOptions } from './metrics.ts';
import { rpcAuthFor } from './rpc-auth.ts';

export interface AppDeps {
  store: Store;
  config: ServerConfig;
  clock: Clock;
  random: Random;
  log: Logger;
}

/** What a plugin of the API listener gets besides its own prefix: the app's dependencies and its invoker. */
export interface AppPluginOptions {
  deps: AppDeps;
  /** The one way into the actions (api/invoke.ts), shared with the RPC endpoint. */
  invoker: Invoker;
}

/** A plugin registered by a surface that shares the API listener, under its own prefix. */
export interface ExtraPlugin {
  /** Where its routes live, e.g. '/console'. The RPC endpoint owns '/' and answers every path no plugin serves. */
  prefix: string;
  plugin: FastifyPluginAsync<AppPluginOptions>;
}

export interface BuildAppOptions {
  /**
   * The registration point for other surfaces on the same listener (the console: its static files
   * under /console/, its API under /console/api/). Each runs encapsulated: its own body parsers
   * (the RPC endpoint keeps raw buffers for signatures), hooks and not-found handler; a path under
   * its prefix that it does not serve answers in the cloud's envelope unless it sets its own.
   */
  extraPlugins?: readonly ExtraPlugin[];
  /** GET /metrics (app/metrics.ts), on unless false; its own registry per app. */
  metrics?: false | Pick<MetricsOptions, 'replicaId' | 'processMetrics'>;
  /** Slow-client timeouts (app/listener-limits.ts). */
  limits?: ListenerLimits;
  /** Serve HTTPS with this certificate chain and private key (PEM), instead of HTTP. */
  tls?: { cert: Buffer; key: Buffer };
}

/**
 * The API listener: the RPC endpoint (wire/rpc-route.ts) at the root, the health and readiness
 * routes, the metrics, and any extra plugins. Listening (or app.inject in tests) is the caller's job.
 */
export function buildApp(deps: AppDeps, options: BuildAppOptions = {}): FastifyInstance {
  const limits = options.limits ?? {};
  const listener = listenerOptions(limits, deps.random);
  const app = Fastify({
    logger: false,
    ...listener,
    // Over TLS node's https server takes the http options (the timeout checks) along with the TLS ones.
    ...(options.tls ? { https: { ...listener.http, cert: options.tls.cert, key: options.tls.key } } : {}),
  });
  app.server.headersTimeout = headersTimeoutFor(limits);
  const draining = drainOnClose(app);
  const throttle = throttleFor(deps.store, deps.config.throttle, deps.clock);
  const faults = createFaultInjector({ store: deps.store, log: deps.log });
  const invoker = createInvoker({ store: deps.store, settings: deps.config, clock: deps.clock, random: deps.random, throttle, faults });
  const metrics = options.metrics === false ? undefined : createMetrics({ store: deps.store, clock: deps.clock, log: deps.log, ...options.metrics });
  app.register(rpcPlugin, {
    invoker,
    auth: rpcAuthFor(deps),
    strict: deps.config.strict,
    random: deps.random,
    log: deps.log,
    ...(metrics ? { observe: metrics.observeRequest } : {}),
  });
  app.register(healthPlugin, { store: deps.store, draining });
  if (metrics) {
    app.register(metricsPlugin, { metrics });
    app.addHook('onClose', async () => metrics.close());
  }
  for (const extra of options.extraPlugins ?? []) app.register(extra.plugin, { prefix: extra.prefix, deps, invoker });
  return app;
}

/**
 * Graceful close (SIGTERM in cli/serve.ts): once app.close() starts, no new connection is accepted,
 * and every answer sent from then on, including those of requests already in flight, carries
 * `Connection: close`, so each client's connection ends after its answer instead of idling until
 * the keep-alive timeout (which would hold the close for 65 s). Readiness answers 503 meanwhile.
 */
function drainOnClose(app: FastifyInstance): () => boolean {
  let draining = false;
  app.addHook('preClose', (done) => {
    draining = true;
    done();
  });
  // A callback hook, not an async one: it runs for every answer, and allocates nothing.
  app.addHook('onSend', (_request, reply, payload, done) => {
    if (draining) reply.header('connection', 'close');
    done(null, payload);
  });
  return () => draining;
}

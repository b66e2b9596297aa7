import Fastify, { type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import { createFaultInjector } from '../api/fault-injection.ts';
import { createInvoker, type Invoker } from '../api/invoke.ts';
import type { ServerConfig } from '../config.ts';
import type { Clock } from '../lib/clock.ts';
import type { Logger } from '../lib/logger.ts';
import type { Random } from '../lib/random.ts';
import type { Store } from '../store/db.ts';
import { rpcPlugin } from '../wire/rpc-route.ts';
import { healthPlugin } from './health.ts';
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
}

/**
 * The API listener: the RPC endpoint (wire/rpc-route.ts) at the root, the health route, and any
 * extra plugins. Listening (or app.inject in tests) is the caller's job.
 */
export function buildApp(deps: AppDeps, options: BuildAppOptions = {}): FastifyInstance {
  // Idle keep-alive connections are kept 65 s, so a client's next call reuses its connection.
  const app = Fastify({ logger: false, bodyLimit: 1024 * 1024, keepAliveTimeout: 65_000 });
  // Node's headers timeout (60 s by default) must outlast the keep-alive one: otherwise an idle
  // kept-alive connection can be destroyed by the headers check just as a client reuses it, and
  // the client sees "socket hang up" (ECONNRESET) instead of an answer.
  app.server.headersTimeout = 66_000;
  const faults = createFaultInjector({ store: deps.store, log: deps.log });
  const invoker = createInvoker({ store: deps.store, settings: deps.config, clock: deps.clock, random: deps.random, faults });
  app.register(rpcPlugin, { invoker, auth: rpcAuthFor(deps), strict: deps.config.strict, random: deps.random, log: deps.log });
  app.register(healthPlugin, { store: deps.store });
  for (const extra of options.extraPlugins ?? []) app.register(extra.plugin, { prefix: extra.prefix, deps, invoker });
  return app;
}

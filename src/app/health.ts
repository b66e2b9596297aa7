import type { FastifyPluginAsync } from 'fastify';
import { unreadiness, type Store } from '../store/db.ts';

/** Under eniplane's own prefix: no cloud path starts so, and no RPC call is a GET of it. Kept as it was; /healthz is the same question. */
export const HEALTH_PATH = '/_eniplane/health';
/** The process is up and serving (a liveness probe). */
export const LIVENESS_PATH = '/healthz';
/** The replica can serve calls: its store answers and is migrated, and it is not shutting down (a readiness probe, a load balancer's check). */
export const READINESS_PATH = '/readyz';

/** A store that does not answer within this long is not ready: a probe must not hang with it. */
const READINESS_TIMEOUT_MS = 2000;

export interface HealthOptions {
  store: Store;
  /** True once the app is closing (SIGTERM): readiness fails so a load balancer stops sending, while in-flight calls finish. */
  draining: () => boolean;
}

async function whyNotReady(opts: HealthOptions): Promise<string | undefined> {
  if (opts.draining()) return 'shutting down';
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`the database did not answer within ${READINESS_TIMEOUT_MS} ms`), READINESS_TIMEOUT_MS);
  });
  try {
    return await Promise.race([unreadiness(opts.store), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The health routes, unauthenticated as load balancers and orchestrators expect (they say nothing
 * about any account): liveness answers while the process serves; readiness asks the store, and
 * answers 503 with the reason when this replica should get no traffic.
 */
export const healthPlugin: FastifyPluginAsync<HealthOptions> = async (app, opts) => {
  app.get(HEALTH_PATH, async () => ({ status: 'ok', store: opts.store.dialect }));
  app.get(LIVENESS_PATH, async () => ({ status: 'ok' }));
  app.get(READINESS_PATH, async (_request, reply) => {
    const reason = await whyNotReady(opts);
    if (reason !== undefined) return reply.code(503).send({ status: 'not ready', reason });
    return { status: 'ready', store: opts.store.dialect };
  });
};

import type { FastifyPluginAsync } from 'fastify';
import type { Store } from '../store/db.ts';

/** Under eniplane's own prefix: no cloud path starts so, and no RPC call is a GET of it. */
export const HEALTH_PATH = '/_eniplane/health';

/** The health route: answers while the process serves, and names the store it serves from. */
export const healthPlugin: FastifyPluginAsync<{ store: Store }> = async (app, { store }) => {
  app.get(HEALTH_PATH, async () => ({ status: 'ok', store: store.dialect }));
};

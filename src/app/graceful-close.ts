import type { FastifyInstance } from 'fastify';

/** How long `serve` waits for in-flight requests on SIGTERM before cutting the connections left (under Kubernetes' default 30 s grace). */
export const DRAIN_DEADLINE_MS = 25_000;

/** How often connections that went idle during the close are closed. */
const IDLE_SWEEP_MS = 100;

/**
 * Closes a listening app gracefully: no new connection is accepted, requests in flight finish and
 * are answered. Connections that fall idle meanwhile are closed (the API app's answers also carry
 * `Connection: close` while it drains, app/build-app.ts), and whatever is still open after
 * `deadlineMs` is cut. Resolves when the server is closed; true when it closed within the deadline.
 */
export async function closeGracefully(app: FastifyInstance, deadlineMs = DRAIN_DEADLINE_MS): Promise<boolean> {
  let clean = true;
  const closed = app.close();
  const sweep = setInterval(() => app.server.closeIdleConnections(), IDLE_SWEEP_MS);
  const deadline = setTimeout(() => {
    clean = false;
    app.server.closeAllConnections();
  }, deadlineMs);
  try {
    await closed;
  } finally {
    clearInterval(sweep);
    clearTimeout(deadline);
  }
  return clean;
}

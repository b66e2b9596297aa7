import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';

/**
 * The reference a signed no-op is held against (bench/noop.ts), a process of its own: the same
 * Fastify version and server options as eniplane's API server, one route
 * on `/` (GET and POST, like the RPC endpoint) answering a small JSON without any auth, parsing
 * or store work. Prints `bare listening on http://127.0.0.1:PORT` when ready.
 */
const app = Fastify({ logger: false, bodyLimit: 1024 * 1024, keepAliveTimeout: 65_000 });
app.removeAllContentTypeParsers();
app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
app.route({
  method: ['GET', 'POST'],
  url: '/',
  handler: async (_request, reply) =>
    reply
      .code(200)
      .type('application/json;charset=utf-8')
      .send(JSON.stringify({ RequestId: randomUUID().toUpperCase() })),
});

const address = await app.listen({ host: '127.0.0.1', port: Number(process.argv[2] ?? 0) });
console.log(`bare listening on ${address}`);
const shutdown = async () => {
  await app.close();
  process.exit(0);
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);

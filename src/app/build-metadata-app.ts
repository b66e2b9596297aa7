import Fastify, { type FastifyInstance } from 'fastify';
import { metadataPlugin, type MetadataServerDeps } from '../metadata/server.ts';

/**
 * The metadata listener, composed like the API's (build-app.ts): a Fastify instance with the
 * listener's own limits, and the metadata service as its plugin. Listening is the caller's job.
 */
export function buildMetadataApp(deps: MetadataServerDeps): FastifyInstance {
  // Requests carry no data here (a token PUT may send a body, ignored): 64 KiB is plenty.
  const app = Fastify({ logger: false, bodyLimit: 64 * 1024 });
  app.register(metadataPlugin, deps);
  return app;
}

import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync } from 'fastify';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { AppPluginOptions, ExtraPlugin } from '../app/build-app.ts';
import { PROJECT_ROOT } from '../lib/project-root.ts';
import { registerConsoleApi } from './api-routes.ts';
import { consoleSessions } from './sessions.ts';

/** Where `npm run build:console` (run by `npm install` through `prepare`) writes the console. */
export const CONSOLE_DIST = join(PROJECT_ROOT, 'console', 'dist');

const NOT_BUILT = `The eniplane console is not built. Run "npm run build:console" (npm install runs it) and restart the server.\n`;

/**
 * The web console on the API listener: its API under /console/api, its built files under
 * /console/, and index.html for every other /console/ path (the console routes in the browser).
 */
const consolePlugin: FastifyPluginAsync<AppPluginOptions & { sessionTtlMs: number; dist: string }> = async (app, opts) => {
  await app.register(fastifyCookie);
  const sessions = consoleSessions(opts.deps.store, opts.deps.clock, opts.sessionTtlMs);
  await app.register(
    async (api) => {
      registerConsoleApi(api, { deps: opts.deps, invoker: opts.invoker, sessions, ttlMs: opts.sessionTtlMs });
    },
    { prefix: '/api' },
  );

  const built = existsSync(join(opts.dist, 'index.html'));
  const index = built ? readFileSync(join(opts.dist, 'index.html')) : undefined;
  if (built) await app.register(fastifyStatic, { root: opts.dist, prefix: '/', wildcard: false, index: false });
  const page = (_request: unknown, reply: import('fastify').FastifyReply) => {
    if (!index) return reply.status(503).type('text/plain; charset=utf-8').send(NOT_BUILT);
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(index);
  };
  app.get('/', page);
  app.setNotFoundHandler((request, reply) => {
    if (request.method !== 'GET' || request.url.startsWith('/console/api/') || request.url.startsWith('/console/assets/')) {
      return reply.status(404).type('text/plain; charset=utf-8').send('Not found\n');
    }
    return page(request, reply);
  });
};

/** The console as an extra plugin of the API listener (app/build-app.ts). */
export function consoleExtra(sessionTtlMs: number, dist: string = CONSOLE_DIST): ExtraPlugin {
  return {
    prefix: '/console',
    plugin: (app, opts) => consolePlugin(app, { ...opts, sessionTtlMs, dist }),
  };
}

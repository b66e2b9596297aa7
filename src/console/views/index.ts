import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../app/build-app.ts';
import type { ConsoleSession } from '../../store/repos/console-sessions.ts';
import { eniIpLimitView } from './eni-ip-limit.ts';

/**
 * Read-only views the console needs that no cloud action answers in one call (which ENIs may join
 * an instance and why not, the address limit in force, the guest OS files of an instance). Each
 * answers from the same domain rules the actions enforce; none changes anything.
 */
export interface ViewOptions {
  deps: AppDeps;
  /** The caller's session, with its CSRF header checked. */
  guarded(request: FastifyRequest): Promise<ConsoleSession>;
}

export function consoleViews(app: FastifyInstance, opts: ViewOptions): void {
  app.post('/views/eni-ip-limit', eniIpLimitView(opts));
}

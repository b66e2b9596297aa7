import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../app/build-app.ts';
import type { ConsoleSession } from '../../store/repos/console-sessions.ts';
import { registerAttachCandidates } from './attach-candidates.ts';
import { registerGuestConfig } from './guest-config.ts';
import { registerEniIpLimit } from './eni-ip-limit.ts';
import { registerVSwitchUsage } from './vswitch-usage.ts';

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
  registerAttachCandidates(app, opts);
  registerEniIpLimit(app, opts);
  registerGuestConfig(app, opts);
  registerVSwitchUsage(app, opts);
}

import { defaultServerConfig, parseDelays, type ServerConfig } from '../src/config.ts';
import { dispatch } from '../src/api/dispatch.ts';
import { systemClock } from '../src/lib/clock.ts';
import { createLogger } from '../src/lib/logger.ts';
import { cryptoRandom } from '../src/lib/random.ts';
import type { Store } from '../src/store/db.ts';

/**
 * API calls made inside the bench process, on a store handle, without HTTP or signatures: the
 * same dispatch (parameter decoding, validation, one transaction, the action's handler) a signed
 * request reaches in the server. Seeding this way is an order of magnitude faster than over
 * HTTP, and the rows are exactly what the API makes.
 */

export type Caller = (accountId: string, action: string, version: string, params: Record<string, string>) => Promise<Record<string, unknown>>;

/** The settings `eniplane serve --delays none` runs with: the seeded rows must match what that server expects. */
export function benchServerConfig(): ServerConfig {
  return { ...defaultServerConfig, delays: parseDelays('none') };
}

export function inProcessCaller(store: Store): Caller {
  const deps = { store, config: benchServerConfig(), clock: systemClock, random: cryptoRandom, log: createLogger('warn') };
  return async (accountId, action, version, params) => {
    const req = { accessKeyId: 'in-process', accountId, action, version, format: 'JSON' as const, signatureVersion: 'v3' as const, params };
    const result = await dispatch(req, cryptoRandom.uuid(), deps);
    return result.body;
  };
}

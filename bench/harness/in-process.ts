import { createInvoker } from '../../src/api/invoke.ts';
import { defaultServerConfig, parseDelays } from '../../src/config.ts';
import type { Quotas } from '../../src/domain/quotas.ts';
import { systemClock } from '../../src/lib/clock.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { cryptoRandom } from '../../src/lib/random.ts';
import { createAccount } from '../../src/services/accounts.ts';
import type { Store } from '../../src/store/db.ts';
import { decodeCall } from '../../src/wire/decode-call.ts';

/**
 * The bench's one way into the API without HTTP: calls made inside the bench process on a store
 * handle, without signatures, through the same path a signed request takes in the server after
 * its signature: the wire's parameter decoding (wire/decode-call.ts), then invoke (validation,
 * one transaction, the action's handler). Seeding this way is
 * an order of magnitude faster than over HTTP, and the rows are exactly what the API makes.
 * Everything in bench/ that calls src/ above the store goes through this file.
 */

export type Caller = (accountId: string, action: string, version: string, params: Record<string, string>) => Promise<Record<string, unknown>>;

export interface InProcessApi {
  call: Caller;
  /** A new account (names are unique) and its key pair. */
  createAccount(name: string): Promise<{ accountId: string; accessKeyId: string; accessKeySecret: string }>;
}

export function inProcessApi(store: Store, overrides: { quotas?: Partial<Quotas> } = {}): InProcessApi {
  // The settings `eniplane serve --delays none` runs with: the seeded rows must match what that server expects.
  // Quotas may be raised for a seed (one account with 10,000 ENIs: bench/console-enis.ts); reads do not check them.
  const config = { ...defaultServerConfig, delays: parseDelays('none'), quotas: { ...defaultServerConfig.quotas, ...overrides.quotas } };
  const log = createLogger('warn');
  const invoker = createInvoker({ store, settings: config, clock: systemClock, random: cryptoRandom });
  return {
    async call(accountId, action, version, params) {
      const req = { accessKeyId: 'in-process', accountId, action, version, format: 'JSON' as const, signatureVersion: 'v3' as const, params };
      const decoded = decodeCall(req, config, log);
      return (await invoker.invokeAction(decoded.action, decoded.params, decoded.caller)).body;
    },
    async createAccount(name) {
      const key = await createAccount(store, name, systemClock, cryptoRandom);
      return { accountId: key.accountId, accessKeyId: key.accessKeyId, accessKeySecret: key.secret };
    },
  };
}

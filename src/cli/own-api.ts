import { createInvoker } from '../api/invoke.ts';
import { defaultServerConfig } from '../config.ts';
import type { Account } from '../domain/models/account.ts';
import { ApiError } from '../errors/api-error.ts';
import { systemClock } from '../lib/clock.ts';
import { cryptoRandom } from '../lib/random.ts';
import { findAccount } from '../services/accounts.ts';
import { migrateToLatest, openStore, type Store } from '../store/db.ts';
import { storeOpenOptions, storeTarget, type StoreOptions } from './store-options.ts';

export interface AccountOption {
  /** An account ID or name; the root account when absent. */
  account?: string;
}

export interface OwnApi {
  store: Store;
  account: Account;
  /** Runs one of eniplane's own actions (product Eniplane) for the account, as a signed call would, without a server. */
  call(action: string, params: Record<string, unknown>): Promise<Record<string, unknown>>;
}

/**
 * The CLI's way into eniplane's own API (faults, reset): on the store directly, while a server
 * runs on it or not, through invoke like any surface, so the CLI checks and stores exactly what the
 * AddFault or ResetAccount actions do. Errors come out as `Code: message`.
 */
export async function withOwnApi<T>(opts: StoreOptions & AccountOption, fn: (api: OwnApi) => Promise<T>): Promise<T> {
  const store = await openStore(storeTarget(opts), storeOpenOptions());
  try {
    await migrateToLatest(store);
    const account = await findAccount(store, opts.account);
    const invoker = createInvoker({ store, settings: defaultServerConfig, clock: systemClock, random: cryptoRandom });
    return await fn({
      store,
      account,
      async call(action, params) {
        try {
          return (await invoker.invoke('Eniplane', action, params, { accountId: account.id })).body;
        } catch (err) {
          throw err instanceof ApiError ? new Error(`${err.code}: ${err.message}`) : err;
        }
      },
    });
  } finally {
    await store.close();
  }
}

export function addAccountOption<C extends { option(flags: string, description: string): C }>(cmd: C): C {
  return cmd.option('--account <id-or-name>', 'the account (its ID or name; default: the root account, the one `serve` created first)');
}

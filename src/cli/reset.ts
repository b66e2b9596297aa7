import type { Command } from 'commander';
import { resetAllAccounts, type ResetCounts } from '../services/reset.ts';
import { migrateToLatest, openStore } from '../store/db.ts';
import { inTransaction } from '../store/tx.ts';
import { addAccountOption, withOwnApi, type AccountOption } from './own-api.ts';
import { addStoreOptions, storeOpenOptions, storeTarget, type StoreOptions } from './store-options.ts';

function summary(n: Record<string, unknown>): string {
  return Object.entries(n)
    .map(([k, v]) => `${String(v)} ${k}`)
    .join(', ');
}

const WIRE: Record<keyof ResetCounts, string> = {
  instances: 'Instances',
  networkInterfaces: 'NetworkInterfaces',
  eips: 'EipAddresses',
  vpcs: 'Vpcs',
  vswitches: 'VSwitches',
  securityGroups: 'SecurityGroups',
  tags: 'Tags',
  resourceGroups: 'ResourceGroups',
  clientTokens: 'ClientTokens',
  faults: 'Faults',
};

export function registerReset(program: Command): void {
  addAccountOption(addStoreOptions(program.command('reset')))
    .description(
      'remove every resource of an account (default: the root account), or of all accounts (--all), in one transaction; accounts and keys stay (works while a server runs)',
    )
    .option('--all', 'every account')
    .action(async (opts: StoreOptions & AccountOption & { all?: boolean }) => {
      if (opts.all && opts.account !== undefined) throw new Error('--all and --account exclude each other');
      if (opts.all) {
        const store = await openStore(storeTarget(opts), storeOpenOptions());
        try {
          await migrateToLatest(store);
          const counts = await inTransaction(store, (tx) => resetAllAccounts(tx));
          const wire = Object.fromEntries(Object.entries(counts).map(([k, v]) => [WIRE[k as keyof ResetCounts], v]));
          console.log(`reset every account of ${store.location}: removed ${summary(wire)}`);
        } finally {
          await store.close();
        }
        return;
      }
      await withOwnApi(opts, async (api) => {
        const body = await api.call('ResetAccount', {});
        console.log(`reset account ${api.account.name} (${api.account.id}): removed ${summary(body.Removed as Record<string, unknown>)}`);
      });
    });
}

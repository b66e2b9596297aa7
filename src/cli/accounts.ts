import type { Command } from 'commander';
import { resolve } from 'node:path';
import { systemClock } from '../lib/clock.ts';
import { cryptoRandom } from '../lib/random.ts';
import { createAccount, writeCredentialsFile } from '../services/accounts.ts';
import { migrateToLatest, openStore } from '../store/db.ts';
import { listAccounts } from '../store/repos/accounts.ts';
import { readerOf } from '../store/tx.ts';
import { addStoreOptions, storeOpenOptions, storeTarget, type StoreOptions } from './store-options.ts';

export function registerAccounts(program: Command): void {
  const accounts = program.command('accounts').description('accounts and their AccessKey pairs');
  addStoreOptions(accounts.command('create').description('create an account with its own resources and key pair'))
    .requiredOption('--name <name>', 'account name')
    .action(async (opts: StoreOptions & { name: string }) => {
      const store = await openStore(storeTarget(opts), storeOpenOptions());
      try {
        await migrateToLatest(store);
        const key = await createAccount(store, opts.name, systemClock, cryptoRandom);
        console.log(`Created account "${key.accountName}" (${key.accountId}). Its AccessKey pair, shown once:`);
        console.log(`  AccessKeyId:     ${key.accessKeyId}`);
        console.log(`  AccessKeySecret: ${key.secret}`);
        if (!opts.db && !opts.memory) console.log(`  (also saved, mode 0600, in ${writeCredentialsFile(resolve(opts.dataDir), key)})`);
      } finally {
        await store.close();
      }
    });
  addStoreOptions(accounts.command('list').description('list accounts and their AccessKey IDs')).action(async (opts: StoreOptions) => {
    const store = await openStore(storeTarget(opts), storeOpenOptions());
    try {
      await migrateToLatest(store);
      for (const row of await listAccounts(readerOf(store))) console.log(`${row.id}  ${row.name}  ${row.accessKeyId ?? '-'}`);
    } finally {
      await store.close();
    }
  });
}

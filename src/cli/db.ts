import type { Command } from 'commander';
import { migrateToLatest, migrationStatus, openStore } from '../store/db.ts';
import { registerDbTransfer } from './db-transfer.ts';
import { addStoreOptions, storeOpenOptions, storeTarget, type StoreOptions } from './store-options.ts';

export function registerDb(program: Command): void {
  const db = program.command('db').description('database schema, backups, copies between SQLite and PostgreSQL, invariant checks');
  addStoreOptions(db.command('migrate').description('apply pending migrations')).action(async (opts: StoreOptions) => {
    const store = await openStore(storeTarget(opts), storeOpenOptions());
    try {
      const result = await migrateToLatest(store);
      const applied = result.results?.filter((r) => r.status === 'Success').map((r) => r.migrationName) ?? [];
      console.log(applied.length ? `applied: ${applied.join(', ')}` : 'up to date');
    } finally {
      await store.close();
    }
  });
  addStoreOptions(db.command('status').description('list migrations and whether they ran')).action(async (opts: StoreOptions) => {
    const store = await openStore(storeTarget(opts), storeOpenOptions());
    try {
      for (const m of await migrationStatus(store))
        console.log(`${m.executedAt ? 'applied' : 'pending'}  ${m.name}${m.executedAt ? `  ${m.executedAt.toISOString()}` : ''}`);
    } finally {
      await store.close();
    }
  });
  registerDbTransfer(db);
}

import type { Kysely, Transaction } from 'kysely';
import type { Store } from './db.ts';
import type { Schema } from './schema.ts';

/**
 * Runs `fn`'s reads in one read-only transaction that sees the whole database at one instant,
 * while servers keep writing: SQLite's WAL gives a deferred transaction the state of its first
 * read until it ends; PostgreSQL's REPEATABLE READ the state of its first statement. For readers
 * in another process than the server's (backup, copy, check), where store/tx.ts readConsistently
 * (which relies on the server's own connection) does not apply.
 */
export function inReadSnapshot<T>(store: Store, fn: (db: Transaction<Schema>) => Promise<T>): Promise<T> {
  const builder = store.db.transaction();
  const tx = store.dialect === 'postgres' ? builder.setIsolationLevel('repeatable read').setAccessMode('read only') : builder;
  return tx.execute(fn);
}

/** A Kysely handle to read with: the store's, or a transaction's. */
export type Reader = Kysely<Schema> | Transaction<Schema>;

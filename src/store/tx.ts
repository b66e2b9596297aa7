import { CommonErrors } from '../errors/common.ts';
import type { Store } from './db.ts';
import type { Tx } from './schema.ts';

const MAX_ATTEMPTS = 5;

/**
 * Conflicts another transaction may have caused, which a retry can resolve: SQLite busy,
 * PostgreSQL serialization failures, deadlocks, and unique violations from racing inserts
 * (two replicas picking the same random address).
 */
export function isRetryableConflict(err: unknown): boolean {
  const e = err as { code?: string };
  return e?.code === 'SQLITE_BUSY' || e?.code === '40001' || e?.code === '40P01' || e?.code === '23505' || e?.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || e?.code === 'SQLITE_CONSTRAINT_UNIQUE';
}

/**
 * Runs `fn` in one transaction, retrying a bounded number of times on conflicts. What still
 * conflicts after that is answered with the cloud's conflict code, never a 500.
 */
export async function inTransaction<T>(store: Store, fn: (tx: Tx) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await store.db.transaction().execute((trx) => fn({ db: trx, dialect: store.dialect }));
    } catch (err) {
      if (!isRetryableConflict(err)) throw err;
      if (attempt >= MAX_ATTEMPTS) throw CommonErrors.operationConflict();
      await new Promise((r) => setTimeout(r, Math.random() * 5 * attempt));
    }
  }
}

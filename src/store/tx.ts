import { CommonErrors } from '../errors/common.ts';
import type { Store } from './db.ts';
import type { Tx } from './schema.ts';

const MAX_ATTEMPTS = 5;

const RETRYABLE_CODES = new Set(['40001', '40P01', '23505', 'SQLITE_CONSTRAINT_PRIMARYKEY', 'SQLITE_CONSTRAINT_UNIQUE']);

/**
 * Conflicts another transaction may have caused, which a retry can resolve: SQLite busy (any of
 * its variants, e.g. SQLITE_BUSY_SNAPSHOT when a CLI process writes while the server does) and
 * locked, PostgreSQL serialization failures, deadlocks, and unique violations from racing inserts
 * (two replicas picking the same random address, ID or MAC, or the same ClientToken).
 */
export function isRetryableConflict(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return false;
  return RETRYABLE_CODES.has(code) || code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED');
}

/**
 * Runs `fn` in one transaction, retrying a bounded number of times on conflicts. What still
 * conflicts after that is answered with a conflict code, never a 500: OperationConflict here, which
 * dispatch turns into the code of the action's product (Operation.Conflict 403 for ECS actions).
 *
 * Isolation: PostgreSQL's default, READ COMMITTED, on purpose. Every invariant that spans rows is
 * guarded by a lock taken before its check (the vSwitch row for its addresses, the instance row
 * for its ENI count, the ENI row for its state and addresses, the security group rows for their
 * address count, a quota advisory lock for per-region counts: store/repos/common.ts lockQuota),
 * and READ COMMITTED gives each statement after the lock a fresh snapshot, so the check sees
 * every transaction that held the lock before. SERIALIZABLE would answer the same races with
 * serialization failures, retried blind, which under many clients on one vSwitch exhaust the
 * retries. Unique keys back what must never repeat: (vSwitch, address), MAC, IDs, ClientToken,
 * signature nonce, account name. SQLite: one process (data-dir lock file), and Kysely runs its
 * transactions on the single connection one at a time, so they are serial.
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

import type { Kysely, Transaction } from 'kysely';
import { StoreError, type Store, type TransactionObserver } from './db.ts';
import type { Schema, Tx } from './schema.ts';

const MAX_ATTEMPTS = 5;

const RETRYABLE_CODES = new Set(['40001', '40P01', '23505', 'SQLITE_CONSTRAINT_PRIMARYKEY', 'SQLITE_CONSTRAINT_UNIQUE']);

/**
 * A transaction still conflicted after inTransaction's retries. The store knows no API: the caller
 * answers it in its own terms (api/invoke.ts: the conflict code of the action's product).
 */
export class StoreConflictError extends StoreError {
  constructor(
    readonly attempts: number,
    /** The driver's error of the last attempt. */
    readonly lastConflict: unknown,
  ) {
    super(`the transaction still conflicted after ${attempts} attempts: ${String((lastConflict as Error | null)?.message ?? lastConflict)}`);
  }
}

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

/** SQLite runs every statement on its one connection, and Kysely its transactions one at a time on it. */
function runsTransactionsSerially(store: Store): boolean {
  return store.dialect === 'sqlite';
}

function txOn(store: Store, db: Transaction<Schema> | Kysely<Schema>, serial: boolean): Tx {
  return { db, dialect: store.dialect, serial, checkQueries: store.checkQueries };
}

/**
 * Runs `fn` in one transaction, retrying a bounded number of times on conflicts. What still
 * conflicts after that is a StoreConflictError, which the caller answers with a conflict code,
 * never a 500 (api/invoke.ts: Operation.Conflict 403 for ECS actions, OperationConflict 409 else).
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
 * transactions on the single connection one at a time, so they are serial (Tx.serial).
 */
export async function inTransaction<T>(store: Store, fn: (tx: Tx) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    // Read once per attempt: without an observer the cost is this one property read.
    const observe = store.transactionObserver;
    const started = observe ? performance.now() : 0;
    try {
      const result = await inOneTransaction(store, fn);
      observe?.('write', (performance.now() - started) / 1000, 'commit');
      return result;
    } catch (err) {
      const conflict = isRetryableConflict(err);
      observe?.('write', (performance.now() - started) / 1000, conflict ? 'conflict' : 'rollback');
      if (!conflict) throw err;
      if (attempt >= MAX_ATTEMPTS) throw new StoreConflictError(attempt, err);
      await new Promise((r) => setTimeout(r, Math.random() * 5 * attempt));
    }
  }
}

/**
 * Runs `fn` in one transaction, once: a conflict reaches the caller as the driver's error (what the
 * store contract tests assert a constraint refuses). Use cases go through inTransaction.
 */
export function inOneTransaction<T>(store: Store, fn: (tx: Tx) => Promise<T>): Promise<T> {
  return store.db.transaction().execute((trx) => fn(txOn(store, trx, runsTransactionsSerially(store))));
}

/**
 * Reads that need no transaction of their own but must see one state. On SQLite they hold the one
 * connection for all their statements (Kysely's lock, taken once instead of per statement), so no
 * writer's transaction commits between them: a listing and the addresses of what it listed are
 * one state. On PostgreSQL each statement reads committed data from the pool.
 */
export function readConsistently<T>(store: Store, fn: (tx: Tx) => Promise<T>): Promise<T> {
  const read = runsTransactionsSerially(store)
    ? () => store.db.connection().execute((db) => fn(txOn(store, db, true)))
    : () => fn(txOn(store, store.db, false));
  const observe = store.transactionObserver;
  if (!observe) return read();
  const started = performance.now();
  return read().then(
    (result) => {
      observe('read', (performance.now() - started) / 1000, 'commit');
      return result;
    },
    (err: unknown) => {
      observe('read', (performance.now() - started) / 1000, 'rollback');
      throw err;
    },
  );
}

const observers = new WeakMap<Store, Set<TransactionObserver>>();

/**
 * Tells `observer` of every transaction (inTransaction, one call per attempt) and consistent read
 * (readConsistently) run on `store`, until the returned function is called. Several may watch one
 * store (apps built on it in one process each keep their own metrics).
 */
export function observeTransactions(store: Store, observer: TransactionObserver): () => void {
  let set = observers.get(store);
  if (!set) observers.set(store, (set = new Set()));
  set.add(observer);
  const dispatch = (all: Set<TransactionObserver>): TransactionObserver | undefined => {
    if (all.size === 0) return undefined;
    if (all.size === 1) return [...all][0];
    return (kind, seconds, outcome) => all.forEach((o) => o(kind, seconds, outcome));
  };
  store.transactionObserver = dispatch(set);
  return () => {
    set.delete(observer);
    store.transactionObserver = dispatch(set);
  };
}

/**
 * Plain statements on the store's handle, outside any transaction: for single reads (and writes
 * that stand alone) where one state across statements does not matter.
 */
export function readerOf(store: Store): Tx {
  return txOn(store, store.db, false);
}

import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { openStore } from '../../src/store/db.ts';
import { inTransaction, isRetryableConflict, StoreConflictError } from '../../src/store/tx.ts';

const store = await openStore({ kind: 'memory' });
after(() => store.close());

/** An error shaped like the drivers' (pg: SQLSTATE in `code`; better-sqlite3: the SQLite code). */
function driverError(code: string): Error {
  return Object.assign(new Error(`driver error ${code}`), { code });
}

// What the API answers for a lasting conflict (OperationConflict 409, Operation.Conflict 403 for ECS) is invoke's: test/api/invoke.test.ts.
test('inTransaction: a conflict that lasts is a StoreConflictError after 5 attempts, carrying the last driver error', async () => {
  let attempts = 0;
  const last = driverError('40P01');
  const err = await inTransaction(store, async () => {
    attempts++;
    throw last;
  }).catch((e: unknown) => e);
  assert.ok(err instanceof StoreConflictError, `expected a StoreConflictError, got ${String(err)}`);
  assert.equal(err.attempts, 5);
  assert.equal(err.lastConflict, last);
  assert.equal(attempts, 5);
});

test('inTransaction: a conflict that clears is retried and the call succeeds', async () => {
  let attempts = 0;
  const value = await inTransaction(store, async () => {
    if (++attempts < 3) throw driverError('23505');
    return 'done';
  });
  assert.equal(value, 'done');
  assert.equal(attempts, 3);
});

test('inTransaction: other errors are not retried', async () => {
  let attempts = 0;
  await assert.rejects(
    inTransaction(store, async () => {
      attempts++;
      throw driverError('42P01');
    }),
    /42P01/,
  );
  assert.equal(attempts, 1);
});

test('isRetryableConflict: serialization failures, deadlocks, unique violations and every SQLite busy or locked variant', () => {
  for (const code of [
    '40001',
    '40P01',
    '23505',
    'SQLITE_BUSY',
    'SQLITE_BUSY_SNAPSHOT',
    'SQLITE_LOCKED',
    'SQLITE_CONSTRAINT_UNIQUE',
    'SQLITE_CONSTRAINT_PRIMARYKEY',
  ]) {
    assert.ok(isRetryableConflict(driverError(code)), code);
  }
  for (const value of [driverError('23503'), driverError('SQLITE_CONSTRAINT_FOREIGNKEY'), new Error('plain'), undefined, null, { code: 40001 }]) {
    assert.ok(!isRetryableConflict(value), String((value as { code?: unknown } | null)?.code ?? value));
  }
});

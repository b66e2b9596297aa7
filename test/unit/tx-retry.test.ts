import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { ApiError } from '../../src/errors/api-error.ts';
import { openStore } from '../../src/store/db.ts';
import { inTransaction, isRetryableConflict } from '../../src/store/tx.ts';

const store = await openStore({ kind: 'memory' });
after(() => store.close());

/** An error shaped like the drivers' (pg: SQLSTATE in `code`; better-sqlite3: the SQLite code). */
function driverError(code: string): Error {
  return Object.assign(new Error(`driver error ${code}`), { code });
}

test('inTransaction: a conflict that lasts answers OperationConflict (409) after 5 attempts, never a 500', async () => {
  let attempts = 0;
  const err = await inTransaction(store, async () => {
    attempts++;
    throw driverError('40P01');
  }).catch((e: unknown) => e);
  assert.ok(err instanceof ApiError, `expected an ApiError, got ${String(err)}`);
  assert.equal(err.code, 'OperationConflict');
  assert.equal(err.httpStatus, 409);
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

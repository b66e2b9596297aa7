import assert from 'node:assert/strict';
import { test } from 'node:test';
import { migrateToLatest, openStore } from '../../src/store/db.ts';
import { nonceRecorder, pruneNonces } from '../../src/store/repos/nonces.ts';

test('nonces: a nonce is accepted once, whether its replay arrives in the same batch or a later one; keys are separate', async () => {
  const store = await openStore({ kind: 'memory' });
  try {
    await migrateToLatest(store);
    const nonces = nonceRecorder(store.db);
    // Same event-loop turn: one batch.
    const sameBatch = await Promise.all([nonces.record('k1', 'n1', 1000), nonces.record('k1', 'n1', 1000), nonces.record('k2', 'n1', 1000)]);
    assert.deepEqual(sameBatch, [true, false, true]);
    // A later batch.
    assert.equal(await nonces.record('k1', 'n1', 1000), false);
    assert.equal(await nonces.record('k1', 'n2', 1000), true);
    // Once expired and pruned, the database forgets it.
    assert.equal(await pruneNonces(store.db, 2000), 3);
    assert.equal(await nonces.record('k1', 'n1', 3000), true);
  } finally {
    await store.close();
  }
});

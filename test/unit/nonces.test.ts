import assert from 'node:assert/strict';
import { test } from 'node:test';
import { migrateToLatest, openStore, type Store } from '../../src/store/db.ts';
import { sharedNonceGuard, singleProcessNonceGuard, type NonceGuard } from '../../src/store/repos/nonces.ts';

async function withStore(fn: (store: Store) => Promise<void>): Promise<void> {
  const store = await openStore({ kind: 'memory' });
  try {
    await migrateToLatest(store);
    await fn(store);
  } finally {
    await store.close();
  }
}

/** The contract both guards keep: once per key, replays refused in the same batch or a later one, forgotten once expired and pruned. */
async function checkOncePerKey(nonces: NonceGuard): Promise<void> {
  // Same event-loop turn: one batch.
  const sameBatch = await Promise.all([nonces.record('k1', 'n1', 1000), nonces.record('k1', 'n1', 1000), nonces.record('k2', 'n1', 1000)]);
  assert.deepEqual(sameBatch, [true, false, true]);
  // A later batch.
  assert.equal(await nonces.record('k1', 'n1', 1000), false);
  assert.equal(await nonces.record('k1', 'n2', 1000), true);
  await nonces.prune(2000);
  assert.equal(await nonces.record('k1', 'n1', 3000), true);
}

test('nonces (replicas): a nonce is accepted once, whether its replay arrives in the same batch or a later one; keys are separate', async () => {
  await withStore(async (store) => {
    await checkOncePerKey(sharedNonceGuard(store.db));
    // The table is the judge: a second guard (another replica) on the same database refuses it too.
    assert.equal(await sharedNonceGuard(store.db).record('k1', 'n1', 3000), false);
  });
});

test('nonces (single process): the same contract, and a restarted process still refuses what the previous one accepted', async () => {
  await withStore(async (store) => {
    await checkOncePerKey(await singleProcessNonceGuard(store, 0));
    // A new guard stands for the next process on the same file: it loads the unexpired nonces.
    const restarted = await singleProcessNonceGuard(store, 2500);
    assert.equal(await restarted.record('k1', 'n1', 4000), false, 'accepted before the restart, unexpired');
    assert.equal(await restarted.record('k1', 'n2', 4000), true, 'expired before the restart: usable again');
    const rows = await store.db.selectFrom('signature_nonce_log').select('nonce').execute();
    assert.ok(rows.length >= 2, 'every spent nonce is in the log');
  });
});

test("nonces (single process): a nonce spent while another request's transaction is open is not written inside it", async () => {
  await withStore(async (store) => {
    const nonces = await singleProcessNonceGuard(store, 0);
    let recorded: Promise<boolean> | undefined;
    await assert.rejects(
      store.db.transaction().execute(async (trx) => {
        await trx.insertInto('signature_nonces').values({ access_key_id: 'k0', nonce: 'rolled-back', expires_at: 1000 }).execute();
        recorded = nonces.record('k1', 'n1', 1000);
        // Several event-loop turns with the transaction open: the log's batch is due in the first.
        for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
        throw new Error('roll back');
      }),
      /roll back/,
    );
    assert.equal(await recorded, true);
    const log = await store.db.selectFrom('signature_nonce_log').select(['access_key_id', 'nonce']).execute();
    assert.deepEqual(log, [{ access_key_id: 'k1', nonce: 'n1' }], "the nonce survived the other transaction's rollback");
    const other = await store.db.selectFrom('signature_nonces').select('nonce').execute();
    assert.deepEqual(other, [], 'the transaction did roll back');
  });
});

test('nonces (single process): batches of any size are written whole, one row per nonce', async () => {
  await withStore(async (store) => {
    const nonces = await singleProcessNonceGuard(store, 0);
    for (const size of [1, 2, 7, 300]) {
      const results = await Promise.all(Array.from({ length: size }, (_, i) => nonces.record('k', `size${size}-${i}`, 1000 + i)));
      assert.ok(results.every((r) => r));
    }
    const rows = await store.db.selectFrom('signature_nonce_log').select(['nonce', 'expires_at']).execute();
    assert.equal(rows.length, 1 + 2 + 7 + 300);
    assert.deepEqual(
      rows.find((r) => r.nonce === 'size300-299'),
      { nonce: 'size300-299', expires_at: 1299 },
    );
  });
});

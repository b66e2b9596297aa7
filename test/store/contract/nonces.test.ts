import assert from 'node:assert/strict';
import { test } from 'node:test';
import { nonceGuardFor, sharedNonceGuard } from '../../../src/store/repos/nonces.ts';
import { forEachBackend } from './backends.ts';

forEachBackend('store contract: signature nonces', ({ store, read }) => {
  const spentRows = async (table: 'signature_nonces' | 'signature_nonce_log', accessKeyId: string) =>
    (await read().db.selectFrom(table).select(['nonce', 'expires_at']).where('access_key_id', '=', accessKeyId).orderBy('nonce').execute()).map((r) => [
      r.nonce,
      Number(r.expires_at),
    ]);

  test("the store's guard spends a nonce once per AccessKeyId: a replay is refused, in the same batch or later", async () => {
    const guard = await nonceGuardFor(store(), 0);
    const [first, sameBatch, otherKey] = await Promise.all([
      guard.record('AK1', 'n-1', 1000),
      guard.record('AK1', 'n-1', 1000),
      guard.record('AK2', 'n-1', 1000),
    ]);
    assert.deepEqual([first, sameBatch, otherKey], [true, false, true]);
    assert.equal(await guard.record('AK1', 'n-1', 1000), false);
    assert.equal(await guard.record('AK1', 'n-2', 1000), true);
  });

  test('a spent nonce is stored before the call resolves, so a guard started afterwards (a restart, another replica) refuses it', async () => {
    const guard = await nonceGuardFor(store(), 0);
    assert.equal(await guard.record('AK3', 'n-kept', 2000), true);
    const table = store().dialect === 'sqlite' ? 'signature_nonce_log' : 'signature_nonces';
    assert.deepEqual(await spentRows(table, 'AK3'), [['n-kept', 2000]]);
    const restarted = await nonceGuardFor(store(), 0);
    assert.equal(await restarted.record('AK3', 'n-kept', 2000), false);
  });

  test('pruning forgets nonces that expired before now, and only those', async () => {
    const guard = await nonceGuardFor(store(), 0);
    assert.equal(await guard.record('AK4', 'n-old', 100), true);
    assert.equal(await guard.record('AK4', 'n-new', 300), true);
    await guard.prune(200);
    const table = store().dialect === 'sqlite' ? 'signature_nonce_log' : 'signature_nonces';
    assert.deepEqual(await spentRows(table, 'AK4'), [['n-new', 300]]);
    // Once forgotten, the expired nonce may be spent again; the unexpired one may not.
    assert.equal(await guard.record('AK4', 'n-new', 300), false);
    assert.equal(await guard.record('AK4', 'n-old', 400), true);
    // A guard started after the prune loads only what is left.
    const restarted = await nonceGuardFor(store(), 200);
    assert.equal(await restarted.record('AK4', 'n-new', 300), false);
  });

  test('the replicas guard on this backend: the primary key of signature_nonces decides every replay', async () => {
    const a = sharedNonceGuard(store().db);
    const b = sharedNonceGuard(store().db);
    const [one, two] = await Promise.all([a.record('AK5', 'n-race', 1000), b.record('AK5', 'n-race', 1000)]);
    assert.deepEqual([one, two].sort(), [false, true]);
    assert.deepEqual(await spentRows('signature_nonces', 'AK5'), [['n-race', 1000]]);
    await a.prune(1001);
    assert.deepEqual(await spentRows('signature_nonces', 'AK5'), []);
    assert.equal(await b.record('AK5', 'n-race', 2000), true);
  });

  test('the database refuses the same nonce twice for one AccessKeyId', async () => {
    await store().db.insertInto('signature_nonces').values({ access_key_id: 'AK6', nonce: 'n', expires_at: 1 }).execute();
    await assert.rejects(() => store().db.insertInto('signature_nonces').values({ access_key_id: 'AK6', nonce: 'n', expires_at: 2 }).execute());
  });
});

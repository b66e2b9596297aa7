import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { pruneThrottleCounters, sharedThrottleCounter, throttleCounterFor } from '../../../src/store/repos/throttle.ts';
import { ACCOUNT_ID, OTHER_ACCOUNT_ID, REGION_ID, forEachBackend } from './backends.ts';

forEachBackend('store contract: throttle counters', ({ store, read }) => {
  const window = { start: 60_000, end: 120_000 };
  const call = { accountId: ACCOUNT_ID, regionId: REGION_ID, api: 'Ecs:CreateNetworkInterface', window };

  test('the shared counter: one row per account, region, API and window, counting up from 1 in one statement per call', async () => {
    const counter = sharedThrottleCounter(store());
    assert.equal(await counter.count(call, 60_001), 1);
    assert.equal(await counter.count(call, 60_002), 2);
    assert.equal(await counter.count({ ...call, accountId: OTHER_ACCOUNT_ID }, 60_003), 1);
    assert.equal(await counter.count({ ...call, regionId: 'cn-beijing' }, 60_003), 1);
    assert.equal(await counter.count({ ...call, api: 'Vpc:CreateVpc' }, 60_003), 1);
    // A window of another size starting at the same instant is another counter.
    assert.equal(await counter.count({ ...call, window: { start: 60_000, end: 61_000 } }, 60_004), 1);
    assert.equal(await counter.count({ ...call, window: { start: 120_000, end: 180_000 } }, 120_000), 1);
    const rows = await read().db.selectFrom('throttle_counters').select(['account_id', 'api', 'count']).where('window_end', '=', 120_000).execute();
    assert.equal(rows.find((r) => r.account_id === ACCOUNT_ID && r.api === 'Ecs:CreateNetworkInterface' && Number(r.count) === 2) !== undefined, true);
  });

  test('concurrent calls through two counters (two replicas) are all counted: the row decides, no count is lost or repeated', async () => {
    const a = sharedThrottleCounter(store());
    const b = sharedThrottleCounter(store());
    const shared = { ...call, api: 'Ecs:DescribeNetworkInterfaces' };
    const counts = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? a : b).count(shared, 60_010)));
    assert.deepEqual(
      counts.sort((x, y) => x - y),
      Array.from({ length: 40 }, (_, i) => i + 1),
    );
  });

  test('on PostgreSQL the table is UNLOGGED: counters need no WAL, and their commits wait for no flush', async () => {
    if (store().dialect !== 'postgres') return;
    const r = await sql<{ relpersistence: string }>`select relpersistence from pg_class where relname = 'throttle_counters'`.execute(store().db);
    assert.equal(r.rows[0]?.relpersistence, 'u');
  });

  test('pruning removes the windows that ended, and only those', async () => {
    await pruneThrottleCounters(store().db, 120_001);
    const left = await read().db.selectFrom('throttle_counters').select(['window_end']).execute();
    assert.ok(left.length > 0);
    assert.ok(left.every((r) => Number(r.window_end) >= 120_001));
  });

  test("the server's counter for this backend: memory for one SQLite process, the table for PostgreSQL", async () => {
    const counter = throttleCounterFor(store());
    const fresh = { ...call, api: 'Vpc:DescribeVpcs', window: { start: 180_000, end: 240_000 } };
    assert.equal(await counter.count(fresh, 180_000), 1);
    assert.equal(await counter.count(fresh, 180_001), 2);
    const rows = await read().db.selectFrom('throttle_counters').select('count').where('api', '=', 'Vpc:DescribeVpcs').execute();
    assert.deepEqual(
      rows.map((r) => Number(r.count)),
      store().dialect === 'sqlite' ? [] : [2],
    );
  });
});

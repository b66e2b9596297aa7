import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { openStore, type Store } from '../../src/store/db.ts';
import { present, queryTemplate, SHAPES_PER_TEMPLATE } from '../../src/store/query-template.ts';
import type { Tx } from '../../src/store/schema.ts';
import { readerOf } from '../../src/store/tx.ts';

/** A store with a small table, opened with the query check on or off (openStore's checkQueries). */
async function withTable(checkQueries: boolean, fn: (tx: Tx, store: Store) => Promise<void>): Promise<void> {
  const store = await openStore({ kind: 'memory' }, { checkQueries });
  try {
    await sql`create table t (k integer primary key, name text, zone text)`.execute(store.db);
    await sql`insert into t values (1, 'a', 'z1'), (2, 'b', 'z1'), (3, 'c', 'z2'), (4, null, 'z2')`.execute(store.db);
    await fn(readerOf(store), store);
  } finally {
    await store.close();
  }
}

type Row = { k: number; name: string | null; zone: string };
const table = (tx: Tx) => (tx.db as unknown as Kysely<{ t: Row }>).selectFrom('t').selectAll();

for (const checkQueries of [false, true]) {
  test(`query template: built once per shape, then run with each call's values, lists and nulls included (checkQueries ${checkQueries})`, async () => {
    await withTable(checkQueries, async (tx) => {
      let builds = 0;
      const byKeys = queryTemplate(
        (v: { keys: number[]; zone?: string }) => `${present(v.keys)}${present(v.zone)}`,
        (t, v) => {
          builds++;
          let q = table(t).where('k', 'in', v.keys);
          if (v.zone !== undefined) q = q.where('zone', '=', v.zone);
          return q.orderBy('k');
        },
      );
      const keys = async (v: { keys: number[]; zone?: string }) => (await byKeys(tx, v)).map((r) => r.k);
      const checking = checkQueries ? 1 : 0; // the check builds each call once more
      assert.deepEqual(await keys({ keys: [1, 3] }), [1, 3]);
      assert.deepEqual(await keys({ keys: [2, 4] }), [2, 4]);
      assert.equal(builds, 1 + 2 * checking, 'one shape, built once');
      assert.deepEqual(await keys({ keys: [1, 2, 3] }), [1, 2, 3]);
      assert.deepEqual(await keys({ keys: [1, 2, 3], zone: 'z2' }), [3]);
      assert.deepEqual(await keys({ keys: [1, 2, 4], zone: 'z2' }), [4]);
      assert.equal(builds, 3 + 5 * checking, 'three shapes: two lengths, and a zone');

      const byName = queryTemplate(
        () => '',
        (t, v: { name: string | null }) => table(t).where('name', 'is not distinct from', v.name),
      );
      assert.deepEqual(
        (await byName(tx, { name: null })).map((r) => r.k),
        [4],
        'null is a value like any other',
      );
      assert.deepEqual(
        (await byName(tx, { name: 'b' })).map((r) => r.k),
        [2],
      );
    });
  });
}

test("query template: the values' own booleans steer the build and are part of the shape", async () => {
  await withTable(true, async (tx) => {
    const zoneOrAll = queryTemplate(
      () => '',
      (t, v: { zone: string; all: boolean }) => (v.all ? table(t) : table(t).where('zone', '=', v.zone)).orderBy('k'),
    );
    assert.equal((await zoneOrAll(tx, { zone: 'z1', all: false })).length, 2);
    assert.equal((await zoneOrAll(tx, { zone: 'z1', all: true })).length, 4);
    assert.equal((await zoneOrAll(tx, { zone: 'z2', all: false })).length, 2);
  });
});

for (const checkQueries of [false, true]) {
  test(`query template: shapes are bounded, the oldest built again when it returns (checkQueries ${checkQueries})`, async () => {
    await withTable(checkQueries, async (tx) => {
      let builds = 0;
      const byKeys = queryTemplate(
        (v: { keys: number[] }) => present(v.keys),
        (t, v) => {
          builds++;
          return table(t).where('k', 'in', v.keys);
        },
      );
      const checking = checkQueries ? 2 : 1;
      for (let n = 1; n <= SHAPES_PER_TEMPLATE + 1; n++) await byKeys(tx, { keys: Array.from({ length: n }, (_, i) => i) });
      assert.equal(builds, (SHAPES_PER_TEMPLATE + 1) * checking);
      await byKeys(tx, { keys: [0, 1] }); // still kept
      assert.equal(builds, (SHAPES_PER_TEMPLATE + 1) * checking + checking - 1);
      await byKeys(tx, { keys: [0] }); // the oldest: evicted, built again
      assert.equal(builds, (SHAPES_PER_TEMPLATE + 1) * checking + 2 * checking - 1);
    });
  });
}

test('query template: a build that branches on a value outside its shape is caught on a store opened with checkQueries', async () => {
  // `zone` is a stand-in during the first build: the branch is baked in.
  const wrongly = () =>
    queryTemplate(
      () => '',
      (t, v: { zone: string }) => (v.zone === '' ? table(t) : table(t).where('zone', '=', v.zone)),
    );
  await withTable(true, async (tx) => {
    const wrong = wrongly();
    assert.equal((await wrong(tx, { zone: 'z1' })).length, 2);
    await assert.rejects(wrong(tx, { zone: '' }), /query template out of step with its shape/);
  });
  await withTable(false, async (tx) => {
    const wrong = wrongly();
    assert.equal((await wrong(tx, { zone: 'z1' })).length, 2);
    assert.equal((await wrong(tx, { zone: '' })).length, 0, 'unchecked, the baked-in branch filters on the empty zone: the check is what finds it');
  });
});

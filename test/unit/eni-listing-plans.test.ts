import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Kysely, SqliteDialect } from 'kysely';
import { migrateToLatest, openStore } from '../../src/store/db.ts';
import { countEnis, listEnis, privateIpsOf, type EniQuery } from '../../src/store/repos/enis.ts';
import { firstFreeFrom } from '../../src/store/repos/ipam.ts';
import { listVSwitches } from '../../src/store/repos/vswitches.ts';
import type { Schema, Tx } from '../../src/store/schema.ts';

/**
 * SQLite has no statistics here, so its plan choice follows the query's shape: these check that
 * DescribeNetworkInterfaces' listings use the index that finds the fewest rows and needs no sort
 * (BENCHMARKS.md: by instance, the owner's index read every ENI of the account's region).
 */
async function plansOf(run: (tx: Tx) => Promise<unknown>): Promise<string[]> {
  const store = await openStore({ kind: 'memory' });
  try {
    await migrateToLatest(store);
    const statements: { sql: string; parameters: readonly unknown[] }[] = [];
    const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: store.sqlite! }), log: (e) => void statements.push(e.query) });
    // Query templates checked against Kysely's own build, as on every store the tests open.
    await run({ db, dialect: 'sqlite', serial: true, checkQueries: true });
    return statements.map((s) =>
      (store.sqlite!.prepare(`explain query plan ${s.sql}`) as unknown as { all(p: readonly unknown[]): { detail: string }[] })
        .all(s.parameters)
        .map((r) => r.detail)
        .join(' | '),
    );
  } finally {
    await store.close();
  }
}

const owner = { accountId: '1', regionId: 'cn-hangzhou' };

for (const [name, q, index] of [
  ['by instance', { ...owner, instanceId: 'i-1' }, 'enis_instance'],
  ['by vSwitch', { ...owner, vswitchId: 'vsw-1' }, 'enis_vswitch'],
  ['by owner only', owner, 'enis_owner'],
] as [string, EniQuery, string][]) {
  test(`ENI listing plans: ${name} reads ${index}, without a sort`, async () => {
    const [list, count] = await plansOf(async (tx) => {
      await listEnis(tx, q, 0, { limit: 101 });
      await countEnis(tx, q, 0);
    });
    assert.match(list!, new RegExp(`USING INDEX ${index} `));
    assert.doesNotMatch(list!, /TEMP B-TREE/);
    assert.match(count!, new RegExp(`INDEX ${index} `));
  });
}

test('ENI listing plans: the addresses of a page come from one covering index, in order', async () => {
  const [ips] = await plansOf((tx) => privateIpsOf(tx, ['eni-1', 'eni-2']));
  assert.match(ips!, /USING COVERING INDEX private_ips_eni/);
  assert.doesNotMatch(ips!, /TEMP B-TREE/);
});

test('listing SQL: every LIMIT is a cast, so SQLite keeps the prepared statement (a bound LIMIT re-prepares it on each run)', async () => {
  const store = await openStore({ kind: 'memory' });
  try {
    await migrateToLatest(store);
    const texts: string[] = [];
    const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: store.sqlite! }), log: (e) => void texts.push(e.query.sql) });
    const tx: Tx = { db, dialect: 'sqlite', serial: true, checkQueries: true };
    await listEnis(tx, owner, 0, { limit: 11 });
    await listEnis(tx, owner, 0, { limit: 100, offset: 100 });
    await listVSwitches(tx, { accountId: '1', regionId: 'cn-hangzhou' }, 0, { offset: 0, limit: 10 });
    await firstFreeFrom(tx, 'vsw-1', 0);
    assert.ok(texts.some((t) => / limit /.test(t)));
    for (const t of texts.filter((t) => / limit /.test(t))) assert.match(t, / limit cast\(\? as integer\)/, t);
  } finally {
    await store.close();
  }
});

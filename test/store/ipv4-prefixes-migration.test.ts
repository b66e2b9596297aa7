import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Migrator } from 'kysely';
import { migrateToLatest, openStore, type StoreTarget } from '../../src/store/db.ts';
import { migrationProvider } from '../../src/store/migrations/index.ts';
import { freshPostgresDatabase } from '../helpers/server.ts';

/** 10.3.0.0 */
const BASE = 167968768;

/** Free ranges stored before migration 0014 get their first whole aligned /28, computed in SQL alike on both backends. */
async function checkUpgrade(target: StoreTarget): Promise<void> {
  const store = await openStore(target);
  try {
    const migrator = new Migrator({ db: store.db, provider: migrationProvider });
    assert.equal((await migrator.migrateTo('0012-instance-public-ip')).error, undefined);
    const spans: [number, number][] = [
      [1, 252], // 16
      [16, 31], // 16: exactly one block
      [17, 47], // 32
      [17, 46], // none
      [33, 33], // none
      [240, 255], // 240
    ];
    for (const [i, [first, last]] of spans.entries()) {
      await store.db
        .insertInto('ip_free_ranges')
        .values({ vswitch_id: `vsw-${i}`, first_int: BASE + first, last_int: BASE + last } as never)
        .execute();
    }
    await migrateToLatest(store);
    const rows = await store.db.selectFrom('ip_free_ranges').select(['vswitch_id', 'block_start']).orderBy('vswitch_id').execute();
    assert.deepEqual(
      rows.map((r) => (r.block_start === null ? null : Number(r.block_start) - BASE)),
      [16, 16, 32, null, null, 240],
    );
  } finally {
    await store.close();
  }
}

test('migration 0014 (SQLite): existing free ranges get their first whole aligned /28', async () => {
  await checkUpgrade({ kind: 'memory' });
});

test(
  'migration 0014 (PostgreSQL): existing free ranges get their first whole aligned /28',
  { skip: !process.env.ENIPLANE_TEST_PG && 'runs in the PostgreSQL pass (ENIPLANE_TEST_PG)' },
  async () => {
    const db = await freshPostgresDatabase();
    try {
      await checkUpgrade({ kind: 'postgres', url: db.url });
    } finally {
      await db.drop();
    }
  },
);

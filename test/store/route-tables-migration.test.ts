import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Migrator } from 'kysely';
import { migrateToLatest, openStore, type Store, type StoreTarget } from '../../src/store/db.ts';
import { migrationProvider } from '../../src/store/migrations/index.ts';
import { freshPostgresDatabase } from '../helpers/server.ts';

const base = { region_id: 'cn-hangzhou', name: '', description: '', status: 'Available', next_status: null, transition_at: null, is_default: 0 };

async function seedBeforeRouteTables(store: Store): Promise<void> {
  const migrator = new Migrator({ db: store.db, provider: migrationProvider });
  const r = await migrator.migrateTo('0007-eni-listing-indexes');
  assert.equal(r.error, undefined);
  await store.db.insertInto('accounts').values({ id: '1000000000000001', name: 'root', created_at: 1 }).execute();
  await store.db
    .insertInto('vpcs')
    .values({
      ...base,
      id: 'vpc-a',
      account_id: '1000000000000001',
      cidr_block: '10.0.0.0/16',
      vrouter_id: 'vrt-a',
      route_table_id: 'vtb-a',
      resource_group_id: '',
      created_at: 10,
    })
    .execute();
  const vsw = { ...base, account_id: '1000000000000001', vpc_id: 'vpc-a', zone_id: 'cn-hangzhou-i', ip_capacity: 252, ip_used: 0 };
  await store.db
    .insertInto('vswitches')
    .values({ ...vsw, id: 'vsw-1', cidr_block: '10.0.1.0/24', created_at: 20 })
    .execute();
  // Being deleted: its entry is already gone on a current server.
  await store.db
    .insertInto('vswitches')
    .values({ ...vsw, id: 'vsw-2', cidr_block: '10.0.2.0/24', status: 'Pending', next_status: 'Gone', transition_at: 99, created_at: 30 })
    .execute();
}

async function checkUpgrade(target: StoreTarget): Promise<void> {
  const store = await openStore(target);
  try {
    await seedBeforeRouteTables(store);
    await migrateToLatest(store);
    const rows = await store.db.selectFrom('route_entries').selectAll().orderBy('destination_cidr_block').execute();
    assert.deepEqual(
      rows.map((r) => [r.route_table_id, r.destination_cidr_block, r.entry_type, r.next_hop_type, r.vswitch_id, Number(r.created_at)]),
      [
        ['vtb-a', '10.0.1.0/24', 'System', 'local', 'vsw-1', 20],
        ['vtb-a', '100.64.0.0/10', 'System', 'service', '', 10],
      ],
    );
    for (const r of rows) assert.match(r.id, /^rte-bp1[a-z0-9]{17}$/);
  } finally {
    await store.close();
  }
}

test('migration 0009 (SQLite): existing VPCs get their system route table entries, one per live vSwitch plus 100.64.0.0/10', async () => {
  await checkUpgrade({ kind: 'memory' });
});

test(
  'migration 0009 (PostgreSQL): existing VPCs get their system route table entries',
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

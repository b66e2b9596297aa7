import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Migrator } from 'kysely';
import { parseIpv4Cidr, vswitchReserved, type Ipv4Net } from '../../src/domain/cidr.ts';
import { migrateToLatest, openStore, type Store } from '../../src/store/db.ts';
import { migrationProvider } from '../../src/store/migrations/index.ts';
import { freshPostgresDatabase } from '../helpers/server.ts';

const CIDRS = ['10.0.1.0/24', '172.16.0.0/12', '192.168.3.128/29'];

/** A store at 0001 holding vSwitches made before address management existed. */
async function seedBeforeIpam(store: Store): Promise<void> {
  const migrator = new Migrator({ db: store.db, provider: migrationProvider });
  const { error } = await migrator.migrateTo('0001-foundation');
  if (error) throw error;
  const db = store.db;
  await db.insertInto('accounts').values({ id: '1234567890123456', name: 'root', created_at: 1 }).execute();
  await db
    .insertInto('vpcs')
    .values({
      id: 'vpc-old',
      account_id: '1234567890123456',
      region_id: 'cn-hangzhou',
      cidr_block: '10.0.0.0/8',
      name: '',
      description: '',
      status: 'Available',
      next_status: null,
      transition_at: null,
      is_default: 0,
      vrouter_id: 'vrt-old',
      route_table_id: 'vtb-old',
      resource_group_id: '',
      created_at: 2,
    })
    .execute();
  for (const [i, cidr] of CIDRS.entries()) {
    await db
      .insertInto('vswitches')
      .values({
        id: `vsw-old${i}`,
        account_id: '1234567890123456',
        region_id: 'cn-hangzhou',
        vpc_id: 'vpc-old',
        zone_id: 'cn-hangzhou-h',
        cidr_block: cidr,
        name: '',
        description: '',
        status: 'Available',
        next_status: null,
        transition_at: null,
        is_default: 0,
        ip_capacity: 0,
        ip_used: 0,
        created_at: 3,
      })
      .execute();
  }
}

/** Migration 0002's frozen arithmetic gives each old vSwitch the free range today's domain/cidr.ts reserves. */
async function checkUpgrade(store: Store): Promise<void> {
  await seedBeforeIpam(store);
  await migrateToLatest(store);
  const ranges = await store.db.selectFrom('ip_free_ranges').selectAll().orderBy('vswitch_id').execute();
  assert.deepEqual(
    ranges.map((r) => [r.vswitch_id, Number(r.first_int), Number(r.last_int)]),
    CIDRS.map((cidr, i) => {
      const reserved = vswitchReserved(parseIpv4Cidr(cidr) as Ipv4Net);
      return [`vsw-old${i}`, reserved.firstUsable, reserved.lastUsable];
    }),
  );
}

test('migration 0002: vSwitches made before it get their whole usable range free (SQLite)', async () => {
  const store = await openStore({ kind: 'memory' });
  try {
    await checkUpgrade(store);
  } finally {
    await store.close();
  }
});

test(
  'migration 0002: vSwitches made before it get their whole usable range free (PostgreSQL)',
  { skip: !process.env.ENIPLANE_TEST_PG && 'runs in the PostgreSQL pass (ENIPLANE_TEST_PG)' },
  async () => {
    const database = await freshPostgresDatabase();
    const store = await openStore({ kind: 'postgres', url: database.url });
    try {
      await checkUpgrade(store);
    } finally {
      await store.close();
      await database.drop();
    }
  },
);

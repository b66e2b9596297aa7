import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Migrator } from 'kysely';
import { defaultResourceGroupId } from '../../src/domain/resource-groups.ts';
import { migrateToLatest, openStore, type Store } from '../../src/store/db.ts';
import { migrationProvider } from '../../src/store/migrations/index.ts';
import { freshPostgresDatabase } from '../helpers/server.ts';

/** A store at the last migration before resource groups, with an account and resources made then. */
async function seedBeforeGroups(store: Store): Promise<void> {
  const migrator = new Migrator({ db: store.db, provider: migrationProvider });
  const { error } = await migrator.migrateTo('0007-eni-listing-indexes');
  if (error) throw error;
  const db = store.db;
  await db.insertInto('accounts').values({ id: '1234567890123456', name: 'root', created_at: 1 }).execute();
  await db
    .insertInto('vpcs')
    .values({
      id: 'vpc-old',
      account_id: '1234567890123456',
      region_id: 'cn-hangzhou',
      cidr_block: '10.0.0.0/16',
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
}

async function checkUpgrade(store: Store): Promise<void> {
  await seedBeforeGroups(store);
  await migrateToLatest(store);
  const group = defaultResourceGroupId('1234567890123456');
  const groups = await store.db.selectFrom('resource_groups').selectAll().execute();
  assert.deepEqual(
    groups.map((g) => [g.id, g.account_id, g.name, Number(g.is_default)]),
    [[group, '1234567890123456', 'default', 1]],
  );
  const vpc = await store.db.selectFrom('vpcs').select('resource_group_id').where('id', '=', 'vpc-old').executeTakeFirstOrThrow();
  assert.equal(vpc.resource_group_id, group);
}

test('migration 0010: an existing account gets its default resource group and its resources join it (SQLite)', async () => {
  const store = await openStore({ kind: 'memory' });
  try {
    await checkUpgrade(store);
  } finally {
    await store.close();
  }
});

test(
  'migration 0010: an existing account gets its default resource group and its resources join it (PostgreSQL)',
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

test("defaultResourceGroupId: the cloud's shape, stable per account, different across accounts", () => {
  assert.match(defaultResourceGroupId('1234567890123456'), /^rg-acfm[a-z0-9]{11}$/);
  assert.equal(defaultResourceGroupId('1234567890123456'), defaultResourceGroupId('1234567890123456'));
  assert.notEqual(defaultResourceGroupId('1234567890123456'), defaultResourceGroupId('1234567890123457'));
});

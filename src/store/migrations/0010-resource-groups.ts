import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';

/**
 * Resource groups: one table of groups per account, each account's default group (also for
 * accounts that existed before this migration), and a resource_group_id on instances and EIPs
 * (VPCs, security groups and ENIs had the column already, always ''). Every resource that had no
 * group now belongs to its account's default group, which is what the cloud reports for them.
 */

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('resource_groups')
    .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('account_id', 'varchar(32)', (c) => c.notNull())
    .addColumn('name', 'varchar(64)', (c) => c.notNull())
    .addColumn('display_name', 'varchar(64)', (c) => c.notNull())
    .addColumn('is_default', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('resource_groups_account_name').on('resource_groups').columns(['account_id', 'name']).unique().execute();

  await db.schema
    .alterTable('instances')
    .addColumn('resource_group_id', 'varchar(32)', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema
    .alterTable('eips')
    .addColumn('resource_group_id', 'varchar(32)', (c) => c.notNull().defaultTo(''))
    .execute();

  const accounts = (await db.selectFrom('accounts').select(['id', 'created_at']).execute()) as { id: string; created_at: number | string }[];
  for (const account of accounts) {
    const groupId = defaultResourceGroupId(account.id);
    await db
      .insertInto('resource_groups')
      .values({
        id: groupId,
        account_id: account.id,
        name: DEFAULT_RESOURCE_GROUP_NAME,
        display_name: DEFAULT_RESOURCE_GROUP_DISPLAY_NAME,
        is_default: 1,
        created_at: Number(account.created_at),
      })
      .execute();
    for (const table of ['vpcs', 'security_groups', 'network_interfaces', 'instances', 'eips']) {
      await db.updateTable(table).set({ resource_group_id: groupId }).where('account_id', '=', account.id).where('resource_group_id', '=', '').execute();
    }
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('eips').dropColumn('resource_group_id').execute();
  await db.schema.alterTable('instances').dropColumn('resource_group_id').execute();
  await db.schema.dropTable('resource_groups').execute();
}

// ---- frozen copies of domain/resource-groups.ts as it was when this was written ----
// The live code must keep deriving the same default group ID (test/store/resource-groups-migration.test.ts
// checks the two agree); this copy keeps the migration's output fixed whatever the live code becomes.

const DEFAULT_RESOURCE_GROUP_NAME = 'default';
const DEFAULT_RESOURCE_GROUP_DISPLAY_NAME = 'default resource group';

function defaultResourceGroupId(accountId: string): string {
  const alnum = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const digest = createHash('sha256').update(`eniplane-default-resource-group:${accountId}`).digest();
  let body = 'acfm';
  for (let i = 0; body.length < 15; i++) body += alnum[digest[i]! % alnum.length];
  return `rg-${body}`;
}

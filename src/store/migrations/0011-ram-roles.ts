import type { Kysely } from 'kysely';

/**
 * Instance RAM roles (RunInstances RamRoleName, AttachInstanceRamRole): at most one role per
 * instance, as on the cloud. `attached_at` binds the temporary credentials the metadata service
 * issues to this attachment: credentials issued before a detach stay refused after a re-attach.
 * Existing databases need no backfill: no instance had a role before.
 */

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('instance_ram_roles')
    .addColumn('instance_id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('account_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('region_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('role_name', 'varchar(64)', (c) => c.notNull())
    .addColumn('attached_at', 'bigint', (c) => c.notNull())
    .execute();
  // DescribeInstanceRamRole by role name.
  await db.schema.createIndex('instance_ram_roles_role').on('instance_ram_roles').columns(['account_id', 'region_id', 'role_name', 'instance_id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('instance_ram_roles').execute();
}

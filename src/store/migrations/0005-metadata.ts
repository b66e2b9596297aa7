import type { Kysely } from 'kysely';

/**
 * The metadata service: the secret its tokens are signed with (one row, created by the first
 * server that needs it, shared by every replica), and the instance's InstanceMetadataTags switch
 * (ModifyInstanceMetadataOptions).
 */

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('service_secrets')
    .addColumn('name', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('secret', 'varchar(128)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .alterTable('instances')
    .addColumn('instance_metadata_tags', 'varchar(16)', (c) => c.notNull().defaultTo('disabled'))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('instances').dropColumn('instance_metadata_tags').execute();
  await db.schema.dropTable('service_secrets').execute();
}

import type { Kysely } from 'kysely';

/**
 * Public addresses of instances (RunInstances with InternetMaxBandwidthOut > 0, or
 * AllocatePublicIpAddress), drawn from the same pool as EIPs.
 *
 * `public_addresses` holds every public address in use, whoever holds it (an EIP row or an
 * instance): its primary key is what guarantees that no EIP and no instance public IP ever share
 * an address, on SQLite and across PostgreSQL replicas (two draws of the same address collide on
 * the key and the transaction helper retries). `instances.public_ip` is the instance's address,
 * read with the instance. Existing EIPs are backfilled, so an upgraded database keeps the rule.
 */

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('public_addresses')
    .addColumn('ip_address', 'varchar(15)', (c) => c.primaryKey())
    .addColumn('owner_type', 'varchar(16)', (c) => c.notNull())
    .addColumn('owner_id', 'varchar(32)', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('public_addresses_owner').on('public_addresses').column('owner_id').execute();
  await db
    .insertInto('public_addresses')
    .columns(['ip_address', 'owner_type', 'owner_id'])
    .expression((eb) => eb.selectFrom('eips').select((s) => ['ip_address', s.val('eip').as('owner_type'), 'id']))
    .execute();
  await db.schema.alterTable('instances').addColumn('public_ip', 'varchar(15)').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('instances').dropColumn('public_ip').execute();
  await db.schema.dropTable('public_addresses').execute();
}

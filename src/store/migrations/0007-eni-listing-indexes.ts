import type { Kysely } from 'kysely';

/**
 * DescribeNetworkInterfaces lists in (creation time, ID) order, by owner, vSwitch or instance:
 * indexes that end in (created_at, id) serve each listing without a sort, and the ENIs' addresses
 * are read from an index that holds them in the order the answer shows them (primary first, then
 * by creation), so a page of 100 ENIs reads no table rows for its addresses.
 */

export async function up(db: Kysely<any>): Promise<void> {
  for (const name of ['enis_owner', 'enis_instance', 'enis_vswitch', 'private_ips_eni']) await db.schema.dropIndex(name).execute();
  await db.schema.createIndex('enis_owner').on('network_interfaces').columns(['account_id', 'region_id', 'created_at', 'id']).execute();
  await db.schema.createIndex('enis_instance').on('network_interfaces').columns(['instance_id', 'created_at', 'id']).execute();
  await db.schema.createIndex('enis_vswitch').on('network_interfaces').columns(['vswitch_id', 'created_at', 'id']).execute();
  await db.schema.createIndex('private_ips_eni').on('private_ips').columns(['eni_id', 'is_primary desc', 'created_at', 'address_int', 'address']).execute();
  await db.schema.createIndex('private_ips_address').on('private_ips').column('address').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('private_ips_address').execute();
  for (const name of ['enis_owner', 'enis_instance', 'enis_vswitch', 'private_ips_eni']) await db.schema.dropIndex(name).execute();
  await db.schema.createIndex('enis_owner').on('network_interfaces').columns(['account_id', 'region_id', 'created_at']).execute();
  await db.schema.createIndex('enis_instance').on('network_interfaces').column('instance_id').execute();
  await db.schema.createIndex('enis_vswitch').on('network_interfaces').columns(['vswitch_id', 'created_at']).execute();
  await db.schema.createIndex('private_ips_eni').on('private_ips').column('eni_id').execute();
}

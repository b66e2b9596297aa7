import type { Kysely } from 'kysely';

/** Accounts, keys, replay and idempotency records, VPCs, vSwitches, security groups, tags. */

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('accounts')
    .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('name', 'varchar(128)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('access_keys')
    .addColumn('access_key_id', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('account_id', 'varchar(32)', (c) => c.notNull().references('accounts.id'))
    .addColumn('secret', 'varchar(128)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('signature_nonces')
    .addColumn('access_key_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('nonce', 'varchar(128)', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('signature_nonces_pk', ['access_key_id', 'nonce'])
    .execute();
  await db.schema.createIndex('signature_nonces_expiry').on('signature_nonces').column('expires_at').execute();

  await db.schema
    .createTable('client_tokens')
    .addColumn('account_id', 'varchar(32)', (c) => c.notNull())
    .addColumn('action', 'varchar(64)', (c) => c.notNull())
    .addColumn('token', 'varchar(64)', (c) => c.notNull())
    .addColumn('params_hash', 'varchar(64)', (c) => c.notNull())
    .addColumn('response', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('client_tokens_pk', ['account_id', 'action', 'token'])
    .execute();

  await db.schema
    .createTable('vpcs')
    .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('account_id', 'varchar(32)', (c) => c.notNull())
    .addColumn('region_id', 'varchar(32)', (c) => c.notNull())
    .addColumn('cidr_block', 'varchar(43)', (c) => c.notNull())
    .addColumn('name', 'varchar(128)', (c) => c.notNull())
    .addColumn('description', 'varchar(256)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('next_status', 'varchar(16)')
    .addColumn('transition_at', 'bigint')
    .addColumn('is_default', 'integer', (c) => c.notNull())
    .addColumn('vrouter_id', 'varchar(32)', (c) => c.notNull())
    .addColumn('route_table_id', 'varchar(32)', (c) => c.notNull())
    .addColumn('resource_group_id', 'varchar(32)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('vpcs_owner').on('vpcs').columns(['account_id', 'region_id', 'created_at']).execute();

  await db.schema
    .createTable('vswitches')
    .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('account_id', 'varchar(32)', (c) => c.notNull())
    .addColumn('region_id', 'varchar(32)', (c) => c.notNull())
    .addColumn('vpc_id', 'varchar(32)', (c) => c.notNull().references('vpcs.id'))
    .addColumn('zone_id', 'varchar(32)', (c) => c.notNull())
    .addColumn('cidr_block', 'varchar(43)', (c) => c.notNull())
    .addColumn('name', 'varchar(128)', (c) => c.notNull())
    .addColumn('description', 'varchar(256)', (c) => c.notNull())
    .addColumn('status', 'varchar(16)', (c) => c.notNull())
    .addColumn('next_status', 'varchar(16)')
    .addColumn('transition_at', 'bigint')
    .addColumn('is_default', 'integer', (c) => c.notNull())
    .addColumn('ip_capacity', 'integer', (c) => c.notNull())
    .addColumn('ip_used', 'integer', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('vswitches_owner').on('vswitches').columns(['account_id', 'region_id', 'created_at']).execute();
  await db.schema.createIndex('vswitches_vpc').on('vswitches').column('vpc_id').execute();

  await db.schema
    .createTable('security_groups')
    .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('account_id', 'varchar(32)', (c) => c.notNull())
    .addColumn('region_id', 'varchar(32)', (c) => c.notNull())
    .addColumn('vpc_id', 'varchar(32)', (c) => c.notNull().references('vpcs.id'))
    .addColumn('name', 'varchar(128)', (c) => c.notNull())
    .addColumn('description', 'varchar(256)', (c) => c.notNull())
    .addColumn('type', 'varchar(16)', (c) => c.notNull())
    .addColumn('inner_access_policy', 'varchar(16)', (c) => c.notNull())
    .addColumn('resource_group_id', 'varchar(32)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('security_groups_owner').on('security_groups').columns(['account_id', 'region_id', 'created_at']).execute();
  await db.schema.createIndex('security_groups_vpc').on('security_groups').column('vpc_id').execute();

  await db.schema
    .createTable('security_group_rules')
    .addColumn('id', 'varchar(32)', (c) => c.primaryKey())
    .addColumn('security_group_id', 'varchar(32)', (c) => c.notNull().references('security_groups.id'))
    .addColumn('direction', 'varchar(8)', (c) => c.notNull())
    .addColumn('ip_protocol', 'varchar(8)', (c) => c.notNull())
    .addColumn('port_range', 'varchar(16)', (c) => c.notNull())
    .addColumn('source_port_range', 'varchar(16)', (c) => c.notNull())
    .addColumn('source_cidr_ip', 'varchar(64)', (c) => c.notNull())
    .addColumn('source_group_id', 'varchar(32)', (c) => c.notNull())
    .addColumn('source_group_owner_account', 'varchar(64)', (c) => c.notNull())
    .addColumn('dest_cidr_ip', 'varchar(64)', (c) => c.notNull())
    .addColumn('dest_group_id', 'varchar(32)', (c) => c.notNull())
    .addColumn('dest_group_owner_account', 'varchar(64)', (c) => c.notNull())
    .addColumn('ipv6_source_cidr_ip', 'varchar(64)', (c) => c.notNull())
    .addColumn('ipv6_dest_cidr_ip', 'varchar(64)', (c) => c.notNull())
    .addColumn('source_prefix_list_id', 'varchar(32)', (c) => c.notNull())
    .addColumn('dest_prefix_list_id', 'varchar(32)', (c) => c.notNull())
    .addColumn('policy', 'varchar(8)', (c) => c.notNull())
    .addColumn('priority', 'integer', (c) => c.notNull())
    .addColumn('nic_type', 'varchar(16)', (c) => c.notNull())
    .addColumn('description', 'varchar(512)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('security_group_rules_group').on('security_group_rules').column('security_group_id').execute();
  await db.schema.createIndex('security_group_rules_source_group').on('security_group_rules').column('source_group_id').execute();
  await db.schema.createIndex('security_group_rules_dest_group').on('security_group_rules').column('dest_group_id').execute();

  await db.schema
    .createTable('tags')
    .addColumn('account_id', 'varchar(32)', (c) => c.notNull())
    .addColumn('region_id', 'varchar(32)', (c) => c.notNull())
    .addColumn('resource_type', 'varchar(32)', (c) => c.notNull())
    .addColumn('resource_id', 'varchar(32)', (c) => c.notNull())
    .addColumn('tag_key', 'varchar(128)', (c) => c.notNull())
    .addColumn('tag_value', 'varchar(128)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('tags_pk', ['resource_id', 'tag_key'])
    .execute();
  await db.schema.createIndex('tags_lookup').on('tags').columns(['account_id', 'resource_type', 'tag_key', 'tag_value']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ['tags', 'security_group_rules', 'security_groups', 'vswitches', 'vpcs', 'client_tokens', 'signature_nonces', 'access_keys', 'accounts']) {
    await db.schema.dropTable(t).execute();
  }
}

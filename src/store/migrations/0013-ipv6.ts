import { sql, type Kysely } from 'kysely';

/**
 * IPv6 in VPCs, vSwitches and ENIs (domain/ipv6.ts).
 *
 * - `vpcs.ipv6_cidr_block` / `ipv6_isp`: the VPC's /56 and its line type ('' while IPv6 is off);
 *   `vswitches.ipv6_cidr_block`: the vSwitch's /64. Partial unique indexes keep any two VPCs (and
 *   so any two vSwitches) from sharing a block, across PostgreSQL replicas too.
 * - `eni_ipv6_addresses`: one row per address; the (vSwitch, address) key makes a duplicate
 *   impossible. `block80` is the address's /80 within the /64: an ENI's /80 prefix
 *   (`eni_ipv6_prefixes`, keyed by (vSwitch, block80)) may only take a /80 holding no address,
 *   and an address only a /80 that is no prefix; both are checked with the vSwitch row locked,
 *   which every allocation in a vSwitch takes first.
 * - `ipv6_free_blocks`: the /80s of each IPv6 vSwitch that hold nothing, as ranges of block
 *   numbers (the IPv4 free ranges' scheme, domain/ipam.ts): a prefix pick, or an address pick
 *   that must open a new /80, costs two index look-ups however full the /64 is.
 */

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('vpcs')
    .addColumn('ipv6_cidr_block', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema
    .alterTable('vpcs')
    .addColumn('ipv6_isp', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await db.schema
    .alterTable('vswitches')
    .addColumn('ipv6_cidr_block', 'text', (c) => c.notNull().defaultTo(''))
    .execute();
  await sql`create unique index vpcs_ipv6_block on vpcs (ipv6_cidr_block) where ipv6_cidr_block <> ''`.execute(db);
  await sql`create unique index vswitches_ipv6_block on vswitches (ipv6_cidr_block) where ipv6_cidr_block <> ''`.execute(db);

  await db.schema
    .createTable('eni_ipv6_addresses')
    .addColumn('vswitch_id', 'varchar(32)', (c) => c.notNull())
    .addColumn('address', 'varchar(39)', (c) => c.notNull())
    .addColumn('block80', 'integer', (c) => c.notNull())
    .addColumn('eni_id', 'varchar(32)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('eni_ipv6_addresses_pk', ['vswitch_id', 'address'])
    .execute();
  await db.schema.createIndex('eni_ipv6_addresses_block').on('eni_ipv6_addresses').columns(['vswitch_id', 'block80']).execute();
  await db.schema.createIndex('eni_ipv6_addresses_eni').on('eni_ipv6_addresses').column('eni_id').execute();
  // Describe*'s Ipv6Address.N filters find the ENI from the address alone.
  await db.schema.createIndex('eni_ipv6_addresses_address').on('eni_ipv6_addresses').column('address').execute();

  await db.schema
    .createTable('eni_ipv6_prefixes')
    .addColumn('vswitch_id', 'varchar(32)', (c) => c.notNull())
    .addColumn('block80', 'integer', (c) => c.notNull())
    .addColumn('prefix', 'varchar(43)', (c) => c.notNull())
    .addColumn('eni_id', 'varchar(32)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('eni_ipv6_prefixes_pk', ['vswitch_id', 'block80'])
    .execute();
  await db.schema.createIndex('eni_ipv6_prefixes_eni').on('eni_ipv6_prefixes').column('eni_id').execute();

  await db.schema
    .createTable('ipv6_free_blocks')
    .addColumn('vswitch_id', 'varchar(32)', (c) => c.notNull())
    .addColumn('first_block', 'integer', (c) => c.notNull())
    .addColumn('last_block', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('ipv6_free_blocks_pk', ['vswitch_id', 'first_block'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('ipv6_free_blocks').execute();
  await db.schema.dropTable('eni_ipv6_prefixes').execute();
  await db.schema.dropTable('eni_ipv6_addresses').execute();
  await db.schema.dropIndex('vswitches_ipv6_block').execute();
  await db.schema.dropIndex('vpcs_ipv6_block').execute();
  await db.schema.alterTable('vswitches').dropColumn('ipv6_cidr_block').execute();
  await db.schema.alterTable('vpcs').dropColumn('ipv6_isp').execute();
  await db.schema.alterTable('vpcs').dropColumn('ipv6_cidr_block').execute();
}

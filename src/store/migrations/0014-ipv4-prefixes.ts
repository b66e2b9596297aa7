import { sql, type Kysely } from 'kysely';

/**
 * IPv4 prefixes on ENIs: /28 blocks carved from a vSwitch's free address ranges.
 *
 * `eni_ipv4_prefixes` holds one row per prefix, keyed by (vSwitch, first address): a prefix takes
 * its 16 addresses out of `ip_free_ranges` (with the vSwitch row locked, as single addresses are
 * taken), so it can overlap no address and no other prefix, on SQLite and across PostgreSQL
 * replicas alike.
 *
 * `ip_free_ranges.block_start` is the first address of the first aligned /28 lying wholly inside
 * the range (NULL when none fits), written with every range: an automatic prefix pick is then one
 * lookup in a partial index of the ranges that hold a whole /28, however full the vSwitch is and
 * however many block-less fragments it has (repos/ipam.ts freeBlockFrom). Existing ranges are
 * backfilled with integer arithmetic that SQLite and PostgreSQL evaluate alike (bigint division
 * truncates; the operands are never negative).
 */

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('ip_free_ranges').addColumn('block_start', 'bigint').execute();
  await sql`update ip_free_ranges set block_start = case
      when ((first_int + 15) / 16) * 16 + 15 <= last_int then ((first_int + 15) / 16) * 16
      else null end`.execute(db);
  // Ranges holding a whole /28, by their end: the first such range ending at or after a random
  // aligned point's block holds either that block or (starting later) its own first block, so a
  // pick is one lookup (two when it wraps), and block-less fragments are not even in the index.
  await db.schema
    .createIndex('ip_free_ranges_block')
    .on('ip_free_ranges')
    .columns(['vswitch_id', 'last_int'])
    .where(sql.ref('block_start'), 'is not', null)
    .execute();

  await db.schema
    .createTable('eni_ipv4_prefixes')
    .addColumn('vswitch_id', 'varchar(32)', (c) => c.notNull().references('vswitches.id'))
    .addColumn('first_int', 'bigint', (c) => c.notNull())
    .addColumn('prefix', 'varchar(18)', (c) => c.notNull())
    .addColumn('eni_id', 'varchar(32)', (c) => c.notNull().references('network_interfaces.id'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('eni_ipv4_prefixes_pk', ['vswitch_id', 'first_int'])
    .execute();
  await db.schema.createIndex('eni_ipv4_prefixes_eni').on('eni_ipv4_prefixes').columns(['eni_id', 'created_at', 'first_int']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('eni_ipv4_prefixes').execute();
  await db.schema.dropIndex('ip_free_ranges_block').execute();
  await db.schema.alterTable('ip_free_ranges').dropColumn('block_start').execute();
}

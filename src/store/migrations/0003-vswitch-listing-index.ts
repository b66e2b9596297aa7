import type { Kysely } from 'kysely';

/** DescribeVSwitches by VpcId lists in (creation time, id) order: an index that serves it directly. */

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('vswitches_vpc_listing').on('vswitches').columns(['vpc_id', 'created_at', 'id']).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('vswitches_vpc_listing').execute();
}

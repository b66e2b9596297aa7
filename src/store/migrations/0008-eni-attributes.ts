import { sql, type Kysely } from 'kysely';

/**
 * The ENI parameters real clients send (Terway: SourceDestCheck=false on every
 * CreateNetworkInterface; the Terraform provider: queue_number, source_dest_check,
 * network_interface_traffic_mode): stored so Describe shows what was asked for.
 * Existing ENIs take the cloud's defaults: source/destination check off, no queue count set
 * (the instance type's default shows while attached), Standard traffic mode.
 */

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('network_interfaces')
    .addColumn('source_dest_check', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.alterTable('network_interfaces').addColumn('queue_number', 'integer').execute();
  await db.schema
    .alterTable('network_interfaces')
    .addColumn('traffic_mode', 'text', (c) => c.notNull().defaultTo('Standard'))
    .execute();
  // A Deleting ENI now keeps its addresses until its due time; the allocations of its vSwitch
  // find the due ones to release through this index, which holds only ENIs being deleted.
  await sql`create index enis_due_deletion on network_interfaces (vswitch_id, transition_at) where next_status = 'Gone'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('enis_due_deletion').execute();
  for (const column of ['traffic_mode', 'queue_number', 'source_dest_check']) await db.schema.alterTable('network_interfaces').dropColumn(column).execute();
}

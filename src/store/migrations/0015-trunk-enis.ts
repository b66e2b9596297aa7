import type { Kysely } from 'kysely';

/**
 * Trunk and member ENIs (CreateNetworkInterface InstanceType=Trunk, AttachNetworkInterface
 * TrunkNetworkInstanceId). A trunk ENI is a row of type `Trunk`; a member is a secondary ENI
 * whose `trunk_eni_id` names the trunk while it is attached to it (Attaching, InUse, Detaching),
 * as `instance_id` names its instance. Like `instance_id`, the column may still hold the last
 * trunk after a delayed detach has resolved: readers go by the effective status. No foreign
 * key, for that reason. The index finds a trunk's members (detach, delete, Describe attachment).
 */

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('network_interfaces').addColumn('trunk_eni_id', 'text').execute();
  await db.schema.createIndex('enis_trunk').on('network_interfaces').column('trunk_eni_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('enis_trunk').execute();
  await db.schema.alterTable('network_interfaces').dropColumn('trunk_eni_id').execute();
}

import type { Kysely } from 'kysely';
import type { ResourceGroupsTable, Schema, Tx } from '../schema.ts';

export type ResourceGroupRow = ResourceGroupsTable;

export async function insertResourceGroup(db: Kysely<Schema>, row: ResourceGroupRow): Promise<void> {
  await db.insertInto('resource_groups').values(row).execute();
}

export async function findResourceGroup(tx: Tx, accountId: string, id: string): Promise<ResourceGroupRow | undefined> {
  return tx.db.selectFrom('resource_groups').selectAll().where('id', '=', id).where('account_id', '=', accountId).executeTakeFirst();
}

export async function findResourceGroupByName(tx: Tx, accountId: string, name: string): Promise<ResourceGroupRow | undefined> {
  return tx.db.selectFrom('resource_groups').selectAll().where('account_id', '=', accountId).where('name', '=', name).executeTakeFirst();
}

export interface ResourceGroupFilters {
  ids?: readonly string[];
  name?: string;
}

/** The account's groups, oldest first (the default group, made with the account, leads). */
export async function listResourceGroups(tx: Tx, accountId: string, filters: ResourceGroupFilters): Promise<ResourceGroupRow[]> {
  let q = tx.db.selectFrom('resource_groups').selectAll().where('account_id', '=', accountId);
  if (filters.ids) q = q.where('id', 'in', filters.ids.length > 0 ? [...filters.ids] : ['']);
  if (filters.name !== undefined) q = q.where('name', '=', filters.name);
  return q.orderBy('created_at').orderBy('id').execute();
}

export async function deleteResourceGroup(tx: Tx, id: string): Promise<void> {
  await tx.db.deleteFrom('resource_groups').where('id', '=', id).execute();
}

/** Whether any resource still belongs to the group (DeleteResourceGroup refuses a group in use). */
export async function resourceGroupInUse(tx: Tx, id: string): Promise<boolean> {
  for (const table of ['vpcs', 'security_groups', 'network_interfaces', 'instances', 'eips'] as const) {
    const row = await tx.db.selectFrom(table).select('id').where('resource_group_id', '=', id).limit(1).executeTakeFirst();
    if (row) return true;
  }
  return false;
}

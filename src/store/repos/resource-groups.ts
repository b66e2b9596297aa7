import type { ResourceGroup } from '../../domain/models/resource-group.ts';
import type { ResourceGroupsTable, Tx } from '../schema.ts';

function toResourceGroup(r: ResourceGroupsTable): ResourceGroup {
  return { id: r.id, accountId: r.account_id, name: r.name, displayName: r.display_name, isDefault: r.is_default === 1, createdAt: r.created_at };
}

export async function insertResourceGroup(tx: Tx, group: ResourceGroup): Promise<void> {
  await tx.db
    .insertInto('resource_groups')
    .values({
      id: group.id,
      account_id: group.accountId,
      name: group.name,
      display_name: group.displayName,
      is_default: group.isDefault ? 1 : 0,
      created_at: group.createdAt,
    })
    .execute();
}

export async function findResourceGroup(tx: Tx, accountId: string, id: string): Promise<ResourceGroup | undefined> {
  const row = await tx.db.selectFrom('resource_groups').selectAll().where('id', '=', id).where('account_id', '=', accountId).executeTakeFirst();
  return row && toResourceGroup(row);
}

export async function findResourceGroupByName(tx: Tx, accountId: string, name: string): Promise<ResourceGroup | undefined> {
  const row = await tx.db.selectFrom('resource_groups').selectAll().where('account_id', '=', accountId).where('name', '=', name).executeTakeFirst();
  return row && toResourceGroup(row);
}

export interface ResourceGroupFilters {
  ids?: readonly string[];
  name?: string;
}

/** The account's groups, oldest first (the default group, made with the account, leads). */
export async function listResourceGroups(tx: Tx, accountId: string, filters: ResourceGroupFilters): Promise<ResourceGroup[]> {
  let q = tx.db.selectFrom('resource_groups').selectAll().where('account_id', '=', accountId);
  if (filters.ids) q = q.where('id', 'in', filters.ids.length > 0 ? [...filters.ids] : ['']);
  if (filters.name !== undefined) q = q.where('name', '=', filters.name);
  const rows = await q.orderBy('created_at').orderBy('id').execute();
  return rows.map(toResourceGroup);
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

import type { Selectable } from 'kysely';
import type { TagFilter } from '../../domain/tags.ts';
import type { Tx, VpcsTable } from '../schema.ts';
import { forUpdate, notGone, rowCount, toCount, whereTagged } from './common.ts';

export type VpcRow = Selectable<VpcsTable>;

export async function insertVpc(tx: Tx, row: VpcRow): Promise<void> {
  await tx.db.insertInto('vpcs').values(row).execute();
}

/** One VPC of the account, or undefined (another account's VPC is as absent as a missing one). */
export async function findVpc(tx: Tx, accountId: string, id: string, now: number, lock = false): Promise<VpcRow | undefined> {
  const q = tx.db.selectFrom('vpcs').selectAll().where('id', '=', id).where('account_id', '=', accountId).where(notGone(now));
  return (lock ? forUpdate(tx, q) : q).executeTakeFirst();
}

export interface VpcQuery {
  accountId: string;
  regionId: string;
  ids?: readonly string[];
  name?: string;
  isDefault?: boolean;
  resourceGroupId?: string;
  tags?: readonly TagFilter[];
}

export async function listVpcs(tx: Tx, q: VpcQuery, now: number, window: { offset: number; limit: number }): Promise<{ rows: VpcRow[]; total: number }> {
  let base = tx.db.selectFrom('vpcs').where('account_id', '=', q.accountId).where('region_id', '=', q.regionId).where(notGone(now));
  if (q.ids) base = base.where('id', 'in', q.ids.length ? q.ids : ['']);
  if (q.name !== undefined) base = base.where('name', '=', q.name);
  if (q.isDefault !== undefined) base = base.where('is_default', '=', q.isDefault ? 1 : 0);
  if (q.resourceGroupId !== undefined) base = base.where('resource_group_id', '=', q.resourceGroupId);
  base = whereTagged(base, 'vpcs.id', q.accountId, q.tags ?? []);
  const total = toCount(await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst());
  const rows = await base.selectAll().orderBy('created_at').orderBy('id').offset(window.offset).limit(rowCount(window.limit)).execute();
  return { rows, total };
}

export async function countVpcsInRegion(tx: Tx, accountId: string, regionId: string, now: number): Promise<number> {
  return toCount(
    await tx.db
      .selectFrom('vpcs')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('account_id', '=', accountId)
      .where('region_id', '=', regionId)
      .where(notGone(now))
      .executeTakeFirst(),
  );
}

export async function updateVpc(tx: Tx, id: string, fields: Partial<Omit<VpcRow, 'id' | 'account_id'>>): Promise<void> {
  if (Object.keys(fields).length === 0) return;
  await tx.db.updateTable('vpcs').set(fields).where('id', '=', id).execute();
}

export async function deleteVpcRow(tx: Tx, id: string): Promise<void> {
  await tx.db.deleteFrom('tags').where('resource_id', '=', id).execute();
  await tx.db.deleteFrom('vpcs').where('id', '=', id).execute();
}

export async function routeTableIdsOf(tx: Tx, vpcIds: readonly string[]): Promise<Map<string, string>> {
  if (vpcIds.length === 0) return new Map();
  const rows = await tx.db.selectFrom('vpcs').select(['id', 'route_table_id']).where('id', 'in', vpcIds).execute();
  return new Map(rows.map((r) => [r.id, r.route_table_id]));
}

/** Each VPC's resource group, which its vSwitches report as theirs (CreateVSwitch takes none). */
export async function resourceGroupsOfVpcs(tx: Tx, vpcIds: readonly string[]): Promise<Map<string, string>> {
  if (vpcIds.length === 0) return new Map();
  const rows = await tx.db.selectFrom('vpcs').select(['id', 'resource_group_id']).where('id', 'in', vpcIds).execute();
  return new Map(rows.map((r) => [r.id, r.resource_group_id]));
}

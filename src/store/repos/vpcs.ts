import type { Selectable, Updateable } from 'kysely';
import type { Vpc } from '../../domain/models/vpc.ts';
import type { TagFilter } from '../../domain/tags.ts';
import type { Tx, VpcsTable } from '../schema.ts';
import { forUpdate, notGone, rowCount, toCount, whereTagged, setAsyncStateColumns } from './common.ts';

type VpcRow = Selectable<VpcsTable>;

/** The one place a VPC row becomes a model (the route-table repo reads VPC rows too). */
export function toVpc(r: VpcRow): Vpc {
  return {
    id: r.id,
    accountId: r.account_id,
    regionId: r.region_id,
    cidrBlock: r.cidr_block,
    name: r.name,
    description: r.description,
    status: r.status,
    nextStatus: r.next_status,
    transitionAt: r.transition_at,
    isDefault: r.is_default === 1,
    vrouterId: r.vrouter_id,
    routeTableId: r.route_table_id,
    resourceGroupId: r.resource_group_id,
    createdAt: r.created_at,
    ipv6CidrBlock: r.ipv6_cidr_block,
    ipv6Isp: r.ipv6_isp,
  };
}

export async function insertVpc(tx: Tx, vpc: Vpc): Promise<void> {
  await tx.db
    .insertInto('vpcs')
    .values({
      id: vpc.id,
      account_id: vpc.accountId,
      region_id: vpc.regionId,
      cidr_block: vpc.cidrBlock,
      name: vpc.name,
      description: vpc.description,
      status: vpc.status,
      next_status: vpc.nextStatus,
      transition_at: vpc.transitionAt,
      is_default: vpc.isDefault ? 1 : 0,
      vrouter_id: vpc.vrouterId,
      route_table_id: vpc.routeTableId,
      resource_group_id: vpc.resourceGroupId,
      created_at: vpc.createdAt,
      ipv6_cidr_block: vpc.ipv6CidrBlock,
      ipv6_isp: vpc.ipv6Isp,
    })
    .execute();
}

/** One VPC of the account, or undefined (another account's VPC is as absent as a missing one). */
export async function findVpc(tx: Tx, accountId: string, id: string, now: number, lock = false): Promise<Vpc | undefined> {
  const q = tx.db.selectFrom('vpcs').selectAll().where('id', '=', id).where('account_id', '=', accountId).where(notGone(now));
  const row = await (lock ? forUpdate(tx, q) : q).executeTakeFirst();
  return row && toVpc(row);
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

/** The account and region a VPC belongs to, whoever asks (the data plane realizes every account's VPCs). */
export async function vpcOwner(tx: Tx, id: string): Promise<{ accountId: string; regionId: string } | undefined> {
  const row = await tx.db.selectFrom('vpcs').select(['account_id', 'region_id']).where('id', '=', id).executeTakeFirst();
  return row && { accountId: row.account_id, regionId: row.region_id };
}

export async function listVpcs(tx: Tx, q: VpcQuery, now: number, window: { offset: number; limit: number }): Promise<{ vpcs: Vpc[]; total: number }> {
  let base = tx.db.selectFrom('vpcs').where('account_id', '=', q.accountId).where('region_id', '=', q.regionId).where(notGone(now));
  if (q.ids) base = base.where('id', 'in', q.ids.length ? q.ids : ['']);
  if (q.name !== undefined) base = base.where('name', '=', q.name);
  if (q.isDefault !== undefined) base = base.where('is_default', '=', q.isDefault ? 1 : 0);
  if (q.resourceGroupId !== undefined) base = base.where('resource_group_id', '=', q.resourceGroupId);
  base = whereTagged(base, 'vpcs.id', q.accountId, q.tags ?? []);
  const total = toCount(await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst());
  const rows = await base.selectAll().orderBy('created_at').orderBy('id').offset(window.offset).limit(rowCount(window.limit)).execute();
  return { vpcs: rows.map(toVpc), total };
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

/** What ModifyVpcAttribute and DeleteVpc change. */
export type VpcChanges = Partial<Pick<Vpc, 'name' | 'description' | 'status' | 'nextStatus' | 'transitionAt' | 'ipv6CidrBlock' | 'ipv6Isp'>>;

export async function updateVpc(tx: Tx, id: string, changes: VpcChanges): Promise<void> {
  const set: Updateable<VpcsTable> = {};
  if (changes.name !== undefined) set.name = changes.name;
  if (changes.description !== undefined) set.description = changes.description;
  if (changes.ipv6CidrBlock !== undefined) set.ipv6_cidr_block = changes.ipv6CidrBlock;
  if (changes.ipv6Isp !== undefined) set.ipv6_isp = changes.ipv6Isp;
  setAsyncStateColumns(changes, set);
  if (Object.keys(set).length === 0) return;
  await tx.db.updateTable('vpcs').set(set).where('id', '=', id).execute();
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

/** Whether any VPC, of any account, holds this IPv6 block (vpcs_ipv6_block makes a second impossible). */
export async function vpcIpv6BlockTaken(tx: Tx, block: string): Promise<boolean> {
  return (await tx.db.selectFrom('vpcs').select('id').where('ipv6_cidr_block', '=', block).executeTakeFirst()) !== undefined;
}

import type { Selectable, Updateable } from 'kysely';
import type { VSwitch } from '../../domain/models/vswitch.ts';
import type { TagFilter } from '../../domain/tags.ts';
import type { Tx, VSwitchesTable } from '../schema.ts';
import { forUpdate, notGone, rowCount, toCount, whereTagged, setAsyncStateColumns } from './common.ts';
import { queryTemplate } from '../query-template.ts';

type VSwitchRow = Selectable<VSwitchesTable>;

function toVSwitch(r: VSwitchRow): VSwitch {
  return {
    id: r.id,
    accountId: r.account_id,
    regionId: r.region_id,
    vpcId: r.vpc_id,
    zoneId: r.zone_id,
    cidrBlock: r.cidr_block,
    name: r.name,
    description: r.description,
    status: r.status,
    nextStatus: r.next_status,
    transitionAt: r.transition_at,
    isDefault: r.is_default === 1,
    ipCapacity: r.ip_capacity,
    ipUsed: r.ip_used,
    createdAt: r.created_at,
    ipv6CidrBlock: r.ipv6_cidr_block,
  };
}

export async function insertVSwitch(tx: Tx, vsw: VSwitch): Promise<void> {
  await tx.db
    .insertInto('vswitches')
    .values({
      id: vsw.id,
      account_id: vsw.accountId,
      region_id: vsw.regionId,
      vpc_id: vsw.vpcId,
      zone_id: vsw.zoneId,
      cidr_block: vsw.cidrBlock,
      name: vsw.name,
      description: vsw.description,
      status: vsw.status,
      next_status: vsw.nextStatus,
      transition_at: vsw.transitionAt,
      is_default: vsw.isDefault ? 1 : 0,
      ip_capacity: vsw.ipCapacity,
      ip_used: vsw.ipUsed,
      created_at: vsw.createdAt,
      ipv6_cidr_block: vsw.ipv6CidrBlock,
    })
    .execute();
}

const findTemplate = queryTemplate(
  () => '',
  (tx, v: { accountId: string; id: string; now: number; lock: boolean }) => {
    const q = tx.db.selectFrom('vswitches').selectAll().where('id', '=', v.id).where('account_id', '=', v.accountId).where(notGone(v.now));
    return v.lock ? forUpdate(tx, q) : q;
  },
);

export async function findVSwitch(tx: Tx, accountId: string, id: string, now: number, lock = false): Promise<VSwitch | undefined> {
  const row = (await findTemplate(tx, { accountId, id, now, lock }))[0];
  return row && toVSwitch(row);
}

/** Every live vSwitch of a VPC (for CIDR overlap checks and dependency checks). */
export async function vswitchesOfVpc(tx: Tx, vpcId: string, now: number): Promise<VSwitch[]> {
  const rows = await tx.db.selectFrom('vswitches').selectAll().where('vpc_id', '=', vpcId).where(notGone(now)).orderBy('created_at').orderBy('id').execute();
  return rows.map(toVSwitch);
}

export async function vswitchIdsOfVpcs(tx: Tx, vpcIds: readonly string[], now: number): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>();
  if (vpcIds.length === 0) return map;
  const rows = await tx.db
    .selectFrom('vswitches')
    .select(['id', 'vpc_id'])
    .where('vpc_id', 'in', vpcIds)
    .where(notGone(now))
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  for (const r of rows) map.set(r.vpc_id, [...(map.get(r.vpc_id) ?? []), r.id]);
  return map;
}

/** vSwitches by ID, whatever their account (the data plane reads the CIDRs of the ENIs it realizes). */
export async function vswitchesByIds(tx: Tx, ids: readonly string[]): Promise<VSwitch[]> {
  if (ids.length === 0) return [];
  const rows = await tx.db.selectFrom('vswitches').selectAll().where('id', 'in', ids).orderBy('id').execute();
  return rows.map(toVSwitch);
}

export interface VSwitchQuery {
  accountId: string;
  regionId?: string;
  vpcId?: string;
  id?: string;
  name?: string;
  zoneId?: string;
  isDefault?: boolean;
  /** The group of the vSwitch's VPC: a vSwitch belongs to its VPC's group. */
  resourceGroupId?: string;
  tags?: readonly TagFilter[];
}

export async function listVSwitches(
  tx: Tx,
  q: VSwitchQuery,
  now: number,
  window: { offset: number; limit: number },
): Promise<{ vswitches: VSwitch[]; total: number }> {
  let base = tx.db.selectFrom('vswitches').where('account_id', '=', q.accountId).where(notGone(now));
  if (q.regionId) base = base.where('region_id', '=', q.regionId);
  if (q.vpcId) base = base.where('vpc_id', '=', q.vpcId);
  if (q.id) base = base.where('id', '=', q.id);
  if (q.name !== undefined) base = base.where('name', '=', q.name);
  if (q.zoneId) base = base.where('zone_id', '=', q.zoneId);
  if (q.isDefault !== undefined) base = base.where('is_default', '=', q.isDefault ? 1 : 0);
  if (q.resourceGroupId !== undefined) {
    const group = q.resourceGroupId;
    base = base.where('vpc_id', 'in', (eb) => eb.selectFrom('vpcs').select('vpcs.id').where('vpcs.resource_group_id', '=', group));
  }
  base = whereTagged(base, 'vswitches.id', q.accountId, q.tags ?? []);
  const total = toCount(await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst());
  const rows = await base.selectAll().orderBy('created_at').orderBy('id').offset(window.offset).limit(rowCount(window.limit)).execute();
  return { vswitches: rows.map(toVSwitch), total };
}

/** What ModifyVSwitchAttribute and DeleteVSwitch change (the address counters move in store/repos/enis.ts). */
export type VSwitchChanges = Partial<Pick<VSwitch, 'name' | 'description' | 'status' | 'nextStatus' | 'transitionAt' | 'ipv6CidrBlock'>>;

export async function updateVSwitch(tx: Tx, id: string, changes: VSwitchChanges): Promise<void> {
  const set: Updateable<VSwitchesTable> = {};
  if (changes.name !== undefined) set.name = changes.name;
  if (changes.description !== undefined) set.description = changes.description;
  if (changes.ipv6CidrBlock !== undefined) set.ipv6_cidr_block = changes.ipv6CidrBlock;
  setAsyncStateColumns(changes, set);
  if (Object.keys(set).length === 0) return;
  await tx.db.updateTable('vswitches').set(set).where('id', '=', id).execute();
}

export async function deleteVSwitchRow(tx: Tx, id: string): Promise<void> {
  await tx.db.deleteFrom('tags').where('resource_id', '=', id).execute();
  await tx.db.deleteFrom('vswitches').where('id', '=', id).execute();
}

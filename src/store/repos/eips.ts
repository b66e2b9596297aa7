import { sql, type Selectable, type Updateable } from 'kysely';
import { GONE } from '../../domain/async-state.ts';
import type { Eip, EipChanges } from '../../domain/models/eip.ts';
import type { TagFilter } from '../../domain/tags.ts';
import type { EipsTable, Tx } from '../schema.ts';
import { effectiveStatusSql } from './async-sql.ts';
import { forUpdate, rowCount, toCount, whereTagged, setAsyncStateColumns } from './common.ts';
import { claimPublicAddress, publicAddressesInUse, releasePublicAddressesOf } from './public-addresses.ts';

type EipRow = Selectable<EipsTable>;

/** Statuses in which an EIP is bound to an instance or an ENI address. */
export const BOUND_STATUSES = ['Associating', 'InUse', 'Unassociating'] as const;

/** The one place an eips row becomes an Eip. */
export function toEip(r: EipRow): Eip {
  return {
    id: r.id,
    accountId: r.account_id,
    regionId: r.region_id,
    ipAddress: r.ip_address,
    status: r.status,
    nextStatus: r.next_status,
    transitionAt: r.transition_at,
    name: r.name,
    description: r.description,
    bandwidth: Number(r.bandwidth),
    internetChargeType: r.internet_charge_type,
    instanceChargeType: r.instance_charge_type,
    isp: r.isp,
    instanceId: r.instance_id,
    instanceType: r.instance_type,
    privateIp: r.private_ip,
    mode: r.mode,
    vpcId: r.vpc_id,
    createdAt: r.created_at,
    resourceGroupId: r.resource_group_id,
  };
}

/** The columns of changed fields: only those given (undefined: unchanged; null: cleared). */
function eipColumns(c: EipChanges): Updateable<EipsTable> {
  const out: Updateable<EipsTable> = {};
  if (c.regionId !== undefined) out.region_id = c.regionId;
  if (c.ipAddress !== undefined) out.ip_address = c.ipAddress;
  setAsyncStateColumns(c, out);
  if (c.name !== undefined) out.name = c.name;
  if (c.description !== undefined) out.description = c.description;
  if (c.bandwidth !== undefined) out.bandwidth = c.bandwidth;
  if (c.internetChargeType !== undefined) out.internet_charge_type = c.internetChargeType;
  if (c.instanceChargeType !== undefined) out.instance_charge_type = c.instanceChargeType;
  if (c.isp !== undefined) out.isp = c.isp;
  if (c.instanceId !== undefined) out.instance_id = c.instanceId;
  if (c.instanceType !== undefined) out.instance_type = c.instanceType;
  if (c.privateIp !== undefined) out.private_ip = c.privateIp;
  if (c.mode !== undefined) out.mode = c.mode;
  if (c.vpcId !== undefined) out.vpc_id = c.vpcId;
  if (c.createdAt !== undefined) out.created_at = c.createdAt;
  if (c.resourceGroupId !== undefined) out.resource_group_id = c.resourceGroupId;
  return out;
}

export async function insertEip(tx: Tx, eip: Eip): Promise<void> {
  await tx.db
    .insertInto('eips')
    .values({
      id: eip.id,
      account_id: eip.accountId,
      region_id: eip.regionId,
      ip_address: eip.ipAddress,
      status: eip.status,
      next_status: eip.nextStatus,
      transition_at: eip.transitionAt,
      name: eip.name,
      description: eip.description,
      bandwidth: eip.bandwidth,
      internet_charge_type: eip.internetChargeType,
      instance_charge_type: eip.instanceChargeType,
      isp: eip.isp,
      instance_id: eip.instanceId,
      instance_type: eip.instanceType,
      private_ip: eip.privateIp,
      mode: eip.mode,
      vpc_id: eip.vpcId,
      created_at: eip.createdAt,
      resource_group_id: eip.resourceGroupId,
    })
    .execute();
  await claimPublicAddress(tx, eip.ipAddress, 'eip', eip.id);
}

/** One EIP of the account that has not finished releasing, or undefined. */
export async function findEip(tx: Tx, accountId: string, id: string, now: number, lock = false): Promise<Eip | undefined> {
  const q = tx.db.selectFrom('eips').selectAll().where('id', '=', id).where('account_id', '=', accountId).where(effectiveStatusSql(now), '!=', GONE);
  const row = await (lock ? forUpdate(tx, q) : q).executeTakeFirst();
  return row && toEip(row);
}

export async function updateEip(tx: Tx, id: string, changes: EipChanges): Promise<void> {
  const columns = eipColumns(changes);
  if (Object.keys(columns).length === 0) return;
  await tx.db.updateTable('eips').set(columns).where('id', '=', id).execute();
}

export async function deleteEipRow(tx: Tx, id: string): Promise<void> {
  await tx.db.deleteFrom('tags').where('resource_id', '=', id).execute();
  await tx.db.deleteFrom('eips').where('id', '=', id).execute();
  await releasePublicAddressesOf(tx, [id]);
}

/**
 * Removes EIPs whose release has completed, so their public addresses (unique across the
 * table) can be allocated again.
 */
export async function purgeReleasedEips(tx: Tx, now: number): Promise<void> {
  const gone = tx.db.selectFrom('eips').select('id').where('next_status', '=', GONE).where('transition_at', '<=', now);
  await tx.db.deleteFrom('tags').where('resource_type', '=', 'eip').where('resource_id', 'in', gone).execute();
  await tx.db.deleteFrom('public_addresses').where('owner_type', '=', 'eip').where('owner_id', 'in', gone).execute();
  await tx.db.deleteFrom('eips').where('next_status', '=', GONE).where('transition_at', '<=', now).execute();
}

/** Every public address in use: held by an EIP row (released or not, of any account) or by an instance. */
export async function allocatedPublicAddresses(tx: Tx): Promise<string[]> {
  return publicAddressesInUse(tx);
}

export async function countEipsInRegion(tx: Tx, accountId: string, regionId: string, now: number): Promise<number> {
  return toCount(
    await tx.db
      .selectFrom('eips')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('account_id', '=', accountId)
      .where('region_id', '=', regionId)
      .where(effectiveStatusSql(now), '!=', GONE)
      .executeTakeFirst(),
  );
}

/**
 * Locks the account's row until the transaction ends (PostgreSQL), so two allocations racing
 * on different replicas cannot both pass the per-region quota check.
 */
export async function lockAccount(tx: Tx, accountId: string): Promise<void> {
  await forUpdate(tx, tx.db.selectFrom('accounts').select('id').where('id', '=', accountId)).executeTakeFirst();
}

/** EIPs bound at `now` to any of these owners (instance or ENI IDs), oldest first. */
export async function eipsBoundTo(tx: Tx, ownerIds: readonly string[], now: number): Promise<Eip[]> {
  if (ownerIds.length === 0) return [];
  const rows = await tx.db
    .selectFrom('eips')
    .selectAll()
    .where('instance_id', 'in', ownerIds)
    .where(effectiveStatusSql(now), 'in', [...BOUND_STATUSES])
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toEip);
}

export interface EipQuery {
  accountId: string;
  regionId: string;
  ids?: readonly string[];
  addresses?: readonly string[];
  status?: string;
  associatedInstanceType?: string;
  associatedInstanceId?: string;
  name?: string;
  isp?: string;
  chargeType?: string;
  /** Only EIPs with this lock; eniplane never locks an EIP, so a given reason matches none. */
  lockReason?: string;
  resourceGroupId?: string;
  tags?: readonly TagFilter[];
}

export async function listEips(tx: Tx, q: EipQuery, now: number, window: { offset: number; limit: number }): Promise<{ eips: Eip[]; total: number }> {
  const status = effectiveStatusSql(now, 'eips');
  let base = tx.db.selectFrom('eips').where('eips.account_id', '=', q.accountId).where('eips.region_id', '=', q.regionId).where(status, '!=', GONE);
  if (q.ids) base = base.where('eips.id', 'in', q.ids.length ? q.ids : ['']);
  if (q.addresses) base = base.where('eips.ip_address', 'in', q.addresses.length ? q.addresses : ['']);
  if (q.status) base = base.where(status, '=', q.status);
  if (q.associatedInstanceType) base = base.where('eips.instance_type', '=', q.associatedInstanceType).where(status, 'in', [...BOUND_STATUSES]);
  if (q.associatedInstanceId) base = base.where('eips.instance_id', '=', q.associatedInstanceId).where(status, 'in', [...BOUND_STATUSES]);
  if (q.name !== undefined) base = base.where('eips.name', '=', q.name);
  if (q.isp !== undefined) base = base.where('eips.isp', '=', q.isp);
  if (q.chargeType !== undefined) base = base.where('eips.instance_charge_type', '=', q.chargeType);
  if (q.lockReason !== undefined) base = base.where(sql<boolean>`1 = 0`);
  if (q.resourceGroupId !== undefined) base = base.where('eips.resource_group_id', '=', q.resourceGroupId);
  base = whereTagged(base, 'eips.id', q.accountId, q.tags ?? []);
  const total = toCount(await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst());
  const rows = await base.selectAll('eips').orderBy('eips.created_at').orderBy('eips.id').offset(window.offset).limit(rowCount(window.limit)).execute();
  return { eips: rows.map(toEip), total };
}

/** Unassociates every EIP bound to these owners (ENIs or instances) at once; the EIPs stay allocated. */
export async function unbindEipsOf(tx: Tx, ownerIds: readonly string[]): Promise<void> {
  if (ownerIds.length === 0) return;
  await tx.db
    .updateTable('eips')
    .set({ status: 'Available', next_status: null, transition_at: null, instance_id: null, instance_type: null, private_ip: null, mode: null, vpc_id: null })
    .where('instance_id', 'in', ownerIds)
    .execute();
}

/**
 * Every EIP associated at `now` (InUse), of every account, with its private address: what the
 * data plane translates (src/dataplane/snapshot.ts). Associating and Unassociating EIPs are not
 * in effect yet, or no longer.
 */
export async function eipsInUse(tx: Tx, now: number): Promise<Eip[]> {
  const rows = await tx.db
    .selectFrom('eips')
    .selectAll()
    .where(effectiveStatusSql(now), '=', 'InUse')
    .where('private_ip', 'is not', null)
    .where('vpc_id', 'is not', null)
    .orderBy('id')
    .execute();
  return rows.map(toEip);
}

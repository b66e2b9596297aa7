import { sql, type Selectable } from 'kysely';
import { GONE } from '../../domain/async-state.ts';
import type { TagFilter } from '../../domain/tags.ts';
import type { EipsTable, Tx } from '../schema.ts';
import { effectiveStatusSql } from './async-sql.ts';
import { forUpdate, rowCount, toCount, whereTagged } from './common.ts';
import { claimPublicAddress, publicAddressesInUse, releasePublicAddressesOf } from './public-addresses.ts';

export type EipRow = Selectable<EipsTable>;

/** Statuses in which an EIP is bound to an instance or an ENI address. */
export const BOUND_STATUSES = ['Associating', 'InUse', 'Unassociating'] as const;

export async function insertEip(tx: Tx, row: EipRow): Promise<void> {
  await tx.db.insertInto('eips').values(row).execute();
  await claimPublicAddress(tx, row.ip_address, 'eip', row.id);
}

/** One EIP of the account that has not finished releasing, or undefined. */
export async function findEip(tx: Tx, accountId: string, id: string, now: number, lock = false): Promise<EipRow | undefined> {
  const q = tx.db.selectFrom('eips').selectAll().where('id', '=', id).where('account_id', '=', accountId).where(effectiveStatusSql(now), '!=', GONE);
  return (lock ? forUpdate(tx, q) : q).executeTakeFirst();
}

export async function updateEip(tx: Tx, id: string, fields: Partial<Omit<EipRow, 'id' | 'account_id'>>): Promise<void> {
  if (Object.keys(fields).length === 0) return;
  await tx.db.updateTable('eips').set(fields).where('id', '=', id).execute();
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
export async function eipsBoundTo(tx: Tx, ownerIds: readonly string[], now: number): Promise<EipRow[]> {
  if (ownerIds.length === 0) return [];
  return tx.db
    .selectFrom('eips')
    .selectAll()
    .where('instance_id', 'in', ownerIds)
    .where(effectiveStatusSql(now), 'in', [...BOUND_STATUSES])
    .orderBy('created_at')
    .orderBy('id')
    .execute();
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

export async function listEips(tx: Tx, q: EipQuery, now: number, window: { offset: number; limit: number }): Promise<{ rows: EipRow[]; total: number }> {
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
  return { rows, total };
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

import type { Selectable } from 'kysely';
import { GONE } from '../../domain/async-state.ts';
import type { TagFilter } from '../../domain/tags.ts';
import type { InstancesTable, Tx } from '../schema.ts';
import { instanceStatusSql } from './async-sql.ts';
import { forUpdate, rowCount, toCount, whereTagged } from './common.ts';
import { queryTemplate } from '../query-template.ts';

export type InstanceRow = Selectable<InstancesTable>;

export async function insertInstance(tx: Tx, row: InstanceRow): Promise<void> {
  await tx.db.insertInto('instances').values(row).execute();
}

const findTemplate = queryTemplate(
  () => '',
  (tx, v: { accountId: string; id: string; now: number; lock: boolean }) => {
    const q = tx.db
      .selectFrom('instances')
      .selectAll()
      .where('id', '=', v.id)
      .where('account_id', '=', v.accountId)
      .where(instanceStatusSql(v.now), '!=', GONE);
    return v.lock ? forUpdate(tx, q) : q;
  },
);

export async function findInstance(tx: Tx, accountId: string, id: string, now: number, lock = false): Promise<InstanceRow | undefined> {
  return (await findTemplate(tx, { accountId, id, now, lock }))[0];
}

/**
 * An instance by ID alone, whatever its account: the metadata service identifies the asking
 * instance, not a caller with keys (instance IDs are unique across accounts and regions).
 */
export async function findInstanceById(tx: Tx, id: string, now: number): Promise<InstanceRow | undefined> {
  return tx.db.selectFrom('instances').selectAll().where('id', '=', id).where(instanceStatusSql(now), '!=', GONE).executeTakeFirst();
}

/** Instance type by instance ID, for many instances at once. */
export async function instanceTypesOf(tx: Tx, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await tx.db.selectFrom('instances').select(['id', 'instance_type']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.instance_type]));
}

export async function updateInstance(tx: Tx, id: string, fields: Partial<Omit<InstanceRow, 'id' | 'account_id'>>): Promise<void> {
  if (Object.keys(fields).length === 0) return;
  await tx.db.updateTable('instances').set(fields).where('id', '=', id).execute();
}

export async function deleteInstanceRow(tx: Tx, id: string): Promise<void> {
  await tx.db.deleteFrom('tags').where('resource_id', '=', id).execute();
  await tx.db.deleteFrom('instances').where('id', '=', id).execute();
}

export interface InstanceQuery {
  accountId: string;
  regionId: string;
  ids?: readonly string[];
  vpcId?: string;
  vswitchId?: string;
  zoneId?: string;
  name?: string;
  instanceType?: string;
  /** Any of these types (InstanceTypeFamily, resolved by the caller from the catalog). */
  instanceTypes?: readonly string[];
  status?: string;
  /** Instances whose primary ENI is in this group (the instance's groups are its primary ENI's). */
  securityGroupId?: string;
  /** Instances whose primary ENI holds one of these addresses (DescribeInstances PrivateIpAddresses). */
  privateIps?: readonly string[];
  resourceGroupId?: string;
  tags?: readonly TagFilter[];
}

function filtered(tx: Tx, q: InstanceQuery, now: number) {
  const status = instanceStatusSql(now, 'instances');
  let base = tx.db
    .selectFrom('instances')
    .where('instances.account_id', '=', q.accountId)
    .where('instances.region_id', '=', q.regionId)
    .where(status, '!=', GONE);
  if (q.ids) base = base.where('instances.id', 'in', q.ids.length ? q.ids : ['']);
  if (q.vpcId) base = base.where('instances.vpc_id', '=', q.vpcId);
  if (q.vswitchId) base = base.where('instances.vswitch_id', '=', q.vswitchId);
  if (q.zoneId) base = base.where('instances.zone_id', '=', q.zoneId);
  if (q.name !== undefined) base = base.where('instances.name', 'like', q.name.replace(/[%_]/g, (c) => `\\${c}`).replace(/\*/g, '%'));
  if (q.instanceType) base = base.where('instances.instance_type', '=', q.instanceType);
  if (q.instanceTypes) base = base.where('instances.instance_type', 'in', q.instanceTypes.length ? q.instanceTypes : ['']);
  if (q.status) base = base.where(status, '=', q.status);
  if (q.securityGroupId) {
    const sg = q.securityGroupId;
    base = base.where('instances.id', 'in', (eb) =>
      eb
        .selectFrom('network_interfaces')
        .innerJoin('eni_security_groups', 'eni_security_groups.eni_id', 'network_interfaces.id')
        .select('network_interfaces.instance_id')
        .where('network_interfaces.type', '=', 'Primary')
        .where('eni_security_groups.security_group_id', '=', sg),
    );
  }
  if (q.privateIps) {
    const ips = q.privateIps.length ? q.privateIps : [''];
    base = base.where('instances.id', 'in', (eb) =>
      eb
        .selectFrom('network_interfaces')
        .innerJoin('private_ips', 'private_ips.eni_id', 'network_interfaces.id')
        .select('network_interfaces.instance_id')
        .where('network_interfaces.type', '=', 'Primary')
        .where('private_ips.address', 'in', ips),
    );
  }
  if (q.resourceGroupId !== undefined) base = base.where('instances.resource_group_id', '=', q.resourceGroupId);
  return whereTagged(base, 'instances.id', q.accountId, q.tags ?? []);
}

export async function listInstances(
  tx: Tx,
  q: InstanceQuery,
  now: number,
  window: { offset: number; limit: number },
): Promise<{ rows: InstanceRow[]; total: number }> {
  const total = toCount(
    await filtered(tx, q, now)
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirst(),
  );
  const rows = await filtered(tx, q, now)
    .selectAll('instances')
    .orderBy('instances.created_at')
    .orderBy('instances.id')
    .offset(window.offset)
    .limit(rowCount(window.limit))
    .execute();
  return { rows, total };
}

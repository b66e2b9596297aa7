import { sql, type ExpressionBuilder, type RawBuilder, type Selectable, type SelectQueryBuilder, type Updateable } from 'kysely';
import { GONE } from '../../domain/async-state.ts';
import { ipv4ToInt } from '../../domain/cidr.ts';
import { IPV4_PREFIX_LENGTH } from '../../domain/ipam.ts';
import type { EipBinding, Eni, EniChanges, PrivateIp } from '../../domain/models/eni.ts';
import type { TagFilter } from '../../domain/tags.ts';
import type { NetworkInterfacesTable, Schema, Tx } from '../schema.ts';
import { effectiveStatusSql } from './async-sql.ts';
import { present, queryTemplate } from '../query-template.ts';
import { forUpdate, rowCount, toCount, unindexedOnSqlite, whereTagged, setAsyncStateColumns } from './common.ts';

type EniRow = Selectable<NetworkInterfacesTable>;

/** The one place a network_interfaces row becomes an Eni (a plain literal: listings map every row). */
export function toEni(r: EniRow): Eni {
  return {
    id: r.id,
    accountId: r.account_id,
    regionId: r.region_id,
    zoneId: r.zone_id,
    vpcId: r.vpc_id,
    vswitchId: r.vswitch_id,
    type: r.type,
    name: r.name,
    description: r.description,
    macAddress: r.mac_address,
    primaryIp: r.primary_ip,
    status: r.status,
    nextStatus: r.next_status,
    transitionAt: r.transition_at,
    instanceId: r.instance_id,
    deviceIndex: r.device_index,
    deleteOnRelease: r.delete_on_release === 1,
    resourceGroupId: r.resource_group_id,
    createdAt: r.created_at,
    sourceDestCheck: r.source_dest_check === 1,
    queueNumber: r.queue_number,
    trafficMode: r.traffic_mode,
    trunkEniId: r.trunk_eni_id,
  };
}

/** The columns of changed fields: only those given (undefined: unchanged; null: cleared). */
function eniColumns(c: EniChanges): Updateable<NetworkInterfacesTable> {
  const out: Updateable<NetworkInterfacesTable> = {};
  if (c.regionId !== undefined) out.region_id = c.regionId;
  if (c.zoneId !== undefined) out.zone_id = c.zoneId;
  if (c.vpcId !== undefined) out.vpc_id = c.vpcId;
  if (c.vswitchId !== undefined) out.vswitch_id = c.vswitchId;
  if (c.type !== undefined) out.type = c.type;
  if (c.name !== undefined) out.name = c.name;
  if (c.description !== undefined) out.description = c.description;
  if (c.macAddress !== undefined) out.mac_address = c.macAddress;
  if (c.primaryIp !== undefined) out.primary_ip = c.primaryIp;
  setAsyncStateColumns(c, out);
  if (c.instanceId !== undefined) out.instance_id = c.instanceId;
  if (c.deviceIndex !== undefined) out.device_index = c.deviceIndex;
  if (c.deleteOnRelease !== undefined) out.delete_on_release = c.deleteOnRelease ? 1 : 0;
  if (c.resourceGroupId !== undefined) out.resource_group_id = c.resourceGroupId;
  if (c.createdAt !== undefined) out.created_at = c.createdAt;
  if (c.sourceDestCheck !== undefined) out.source_dest_check = c.sourceDestCheck ? 1 : 0;
  if (c.queueNumber !== undefined) out.queue_number = c.queueNumber;
  if (c.trafficMode !== undefined) out.traffic_mode = c.trafficMode;
  if (c.trunkEniId !== undefined) out.trunk_eni_id = c.trunkEniId;
  // A new instance (or none) without a trunk named: the ENI is no member any more. A delayed
  // detach leaves the last trunk behind (read by the effective status only); this clears it on
  // every path that attaches the ENI otherwise (RunInstances, a plain attach, DeleteInstance).
  else if (c.instanceId !== undefined) out.trunk_eni_id = null;
  return out;
}

/** Statuses in which an ENI belongs to an instance. */
export const ATTACHED_STATUSES = ['Attaching', 'InUse', 'Detaching'] as const;

const insertTemplate = queryTemplate(
  () => '',
  (tx, v: { row: EniRow }) => tx.db.insertInto('network_interfaces').values(v.row),
);

export async function insertEni(tx: Tx, eni: Eni): Promise<void> {
  await insertTemplate(tx, {
    row: {
      id: eni.id,
      account_id: eni.accountId,
      region_id: eni.regionId,
      zone_id: eni.zoneId,
      vpc_id: eni.vpcId,
      vswitch_id: eni.vswitchId,
      type: eni.type,
      name: eni.name,
      description: eni.description,
      mac_address: eni.macAddress,
      primary_ip: eni.primaryIp,
      status: eni.status,
      next_status: eni.nextStatus,
      transition_at: eni.transitionAt,
      instance_id: eni.instanceId,
      device_index: eni.deviceIndex,
      delete_on_release: eni.deleteOnRelease ? 1 : 0,
      resource_group_id: eni.resourceGroupId,
      created_at: eni.createdAt,
      source_dest_check: eni.sourceDestCheck ? 1 : 0,
      queue_number: eni.queueNumber,
      traffic_mode: eni.trafficMode,
      trunk_eni_id: eni.trunkEniId,
    },
  });
}

const findTemplate = queryTemplate(
  () => '',
  (tx, v: { accountId: string; id: string; now: number; lock: boolean }) => {
    const q = tx.db
      .selectFrom('network_interfaces')
      .selectAll()
      .where('id', '=', v.id)
      .where('account_id', '=', v.accountId)
      .where(effectiveStatusSql(v.now), '!=', GONE);
    return v.lock ? forUpdate(tx, q) : q;
  },
);

export async function findEni(tx: Tx, accountId: string, id: string, now: number, lock = false): Promise<Eni | undefined> {
  const row = (await findTemplate(tx, { accountId, id, now, lock }))[0];
  return row && toEni(row);
}

export async function updateEni(tx: Tx, id: string, changes: EniChanges): Promise<void> {
  const columns = eniColumns(changes);
  if (Object.keys(columns).length === 0) return;
  await tx.db.updateTable('network_interfaces').set(columns).where('id', '=', id).execute();
}

export async function deleteEniRow(tx: Tx, id: string): Promise<void> {
  await tx.db.deleteFrom('tags').where('resource_id', '=', id).execute();
  await tx.db.deleteFrom('eni_security_groups').where('eni_id', '=', id).execute();
  await tx.db.deleteFrom('private_ips').where('eni_id', '=', id).execute();
  await tx.db.deleteFrom('eni_ipv6_addresses').where('eni_id', '=', id).execute();
  await tx.db.deleteFrom('eni_ipv6_prefixes').where('eni_id', '=', id).execute();
  // Released before (services/addresses.ts releaseEniAddresses); the rows must not outlive the ENI.
  await tx.db.deleteFrom('eni_ipv4_prefixes').where('eni_id', '=', id).execute();
  await tx.db.deleteFrom('network_interfaces').where('id', '=', id).execute();
}

/**
 * Deleting ENIs of a vSwitch whose due time has passed: gone from every listing, their addresses
 * still held until purged (services/addresses.ts purgeDueDeletions). Served by the partial index
 * enis_due_deletion (migration 0008).
 */
const dueTemplate = queryTemplate(
  () => '',
  (tx, v: { vswitchId: string; now: number }) =>
    tx.db
      .selectFrom('network_interfaces')
      .select('id')
      .where('vswitch_id', '=', v.vswitchId)
      .where('next_status', '=', GONE)
      .where('transition_at', '<=', v.now)
      .orderBy('id'),
);

export async function dueDeletionsIn(tx: Tx, vswitchId: string, now: number): Promise<string[]> {
  return (await dueTemplate(tx, { vswitchId, now })).map((r) => r.id);
}

/** Per vSwitch, the addresses that gone (but not yet purged) ENIs still hold: readers count them as free. */
export async function addressesAwaitingRelease(tx: Tx, vswitchIds: readonly string[], now: number): Promise<Map<string, number>> {
  const map = new Map<string, number>();
  if (vswitchIds.length === 0) return map;
  const rows = await tx.db
    .selectFrom('network_interfaces')
    .innerJoin('private_ips', 'private_ips.eni_id', 'network_interfaces.id')
    .select(['network_interfaces.vswitch_id as vswitch_id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('network_interfaces.vswitch_id', 'in', vswitchIds)
    .where('network_interfaces.next_status', '=', GONE)
    .where('network_interfaces.transition_at', '<=', now)
    .groupBy('network_interfaces.vswitch_id')
    .execute();
  for (const r of rows) map.set(r.vswitch_id, Number(r.n));
  return map;
}

/** ENIs that belong to an instance at `now` (primary and secondary, attaching and detaching included). */
export async function enisOfInstance(tx: Tx, instanceId: string, now: number): Promise<Eni[]> {
  const rows = await tx.db
    .selectFrom('network_interfaces')
    .selectAll()
    .where('instance_id', '=', instanceId)
    .where(effectiveStatusSql(now), 'in', [...ATTACHED_STATUSES])
    .orderBy('device_index')
    .execute();
  return rows.map(toEni);
}

/** The members attached to these trunk ENIs at `now` (Attaching, InUse or Detaching), by VLAN (device index). */
export async function membersOfTrunks(tx: Tx, trunkIds: readonly string[], now: number): Promise<Eni[]> {
  if (trunkIds.length === 0) return [];
  const rows = await tx.db
    .selectFrom('network_interfaces')
    .selectAll()
    .where('trunk_eni_id', 'in', trunkIds)
    .where(effectiveStatusSql(now), 'in', [...ATTACHED_STATUSES])
    .orderBy('device_index')
    .orderBy('id')
    .execute();
  return rows.map(toEni);
}

export async function enisOfInstances(tx: Tx, instanceIds: readonly string[], now: number): Promise<Eni[]> {
  if (instanceIds.length === 0) return [];
  const rows = await tx.db
    .selectFrom('network_interfaces')
    .selectAll()
    .where('instance_id', 'in', instanceIds)
    .where(effectiveStatusSql(now), 'in', [...ATTACHED_STATUSES])
    .orderBy('device_index')
    .execute();
  return rows.map(toEni);
}

/** Secondary and trunk ENIs of an account in a region (what the ENI quota counts; primary ENIs belong to their instances). */
const regionCountTemplate = queryTemplate(
  () => '',
  (tx, v: { accountId: string; regionId: string; now: number }) =>
    tx.db
      .selectFrom('network_interfaces')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('account_id', '=', v.accountId)
      .where('region_id', '=', v.regionId)
      .where('type', 'in', ['Secondary', 'Trunk'])
      .where(effectiveStatusSql(v.now), '!=', GONE),
);

export async function countEnisInRegion(tx: Tx, accountId: string, regionId: string, now: number): Promise<number> {
  return toCount((await regionCountTemplate(tx, { accountId, regionId, now }))[0]);
}

export interface EniQuery {
  accountId: string;
  regionId: string;
  ids?: readonly string[];
  instanceId?: string;
  vswitchId?: string;
  vpcId?: string;
  securityGroupId?: string;
  primaryIp?: string;
  privateIps?: readonly string[];
  /** IPv6 addresses in their stored (RFC 5952) spelling. */
  ipv6Addresses?: readonly string[];
  name?: string;
  type?: string;
  status?: string;
  resourceGroupId?: string;
  tags?: readonly TagFilter[];
}

/** Keyset position of a page: rows strictly after (created_at, id). */
export interface EniCursor {
  createdAt: number;
  id: string;
}

/**
 * The Type filter on the type an ENI shows (domain/trunk-rules.ts shownEniType): a secondary ENI
 * attached to a trunk (trunk_eni_id set, effectively Attaching, InUse or Detaching) is a Member,
 * and no longer a Secondary one; after its detach it is Secondary again.
 */
function whereShownType<Q extends SelectQueryBuilder<Schema, 'network_interfaces', object>>(
  base: Q,
  type: string,
  kind: ShownTypeKind,
  status: RawBuilder<string>,
): Q {
  const member = (eb: ExpressionBuilder<Schema, 'network_interfaces'>) =>
    eb.and([eb('network_interfaces.trunk_eni_id', 'is not', null), eb(status, 'in', [...ATTACHED_STATUSES])]);
  if (kind.memberType) return base.where((eb) => eb.and([eb('network_interfaces.type', '=', 'Secondary'), member(eb)])) as Q;
  if (kind.secondaryType) return base.where((eb) => eb.and([eb('network_interfaces.type', '=', 'Secondary'), eb.not(member(eb))])) as Q;
  return base.where('network_interfaces.type', '=', type) as Q;
}

/**
 * Which SQL the Type filter takes: booleans of the template's values, which stay real while a
 * template is built (store/query-template.ts), unlike the type's text.
 */
interface ShownTypeKind {
  memberType: boolean;
  secondaryType: boolean;
}

function shownTypeKind(q: EniQuery): ShownTypeKind {
  return { memberType: q.type === 'Member', secondaryType: q.type === 'Secondary' };
}

function filtered(tx: Tx, q: EniQuery, now: number, kind: ShownTypeKind) {
  const status = effectiveStatusSql(now, 'network_interfaces');
  // Listing by IDs, instance or vSwitch: their own indexes find far fewer rows than the owner's.
  const keyed = q.ids !== undefined || q.instanceId !== undefined || q.vswitchId !== undefined;
  const owner = (column: string) => (keyed ? unindexedOnSqlite(tx, column) : sql.ref<string>(column));
  let base = tx.db
    .selectFrom('network_interfaces')
    .where(owner('network_interfaces.account_id'), '=', q.accountId)
    .where(owner('network_interfaces.region_id'), '=', q.regionId)
    .where(status, '!=', GONE);
  if (q.ids) base = base.where('network_interfaces.id', 'in', q.ids.length ? q.ids : ['']);
  if (q.instanceId) base = base.where('network_interfaces.instance_id', '=', q.instanceId).where(status, 'in', [...ATTACHED_STATUSES]);
  if (q.vswitchId) base = base.where('network_interfaces.vswitch_id', '=', q.vswitchId);
  if (q.vpcId) base = base.where('network_interfaces.vpc_id', '=', q.vpcId);
  if (q.primaryIp) base = base.where('network_interfaces.primary_ip', '=', q.primaryIp);
  if (q.name !== undefined) base = base.where('network_interfaces.name', '=', q.name);
  if (q.type) base = whereShownType(base, q.type, kind, status);
  if (q.status) base = base.where(status, '=', q.status);
  if (q.resourceGroupId) base = base.where('network_interfaces.resource_group_id', '=', q.resourceGroupId);
  if (q.securityGroupId) {
    // "The security group ID of the secondary ENI"; primary ENIs are found by group through
    // DescribeInstances (ECS-SDK DescribeNetworkInterfacesRequest.SecurityGroupId).
    const sg = q.securityGroupId;
    base = base
      .where('network_interfaces.type', 'in', ['Secondary', 'Trunk'])
      .where('network_interfaces.id', 'in', (eb) => eb.selectFrom('eni_security_groups').select('eni_id').where('security_group_id', '=', sg));
  }
  if (q.privateIps?.length) {
    const ips = q.privateIps;
    base = base.where('network_interfaces.id', 'in', (eb) => eb.selectFrom('private_ips').select('eni_id').where('address', 'in', ips));
  }
  if (q.ipv6Addresses?.length) {
    const ips = q.ipv6Addresses;
    base = base.where('network_interfaces.id', 'in', (eb) => eb.selectFrom('eni_ipv6_addresses').select('eni_id').where('address', 'in', ips));
  }
  return whereTagged(base, 'network_interfaces.id', q.accountId, q.tags ?? []);
}

/**
 * The filters as `filtered` reads them: an empty string names nothing (the API passes what the
 * caller sent), so it is dropped here, where the template's shape can see it.
 */
function normalized(q: EniQuery): EniQuery {
  const named = (v: string | undefined) => (v ? v : undefined);
  return {
    ...q,
    instanceId: named(q.instanceId),
    vswitchId: named(q.vswitchId),
    vpcId: named(q.vpcId),
    primaryIp: named(q.primaryIp),
    type: named(q.type),
    status: named(q.status),
    securityGroupId: named(q.securityGroupId),
    resourceGroupId: named(q.resourceGroupId),
  };
}

/** What `filtered` branches on (see store/query-template.ts). */
function queryShape(q: EniQuery): string {
  const { ids, instanceId, vswitchId, vpcId, securityGroupId, primaryIp, privateIps, ipv6Addresses, name, type, status, resourceGroupId } = q;
  const tags = (q.tags ?? []).map((t) => (t.value === undefined ? 'k' : 'kv')).join(',');
  return (
    [ids, instanceId, vswitchId, vpcId, securityGroupId, primaryIp, privateIps, ipv6Addresses, name, type, status, resourceGroupId].map(present).join('') + tags
  );
}

const countTemplate = queryTemplate(
  (v: { q: EniQuery; now: number } & ShownTypeKind) => queryShape(v.q),
  (tx, v) => filtered(tx, v.q, v.now, v).select((eb) => eb.fn.countAll<number>().as('n')),
);

export async function countEnis(tx: Tx, q: EniQuery, now: number): Promise<number> {
  const nq = normalized(q);
  return toCount((await countTemplate(tx, { q: nq, now, ...shownTypeKind(nq) }))[0]);
}

interface ListValues extends ShownTypeKind {
  q: EniQuery;
  now: number;
  limit: number;
  after?: EniCursor;
  offset?: number;
}

const listTemplate = queryTemplate(
  (v: ListValues) => `${queryShape(v.q)}|${present(v.after)}${present(v.offset)}`,
  (tx, v) => {
    let query = filtered(tx, v.q, v.now, v).selectAll('network_interfaces');
    if (v.after) {
      const { createdAt, id } = v.after;
      query = query.where((eb) =>
        eb.or([
          eb('network_interfaces.created_at', '>', createdAt),
          eb.and([eb('network_interfaces.created_at', '=', createdAt), eb('network_interfaces.id', '>', id)]),
        ]),
      );
    }
    query = query.orderBy('network_interfaces.created_at').orderBy('network_interfaces.id').limit(rowCount(v.limit));
    return v.offset !== undefined ? query.offset(v.offset) : query;
  },
);

/** One page in (created_at, id) order, after a keyset cursor or at an offset. */
export async function listEnis(tx: Tx, q: EniQuery, now: number, page: { limit: number; after?: EniCursor; offset?: number }): Promise<Eni[]> {
  const nq = normalized(q);
  const rows = await listTemplate(tx, { q: nq, now, limit: page.limit, after: page.after, offset: page.offset || undefined, ...shownTypeKind(nq) });
  return rows.map(toEni);
}

// --- security group membership ---

const clearGroupsTemplate = queryTemplate(
  () => '',
  (tx, v: { eniId: string }) => tx.db.deleteFrom('eni_security_groups').where('eni_id', '=', v.eniId),
);

const addGroupsTemplate = queryTemplate(
  (v: { rows: { eni_id: string; security_group_id: string; position: number }[] }) => present(v.rows),
  (tx, v) => tx.db.insertInto('eni_security_groups').values(v.rows),
);

/** Replaces an ENI's groups; `fresh`: it has none yet (a new ENI), nothing to clear. */
export async function setEniSecurityGroups(tx: Tx, eniId: string, groupIds: readonly string[], fresh = false): Promise<void> {
  if (!fresh) await clearGroupsTemplate(tx, { eniId });
  if (groupIds.length === 0) return;
  await addGroupsTemplate(tx, { rows: groupIds.map((g, i) => ({ eni_id: eniId, security_group_id: g, position: i })) });
}

const groupsTemplate = queryTemplate(
  (v: { eniIds: readonly string[] }) => present(v.eniIds),
  (tx, v) =>
    tx.db.selectFrom('eni_security_groups').select(['eni_id', 'security_group_id']).where('eni_id', 'in', v.eniIds).orderBy('eni_id').orderBy('position'),
);

/** One membership less; the others keep their positions (a gap orders the same). */
export async function removeEniSecurityGroup(tx: Tx, eniId: string, groupId: string): Promise<void> {
  await tx.db.deleteFrom('eni_security_groups').where('eni_id', '=', eniId).where('security_group_id', '=', groupId).execute();
}

export async function securityGroupsOf(tx: Tx, eniIds: readonly string[]): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>();
  if (eniIds.length === 0) return map;
  const rows = await groupsTemplate(tx, { eniIds });
  for (const r of rows) map.set(r.eni_id, [...(map.get(r.eni_id) ?? []), r.security_group_id]);
  return map;
}

/**
 * Private IPs held by all ENIs of a security group (the 2,000 quota counts these). Counted per
 * member ENI by a correlated subquery, which both databases run as index probes: as a join,
 * PostgreSQL without fresh statistics chose a hash join over a scan of every address.
 */
const groupAddressesTemplate = queryTemplate(
  () => '',
  (tx, v: { groupId: string }) =>
    tx.db
      .selectFrom('eni_security_groups as member')
      .select((eb) =>
        eb.fn
          .coalesce(
            eb.fn.sum<number>(
              eb
                .selectFrom('private_ips')
                .select((inner) => inner.fn.countAll<number>().as('c'))
                .whereRef('private_ips.eni_id', '=', 'member.eni_id'),
            ),
            eb.lit(0),
          )
          .as('n'),
      )
      .where('member.security_group_id', '=', v.groupId),
);

export async function countIpsInSecurityGroup(tx: Tx, groupId: string): Promise<number> {
  return toCount((await groupAddressesTemplate(tx, { groupId }))[0]);
}

// --- private addresses ---

const insertIpsTemplate = queryTemplate(
  (v: { rows: { vswitch_id: string; address_int: number; address: string; eni_id: string; is_primary: number; created_at: number }[] }) => present(v.rows),
  (tx, v) => tx.db.insertInto('private_ips').values(v.rows),
);

export async function insertPrivateIps(tx: Tx, vswitchId: string, eniId: string, ips: readonly PrivateIp[], now: number): Promise<void> {
  if (ips.length === 0) return;
  await insertIpsTemplate(tx, {
    rows: ips.map((ip) => ({
      vswitch_id: vswitchId,
      address_int: ip.addressInt,
      address: ip.address,
      eni_id: eniId,
      is_primary: ip.isPrimary ? 1 : 0,
      created_at: now,
    })),
  });
}

export async function deletePrivateIps(tx: Tx, vswitchId: string, addressInts: readonly number[]): Promise<void> {
  if (addressInts.length === 0) return;
  await tx.db.deleteFrom('private_ips').where('vswitch_id', '=', vswitchId).where('address_int', 'in', addressInts).execute();
}

/** Addresses per ENI, primary first, then in the order they were assigned. */
const addressesTemplate = queryTemplate(
  (v: { eniIds: readonly string[] }) => present(v.eniIds),
  (tx, v) =>
    tx.db
      .selectFrom('private_ips')
      .select(['eni_id', 'address', 'address_int', 'is_primary'])
      .where('eni_id', 'in', v.eniIds)
      .orderBy('eni_id')
      .orderBy('is_primary', 'desc')
      .orderBy('created_at')
      .orderBy('address_int'),
);

export async function privateIpsOf(tx: Tx, eniIds: readonly string[]): Promise<Map<string, PrivateIp[]>> {
  const map = new Map<string, PrivateIp[]>();
  if (eniIds.length === 0) return map;
  const rows = await addressesTemplate(tx, { eniIds });
  for (const r of rows) {
    const list = map.get(r.eni_id) ?? [];
    list.push({ address: r.address, addressInt: Number(r.address_int), isPrimary: r.is_primary === 1 });
    map.set(r.eni_id, list);
  }
  return map;
}

/** Adjusts the vSwitch's used-address count in the same transaction as the allocation. */
const usageTemplate = queryTemplate(
  () => '',
  (tx, v: { vswitchId: string; delta: number }) =>
    tx.db
      .updateTable('vswitches')
      .set({ ip_used: sql`ip_used + ${v.delta}` })
      .where('id', '=', v.vswitchId),
);

export async function addVSwitchUsage(tx: Tx, vswitchId: string, delta: number): Promise<void> {
  if (delta === 0) return;
  await usageTemplate(tx, { vswitchId, delta });
}

const boundEipsTemplate = queryTemplate(
  (v: { ownerIds: readonly string[]; now: number }) => present(v.ownerIds),
  (tx, v) =>
    tx.db
      .selectFrom('eips')
      .select(['id', 'ip_address', 'instance_id', 'instance_type', 'private_ip', 'bandwidth', 'internet_charge_type'])
      .where('instance_id', 'in', v.ownerIds)
      .where(effectiveStatusSql(v.now), 'in', ['Associating', 'InUse', 'Unassociating'])
      .orderBy('created_at')
      .orderBy('id'),
);

/**
 * EIPs bound at `now` to these ENIs' addresses: associated with the ENI itself (InstanceType
 * NetworkInterface), or with the instance, which lands on its primary ENI's primary address.
 * Bound means Associating, InUse or Unassociating at `now`: an unassociation whose delay has
 * passed no longer counts.
 */
export async function eipsOfEnis(
  tx: Tx,
  enis: readonly { id: string; instanceId: string | null; type: string; primaryIp: string }[],
  now: number,
): Promise<Map<string, EipBinding[]>> {
  const map = new Map<string, EipBinding[]>();
  const byOwner = new Map<string, { id: string; primaryIp: string }>();
  for (const e of enis) {
    byOwner.set(e.id, e);
    if (e.type === 'Primary' && e.instanceId) byOwner.set(e.instanceId, e);
  }
  if (byOwner.size === 0) return map;
  const rows = await boundEipsTemplate(tx, { ownerIds: [...byOwner.keys()], now });
  for (const r of rows) {
    const eni = byOwner.get(r.instance_id!)!;
    const binding: EipBinding = {
      allocationId: r.id,
      publicIp: r.ip_address,
      // An instance's EIP sits on its primary ENI's primary address.
      privateIp: r.instance_id === eni.id ? (r.private_ip ?? eni.primaryIp) : eni.primaryIp,
      associatedType: r.instance_type ?? (r.instance_id === eni.id ? 'NetworkInterface' : 'EcsInstance'),
      bandwidth: Number(r.bandwidth),
      internetChargeType: r.internet_charge_type,
    };
    map.set(eni.id, [...(map.get(eni.id) ?? []), binding]);
  }
  return map;
}

/**
 * Every ENI of a VPC that exists at `now` (any status but gone), in creation order: what the data
 * plane's security group ruleset of the VPC covers (dataplane/security-groups-store.ts).
 */
export async function enisOfVpc(tx: Tx, owner: { accountId: string; regionId: string }, vpcId: string, now: number): Promise<Eni[]> {
  const rows = await tx.db
    .selectFrom('network_interfaces')
    .selectAll()
    .where('account_id', '=', owner.accountId)
    .where('region_id', '=', owner.regionId)
    .where('vpc_id', '=', vpcId)
    .where(effectiveStatusSql(now), '!=', GONE)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  return rows.map(toEni);
}

/**
 * The instance whose ENI in this VPC holds the IPv4 address at `now`, with the ENI InUse on it: as
 * one of its private IPs (primary or secondary), else inside one of its IPv4 /28 prefixes. How the
 * metadata service on the data plane knows its caller by the request's source address.
 */
export async function instanceHoldingAddress(tx: Tx, vpcId: string, address: string, now: number): Promise<string | undefined> {
  const inUse = effectiveStatusSql(now, 'network_interfaces');
  const byIp = await tx.db
    .selectFrom('private_ips')
    .innerJoin('network_interfaces', 'network_interfaces.id', 'private_ips.eni_id')
    .select('network_interfaces.instance_id')
    .where('private_ips.address', '=', address)
    .where('network_interfaces.vpc_id', '=', vpcId)
    .where(inUse, '=', 'InUse')
    .executeTakeFirst();
  if (byIp?.instance_id) return byIp.instance_id;
  const n = ipv4ToInt(address);
  if (n === null) return undefined;
  const byPrefix = await tx.db
    .selectFrom('eni_ipv4_prefixes')
    .innerJoin('network_interfaces', 'network_interfaces.id', 'eni_ipv4_prefixes.eni_id')
    .select('network_interfaces.instance_id')
    .where('eni_ipv4_prefixes.first_int', '=', n - (n % 2 ** (32 - IPV4_PREFIX_LENGTH)))
    .where('network_interfaces.vpc_id', '=', vpcId)
    .where(inUse, '=', 'InUse')
    .executeTakeFirst();
  return byPrefix?.instance_id ?? undefined;
}

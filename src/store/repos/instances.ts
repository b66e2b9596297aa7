import { sql, type Selectable, type Updateable } from 'kysely';
import { GONE } from '../../domain/async-state.ts';
import type { Instance, InstanceAttributes, InstanceChanges } from '../../domain/models/instance.ts';
import type { TagFilter } from '../../domain/tags.ts';
import type { InstancesTable, Tx } from '../schema.ts';
import { instanceStatusSql } from './async-sql.ts';
import { forUpdate, rowCount, toCount, whereTagged, setAsyncStateColumns } from './common.ts';
import { queryTemplate } from '../query-template.ts';

type InstanceRow = Selectable<InstancesTable>;

/** The one place an instances row becomes an Instance; `attributes` is stored as JSON text. */
export function toInstance(r: InstanceRow): Instance {
  return {
    id: r.id,
    accountId: r.account_id,
    regionId: r.region_id,
    zoneId: r.zone_id,
    vpcId: r.vpc_id,
    vswitchId: r.vswitch_id,
    instanceType: r.instance_type,
    imageId: r.image_id,
    name: r.name,
    hostName: r.host_name,
    description: r.description,
    status: r.status,
    nextStatus: r.next_status,
    transitionAt: r.transition_at,
    finalStatus: r.final_status,
    finalAt: r.final_at,
    deletionProtection: r.deletion_protection === 1,
    httpEndpoint: r.http_endpoint,
    httpTokens: r.http_tokens,
    httpPutResponseHopLimit: r.http_put_response_hop_limit,
    instanceMetadataTags: r.instance_metadata_tags,
    attributes: JSON.parse(r.attributes) as InstanceAttributes,
    createdAt: r.created_at,
    startedAt: r.started_at,
    publicIp: r.public_ip,
    resourceGroupId: r.resource_group_id,
  };
}

/** The columns of changed fields: only those given (undefined: unchanged; null: cleared). */
function instanceColumns(c: InstanceChanges): Updateable<InstancesTable> {
  const out: Updateable<InstancesTable> = {};
  if (c.regionId !== undefined) out.region_id = c.regionId;
  if (c.zoneId !== undefined) out.zone_id = c.zoneId;
  if (c.vpcId !== undefined) out.vpc_id = c.vpcId;
  if (c.vswitchId !== undefined) out.vswitch_id = c.vswitchId;
  if (c.instanceType !== undefined) out.instance_type = c.instanceType;
  if (c.imageId !== undefined) out.image_id = c.imageId;
  if (c.name !== undefined) out.name = c.name;
  if (c.hostName !== undefined) out.host_name = c.hostName;
  if (c.description !== undefined) out.description = c.description;
  setAsyncStateColumns(c, out);
  if (c.finalStatus !== undefined) out.final_status = c.finalStatus;
  if (c.finalAt !== undefined) out.final_at = c.finalAt;
  if (c.deletionProtection !== undefined) out.deletion_protection = c.deletionProtection ? 1 : 0;
  if (c.httpEndpoint !== undefined) out.http_endpoint = c.httpEndpoint;
  if (c.httpTokens !== undefined) out.http_tokens = c.httpTokens;
  if (c.httpPutResponseHopLimit !== undefined) out.http_put_response_hop_limit = c.httpPutResponseHopLimit;
  if (c.instanceMetadataTags !== undefined) out.instance_metadata_tags = c.instanceMetadataTags;
  if (c.attributes !== undefined) out.attributes = JSON.stringify(c.attributes);
  if (c.createdAt !== undefined) out.created_at = c.createdAt;
  if (c.startedAt !== undefined) out.started_at = c.startedAt;
  if (c.publicIp !== undefined) out.public_ip = c.publicIp;
  if (c.resourceGroupId !== undefined) out.resource_group_id = c.resourceGroupId;
  return out;
}

export async function insertInstance(tx: Tx, inst: Instance): Promise<void> {
  await tx.db
    .insertInto('instances')
    .values({
      id: inst.id,
      account_id: inst.accountId,
      region_id: inst.regionId,
      zone_id: inst.zoneId,
      vpc_id: inst.vpcId,
      vswitch_id: inst.vswitchId,
      instance_type: inst.instanceType,
      image_id: inst.imageId,
      name: inst.name,
      host_name: inst.hostName,
      description: inst.description,
      status: inst.status,
      next_status: inst.nextStatus,
      transition_at: inst.transitionAt,
      final_status: inst.finalStatus,
      final_at: inst.finalAt,
      deletion_protection: inst.deletionProtection ? 1 : 0,
      http_endpoint: inst.httpEndpoint,
      http_tokens: inst.httpTokens,
      http_put_response_hop_limit: inst.httpPutResponseHopLimit,
      instance_metadata_tags: inst.instanceMetadataTags,
      attributes: JSON.stringify(inst.attributes),
      created_at: inst.createdAt,
      started_at: inst.startedAt,
      public_ip: inst.publicIp,
      resource_group_id: inst.resourceGroupId,
    })
    .execute();
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

export async function findInstance(tx: Tx, accountId: string, id: string, now: number, lock = false): Promise<Instance | undefined> {
  const row = (await findTemplate(tx, { accountId, id, now, lock }))[0];
  return row && toInstance(row);
}

/**
 * An instance by ID alone, whatever its account: the metadata service identifies the asking
 * instance, not a caller with keys (instance IDs are unique across accounts and regions).
 */
export async function findInstanceById(tx: Tx, id: string, now: number): Promise<Instance | undefined> {
  const row = await tx.db.selectFrom('instances').selectAll().where('id', '=', id).where(instanceStatusSql(now), '!=', GONE).executeTakeFirst();
  return row && toInstance(row);
}

/**
 * Every instance that exists at `now`, of every account and region: what the data plane realizes
 * (dataplane/snapshot.ts), in creation order.
 */
export async function allInstances(tx: Tx, now: number): Promise<Instance[]> {
  const rows = await tx.db.selectFrom('instances').selectAll().where(instanceStatusSql(now), '!=', GONE).orderBy('created_at').orderBy('id').execute();
  return rows.map(toInstance);
}

/** Instance type by instance ID, for many instances at once. */
export async function instanceTypesOf(tx: Tx, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await tx.db.selectFrom('instances').select(['id', 'instance_type']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.instance_type]));
}

export async function updateInstance(tx: Tx, id: string, changes: InstanceChanges): Promise<void> {
  const columns = instanceColumns(changes);
  if (Object.keys(columns).length === 0) return;
  await tx.db.updateTable('instances').set(columns).where('id', '=', id).execute();
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
  /** Instances one of whose ENIs holds one of these IPv6 addresses (RFC 5952 spelling). */
  ipv6Addresses?: readonly string[];
  resourceGroupId?: string;
  tags?: readonly TagFilter[];
}

/**
 * InstanceName as DescribeInstances matches it: `*` is the wildcard, every other character is
 * itself, case counting. SQLite's LIKE has no escape character unless one is named and ignores
 * ASCII case, so there the pattern is a GLOB (case-sensitive; its own wildcards `?` and `[`
 * bracketed to stand for themselves); PostgreSQL's LIKE escapes `%` and `_` with a backslash.
 */
function nameMatches(tx: Tx, pattern: string) {
  const name = sql.ref('instances.name');
  if (tx.dialect === 'sqlite') return sql<boolean>`${name} glob ${pattern.replace(/[?[]/g, (c) => `[${c}]`)}`;
  return sql<boolean>`${name} like ${pattern.replace(/[\\%_]/g, (c) => `\\${c}`).replace(/\*/g, '%')}`;
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
  if (q.name !== undefined) base = base.where(nameMatches(tx, q.name));
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
  if (q.ipv6Addresses?.length) {
    const ips = q.ipv6Addresses;
    base = base.where('instances.id', 'in', (eb) =>
      eb
        .selectFrom('network_interfaces')
        .innerJoin('eni_ipv6_addresses', 'eni_ipv6_addresses.eni_id', 'network_interfaces.id')
        .select('network_interfaces.instance_id')
        .where('eni_ipv6_addresses.address', 'in', ips),
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
): Promise<{ instances: Instance[]; total: number }> {
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
  return { instances: rows.map(toInstance), total };
}

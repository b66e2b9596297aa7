import type { Selectable, Updateable } from 'kysely';
import type { SecurityGroup, SecurityGroupRule } from '../../domain/models/security-group.ts';
import type { TagFilter } from '../../domain/tags.ts';
import type { SecurityGroupRulesTable, SecurityGroupsTable, Tx } from '../schema.ts';
import { forUpdate, rowCount, toCount, whereTagged } from './common.ts';
import { queryTemplate } from '../query-template.ts';

type SecurityGroupRow = Selectable<SecurityGroupsTable>;
type SecurityGroupRuleRow = Selectable<SecurityGroupRulesTable>;

function toSecurityGroup(r: SecurityGroupRow): SecurityGroup {
  return {
    id: r.id,
    accountId: r.account_id,
    regionId: r.region_id,
    vpcId: r.vpc_id,
    name: r.name,
    description: r.description,
    type: r.type,
    innerAccessPolicy: r.inner_access_policy,
    resourceGroupId: r.resource_group_id,
    createdAt: r.created_at,
  };
}

function toRule(r: SecurityGroupRuleRow): SecurityGroupRule {
  return {
    id: r.id,
    securityGroupId: r.security_group_id,
    direction: r.direction,
    ipProtocol: r.ip_protocol,
    portRange: r.port_range,
    sourcePortRange: r.source_port_range,
    sourceCidrIp: r.source_cidr_ip,
    sourceGroupId: r.source_group_id,
    sourceGroupOwnerAccount: r.source_group_owner_account,
    destCidrIp: r.dest_cidr_ip,
    destGroupId: r.dest_group_id,
    destGroupOwnerAccount: r.dest_group_owner_account,
    ipv6SourceCidrIp: r.ipv6_source_cidr_ip,
    ipv6DestCidrIp: r.ipv6_dest_cidr_ip,
    sourcePrefixListId: r.source_prefix_list_id,
    destPrefixListId: r.dest_prefix_list_id,
    policy: r.policy,
    priority: r.priority,
    nicType: r.nic_type,
    description: r.description,
    createdAt: r.created_at,
  };
}

function ruleColumns(r: SecurityGroupRule): SecurityGroupRuleRow {
  return {
    id: r.id,
    security_group_id: r.securityGroupId,
    direction: r.direction,
    ip_protocol: r.ipProtocol,
    port_range: r.portRange,
    source_port_range: r.sourcePortRange,
    source_cidr_ip: r.sourceCidrIp,
    source_group_id: r.sourceGroupId,
    source_group_owner_account: r.sourceGroupOwnerAccount,
    dest_cidr_ip: r.destCidrIp,
    dest_group_id: r.destGroupId,
    dest_group_owner_account: r.destGroupOwnerAccount,
    ipv6_source_cidr_ip: r.ipv6SourceCidrIp,
    ipv6_dest_cidr_ip: r.ipv6DestCidrIp,
    source_prefix_list_id: r.sourcePrefixListId,
    dest_prefix_list_id: r.destPrefixListId,
    policy: r.policy,
    priority: r.priority,
    nic_type: r.nicType,
    description: r.description,
    created_at: r.createdAt,
  };
}

export async function countSecurityGroupsInVpc(tx: Tx, vpcId: string): Promise<number> {
  return toCount(
    await tx.db
      .selectFrom('security_groups')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('vpc_id', '=', vpcId)
      .executeTakeFirst(),
  );
}

export async function countSecurityGroupsInRegion(tx: Tx, accountId: string, regionId: string): Promise<number> {
  return toCount(
    await tx.db
      .selectFrom('security_groups')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('account_id', '=', accountId)
      .where('region_id', '=', regionId)
      .executeTakeFirst(),
  );
}

export async function insertSecurityGroup(tx: Tx, group: SecurityGroup): Promise<void> {
  await tx.db
    .insertInto('security_groups')
    .values({
      id: group.id,
      account_id: group.accountId,
      region_id: group.regionId,
      vpc_id: group.vpcId,
      name: group.name,
      description: group.description,
      type: group.type,
      inner_access_policy: group.innerAccessPolicy,
      resource_group_id: group.resourceGroupId,
      created_at: group.createdAt,
    })
    .execute();
}

/**
 * One security group of the account in the region, or undefined: another account's group, or
 * one in another region, is as absent as a missing one. `lock` holds the row for the rest of the
 * transaction (rule changes and deletion of one group are serialised by it).
 */
const findTemplate = queryTemplate(
  () => '',
  (tx, v: { accountId: string; regionId: string; id: string; lock: boolean }) => {
    const q = tx.db.selectFrom('security_groups').selectAll().where('id', '=', v.id).where('account_id', '=', v.accountId).where('region_id', '=', v.regionId);
    return v.lock ? forUpdate(tx, q) : q;
  },
);

export async function findSecurityGroup(tx: Tx, owner: { accountId: string; regionId: string }, id: string, lock = false): Promise<SecurityGroup | undefined> {
  const row = (await findTemplate(tx, { accountId: owner.accountId, regionId: owner.regionId, id, lock }))[0];
  return row && toSecurityGroup(row);
}

export interface SecurityGroupQuery {
  accountId: string;
  regionId: string;
  ids?: readonly string[];
  vpcId?: string;
  name?: string;
  type?: string;
  resourceGroupId?: string;
  tags?: readonly TagFilter[];
}

/** Groups matching every given filter, in creation order (then ID), with the total count. */
export async function listSecurityGroups(
  tx: Tx,
  q: SecurityGroupQuery,
  window: { offset: number; limit: number },
): Promise<{ groups: SecurityGroup[]; total: number }> {
  let base = tx.db.selectFrom('security_groups').where('account_id', '=', q.accountId).where('region_id', '=', q.regionId);
  if (q.ids) base = base.where('id', 'in', q.ids.length ? q.ids : ['']);
  if (q.vpcId !== undefined) base = base.where('vpc_id', '=', q.vpcId);
  if (q.name !== undefined) base = base.where('name', '=', q.name);
  if (q.type !== undefined) base = base.where('type', '=', q.type);
  if (q.resourceGroupId !== undefined) base = base.where('resource_group_id', '=', q.resourceGroupId);
  base = whereTagged(base, 'security_groups.id', q.accountId, q.tags ?? []);
  const total = toCount(await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst());
  const rows = await base.selectAll().orderBy('created_at').orderBy('id').offset(window.offset).limit(rowCount(window.limit)).execute();
  return { groups: rows.map(toSecurityGroup), total };
}

export async function updateSecurityGroup(
  tx: Tx,
  id: string,
  changes: Partial<Pick<SecurityGroup, 'name' | 'description' | 'innerAccessPolicy'>>,
): Promise<void> {
  const set: Updateable<SecurityGroupsTable> = {};
  if (changes.name !== undefined) set.name = changes.name;
  if (changes.description !== undefined) set.description = changes.description;
  if (changes.innerAccessPolicy !== undefined) set.inner_access_policy = changes.innerAccessPolicy;
  if (Object.keys(set).length === 0) return;
  await tx.db.updateTable('security_groups').set(set).where('id', '=', id).execute();
}

/** Removes a group with its rules and tags. */
export async function deleteSecurityGroupRow(tx: Tx, id: string): Promise<void> {
  await tx.db.deleteFrom('security_group_rules').where('security_group_id', '=', id).execute();
  await tx.db.deleteFrom('tags').where('resource_id', '=', id).execute();
  await tx.db.deleteFrom('security_groups').where('id', '=', id).execute();
}

/** Names of groups by ID (for SourceGroupName/DestGroupName). */
export async function securityGroupNamesOf(tx: Tx, ids: readonly string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await tx.db.selectFrom('security_groups').select(['id', 'name']).where('id', 'in', ids).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

/**
 * How many ENIs are in the group: secondary ENIs directly, instances through their primary ENI
 * (eni_security_groups holds both). DeleteSecurityGroup refuses a group with members. An ENI
 * being deleted has already left its groups.
 */
export async function securityGroupMemberCount(tx: Tx, groupId: string): Promise<number> {
  return toCount(
    await tx.db
      .selectFrom('eni_security_groups')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('security_group_id', '=', groupId)
      .executeTakeFirst(),
  );
}

/**
 * EcsCount and AvailableInstanceAmount of DescribeSecurityGroups, for many groups at once.
 * EcsCount is "the number of private IP addresses that are contained in the security group"
 * (ECS-SDK DescribeSecurityGroupsResponseBody): the addresses of its member ENIs, primary ENIs of
 * instances included, the count the 2,000-address capacity of a basic group is measured in.
 *
 * AvailableInstanceAmount ("the number of private IP addresses that can be added") is left 0:
 * the cloud documents both fields as valid only with IsQueryEcsCount=true, which
 * DescribeSecurityGroups does not take yet; the remaining capacity is the group's capacity
 * (2,000 basic, 65,536 advanced) minus EcsCount.
 */
export async function securityGroupCapacityOf(tx: Tx, ids: readonly string[]): Promise<Map<string, { ecsCount: number; availableInstanceAmount: number }>> {
  const map = new Map(ids.map((id) => [id, { ecsCount: 0, availableInstanceAmount: 0 }]));
  if (ids.length === 0) return map;
  const rows = await tx.db
    .selectFrom('eni_security_groups')
    .innerJoin('private_ips', 'private_ips.eni_id', 'eni_security_groups.eni_id')
    .select(['eni_security_groups.security_group_id as id', (eb) => eb.fn.countAll<number>().as('n')])
    .where('eni_security_groups.security_group_id', 'in', ids)
    .groupBy('eni_security_groups.security_group_id')
    .execute();
  for (const r of rows) map.set(r.id, { ecsCount: toCount(r), availableInstanceAmount: 0 });
  return map;
}

// ---- rules ----

/** A group's rules, in creation order (then ID), optionally of one direction. */
export async function rulesOfGroup(tx: Tx, groupId: string, direction?: string): Promise<SecurityGroupRule[]> {
  let q = tx.db.selectFrom('security_group_rules').selectAll().where('security_group_id', '=', groupId);
  if (direction !== undefined) q = q.where('direction', '=', direction);
  const rows = await q.orderBy('created_at').orderBy('id').execute();
  return rows.map(toRule);
}

/** Groups by ID, whatever their account (a rule may name another account's group); absent IDs are left out. */
export async function securityGroupsByIds(tx: Tx, ids: readonly string[]): Promise<SecurityGroup[]> {
  if (ids.length === 0) return [];
  const rows = await tx.db.selectFrom('security_groups').selectAll().where('id', 'in', ids).orderBy('id').execute();
  return rows.map(toSecurityGroup);
}

/** The rules of many groups, each group's in creation order (then ID). */
export async function rulesOfGroups(tx: Tx, groupIds: readonly string[]): Promise<Map<string, SecurityGroupRule[]>> {
  const map = new Map<string, SecurityGroupRule[]>();
  if (groupIds.length === 0) return map;
  const rows = await tx.db
    .selectFrom('security_group_rules')
    .selectAll()
    .where('security_group_id', 'in', groupIds)
    .orderBy('security_group_id')
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  for (const r of rows) map.set(r.security_group_id, [...(map.get(r.security_group_id) ?? []), toRule(r)]);
  return map;
}

export async function insertRules(tx: Tx, rules: readonly SecurityGroupRule[]): Promise<void> {
  if (rules.length === 0) return;
  await tx.db.insertInto('security_group_rules').values(rules.map(ruleColumns)).execute();
}

/** Rewrites a rule in place (ModifySecurityGroupRule): its ID, group, direction and creation time stay. */
export async function updateRule(tx: Tx, rule: SecurityGroupRule): Promise<void> {
  const { id: _id, security_group_id: _group, direction: _direction, created_at: _created, ...columns } = ruleColumns(rule);
  await tx.db.updateTable('security_group_rules').set(columns).where('id', '=', rule.id).execute();
}

export async function deleteRules(tx: Tx, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  await tx.db.deleteFrom('security_group_rules').where('id', 'in', ids).execute();
}

/** RuleCount and GroupToGroupRuleCount of DescribeSecurityGroups, for many groups at once. */
export async function ruleCountsOf(tx: Tx, groupIds: readonly string[]): Promise<Map<string, { rules: number; groupRules: number }>> {
  const map = new Map<string, { rules: number; groupRules: number }>();
  if (groupIds.length === 0) return map;
  const rows = await tx.db
    .selectFrom('security_group_rules')
    .select(['security_group_id', 'source_group_id', 'dest_group_id'])
    .where('security_group_id', 'in', groupIds)
    .execute();
  for (const r of rows) {
    const c = map.get(r.security_group_id) ?? { rules: 0, groupRules: 0 };
    c.rules += 1;
    if (r.source_group_id !== '' || r.dest_group_id !== '') c.groupRules += 1;
    map.set(r.security_group_id, c);
  }
  return map;
}

/** Rules of other groups that reference this one as their source or destination. */
export async function countRulesReferencing(tx: Tx, groupId: string): Promise<number> {
  return toCount(
    await tx.db
      .selectFrom('security_group_rules')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('security_group_id', '!=', groupId)
      .where((eb) => eb.or([eb('source_group_id', '=', groupId), eb('dest_group_id', '=', groupId)]))
      .executeTakeFirst(),
  );
}

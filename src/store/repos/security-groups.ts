import type { Selectable } from 'kysely';
import type { TagFilter } from '../../domain/tags.ts';
import type { SecurityGroupRulesTable, SecurityGroupsTable, Tx } from '../schema.ts';
import { forUpdate, rowCount, toCount, whereTagged } from './common.ts';
import { queryTemplate } from '../query-template.ts';

export type SecurityGroupRow = Selectable<SecurityGroupsTable>;
export type SecurityGroupRuleRow = Selectable<SecurityGroupRulesTable>;

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

export async function insertSecurityGroup(tx: Tx, row: SecurityGroupRow): Promise<void> {
  await tx.db.insertInto('security_groups').values(row).execute();
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

export async function findSecurityGroup(
  tx: Tx,
  owner: { accountId: string; regionId: string },
  id: string,
  lock = false,
): Promise<SecurityGroupRow | undefined> {
  return (await findTemplate(tx, { accountId: owner.accountId, regionId: owner.regionId, id, lock }))[0];
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
): Promise<{ rows: SecurityGroupRow[]; total: number }> {
  let base = tx.db.selectFrom('security_groups').where('account_id', '=', q.accountId).where('region_id', '=', q.regionId);
  if (q.ids) base = base.where('id', 'in', q.ids.length ? q.ids : ['']);
  if (q.vpcId !== undefined) base = base.where('vpc_id', '=', q.vpcId);
  if (q.name !== undefined) base = base.where('name', '=', q.name);
  if (q.type !== undefined) base = base.where('type', '=', q.type);
  if (q.resourceGroupId !== undefined) base = base.where('resource_group_id', '=', q.resourceGroupId);
  base = whereTagged(base, 'security_groups.id', q.accountId, q.tags ?? []);
  const total = toCount(await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst());
  const rows = await base.selectAll().orderBy('created_at').orderBy('id').offset(window.offset).limit(rowCount(window.limit)).execute();
  return { rows, total };
}

export async function updateSecurityGroup(
  tx: Tx,
  id: string,
  fields: Partial<Pick<SecurityGroupRow, 'name' | 'description' | 'inner_access_policy'>>,
): Promise<void> {
  if (Object.keys(fields).length === 0) return;
  await tx.db.updateTable('security_groups').set(fields).where('id', '=', id).execute();
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
export async function rulesOfGroup(tx: Tx, groupId: string, direction?: string): Promise<SecurityGroupRuleRow[]> {
  let q = tx.db.selectFrom('security_group_rules').selectAll().where('security_group_id', '=', groupId);
  if (direction !== undefined) q = q.where('direction', '=', direction);
  return q.orderBy('created_at').orderBy('id').execute();
}

export async function insertRules(tx: Tx, rows: readonly SecurityGroupRuleRow[]): Promise<void> {
  if (rows.length === 0) return;
  await tx.db
    .insertInto('security_group_rules')
    .values([...rows])
    .execute();
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

import type { ServiceContext } from './context.ts';
import { effectiveStatus } from '../domain/async-state.ts';
import type { SecurityGroup, SecurityGroupRule } from '../domain/models/security-group.ts';
import { newResourceId } from '../domain/ids.ts';
import {
  RULE_LIMITS,
  applyRuleChanges,
  firstDuplicate,
  normalizeRule,
  referencedGroupId,
  ruleKey,
  sameRule,
  type IpProtocol,
  type Rule,
  type RuleDirection,
  type RuleIdentity,
  type RuleInput,
  type RulePolicy,
} from '../domain/security-group-rules.ts';
import type { Tag, TagFilter } from '../domain/tags.ts';
import { checkEcsDescription, checkEcsName } from '../domain/text-rules.ts';
import { SecurityGroupErrors } from '../errors/ecs/security-groups.ts';
import { VpcErrors } from '../errors/vpc/vpcs.ts';
import {
  countRulesReferencing,
  countSecurityGroupsInRegion,
  deleteRules,
  deleteSecurityGroupRow,
  findSecurityGroup,
  insertRules,
  insertSecurityGroup,
  listSecurityGroups,
  ruleCountsOf,
  rulesOfGroup,
  securityGroupCapacityOf,
  securityGroupMemberCount,
  securityGroupNamesOf,
  updateRule,
  updateSecurityGroup,
} from '../store/repos/security-groups.ts';
import { tagsOf, upsertTags } from '../store/repos/tags.ts';
import { lockQuota } from '../store/repos/common.ts';
import { EcsResourceGroupErrors } from '../errors/resourcemanager/resource-groups.ts';
import { resourceGroupForNew } from './resource-groups.ts';
import { requireVpc } from './vpcs.ts';

export type SecurityGroupType = 'normal' | 'enterprise';

/** Basic groups let their members talk to each other; advanced ones isolate them, fixed (SDK CreateSecurityGroup note). */
const INNER_ACCESS_POLICY: Record<SecurityGroupType, string> = { normal: 'Accept', enterprise: 'Drop' };

export interface SecurityGroupView extends SecurityGroup {
  tags: Tag[];
  ruleCount: number;
  groupToGroupRuleCount: number;
  ecsCount: number;
  availableInstanceAmount: number;
}

export interface RuleView extends SecurityGroupRule {
  sourceGroupName: string;
  destGroupName: string;
}

/** One rule of a request, with the wire prefix of its fields for messages (`Permissions.2.`). */
export interface RuleRequest {
  input: RuleInput;
  prefix: string;
}

function owner(ctx: ServiceContext) {
  return { accountId: ctx.accountId, regionId: ctx.regionId };
}

export async function requireSecurityGroup(ctx: ServiceContext, id: string, lock = false): Promise<SecurityGroup> {
  const group = await findSecurityGroup(ctx.tx, owner(ctx), id, lock);
  if (!group) throw SecurityGroupErrors.securityGroupNotFound();
  return group;
}

export async function createSecurityGroup(
  ctx: ServiceContext,
  input: { vpcId?: string; name?: string; description?: string; type?: string; tags: Tag[]; resourceGroupId?: string },
): Promise<SecurityGroup> {
  checkEcsName(input.name, SecurityGroupErrors.securityGroupNameMalformed);
  checkEcsDescription(input.description, SecurityGroupErrors.descriptionMalformed);
  const type = input.type === undefined || input.type === '' ? 'normal' : input.type;
  if (type !== 'normal' && type !== 'enterprise') throw SecurityGroupErrors.groupTypeInvalid(type);
  const resourceGroupId = await resourceGroupForNew(ctx, input.resourceGroupId, EcsResourceGroupErrors.notFound);
  // Classic network is retired: a group without a VPC is refused as the cloud refuses it where
  // "only VPC" is supported (CreateSecurityGroup page, InvalidVpcId.NotFound 403).
  if (!input.vpcId) throw SecurityGroupErrors.vpcIdMissing();
  // The VPC row is locked so that a concurrent DeleteVpc sees this group, or this call sees the VPC gone.
  const vpc = await requireVpc(ctx, input.vpcId, true);
  const status = effectiveStatus(vpc, ctx.now);
  if (status !== 'Available') throw VpcErrors.incorrectVpcStatus(status);
  // The region's quota spans VPCs, so the VPC lock above does not cover it: a quota lock does.
  await lockQuota(ctx.tx, 'security-groups', ctx.accountId, ctx.regionId);
  const quota = ctx.settings.quotas.securityGroupsPerRegion;
  if ((await countSecurityGroupsInRegion(ctx.tx, ctx.accountId, ctx.regionId)) >= quota) {
    throw SecurityGroupErrors.securityGroupQuota(quota);
  }
  const group: SecurityGroup = {
    id: newResourceId('sg', ctx.regionId, ctx.random),
    accountId: ctx.accountId,
    regionId: ctx.regionId,
    vpcId: vpc.id,
    name: input.name ?? '',
    description: input.description ?? '',
    type,
    innerAccessPolicy: INNER_ACCESS_POLICY[type],
    resourceGroupId,
    createdAt: ctx.now,
  };
  await insertSecurityGroup(ctx.tx, group);
  await upsertTags(ctx.tx, owner(ctx), 'securitygroup', group.id, input.tags, ctx.now);
  return group;
}

export interface SecurityGroupFilters {
  ids?: readonly string[];
  resourceGroupId?: string;
  vpcId?: string;
  name?: string;
  type?: string;
  tags?: readonly TagFilter[];
}

export async function describeSecurityGroups(ctx: ServiceContext, filters: SecurityGroupFilters, window: { offset: number; limit: number }) {
  const { groups, total } = await listSecurityGroups(ctx.tx, { ...filters, ...owner(ctx) }, window);
  const ids = groups.map((g) => g.id);
  const [tags, counts, capacity] = await Promise.all([tagsOf(ctx.tx, ids), ruleCountsOf(ctx.tx, ids), securityGroupCapacityOf(ctx.tx, ids)]);
  const views: SecurityGroupView[] = groups.map((g) => ({
    ...g,
    tags: tags.get(g.id) ?? [],
    ruleCount: counts.get(g.id)?.rules ?? 0,
    groupToGroupRuleCount: counts.get(g.id)?.groupRules ?? 0,
    ecsCount: capacity.get(g.id)?.ecsCount ?? 0,
    availableInstanceAmount: capacity.get(g.id)?.availableInstanceAmount ?? 0,
  }));
  return { views, total };
}

/** One group and its rules (of one direction, or both), in creation order. */
export async function describeSecurityGroupRules(
  ctx: ServiceContext,
  id: string,
  direction: RuleDirection | 'all',
  window: { offset: number; limit: number },
): Promise<{ group: SecurityGroup; rules: RuleView[]; total: number }> {
  const group = await requireSecurityGroup(ctx, id);
  const all = await rulesOfGroup(ctx.tx, group.id, direction === 'all' ? undefined : direction);
  const page = all.slice(window.offset, window.offset + window.limit);
  const names = await securityGroupNamesOf(ctx.tx, [...new Set(page.map((r) => r.sourceGroupId || r.destGroupId).filter(Boolean))]);
  const rules = page.map((r) => ({
    ...r,
    sourceGroupName: r.sourceGroupId ? (names.get(r.sourceGroupId) ?? '') : '',
    destGroupName: r.destGroupId ? (names.get(r.destGroupId) ?? '') : '',
  }));
  return { group, rules, total: all.length };
}

export async function modifySecurityGroup(ctx: ServiceContext, id: string, input: { name?: string; description?: string }): Promise<void> {
  const group = await requireSecurityGroup(ctx, id);
  checkEcsName(input.name, SecurityGroupErrors.securityGroupNameMalformed);
  checkEcsDescription(input.description, SecurityGroupErrors.securityGroupDescriptionMalformed);
  await updateSecurityGroup(ctx.tx, group.id, {
    ...(input.name !== undefined && { name: input.name }),
    ...(input.description !== undefined && { description: input.description }),
  });
}

/**
 * ModifySecurityGroupPolicy: a basic group's members reach each other (Accept, the default) or
 * not (Drop); an advanced group is always Drop. The value is case-insensitive on the cloud and
 * stored in its canonical spelling.
 */
export async function modifySecurityGroupPolicy(ctx: ServiceContext, id: string, policy: string): Promise<void> {
  const canonical = ['Accept', 'Drop'].find((p) => p.toLowerCase() === policy.toLowerCase());
  if (!canonical) throw SecurityGroupErrors.innerAccessPolicyInvalid();
  const group = await requireSecurityGroup(ctx, id, true);
  if (group.type !== 'normal') throw SecurityGroupErrors.innerAccessPolicyFixed();
  await updateSecurityGroup(ctx.tx, group.id, { innerAccessPolicy: canonical });
}

export async function deleteSecurityGroup(ctx: ServiceContext, id: string): Promise<void> {
  // Locked: an Authorize elsewhere that references this group locks it too, so a reference
  // cannot appear between the check below and the deletion.
  const group = await requireSecurityGroup(ctx, id, true);
  if ((await securityGroupMemberCount(ctx.tx, group.id)) > 0) throw SecurityGroupErrors.securityGroupInUse();
  if ((await countRulesReferencing(ctx.tx, group.id)) > 0) throw SecurityGroupErrors.securityGroupReferenced();
  await deleteSecurityGroupRow(ctx.tx, group.id);
}

function identityOf(rule: SecurityGroupRule): RuleIdentity {
  return {
    direction: rule.direction as RuleDirection,
    ipProtocol: rule.ipProtocol as IpProtocol,
    portRange: rule.portRange,
    sourcePortRange: rule.sourcePortRange,
    sourceCidrIp: rule.sourceCidrIp,
    ipv6SourceCidrIp: rule.ipv6SourceCidrIp,
    sourceGroupId: rule.sourceGroupId,
    destCidrIp: rule.destCidrIp,
    ipv6DestCidrIp: rule.ipv6DestCidrIp,
    destGroupId: rule.destGroupId,
    policy: rule.policy as RulePolicy,
    nicType: 'intranet',
  };
}

/** A rule as the store keeps it. */
function storedRule(ctx: ServiceContext, place: Pick<SecurityGroupRule, 'id' | 'securityGroupId' | 'createdAt'>, r: Rule): SecurityGroupRule {
  return {
    ...place,
    direction: r.direction,
    ipProtocol: r.ipProtocol,
    portRange: r.portRange,
    sourcePortRange: r.sourcePortRange,
    sourceCidrIp: r.sourceCidrIp,
    sourceGroupId: r.sourceGroupId,
    // "The ID of the Alibaba Cloud account to which the source security group belongs"
    // (DescribeSecurityGroupAttribute page); groups are referenced within the account only.
    sourceGroupOwnerAccount: r.sourceGroupId ? ctx.accountId : '',
    destCidrIp: r.destCidrIp,
    destGroupId: r.destGroupId,
    destGroupOwnerAccount: r.destGroupId ? ctx.accountId : '',
    ipv6SourceCidrIp: r.ipv6SourceCidrIp,
    ipv6DestCidrIp: r.ipv6DestCidrIp,
    sourcePrefixListId: '',
    destPrefixListId: '',
    policy: r.policy,
    priority: r.priority,
    nicType: r.nicType,
    description: r.description,
  };
}

/** A stored rule in the domain's form (applyRuleChanges). */
function ruleOf(rule: SecurityGroupRule): Rule {
  return { ...identityOf(rule), priority: rule.priority, description: rule.description };
}

function normalizeAll(direction: RuleDirection, requests: readonly RuleRequest[]): Rule[] {
  const rules = requests.map((r) => normalizeRule(direction, r.input, r.prefix));
  if (firstDuplicate(rules) >= 0) throw SecurityGroupErrors.duplicatePermissions();
  return rules;
}

/**
 * Locks the group and every group its rules reference (so none can be deleted before the rules are
 * stored) in ID order, the order lockSecurityGroups takes: two calls referencing each other's
 * groups, locking their own first, deadlocked on PostgreSQL.
 */
async function lockWithReferences(
  ctx: ServiceContext,
  groupId: string,
  references: Iterable<string>,
): Promise<{ group: SecurityGroup; locked: Map<string, SecurityGroup | undefined> }> {
  const named = new Set<string>([groupId, ...references]);
  named.delete('');
  const locked = new Map<string, SecurityGroup | undefined>();
  for (const id of [...named].sort()) locked.set(id, await findSecurityGroup(ctx.tx, owner(ctx), id, true));
  const group = locked.get(groupId);
  if (!group) throw SecurityGroupErrors.securityGroupNotFound();
  return { group, locked };
}

/** What a group's rules may be: an advanced group takes accept rules only and references no group; a referenced group exists, is another group, of the same VPC. */
function checkRuleFitsGroup(direction: RuleDirection, group: SecurityGroup, rule: Rule, locked: Map<string, SecurityGroup | undefined>): void {
  const enterprise = group.type === 'enterprise';
  // Advanced groups take accept rules only, and never reference groups (SDK note; ASGE page).
  if (enterprise && rule.policy === 'Drop') throw SecurityGroupErrors.enterpriseGroupPolicy();
  const ref = referencedGroupId(rule);
  if (!ref) return;
  if (enterprise) throw SecurityGroupErrors.enterpriseGroupReference();
  if (ref === group.id) throw direction === 'ingress' ? SecurityGroupErrors.sourceGroupIsSelf() : SecurityGroupErrors.destGroupIsSelf();
  const other = locked.get(ref);
  if (!other) throw direction === 'ingress' ? SecurityGroupErrors.sourceGroupNotFound() : SecurityGroupErrors.destGroupNotFound();
  // VPC groups reference groups of the same VPC only (AuthorizeSecurityGroup page).
  if (other.vpcId !== group.vpcId) throw direction === 'ingress' ? SecurityGroupErrors.sourceGroupVpcMismatch() : SecurityGroupErrors.destGroupVpcMismatch();
}

/**
 * AuthorizeSecurityGroup(Egress): adds the rules that the group does not hold yet. "If the
 * specified security group rule already exists, the call succeeds but no rule is added" (SDK note).
 */
export async function authorizeRules(ctx: ServiceContext, direction: RuleDirection, groupId: string, requests: readonly RuleRequest[]): Promise<void> {
  const rules = normalizeAll(direction, requests);
  const { group, locked } = await lockWithReferences(ctx, groupId, rules.map(referencedGroupId));
  const enterprise = group.type === 'enterprise';
  for (const rule of rules) checkRuleFitsGroup(direction, group, rule, locked);

  const existing = await rulesOfGroup(ctx.tx, group.id);
  const held = new Set(existing.map((r) => ruleKey(identityOf(r))));
  const fresh = rules.filter((r) => !held.has(ruleKey(r)));
  const rulesQuota = ctx.settings.quotas.rulesPerSecurityGroup;
  if (existing.length + fresh.length > rulesQuota) throw SecurityGroupErrors.rulesLimit(rulesQuota);
  if (!enterprise) {
    const groupRules = existing.filter((r) => r.sourceGroupId || r.destGroupId).length + fresh.filter((r) => referencedGroupId(r)).length;
    if (groupRules > RULE_LIMITS.groupRulesPerGroup) throw SecurityGroupErrors.groupRulesLimit(RULE_LIMITS.groupRulesPerGroup);
  }

  // One millisecond apart, so rules created together list in request order (CreateTime is shown to
  // the second), and after every rule the group already holds: two calls a millisecond apart, or a
  // wall clock stepped back, would otherwise interleave them by random rule ID. The group row is
  // locked, so no other call adds rules meanwhile.
  const first = existing.reduce((at, r) => Math.max(at, r.createdAt + 1), ctx.now);
  const stored = fresh.map((r, i) =>
    storedRule(ctx, { id: newResourceId('sgr', ctx.regionId, ctx.random), securityGroupId: group.id, createdAt: first + i }, r),
  );
  await insertRules(ctx.tx, stored);
}

/**
 * RevokeSecurityGroup(Egress). By rule IDs: every ID must be a rule of this group and direction
 * (since 2024-07-08 an unknown ID fails, SDK note). By Permissions: the matching rules go; "if no
 * matching security group rule exists, the invocation succeeds but no rule is deleted".
 */
export async function revokeRules(
  ctx: ServiceContext,
  direction: RuleDirection,
  groupId: string,
  target: { ruleIds: readonly string[] } | { rules: readonly RuleRequest[] },
): Promise<void> {
  if ('ruleIds' in target) {
    if (new Set(target.ruleIds).size !== target.ruleIds.length) throw SecurityGroupErrors.ruleIdRepeated();
    const group = await requireSecurityGroup(ctx, groupId, true);
    const held = new Set((await rulesOfGroup(ctx.tx, group.id, direction)).map((r) => r.id));
    const unknown = target.ruleIds.find((id) => !held.has(id));
    if (unknown !== undefined) throw direction === 'ingress' ? SecurityGroupErrors.ruleIdInvalid(unknown) : SecurityGroupErrors.egressRuleNotExist(unknown);
    await deleteRules(ctx.tx, target.ruleIds);
    return;
  }
  const rules = normalizeAll(direction, target.rules);
  const group = await requireSecurityGroup(ctx, groupId, true);
  const wanted = new Set(rules.map(ruleKey));
  const existing = await rulesOfGroup(ctx.tx, group.id, direction);
  await deleteRules(
    ctx.tx,
    existing.filter((r) => wanted.has(ruleKey(identityOf(r)))).map((r) => r.id),
  );
}

/**
 * ModifySecurityGroupRule(Egress). By SecurityGroupRuleId: the rule of this group and direction
 * takes the fields the request gives (applyRuleChanges); it keeps its ID and creation time, and may
 * not become "the same rule" as another rule of the group ("the modified security group rule cannot
 * be the same as other existing rules"). Without an ID, the request states the rule itself (the
 * older form: IpProtocol, PortRange, the remote end, Policy...), matched as Revoke matches it,
 * and only its Description and Priority change.
 */
export async function modifyRule(
  ctx: ServiceContext,
  direction: RuleDirection,
  groupId: string,
  target: { ruleId: string; changes: RuleInput } | { rule: RuleInput },
): Promise<void> {
  if ('ruleId' in target) {
    const group = (direction === 'ingress' ? target.changes.sourceGroupId : target.changes.destGroupId)?.trim() ?? '';
    const locked = await lockWithReferences(ctx, groupId, [group]);
    const existing = await rulesOfGroup(ctx.tx, locked.group.id);
    const current = existing.find((r) => r.id === target.ruleId && r.direction === direction);
    if (!current) throw SecurityGroupErrors.ruleIdNotFound(target.ruleId, direction);
    const next = applyRuleChanges(ruleOf(current), target.changes);
    checkRuleFitsGroup(direction, locked.group, next, locked.locked);
    // The group row is locked: no concurrent Authorize or Modify can add the same rule meanwhile.
    const twin = existing.find((r) => r.id !== current.id && sameRule(identityOf(r), next));
    if (twin) throw SecurityGroupErrors.ruleDuplicate(twin.id);
    await updateRule(ctx.tx, storedRule(ctx, { id: current.id, securityGroupId: current.securityGroupId, createdAt: current.createdAt }, next));
    return;
  }
  const wanted = normalizeRule(direction, target.rule);
  const group = await requireSecurityGroup(ctx, groupId, true);
  const rule = (await rulesOfGroup(ctx.tx, group.id, direction)).find((r) => sameRule(identityOf(r), wanted));
  if (!rule) throw SecurityGroupErrors.ruleNotFound();
  // DIVERGENCE: the older form documents the Description change only; a Priority given is applied
  // too, since it cannot name the rule (docs/divergences.md, Security groups).
  const description = target.rule.description?.trim() ? wanted.description : rule.description;
  const priority = target.rule.priority?.trim() ? wanted.priority : rule.priority;
  await updateRule(ctx.tx, { ...rule, description, priority });
}

import { Type, type TOptional, type TString } from '@sinclair/typebox';
import type { RuleInput } from '../../domain/security-group-rules.ts';
import { CommonErrors } from '../../errors/common.ts';
import { SecurityGroupErrors } from '../../errors/ecs/security-groups.ts';
import { isoSeconds } from '../../lib/clock.ts';
import type { RuleRequest, RuleView, SecurityGroupView } from '../../services/security-groups.ts';
import { EcsTagsResult, RepeatList } from '../params.ts';
import { B, N, Obj, S } from '../schema-helpers.ts';

/** Wire shapes of security groups and their rules (ECS-SDK DescribeSecurityGroups / DescribeSecurityGroupAttribute models). */

export const SecurityGroupItem = Obj({
  SecurityGroupId: S,
  SecurityGroupName: S,
  Description: S,
  SecurityGroupType: S,
  VpcId: S,
  CreationTime: S,
  EcsCount: N,
  AvailableInstanceAmount: N,
  RuleCount: N,
  GroupToGroupRuleCount: N,
  ResourceGroupId: S,
  ServiceManaged: B,
  ServiceID: N,
  Tags: EcsTagsResult,
});

export function securityGroupItem(v: SecurityGroupView) {
  return {
    SecurityGroupId: v.id,
    SecurityGroupName: v.name,
    Description: v.description,
    SecurityGroupType: v.type,
    VpcId: v.vpcId,
    CreationTime: isoSeconds(v.createdAt),
    EcsCount: v.ecsCount,
    AvailableInstanceAmount: v.availableInstanceAmount,
    RuleCount: v.ruleCount,
    GroupToGroupRuleCount: v.groupToGroupRuleCount,
    ResourceGroupId: v.resourceGroupId,
    ServiceManaged: false,
    ServiceID: 0,
    Tags: { Tag: v.tags.map((t) => ({ TagKey: t.key, TagValue: t.value })) },
  };
}

/** Every field of a rule, always present ("" when it does not apply), as the cloud returns them. */
export const PermissionItem = Obj({
  SecurityGroupRuleId: S,
  Direction: S,
  IpProtocol: S,
  PortRange: S,
  SourcePortRange: S,
  SourceCidrIp: S,
  Ipv6SourceCidrIp: S,
  SourceGroupId: S,
  SourceGroupName: S,
  SourceGroupOwnerAccount: S,
  SourcePrefixListId: S,
  SourcePrefixListName: S,
  DestCidrIp: S,
  Ipv6DestCidrIp: S,
  DestGroupId: S,
  DestGroupName: S,
  DestGroupOwnerAccount: S,
  DestPrefixListId: S,
  DestPrefixListName: S,
  PortRangeListId: S,
  PortRangeListName: S,
  Policy: S,
  /** A string in the SDK model ("1"). */
  Priority: S,
  NicType: S,
  Description: S,
  CreateTime: S,
});

export function permissionItem(r: RuleView) {
  return {
    SecurityGroupRuleId: r.id,
    Direction: r.direction,
    IpProtocol: r.ipProtocol,
    PortRange: r.portRange,
    SourcePortRange: r.sourcePortRange,
    SourceCidrIp: r.sourceCidrIp,
    Ipv6SourceCidrIp: r.ipv6SourceCidrIp,
    SourceGroupId: r.sourceGroupId,
    SourceGroupName: r.sourceGroupName,
    SourceGroupOwnerAccount: r.sourceGroupOwnerAccount,
    SourcePrefixListId: r.sourcePrefixListId,
    SourcePrefixListName: '',
    DestCidrIp: r.destCidrIp,
    Ipv6DestCidrIp: r.ipv6DestCidrIp,
    DestGroupId: r.destGroupId,
    DestGroupName: r.destGroupName,
    DestGroupOwnerAccount: r.destGroupOwnerAccount,
    DestPrefixListId: r.destPrefixListId,
    DestPrefixListName: '',
    PortRangeListId: '',
    PortRangeListName: '',
    Policy: r.policy,
    Priority: String(r.priority),
    NicType: r.nicType,
    Description: r.description,
    CreateTime: isoSeconds(r.createdAt),
  };
}

// ---- rule parameters (Permissions.N.* and the deprecated top-level form) ----

const opt = (): TOptional<TString> => Type.Optional(Type.String());

/**
 * The rule fields eniplane implements. Prefix lists (SourcePrefixListId, DestPrefixListId), port
 * lists (PortRangeListId) and account names (…GroupOwnerAccount) are left out, so strict mode
 * refuses them by name. …GroupOwnerId is taken when it names the caller's own account (see
 * checkGroupOwners). Priority travels as a string (SDK model).
 */
const commonRuleFields = {
  IpProtocol: opt(),
  PortRange: opt(),
  SourcePortRange: opt(),
  SourceCidrIp: opt(),
  Ipv6SourceCidrIp: opt(),
  DestCidrIp: opt(),
  Ipv6DestCidrIp: opt(),
  Policy: opt(),
  Priority: opt(),
  NicType: opt(),
  Description: opt(),
};
export const IngressRuleFields = { ...commonRuleFields, SourceGroupId: opt(), SourceGroupOwnerId: opt() };
export const EgressRuleFields = { ...commonRuleFields, DestGroupId: opt(), DestGroupOwnerId: opt() };

export const IngressPermissions = Type.Optional(RepeatList(Type.Object(IngressRuleFields), 100));
export const EgressPermissions = Type.Optional(RepeatList(Type.Object(EgressRuleFields), 100));

type WireRule = { [K in keyof typeof IngressRuleFields | keyof typeof EgressRuleFields]?: string };
const RULE_FIELD_NAMES = [...new Set([...Object.keys(IngressRuleFields), ...Object.keys(EgressRuleFields)])] as (keyof WireRule)[];

function ruleInput(w: WireRule): RuleInput {
  return {
    ipProtocol: w.IpProtocol,
    portRange: w.PortRange,
    sourcePortRange: w.SourcePortRange,
    sourceCidrIp: w.SourceCidrIp,
    ipv6SourceCidrIp: w.Ipv6SourceCidrIp,
    sourceGroupId: w.SourceGroupId,
    destCidrIp: w.DestCidrIp,
    ipv6DestCidrIp: w.Ipv6DestCidrIp,
    destGroupId: w.DestGroupId,
    policy: w.Policy,
    priority: w.Priority,
    nicType: w.NicType,
    description: w.Description,
  };
}

/**
 * SourceGroupOwnerId / DestGroupOwnerId ("the ID of the Alibaba Cloud account that manages the
 * source security group when you configure a security group rule across accounts"): groups are
 * referenced within the caller's account only, so the caller's own account ID is taken, as if left
 * out (the Terraform provider reads it back from SourceGroupOwnerAccount and sends it on update
 * and delete); another account is refused by name, cross-account rules not being modelled.
 * DIVERGENCE: the cloud takes other accounts' groups (docs/divergences.md, Security groups).
 */
export function checkGroupOwners(p: WireRule & { Permissions?: WireRule[] }, accountId: string, action: string): void {
  const check = (w: WireRule, prefix: string) => {
    for (const name of ['SourceGroupOwnerId', 'DestGroupOwnerId'] as const) {
      const value = (w[name] ?? '').trim();
      if (value !== '' && value !== accountId) throw CommonErrors.unsupportedParameter(`${prefix}${name}`, `${action} (another account's security group)`);
    }
  };
  check(p, '');
  (p.Permissions ?? []).forEach((w, i) => check(w, `Permissions.${i + 1}.`));
}

/**
 * The rules a request states: `Permissions.N.*`, or the deprecated top-level parameters (one
 * rule), never both ("The specified parameter Permissions cannot coexist with other
 * parameters", InvalidParam.Permissions). Undefined when the request states no rule at all.
 */
export function ruleRequests(p: WireRule & { Permissions?: WireRule[] }): RuleRequest[] | undefined {
  const flat = RULE_FIELD_NAMES.filter((k) => (p[k] ?? '').trim() !== '');
  const permissions = p.Permissions ?? [];
  if (permissions.length > 0 && flat.length > 0) throw SecurityGroupErrors.permissionsConflict(flat[0]!);
  if (permissions.length > 0) return permissions.map((w, i) => ({ input: ruleInput(w), prefix: `Permissions.${i + 1}.` }));
  if (flat.length > 0) return [{ input: ruleInput(p), prefix: '' }];
  return undefined;
}

/** Authorize: at least one rule. */
export function requiredRules(p: WireRule & { Permissions?: WireRule[] }): RuleRequest[] {
  const rules = ruleRequests(p);
  if (!rules) throw CommonErrors.missingParameter('Permissions');
  return rules;
}

/**
 * ModifySecurityGroupRule(Egress): the rule named by SecurityGroupRuleId and the fields to change,
 * or, without an ID, the rule the request states (its Description and Priority are what changes).
 * A request naming neither lacks SecurityGroupRuleId.
 */
export function modifyTarget(p: WireRule & { SecurityGroupRuleId?: string }): { ruleId: string; changes: RuleInput } | { rule: RuleInput } {
  const ruleId = (p.SecurityGroupRuleId ?? '').trim();
  if (ruleId !== '') return { ruleId, changes: ruleInput(p) };
  if (!RULE_FIELD_NAMES.some((k) => (p[k] ?? '').trim() !== '')) throw CommonErrors.missingParameter('SecurityGroupRuleId');
  return { rule: ruleInput(p) };
}

/** Codes for a malformed rule, whatever the action (docs/errors.md). */
const RULE_FIELD_ERRORS = [
  SecurityGroupErrors.ipProtocolInvalid,
  SecurityGroupErrors.portRangeMissing,
  SecurityGroupErrors.portRangeInvalid,
  SecurityGroupErrors.protocolPortMismatch,
  SecurityGroupErrors.sourcePortRangeInvalid,
  SecurityGroupErrors.policyInvalid,
  SecurityGroupErrors.priorityMalformed,
  SecurityGroupErrors.priorityOutOfRange,
  SecurityGroupErrors.nicTypeInvalid,
  SecurityGroupErrors.ruleDescriptionMalformed,
  SecurityGroupErrors.sourceCidrMalformed,
  SecurityGroupErrors.destCidrMalformed,
  SecurityGroupErrors.ipv6SourceCidrMalformed,
  SecurityGroupErrors.ipv6DestCidrMalformed,
  SecurityGroupErrors.sourceIpConflict,
  SecurityGroupErrors.destIpConflict,
  SecurityGroupErrors.addressFamilyConflict,
  SecurityGroupErrors.icmpWithIpv6,
  SecurityGroupErrors.sameSourceAndDestCidr,
];
/** Codes for a malformed rule list, common to the four Authorize and Revoke actions. */
const RULE_SHAPE_ERRORS = [
  CommonErrors.missingParameter,
  SecurityGroupErrors.permissionsConflict,
  SecurityGroupErrors.duplicatePermissions,
  ...RULE_FIELD_ERRORS,
  CommonErrors.unsupportedParameter,
];
export const INGRESS_RULE_ERRORS = [...RULE_SHAPE_ERRORS, SecurityGroupErrors.sourceMissing, SecurityGroupErrors.sourceGroupNicMismatch];
export const EGRESS_RULE_ERRORS = [...RULE_SHAPE_ERRORS, SecurityGroupErrors.destMissing, SecurityGroupErrors.destGroupNicMismatch];

/** Codes of ModifySecurityGroupRule and ModifySecurityGroupEgressRule besides the direction's own. */
const MODIFY_RULE_ERRORS = [
  SecurityGroupErrors.securityGroupNotFound,
  CommonErrors.missingParameter,
  ...RULE_FIELD_ERRORS,
  CommonErrors.unsupportedParameter,
  SecurityGroupErrors.ruleIdNotFound,
  SecurityGroupErrors.ruleNotFound,
  SecurityGroupErrors.ruleEntityTypeFixed,
  SecurityGroupErrors.nicTypeFixed,
  SecurityGroupErrors.ruleDuplicate,
  SecurityGroupErrors.enterpriseGroupPolicy,
];
export const MODIFY_INGRESS_RULE_ERRORS = [
  ...MODIFY_RULE_ERRORS,
  SecurityGroupErrors.sourceMissing,
  SecurityGroupErrors.sourceGroupNicMismatch,
  SecurityGroupErrors.sourceGroupNotFound,
  SecurityGroupErrors.sourceGroupVpcMismatch,
  SecurityGroupErrors.sourceGroupIsSelf,
];
export const MODIFY_EGRESS_RULE_ERRORS = [
  ...MODIFY_RULE_ERRORS,
  SecurityGroupErrors.destMissing,
  SecurityGroupErrors.destGroupNicMismatch,
  SecurityGroupErrors.destGroupNotFound,
  SecurityGroupErrors.destGroupVpcMismatch,
  SecurityGroupErrors.destGroupIsSelf,
];

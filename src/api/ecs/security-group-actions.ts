import { authorizeSecurityGroup } from './authorize-security-group.ts';
import { authorizeSecurityGroupEgress } from './authorize-security-group-egress.ts';
import { createSecurityGroup } from './create-security-group.ts';
import { deleteSecurityGroup } from './delete-security-group.ts';
import { describeSecurityGroupAttribute } from './describe-security-group-attribute.ts';
import { describeSecurityGroups } from './describe-security-groups.ts';
import { modifySecurityGroupAttribute } from './modify-security-group-attribute.ts';
import { modifySecurityGroupPolicyAction } from './modify-security-group-policy.ts';
import { modifySecurityGroupEgressRule } from './modify-security-group-egress-rule.ts';
import { modifySecurityGroupRule } from './modify-security-group-rule.ts';
import { revokeSecurityGroup } from './revoke-security-group.ts';
import { revokeSecurityGroupEgress } from './revoke-security-group-egress.ts';

/** Security group actions (ECS). */
export const securityGroupActions = [
  createSecurityGroup,
  describeSecurityGroups,
  describeSecurityGroupAttribute,
  modifySecurityGroupAttribute,
  modifySecurityGroupPolicyAction,
  authorizeSecurityGroup,
  authorizeSecurityGroupEgress,
  revokeSecurityGroup,
  revokeSecurityGroupEgress,
  modifySecurityGroupRule,
  modifySecurityGroupEgressRule,
  deleteSecurityGroup,
];

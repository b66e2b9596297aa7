import { Type } from '@sinclair/typebox';
import { SecurityGroupErrors } from '../../errors/ecs/security-groups.ts';
import { authorizeRules } from '../../services/security-groups.ts';
import { defineAction } from '../define-action.ts';
import { ClientToken, RegionId } from '../params.ts';
import { Obj } from '../schema-helpers.ts';
import { checkGroupOwners, EGRESS_RULE_ERRORS, EgressPermissions, EgressRuleFields, requiredRules } from './security-group-views.ts';

export const authorizeSecurityGroupEgress = defineAction({
  product: 'Ecs',
  name: 'AuthorizeSecurityGroupEgress',
  summary: 'Add outbound rules (Permissions.N, up to 100, or the deprecated top-level rule); a rule the group already has is not added twice.',
  idempotent: true,
  params: Type.Object({
    RegionId,
    SecurityGroupId: Type.String(),
    Permissions: EgressPermissions,
    ...EgressRuleFields,
    ClientToken,
  }),
  result: Obj({}),
  errors: [
    SecurityGroupErrors.securityGroupNotFound,
    ...EGRESS_RULE_ERRORS,
    SecurityGroupErrors.destGroupNotFound,
    SecurityGroupErrors.destGroupVpcMismatch,
    SecurityGroupErrors.destGroupIsSelf,
    SecurityGroupErrors.enterpriseGroupReference,
    SecurityGroupErrors.enterpriseGroupPolicy,
    SecurityGroupErrors.rulesLimit,
    SecurityGroupErrors.groupRulesLimit,
  ],
  async handler(p, ctx) {
    checkGroupOwners(p, ctx.accountId, 'AuthorizeSecurityGroupEgress');
    await authorizeRules(ctx, 'egress', p.SecurityGroupId, requiredRules(p));
    return {};
  },
});

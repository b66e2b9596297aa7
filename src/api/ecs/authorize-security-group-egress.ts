import { Type } from '@sinclair/typebox';
import { EcsErrors } from '../../errors/ecs.ts';
import { authorizeRules } from '../../services/security-groups.ts';
import { defineAction } from '../define-action.ts';
import { ClientToken, RegionId } from '../params.ts';
import { Obj } from '../schema-helpers.ts';
import { EGRESS_RULE_ERRORS, EgressPermissions, EgressRuleFields, requiredRules } from './security-group-views.ts';

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
    EcsErrors.securityGroupNotFound,
    ...EGRESS_RULE_ERRORS,
    EcsErrors.destGroupNotFound,
    EcsErrors.destGroupVpcMismatch,
    EcsErrors.destGroupIsSelf,
    EcsErrors.enterpriseGroupReference,
    EcsErrors.enterpriseGroupPolicy,
    EcsErrors.rulesLimit,
    EcsErrors.groupRulesLimit,
  ],
  async handler(p, ctx) {
    await authorizeRules(ctx, 'egress', p.SecurityGroupId, requiredRules(p));
    return {};
  },
});

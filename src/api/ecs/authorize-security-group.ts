import { Type } from '@sinclair/typebox';
import { SecurityGroupErrors } from '../../errors/ecs/security-groups.ts';
import { authorizeRules } from '../../services/security-groups.ts';
import { defineAction } from '../define-action.ts';
import { ClientToken, RegionId } from '../params.ts';
import { Obj } from '../schema-helpers.ts';
import { checkGroupOwners, INGRESS_RULE_ERRORS, IngressPermissions, IngressRuleFields, requiredRules } from './security-group-views.ts';

export const authorizeSecurityGroup = defineAction({
  product: 'Ecs',
  name: 'AuthorizeSecurityGroup',
  summary: 'Add inbound rules (Permissions.N, up to 100, or the deprecated top-level rule); a rule the group already has is not added twice.',
  idempotent: true,
  params: Type.Object({
    RegionId,
    SecurityGroupId: Type.String(),
    Permissions: IngressPermissions,
    ...IngressRuleFields,
    ClientToken,
  }),
  result: Obj({}),
  errors: [
    SecurityGroupErrors.securityGroupNotFound,
    ...INGRESS_RULE_ERRORS,
    SecurityGroupErrors.sourceGroupNotFound,
    SecurityGroupErrors.sourceGroupVpcMismatch,
    SecurityGroupErrors.sourceGroupIsSelf,
    SecurityGroupErrors.enterpriseGroupReference,
    SecurityGroupErrors.enterpriseGroupPolicy,
    SecurityGroupErrors.rulesLimit,
    SecurityGroupErrors.groupRulesLimit,
  ],
  async handler(p, ctx) {
    checkGroupOwners(p, ctx.accountId, 'AuthorizeSecurityGroup');
    await authorizeRules(ctx, 'ingress', p.SecurityGroupId, requiredRules(p));
    return {};
  },
});

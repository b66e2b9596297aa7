import { Type } from '@sinclair/typebox';
import { CommonErrors } from '../../errors/common.ts';
import { SecurityGroupErrors } from '../../errors/ecs/security-groups.ts';
import { revokeRules } from '../../services/security-groups.ts';
import { defineAction } from '../define-action.ts';
import { ClientToken, RegionId, RepeatList } from '../params.ts';
import { Obj } from '../schema-helpers.ts';
import { checkGroupOwners, INGRESS_RULE_ERRORS, IngressPermissions, IngressRuleFields, ruleRequests } from './security-group-views.ts';

export const revokeSecurityGroup = defineAction({
  product: 'Ecs',
  name: 'RevokeSecurityGroup',
  summary:
    'Remove inbound rules by SecurityGroupRuleId.N (each must exist) or by Permissions.N / the deprecated top-level rule (no match is no change), never both.',
  idempotent: true,
  params: Type.Object({
    RegionId,
    SecurityGroupId: Type.String(),
    SecurityGroupRuleId: Type.Optional(RepeatList(Type.String(), 100)),
    Permissions: IngressPermissions,
    ...IngressRuleFields,
    ClientToken,
  }),
  result: Obj({}),
  errors: [SecurityGroupErrors.securityGroupNotFound, ...INGRESS_RULE_ERRORS, SecurityGroupErrors.ruleIdInvalid, SecurityGroupErrors.ruleIdRepeated],
  async handler(p, ctx) {
    checkGroupOwners(p, ctx.accountId, 'RevokeSecurityGroup');
    const rules = ruleRequests(p);
    const ruleIds = p.SecurityGroupRuleId ?? [];
    if (ruleIds.length > 0 && rules) throw SecurityGroupErrors.permissionsConflict('SecurityGroupRuleId');
    if (ruleIds.length > 0) await revokeRules(ctx, 'ingress', p.SecurityGroupId, { ruleIds });
    else if (rules) await revokeRules(ctx, 'ingress', p.SecurityGroupId, { rules });
    else throw CommonErrors.missingParameter('SecurityGroupRuleId');
    return {};
  },
});

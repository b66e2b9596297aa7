import { Type } from '@sinclair/typebox';
import { CommonErrors } from '../../errors/common.ts';
import { SecurityGroupErrors } from '../../errors/ecs/security-groups.ts';
import { revokeRules } from '../../services/security-groups.ts';
import { defineAction } from '../define-action.ts';
import { ClientToken, RegionId, RepeatList } from '../params.ts';
import { Obj } from '../schema-helpers.ts';
import { checkGroupOwners, EGRESS_RULE_ERRORS, EgressPermissions, EgressRuleFields, ruleRequests } from './security-group-views.ts';

export const revokeSecurityGroupEgress = defineAction({
  product: 'Ecs',
  name: 'RevokeSecurityGroupEgress',
  summary:
    'Remove outbound rules by SecurityGroupRuleId.N (each must exist) or by Permissions.N / the deprecated top-level rule (no match is no change), never both.',
  idempotent: true,
  params: Type.Object({
    RegionId,
    SecurityGroupId: Type.String(),
    SecurityGroupRuleId: Type.Optional(RepeatList(Type.String(), 100)),
    Permissions: EgressPermissions,
    ...EgressRuleFields,
    ClientToken,
  }),
  result: Obj({}),
  errors: [SecurityGroupErrors.securityGroupNotFound, ...EGRESS_RULE_ERRORS, SecurityGroupErrors.egressRuleNotExist, SecurityGroupErrors.ruleIdRepeated],
  async handler(p, ctx) {
    checkGroupOwners(p, ctx.accountId, 'RevokeSecurityGroupEgress');
    const rules = ruleRequests(p);
    const ruleIds = p.SecurityGroupRuleId ?? [];
    if (ruleIds.length > 0 && rules) throw SecurityGroupErrors.permissionsConflict('SecurityGroupRuleId');
    if (ruleIds.length > 0) await revokeRules(ctx, 'egress', p.SecurityGroupId, { ruleIds });
    else if (rules) await revokeRules(ctx, 'egress', p.SecurityGroupId, { rules });
    else throw CommonErrors.missingParameter('SecurityGroupRuleId');
    return {};
  },
});

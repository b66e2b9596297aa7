import { Type } from '@sinclair/typebox';
import { modifyRule } from '../../services/security-groups.ts';
import { defineAction } from '../define-action.ts';
import { ClientToken, RegionId } from '../params.ts';
import { Obj } from '../schema-helpers.ts';
import { checkGroupOwners, EgressRuleFields, MODIFY_EGRESS_RULE_ERRORS, modifyTarget } from './security-group-views.ts';

export const modifySecurityGroupEgressRule = defineAction({
  product: 'Ecs',
  name: 'ModifySecurityGroupEgressRule',
  summary:
    "Change an outbound rule in place. By SecurityGroupRuleId: any field given replaces the rule's (the authorization object keeps its kind, NicType stays intranet, an empty value changes nothing; the result may not duplicate another rule). Without it: the rule the other fields state has its Description and Priority changed.",
  idempotent: true,
  params: Type.Object({
    RegionId,
    SecurityGroupId: Type.String(),
    SecurityGroupRuleId: Type.Optional(Type.String()),
    ...EgressRuleFields,
    ClientToken,
  }),
  result: Obj({}),
  errors: MODIFY_EGRESS_RULE_ERRORS,
  async handler(p, ctx) {
    checkGroupOwners(p, ctx.accountId, 'ModifySecurityGroupEgressRule');
    await modifyRule(ctx, 'egress', p.SecurityGroupId, modifyTarget(p));
    return {};
  },
});

import { Type } from '@sinclair/typebox';
import { modifyRule } from '../../services/security-groups.ts';
import { defineAction } from '../define-action.ts';
import { ClientToken, RegionId } from '../params.ts';
import { Obj } from '../schema-helpers.ts';
import { checkGroupOwners, IngressRuleFields, MODIFY_INGRESS_RULE_ERRORS, modifyTarget } from './security-group-views.ts';

export const modifySecurityGroupRule = defineAction({
  product: 'Ecs',
  name: 'ModifySecurityGroupRule',
  summary:
    "Change an inbound rule in place. By SecurityGroupRuleId: any field given replaces the rule's (the authorization object keeps its kind, NicType stays intranet, an empty value changes nothing; the result may not duplicate another rule). Without it: the rule the other fields state has its Description and Priority changed.",
  idempotent: true,
  params: Type.Object({
    RegionId,
    SecurityGroupId: Type.String(),
    SecurityGroupRuleId: Type.Optional(Type.String()),
    ...IngressRuleFields,
    ClientToken,
  }),
  result: Obj({}),
  errors: MODIFY_INGRESS_RULE_ERRORS,
  async handler(p, ctx) {
    checkGroupOwners(p, ctx.accountId, 'ModifySecurityGroupRule');
    await modifyRule(ctx, 'ingress', p.SecurityGroupId, modifyTarget(p));
    return {};
  },
});

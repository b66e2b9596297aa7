import { Type } from '@sinclair/typebox';
import { SecurityGroupErrors } from '../../errors/ecs/security-groups.ts';
import { modifySecurityGroupPolicy } from '../../services/security-groups.ts';
import { defineAction } from '../define-action.ts';
import { ClientToken, RegionId } from '../params.ts';
import { Obj } from '../schema-helpers.ts';

export const modifySecurityGroupPolicyAction = defineAction({
  product: 'Ecs',
  name: 'ModifySecurityGroupPolicy',
  summary: "Set a basic security group's internal access policy: members reach each other (Accept) or are isolated (Drop).",
  idempotent: true,
  params: Type.Object({
    RegionId,
    SecurityGroupId: Type.String(),
    InnerAccessPolicy: Type.String(),
    ClientToken,
  }),
  result: Obj({}),
  errors: [SecurityGroupErrors.securityGroupNotFound, SecurityGroupErrors.innerAccessPolicyInvalid, SecurityGroupErrors.innerAccessPolicyFixed],
  async handler(p, ctx) {
    await modifySecurityGroupPolicy(ctx, p.SecurityGroupId, p.InnerAccessPolicy);
    return {};
  },
});

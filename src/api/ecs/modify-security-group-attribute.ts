import { Type } from '@sinclair/typebox';
import { SecurityGroupErrors } from '../../errors/ecs/security-groups.ts';
import { modifySecurityGroup } from '../../services/security-groups.ts';
import { defineAction } from '../define-action.ts';
import { RegionId } from '../params.ts';
import { Obj } from '../schema-helpers.ts';

export const modifySecurityGroupAttribute = defineAction({
  product: 'Ecs',
  name: 'ModifySecurityGroupAttribute',
  summary: 'Rename a security group or change its description.',
  params: Type.Object({
    RegionId,
    SecurityGroupId: Type.String(),
    SecurityGroupName: Type.Optional(Type.String()),
    Description: Type.Optional(Type.String()),
  }),
  result: Obj({}),
  errors: [SecurityGroupErrors.securityGroupNotFound, SecurityGroupErrors.securityGroupNameMalformed, SecurityGroupErrors.securityGroupDescriptionMalformed],
  async handler(p, ctx) {
    await modifySecurityGroup(ctx, p.SecurityGroupId, { name: p.SecurityGroupName, description: p.Description });
    return {};
  },
});

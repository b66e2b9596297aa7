import { Type } from '@sinclair/typebox';
import { SecurityGroupErrors } from '../../errors/ecs/security-groups.ts';
import { deleteSecurityGroup as remove } from '../../services/security-groups.ts';
import { defineAction } from '../define-action.ts';
import { RegionId } from '../params.ts';
import { Obj } from '../schema-helpers.ts';

export const deleteSecurityGroup = defineAction({
  product: 'Ecs',
  name: 'DeleteSecurityGroup',
  summary: 'Delete a security group and its rules; refused while instances or ENIs are in it or another group references it.',
  params: Type.Object({ RegionId, SecurityGroupId: Type.String() }),
  result: Obj({}),
  errors: [SecurityGroupErrors.securityGroupNotFound, SecurityGroupErrors.securityGroupInUse, SecurityGroupErrors.securityGroupReferenced],
  async handler(p, ctx) {
    await remove(ctx, p.SecurityGroupId);
    return {};
  },
});

import { Type } from '@sinclair/typebox';
import { EcsErrors } from '../../errors/ecs.ts';
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
  errors: [EcsErrors.securityGroupNotFound, EcsErrors.securityGroupInUse, EcsErrors.securityGroupReferenced],
  async handler(p, ctx) {
    await remove(ctx, p.SecurityGroupId);
    return {};
  },
});

import { Type } from '@sinclair/typebox';
import { EniErrors } from '../../errors/ecs/enis.ts';
import { RamErrors } from '../../errors/ecs/ram-roles.ts';
import { detachRamRole, parseInstanceIds } from '../../services/ram-roles.ts';
import { defineAction } from '../define-action.ts';
import { RegionId } from '../params.ts';
import { B, N, Obj, S, Wrap } from '../schema-helpers.ts';

export const detachInstanceRamRoleAction = defineAction({
  product: 'Ecs',
  name: 'DetachInstanceRamRole',
  summary:
    "Detach the RAM role from 1-100 instances (InstanceIds, a JSON array; RamRoleName, when given, must be the instance's role); the role's temporary credentials stop working at once.",
  params: Type.Object({ RegionId, InstanceIds: Type.String(), RamRoleName: Type.Optional(Type.String()) }),
  result: Obj({
    RamRoleName: S,
    TotalCount: N,
    FailCount: N,
    DetachInstanceRamRoleResults: Wrap(
      'DetachInstanceRamRoleResult',
      Obj({ InstanceId: S, Success: B, Code: S, Message: S, InstanceRamRoleSets: Wrap('InstanceRamRoleSet', Obj({ InstanceId: S, RamRoleName: S })) }),
    ),
  }),
  errors: [RamErrors.instanceIdsMalformed, RamErrors.roleNotFound, EniErrors.instanceNotFound],
  async handler(p, ctx) {
    const outcomes = await detachRamRole(ctx, parseInstanceIds(p.InstanceIds), p.RamRoleName);
    return {
      RamRoleName: p.RamRoleName ?? outcomes.find((o) => o.detached)?.detached ?? '',
      TotalCount: outcomes.length,
      FailCount: outcomes.filter((o) => !o.success).length,
      DetachInstanceRamRoleResults: {
        DetachInstanceRamRoleResult: outcomes.map((o) => ({
          InstanceId: o.instanceId,
          Success: o.success,
          Code: o.code,
          Message: o.message,
          InstanceRamRoleSets: { InstanceRamRoleSet: o.detached ? [{ InstanceId: o.instanceId, RamRoleName: o.detached }] : [] },
        })),
      },
    };
  },
});

import { Type } from '@sinclair/typebox';
import { EniErrors } from '../../errors/ecs/enis.ts';
import { RamErrors } from '../../errors/ecs/ram-roles.ts';
import { attachRamRole, parseInstanceIds } from '../../services/ram-roles.ts';
import { defineAction } from '../define-action.ts';
import { RegionId } from '../params.ts';
import { B, N, Obj, S, Wrap } from '../schema-helpers.ts';

// Policy (an extra policy narrowing the role) is not modelled: eniplane has no RAM policies, so
// it is refused as unsupported rather than dropped.
export const attachInstanceRamRoleAction = defineAction({
  product: 'Ecs',
  name: 'AttachInstanceRamRole',
  summary:
    'Attach an instance RAM role to 1-100 instances (InstanceIds, a JSON array); each instance answers on its own line; its metadata service then serves temporary credentials for the role.',
  params: Type.Object({ RegionId, InstanceIds: Type.String(), RamRoleName: Type.String() }),
  result: Obj({
    RamRoleName: S,
    TotalCount: N,
    FailCount: N,
    AttachInstanceRamRoleResults: Wrap('AttachInstanceRamRoleResult', Obj({ InstanceId: S, Success: B, Code: S, Message: S })),
  }),
  errors: [RamErrors.instanceIdsMalformed, RamErrors.roleNotFound, EniErrors.instanceNotFound],
  async handler(p, ctx) {
    const outcomes = await attachRamRole(ctx, parseInstanceIds(p.InstanceIds), p.RamRoleName);
    return {
      RamRoleName: p.RamRoleName,
      TotalCount: outcomes.length,
      FailCount: outcomes.filter((o) => !o.success).length,
      AttachInstanceRamRoleResults: {
        AttachInstanceRamRoleResult: outcomes.map((o) => ({ InstanceId: o.instanceId, Success: o.success, Code: o.code, Message: o.message })),
      },
    };
  },
});

import { Type } from '@sinclair/typebox';
import { pageWindow } from '../../domain/paging.ts';
import { RamErrors } from '../../errors/ecs/ram-roles.ts';
import { describeRamRoles, parseInstanceIds } from '../../services/ram-roles.ts';
import { defineAction } from '../define-action.ts';
import { RegionId } from '../params.ts';
import { N, Obj, S, Wrap } from '../schema-helpers.ts';

export const describeInstanceRamRoleAction = defineAction({
  product: 'Ecs',
  name: 'DescribeInstanceRamRole',
  summary:
    'The RAM roles attached to instances of the region, by InstanceIds (a JSON array of up to 100) and/or RamRoleName; instances without a role are not listed; PageNumber/PageSize (at most 50).',
  readOnly: true,
  params: Type.Object({
    RegionId,
    InstanceIds: Type.Optional(Type.String()),
    RamRoleName: Type.Optional(Type.String()),
    PageNumber: Type.Optional(Type.Integer({ minimum: 1 })),
    PageSize: Type.Optional(Type.Integer({ minimum: 1 })),
  }),
  result: Obj({ RegionId: S, TotalCount: N, InstanceRamRoleSets: Wrap('InstanceRamRoleSet', Obj({ InstanceId: S, RamRoleName: S })) }),
  errors: [RamErrors.instanceIdsMalformed, RamErrors.roleNotFound, RamErrors.roleOrInstanceRequired],
  async handler(p, ctx) {
    if (!p.InstanceIds && !p.RamRoleName) throw RamErrors.roleOrInstanceRequired();
    const window = pageWindow(p.PageNumber, p.PageSize, 50);
    const { roles, total } = await describeRamRoles(
      ctx,
      { instanceIds: p.InstanceIds ? parseInstanceIds(p.InstanceIds) : undefined, roleName: p.RamRoleName || undefined },
      window,
    );
    return {
      RegionId: ctx.regionId,
      TotalCount: total,
      InstanceRamRoleSets: { InstanceRamRoleSet: roles.map((r) => ({ InstanceId: r.instanceId, RamRoleName: r.roleName })) },
    };
  },
});

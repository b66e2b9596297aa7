import { Type } from '@sinclair/typebox';
import { EniErrors } from '../../errors/ecs/enis.ts';
import { requireInstance } from '../../services/instances.ts';
import { defineAction } from '../define-action.ts';
import { RegionId } from '../params.ts';
import { Obj, S } from '../schema-helpers.ts';

export const describeUserData = defineAction({
  product: 'Ecs',
  name: 'DescribeUserData',
  summary: "An instance's user data, Base64-encoded as given to RunInstances / CreateInstance (empty when none).",
  readOnly: true,
  params: Type.Object({ RegionId, InstanceId: Type.String() }),
  result: Obj({ InstanceId: S, RegionId: S, UserData: S }),
  errors: [EniErrors.instanceNotFound],
  async handler(p, ctx) {
    const inst = await requireInstance(ctx, p.InstanceId);
    const userData = inst.attributes.UserData;
    return { InstanceId: inst.id, RegionId: inst.regionId, UserData: typeof userData === 'string' ? userData : '' };
  },
});

import { Type } from '@sinclair/typebox';
import { EniErrors } from '../../errors/ecs/enis.ts';
import { detachEni } from '../../services/enis.ts';
import { defineAction } from '../define-action.ts';
import { RegionId } from '../params.ts';
import { Obj } from '../schema-helpers.ts';

export const detachNetworkInterface = defineAction({
  product: 'Ecs',
  name: 'DetachNetworkInterface',
  summary:
    'Detach an InUse secondary, trunk (without members) or member ENI (TrunkNetworkInstanceId: its trunk) from its instance (Stopped for types without hot-plug): Detaching, then Available, with its MAC and addresses kept.',
  params: Type.Object({ RegionId, InstanceId: Type.String(), NetworkInterfaceId: Type.String(), TrunkNetworkInstanceId: Type.Optional(Type.String()) }),
  result: Obj({}),
  errors: [EniErrors.eniNotFound, EniErrors.ecsNotFound, EniErrors.invalidEniState, EniErrors.invalidEcsState, EniErrors.detachPrimary, EniErrors.eniLinked],
  async handler(p, ctx) {
    await detachEni(ctx, p.NetworkInterfaceId, p.InstanceId, p.TrunkNetworkInstanceId || undefined);
    return {};
  },
});

import { Type } from '@sinclair/typebox';
import { EipErrors } from '../../errors/vpc/eips.ts';
import { EniErrors } from '../../errors/ecs/enis.ts';
import { deleteEni } from '../../services/enis.ts';
import { defineAction } from '../define-action.ts';
import { RegionId } from '../params.ts';
import { Obj } from '../schema-helpers.ts';

export const deleteNetworkInterface = defineAction({
  product: 'Ecs',
  name: 'DeleteNetworkInterface',
  summary: 'Delete an Available ENI: Deleting, then gone; its addresses return to the vSwitch.',
  params: Type.Object({ RegionId, NetworkInterfaceId: Type.String() }),
  result: Obj({}),
  errors: [EniErrors.eniNotFound, EniErrors.invalidEniState, EipErrors.eniHasEip, EniErrors.eniLinked],
  async handler(p, ctx) {
    await deleteEni(ctx, p.NetworkInterfaceId);
    return {};
  },
});

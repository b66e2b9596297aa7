import { Type } from '@sinclair/typebox';
import { CommonErrors } from '../../errors/common.ts';
import { EipErrors } from '../../errors/vpc/eips.ts';
import { EniErrors } from '../../errors/ecs/enis.ts';
import { unassignPrivateIps } from '../../services/enis.ts';
import { defineAction } from '../define-action.ts';
import { RegionId, RepeatList } from '../params.ts';
import { Obj } from '../schema-helpers.ts';

export const unassignPrivateIpAddresses = defineAction({
  product: 'Ecs',
  name: 'UnassignPrivateIpAddresses',
  summary: 'Remove secondary addresses from an Available or InUse ENI; they return to the vSwitch.',
  params: Type.Object({ RegionId, NetworkInterfaceId: Type.String(), PrivateIpAddress: Type.Optional(RepeatList(Type.String(), 49)) }),
  result: Obj({}),
  errors: [EniErrors.eniNotFound, EniErrors.invalidEniState, EniErrors.invalidEcsState, EniErrors.ipUnassigned, EniErrors.ipRepeated, EipErrors.eniHasEip],
  async handler(p, ctx) {
    if (!p.PrivateIpAddress?.length) throw CommonErrors.missingParameter('PrivateIpAddress');
    await unassignPrivateIps(ctx, p.NetworkInterfaceId, p.PrivateIpAddress);
    return {};
  },
});

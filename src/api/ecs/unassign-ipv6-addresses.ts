import { Type } from '@sinclair/typebox';
import { CommonErrors } from '../../errors/common.ts';
import { EniErrors } from '../../errors/ecs/enis.ts';
import { unassignIpv6 } from '../../services/eni-ipv6.ts';
import { defineAction } from '../define-action.ts';
import { RegionId, RepeatList } from '../params.ts';
import { Obj } from '../schema-helpers.ts';

export const unassignIpv6Addresses = defineAction({
  product: 'Ecs',
  name: 'UnassignIpv6Addresses',
  summary: 'Remove IPv6 addresses and /80 prefixes from an Available or InUse ENI; each must be on it.',
  params: Type.Object({
    RegionId,
    NetworkInterfaceId: Type.String(),
    Ipv6Address: Type.Optional(RepeatList(Type.String(), 10)),
    Ipv6Prefix: Type.Optional(RepeatList(Type.String(), 10)),
  }),
  result: Obj({}),
  errors: [EniErrors.eniNotFound, EniErrors.invalidEniState, EniErrors.invalidEcsState, EniErrors.ipUnassigned, EniErrors.ipRepeated],
  async handler(p, ctx) {
    if (p.Ipv6Address === undefined && p.Ipv6Prefix === undefined) throw CommonErrors.missingParameter('Ipv6Address');
    await unassignIpv6(ctx, p.NetworkInterfaceId, { addresses: p.Ipv6Address ?? [], prefixes: p.Ipv6Prefix ?? [] });
    return {};
  },
});

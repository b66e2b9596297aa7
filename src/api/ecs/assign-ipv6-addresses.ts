import { Type } from '@sinclair/typebox';
import { CommonErrors } from '../../errors/common.ts';
import { EniErrors } from '../../errors/ecs/enis.ts';
import { Ipv6Errors } from '../../errors/ecs/ipv6.ts';
import { assignIpv6 } from '../../services/eni-ipv6.ts';
import { defineAction } from '../define-action.ts';
import { ClientToken, RegionId, RepeatList } from '../params.ts';
import { Obj, S } from '../schema-helpers.ts';

export const assignIpv6Addresses = defineAction({
  product: 'Ecs',
  name: 'AssignIpv6Addresses',
  summary:
    "Add IPv6 addresses (by list or count) and /80 prefixes (by list or count) of its vSwitch's /64 to an Available or InUse ENI: at most 10 while unattached, the instance type's EniIpv6AddressQuantity when attached.",
  idempotent: true,
  params: Type.Object({
    RegionId,
    NetworkInterfaceId: Type.String(),
    Ipv6Address: Type.Optional(RepeatList(Type.String(), 10)),
    Ipv6AddressCount: Type.Optional(Type.Integer({ minimum: 1, maximum: 10 })),
    Ipv6Prefix: Type.Optional(RepeatList(Type.String(), 10)),
    Ipv6PrefixCount: Type.Optional(Type.Integer({ minimum: 1, maximum: 10 })),
    ClientToken,
  }),
  result: Obj({
    NetworkInterfaceId: S,
    Ipv6Sets: Obj({ Ipv6Address: Type.Array(S) }),
    Ipv6PrefixSets: Obj({ Ipv6Prefix: Type.Array(S) }),
  }),
  errors: [
    EniErrors.eniNotFound,
    EniErrors.invalidEniState,
    EniErrors.invalidEcsState,
    EniErrors.conflict,
    EniErrors.ipAssigned,
    EniErrors.ipRepeated,
    EniErrors.ipNotEnough,
    Ipv6Errors.vswitchIpv6Off,
    Ipv6Errors.countExceeded,
    Ipv6Errors.notSupported,
    Ipv6Errors.addressInvalid,
  ],
  async handler(p, ctx) {
    if (p.Ipv6Address !== undefined && p.Ipv6AddressCount !== undefined) throw EniErrors.conflict('Ipv6Address', 'Ipv6AddressCount');
    if (p.Ipv6Prefix !== undefined && p.Ipv6PrefixCount !== undefined) throw EniErrors.conflict('Ipv6Prefix', 'Ipv6PrefixCount');
    if (p.Ipv6Address === undefined && p.Ipv6AddressCount === undefined && p.Ipv6Prefix === undefined && p.Ipv6PrefixCount === undefined) {
      throw CommonErrors.missingParameter('Ipv6AddressCount');
    }
    const taken = await assignIpv6(ctx, p.NetworkInterfaceId, {
      addresses: p.Ipv6Address ?? [],
      count: p.Ipv6AddressCount ?? 0,
      prefixes: p.Ipv6Prefix ?? [],
      prefixCount: p.Ipv6PrefixCount ?? 0,
    });
    return { NetworkInterfaceId: taken.eniId, Ipv6Sets: { Ipv6Address: taken.addresses }, Ipv6PrefixSets: { Ipv6Prefix: taken.prefixes } };
  },
});

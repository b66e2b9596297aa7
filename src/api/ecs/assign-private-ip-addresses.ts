import { Type } from '@sinclair/typebox';
import { CommonErrors } from '../../errors/common.ts';
import { EniErrors } from '../../errors/ecs/enis.ts';
import { assignPrivateIps } from '../../services/enis.ts';
import { checkPrefixParams } from './create-network-interface.ts';
import { defineAction } from '../define-action.ts';
import { ClientToken, RegionId, RepeatList } from '../params.ts';
import { Obj, S } from '../schema-helpers.ts';

export const assignPrivateIpAddresses = defineAction({
  product: 'Ecs',
  name: 'AssignPrivateIpAddresses',
  summary:
    "Add secondary addresses (by list or count), or IPv4 prefixes (/28, by list or count, 1 to 10), to an Available or InUse ENI: at most 10 addresses on an Available ENI and 50 addresses and prefixes together, the instance type's limit (a prefix counting as one address) on an InUse one, never more than 20; 2,000 addresses per security group.",
  idempotent: true,
  params: Type.Object({
    RegionId,
    NetworkInterfaceId: Type.String(),
    PrivateIpAddress: Type.Optional(RepeatList(Type.String(), 49)),
    SecondaryPrivateIpAddressCount: Type.Optional(Type.Integer({ minimum: 1, maximum: 49 })),
    Ipv4Prefix: Type.Optional(RepeatList(Type.String(), 10)),
    Ipv4PrefixCount: Type.Optional(Type.Integer({ minimum: 1, maximum: 10 })),
    ClientToken,
  }),
  result: Obj({
    AssignedPrivateIpAddressesSet: Obj({
      NetworkInterfaceId: S,
      PrivateIpSet: Obj({ PrivateIpAddress: Type.Array(S) }),
      Ipv4PrefixSet: Obj({ Ipv4Prefixes: Type.Array(S) }),
    }),
  }),
  errors: [
    EniErrors.eniNotFound,
    EniErrors.invalidEniState,
    EniErrors.invalidEcsState,
    EniErrors.conflict,
    EniErrors.ipInvalid,
    EniErrors.ipMalformed,
    EniErrors.ipv4PrefixInvalid,
    EniErrors.ipAssigned,
    EniErrors.ipRepeated,
    EniErrors.ipNotEnough,
    EniErrors.ipv4CountExceeded,
    EniErrors.securityGroupIpQuota,
  ],
  async handler(p, ctx) {
    if (p.PrivateIpAddress !== undefined && p.SecondaryPrivateIpAddressCount !== undefined) {
      throw EniErrors.conflict('PrivateIpAddress', 'SecondaryPrivateIpAddressCount');
    }
    checkPrefixParams(p);
    if (p.PrivateIpAddress === undefined && p.SecondaryPrivateIpAddressCount === undefined && p.Ipv4Prefix === undefined && p.Ipv4PrefixCount === undefined) {
      throw CommonErrors.missingParameter('PrivateIpAddress');
    }
    const { eni, assigned, assignedPrefixes } = await assignPrivateIps(ctx, p.NetworkInterfaceId, {
      addresses: p.PrivateIpAddress ?? [],
      count: p.SecondaryPrivateIpAddressCount ?? 0,
      ipv4Prefixes: p.Ipv4Prefix,
      ipv4PrefixCount: p.Ipv4PrefixCount,
    });
    return {
      AssignedPrivateIpAddressesSet: {
        NetworkInterfaceId: eni.id,
        PrivateIpSet: { PrivateIpAddress: assigned },
        Ipv4PrefixSet: { Ipv4Prefixes: assignedPrefixes },
      },
    };
  },
});

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
  summary: 'Remove secondary addresses, or IPv4 prefixes, from an Available or InUse ENI; they return to the vSwitch.',
  params: Type.Object({
    RegionId,
    NetworkInterfaceId: Type.String(),
    PrivateIpAddress: Type.Optional(RepeatList(Type.String(), 49)),
    // chosen: the SDK states no bound here; an ENI holds at most 49 prefixes (an Available one, beside its primary address).
    Ipv4Prefix: Type.Optional(RepeatList(Type.String(), 49)),
  }),
  result: Obj({}),
  errors: [
    EniErrors.eniNotFound,
    EniErrors.invalidEniState,
    EniErrors.invalidEcsState,
    EniErrors.conflict,
    EniErrors.ipUnassigned,
    EniErrors.ipRepeated,
    EipErrors.eniHasEip,
  ],
  async handler(p, ctx) {
    // Addresses or prefixes, not both: Terway splits them too ("ECS does not allow unassigning both
    // individual IPs and prefixes in the same request", pkg/aliyun/client/ecs_2.go).
    if (p.PrivateIpAddress?.length && p.Ipv4Prefix?.length) throw EniErrors.conflict('PrivateIpAddress', 'Ipv4Prefix');
    if (!p.PrivateIpAddress?.length && !p.Ipv4Prefix?.length) throw CommonErrors.missingParameter('PrivateIpAddress');
    await unassignPrivateIps(ctx, p.NetworkInterfaceId, p.PrivateIpAddress ?? [], p.Ipv4Prefix ?? []);
    return {};
  },
});

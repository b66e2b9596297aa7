import { Type } from '@sinclair/typebox';
import { VpcErrors } from '../../errors/vpc/vpcs.ts';
import { modifyVpc } from '../../services/vpcs.ts';
import { defineAction } from '../define-action.ts';
import { OptionalRegionId } from '../params.ts';
import { Obj } from '../schema-helpers.ts';

export const modifyVpcAttribute = defineAction({
  product: 'Vpc',
  name: 'ModifyVpcAttribute',
  summary: 'Rename a VPC, change its description, or enable IPv6 (a /56 of the IPv6 pool; disabling needs no IPv6 vSwitch left).',
  params: Type.Object({
    RegionId: OptionalRegionId,
    VpcId: Type.String(),
    VpcName: Type.Optional(Type.String()),
    Description: Type.Optional(Type.String()),
    EnableIPv6: Type.Optional(Type.Boolean()),
    Ipv6Isp: Type.Optional(Type.String()),
  }),
  result: Obj({}),
  errors: [
    VpcErrors.vpcNotFound,
    VpcErrors.vpcNameMalformed,
    VpcErrors.vpcDescriptionMalformed,
    VpcErrors.ipv6IspInvalid,
    VpcErrors.ipv6InUse,
    VpcErrors.ipv6PoolFull,
  ],
  async handler(p, ctx) {
    await modifyVpc(ctx, p.VpcId, { name: p.VpcName, description: p.Description, enableIpv6: p.EnableIPv6, ipv6Isp: p.Ipv6Isp });
    return {};
  },
});

import { Type } from '@sinclair/typebox';
import { VpcErrors } from '../../errors/vpc/vpcs.ts';
import { modifyVSwitch } from '../../services/vpcs.ts';
import { defineAction } from '../define-action.ts';
import { OptionalRegionId } from '../params.ts';
import { Obj } from '../schema-helpers.ts';

export const modifyVSwitchAttribute = defineAction({
  product: 'Vpc',
  name: 'ModifyVSwitchAttribute',
  summary:
    'Rename a vSwitch, change its description, or enable IPv6 with its /64 (EnableIPv6 and Ipv6CidrBlock 0-255); disabling needs no IPv6 address in use.',
  params: Type.Object({
    RegionId: OptionalRegionId,
    VSwitchId: Type.String(),
    VSwitchName: Type.Optional(Type.String()),
    Description: Type.Optional(Type.String()),
    EnableIPv6: Type.Optional(Type.Boolean()),
    Ipv6CidrBlock: Type.Optional(Type.Integer({ minimum: 0, maximum: 255 })),
    Ipv6CidrMask: Type.Optional(Type.Integer()),
  }),
  result: Obj({}),
  errors: [
    VpcErrors.vswitchNotFound,
    VpcErrors.vswitchNameMalformed,
    VpcErrors.vswitchDescriptionMalformed,
    VpcErrors.vpcIpv6NotEnabled,
    VpcErrors.ipv6BlockOverlapped,
    VpcErrors.ipv6MaskInvalid,
    VpcErrors.ipv6BlockRequired,
    VpcErrors.ipv6AlreadyEnabled,
    VpcErrors.ipv6DisableWithBlock,
    VpcErrors.ipv6InUse,
  ],
  async handler(p, ctx) {
    await modifyVSwitch(ctx, p.VSwitchId, {
      name: p.VSwitchName,
      description: p.Description,
      enableIpv6: p.EnableIPv6,
      ipv6Index: p.Ipv6CidrBlock,
      ipv6Mask: p.Ipv6CidrMask,
    });
    return {};
  },
});

import { Type } from '@sinclair/typebox';
import { VPC_TAG_RULES, validateTags } from '../../domain/tags.ts';
import { VpcTagErrors } from '../../errors/vpc/tags.ts';
import { VpcErrors } from '../../errors/vpc/vpcs.ts';
import { createVSwitch as create } from '../../services/vpcs.ts';
import { defineAction } from '../define-action.ts';
import { ClientToken, OptionalRegionId, TagParams } from '../params.ts';
import { Obj, S } from '../schema-helpers.ts';

export const createVSwitch = defineAction({
  product: 'Vpc',
  name: 'CreateVSwitch',
  summary:
    "Create a vSwitch in a zone: CIDR (mask 16-29) inside the VPC, overlapping no sibling; Pending, then Available. Ipv6CidrBlock (0-255) gives it that /64 of its IPv6 VPC's /56.",
  idempotent: true,
  params: Type.Object({
    RegionId: OptionalRegionId,
    VpcId: Type.String(),
    ZoneId: Type.String(),
    CidrBlock: Type.Optional(Type.String()),
    CidrMask: Type.Optional(Type.Integer()),
    Ipv6CidrBlock: Type.Optional(Type.Integer({ minimum: 0, maximum: 255 })),
    Ipv6CidrMask: Type.Optional(Type.Integer()),
    VSwitchName: Type.Optional(Type.String()),
    Description: Type.Optional(Type.String()),
    Tag: TagParams,
    ClientToken,
  }),
  result: Obj({ VSwitchId: S }),
  errors: [
    VpcErrors.vpcNotFound,
    VpcErrors.zoneNotFound,
    VpcErrors.cidrMalformed,
    VpcErrors.vswitchCidrNotInVpc,
    VpcErrors.cidrOverlapped,
    VpcErrors.maskLength,
    VpcErrors.cidrAndMask,
    VpcErrors.noFreeCidr,
    VpcErrors.incorrectVpcStatus,
    VpcErrors.incorrectVSwitchStatus,
    VpcErrors.vswitchQuota,
    VpcErrors.vpcIpv6NotEnabled,
    VpcErrors.ipv6BlockOverlapped,
    VpcErrors.ipv6MaskInvalid,
    VpcErrors.vswitchNameMalformed,
    VpcErrors.vswitchDescriptionMalformed,
    VpcTagErrors.keyMalformed,
    VpcTagErrors.valueMalformed,
    VpcTagErrors.duplicateKey,
  ],
  async handler(p, ctx) {
    const vsw = await create(ctx, {
      vpcId: p.VpcId,
      zoneId: p.ZoneId,
      cidrBlock: p.CidrBlock,
      cidrMask: p.CidrMask,
      name: p.VSwitchName,
      description: p.Description,
      ipv6Index: p.Ipv6CidrBlock,
      ipv6Mask: p.Ipv6CidrMask,
      tags: validateTags(p.Tag, VPC_TAG_RULES),
    });
    return { VSwitchId: vsw.id };
  },
});

import { Type } from '@sinclair/typebox';
import { VPC_TAG_RULES, validateTags } from '../../domain/tags.ts';
import { VpcTagErrors } from '../../errors/vpc/tags.ts';
import { VpcErrors } from '../../errors/vpc/vpcs.ts';
import { VpcResourceGroupErrors } from '../../errors/resourcemanager/resource-groups.ts';
import { createVpc as create } from '../../services/vpcs.ts';
import { defineAction } from '../define-action.ts';
import { ClientToken, DryRun, RegionId, TagParams } from '../params.ts';
import { Obj, S } from '../schema-helpers.ts';

export const createVpc = defineAction({
  product: 'Vpc',
  name: 'CreateVpc',
  summary: "Create a VPC; it is Pending, then Available. EnableIpv6 gives it a /56 of the server's IPv6 pool (serve --ipv6-pool).",
  idempotent: true,
  params: Type.Object({
    RegionId,
    CidrBlock: Type.Optional(Type.String()),
    VpcName: Type.Optional(Type.String()),
    Description: Type.Optional(Type.String()),
    ResourceGroupId: Type.Optional(Type.String()),
    EnableIpv6: Type.Optional(Type.Boolean()),
    Ipv6Isp: Type.Optional(Type.String()),
    Tag: TagParams,
    ClientToken,
    DryRun,
  }),
  result: Obj({ VpcId: S, VRouterId: S, RouteTableId: S, ResourceGroupId: S }),
  errors: [
    VpcErrors.cidrMalformed,
    VpcErrors.vpcCidrInvalid,
    VpcErrors.vpcNameMalformed,
    VpcErrors.vpcDescriptionMalformed,
    VpcErrors.vpcQuota,
    VpcErrors.ipv6IspInvalid,
    VpcErrors.ipv6PoolFull,
    VpcResourceGroupErrors.invalid,
    VpcTagErrors.keyMalformed,
    VpcTagErrors.valueMalformed,
    VpcTagErrors.duplicateKey,
  ],
  async handler(p, ctx) {
    const vpc = await create(ctx, {
      cidrBlock: p.CidrBlock,
      name: p.VpcName,
      description: p.Description,
      tags: validateTags(p.Tag, VPC_TAG_RULES),
      resourceGroupId: p.ResourceGroupId,
      enableIpv6: p.EnableIpv6,
      ipv6Isp: p.Ipv6Isp,
    });
    return { VpcId: vpc.id, VRouterId: vpc.vrouterId, RouteTableId: vpc.routeTableId, ResourceGroupId: vpc.resourceGroupId };
  },
});

import { Type } from '@sinclair/typebox';
import { VPC_TAG_RULES, validateTags } from '../../domain/tags.ts';
import { CommonErrors } from '../../errors/common.ts';
import { EipErrors } from '../../errors/vpc/eips.ts';
import { VpcTagErrors } from '../../errors/vpc/tags.ts';
import { VpcResourceGroupErrors } from '../../errors/resourcemanager/resource-groups.ts';
import { allocateEip } from '../../services/eips.ts';
import { resourceGroupForNew } from '../../services/resource-groups.ts';
import { defineAction } from '../define-action.ts';
import { ClientToken, RegionId, TagParams } from '../params.ts';
import { Obj, S } from '../schema-helpers.ts';

export const allocateEipAddress = defineAction({
  product: 'Vpc',
  name: 'AllocateEipAddress',
  summary: `Allocate a pay-as-you-go EIP, Available at once, its address drawn at random from the server's pool (serve --eip-pool); at most max-eips (default 20) per account and region. PrePaid is refused.`,
  idempotent: true,
  params: Type.Object({
    RegionId,
    Bandwidth: Type.Optional(Type.String()),
    InternetChargeType: Type.Optional(Type.String()),
    InstanceChargeType: Type.Optional(Type.String()),
    ISP: Type.Optional(Type.String()),
    Netmode: Type.Optional(Type.String()),
    Name: Type.Optional(Type.String()),
    Description: Type.Optional(Type.String()),
    // [VPC-SDK]: required with PrePaid, ignored with PostPaid, the only charge type eniplane allocates.
    AutoPay: Type.Optional(Type.Boolean()),
    Period: Type.Optional(Type.Integer()),
    PricingCycle: Type.Optional(Type.String()),
    ResourceGroupId: Type.Optional(Type.String()),
    Tag: TagParams,
    ClientToken,
    // The ID of a released EIP to allocate again. The Terraform provider sends its allocation_id
    // argument here on every create, empty when unset (resource_alicloud_eip_address.go):
    // empty asks for nothing; restoring a released EIP is not modelled and is refused.
    InstanceId: Type.Optional(Type.String()),
  }),
  // OrderId is returned for PrePaid EIPs only ([DOCS-EIP] AllocateEipAddress).
  result: Obj({ AllocationId: S, EipAddress: S, ResourceGroupId: S }),
  errors: [
    EipErrors.prePaidNotModelled,
    EipErrors.instanceChargeTypeInvalid,
    EipErrors.internetChargeTypeInvalid,
    EipErrors.bandwidthInvalid,
    EipErrors.ispInvalid,
    EipErrors.netmodeInvalid,
    EipErrors.nameMalformed,
    EipErrors.descriptionMalformed,
    EipErrors.quota,
    EipErrors.reserveIpFail,
    VpcResourceGroupErrors.invalid,
    VpcTagErrors.keyMalformed,
    VpcTagErrors.valueMalformed,
    VpcTagErrors.duplicateKey,
    CommonErrors.unsupportedParameter,
  ],
  async handler(p, ctx) {
    if (p.InstanceId) throw CommonErrors.unsupportedParameter('InstanceId', 'AllocateEipAddress');
    const resourceGroupId = await resourceGroupForNew(ctx, p.ResourceGroupId, VpcResourceGroupErrors.invalid);
    const eip = await allocateEip(ctx, {
      resourceGroupId,
      bandwidth: p.Bandwidth,
      internetChargeType: p.InternetChargeType,
      instanceChargeType: p.InstanceChargeType,
      isp: p.ISP,
      netmode: p.Netmode,
      name: p.Name,
      description: p.Description,
      tags: validateTags(p.Tag, VPC_TAG_RULES),
    });
    return { AllocationId: eip.id, EipAddress: eip.ipAddress, ResourceGroupId: eip.resourceGroupId };
  },
});

import { Type } from '@sinclair/typebox';
import { pageWindow } from '../../domain/paging.ts';
import { tagFilters } from '../../domain/tags.ts';
import { EipErrors } from '../../errors/vpc/eips.ts';
import { VpcResourceGroupErrors } from '../../errors/resourcemanager/resource-groups.ts';
import { describeEips } from '../../services/eips.ts';
import { resourceGroupFilter } from '../../services/resource-groups.ts';
import { defineAction } from '../define-action.ts';
import { CommaList, DryRun, Enum, PageParams, RegionId, TagParams } from '../params.ts';
import { N, Obj, Wrap } from '../schema-helpers.ts';
import { EipItem, eipItem } from './eip-views.ts';

/** [DOCS-EIP] DescribeEipAddresses AssociatedInstanceType, plus IpAddress ([VPC-SDK] AssociateEipAddress). */
const ASSOCIATED_TYPES = ['EcsInstance', 'SlbInstance', 'Nat', 'HaVip', 'NetworkInterface', 'IpAddress'];

export const describeEipAddresses = defineAction({
  product: 'Vpc',
  name: 'DescribeEipAddresses',
  summary:
    'List EIPs by AllocationId / EipAddress (comma-separated, up to 50 each), Status, AssociatedInstanceType, AssociatedInstanceId, EipName, ISP, ChargeType, LockReason or tags; PageNumber/PageSize (at most 100).',
  readOnly: true,
  params: Type.Object({
    RegionId,
    AllocationId: Type.Optional(CommaList(Type.String(), 50)),
    EipAddress: Type.Optional(CommaList(Type.String(), 50)),
    // Releasing is not in the documented list, but the EIP shows it until it is gone.
    Status: Type.Optional(Enum(['Associating', 'Unassociating', 'InUse', 'Available', 'Releasing'])),
    AssociatedInstanceType: Type.Optional(Type.String()),
    AssociatedInstanceId: Type.Optional(Type.String()),
    EipName: Type.Optional(Type.String()),
    ISP: Type.Optional(Type.String()),
    ChargeType: Type.Optional(Type.String()),
    LockReason: Type.Optional(Type.String()),
    // eniplane has no renewal orders: HasReservationData is "false" either way.
    IncludeReservationData: Type.Optional(Type.Boolean()),
    ResourceGroupId: Type.Optional(Type.String()),
    Tag: TagParams,
    DryRun,
    ...PageParams,
  }),
  result: Obj({ TotalCount: N, PageNumber: N, PageSize: N, EipAddresses: Wrap('EipAddress', EipItem) }),
  errors: [EipErrors.associatedInstanceTypeInvalid, EipErrors.chargeTypeInvalid, EipErrors.lockReasonInvalid, VpcResourceGroupErrors.invalid],
  async handler(p, ctx) {
    if (p.AssociatedInstanceType !== undefined && !ASSOCIATED_TYPES.includes(p.AssociatedInstanceType)) throw EipErrors.associatedInstanceTypeInvalid();
    if (p.ChargeType !== undefined && p.ChargeType !== 'PostPaid' && p.ChargeType !== 'PrePaid') throw EipErrors.chargeTypeInvalid();
    if (p.LockReason !== undefined && p.LockReason !== 'financial' && p.LockReason !== 'security') throw EipErrors.lockReasonInvalid();
    const window = pageWindow(p.PageNumber, p.PageSize, 100);
    const { views, total } = await describeEips(
      ctx,
      {
        ids: p.AllocationId,
        addresses: p.EipAddress,
        status: p.Status,
        associatedInstanceType: p.AssociatedInstanceType,
        associatedInstanceId: p.AssociatedInstanceId,
        name: p.EipName,
        isp: p.ISP,
        chargeType: p.ChargeType,
        lockReason: p.LockReason,
        resourceGroupId: await resourceGroupFilter(ctx, p.ResourceGroupId, VpcResourceGroupErrors.invalid, false),
        tags: tagFilters(p.Tag),
      },
      window,
    );
    return { TotalCount: total, PageNumber: window.pageNumber, PageSize: window.pageSize, EipAddresses: { EipAddress: views.map(eipItem) } };
  },
});

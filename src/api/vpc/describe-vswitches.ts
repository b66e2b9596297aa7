import { Type } from '@sinclair/typebox';
import { pageWindow } from '../../domain/paging.ts';
import { tagFilters } from '../../domain/tags.ts';
import { CommonErrors } from '../../errors/common.ts';
import { VpcResourceGroupErrors } from '../../errors/resourcemanager/resource-groups.ts';
import { resourceGroupFilter } from '../../services/resource-groups.ts';
import { describeVSwitches as describe } from '../../services/vpcs.ts';
import { defineAction } from '../define-action.ts';
import { DryRun, OptionalRegionId, PageParams, TagParams } from '../params.ts';
import { N, Obj, Wrap } from '../schema-helpers.ts';
import { VSwitchItem, vswitchItem } from './views.ts';

export const describeVSwitches = defineAction({
  product: 'Vpc',
  name: 'DescribeVSwitches',
  summary: 'List vSwitches by region and/or VPC, ID, name, zone, default flag or tags, with AvailableIpAddressCount; PageSize at most 50.',
  readOnly: true,
  params: Type.Object({
    RegionId: OptionalRegionId,
    VpcId: Type.Optional(Type.String()),
    VSwitchId: Type.Optional(Type.String()),
    VSwitchName: Type.Optional(Type.String()),
    ZoneId: Type.Optional(Type.String()),
    IsDefault: Type.Optional(Type.Boolean()),
    ResourceGroupId: Type.Optional(Type.String()),
    Tag: TagParams,
    DryRun,
    ...PageParams,
  }),
  result: Obj({ TotalCount: N, PageNumber: N, PageSize: N, VSwitches: Wrap('VSwitch', VSwitchItem) }),
  errors: [VpcResourceGroupErrors.invalid],
  async handler(p, ctx) {
    // The cloud wants at least one of RegionId and VpcId.
    if (!p.RegionId && !p.VpcId) throw CommonErrors.missingParameter('RegionId');
    const window = pageWindow(p.PageNumber, p.PageSize, 50);
    const { views, total } = await describe(
      ctx,
      {
        regionId: p.RegionId ?? ctx.regionId,
        vpcId: p.VpcId,
        id: p.VSwitchId,
        name: p.VSwitchName,
        zoneId: p.ZoneId,
        isDefault: p.IsDefault,
        resourceGroupId: await resourceGroupFilter(ctx, p.ResourceGroupId, VpcResourceGroupErrors.invalid, false),
        tags: tagFilters(p.Tag),
      },
      window,
    );
    return { TotalCount: total, PageNumber: window.pageNumber, PageSize: window.pageSize, VSwitches: { VSwitch: views.map(vswitchItem) } };
  },
});

import { Type } from '@sinclair/typebox';
import { pageWindow } from '../../domain/paging.ts';
import { tagFilters } from '../../domain/tags.ts';
import { VpcResourceGroupErrors } from '../../errors/resourcemanager/resource-groups.ts';
import { resourceGroupFilter } from '../../services/resource-groups.ts';
import { describeVpcs as describe } from '../../services/vpcs.ts';
import { defineAction } from '../define-action.ts';
import { CommaList, DryRun, PageParams, RegionId, TagParams } from '../params.ts';
import { N, Obj, Wrap } from '../schema-helpers.ts';
import { VpcItem, vpcItem } from './views.ts';

export const describeVpcs = defineAction({
  product: 'Vpc',
  name: 'DescribeVpcs',
  summary: 'List VPCs, filtered by IDs (comma-separated, up to 20), name, default flag or tags; PageNumber/PageSize (at most 50).',
  readOnly: true,
  params: Type.Object({
    RegionId,
    VpcId: Type.Optional(CommaList(Type.String(), 20)),
    VpcName: Type.Optional(Type.String()),
    IsDefault: Type.Optional(Type.Boolean()),
    ResourceGroupId: Type.Optional(Type.String()),
    Tag: TagParams,
    DryRun,
    ...PageParams,
  }),
  result: Obj({ TotalCount: N, PageNumber: N, PageSize: N, Vpcs: Wrap('Vpc', VpcItem) }),
  errors: [VpcResourceGroupErrors.invalid],
  async handler(p, ctx) {
    const window = pageWindow(p.PageNumber, p.PageSize, 50);
    const { views, total } = await describe(
      ctx,
      {
        ids: p.VpcId,
        name: p.VpcName,
        isDefault: p.IsDefault,
        resourceGroupId: await resourceGroupFilter(ctx, p.ResourceGroupId, VpcResourceGroupErrors.invalid, false),
        tags: tagFilters(p.Tag),
      },
      window,
    );
    return { TotalCount: total, PageNumber: window.pageNumber, PageSize: window.pageSize, Vpcs: { Vpc: views.map(vpcItem) } };
  },
});

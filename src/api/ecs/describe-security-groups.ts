import { Type } from '@sinclair/typebox';
import { nextTokenFor, pageWindow, tokenWindow } from '../../domain/paging.ts';
import { tagFilters } from '../../domain/tags.ts';
import { CommonErrors } from '../../errors/common.ts';
import { describeSecurityGroups as describe } from '../../services/security-groups.ts';
import { EcsResourceGroupErrors } from '../../errors/resourcemanager/resource-groups.ts';
import { resourceGroupFilter } from '../../services/resource-groups.ts';
import { defineAction } from '../define-action.ts';
import { DryRun, Enum, JsonList, PageParams, RegionId, TagParams } from '../params.ts';
import { N, Obj, S, Wrap } from '../schema-helpers.ts';
import { SecurityGroupItem, securityGroupItem } from './security-group-views.ts';

export const describeSecurityGroups = defineAction({
  product: 'Ecs',
  name: 'DescribeSecurityGroups',
  summary:
    'List security groups by VPC, ID, IDs (JSON array, up to 100), name, type, network type or tags; NextToken/MaxResults (at most 100) or the deprecated PageNumber/PageSize (at most 50).',
  readOnly: true,
  params: Type.Object({
    RegionId,
    VpcId: Type.Optional(Type.String()),
    SecurityGroupId: Type.Optional(Type.String()),
    SecurityGroupIds: Type.Optional(JsonList(Type.String(), 100)),
    SecurityGroupName: Type.Optional(Type.String()),
    SecurityGroupType: Type.Optional(Enum(['normal', 'enterprise'])),
    NetworkType: Type.Optional(Enum(['vpc', 'classic'])),
    ResourceGroupId: Type.Optional(Type.String()),
    Tag: TagParams,
    DryRun,
    NextToken: Type.Optional(Type.String()),
    MaxResults: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })),
    ...PageParams,
  }),
  result: Obj({
    RegionId: S,
    NextToken: Type.Optional(S),
    TotalCount: Type.Optional(N),
    PageNumber: Type.Optional(N),
    PageSize: Type.Optional(N),
    SecurityGroups: Wrap('SecurityGroup', SecurityGroupItem),
  }),
  errors: [EcsResourceGroupErrors.notFound],
  async handler(p, ctx) {
    const tokenPaging = p.NextToken !== undefined || p.MaxResults !== undefined;
    if (tokenPaging && (p.PageNumber !== undefined || p.PageSize !== undefined)) {
      throw CommonErrors.invalidParameter(
        p.MaxResults !== undefined ? 'MaxResults' : 'NextToken',
        'NextToken/MaxResults and PageNumber/PageSize cannot be used together.',
      );
    }
    // An empty filter value (`VpcId=`) filters nothing, like an absent one.
    const given = (v: string | undefined) => (v === '' ? undefined : v);
    const one = given(p.SecurityGroupId);
    // SecurityGroupId and SecurityGroupIds both narrow the result.
    let ids = p.SecurityGroupIds;
    if (one !== undefined) ids = ids ? ids.filter((id) => id === one) : [one];
    // Every group here is a VPC group: the classic network is retired.
    if (p.NetworkType === 'classic') ids = [];
    const filters = {
      ids,
      vpcId: given(p.VpcId),
      name: given(p.SecurityGroupName),
      type: p.SecurityGroupType,
      resourceGroupId: await resourceGroupFilter(ctx, p.ResourceGroupId, EcsResourceGroupErrors.notFound, true),
      tags: tagFilters(p.Tag),
    };
    if (tokenPaging) {
      const window = tokenWindow(p.NextToken, p.MaxResults, { min: 1, max: 100, def: 10 });
      const { views, total } = await describe(ctx, filters, window);
      return {
        RegionId: ctx.regionId,
        NextToken: nextTokenFor(window.offset, window.limit, views.length, total),
        SecurityGroups: { SecurityGroup: views.map(securityGroupItem) },
      };
    }
    const window = pageWindow(p.PageNumber, p.PageSize, 50);
    const { views, total } = await describe(ctx, filters, window);
    return {
      RegionId: ctx.regionId,
      TotalCount: total,
      PageNumber: window.pageNumber,
      PageSize: window.pageSize,
      SecurityGroups: { SecurityGroup: views.map(securityGroupItem) },
    };
  },
});

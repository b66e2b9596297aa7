import { Type } from '@sinclair/typebox';
import { pageWindow } from '../../domain/paging.ts';
import { tagFilters } from '../../domain/tags.ts';
import { describeRouteTables } from '../../services/route-tables.ts';
import { defineAction } from '../define-action.ts';
import { Enum, PageParams, RegionId, TagParams } from '../params.ts';
import { N, Obj, Wrap } from '../schema-helpers.ts';
import { RouteTableListItem, routeTableListItem } from './route-table-views.ts';

/**
 * Route tables of the region: each VPC's system route table (custom tables and border-router
 * tables are not implemented, so filters asking for them find none). The Terraform provider's
 * alicloud_vpc reads its VPC's System table with `VpcId` on every create and read.
 */
export const describeRouteTableList = defineAction({
  product: 'Vpc',
  name: 'DescribeRouteTableList',
  summary: "List route tables (each VPC's system table) by VPC, table ID or name, router, type or tags; PageSize at most 50.",
  readOnly: true,
  params: Type.Object({
    RegionId,
    VpcId: Type.Optional(Type.String()),
    RouteTableId: Type.Optional(Type.String()),
    RouteTableName: Type.Optional(Type.String()),
    RouteTableType: Type.Optional(Enum(['System', 'Custom'] as const)),
    RouterId: Type.Optional(Type.String()),
    RouterType: Type.Optional(Enum(['VRouter', 'VBR'] as const)),
    Tag: TagParams,
    ...PageParams,
  }),
  result: Obj({ TotalCount: N, PageNumber: N, PageSize: N, RouterTableList: Wrap('RouterTableListType', RouteTableListItem) }),
  errors: [],
  async handler(p, ctx) {
    const window = pageWindow(p.PageNumber, p.PageSize, 50);
    // Only system tables of vRouters exist here.
    const none = (p.RouteTableType !== undefined && p.RouteTableType !== 'System') || (p.RouterType !== undefined && p.RouterType !== 'VRouter');
    const { views, total } = none
      ? { views: [], total: 0 }
      : await describeRouteTables(
          ctx,
          { vpcId: p.VpcId, routeTableId: p.RouteTableId, routeTableName: p.RouteTableName, routerId: p.RouterId, tags: tagFilters(p.Tag) },
          window,
        );
    return {
      TotalCount: total,
      PageNumber: window.pageNumber,
      PageSize: window.pageSize,
      RouterTableList: { RouterTableListType: views.map(routeTableListItem) },
    };
  },
});

import { Type } from '@sinclair/typebox';
import { nextTokenFor, tokenWindow } from '../../domain/paging.ts';
import { describeRouteEntries } from '../../services/route-tables.ts';
import { defineAction } from '../define-action.ts';
import { RegionId } from '../params.ts';
import { N, Obj, S, Wrap } from '../schema-helpers.ts';
import { RouteEntryItem, routeEntryItem } from './route-table-views.ts';

/**
 * Entries of one route table: the System entries the cloud maintains (100.64.0.0/10 and one per
 * vSwitch CIDR). MaxResult runs from 20 to 100 (default 50) with NextToken paging, as documented.
 */
export const describeRouteEntryList = defineAction({
  product: 'Vpc',
  name: 'DescribeRouteEntryList',
  summary: "List a route table's entries (the System ones) by entry ID, destination, type or next-hop type; NextToken/MaxResult paging.",
  readOnly: true,
  params: Type.Object({
    RegionId,
    RouteTableId: Type.String(),
    RouteEntryId: Type.Optional(Type.String()),
    RouteEntryName: Type.Optional(Type.String()),
    DestinationCidrBlock: Type.Optional(Type.String()),
    RouteEntryType: Type.Optional(Type.String()),
    NextHopType: Type.Optional(Type.String()),
    NextToken: Type.Optional(Type.String()),
    MaxResult: Type.Optional(Type.Integer()),
  }),
  result: Obj({ NextToken: S, TotalCount: N, RouteEntrys: Wrap('RouteEntry', RouteEntryItem) }),
  errors: [],
  async handler(p, ctx) {
    const window = tokenWindow(p.NextToken, p.MaxResult, { min: 20, max: 100, def: 50 });
    // Entries eniplane makes carry no name: a name filter matches none of them.
    if (p.RouteEntryName !== undefined && p.RouteEntryName !== '') return { NextToken: '', TotalCount: 0, RouteEntrys: { RouteEntry: [] } };
    const { entries, total, status } = await describeRouteEntries(
      ctx,
      {
        routeTableId: p.RouteTableId,
        entryId: p.RouteEntryId,
        destinationCidrBlock: p.DestinationCidrBlock,
        entryType: p.RouteEntryType,
        nextHopType: p.NextHopType,
      },
      window,
    );
    return {
      NextToken: nextTokenFor(window.offset, window.limit, entries.length, total),
      TotalCount: total,
      RouteEntrys: { RouteEntry: entries.map((e) => routeEntryItem(e, ctx.regionId, status)) },
    };
  },
});

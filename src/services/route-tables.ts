import type { ServiceContext } from './context.ts';
import { effectiveStatus } from '../domain/async-state.ts';
import type { RouteEntry } from '../domain/models/route-entry.ts';
import { newResourceId } from '../domain/ids.ts';
import { routeTableStatus, type SystemRouteEntry } from '../domain/route-tables.ts';
import type { Tag } from '../domain/tags.ts';
import { insertRouteEntry, listRouteEntries, type RouteEntryQuery } from '../store/repos/route-entries.ts';
import { findSystemRouteTable, listSystemRouteTables, type RouteTableQuery } from '../store/repos/route-tables.ts';
import { tagsOf } from '../store/repos/tags.ts';
import { vswitchIdsOfVpcs } from '../store/repos/vswitches.ts';

export interface RouteTableView {
  routeTableId: string;
  routerId: string;
  vpcId: string;
  accountId: string;
  resourceGroupId: string;
  status: string;
  createdAt: number;
  vswitchIds: string[];
  tags: Tag[];
}

/** Adds one of the entries the cloud maintains itself in a VPC's system route table. */
export async function addSystemRouteEntry(ctx: ServiceContext, routeTableId: string, entry: SystemRouteEntry): Promise<void> {
  await insertRouteEntry(ctx.tx, {
    id: newResourceId('rte', ctx.regionId, ctx.random),
    accountId: ctx.accountId,
    routeTableId,
    destinationCidrBlock: entry.destinationCidrBlock,
    entryType: 'System',
    nextHopType: entry.nextHopType,
    vswitchId: entry.vswitchId,
    createdAt: ctx.now,
  });
}

export async function describeRouteTables(
  ctx: ServiceContext,
  q: Omit<RouteTableQuery, 'accountId' | 'regionId'>,
  window: { offset: number; limit: number },
): Promise<{ views: RouteTableView[]; total: number }> {
  const { vpcs, total } = await listSystemRouteTables(ctx.tx, { ...q, accountId: ctx.accountId, regionId: ctx.regionId }, ctx.now, window);
  const [vswitches, tags] = await Promise.all([
    vswitchIdsOfVpcs(
      ctx.tx,
      vpcs.map((v) => v.id),
      ctx.now,
    ),
    tagsOf(
      ctx.tx,
      vpcs.map((v) => v.routeTableId),
    ),
  ]);
  const views = vpcs.map((v) => ({
    routeTableId: v.routeTableId,
    routerId: v.vrouterId,
    vpcId: v.id,
    accountId: v.accountId,
    resourceGroupId: v.resourceGroupId,
    status: routeTableStatus(effectiveStatus(v, ctx.now)),
    createdAt: v.createdAt,
    vswitchIds: vswitches.get(v.id) ?? [],
    tags: tags.get(v.routeTableId) ?? [],
  }));
  return { views, total };
}

/**
 * Entries of one route table. DIVERGENCE: the cloud's answer for a route table that does not
 * exist is not documented; eniplane answers an empty list, as a filter that matches nothing.
 */
export async function describeRouteEntries(
  ctx: ServiceContext,
  q: Omit<RouteEntryQuery, 'accountId'>,
  window: { offset: number; limit: number },
): Promise<{ entries: RouteEntry[]; total: number; status: string }> {
  const table = await findSystemRouteTable(ctx.tx, ctx.accountId, q.routeTableId, ctx.now);
  if (!table || table.regionId !== ctx.regionId) return { entries: [], total: 0, status: 'Available' };
  const { entries, total } = await listRouteEntries(ctx.tx, { ...q, accountId: ctx.accountId }, window);
  return { entries, total, status: routeTableStatus(effectiveStatus(table, ctx.now)) };
}

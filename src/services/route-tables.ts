import type { ServiceContext } from './context.ts';
import { effectiveStatus } from '../domain/async-state.ts';
import { newResourceId } from '../domain/ids.ts';
import { routeTableStatus, type SystemRouteEntry } from '../domain/route-tables.ts';
import type { Tag } from '../domain/tags.ts';
import { insertRouteEntry, listRouteEntries, type RouteEntryQuery, type RouteEntryRow } from '../store/repos/route-entries.ts';
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
    account_id: ctx.accountId,
    route_table_id: routeTableId,
    destination_cidr_block: entry.destinationCidrBlock,
    entry_type: 'System',
    next_hop_type: entry.nextHopType,
    vswitch_id: entry.vswitchId,
    created_at: ctx.now,
  });
}

export async function describeRouteTables(
  ctx: ServiceContext,
  q: Omit<RouteTableQuery, 'accountId' | 'regionId'>,
  window: { offset: number; limit: number },
): Promise<{ views: RouteTableView[]; total: number }> {
  const { rows, total } = await listSystemRouteTables(ctx.tx, { ...q, accountId: ctx.accountId, regionId: ctx.regionId }, ctx.now, window);
  const [vswitches, tags] = await Promise.all([
    vswitchIdsOfVpcs(
      ctx.tx,
      rows.map((r) => r.id),
      ctx.now,
    ),
    tagsOf(
      ctx.tx,
      rows.map((r) => r.route_table_id),
    ),
  ]);
  const views = rows.map((r) => ({
    routeTableId: r.route_table_id,
    routerId: r.vrouter_id,
    vpcId: r.id,
    accountId: r.account_id,
    resourceGroupId: r.resource_group_id,
    status: routeTableStatus(effectiveStatus(r, ctx.now)),
    createdAt: r.created_at,
    vswitchIds: vswitches.get(r.id) ?? [],
    tags: tags.get(r.route_table_id) ?? [],
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
): Promise<{ rows: RouteEntryRow[]; total: number; status: string }> {
  const table = await findSystemRouteTable(ctx.tx, ctx.accountId, q.routeTableId, ctx.now);
  if (!table || table.region_id !== ctx.regionId) return { rows: [], total: 0, status: 'Available' };
  const { rows, total } = await listRouteEntries(ctx.tx, { ...q, accountId: ctx.accountId }, window);
  return { rows, total, status: routeTableStatus(effectiveStatus(table, ctx.now)) };
}

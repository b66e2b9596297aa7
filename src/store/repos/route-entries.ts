import type { Selectable } from 'kysely';
import type { RouteEntry } from '../../domain/models/route-entry.ts';
import type { RouteEntriesTable, Tx } from '../schema.ts';
import { rowCount, toCount } from './common.ts';

type RouteEntryRow = Selectable<RouteEntriesTable>;

function toRouteEntry(r: RouteEntryRow): RouteEntry {
  return {
    id: r.id,
    accountId: r.account_id,
    routeTableId: r.route_table_id,
    destinationCidrBlock: r.destination_cidr_block,
    entryType: r.entry_type,
    nextHopType: r.next_hop_type,
    vswitchId: r.vswitch_id,
    createdAt: r.created_at,
  };
}

export async function insertRouteEntry(tx: Tx, entry: RouteEntry): Promise<void> {
  await tx.db
    .insertInto('route_entries')
    .values({
      id: entry.id,
      account_id: entry.accountId,
      route_table_id: entry.routeTableId,
      destination_cidr_block: entry.destinationCidrBlock,
      entry_type: entry.entryType,
      next_hop_type: entry.nextHopType,
      vswitch_id: entry.vswitchId,
      created_at: entry.createdAt,
    })
    .execute();
}

/** Removes the System entry a vSwitch added (its CIDR) when the vSwitch is deleted. */
export async function deleteRouteEntriesOfVSwitch(tx: Tx, vswitchId: string): Promise<void> {
  await tx.db.deleteFrom('route_entries').where('vswitch_id', '=', vswitchId).execute();
}

/** Removes a route table's entries when its VPC is removed. */
export async function deleteRouteEntriesOfTable(tx: Tx, routeTableId: string): Promise<void> {
  await tx.db.deleteFrom('route_entries').where('route_table_id', '=', routeTableId).execute();
}

export interface RouteEntryQuery {
  accountId: string;
  routeTableId: string;
  entryId?: string;
  destinationCidrBlock?: string;
  entryType?: string;
  nextHopType?: string;
}

/** A table's entries, in the order the console lists them (by destination). */
export async function listRouteEntries(
  tx: Tx,
  q: RouteEntryQuery,
  window: { offset: number; limit: number },
): Promise<{ entries: RouteEntry[]; total: number }> {
  let base = tx.db.selectFrom('route_entries').where('account_id', '=', q.accountId).where('route_table_id', '=', q.routeTableId);
  if (q.entryId !== undefined) base = base.where('id', '=', q.entryId);
  if (q.destinationCidrBlock !== undefined) base = base.where('destination_cidr_block', '=', q.destinationCidrBlock);
  if (q.entryType !== undefined) base = base.where('entry_type', '=', q.entryType);
  if (q.nextHopType !== undefined) base = base.where('next_hop_type', '=', q.nextHopType);
  const total = toCount(await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst());
  const rows = await base.selectAll().orderBy('created_at').orderBy('id').offset(window.offset).limit(rowCount(window.limit)).execute();
  return { entries: rows.map(toRouteEntry), total };
}

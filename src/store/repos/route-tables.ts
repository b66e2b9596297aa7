import type { Vpc } from '../../domain/models/vpc.ts';
import type { TagFilter } from '../../domain/tags.ts';
import type { Tx } from '../schema.ts';
import { notGone, rowCount, toCount, whereTagged } from './common.ts';
import { toVpc } from './vpcs.ts';

/**
 * System route tables live on their VPC's row (route_table_id, vrouter_id): one per VPC, made and
 * removed with it. Custom tables are not implemented, so a query for any other kind finds nothing.
 */
export interface RouteTableQuery {
  accountId: string;
  regionId: string;
  vpcId?: string;
  routeTableId?: string;
  routeTableName?: string;
  routerId?: string;
  tags?: readonly TagFilter[];
}

export async function listSystemRouteTables(
  tx: Tx,
  q: RouteTableQuery,
  now: number,
  window: { offset: number; limit: number },
): Promise<{ vpcs: Vpc[]; total: number }> {
  let base = tx.db.selectFrom('vpcs').where('account_id', '=', q.accountId).where('region_id', '=', q.regionId).where(notGone(now));
  if (q.vpcId !== undefined) base = base.where('id', '=', q.vpcId);
  if (q.routeTableId !== undefined) base = base.where('route_table_id', '=', q.routeTableId);
  // A system route table's name is empty until ModifyRouteTableAttributes (not implemented) names it.
  if (q.routeTableName !== undefined && q.routeTableName !== '') return { vpcs: [], total: 0 };
  if (q.routerId !== undefined) base = base.where('vrouter_id', '=', q.routerId);
  base = whereTagged(base, 'vpcs.route_table_id', q.accountId, q.tags ?? []);
  const total = toCount(await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst());
  const rows = await base.selectAll().orderBy('created_at').orderBy('id').offset(window.offset).limit(rowCount(window.limit)).execute();
  return { vpcs: rows.map(toVpc), total };
}

/** The system route table with this ID, if it belongs to the account (through its VPC). */
export async function findSystemRouteTable(tx: Tx, accountId: string, routeTableId: string, now: number): Promise<Vpc | undefined> {
  const row = await tx.db
    .selectFrom('vpcs')
    .selectAll()
    .where('account_id', '=', accountId)
    .where('route_table_id', '=', routeTableId)
    .where(notGone(now))
    .executeTakeFirst();
  return row && toVpc(row);
}

import { releaseIntoRanges, takeFromRange, type FreeRange, type RangeOp } from '../../domain/ipam.ts';
import type { Tx } from '../schema.ts';
import { rowCount } from './common.ts';
import { queryTemplate } from '../query-template.ts';

function toRange(row: { first_int: number; last_int: number } | undefined): FreeRange | undefined {
  return row && { first: Number(row.first_int), last: Number(row.last_int) };
}

const deleteRange = queryTemplate(
  () => '',
  (tx, v: { vswitchId: string; first: number }) => tx.db.deleteFrom('ip_free_ranges').where('vswitch_id', '=', v.vswitchId).where('first_int', '=', v.first),
);
const updateRange = queryTemplate(
  () => '',
  (tx, v: { vswitchId: string; first: number; to: FreeRange }) =>
    tx.db
      .updateTable('ip_free_ranges')
      .set({ first_int: v.to.first, last_int: v.to.last })
      .where('vswitch_id', '=', v.vswitchId)
      .where('first_int', '=', v.first),
);
const insertRange = queryTemplate(
  () => '',
  (tx, v: { vswitchId: string; range: FreeRange }) =>
    tx.db.insertInto('ip_free_ranges').values({ vswitch_id: v.vswitchId, first_int: v.range.first, last_int: v.range.last }),
);

async function apply(tx: Tx, vswitchId: string, ops: RangeOp[]): Promise<void> {
  for (const op of ops) {
    if (op.kind === 'delete') await deleteRange(tx, { vswitchId, first: op.first });
    else if (op.kind === 'update') await updateRange(tx, { vswitchId, first: op.first, to: op.to });
    else await insertRange(tx, { vswitchId, range: op.range });
  }
}

export async function initFreeRanges(tx: Tx, vswitchId: string, span: FreeRange): Promise<void> {
  await tx.db.insertInto('ip_free_ranges').values({ vswitch_id: vswitchId, first_int: span.first, last_int: span.last }).execute();
}

export async function dropFreeRanges(tx: Tx, vswitchId: string): Promise<void> {
  await tx.db.deleteFrom('ip_free_ranges').where('vswitch_id', '=', vswitchId).execute();
}

/**
 * The nearest free range whose first address compares to `address` as `op` says: the last one
 * below (`<`, `<=`) or the first one above (`>`, `>=`); with no address, the lowest range.
 */
type Nearness = '<' | '<=' | '>' | 'lowest';

function nearestTemplate(op: Nearness) {
  return queryTemplate(
    () => '',
    (tx, v: { vswitchId: string; address: number }) => {
      let q = tx.db.selectFrom('ip_free_ranges').select(['first_int', 'last_int']).where('vswitch_id', '=', v.vswitchId);
      if (op !== 'lowest') q = q.where('first_int', op, v.address);
      return q.orderBy('first_int', op === '<' || op === '<=' ? 'desc' : 'asc').limit(rowCount(1));
    },
  );
}
const NEAREST = { '<': nearestTemplate('<'), '<=': nearestTemplate('<='), '>': nearestTemplate('>'), lowest: nearestTemplate('lowest') };

async function nearestRange(tx: Tx, vswitchId: string, op?: '<' | '<=' | '>', address = 0): Promise<FreeRange | undefined> {
  return toRange((await NEAREST[op ?? 'lowest'](tx, { vswitchId, address }))[0]);
}

/** The free range holding `address`, if the address is free. */
export async function rangeHolding(tx: Tx, vswitchId: string, address: number): Promise<FreeRange | undefined> {
  const range = await nearestRange(tx, vswitchId, '<=', address);
  return range && range.last >= address ? range : undefined;
}

/** The first free address at or after `point`, wrapping to the lowest free range; undefined when full. */
export async function firstFreeFrom(tx: Tx, vswitchId: string, point: number): Promise<{ address: number; range: FreeRange } | undefined> {
  const holding = await rangeHolding(tx, vswitchId, point);
  if (holding) return { address: point, range: holding };
  const next = (await nearestRange(tx, vswitchId, '>', point)) ?? (await nearestRange(tx, vswitchId));
  return next && { address: next.first, range: next };
}

export async function takeAddress(tx: Tx, vswitchId: string, range: FreeRange, address: number): Promise<void> {
  await apply(tx, vswitchId, takeFromRange(range, address));
}

export async function releaseAddress(tx: Tx, vswitchId: string, address: number): Promise<void> {
  const before = await nearestRange(tx, vswitchId, '<', address);
  const after = await nearestRange(tx, vswitchId, '>', address);
  await apply(tx, vswitchId, releaseIntoRanges(address, before, after));
}

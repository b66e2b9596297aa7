import { releaseIntoRanges, takeFromRange, type FreeRange, type RangeOp } from '../../domain/ipam.ts';
import type { Tx } from '../schema.ts';

function toRange(row: { first_int: number; last_int: number } | undefined): FreeRange | undefined {
  return row && { first: Number(row.first_int), last: Number(row.last_int) };
}

async function apply(tx: Tx, vswitchId: string, ops: RangeOp[]): Promise<void> {
  for (const op of ops) {
    if (op.kind === 'delete') {
      await tx.db.deleteFrom('ip_free_ranges').where('vswitch_id', '=', vswitchId).where('first_int', '=', op.first).execute();
    } else if (op.kind === 'update') {
      await tx.db
        .updateTable('ip_free_ranges')
        .set({ first_int: op.to.first, last_int: op.to.last })
        .where('vswitch_id', '=', vswitchId)
        .where('first_int', '=', op.first)
        .execute();
    } else {
      await tx.db.insertInto('ip_free_ranges').values({ vswitch_id: vswitchId, first_int: op.range.first, last_int: op.range.last }).execute();
    }
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
async function nearestRange(tx: Tx, vswitchId: string, op?: '<' | '<=' | '>', address = 0): Promise<FreeRange | undefined> {
  let q = tx.db.selectFrom('ip_free_ranges').select(['first_int', 'last_int']).where('vswitch_id', '=', vswitchId);
  if (op) q = q.where('first_int', op, address);
  const below = op === '<' || op === '<=';
  return toRange(await q.orderBy('first_int', below ? 'desc' : 'asc').limit(1).executeTakeFirst());
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

import {
  alignUp,
  firstBlockIn,
  IPV4_PREFIX_SIZE,
  releaseBlockIntoRanges,
  releaseIntoRanges,
  takeBlockFromRange,
  takeFromRange,
  type FreeRange,
  type RangeOp,
} from '../../domain/ipam.ts';
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
  (tx, v: { vswitchId: string; first: number; to: FreeRange; blockStart: number | null }) =>
    tx.db
      .updateTable('ip_free_ranges')
      .set({ first_int: v.to.first, last_int: v.to.last, block_start: v.blockStart })
      .where('vswitch_id', '=', v.vswitchId)
      .where('first_int', '=', v.first),
);
const insertRange = queryTemplate(
  () => '',
  (tx, v: { vswitchId: string; range: FreeRange; blockStart: number | null }) =>
    tx.db.insertInto('ip_free_ranges').values({ vswitch_id: v.vswitchId, first_int: v.range.first, last_int: v.range.last, block_start: v.blockStart }),
);

async function apply(tx: Tx, vswitchId: string, ops: RangeOp[]): Promise<void> {
  for (const op of ops) {
    if (op.kind === 'delete') await deleteRange(tx, { vswitchId, first: op.first });
    // Every range written carries its first whole /28 (a prefix pick's index key).
    else if (op.kind === 'update') await updateRange(tx, { vswitchId, first: op.first, to: op.to, blockStart: firstBlockIn(op.to) });
    else await insertRange(tx, { vswitchId, range: op.range, blockStart: firstBlockIn(op.range) });
  }
}

export async function initFreeRanges(tx: Tx, vswitchId: string, span: FreeRange): Promise<void> {
  await tx.db
    .insertInto('ip_free_ranges')
    .values({ vswitch_id: vswitchId, first_int: span.first, last_int: span.last, block_start: firstBlockIn(span) })
    .execute();
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

// --- /28 blocks (IPv4 prefixes) ---

/** The first free range that holds a whole /28 and ends at or after `atLeast`: the partial index ip_free_ranges_block (migration 0014). */
const blockRangeTemplate = queryTemplate(
  () => '',
  (tx, v: { vswitchId: string; atLeast: number }) =>
    tx.db
      .selectFrom('ip_free_ranges')
      .select(['first_int', 'last_int', 'block_start'])
      .where('vswitch_id', '=', v.vswitchId)
      .where('last_int', '>=', v.atLeast)
      .where('block_start', 'is not', null)
      .orderBy('last_int')
      .limit(rowCount(1)),
);

/**
 * A free aligned /28 for an automatic prefix pick, from a random aligned `point`: the first range
 * with a whole block that ends at or after the point's block holds either that very block (when it
 * starts at or before the point) or, starting later, its own first block; with none (wrapping),
 * the lowest range with a block. Undefined when no range holds a whole /28. One index lookup (two
 * on a wrap), whether the vSwitch is empty or 99% full.
 */
export async function freeBlockFrom(tx: Tx, vswitchId: string, point: number): Promise<{ first: number; range: FreeRange } | undefined> {
  const at = alignUp(point);
  const row =
    (await blockRangeTemplate(tx, { vswitchId, atLeast: at + IPV4_PREFIX_SIZE - 1 }))[0] ?? (await blockRangeTemplate(tx, { vswitchId, atLeast: 0 }))[0];
  if (!row) return undefined;
  const range = toRange(row)!;
  return { first: firstBlockIn(range, at) ?? Number(row.block_start), range };
}

/** The free range holding the whole block `first`..`first + 15`, if every address of it is free. */
export async function rangeHoldingBlock(tx: Tx, vswitchId: string, first: number): Promise<FreeRange | undefined> {
  const range = await rangeHolding(tx, vswitchId, first);
  return range && range.last >= first + IPV4_PREFIX_SIZE - 1 ? range : undefined;
}

export async function takeBlock(tx: Tx, vswitchId: string, range: FreeRange, first: number): Promise<void> {
  await apply(tx, vswitchId, takeBlockFromRange(range, first, first + IPV4_PREFIX_SIZE - 1));
}

export async function releaseBlock(tx: Tx, vswitchId: string, first: number): Promise<void> {
  const last = first + IPV4_PREFIX_SIZE - 1;
  const before = await nearestRange(tx, vswitchId, '<', first);
  const after = await nearestRange(tx, vswitchId, '>', last);
  await apply(tx, vswitchId, releaseBlockIntoRanges(first, last, before, after));
}

import { releaseIntoRanges, takeFromRange, type FreeRange, type RangeOp } from '../../domain/ipam.ts';
import type { Tx } from '../schema.ts';

/**
 * The free /80 blocks of IPv6 vSwitches, kept as ranges like the IPv4 free addresses
 * (repos/ipam.ts), with the same pure operations (domain/ipam.ts): a block leaves the ranges when
 * it becomes a prefix or takes its first address, and comes back when it holds nothing again.
 * Called with the vSwitch row locked.
 */

function toRange(row: { first_block: number; last_block: number } | undefined): FreeRange | undefined {
  return row && { first: Number(row.first_block), last: Number(row.last_block) };
}

async function apply(tx: Tx, vswitchId: string, ops: RangeOp[]): Promise<void> {
  for (const op of ops) {
    const table = tx.db;
    if (op.kind === 'delete') await table.deleteFrom('ipv6_free_blocks').where('vswitch_id', '=', vswitchId).where('first_block', '=', op.first).execute();
    else if (op.kind === 'update') {
      await table
        .updateTable('ipv6_free_blocks')
        .set({ first_block: op.to.first, last_block: op.to.last })
        .where('vswitch_id', '=', vswitchId)
        .where('first_block', '=', op.first)
        .execute();
    } else await table.insertInto('ipv6_free_blocks').values({ vswitch_id: vswitchId, first_block: op.range.first, last_block: op.range.last }).execute();
  }
}

export async function initFreeBlocks(tx: Tx, vswitchId: string, span: FreeRange): Promise<void> {
  await tx.db.insertInto('ipv6_free_blocks').values({ vswitch_id: vswitchId, first_block: span.first, last_block: span.last }).execute();
}

export async function dropFreeBlocks(tx: Tx, vswitchId: string): Promise<void> {
  await tx.db.deleteFrom('ipv6_free_blocks').where('vswitch_id', '=', vswitchId).execute();
}

async function nearest(tx: Tx, vswitchId: string, op: '<' | '<=' | '>' | 'lowest', block = 0): Promise<FreeRange | undefined> {
  let q = tx.db.selectFrom('ipv6_free_blocks').select(['first_block', 'last_block']).where('vswitch_id', '=', vswitchId);
  if (op !== 'lowest') q = q.where('first_block', op, block);
  return toRange(
    await q
      .orderBy('first_block', op === '<' || op === '<=' ? 'desc' : 'asc')
      .limit(1)
      .executeTakeFirst(),
  );
}

/** The free range holding `block`, when the block is free. */
export async function freeRangeHolding(tx: Tx, vswitchId: string, block: number): Promise<FreeRange | undefined> {
  const range = await nearest(tx, vswitchId, '<=', block);
  return range && range.last >= block ? range : undefined;
}

/** The first free block at or after `point`, wrapping; undefined when none is free. */
export async function firstFreeBlockFrom(tx: Tx, vswitchId: string, point: number): Promise<{ block: number; range: FreeRange } | undefined> {
  const holding = await freeRangeHolding(tx, vswitchId, point);
  if (holding) return { block: point, range: holding };
  const next = (await nearest(tx, vswitchId, '>', point)) ?? (await nearest(tx, vswitchId, 'lowest'));
  return next && { block: next.first, range: next };
}

export async function takeBlock(tx: Tx, vswitchId: string, range: FreeRange, block: number): Promise<void> {
  await apply(tx, vswitchId, takeFromRange(range, block));
}

export async function releaseBlock(tx: Tx, vswitchId: string, block: number): Promise<void> {
  const before = await nearest(tx, vswitchId, '<', block);
  const after = await nearest(tx, vswitchId, '>', block);
  await apply(tx, vswitchId, releaseIntoRanges(block, before, after));
}

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GONE } from '../../../src/domain/async-state.ts';
import { insertEni } from '../../../src/store/repos/enis.ts';
import { freeBlockFrom, initFreeRanges, rangeHolding, rangeHoldingBlock, releaseBlock, takeAddress, takeBlock } from '../../../src/store/repos/ipam.ts';
import {
  deleteIpv4Prefixes,
  insertIpv4Prefixes,
  ipv4PrefixesOf,
  ipv4PrefixRowsOf,
  prefixAddressesAwaitingRelease,
} from '../../../src/store/repos/ipv4-prefixes.ts';
import type { Tx } from '../../../src/store/schema.ts';
import { forEachBackend } from './backends.ts';
import { eniModel, insertVSwitchRow, insertVpcRow } from './network-fixtures.ts';

const NOW = 1_800_000_000_000;
/** 10.3.0.0: the addresses below are this plus a small offset. */
const BASE = 167968768;
const prefix = (offset: number) => ({ prefix: `10.3.0.${offset}/28`, firstInt: BASE + offset });

forEachBackend('store contract: IPv4 prefixes', ({ write, read }) => {
  async function vswitch(name: string): Promise<string> {
    const id = `vsw-${name}`;
    await write(async (tx) => {
      await insertVpcRow(tx, `vpc-${name}`);
      await insertVSwitchRow(tx, id, `vpc-${name}`, '10.3.0.0/24');
    });
    return id;
  }

  /** The vSwitch's free ranges as stored, lowest first, with each range's first whole /28 (offsets from BASE). */
  async function ranges(tx: Tx, vswitchId: string): Promise<[number, number, number | null][]> {
    const rows = await tx.db
      .selectFrom('ip_free_ranges')
      .select(['first_int', 'last_int', 'block_start'])
      .where('vswitch_id', '=', vswitchId)
      .orderBy('first_int')
      .execute();
    return rows.map((r) => [Number(r.first_int) - BASE, Number(r.last_int) - BASE, r.block_start === null ? null : Number(r.block_start) - BASE]);
  }

  test('every free range written carries its first whole aligned /28 (block_start), or null', async () => {
    const vsw = await vswitch('blocks');
    await write((tx) => initFreeRanges(tx, vsw, { first: BASE + 1, last: BASE + 252 }));
    assert.deepEqual(await ranges(read(), vsw), [[1, 252, 16]]);
    // Taking single addresses moves the block start of the ranges they split.
    await write(async (tx) => takeAddress(tx, vsw, (await rangeHolding(tx, vsw, BASE + 20))!, BASE + 20));
    assert.deepEqual(await ranges(read(), vsw), [
      [1, 19, null],
      [21, 252, 32],
    ]);
    await write(async (tx) => takeBlock(tx, vsw, (await rangeHoldingBlock(tx, vsw, BASE + 48))!, BASE + 48));
    assert.deepEqual(await ranges(read(), vsw), [
      [1, 19, null],
      [21, 47, 32],
      [64, 252, 64],
    ]);
    await write((tx) => releaseBlock(tx, vsw, BASE + 48));
    assert.deepEqual(await ranges(read(), vsw), [
      [1, 19, null],
      [21, 252, 32],
    ]);
  });

  test('a block is free only when all 16 of its addresses are', async () => {
    const vsw = await vswitch('whole');
    await write((tx) => initFreeRanges(tx, vsw, { first: BASE + 1, last: BASE + 252 }));
    await write(async (tx) => takeAddress(tx, vsw, (await rangeHolding(tx, vsw, BASE + 40))!, BASE + 40));
    assert.equal(await rangeHoldingBlock(read(), vsw, BASE + 32), undefined);
    assert.deepEqual(await rangeHoldingBlock(read(), vsw, BASE + 16), { first: BASE + 1, last: BASE + 39 });
    assert.equal(await rangeHoldingBlock(read(), vsw, BASE + 240), undefined, 'the range ends at .252: .240/28 is not wholly free');
  });

  test('an automatic pick: the block at the point, else the next range with a block, else (wrapping) the lowest; none when no whole block is free', async () => {
    const vsw = await vswitch('pick');
    await write(async (tx) => {
      // Free: 5-40 (one block: 16; 32-47 is cut at 40), 60-100 (64, 80), 200-215 (none: 208 would end at 223).
      await initFreeRanges(tx, vsw, { first: BASE + 5, last: BASE + 40 });
      await initFreeRanges(tx, vsw, { first: BASE + 60, last: BASE + 100 });
      await initFreeRanges(tx, vsw, { first: BASE + 200, last: BASE + 215 });
    });
    const pick = async (point: number) => (await freeBlockFrom(read(), vsw, BASE + point))?.first;
    assert.equal(await pick(16), BASE + 16);
    assert.equal(await pick(80), BASE + 80, 'the block at the point, inside a range that starts lower');
    assert.equal(await pick(32), BASE + 64, '32-47 is not wholly free: the next range with a block');
    assert.equal(await pick(96), BASE + 16, 'nothing at or after 96 holds a block: wrap to the lowest');
    assert.equal(await pick(0), BASE + 16);
    await write(async (tx) => {
      for (const first of [16, 64, 80]) await takeBlock(tx, vsw, (await rangeHoldingBlock(tx, vsw, BASE + first))!, BASE + first);
    });
    assert.equal(await pick(16), undefined, 'free addresses remain, but no whole block');
    assert.deepEqual(
      (await ranges(read(), vsw)).map(([f, l, b]) => [f, l, b]),
      [
        [5, 15, null],
        [32, 40, null],
        [60, 63, null],
        [96, 100, null],
        [200, 215, null],
      ],
    );
  });

  test('a prefix is held once per vSwitch: a second holder is refused by the database; released, it can be held again', async () => {
    const vsw = await vswitch('unique');
    await write(async (tx) => {
      await insertEni(tx, eniModel('eni-p-1', 'vpc-unique', vsw));
      await insertEni(tx, eniModel('eni-p-2', 'vpc-unique', vsw));
      await insertIpv4Prefixes(tx, vsw, 'eni-p-1', [prefix(16)], NOW);
    });
    await assert.rejects(() => write((tx) => insertIpv4Prefixes(tx, vsw, 'eni-p-2', [prefix(16)], NOW)));
    await assert.rejects(() => write((tx) => insertIpv4Prefixes(tx, vsw, 'eni-p-2', [prefix(32), prefix(16)], NOW)));
    assert.equal((await ipv4PrefixesOf(read(), ['eni-p-2'])).get('eni-p-2'), undefined, 'a batch with one taken prefix is refused whole');
    await write((tx) => deleteIpv4Prefixes(tx, vsw, [BASE + 16]));
    await write((tx) => insertIpv4Prefixes(tx, vsw, 'eni-p-2', [prefix(16)], NOW));
    assert.deepEqual((await ipv4PrefixesOf(read(), ['eni-p-1', 'eni-p-2'])).get('eni-p-2'), ['10.3.0.16/28']);
  });

  test('ipv4PrefixesOf: per ENI, in the order assigned (then by address); ENIs with none are absent', async () => {
    const vsw = await vswitch('order');
    await write(async (tx) => {
      await insertEni(tx, eniModel('eni-o-1', 'vpc-order', vsw));
      await insertEni(tx, eniModel('eni-o-2', 'vpc-order', vsw));
      await insertEni(tx, eniModel('eni-o-3', 'vpc-order', vsw));
      await insertIpv4Prefixes(tx, vsw, 'eni-o-1', [prefix(160), prefix(32)], NOW);
      await insertIpv4Prefixes(tx, vsw, 'eni-o-1', [prefix(16)], NOW + 1);
      await insertIpv4Prefixes(tx, vsw, 'eni-o-2', [prefix(64)], NOW);
    });
    const got = await ipv4PrefixesOf(read(), ['eni-o-1', 'eni-o-2', 'eni-o-3']);
    assert.deepEqual(
      got,
      new Map([
        ['eni-o-1', ['10.3.0.32/28', '10.3.0.160/28', '10.3.0.16/28']],
        ['eni-o-2', ['10.3.0.64/28']],
      ]),
    );
    assert.deepEqual((await ipv4PrefixRowsOf(read(), ['eni-o-2'])).get('eni-o-2'), [prefix(64)]);
    assert.equal((await ipv4PrefixesOf(read(), [])).size, 0);
  });

  test('prefixes of deleting ENIs whose time is due count as 16 addresses awaiting release each', async () => {
    const vsw = await vswitch('due');
    await write(async (tx) => {
      await insertEni(tx, eniModel('eni-pd-due', 'vpc-due', vsw, { status: 'Deleting', nextStatus: GONE, transitionAt: NOW - 1 }));
      await insertEni(tx, eniModel('eni-pd-later', 'vpc-due', vsw, { status: 'Deleting', nextStatus: GONE, transitionAt: NOW + 1 }));
      await insertIpv4Prefixes(tx, vsw, 'eni-pd-due', [prefix(16), prefix(32)], NOW);
      await insertIpv4Prefixes(tx, vsw, 'eni-pd-later', [prefix(48)], NOW);
    });
    assert.deepEqual(await prefixAddressesAwaitingRelease(read(), [vsw], NOW, 16), new Map([[vsw, 32]]));
    assert.deepEqual(await prefixAddressesAwaitingRelease(read(), [vsw], NOW + 2, 16), new Map([[vsw, 48]]));
    assert.equal((await prefixAddressesAwaitingRelease(read(), [], NOW, 16)).size, 0);
  });
});

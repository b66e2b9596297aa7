import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GONE } from '../../../src/domain/async-state.ts';
import {
  addVSwitchUsage,
  addressesAwaitingRelease,
  deletePrivateIps,
  dueDeletionsIn,
  insertEni,
  insertPrivateIps,
  privateIpsOf,
} from '../../../src/store/repos/enis.ts';
import { dropFreeRanges, firstFreeFrom, initFreeRanges, rangeHolding, releaseAddress, takeAddress } from '../../../src/store/repos/ipam.ts';
import type { Tx } from '../../../src/store/schema.ts';
import { forEachBackend } from './backends.ts';
import { eniModel, insertVSwitchRow, insertVpcRow } from './network-fixtures.ts';

const NOW = 1_800_000_000_000;
/** 10.3.0.0: the addresses below are this plus a small offset. */
const BASE = 167968768;
const ip = (offset: number) => ({ address: `10.3.0.${offset}`, addressInt: BASE + offset });

forEachBackend('store contract: address allocation', ({ write, read }) => {
  async function vswitch(name: string): Promise<string> {
    const id = `vsw-${name}`;
    await write(async (tx) => {
      await insertVpcRow(tx, `vpc-${name}`);
      await insertVSwitchRow(tx, id, `vpc-${name}`, '10.3.0.0/24');
    });
    return id;
  }

  /** The vSwitch's free ranges as stored, lowest first. */
  async function ranges(tx: Tx, vswitchId: string): Promise<[number, number][]> {
    const rows = await tx.db.selectFrom('ip_free_ranges').select(['first_int', 'last_int']).where('vswitch_id', '=', vswitchId).orderBy('first_int').execute();
    return rows.map((r) => [Number(r.first_int) - BASE, Number(r.last_int) - BASE]);
  }

  test('free ranges: taking an address splits its range, releasing it merges the neighbours back', async () => {
    const vsw = await vswitch('ranges');
    await write((tx) => initFreeRanges(tx, vsw, { first: BASE + 10, last: BASE + 20 }));
    assert.deepEqual(await rangeHolding(read(), vsw, BASE + 15), { first: BASE + 10, last: BASE + 20 });
    assert.equal(await rangeHolding(read(), vsw, BASE + 9), undefined);
    assert.equal(await rangeHolding(read(), vsw, BASE + 21), undefined);

    await write(async (tx) => takeAddress(tx, vsw, (await rangeHolding(tx, vsw, BASE + 15))!, BASE + 15));
    assert.deepEqual(await ranges(read(), vsw), [
      [10, 14],
      [16, 20],
    ]);
    assert.equal(await rangeHolding(read(), vsw, BASE + 15), undefined);
    // The first free address at or after a point: the point itself, the next free one, or (wrapping) the lowest.
    assert.deepEqual(await firstFreeFrom(read(), vsw, BASE + 12), { address: BASE + 12, range: { first: BASE + 10, last: BASE + 14 } });
    assert.deepEqual(await firstFreeFrom(read(), vsw, BASE + 15), { address: BASE + 16, range: { first: BASE + 16, last: BASE + 20 } });
    await write(async (tx) => {
      for (let a = 16; a <= 20; a++) await takeAddress(tx, vsw, (await rangeHolding(tx, vsw, BASE + a))!, BASE + a);
    });
    assert.deepEqual(await ranges(read(), vsw), [[10, 14]]);
    assert.deepEqual((await firstFreeFrom(read(), vsw, BASE + 18))!.address, BASE + 10);

    await write(async (tx) => {
      await releaseAddress(tx, vsw, BASE + 17);
      await releaseAddress(tx, vsw, BASE + 16);
    });
    assert.deepEqual(await ranges(read(), vsw), [
      [10, 14],
      [16, 17],
    ]);
    await write((tx) => releaseAddress(tx, vsw, BASE + 15));
    assert.deepEqual(await ranges(read(), vsw), [[10, 17]], 'the address between two ranges joins them into one');

    await write(async (tx) => {
      for (let a = 10; a <= 17; a++) await takeAddress(tx, vsw, (await rangeHolding(tx, vsw, BASE + a))!, BASE + a);
    });
    assert.equal(await firstFreeFrom(read(), vsw, BASE + 12), undefined, 'a full vSwitch has no free address');
    await write((tx) => dropFreeRanges(tx, vsw));
    assert.deepEqual(await ranges(read(), vsw), []);
  });

  test('two free ranges of one vSwitch cannot start at the same address', async () => {
    const vsw = await vswitch('range-key');
    await write((tx) => initFreeRanges(tx, vsw, { first: BASE + 4, last: BASE + 8 }));
    await assert.rejects(() => write((tx) => initFreeRanges(tx, vsw, { first: BASE + 4, last: BASE + 6 })));
    // The same span in another vSwitch is its own.
    const other = await vswitch('range-key-other');
    await write((tx) => initFreeRanges(tx, other, { first: BASE + 4, last: BASE + 8 }));
  });

  test('an address is held once per vSwitch: a second holder, even another ENI, is refused by the database', async () => {
    const vsw = await vswitch('unique');
    const vpc = 'vpc-unique';
    await write(async (tx) => {
      await insertEni(tx, eniModel('eni-u-1', vpc, vsw));
      await insertEni(tx, eniModel('eni-u-2', vpc, vsw));
      await insertPrivateIps(tx, vsw, 'eni-u-1', [{ ...ip(10), isPrimary: true }], NOW);
    });
    await assert.rejects(() => write((tx) => insertPrivateIps(tx, vsw, 'eni-u-2', [{ ...ip(10), isPrimary: true }], NOW)));
    await assert.rejects(() => write((tx) => insertPrivateIps(tx, vsw, 'eni-u-1', [{ ...ip(10), isPrimary: false }], NOW)));
    // A batch with one taken address is refused whole.
    await assert.rejects(() =>
      write((tx) =>
        insertPrivateIps(
          tx,
          vsw,
          'eni-u-2',
          [
            { ...ip(11), isPrimary: true },
            { ...ip(10), isPrimary: false },
          ],
          NOW,
        ),
      ),
    );
    assert.equal((await privateIpsOf(read(), ['eni-u-2'])).get('eni-u-2'), undefined);

    // The same address in another vSwitch (another VPC's range) is another address.
    const other = await vswitch('unique-other');
    await write(async (tx) => {
      await insertEni(tx, eniModel('eni-u-3', 'vpc-unique-other', other));
      await insertPrivateIps(tx, other, 'eni-u-3', [{ ...ip(10), isPrimary: true }], NOW);
    });
    // Released, it can be held again.
    await write((tx) => deletePrivateIps(tx, vsw, [BASE + 10]));
    await write((tx) => insertPrivateIps(tx, vsw, 'eni-u-2', [{ ...ip(10), isPrimary: true }], NOW));
    assert.deepEqual((await privateIpsOf(read(), ['eni-u-2'])).get('eni-u-2'), [{ ...ip(10), isPrimary: true }]);
    assert.equal((await privateIpsOf(read(), ['eni-u-1'])).get('eni-u-1'), undefined);
  });

  test("the vSwitch's used-address count moves with each allocation and release", async () => {
    const vsw = await vswitch('usage');
    const used = async () => (await read().db.selectFrom('vswitches').select('ip_used').where('id', '=', vsw).executeTakeFirstOrThrow()).ip_used;
    await write((tx) => addVSwitchUsage(tx, vsw, 3));
    await write((tx) => addVSwitchUsage(tx, vsw, 0));
    assert.equal(await used(), 3);
    await write((tx) => addVSwitchUsage(tx, vsw, -2));
    assert.equal(await used(), 1);
    // Rolled back with the transaction that allocated.
    await assert.rejects(() =>
      write(async (tx) => {
        await addVSwitchUsage(tx, vsw, 5);
        throw new Error('the allocation failed later');
      }),
    );
    assert.equal(await used(), 1);
  });

  test('deleting ENIs whose time is due are found per vSwitch, and their addresses counted as awaiting release', async () => {
    const vsw = await vswitch('due');
    const other = await vswitch('due-other');
    await write(async (tx) => {
      await insertEni(tx, eniModel('eni-d-due', 'vpc-due', vsw, { status: 'Deleting', nextStatus: GONE, transitionAt: NOW - 1 }));
      await insertEni(tx, eniModel('eni-d-later', 'vpc-due', vsw, { status: 'Deleting', nextStatus: GONE, transitionAt: NOW + 1 }));
      await insertEni(tx, eniModel('eni-d-live', 'vpc-due', vsw));
      await insertPrivateIps(
        tx,
        vsw,
        'eni-d-due',
        [
          { ...ip(20), isPrimary: true },
          { ...ip(21), isPrimary: false },
        ],
        NOW,
      );
      await insertPrivateIps(tx, vsw, 'eni-d-later', [{ ...ip(22), isPrimary: true }], NOW);
      await insertPrivateIps(tx, vsw, 'eni-d-live', [{ ...ip(23), isPrimary: true }], NOW);
    });
    assert.deepEqual(await dueDeletionsIn(read(), vsw, NOW), ['eni-d-due']);
    assert.deepEqual(await dueDeletionsIn(read(), other, NOW), []);
    assert.deepEqual(await dueDeletionsIn(read(), vsw, NOW + 2), ['eni-d-due', 'eni-d-later']);
    assert.deepEqual(await addressesAwaitingRelease(read(), [vsw, other], NOW), new Map([[vsw, 2]]));
    assert.deepEqual(await addressesAwaitingRelease(read(), [vsw], NOW + 2), new Map([[vsw, 3]]));
    assert.equal((await addressesAwaitingRelease(read(), [], NOW)).size, 0);
  });
});

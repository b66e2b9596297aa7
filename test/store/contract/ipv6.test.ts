import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  addressBlockFrom,
  deleteIpv6Addresses,
  deleteIpv6Prefixes,
  insertIpv6Addresses,
  insertIpv6Prefixes,
  ipv6AddressTaken,
  ipv6AddressesOf,
  ipv6BlockHasAddresses,
  ipv6PrefixesOf,
  vswitchHasIpv6InUse,
} from '../../../src/store/repos/ipv6.ts';
import { dropFreeBlocks, firstFreeBlockFrom, freeRangeHolding, initFreeBlocks, releaseBlock, takeBlock } from '../../../src/store/repos/ipv6-blocks.ts';
import { vpcIpv6BlockTaken } from '../../../src/store/repos/vpcs.ts';
import { insertVpc } from '../../../src/store/repos/vpcs.ts';
import type { Tx } from '../../../src/store/schema.ts';
import { forEachBackend } from './backends.ts';
import { vpcFixture } from './fixtures.ts';

const NOW = 1_800_000_000_000;

forEachBackend('store contract: IPv6 addresses, /80 prefixes and free /80 blocks', ({ write, read }) => {
  async function blocks(tx: Tx, vswitchId: string): Promise<[number, number][]> {
    const rows = await tx.db
      .selectFrom('ipv6_free_blocks')
      .select(['first_block', 'last_block'])
      .where('vswitch_id', '=', vswitchId)
      .orderBy('first_block')
      .execute();
    return rows.map((r) => [Number(r.first_block), Number(r.last_block)]);
  }

  test('addresses: a duplicate (vSwitch, address) is refused by the key; listed per ENI oldest first; found by /80', async () => {
    await write((tx) =>
      insertIpv6Addresses(
        tx,
        'vsw-a',
        'eni-1',
        [
          { address: '2001:db8:0:1::b', block80: 0 },
          { address: '2001:db8:0:1:5::a', block80: 5 },
        ],
        NOW,
      ),
    );
    await write((tx) => insertIpv6Addresses(tx, 'vsw-a', 'eni-2', [{ address: '2001:db8:0:1::c', block80: 0 }], NOW + 1));
    await assert.rejects(write((tx) => insertIpv6Addresses(tx, 'vsw-a', 'eni-3', [{ address: '2001:db8:0:1::b', block80: 0 }], NOW)));
    // The same spelling in another vSwitch is another address.
    await write((tx) => insertIpv6Addresses(tx, 'vsw-b', 'eni-3', [{ address: '2001:db8:0:1::b', block80: 0 }], NOW));
    const of = await ipv6AddressesOf(read(), ['eni-1', 'eni-2', 'eni-none']);
    // Oldest first; one creation time, then by spelling (the same order on both backends).
    assert.deepEqual(of.get('eni-1'), ['2001:db8:0:1:5::a', '2001:db8:0:1::b']);
    assert.deepEqual(of.get('eni-2'), ['2001:db8:0:1::c']);
    assert.equal(of.get('eni-none'), undefined);
    assert.equal(await ipv6AddressTaken(read(), 'vsw-a', '2001:db8:0:1::c'), true);
    assert.equal(await ipv6AddressTaken(read(), 'vsw-a', '2001:db8:0:1::d'), false);
    assert.equal(await ipv6BlockHasAddresses(read(), 'vsw-a', 5), true);
    assert.equal(await ipv6BlockHasAddresses(read(), 'vsw-a', 6), false);
    assert.equal(await addressBlockFrom(read(), 'vsw-a', 1), 5);
    assert.equal(await addressBlockFrom(read(), 'vsw-a', 6), undefined);
    await write((tx) => deleteIpv6Addresses(tx, 'eni-1', ['2001:db8:0:1:5::a', '2001:db8:0:1::c']));
    assert.deepEqual((await ipv6AddressesOf(read(), ['eni-1', 'eni-2'])).get('eni-1'), ['2001:db8:0:1::b']);
    assert.deepEqual((await ipv6AddressesOf(read(), ['eni-2'])).get('eni-2'), ['2001:db8:0:1::c'], "another ENI's address is not deleted");
  });

  test('prefixes: one /80 per (vSwitch, block); listed per ENI; the vSwitch counts as in use while any is held', async () => {
    assert.equal(await vswitchHasIpv6InUse(read(), 'vsw-p'), false);
    await write((tx) => insertIpv6Prefixes(tx, 'vsw-p', 'eni-p', [{ prefix: '2001:db8:0:2:7::/80', block80: 7 }], NOW));
    await assert.rejects(write((tx) => insertIpv6Prefixes(tx, 'vsw-p', 'eni-q', [{ prefix: '2001:db8:0:2:7::/80', block80: 7 }], NOW)));
    assert.deepEqual((await ipv6PrefixesOf(read(), ['eni-p'])).get('eni-p'), ['2001:db8:0:2:7::/80']);
    assert.equal(await vswitchHasIpv6InUse(read(), 'vsw-p'), true);
    await write((tx) => deleteIpv6Prefixes(tx, 'eni-p', ['2001:db8:0:2:7::/80']));
    assert.equal(await vswitchHasIpv6InUse(read(), 'vsw-p'), false);
  });

  test('free /80 blocks: taken blocks split the ranges, released ones merge back; the first free block at or after a point wraps', async () => {
    const vsw = 'vsw-blocks';
    await write((tx) => initFreeBlocks(tx, vsw, { first: 1, last: 10 }));
    await write(async (tx) => takeBlock(tx, vsw, (await freeRangeHolding(tx, vsw, 4))!, 4));
    await write(async (tx) => takeBlock(tx, vsw, (await freeRangeHolding(tx, vsw, 10))!, 10));
    assert.deepEqual(await blocks(read(), vsw), [
      [1, 3],
      [5, 9],
    ]);
    assert.equal(await freeRangeHolding(read(), vsw, 4), undefined);
    assert.deepEqual(await firstFreeBlockFrom(read(), vsw, 4), { block: 5, range: { first: 5, last: 9 } });
    assert.deepEqual(await firstFreeBlockFrom(read(), vsw, 10), { block: 1, range: { first: 1, last: 3 } });
    await write((tx) => releaseBlock(tx, vsw, 4));
    await write((tx) => releaseBlock(tx, vsw, 10));
    assert.deepEqual(await blocks(read(), vsw), [[1, 10]]);
    await write((tx) => dropFreeBlocks(tx, vsw));
    assert.equal(await firstFreeBlockFrom(read(), vsw, 1), undefined);
  });

  test('VPC IPv6 blocks: two VPCs never hold the same /56 (the partial unique index); IPv6-less VPCs share the empty value', async () => {
    await write((tx) => insertVpc(tx, vpcFixture('vpc-six-1', { ipv6CidrBlock: '2001:db8:1:100::/56', ipv6Isp: 'BGP' })));
    assert.equal(await vpcIpv6BlockTaken(read(), '2001:db8:1:100::/56'), true);
    await assert.rejects(write((tx) => insertVpc(tx, vpcFixture('vpc-six-2', { ipv6CidrBlock: '2001:db8:1:100::/56', ipv6Isp: 'BGP' }))));
    await write((tx) => insertVpc(tx, vpcFixture('vpc-four-1')));
    await write((tx) => insertVpc(tx, vpcFixture('vpc-four-2')));
  });
});

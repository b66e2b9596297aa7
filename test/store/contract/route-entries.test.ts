import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RouteEntry } from '../../../src/domain/models/route-entry.ts';
import { deleteRouteEntriesOfTable, deleteRouteEntriesOfVSwitch, insertRouteEntry, listRouteEntries } from '../../../src/store/repos/route-entries.ts';
import { findSystemRouteTable, listSystemRouteTables } from '../../../src/store/repos/route-tables.ts';
import { upsertTags } from '../../../src/store/repos/tags.ts';
import { insertVpc } from '../../../src/store/repos/vpcs.ts';
import { ACCOUNT_ID, OTHER_ACCOUNT_ID, REGION_ID, forEachBackend } from './backends.ts';
import { vpcFixture } from './fixtures.ts';

function entry(id: string, over: Partial<RouteEntry> = {}): RouteEntry {
  return {
    id,
    accountId: ACCOUNT_ID,
    routeTableId: 'vtb-1',
    destinationCidrBlock: '100.64.0.0/10',
    entryType: 'System',
    nextHopType: 'service',
    vswitchId: '',
    createdAt: 100,
    ...over,
  };
}

const ALL = { offset: 0, limit: 100 };

forEachBackend('store contract: route entries and system route tables', ({ write, read }) => {
  const service = entry('rte-service');
  const local1 = entry('rte-local1', { destinationCidrBlock: '10.0.1.0/24', nextHopType: 'local', vswitchId: 'vsw-1', createdAt: 200 });
  const local2 = entry('rte-local2', { destinationCidrBlock: '10.0.2.0/24', nextHopType: 'local', vswitchId: 'vsw-2', createdAt: 200 });

  test("a table's entries come back as stored, in creation order, filtered and paged", async () => {
    await write(async (tx) => {
      await insertRouteEntry(tx, local2);
      await insertRouteEntry(tx, service);
      await insertRouteEntry(tx, local1);
      await insertRouteEntry(tx, entry('rte-elsewhere', { routeTableId: 'vtb-2' }));
    });
    const list = (q: Omit<Parameters<typeof listRouteEntries>[1], 'accountId' | 'routeTableId'>, window = ALL) =>
      listRouteEntries(read(), { accountId: ACCOUNT_ID, routeTableId: 'vtb-1', ...q }, window);
    assert.deepEqual(await list({}), { entries: [service, local1, local2], total: 3 });
    assert.deepEqual(await list({ entryId: 'rte-local2' }), { entries: [local2], total: 1 });
    assert.deepEqual((await list({ destinationCidrBlock: '10.0.1.0/24' })).entries, [local1]);
    assert.deepEqual((await list({ nextHopType: 'local' })).total, 2);
    assert.deepEqual((await list({ entryType: 'Custom' })).total, 0);
    assert.deepEqual(await list({}, { offset: 1, limit: 1 }), { entries: [local1], total: 3 });
    assert.deepEqual(await listRouteEntries(read(), { accountId: OTHER_ACCOUNT_ID, routeTableId: 'vtb-1' }, ALL), { entries: [], total: 0 });
  });

  test('one entry per destination in a table: the database refuses a second', async () => {
    await assert.rejects(() => write((tx) => insertRouteEntry(tx, entry('rte-dup', { destinationCidrBlock: '10.0.1.0/24' }))));
    // The same destination in another table is fine.
    await write((tx) => insertRouteEntry(tx, entry('rte-other-table', { routeTableId: 'vtb-3', destinationCidrBlock: '10.0.1.0/24' })));
  });

  test("a vSwitch's entry goes with it; a table's entries go with its VPC", async () => {
    await write((tx) => deleteRouteEntriesOfVSwitch(tx, 'vsw-1'));
    assert.deepEqual((await listRouteEntries(read(), { accountId: ACCOUNT_ID, routeTableId: 'vtb-1' }, ALL)).entries, [service, local2]);
    await write((tx) => deleteRouteEntriesOfTable(tx, 'vtb-1'));
    assert.equal((await listRouteEntries(read(), { accountId: ACCOUNT_ID, routeTableId: 'vtb-1' }, ALL)).total, 0);
    assert.equal((await listRouteEntries(read(), { accountId: ACCOUNT_ID, routeTableId: 'vtb-2' }, ALL)).total, 1);
  });

  test('system route tables are their VPCs: found by table ID, listed by VPC, table, router and tags', async () => {
    const vpc = vpcFixture('vpc-rt1', { routeTableId: 'vtb-rt1', vrouterId: 'vrt-rt1', createdAt: 1 });
    await write(async (tx) => {
      await insertVpc(tx, vpc);
      await insertVpc(tx, vpcFixture('vpc-rt2', { routeTableId: 'vtb-rt2', createdAt: 2 }));
      await insertVpc(tx, vpcFixture('vpc-rt3', { routeTableId: 'vtb-rt3', createdAt: 3, status: 'Deleting', nextStatus: 'Gone', transitionAt: 10 }));
      await upsertTags(tx, { accountId: ACCOUNT_ID, regionId: REGION_ID }, 'vpc', 'vtb-rt2', [{ key: 'k', value: 'v' }], 1);
    });
    assert.deepEqual(await findSystemRouteTable(read(), ACCOUNT_ID, 'vtb-rt1', 0), vpc);
    assert.equal(await findSystemRouteTable(read(), OTHER_ACCOUNT_ID, 'vtb-rt1', 0), undefined);
    assert.equal(await findSystemRouteTable(read(), ACCOUNT_ID, 'vtb-rt3', 10), undefined);
    const ids = async (q: Omit<Parameters<typeof listSystemRouteTables>[1], 'accountId' | 'regionId'>, now = 10) => {
      const r = await listSystemRouteTables(read(), { accountId: ACCOUNT_ID, regionId: REGION_ID, ...q }, now, ALL);
      return [r.vpcs.map((v) => v.routeTableId), r.total];
    };
    assert.deepEqual(await ids({}), [['vtb-rt1', 'vtb-rt2'], 2]);
    assert.deepEqual(await ids({}, 9), [['vtb-rt1', 'vtb-rt2', 'vtb-rt3'], 3]);
    assert.deepEqual(await ids({ vpcId: 'vpc-rt2' }), [['vtb-rt2'], 1]);
    assert.deepEqual(await ids({ routeTableId: 'vtb-rt1' }), [['vtb-rt1'], 1]);
    assert.deepEqual(await ids({ routerId: 'vrt-rt1' }), [['vtb-rt1'], 1]);
    assert.deepEqual(await ids({ tags: [{ key: 'k' }] }), [['vtb-rt2'], 1]);
    assert.deepEqual(await ids({ routeTableName: '' }), [['vtb-rt1', 'vtb-rt2'], 2]);
    assert.deepEqual(await ids({ routeTableName: 'named' }), [[], 0]);
  });
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { upsertTags } from '../../../src/store/repos/tags.ts';
import {
  countVpcsInRegion,
  deleteVpcRow,
  findVpc,
  insertVpc,
  listVpcs,
  resourceGroupsOfVpcs,
  routeTableIdsOf,
  updateVpc,
} from '../../../src/store/repos/vpcs.ts';
import { ACCOUNT_ID, OTHER_ACCOUNT_ID, REGION_ID, forEachBackend } from './backends.ts';
import { vpcFixture } from './fixtures.ts';

const owner = { accountId: ACCOUNT_ID, regionId: REGION_ID };
const ALL = { offset: 0, limit: 100 };

forEachBackend('store contract: VPCs', ({ write, read }) => {
  test('a stored VPC comes back as the same model: booleans, numbers and nulls typed as stored', async () => {
    const vpc = vpcFixture('vpc-round', { name: 'n', description: 'd', isDefault: true, createdAt: 1_700_000_000_123 });
    await write((tx) => insertVpc(tx, vpc));
    const found = await findVpc(read(), ACCOUNT_ID, 'vpc-round', 0);
    assert.deepEqual(found, vpc);
    assert.equal(typeof found?.createdAt, 'number');
    assert.equal(found?.isDefault, true);
    const pending = vpcFixture('vpc-pending', { status: 'Pending', nextStatus: 'Available', transitionAt: 500 });
    await write((tx) => insertVpc(tx, pending));
    assert.deepEqual(await findVpc(read(), ACCOUNT_ID, 'vpc-pending', 0), pending);
  });

  test('another account sees nothing; a VPC whose deletion is due is gone, one being deleted is still there', async () => {
    await write((tx) => insertVpc(tx, vpcFixture('vpc-deleting', { status: 'Deleting', nextStatus: 'Gone', transitionAt: 1000 })));
    assert.equal(await findVpc(read(), OTHER_ACCOUNT_ID, 'vpc-round', 0), undefined);
    assert.equal((await findVpc(read(), ACCOUNT_ID, 'vpc-deleting', 999))?.id, 'vpc-deleting');
    assert.equal(await findVpc(read(), ACCOUNT_ID, 'vpc-deleting', 1000), undefined);
    // Locked inside a transaction (FOR UPDATE on PostgreSQL), the same model.
    assert.equal((await write((tx) => findVpc(tx, ACCOUNT_ID, 'vpc-round', 0, true)))?.name, 'n');
  });

  test('the same VPC ID twice is refused by the database', async () => {
    await assert.rejects(() => write((tx) => insertVpc(tx, vpcFixture('vpc-round'))));
  });

  test('listing filters by IDs, name, default flag, group and tags, in creation order, with the total', async () => {
    const t0 = 10_000;
    await write(async (tx) => {
      await insertVpc(tx, vpcFixture('vpc-l3', { createdAt: t0 + 2, name: 'web', resourceGroupId: 'rg-a' }));
      await insertVpc(tx, vpcFixture('vpc-l1', { createdAt: t0, name: 'web', isDefault: true }));
      await insertVpc(tx, vpcFixture('vpc-l2', { createdAt: t0 + 1, name: 'db' }));
      await insertVpc(tx, vpcFixture('vpc-l4', { createdAt: t0, regionId: 'cn-beijing', name: 'web' }));
      await upsertTags(tx, owner, 'vpc', 'vpc-l2', [{ key: 'env', value: 'prod' }], t0);
      await upsertTags(tx, owner, 'vpc', 'vpc-l3', [{ key: 'env', value: 'test' }], t0);
    });
    const ids = (q: Parameters<typeof listVpcs>[1]) => listVpcs(read(), q, t0, ALL).then((r) => [r.vpcs.map((v) => v.id), r.total]);
    const q = { ...owner, ids: ['vpc-l1', 'vpc-l2', 'vpc-l3', 'vpc-l4'] };
    assert.deepEqual(await ids(q), [['vpc-l1', 'vpc-l2', 'vpc-l3'], 3]);
    assert.deepEqual(await ids({ ...q, name: 'web' }), [['vpc-l1', 'vpc-l3'], 2]);
    assert.deepEqual(await ids({ ...q, isDefault: true }), [['vpc-l1'], 1]);
    assert.deepEqual(await ids({ ...q, isDefault: false }), [['vpc-l2', 'vpc-l3'], 2]);
    assert.deepEqual(await ids({ ...q, resourceGroupId: 'rg-a' }), [['vpc-l3'], 1]);
    assert.deepEqual(await ids({ ...q, tags: [{ key: 'env' }] }), [['vpc-l2', 'vpc-l3'], 2]);
    assert.deepEqual(await ids({ ...q, tags: [{ key: 'env', value: 'prod' }] }), [['vpc-l2'], 1]);
    assert.deepEqual(await ids({ ...q, ids: [] }), [[], 0]);
    const page = await listVpcs(read(), q, t0, { offset: 1, limit: 1 });
    assert.deepEqual([page.vpcs.map((v) => v.id), page.total], [['vpc-l2'], 3]);
    assert.equal(page.vpcs[0]?.isDefault, false);
  });

  test('the region count leaves out other regions, other accounts and VPCs whose deletion is due', async () => {
    const before = await countVpcsInRegion(read(), ACCOUNT_ID, 'cn-shanghai', 0);
    await write(async (tx) => {
      await insertVpc(tx, vpcFixture('vpc-c1', { regionId: 'cn-shanghai' }));
      await insertVpc(tx, vpcFixture('vpc-c2', { regionId: 'cn-shanghai', nextStatus: 'Gone', transitionAt: 50, status: 'Deleting' }));
      await insertVpc(tx, vpcFixture('vpc-c3', { regionId: 'cn-shanghai', accountId: OTHER_ACCOUNT_ID }));
    });
    assert.equal(await countVpcsInRegion(read(), ACCOUNT_ID, 'cn-shanghai', 0), before + 2);
    assert.equal(await countVpcsInRegion(read(), ACCOUNT_ID, 'cn-shanghai', 50), before + 1);
  });

  test('an update changes only the fields it names; a transition sets and clears its columns', async () => {
    const vpc = vpcFixture('vpc-upd', { name: 'old', description: 'keep' });
    await write((tx) => insertVpc(tx, vpc));
    await write((tx) => updateVpc(tx, 'vpc-upd', { name: 'new' }));
    await write((tx) => updateVpc(tx, 'vpc-upd', {}));
    assert.deepEqual(await findVpc(read(), ACCOUNT_ID, 'vpc-upd', 0), { ...vpc, name: 'new' });
    await write((tx) => updateVpc(tx, 'vpc-upd', { status: 'Deleting', nextStatus: 'Gone', transitionAt: 7000 }));
    assert.deepEqual(await findVpc(read(), ACCOUNT_ID, 'vpc-upd', 0), { ...vpc, name: 'new', status: 'Deleting', nextStatus: 'Gone', transitionAt: 7000 });
    await write((tx) => updateVpc(tx, 'vpc-upd', { status: 'Available', nextStatus: null, transitionAt: null }));
    assert.deepEqual(await findVpc(read(), ACCOUNT_ID, 'vpc-upd', 0), { ...vpc, name: 'new' });
  });

  test('deleting a VPC removes it and its tags', async () => {
    await write(async (tx) => {
      await insertVpc(tx, vpcFixture('vpc-del'));
      await upsertTags(tx, owner, 'vpc', 'vpc-del', [{ key: 'k', value: 'v' }], 1);
    });
    await write((tx) => deleteVpcRow(tx, 'vpc-del'));
    assert.equal(await findVpc(read(), ACCOUNT_ID, 'vpc-del', 0), undefined);
    assert.equal((await read().db.selectFrom('tags').select('tag_key').where('resource_id', '=', 'vpc-del').execute()).length, 0);
  });

  test('route table IDs and resource groups of many VPCs at once', async () => {
    await write((tx) => insertVpc(tx, vpcFixture('vpc-m1', { routeTableId: 'vtb-m1', resourceGroupId: 'rg-m' })));
    assert.deepEqual([...(await routeTableIdsOf(read(), ['vpc-m1', 'vpc-round', 'vpc-none']))].sort(), [
      ['vpc-m1', 'vtb-m1'],
      ['vpc-round', 'vtb-of-vpc-round'],
    ]);
    assert.deepEqual([...(await resourceGroupsOfVpcs(read(), ['vpc-m1']))], [['vpc-m1', 'rg-m']]);
    assert.equal((await routeTableIdsOf(read(), [])).size, 0);
  });
});

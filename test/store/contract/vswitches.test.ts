import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addVSwitchUsage } from '../../../src/store/repos/enis.ts';
import { upsertTags } from '../../../src/store/repos/tags.ts';
import { deleteVpcRow, insertVpc } from '../../../src/store/repos/vpcs.ts';
import {
  deleteVSwitchRow,
  findVSwitch,
  insertVSwitch,
  listVSwitches,
  updateVSwitch,
  vswitchIdsOfVpcs,
  vswitchesOfVpc,
} from '../../../src/store/repos/vswitches.ts';
import { ACCOUNT_ID, OTHER_ACCOUNT_ID, REGION_ID, forEachBackend } from './backends.ts';
import { vpcFixture, vswitchFixture } from './fixtures.ts';

const owner = { accountId: ACCOUNT_ID, regionId: REGION_ID };
const ALL = { offset: 0, limit: 100 };

forEachBackend('store contract: vSwitches', ({ write, read }) => {
  test('a stored vSwitch comes back as the same model, counters and flags typed', async () => {
    await write((tx) => insertVpc(tx, vpcFixture('vpc-1')));
    const vsw = vswitchFixture('vsw-round', 'vpc-1', { name: 'a', isDefault: true, ipCapacity: 1020, ipUsed: 3, createdAt: 1_700_000_000_456 });
    await write((tx) => insertVSwitch(tx, vsw));
    const found = await findVSwitch(read(), ACCOUNT_ID, 'vsw-round', 0);
    assert.deepEqual(found, vsw);
    assert.equal(typeof found?.ipUsed, 'number');
    // Locked (FOR UPDATE on PostgreSQL) inside a transaction: the same model.
    assert.deepEqual(await write((tx) => findVSwitch(tx, ACCOUNT_ID, 'vsw-round', 0, true)), vsw);
    assert.equal(await findVSwitch(read(), OTHER_ACCOUNT_ID, 'vsw-round', 0), undefined);
  });

  test('the same vSwitch ID twice is refused by the database', async () => {
    await assert.rejects(() => write((tx) => insertVSwitch(tx, vswitchFixture('vsw-round', 'vpc-1'))));
  });

  test('the database refuses a vSwitch in a VPC that does not exist, and deleting a VPC that has vSwitches', async () => {
    await assert.rejects(() => write((tx) => insertVSwitch(tx, vswitchFixture('vsw-orphan', 'vpc-none'))));
    await assert.rejects(() => write((tx) => deleteVpcRow(tx, 'vpc-1')));
    assert.equal((await findVSwitch(read(), ACCOUNT_ID, 'vsw-round', 0))?.vpcId, 'vpc-1');
  });

  test('the address counter moves by deltas, both ways, and the model reads it back', async () => {
    await write((tx) => insertVSwitch(tx, vswitchFixture('vsw-count', 'vpc-1', { ipCapacity: 252, ipUsed: 0 })));
    await write((tx) => addVSwitchUsage(tx, 'vsw-count', 5));
    await write((tx) => addVSwitchUsage(tx, 'vsw-count', -2));
    const vsw = await findVSwitch(read(), ACCOUNT_ID, 'vsw-count', 0);
    assert.deepEqual([vsw?.ipCapacity, vsw?.ipUsed], [252, 3]);
    // A change in a transaction that rolls back is not kept.
    await assert.rejects(() =>
      write(async (tx) => {
        await addVSwitchUsage(tx, 'vsw-count', 10);
        throw new Error('the allocation failed afterwards');
      }),
    );
    assert.equal((await findVSwitch(read(), ACCOUNT_ID, 'vsw-count', 0))?.ipUsed, 3);
  });

  test("a VPC's live vSwitches, in creation order; one whose deletion is due is gone", async () => {
    await write(async (tx) => {
      await insertVpc(tx, vpcFixture('vpc-2'));
      await insertVSwitch(tx, vswitchFixture('vsw-b', 'vpc-2', { createdAt: 200 }));
      await insertVSwitch(tx, vswitchFixture('vsw-a', 'vpc-2', { createdAt: 200 }));
      await insertVSwitch(tx, vswitchFixture('vsw-c', 'vpc-2', { createdAt: 100, status: 'Pending', nextStatus: 'Gone', transitionAt: 300 }));
    });
    assert.deepEqual(
      (await vswitchesOfVpc(read(), 'vpc-2', 299)).map((v) => v.id),
      ['vsw-c', 'vsw-a', 'vsw-b'],
    );
    assert.deepEqual(
      (await vswitchesOfVpc(read(), 'vpc-2', 300)).map((v) => v.id),
      ['vsw-a', 'vsw-b'],
    );
    const byVpc = await vswitchIdsOfVpcs(read(), ['vpc-2', 'vpc-1', 'vpc-none'], 300);
    assert.deepEqual(byVpc.get('vpc-2'), ['vsw-a', 'vsw-b']);
    assert.deepEqual(byVpc.get('vpc-1'), ['vsw-count', 'vsw-round']);
    assert.equal(byVpc.has('vpc-none'), false);
  });

  test("listing filters by VPC, ID, name, zone, default flag, the VPC's group and tags", async () => {
    await write(async (tx) => {
      await insertVpc(tx, vpcFixture('vpc-3', { resourceGroupId: 'rg-x' }));
      await insertVSwitch(tx, vswitchFixture('vsw-l1', 'vpc-3', { createdAt: 400, name: 'web', zoneId: 'cn-hangzhou-i' }));
      await insertVSwitch(tx, vswitchFixture('vsw-l2', 'vpc-3', { createdAt: 401, name: 'db', isDefault: true }));
      await insertVSwitch(tx, vswitchFixture('vsw-l3', 'vpc-3', { createdAt: 402, regionId: 'cn-beijing' }));
      await upsertTags(tx, owner, 'vswitch', 'vsw-l2', [{ key: 'tier', value: 'data' }], 1);
    });
    const ids = (q: Omit<Parameters<typeof listVSwitches>[1], 'accountId'>) =>
      listVSwitches(read(), { accountId: ACCOUNT_ID, ...q }, 0, ALL).then((r) => [r.vswitches.map((v) => v.id), r.total]);
    assert.deepEqual(await ids({ vpcId: 'vpc-3' }), [['vsw-l1', 'vsw-l2', 'vsw-l3'], 3]);
    assert.deepEqual(await ids({ vpcId: 'vpc-3', regionId: REGION_ID }), [['vsw-l1', 'vsw-l2'], 2]);
    assert.deepEqual(await ids({ id: 'vsw-l2' }), [['vsw-l2'], 1]);
    assert.deepEqual(await ids({ vpcId: 'vpc-3', name: 'web' }), [['vsw-l1'], 1]);
    assert.deepEqual(await ids({ vpcId: 'vpc-3', zoneId: 'cn-hangzhou-i' }), [['vsw-l1'], 1]);
    assert.deepEqual(await ids({ vpcId: 'vpc-3', isDefault: true }), [['vsw-l2'], 1]);
    assert.deepEqual(await ids({ resourceGroupId: 'rg-x' }), [['vsw-l1', 'vsw-l2', 'vsw-l3'], 3]);
    assert.deepEqual(await ids({ vpcId: 'vpc-3', tags: [{ key: 'tier', value: 'data' }] }), [['vsw-l2'], 1]);
    const page = await listVSwitches(read(), { accountId: ACCOUNT_ID, vpcId: 'vpc-3' }, 0, { offset: 2, limit: 5 });
    assert.deepEqual([page.vswitches.map((v) => v.id), page.total], [['vsw-l3'], 3]);
    assert.equal(page.vswitches[0]?.isDefault, false);
  });

  test('an update changes only the fields it names; deletion removes the vSwitch and its tags', async () => {
    const vsw = vswitchFixture('vsw-upd', 'vpc-1', { name: 'old', description: 'keep', ipUsed: 4 });
    await write(async (tx) => {
      await insertVSwitch(tx, vsw);
      await upsertTags(tx, owner, 'vswitch', 'vsw-upd', [{ key: 'k', value: 'v' }], 1);
    });
    await write((tx) => updateVSwitch(tx, 'vsw-upd', { name: 'new' }));
    assert.deepEqual(await findVSwitch(read(), ACCOUNT_ID, 'vsw-upd', 0), { ...vsw, name: 'new' });
    await write((tx) => updateVSwitch(tx, 'vsw-upd', { status: 'Pending', nextStatus: 'Gone', transitionAt: 900 }));
    assert.deepEqual(await findVSwitch(read(), ACCOUNT_ID, 'vsw-upd', 0), { ...vsw, name: 'new', status: 'Pending', nextStatus: 'Gone', transitionAt: 900 });
    assert.equal(await findVSwitch(read(), ACCOUNT_ID, 'vsw-upd', 900), undefined);
    await write((tx) => deleteVSwitchRow(tx, 'vsw-upd'));
    assert.equal((await read().db.selectFrom('vswitches').select('id').where('id', '=', 'vsw-upd').execute()).length, 0);
    assert.equal((await read().db.selectFrom('tags').select('tag_key').where('resource_id', '=', 'vsw-upd').execute()).length, 0);
  });
});

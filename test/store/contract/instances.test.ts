import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GONE } from '../../../src/domain/async-state.ts';
import type { Instance } from '../../../src/domain/models/instance.ts';
import { insertEni, insertPrivateIps, setEniSecurityGroups } from '../../../src/store/repos/enis.ts';
import {
  deleteInstanceRow,
  findInstance,
  findInstanceById,
  insertInstance,
  instanceTypesOf,
  listInstances,
  updateInstance,
  type InstanceQuery,
} from '../../../src/store/repos/instances.ts';
import { ACCOUNT_ID, OTHER_ACCOUNT_ID, REGION_ID, forEachBackend } from './backends.ts';
import { eniModel, insertSecurityGroupRow, insertTagRow, insertVSwitchRow, insertVpcRow, instanceModel } from './network-fixtures.ts';

const NOW = 1_800_000_000_000;

forEachBackend('store contract: instances', ({ write, read }) => {
  async function network(name: string): Promise<{ vpcId: string; vswitchId: string }> {
    const vpcId = `vpc-${name}`;
    const vswitchId = `vsw-${name}`;
    await write(async (tx) => {
      await insertVpcRow(tx, vpcId);
      await insertVSwitchRow(tx, vswitchId, vpcId, '10.2.0.0/24');
    });
    return { vpcId, vswitchId };
  }

  async function insert(...instances: Instance[]): Promise<void> {
    await write(async (tx) => {
      for (const i of instances) await insertInstance(tx, i);
    });
  }

  test('an instance comes back as it was stored: attributes parsed, booleans, numbers and nulls of their types', async () => {
    const { vpcId, vswitchId } = await network('roundtrip');
    const plain = instanceModel('i-rt-plain', vpcId, vswitchId);
    const starting = instanceModel('i-rt-starting', vpcId, vswitchId, {
      status: 'Pending',
      nextStatus: 'Starting',
      transitionAt: NOW + 1000,
      finalStatus: 'Running',
      finalAt: NOW + 2000,
      deletionProtection: true,
      publicIp: '203.0.113.9',
      startedAt: null,
      attributes: { KeyPairName: 'kp', UserData: 'IyEvYmluL3NoCg==', Nested: { a: [1, 2] } },
    });
    await insert(plain, starting);
    for (const inst of [plain, starting]) {
      const found = await findInstance(read(), ACCOUNT_ID, inst.id, NOW);
      assert.deepEqual(found, inst);
      assert.equal(typeof found!.deletionProtection, 'boolean');
      assert.equal(typeof found!.createdAt, 'number');
      assert.equal(typeof found!.httpPutResponseHopLimit, 'number');
    }
    assert.equal(typeof (await findInstance(read(), ACCOUNT_ID, starting.id, NOW))!.finalAt, 'number');
    assert.equal(await findInstance(read(), OTHER_ACCOUNT_ID, plain.id, NOW), undefined);
    // The metadata service finds it by ID alone, whatever the account.
    assert.deepEqual(await findInstanceById(read(), plain.id, NOW), plain);
    assert.deepEqual(await write((tx) => findInstance(tx, ACCOUNT_ID, plain.id, NOW, true)), plain);
  });

  test('the same instance ID twice is refused by the database', async () => {
    const { vpcId, vswitchId } = await network('dup');
    await insert(instanceModel('i-dup', vpcId, vswitchId));
    await assert.rejects(() => insert(instanceModel('i-dup', vpcId, vswitchId, { name: 'again' })));
    assert.equal((await findInstance(read(), ACCOUNT_ID, 'i-dup', NOW))!.name, 'name-i-dup');
  });

  test('changes are written back to their columns: attributes as JSON, booleans, nulls', async () => {
    const { vpcId, vswitchId } = await network('update');
    const inst = instanceModel('i-up', vpcId, vswitchId);
    await insert(inst);
    await write((tx) =>
      updateInstance(tx, inst.id, {
        deletionProtection: true,
        publicIp: '203.0.113.10',
        startedAt: null,
        httpTokens: 'required',
        attributes: { ...inst.attributes, InternetMaxBandwidthOut: 10 },
      }),
    );
    assert.deepEqual(await findInstance(read(), ACCOUNT_ID, inst.id, NOW), {
      ...inst,
      deletionProtection: true,
      publicIp: '203.0.113.10',
      startedAt: null,
      httpTokens: 'required',
      attributes: { ...inst.attributes, InternetMaxBandwidthOut: 10 },
    });
    await write((tx) => updateInstance(tx, inst.id, { publicIp: null, deletionProtection: false }));
    const back = await findInstance(read(), ACCOUNT_ID, inst.id, NOW);
    assert.equal(back!.publicIp, null);
    assert.equal(back!.deletionProtection, false);
  });

  test('an instance whose deletion is due is gone; deleting its row takes its tags', async () => {
    const { vpcId, vswitchId } = await network('gone');
    await insert(instanceModel('i-gone', vpcId, vswitchId, { status: 'Stopping', nextStatus: GONE, transitionAt: NOW - 1 }));
    assert.equal(await findInstance(read(), ACCOUNT_ID, 'i-gone', NOW), undefined);
    assert.equal(await findInstanceById(read(), 'i-gone', NOW), undefined);
    await insert(instanceModel('i-del', vpcId, vswitchId));
    await write((tx) => insertTagRow(tx, 'instance', 'i-del', 'k', 'v'));
    await write((tx) => deleteInstanceRow(tx, 'i-del'));
    assert.equal(await findInstance(read(), ACCOUNT_ID, 'i-del', NOW), undefined);
    assert.equal((await read().db.selectFrom('tags').select('tag_key').where('resource_id', '=', 'i-del').execute()).length, 0);
  });

  test('listing filters: IDs, VPC, vSwitch, zone, name pattern, types, status at now, group and address of the primary ENI, tags', async () => {
    const { vpcId, vswitchId } = await network('filters');
    const a = instanceModel('i-f-a', vpcId, vswitchId, { name: 'web-1' });
    const b = instanceModel('i-f-b', vpcId, vswitchId, {
      name: 'db_1',
      instanceType: 'ecs.g7.xlarge',
      status: 'Starting',
      nextStatus: 'Running',
      transitionAt: NOW + 100,
      createdAt: 1_700_000_000_001,
    });
    const c = instanceModel('i-f-c', vpcId, vswitchId, { name: 'web-2', zoneId: 'cn-hangzhou-j', resourceGroupId: 'rg-other', createdAt: 1_700_000_000_002 });
    const d = instanceModel('i-f-d', 'vpc-filters-other', vswitchId, { name: 'odd?[x]\\%' });
    await write((tx) => insertVpcRow(tx, 'vpc-filters-other'));
    await insert(a, b, c, d);
    await write(async (tx) => {
      await insertEni(tx, eniModel('eni-fa', vpcId, vswitchId, { type: 'Primary', status: 'InUse', instanceId: a.id, deviceIndex: 0, primaryIp: '10.2.0.10' }));
      await insertPrivateIps(tx, vswitchId, 'eni-fa', [{ address: '10.2.0.10', addressInt: 167903242, isPrimary: true }], NOW);
      // A secondary ENI of b holds the address and is in the group: the filters read primary ENIs only.
      await insertEni(tx, eniModel('eni-fb', vpcId, vswitchId, { status: 'InUse', instanceId: b.id, deviceIndex: 1, primaryIp: '10.2.0.11' }));
      await insertPrivateIps(tx, vswitchId, 'eni-fb', [{ address: '10.2.0.11', addressInt: 167903243, isPrimary: true }], NOW);
      await insertSecurityGroupRow(tx, 'sg-if', vpcId);
      await setEniSecurityGroups(tx, 'eni-fa', ['sg-if'], true);
      await setEniSecurityGroups(tx, 'eni-fb', ['sg-if'], true);
      await insertTagRow(tx, 'instance', c.id, 'env', 'prod');
    });
    const ids = async (q: Omit<InstanceQuery, 'accountId' | 'regionId'>) =>
      (await listInstances(read(), { accountId: ACCOUNT_ID, regionId: REGION_ID, vpcId, ...q }, NOW, { offset: 0, limit: 50 })).instances.map((i) => i.id);
    assert.deepEqual(await ids({}), [a.id, b.id, c.id]);
    assert.deepEqual(await ids({ ids: [c.id, a.id] }), [a.id, c.id]);
    assert.deepEqual(await ids({ ids: [] }), []);
    assert.deepEqual(await ids({ vswitchId }), [a.id, b.id, c.id]);
    assert.deepEqual(await ids({ zoneId: 'cn-hangzhou-j' }), [c.id]);
    // `*` is the wildcard; `_` and `%` are literal characters.
    assert.deepEqual(await ids({ name: 'web-*' }), [a.id, c.id]);
    assert.deepEqual(await ids({ name: 'db_1' }), [b.id]);
    assert.deepEqual(await ids({ name: 'db%' }), []);
    // Case counts, on both databases.
    assert.deepEqual(await ids({ name: 'WEB-*' }), []);
    // Every character but `*` is itself: the wildcards of LIKE and GLOB, and the escape character too.
    const odd = async (name: string) => ids({ vpcId: 'vpc-filters-other', name });
    assert.deepEqual(await odd('odd?[x]\\%'), [d.id]);
    assert.deepEqual(await odd('odd*'), [d.id]);
    assert.deepEqual(await odd('*[x]*'), [d.id]);
    assert.deepEqual(await odd('odd_[x]\\%'), []);
    assert.deepEqual(await odd('odd?x*'), []);
    assert.deepEqual(await odd('odd?[x]\\_'), []);
    assert.deepEqual(await ids({ instanceType: 'ecs.g7.xlarge' }), [b.id]);
    assert.deepEqual(await ids({ instanceTypes: ['ecs.g7.large'] }), [a.id, c.id]);
    assert.deepEqual(await ids({ instanceTypes: [] }), []);
    assert.deepEqual(await ids({ status: 'Starting' }), [b.id]);
    assert.deepEqual(await ids({ status: 'Running' }), [a.id, c.id]);
    assert.deepEqual(await ids({ securityGroupId: 'sg-if' }), [a.id]);
    assert.deepEqual(await ids({ privateIps: ['10.2.0.10', '10.2.0.11'] }), [a.id]);
    assert.deepEqual(await ids({ resourceGroupId: 'rg-other' }), [c.id]);
    assert.deepEqual(await ids({ tags: [{ key: 'env' }] }), [c.id]);
    const other = await listInstances(read(), { accountId: OTHER_ACCOUNT_ID, regionId: REGION_ID, vpcId }, NOW, { offset: 0, limit: 50 });
    assert.deepEqual(other, { instances: [], total: 0 });
  });

  test('a page is a window of the (creation time, ID) order, with the total of every match', async () => {
    const { vpcId, vswitchId } = await network('paging');
    const all = Array.from({ length: 5 }, (_, i) => instanceModel(`i-p-${5 - i}`, vpcId, vswitchId, { createdAt: 1_700_000_000_000 + Math.floor(i / 2) }));
    await insert(...all);
    const order = [...all].sort((x, y) => x.createdAt - y.createdAt || (x.id < y.id ? -1 : 1)).map((i) => i.id);
    const q: InstanceQuery = { accountId: ACCOUNT_ID, regionId: REGION_ID, vpcId };
    const first = await listInstances(read(), q, NOW, { offset: 0, limit: 2 });
    const second = await listInstances(read(), q, NOW, { offset: 2, limit: 2 });
    const third = await listInstances(read(), q, NOW, { offset: 4, limit: 2 });
    assert.deepEqual([first.total, second.total, third.total], [5, 5, 5]);
    assert.deepEqual(
      [...first.instances, ...second.instances, ...third.instances].map((i) => i.id),
      order,
    );
    assert.deepEqual(
      first.instances[0],
      all.find((i) => i.id === order[0]),
    );
  });

  test('instance types by instance ID, for many instances at once', async () => {
    const { vpcId, vswitchId } = await network('types');
    await insert(instanceModel('i-t-1', vpcId, vswitchId), instanceModel('i-t-2', vpcId, vswitchId, { instanceType: 'ecs.g7.2xlarge' }));
    assert.deepEqual(
      await instanceTypesOf(read(), ['i-t-1', 'i-t-2', 'i-none']),
      new Map([
        ['i-t-1', 'ecs.g7.large'],
        ['i-t-2', 'ecs.g7.2xlarge'],
      ]),
    );
    assert.equal((await instanceTypesOf(read(), [])).size, 0);
  });
});

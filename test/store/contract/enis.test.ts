import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GONE } from '../../../src/domain/async-state.ts';
import type { Eni } from '../../../src/domain/models/eni.ts';
import {
  countEnis,
  countEnisInRegion,
  deleteEniRow,
  eipsOfEnis,
  enisOfInstance,
  enisOfInstances,
  findEni,
  insertEni,
  insertPrivateIps,
  listEnis,
  privateIpsOf,
  securityGroupsOf,
  setEniSecurityGroups,
  updateEni,
  type EniQuery,
} from '../../../src/store/repos/enis.ts';
import { insertEip } from '../../../src/store/repos/eips.ts';
import { ACCOUNT_ID, OTHER_ACCOUNT_ID, REGION_ID, forEachBackend } from './backends.ts';
import { eipModel, eniModel, insertSecurityGroupRow, insertTagRow, insertVSwitchRow, insertVpcRow } from './network-fixtures.ts';

const NOW = 1_800_000_000_000;

forEachBackend('store contract: ENIs', ({ write, read }) => {
  /** A VPC and vSwitch of its own for each test, so tests do not see each other's ENIs. */
  async function network(name: string): Promise<{ vpcId: string; vswitchId: string }> {
    const vpcId = `vpc-${name}`;
    const vswitchId = `vsw-${name}`;
    await write(async (tx) => {
      await insertVpcRow(tx, vpcId);
      await insertVSwitchRow(tx, vswitchId, vpcId, '10.1.0.0/24');
    });
    return { vpcId, vswitchId };
  }

  async function insert(...enis: Eni[]): Promise<void> {
    await write(async (tx) => {
      for (const e of enis) await insertEni(tx, e);
    });
  }

  test('an ENI comes back as it was stored: camelCase fields, booleans, numbers and nulls of their types', async () => {
    const { vpcId, vswitchId } = await network('roundtrip');
    const plain = eniModel('eni-rt-plain', vpcId, vswitchId);
    const attached = eniModel('eni-rt-attached', vpcId, vswitchId, {
      type: 'Primary',
      status: 'InUse',
      instanceId: 'i-rt',
      deviceIndex: 0,
      deleteOnRelease: false,
      sourceDestCheck: true,
      queueNumber: 8,
      trafficMode: 'HighPerformance',
      nextStatus: 'Available',
      transitionAt: NOW + 60_000,
    });
    await insert(plain, attached);
    for (const eni of [plain, attached]) {
      const found = await findEni(read(), ACCOUNT_ID, eni.id, NOW);
      assert.deepEqual(found, eni);
      assert.equal(typeof found!.createdAt, 'number');
      assert.equal(typeof found!.deleteOnRelease, 'boolean');
      assert.equal(typeof found!.sourceDestCheck, 'boolean');
    }
    assert.equal(typeof (await findEni(read(), ACCOUNT_ID, attached.id, NOW))!.transitionAt, 'number');
    // Another account's caller does not find it, locked or not.
    assert.equal(await findEni(read(), OTHER_ACCOUNT_ID, plain.id, NOW), undefined);
    assert.deepEqual(await write((tx) => findEni(tx, ACCOUNT_ID, plain.id, NOW, true)), plain);
  });

  test('changes are written back to their columns: only the fields given, null clears, booleans round-trip', async () => {
    const { vpcId, vswitchId } = await network('update');
    const eni = eniModel('eni-up', vpcId, vswitchId, { instanceId: 'i-up', deviceIndex: 1, status: 'InUse', queueNumber: 2 });
    await insert(eni);
    await write((tx) => updateEni(tx, eni.id, { deleteOnRelease: false, sourceDestCheck: true, instanceId: null, deviceIndex: null, status: 'Available' }));
    assert.deepEqual(await findEni(read(), ACCOUNT_ID, eni.id, NOW), {
      ...eni,
      deleteOnRelease: false,
      sourceDestCheck: true,
      instanceId: null,
      deviceIndex: null,
      status: 'Available',
    });
    // Nothing given: nothing written.
    await write((tx) => updateEni(tx, eni.id, {}));
    assert.equal((await findEni(read(), ACCOUNT_ID, eni.id, NOW))!.queueNumber, 2);
  });

  test('a MAC address belongs to one ENI: a second ENI with it is refused by the database', async () => {
    const { vpcId, vswitchId } = await network('mac');
    const first = eniModel('eni-mac-1', vpcId, vswitchId);
    await insert(first);
    await assert.rejects(() => insert(eniModel('eni-mac-2', vpcId, vswitchId, { macAddress: first.macAddress })));
    assert.equal(await findEni(read(), ACCOUNT_ID, 'eni-mac-2', NOW), undefined);
  });

  test('an ENI whose deletion is due is gone from finds, listings and counts; one due later still shows', async () => {
    const { vpcId, vswitchId } = await network('gone');
    await insert(
      eniModel('eni-gone-due', vpcId, vswitchId, { status: 'Deleting', nextStatus: GONE, transitionAt: NOW - 1 }),
      eniModel('eni-gone-later', vpcId, vswitchId, { status: 'Deleting', nextStatus: GONE, transitionAt: NOW + 1 }),
    );
    assert.equal(await findEni(read(), ACCOUNT_ID, 'eni-gone-due', NOW), undefined);
    assert.equal((await findEni(read(), ACCOUNT_ID, 'eni-gone-later', NOW))!.status, 'Deleting');
    const q: EniQuery = { accountId: ACCOUNT_ID, regionId: REGION_ID, vswitchId };
    assert.deepEqual(
      (await listEnis(read(), q, NOW, { limit: 10 })).map((e) => e.id),
      ['eni-gone-later'],
    );
    assert.equal(await countEnis(read(), q, NOW), 1);
    // The status filter reads the status at `now`.
    assert.equal(await countEnis(read(), { ...q, status: 'Deleting' }, NOW), 1);
  });

  test('listing filters: vSwitch, VPC, type, status at now, name, primary address, held address, security group, tag, IDs', async () => {
    const { vpcId, vswitchId } = await network('filters');
    const a = eniModel('eni-f-a', vpcId, vswitchId, { name: 'alpha', primaryIp: '10.1.0.11' });
    const b = eniModel('eni-f-b', vpcId, vswitchId, { name: 'beta', primaryIp: '10.1.0.12', createdAt: 1_700_000_000_001 });
    const c = eniModel('eni-f-c', vpcId, vswitchId, {
      type: 'Primary',
      status: 'Attaching',
      nextStatus: 'InUse',
      transitionAt: NOW - 5,
      instanceId: 'i-f',
      deviceIndex: 0,
      primaryIp: '10.1.0.13',
      createdAt: 1_700_000_000_002,
    });
    await insert(a, b, c);
    await write(async (tx) => {
      await insertPrivateIps(tx, vswitchId, b.id, [{ address: '10.1.0.12', addressInt: 167837708, isPrimary: true }], NOW);
      await insertPrivateIps(tx, vswitchId, b.id, [{ address: '10.1.0.50', addressInt: 167837746, isPrimary: false }], NOW);
      await insertSecurityGroupRow(tx, 'sg-f', vpcId);
      await setEniSecurityGroups(tx, a.id, ['sg-f'], true);
      await setEniSecurityGroups(tx, c.id, ['sg-f'], true);
      await insertTagRow(tx, 'eni', b.id, 'team', 'net');
    });
    const base: EniQuery = { accountId: ACCOUNT_ID, regionId: REGION_ID };
    const ids = async (q: Omit<EniQuery, 'accountId' | 'regionId'>) => (await listEnis(read(), { ...base, ...q }, NOW, { limit: 50 })).map((e) => e.id);
    assert.deepEqual(await ids({ vswitchId }), [a.id, b.id, c.id]);
    assert.deepEqual(await ids({ vpcId }), [a.id, b.id, c.id]);
    assert.deepEqual(await ids({ vswitchId, type: 'Primary' }), [c.id]);
    assert.deepEqual(await ids({ vswitchId, status: 'InUse' }), [c.id], 'an attach that is due shows InUse');
    assert.deepEqual(await ids({ vswitchId, status: 'Attaching' }), []);
    assert.deepEqual(await ids({ vswitchId, name: 'beta' }), [b.id]);
    assert.deepEqual(await ids({ vswitchId, primaryIp: '10.1.0.11' }), [a.id]);
    assert.deepEqual(await ids({ vswitchId, privateIps: ['10.1.0.50'] }), [b.id]);
    // The group filter finds secondary ENIs only (a primary ENI is found through its instance).
    assert.deepEqual(await ids({ securityGroupId: 'sg-f' }), [a.id]);
    assert.deepEqual(await ids({ tags: [{ key: 'team', value: 'net' }] }), [b.id]);
    assert.deepEqual(await ids({ tags: [{ key: 'team', value: 'other' }] }), []);
    assert.deepEqual(await ids({ ids: [c.id, a.id, 'eni-none'] }), [a.id, c.id]);
    assert.deepEqual(await ids({ ids: [] }), []);
    assert.deepEqual(await ids({ instanceId: 'i-f' }), [c.id]);
    // Empty strings name nothing: the filter is left out (the API passes what the caller sent).
    assert.deepEqual(await ids({ vswitchId, type: '', status: '', vpcId: '' }), [a.id, b.id, c.id]);
    // Another account sees none of them.
    assert.equal(await countEnis(read(), { accountId: OTHER_ACCOUNT_ID, regionId: REGION_ID, vswitchId }, NOW), 0);
    assert.equal(await countEnis(read(), { ...base, vswitchId, type: 'Secondary' }, NOW), 2);
  });

  test('pages in (creation time, ID) order: keyset pages after a cursor and offset pages agree', async () => {
    const { vswitchId, vpcId } = await network('paging');
    const enis = Array.from({ length: 7 }, (_, i) =>
      // Two ENIs per creation time, so the ID breaks ties.
      eniModel(`eni-p-${String.fromCharCode(103 - i)}`, vpcId, vswitchId, { createdAt: 1_700_000_000_000 + Math.floor(i / 2) }),
    );
    await insert(...enis);
    const expected = [...enis].sort((x, y) => x.createdAt - y.createdAt || (x.id < y.id ? -1 : 1)).map((e) => e.id);
    const q: EniQuery = { accountId: ACCOUNT_ID, regionId: REGION_ID, vswitchId };
    const keyset: string[] = [];
    let after: { createdAt: number; id: string } | undefined;
    for (;;) {
      const page = await listEnis(read(), q, NOW, { limit: 3, after });
      keyset.push(...page.map((e) => e.id));
      if (page.length < 3) break;
      const last = page[page.length - 1]!;
      after = { createdAt: last.createdAt, id: last.id };
    }
    assert.deepEqual(keyset, expected);
    const offsets: string[] = [];
    for (let offset = 0; offset < 9; offset += 3) offsets.push(...(await listEnis(read(), q, NOW, { limit: 3, offset })).map((e) => e.id));
    assert.deepEqual(offsets, expected);
    assert.equal(await countEnis(read(), q, NOW), 7);
  });

  test("an instance's ENIs: attached ones only (Attaching, InUse, Detaching at now), by device index", async () => {
    const { vpcId, vswitchId } = await network('instance');
    const on = (id: string, deviceIndex: number, over: Partial<Eni> = {}) =>
      eniModel(id, vpcId, vswitchId, { instanceId: 'i-inst', deviceIndex, status: 'InUse', ...over });
    await insert(
      on('eni-i-2', 2),
      on('eni-i-0', 0, { type: 'Primary' }),
      on('eni-i-1', 1, { status: 'Attaching', nextStatus: 'InUse', transitionAt: NOW + 10 }),
      // Its detach finished before now: no longer the instance's.
      on('eni-i-3', 3, { status: 'Detaching', nextStatus: 'Available', transitionAt: NOW - 10 }),
      on('eni-i-4', 4, { status: 'Detaching', nextStatus: 'Available', transitionAt: NOW + 10 }),
      eniModel('eni-i-other', vpcId, vswitchId, { instanceId: 'i-other', deviceIndex: 1, status: 'InUse' }),
    );
    assert.deepEqual(
      (await enisOfInstance(read(), 'i-inst', NOW)).map((e) => e.id),
      ['eni-i-0', 'eni-i-1', 'eni-i-2', 'eni-i-4'],
    );
    const both = await enisOfInstances(read(), ['i-inst', 'i-other'], NOW);
    assert.deepEqual(both.map((e) => e.id).sort(), ['eni-i-0', 'eni-i-1', 'eni-i-2', 'eni-i-4', 'eni-i-other']);
    assert.deepEqual(await enisOfInstances(read(), [], NOW), []);
    assert.equal((await enisOfInstance(read(), 'i-inst', NOW))[0]!.type, 'Primary');
  });

  test('addresses of ENIs: primary first, then in the order assigned, with numeric address integers', async () => {
    const { vpcId, vswitchId } = await network('ips');
    await insert(eniModel('eni-ips', vpcId, vswitchId, { primaryIp: '10.1.0.20' }));
    await write(async (tx) => {
      await insertPrivateIps(
        tx,
        vswitchId,
        'eni-ips',
        [
          { address: '10.1.0.30', addressInt: 167837726, isPrimary: false },
          { address: '10.1.0.20', addressInt: 167837716, isPrimary: true },
        ],
        NOW,
      );
      await insertPrivateIps(tx, vswitchId, 'eni-ips', [{ address: '10.1.0.5', addressInt: 167837701, isPrimary: false }], NOW + 1);
    });
    const ips = (await privateIpsOf(read(), ['eni-ips', 'eni-none'])).get('eni-ips');
    assert.deepEqual(ips, [
      { address: '10.1.0.20', addressInt: 167837716, isPrimary: true },
      { address: '10.1.0.30', addressInt: 167837726, isPrimary: false },
      { address: '10.1.0.5', addressInt: 167837701, isPrimary: false },
    ]);
    assert.equal((await privateIpsOf(read(), [])).size, 0);
  });

  test('security groups keep their order; deleting an ENI takes its addresses, groups and tags with it', async () => {
    const { vpcId, vswitchId } = await network('delete');
    await insert(eniModel('eni-del', vpcId, vswitchId));
    await write(async (tx) => {
      await insertSecurityGroupRow(tx, 'sg-del-b', vpcId);
      await insertSecurityGroupRow(tx, 'sg-del-a', vpcId);
      await setEniSecurityGroups(tx, 'eni-del', ['sg-del-b', 'sg-del-a'], true);
      await insertPrivateIps(tx, vswitchId, 'eni-del', [{ address: '10.1.0.10', addressInt: 167837706, isPrimary: true }], NOW);
      await insertTagRow(tx, 'eni', 'eni-del', 'k', 'v');
    });
    assert.deepEqual((await securityGroupsOf(read(), ['eni-del'])).get('eni-del'), ['sg-del-b', 'sg-del-a']);
    await write((tx) => deleteEniRow(tx, 'eni-del'));
    assert.equal(await findEni(read(), ACCOUNT_ID, 'eni-del', NOW), undefined);
    assert.equal((await privateIpsOf(read(), ['eni-del'])).size, 0);
    assert.equal((await securityGroupsOf(read(), ['eni-del'])).size, 0);
    assert.equal((await read().db.selectFrom('tags').select('tag_key').where('resource_id', '=', 'eni-del').execute()).length, 0);
  });

  test('the region quota counts secondary ENIs that are not gone, of one account', async () => {
    const before = await countEnisInRegion(read(), ACCOUNT_ID, REGION_ID, NOW);
    const { vpcId, vswitchId } = await network('quota');
    await insert(
      eniModel('eni-q-1', vpcId, vswitchId),
      eniModel('eni-q-2', vpcId, vswitchId, { type: 'Primary' }),
      eniModel('eni-q-3', vpcId, vswitchId, { status: 'Deleting', nextStatus: GONE, transitionAt: NOW - 1 }),
    );
    assert.equal(await countEnisInRegion(read(), ACCOUNT_ID, REGION_ID, NOW), before + 1);
    assert.equal(await countEnisInRegion(read(), OTHER_ACCOUNT_ID, REGION_ID, NOW), 0);
  });

  test("EIPs bound to ENIs: the ENI's own on its address, the instance's on the primary ENI's primary address", async () => {
    const { vpcId, vswitchId } = await network('eips');
    const primary = eniModel('eni-e-p', vpcId, vswitchId, { type: 'Primary', status: 'InUse', instanceId: 'i-e', deviceIndex: 0, primaryIp: '10.1.0.40' });
    const secondary = eniModel('eni-e-s', vpcId, vswitchId, { status: 'InUse', instanceId: 'i-e', deviceIndex: 1, primaryIp: '10.1.0.41' });
    await insert(primary, secondary);
    await write(async (tx) => {
      await insertEip(tx, eipModel('eip-e-inst', '203.0.113.40', { status: 'InUse', instanceId: 'i-e', instanceType: 'EcsInstance', bandwidth: 7 }));
      await insertEip(
        tx,
        eipModel('eip-e-eni', '203.0.113.41', {
          status: 'InUse',
          instanceId: secondary.id,
          instanceType: 'NetworkInterface',
          privateIp: '10.1.0.41',
          internetChargeType: 'PayByTraffic',
          createdAt: 1_700_000_000_001,
        }),
      );
      // Its unassociation is done: bound to nothing any more.
      await insertEip(
        tx,
        eipModel('eip-e-old', '203.0.113.42', { status: 'Unassociating', nextStatus: 'Available', transitionAt: NOW - 1, instanceId: secondary.id }),
      );
    });
    const bindings = await eipsOfEnis(read(), [primary, secondary], NOW);
    assert.deepEqual(bindings.get(primary.id), [
      {
        allocationId: 'eip-e-inst',
        publicIp: '203.0.113.40',
        privateIp: '10.1.0.40',
        associatedType: 'EcsInstance',
        bandwidth: 7,
        internetChargeType: 'PayByBandwidth',
      },
    ]);
    assert.deepEqual(bindings.get(secondary.id), [
      {
        allocationId: 'eip-e-eni',
        publicIp: '203.0.113.41',
        privateIp: '10.1.0.41',
        associatedType: 'NetworkInterface',
        bandwidth: 5,
        internetChargeType: 'PayByTraffic',
      },
    ]);
  });
});

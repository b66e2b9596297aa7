import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GONE } from '../../../src/domain/async-state.ts';
import type { Eip } from '../../../src/domain/models/eip.ts';
import {
  allocatedPublicAddresses,
  countEipsInRegion,
  deleteEipRow,
  eipsBoundTo,
  findEip,
  insertEip,
  listEips,
  purgeReleasedEips,
  unbindEipsOf,
  updateEip,
  type EipQuery,
} from '../../../src/store/repos/eips.ts';
import { claimPublicAddress, releasePublicAddressesOf } from '../../../src/store/repos/public-addresses.ts';
import { ACCOUNT_ID, OTHER_ACCOUNT_ID, forEachBackend } from './backends.ts';
import { eipModel, insertTagRow } from './network-fixtures.ts';

const NOW = 1_800_000_000_000;

forEachBackend('store contract: EIPs and public addresses', ({ write, read }) => {
  async function insert(...eips: Eip[]): Promise<void> {
    await write(async (tx) => {
      for (const e of eips) await insertEip(tx, e);
    });
  }

  const bound = (instanceId: string, over: Partial<Eip> = {}): Partial<Eip> => ({
    status: 'InUse',
    instanceId,
    instanceType: 'NetworkInterface',
    privateIp: '10.0.0.5',
    mode: 'NAT',
    vpcId: 'vpc-e',
    ...over,
  });

  test('an EIP comes back as it was stored, with its types; another account does not find it', async () => {
    const free = eipModel('eip-rt-free', '198.51.100.1');
    const busy = eipModel('eip-rt-busy', '198.51.100.2', { ...bound('eni-rt'), nextStatus: 'Available', transitionAt: NOW + 5, bandwidth: 200 });
    await insert(free, busy);
    for (const eip of [free, busy]) {
      const found = await findEip(read(), ACCOUNT_ID, eip.id, NOW);
      assert.deepEqual(found, eip);
      assert.equal(typeof found!.bandwidth, 'number');
      assert.equal(typeof found!.createdAt, 'number');
    }
    assert.equal(await findEip(read(), OTHER_ACCOUNT_ID, free.id, NOW), undefined);
    assert.deepEqual(await write((tx) => findEip(tx, ACCOUNT_ID, free.id, NOW, true)), free);
  });

  test('a public address is held once: a second EIP, or an instance, claiming it is refused by the database', async () => {
    await insert(eipModel('eip-pa-1', '198.51.100.10'));
    await assert.rejects(() => insert(eipModel('eip-pa-2', '198.51.100.10')));
    assert.equal(await findEip(read(), ACCOUNT_ID, 'eip-pa-2', NOW), undefined, 'the refused insert leaves nothing behind');
    await assert.rejects(() => write((tx) => claimPublicAddress(tx, '198.51.100.10', 'instance', 'i-pa')));
    // An instance's public IP blocks an EIP from taking it.
    await write((tx) => claimPublicAddress(tx, '198.51.100.11', 'instance', 'i-pa'));
    await assert.rejects(() => insert(eipModel('eip-pa-3', '198.51.100.11')));
    const inUse = await allocatedPublicAddresses(read());
    assert.ok(inUse.includes('198.51.100.10') && inUse.includes('198.51.100.11'));
    await write((tx) => releasePublicAddressesOf(tx, ['i-pa']));
    await insert(eipModel('eip-pa-3', '198.51.100.11'));
  });

  test('changes are written back: binding, unbinding with nulls, the transition columns', async () => {
    const eip = eipModel('eip-up', '198.51.100.20');
    await insert(eip);
    await write((tx) =>
      updateEip(tx, eip.id, { ...bound('i-up', { instanceType: 'EcsInstance' }), status: 'Associating', nextStatus: 'InUse', transitionAt: NOW + 1 }),
    );
    assert.deepEqual(await findEip(read(), ACCOUNT_ID, eip.id, NOW), {
      ...eip,
      ...bound('i-up', { instanceType: 'EcsInstance' }),
      status: 'Associating',
      nextStatus: 'InUse',
      transitionAt: NOW + 1,
    });
    await write((tx) =>
      updateEip(tx, eip.id, {
        status: 'Available',
        nextStatus: null,
        transitionAt: null,
        instanceId: null,
        instanceType: null,
        privateIp: null,
        mode: null,
        vpcId: null,
      }),
    );
    assert.deepEqual(await findEip(read(), ACCOUNT_ID, eip.id, NOW), eip);
    await write((tx) => updateEip(tx, eip.id, {}));
  });

  test('bound means Associating, InUse or Unassociating at now; unbinding every EIP of an owner keeps them allocated', async () => {
    await insert(
      eipModel('eip-b-1', '198.51.100.30', bound('eni-b', { createdAt: 1_700_000_000_002 })),
      eipModel('eip-b-2', '198.51.100.31', bound('i-b', { instanceType: 'EcsInstance', status: 'Associating', nextStatus: 'InUse', transitionAt: NOW + 9 })),
      eipModel('eip-b-3', '198.51.100.32', bound('eni-b', { status: 'Unassociating', nextStatus: 'Available', transitionAt: NOW - 1 })),
      eipModel('eip-b-4', '198.51.100.33', bound('eni-b', { status: 'Unassociating', nextStatus: 'Available', transitionAt: NOW + 1 })),
    );
    assert.deepEqual(
      (await eipsBoundTo(read(), ['eni-b', 'i-b'], NOW)).map((e) => e.id),
      ['eip-b-2', 'eip-b-4', 'eip-b-1'],
    );
    assert.deepEqual(await eipsBoundTo(read(), [], NOW), []);
    await write((tx) => unbindEipsOf(tx, ['eni-b']));
    assert.deepEqual(
      (await eipsBoundTo(read(), ['eni-b', 'i-b'], NOW)).map((e) => e.id),
      ['eip-b-2'],
    );
    const unbound = await findEip(read(), ACCOUNT_ID, 'eip-b-1', NOW);
    assert.deepEqual(unbound, eipModel('eip-b-1', '198.51.100.30', { createdAt: 1_700_000_000_002 }));
  });

  test('listing filters and pages: IDs, addresses, status at now, association, name, ISP, charge type, lock, group, tags', async () => {
    // Their own region keeps the other tests' EIPs out.
    const region = 'cn-beijing';
    const inRegion = (id: string, ip: string, over: Partial<Eip> = {}) => eipModel(id, ip, { regionId: region, ...over });
    const a = inRegion('eip-l-a', '198.51.100.40', { name: 'alpha' });
    const b = inRegion('eip-l-b', '198.51.100.41', { ...bound('eni-l'), isp: 'BGP_PRO', createdAt: 1_700_000_000_001 });
    const c = inRegion('eip-l-c', '198.51.100.42', {
      ...bound('i-l', { instanceType: 'EcsInstance', status: 'Unassociating', nextStatus: 'Available', transitionAt: NOW - 1 }),
      resourceGroupId: 'rg-l',
      createdAt: 1_700_000_000_002,
    });
    const gone = inRegion('eip-l-gone', '198.51.100.43', { status: 'Releasing', nextStatus: GONE, transitionAt: NOW - 1 });
    await insert(a, b, c, gone);
    await write((tx) => insertTagRow(tx, 'eip', a.id, 'team', 'edge'));
    const list = async (q: Omit<EipQuery, 'accountId' | 'regionId'>, window = { offset: 0, limit: 50 }) =>
      listEips(read(), { accountId: ACCOUNT_ID, regionId: region, ...q }, NOW, window);
    const ids = async (q: Omit<EipQuery, 'accountId' | 'regionId'>) => (await list(q)).eips.map((e) => e.id);
    assert.deepEqual(await ids({}), [a.id, b.id, c.id]);
    assert.deepEqual(await ids({ ids: [c.id, gone.id] }), [c.id]);
    assert.deepEqual(await ids({ ids: [] }), []);
    assert.deepEqual(await ids({ addresses: ['198.51.100.41'] }), [b.id]);
    assert.deepEqual(await ids({ status: 'Available' }), [a.id, c.id], "c's unassociation is done");
    assert.deepEqual(await ids({ associatedInstanceType: 'NetworkInterface' }), [b.id]);
    assert.deepEqual(await ids({ associatedInstanceType: 'EcsInstance' }), []);
    assert.deepEqual(await ids({ associatedInstanceId: 'eni-l' }), [b.id]);
    assert.deepEqual(await ids({ name: 'alpha' }), [a.id]);
    assert.deepEqual(await ids({ isp: 'BGP_PRO' }), [b.id]);
    assert.deepEqual(await ids({ chargeType: 'PostPaid' }), [a.id, b.id, c.id]);
    assert.deepEqual(await ids({ lockReason: 'financial' }), []);
    assert.deepEqual(await ids({ resourceGroupId: 'rg-l' }), [c.id]);
    assert.deepEqual(await ids({ tags: [{ key: 'team', value: 'edge' }] }), [a.id]);
    const page = await list({}, { offset: 1, limit: 1 });
    assert.deepEqual(
      page.eips.map((e) => e.id),
      [b.id],
    );
    assert.equal(page.total, 3);
    assert.deepEqual((await listEips(read(), { accountId: OTHER_ACCOUNT_ID, regionId: region }, NOW, { offset: 0, limit: 5 })).total, 0);
    assert.equal(await countEipsInRegion(read(), ACCOUNT_ID, region, NOW), 3);
  });

  test('a released EIP keeps its address until purged; deleting one frees it at once', async () => {
    await insert(eipModel('eip-r-1', '198.51.100.50', { status: 'Releasing', nextStatus: GONE, transitionAt: NOW - 1 }));
    await insert(eipModel('eip-r-2', '198.51.100.51', { status: 'Releasing', nextStatus: GONE, transitionAt: NOW + 1000 }));
    await write((tx) => insertTagRow(tx, 'eip', 'eip-r-1', 'k', 'v'));
    assert.equal(await findEip(read(), ACCOUNT_ID, 'eip-r-1', NOW), undefined);
    await assert.rejects(() => insert(eipModel('eip-r-3', '198.51.100.50')), 'not purged yet: the address is still held');
    await write((tx) => purgeReleasedEips(tx, NOW));
    assert.ok(!(await allocatedPublicAddresses(read())).includes('198.51.100.50'));
    assert.ok((await allocatedPublicAddresses(read())).includes('198.51.100.51'), 'one due later stays');
    assert.equal((await read().db.selectFrom('tags').select('tag_key').where('resource_id', '=', 'eip-r-1').execute()).length, 0);
    await insert(eipModel('eip-r-3', '198.51.100.50'));
    await write((tx) => deleteEipRow(tx, 'eip-r-3'));
    assert.ok(!(await allocatedPublicAddresses(read())).includes('198.51.100.50'));
    assert.equal(await findEip(read(), ACCOUNT_ID, 'eip-r-3', NOW), undefined);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as $Ecs from '@alicloud/ecs20140526';
import * as $Vpc from '@alicloud/vpc20160428';
import { regions } from '../../src/domain/regions.ts';
import { createAccount } from '../helpers/cli.ts';
import { ecsClient, vpcClient, type Key } from '../helpers/clients.ts';
import { expectApiError } from '../helpers/expect-error.ts';
import { callV1 } from '../helpers/raw-client.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

const IMAGE = 'aliyun_3_x64_20G_alibase_20240819.vhd';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Vpc = ReturnType<typeof vpcClient>;
type Ecs = ReturnType<typeof ecsClient>;

/** Builds networks, instances and ENIs in one region, and talks EIPs there. */
function world(vpc: Vpc, ecs: Ecs, regionId: string) {
  const zoneId = regions.find((r) => r.regionId === regionId)!.zones[0]!.zoneId;
  let net = 0;
  const w = {
    regionId,
    async network() {
      const vpcId = (await vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId, cidrBlock: `10.${net++}.0.0/16` }))).body!.vpcId!;
      const vSwitchId = (await vpc.createVSwitch(new $Vpc.CreateVSwitchRequest({ regionId, vpcId, zoneId, cidrBlock: `10.${net - 1}.1.0/24` }))).body!
        .vSwitchId!;
      const securityGroupId = (await ecs.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ regionId, vpcId }))).body!.securityGroupId!;
      return { vpcId, vSwitchId, securityGroupId };
    },
    async instance(n: { vSwitchId: string; securityGroupId: string }, extra: Partial<$Ecs.RunInstancesRequest> = {}) {
      const run = await ecs.runInstances(
        new $Ecs.RunInstancesRequest({
          regionId,
          instanceType: 'ecs.g7.large',
          imageId: IMAGE,
          vSwitchId: n.vSwitchId,
          securityGroupId: n.securityGroupId,
          ...extra,
        }),
      );
      return run.body!.instanceIdSets!.instanceIdSet![0]!;
    },
    async eni(n: { vSwitchId: string; securityGroupId: string }, secondaryPrivateIpAddressCount?: number) {
      return (
        await ecs.createNetworkInterface(
          new $Ecs.CreateNetworkInterfaceRequest({ regionId, vSwitchId: n.vSwitchId, securityGroupId: n.securityGroupId, secondaryPrivateIpAddressCount }),
        )
      ).body!.networkInterfaceId!;
    },
    allocate: (extra: Partial<$Vpc.AllocateEipAddressRequest> = {}, c: Vpc = vpc) =>
      c.allocateEipAddress(new $Vpc.AllocateEipAddressRequest({ regionId, ...extra })),
    async eip(extra: Partial<$Vpc.AllocateEipAddressRequest> = {}) {
      const b = (await w.allocate(extra)).body!;
      return { id: b.allocationId!, ip: b.eipAddress! };
    },
    associate: (allocationId: string, instanceId: string, extra: Partial<$Vpc.AssociateEipAddressRequest> = {}, c: Vpc = vpc) =>
      c.associateEipAddress(new $Vpc.AssociateEipAddressRequest({ regionId, allocationId, instanceId, ...extra })),
    unassociate: (allocationId: string, extra: Partial<$Vpc.UnassociateEipAddressRequest> = {}) =>
      vpc.unassociateEipAddress(new $Vpc.UnassociateEipAddressRequest({ regionId, allocationId, ...extra })),
    release: (allocationId: string, c: Vpc = vpc) => c.releaseEipAddress(new $Vpc.ReleaseEipAddressRequest({ regionId, allocationId })),
    describe: (extra: Partial<$Vpc.DescribeEipAddressesRequest> = {}, c: Vpc = vpc) =>
      c.describeEipAddresses(new $Vpc.DescribeEipAddressesRequest({ regionId, ...extra })),
    async one(allocationId: string) {
      const list = (await w.describe({ allocationId })).body!.eipAddresses!.eipAddress!;
      assert.equal(list.length, 1, `EIP ${allocationId} listed ${list.length} times`);
      return list[0]!;
    },
    async eniView(networkInterfaceId: string) {
      const r = await ecs.describeNetworkInterfaces(new $Ecs.DescribeNetworkInterfacesRequest({ regionId, networkInterfaceId: [networkInterfaceId] }));
      return r.body!.networkInterfaceSets!.networkInterfaceSet![0]!;
    },
    async instanceView(instanceId: string) {
      const r = await ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId, instanceIds: JSON.stringify([instanceId]) }));
      return r.body!.instances!.instance![0]!;
    },
    async primaryEniOf(instanceId: string) {
      const r = await ecs.describeNetworkInterfaces(new $Ecs.DescribeNetworkInterfacesRequest({ regionId, instanceId, type: 'Primary' }));
      return r.body!.networkInterfaceSets!.networkInterfaceSet![0]!;
    },
  };
  return w;
}

const inPool = (ip: string, prefix = '203.0.113.') => ip.startsWith(prefix) && ip !== `${prefix}0` && ip !== `${prefix}255`;

describe('EIP actions through the official VPC and ECS SDKs', () => {
  let server: RunningServer;
  let vpc: Vpc;
  let ecs: Ecs;
  let otherKey: Key;
  before(async () => {
    server = await startServer();
    vpc = vpcClient(server);
    ecs = ecsClient(server);
    otherKey = createAccount(server, 'other');
  });
  after(() => server.dispose());

  test('AllocateEipAddress: an Available pay-as-you-go EIP from the pool; DescribeEipAddresses shows every field', async () => {
    const w = world(vpc, ecs, 'cn-hangzhou');
    const r = await w.allocate({
      bandwidth: '10',
      internetChargeType: 'PayByTraffic',
      name: 'web',
      description: 'front door',
      tag: [new $Vpc.AllocateEipAddressRequestTag({ key: 'env', value: 'prod' })],
    });
    const { allocationId, eipAddress } = r.body!;
    assert.match(allocationId!, /^eip-bp1[a-z0-9]{17}$/);
    assert.ok(inPool(eipAddress!), eipAddress);
    // No ResourceGroupId: the account's default group, as on the cloud.
    assert.match(r.body!.resourceGroupId!, /^rg-acfm[a-z0-9]{11}$/);
    const e = await w.one(allocationId!);
    assert.equal(e.status, 'Available');
    assert.equal(e.ipAddress, eipAddress);
    assert.equal(e.bandwidth, '10');
    assert.equal(e.eipBandwidth, '10');
    assert.equal(e.internetChargeType, 'PayByTraffic');
    assert.equal(e.chargeType, 'PostPaid');
    assert.equal(e.ISP, 'BGP');
    assert.equal(e.netmode, 'public');
    assert.equal(e.name, 'web');
    assert.equal(e.description, 'front door');
    assert.equal(e.regionId, 'cn-hangzhou');
    assert.equal(e.instanceId, '');
    assert.equal(e.instanceType, '');
    assert.equal(e.privateIpAddress, '');
    assert.equal(e.businessStatus, 'Normal');
    assert.equal(e.HDMonitorStatus, 'false');
    assert.equal(e.hasReservationData, 'false');
    assert.equal(e.deletionProtection, false);
    assert.equal(e.serviceManaged, 0);
    assert.deepEqual(e.operationLocks!.lockReason, []);
    assert.deepEqual(e.securityProtectionTypes!.securityProtectionType, []);
    assert.deepEqual(
      e.tags!.tag!.map((t) => [t.key, t.value]),
      [['env', 'prod']],
    );
    assert.match(e.allocationTime!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    // Defaults: 5 Mbit/s, PayByBandwidth, PostPaid, BGP.
    const d = await w.one((await w.eip()).id);
    assert.deepEqual([d.bandwidth, d.internetChargeType, d.chargeType, d.ISP], ['5', 'PayByBandwidth', 'PostPaid', 'BGP']);
  });

  test('AllocateEipAddress: PrePaid, bad charge types, bandwidths, lines, names and unsupported parameters are refused', async () => {
    const w = world(vpc, ecs, 'cn-hangzhou');
    const prepaid = await expectApiError(w.allocate({ instanceChargeType: 'PrePaid' }), 'InvalidParameter', 400);
    assert.match(prepaid.message, /eniplane/);
    await expectApiError(w.allocate({ instanceChargeType: 'Monthly' }), 'InvalidParameter', 400);
    await expectApiError(w.allocate({ internetChargeType: 'PayByHour' }), 'InvalidParameter', 400);
    for (const bandwidth of ['0', '501', 'ten', '1.5']) await expectApiError(w.allocate({ bandwidth }), 'InvalidParameter', 400);
    await expectApiError(w.allocate({ bandwidth: '201', internetChargeType: 'PayByTraffic' }), 'InvalidParameter', 400);
    await w.allocate({ bandwidth: '500', internetChargeType: 'PayByBandwidth' });
    await expectApiError(w.allocate({ ISP: 'BGP_PRO' }), 'InvalidParameter', 400);
    await expectApiError(w.allocate({ ISP: 'ChinaTelecom' }), 'InvalidParameter', 400);
    await expectApiError(w.allocate({ ISP: 'Carrier-Pigeon' }), 'InvalidParameter', 400);
    await expectApiError(w.allocate({ netmode: 'private' }), 'InvalidParameter', 400);
    await expectApiError(w.allocate({ name: 'http://x' }), 'InvalidParameter', 400);
    await expectApiError(w.allocate({ description: 'd'.repeat(257) }), 'InvalidParameter', 400);
    await expectApiError(w.allocate({ tag: [new $Vpc.AllocateEipAddressRequestTag({ key: 'acs:x', value: 'v' })] }), 'InvalidTagKey', 400);
    const unsupported = await expectApiError(w.allocate({ publicIpAddressPoolId: 'pippool-1' }), 'UnsupportedParameter', 400);
    assert.match(unsupported.message, /PublicIpAddressPoolId/);
    // BGP Pro lines are sold in Hong Kong.
    const hk = world(vpc, ecs, 'cn-hongkong');
    const e = await hk.one((await hk.eip({ ISP: 'BGP_PRO' })).id);
    assert.equal(e.ISP, 'BGP_PRO');
  });

  test('AllocateEipAddress: the same ClientToken returns the first EIP; other parameters with it are refused', async () => {
    const w = world(vpc, ecs, 'cn-hangzhou');
    const a = await w.allocate({ clientToken: 'eip-token-1', bandwidth: '7' });
    const b = await w.allocate({ clientToken: 'eip-token-1', bandwidth: '7' });
    assert.equal(a.body!.allocationId, b.body!.allocationId);
    assert.equal(a.body!.eipAddress, b.body!.eipAddress);
    await expectApiError(w.allocate({ clientToken: 'eip-token-1', bandwidth: '8' }), 'IdempotentParameterMismatch', 400);
  });

  test('AllocateEipAddress: at most 20 EIPs per account and region; releasing one makes room', async () => {
    const w = world(vpc, ecs, 'cn-qingdao');
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push((await w.eip()).id);
    await expectApiError(w.allocate(), 'QuotaExceeded.Eip', 400);
    // Other regions and other accounts have their own quota.
    await world(vpc, ecs, 'cn-beijing').allocate();
    await w.allocate({}, vpcClient(server, { key: otherKey }));
    await w.release(ids[0]!);
    await w.allocate();
    const addresses = (await w.describe({ pageSize: 100 })).body!.eipAddresses!.eipAddress!.map((e) => e.ipAddress!);
    assert.equal(new Set(addresses).size, 20, 'every EIP has its own address');
  });

  test("AssociateEipAddress: EcsInstance lands on the primary ENI's primary address; DescribeInstances and DescribeNetworkInterfaces show it", async () => {
    const w = world(vpc, ecs, 'cn-hangzhou');
    const n = await w.network();
    const instanceId = await w.instance(n);
    const primary = await w.primaryEniOf(instanceId);
    const eip = await w.eip({ bandwidth: '20', internetChargeType: 'PayByTraffic' });
    await w.associate(eip.id, instanceId);

    const e = await w.one(eip.id);
    assert.equal(e.status, 'InUse');
    assert.equal(e.instanceId, instanceId);
    assert.equal(e.instanceType, 'EcsInstance');
    assert.equal(e.instanceRegionId, 'cn-hangzhou');
    assert.equal(e.privateIpAddress, primary.privateIpAddress);
    assert.equal(e.vpcId, n.vpcId);
    assert.equal(e.mode, 'NAT');

    const inst = await w.instanceView(instanceId);
    assert.equal(inst.eipAddress!.allocationId, eip.id);
    assert.equal(inst.eipAddress!.ipAddress, eip.ip);
    const eni = await w.eniView(primary.networkInterfaceId!);
    assert.deepEqual([eni.associatedPublicIp!.publicIpAddress, eni.associatedPublicIp!.allocationId], [eip.ip, eip.id]);
    const ipSet = eni.privateIpSets!.privateIpSet!.find((s) => s.primary)!;
    assert.equal(ipSet.associatedPublicIp!.publicIpAddress, eip.ip);

    // Filters on the binding.
    for (const filter of [
      { associatedInstanceId: instanceId },
      { associatedInstanceType: 'EcsInstance', allocationId: eip.id },
      { status: 'InUse', allocationId: eip.id },
    ]) {
      assert.deepEqual(
        (await w.describe(filter)).body!.eipAddresses!.eipAddress!.map((x) => x.allocationId),
        [eip.id],
        JSON.stringify(filter),
      );
    }
    assert.deepEqual((await w.describe({ associatedInstanceType: 'NetworkInterface', allocationId: eip.id })).body!.eipAddresses!.eipAddress, []);
  });

  test('AssociateEipAddress: one EIP per instance and per address; an InUse EIP cannot be associated again', async () => {
    const w = world(vpc, ecs, 'cn-hangzhou');
    const n = await w.network();
    const instanceId = await w.instance(n);
    const other = await w.instance(n);
    const primary = await w.primaryEniOf(instanceId);
    const first = await w.eip();
    const second = await w.eip();
    await w.associate(first.id, instanceId);
    await expectApiError(w.associate(second.id, instanceId), 'InvalidAssociation.Duplicated', 400);
    // The instance's EIP already holds its primary ENI's primary address.
    await expectApiError(w.associate(second.id, primary.networkInterfaceId!, { instanceType: 'NetworkInterface' }), 'InvalidAssociation.Duplicated', 400);
    await expectApiError(w.associate(first.id, other), 'IncorrectEipStatus', 400);
    // Another address of the same ENI is free.
    const secondary = (
      await ecs.assignPrivateIpAddresses(
        new $Ecs.AssignPrivateIpAddressesRequest({ regionId: w.regionId, networkInterfaceId: primary.networkInterfaceId, secondaryPrivateIpAddressCount: 1 }),
      )
    ).body!.assignedPrivateIpAddressesSet!.privateIpSet!.privateIpAddress![0]!;
    await w.associate(second.id, primary.networkInterfaceId!, { instanceType: 'NetworkInterface', privateIpAddress: secondary });
    // The instance's own EIP stays one: the ENI's EIPs are not the instance's.
    const inst = await w.instanceView(instanceId);
    assert.equal(inst.eipAddress!.allocationId, first.id);
  });

  test('AssociateEipAddress: NetworkInterface in NAT mode, one EIP per private address (primary by default, or a given secondary one)', async () => {
    const w = world(vpc, ecs, 'cn-hangzhou');
    const n = await w.network();
    const eniId = await w.eni(n, 2);
    const view = await w.eniView(eniId);
    const primaryIp = view.privateIpAddress!;
    const secondaryIp = view.privateIpSets!.privateIpSet!.find((s) => !s.primary)!.privateIpAddress!;
    const a = await w.eip();
    const b = await w.eip();
    const c = await w.eip();
    await w.associate(a.id, eniId, { instanceType: 'NetworkInterface' });
    await w.associate(b.id, eniId, { instanceType: 'NetworkInterface', privateIpAddress: secondaryIp, mode: 'NAT' });
    await expectApiError(w.associate(c.id, eniId, { instanceType: 'NetworkInterface', privateIpAddress: secondaryIp }), 'InvalidAssociation.Duplicated', 400);
    await expectApiError(w.associate(c.id, eniId, { instanceType: 'NetworkInterface' }), 'InvalidAssociation.Duplicated', 400);
    await expectApiError(w.associate(c.id, eniId, { instanceType: 'NetworkInterface', privateIpAddress: '10.99.99.99' }), 'InvalidParameter', 400);

    const ea = await w.one(a.id);
    assert.deepEqual(
      [ea.status, ea.instanceId, ea.instanceType, ea.privateIpAddress, ea.mode, ea.vpcId],
      ['InUse', eniId, 'NetworkInterface', primaryIp, 'NAT', n.vpcId],
    );
    assert.equal((await w.one(b.id)).privateIpAddress, secondaryIp);

    const eni = await w.eniView(eniId);
    assert.equal(eni.associatedPublicIp!.publicIpAddress, a.ip);
    const byIp = Object.fromEntries(eni.privateIpSets!.privateIpSet!.map((s) => [s.privateIpAddress!, s.associatedPublicIp!.publicIpAddress]));
    assert.equal(byIp[primaryIp], a.ip);
    assert.equal(byIp[secondaryIp], b.ip);
    assert.equal(Object.values(byIp).filter((ip) => ip === '').length, 1, 'the third address has no EIP');
    assert.deepEqual(
      (await w.describe({ associatedInstanceId: eniId })).body!.eipAddresses!.eipAddress!.map((x) => x.allocationId).sort(),
      [a.id, b.id].sort(),
    );

    // The ENI's EIPs travel with it: attached to an instance, they still show on the ENI.
    const instanceId = await w.instance(n);
    await ecs.attachNetworkInterface(new $Ecs.AttachNetworkInterfaceRequest({ regionId: w.regionId, instanceId, networkInterfaceId: eniId }));
    assert.equal((await w.eniView(eniId)).associatedPublicIp!.publicIpAddress, a.ip);
    assert.equal((await w.instanceView(instanceId)).eipAddress!.allocationId, '', "an ENI's EIP is not the instance's");
  });

  test("AssociateEipAddress: unknown EIP, instance or ENI; other accounts' resources; unmodelled types and modes; another region", async () => {
    const w = world(vpc, ecs, 'cn-hangzhou');
    const n = await w.network();
    const instanceId = await w.instance(n);
    const eniId = await w.eni(n);
    const eip = await w.eip();
    await expectApiError(w.associate('eip-bp1doesnotexist0000', instanceId), 'InvalidAllocationId.NotFound', 404);
    await expectApiError(w.associate(eip.id, 'i-bp1doesnotexist00000'), 'InvalidInstanId.NotFound', 404);
    await expectApiError(w.associate(eip.id, eniId), 'InvalidInstanId.NotFound', 404);
    await expectApiError(w.associate(eip.id, 'eni-bp1doesnotexist000', { instanceType: 'NetworkInterface' }), 'InvalidInstanId.NotFound', 404);
    await expectApiError(w.associate(eip.id, instanceId, { instanceType: 'NetworkInterface' }), 'InvalidInstanId.NotFound', 404);
    const nat = await expectApiError(w.associate(eip.id, 'ngw-bp1x', { instanceType: 'Nat' }), 'InvalidInstanceType.ValueNotSupported', 400);
    assert.match(nat.message, /eniplane does not model/);
    const bogus = await expectApiError(w.associate(eip.id, instanceId, { instanceType: 'Toaster' }), 'InvalidInstanceType.ValueNotSupported', 400);
    assert.doesNotMatch(bogus.message, /eniplane/);
    const binded = await expectApiError(w.associate(eip.id, eniId, { instanceType: 'NetworkInterface', mode: 'BINDED' }), 'InvalidParameter', 400);
    assert.match(binded.message, /NAT mode only/);
    await expectApiError(w.associate(eip.id, eniId, { instanceType: 'NetworkInterface', mode: 'MULTI_BINDED' }), 'InvalidParameter', 400);
    await expectApiError(w.associate(eip.id, eniId, { instanceType: 'NetworkInterface', mode: 'TUNNEL' }), 'InvalidParameter', 400);
    // EcsInstance takes the instance's primary address only.
    await expectApiError(w.associate(eip.id, instanceId, { privateIpAddress: '10.0.1.200' }), 'InvalidParameter', 400);
    await expectApiError(
      vpc.associateEipAddress(new $Vpc.AssociateEipAddressRequest({ regionId: 'cn-hangzhou', allocationId: eip.id })),
      'MissingParameter',
      400,
    );

    // Another account sees neither the EIP nor the instance.
    const other = vpcClient(server, { key: otherKey });
    await expectApiError(w.associate(eip.id, instanceId, {}, other), 'InvalidAllocationId.NotFound', 404);
    const theirs = (await w.allocate({}, other)).body!.allocationId!;
    await expectApiError(w.associate(theirs, instanceId, {}, other), 'InvalidInstanId.NotFound', 404);

    // An instance in another region than the EIP.
    const sh = world(vpc, ecs, 'cn-shanghai');
    const shInstance = await sh.instance(await sh.network());
    await expectApiError(w.associate(eip.id, shInstance), 'InvalidParameter.Mismatch', 400);
    // The EIP is looked up in the request's region.
    await expectApiError(sh.associate(eip.id, shInstance), 'InvalidAllocationId.NotFound', 404);
    assert.equal((await w.one(eip.id)).status, 'Available', 'nothing was associated');
  });

  test('AssociateEipAddress: a Stopped instance takes an EIP; a deleted instance gives it back Available', async () => {
    const w = world(vpc, ecs, 'cn-hangzhou');
    const n = await w.network();
    const instanceId = await w.instance(n);
    await ecs.stopInstance(new $Ecs.StopInstanceRequest({ instanceId }));
    const eip = await w.eip();
    await w.associate(eip.id, instanceId);
    assert.equal((await w.one(eip.id)).status, 'InUse');
    await ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId }));
    const e = await w.one(eip.id);
    assert.deepEqual([e.status, e.instanceId, e.instanceType, e.privateIpAddress], ['Available', '', '', '']);
  });

  test('UnassociateEipAddress: InUse becomes Available and the bindings disappear; wrong bindings and states are refused', async () => {
    const w = world(vpc, ecs, 'cn-hangzhou');
    const n = await w.network();
    const instanceId = await w.instance(n);
    const eniId = await w.eni(n, 1);
    const toInstance = await w.eip();
    const toEni = await w.eip();
    await w.associate(toInstance.id, instanceId);
    await w.associate(toEni.id, eniId, { instanceType: 'NetworkInterface' });

    await expectApiError(w.unassociate(toInstance.id, { instanceId: 'i-bp1someoneelse000000' }), 'InvalidBindingStatus', 400);
    await expectApiError(w.unassociate(toInstance.id, { instanceType: 'NetworkInterface' }), 'InvalidBindingStatus', 400);
    await expectApiError(
      w.unassociate(toEni.id, { instanceId: eniId, instanceType: 'NetworkInterface', privateIpAddress: '10.0.1.250' }),
      'InvalidBindingStatus',
      400,
    );
    await expectApiError(w.unassociate(toEni.id, { instanceType: 'HaVip' }), 'InvalidInstanceType.ValueNotSupported', 400);
    await expectApiError(w.unassociate('eip-bp1doesnotexist0000'), 'InvalidAllocationId.NotFound', 404);

    await w.unassociate(toInstance.id, { instanceId });
    const eniPrivate = (await w.one(toEni.id)).privateIpAddress;
    await w.unassociate(toEni.id, { instanceId: eniId, instanceType: 'NetworkInterface', privateIpAddress: eniPrivate, force: false });
    for (const id of [toInstance.id, toEni.id]) {
      const e = await w.one(id);
      assert.deepEqual([e.status, e.instanceId, e.instanceType, e.privateIpAddress, e.mode, e.vpcId], ['Available', '', '', '', '', '']);
    }
    await expectApiError(w.unassociate(toInstance.id), 'IncorrectEipStatus', 400);
    assert.equal((await w.instanceView(instanceId)).eipAddress!.allocationId, '');
    const eni = await w.eniView(eniId);
    assert.equal(eni.associatedPublicIp!.publicIpAddress, '');
    assert.ok(eni.privateIpSets!.privateIpSet!.every((s) => s.associatedPublicIp!.publicIpAddress === ''));
    // Available again: it can go elsewhere.
    await w.associate(toInstance.id, eniId, { instanceType: 'NetworkInterface' });
  });

  test('DeleteNetworkInterface / UnassignPrivateIpAddresses: refused while an address of the ENI has an EIP; allowed once unassociated', async () => {
    const w = world(vpc, ecs, 'cn-hangzhou');
    const n = await w.network();
    const eniId = await w.eni(n, 2);
    const view = await w.eniView(eniId);
    const [withEip, without] = view.privateIpSets!.privateIpSet!.filter((s) => !s.primary).map((s) => s.privateIpAddress!);
    const onPrimary = await w.eip();
    const onSecondary = await w.eip();
    await w.associate(onPrimary.id, eniId, { instanceType: 'NetworkInterface' });
    await w.associate(onSecondary.id, eniId, { instanceType: 'NetworkInterface', privateIpAddress: withEip });
    const unassign = (ip: string) =>
      ecs.unassignPrivateIpAddresses(new $Ecs.UnassignPrivateIpAddressesRequest({ regionId: w.regionId, networkInterfaceId: eniId, privateIpAddress: [ip] }));
    const remove = () => ecs.deleteNetworkInterface(new $Ecs.DeleteNetworkInterfaceRequest({ regionId: w.regionId, networkInterfaceId: eniId }));
    const e = await expectApiError(unassign(withEip!), 'InvalidOperation.InvalidEniState', 400);
    assert.match(e.message, new RegExp(onSecondary.id));
    await unassign(without!);
    await expectApiError(remove(), 'InvalidOperation.InvalidEniState', 400);
    await w.unassociate(onSecondary.id);
    await unassign(withEip!);
    await expectApiError(remove(), 'InvalidOperation.InvalidEniState', 400);
    await w.unassociate(onPrimary.id);
    await remove();
  });

  test('ReleaseEipAddress: only an Available EIP; it is gone at once with zero delays', async () => {
    const w = world(vpc, ecs, 'cn-hangzhou');
    const n = await w.network();
    const instanceId = await w.instance(n);
    const eip = await w.eip({ tag: [new $Vpc.AllocateEipAddressRequestTag({ key: 'k', value: 'v' })] });
    await w.associate(eip.id, instanceId);
    await expectApiError(w.release(eip.id), 'IncorrectEipStatus', 400);
    await w.unassociate(eip.id);
    await w.release(eip.id);
    assert.deepEqual((await w.describe({ allocationId: eip.id })).body!.eipAddresses!.eipAddress, []);
    await expectApiError(w.release(eip.id), 'InvalidAllocationId.NotFound', 404);
    await expectApiError(w.release(eip.id, vpcClient(server, { key: otherKey })), 'InvalidAllocationId.NotFound', 404);
    const tags = await vpc.listTagResources(new $Vpc.ListTagResourcesRequest({ regionId: w.regionId, resourceType: 'EIP', resourceId: [eip.id] }));
    assert.deepEqual(tags.body!.tagResources!.tagResource, []);
  });

  test('ModifyEipAddressAttribute: Name, Description and Bandwidth change, Available or InUse; DescribeEipAddresses shows them; empty Name and Description clear them', async () => {
    const w = world(vpc, ecs, 'cn-hangzhou');
    const eip = await w.eip({ name: 'before', description: 'old', bandwidth: '5' });
    const modify = (extra: Partial<$Vpc.ModifyEipAddressAttributeRequest>) =>
      vpc.modifyEipAddressAttribute(new $Vpc.ModifyEipAddressAttributeRequest({ regionId: w.regionId, allocationId: eip.id, ...extra }));
    const before = await w.one(eip.id);
    await modify({ name: 'after', description: 'new', bandwidth: '100' });
    const after = await w.one(eip.id);
    assert.deepEqual([after.name, after.description, after.bandwidth, after.eipBandwidth, after.status], ['after', 'new', '100', '100', 'Available']);
    // Nothing else moves: address, charge types, time, tags.
    assert.deepEqual(
      { ...after, name: '', description: '', bandwidth: '', eipBandwidth: '' },
      { ...before, name: '', description: '', bandwidth: '', eipBandwidth: '' },
    );
    // Only what is given changes.
    await modify({ bandwidth: '500' });
    assert.deepEqual([(await w.one(eip.id)).name, (await w.one(eip.id)).bandwidth], ['after', '500']);
    await modify({ name: '', description: '' });
    assert.deepEqual([(await w.one(eip.id)).name, (await w.one(eip.id)).description], ['', '']);
    // Without RegionId, as the SDK allows it (the default region); an InUse EIP too.
    const n = await w.network();
    await w.associate(eip.id, await w.eni(n), { instanceType: 'NetworkInterface' });
    await vpc.modifyEipAddressAttribute(new $Vpc.ModifyEipAddressAttributeRequest({ allocationId: eip.id, name: 'bound' }));
    const bound = await w.one(eip.id);
    assert.deepEqual([bound.status, bound.name], ['InUse', 'bound']);
  });

  test("ModifyEipAddressAttribute: a Bandwidth outside the metering method's range, bad names, unknown EIPs and unsupported parameters are refused and change nothing", async () => {
    const w = world(vpc, ecs, 'cn-hangzhou');
    const traffic = await w.eip({ internetChargeType: 'PayByTraffic', bandwidth: '10', name: 'kept' });
    const modify = (allocationId: string, extra: Partial<$Vpc.ModifyEipAddressAttributeRequest>, c: Vpc = vpc) =>
      c.modifyEipAddressAttribute(new $Vpc.ModifyEipAddressAttributeRequest({ regionId: w.regionId, allocationId, ...extra }));
    const before = await w.one(traffic.id);
    // PayByTraffic: 1 to 200 Mbit/s; PayByBandwidth: 1 to 500 (as AllocateEipAddress takes them).
    for (const bandwidth of ['201', '0', 'ten', '1.5', '']) await expectApiError(modify(traffic.id, { bandwidth }), 'InvalidParameter', 400);
    await modify(traffic.id, { bandwidth: '200' });
    assert.equal((await w.one(traffic.id)).bandwidth, '200');
    await modify(traffic.id, { bandwidth: '10' });
    // A bad value anywhere in the request changes nothing else.
    await expectApiError(modify(traffic.id, { name: 'https://x', bandwidth: '20' }), 'InvalidParameter', 400);
    await expectApiError(modify(traffic.id, { description: 'd'.repeat(257), name: 'changed' }), 'InvalidParameter', 400);
    await expectApiError(modify(traffic.id, { name: 'n'.repeat(129) }), 'InvalidParameter', 400);
    await expectApiError(modify('eip-bp1doesnotexist00000', { name: 'x' }), 'InvalidAllocationId.NotFound', 404);
    await expectApiError(modify(traffic.id, { name: 'stolen' }, vpcClient(server, { key: otherKey })), 'InvalidAllocationId.NotFound', 404);
    await expectApiError(
      vpc.modifyEipAddressAttribute(new $Vpc.ModifyEipAddressAttributeRequest({ regionId: 'cn-beijing', allocationId: traffic.id, name: 'x' })),
      'InvalidAllocationId.NotFound',
      404,
    );
    const unsupported = await callV1(server.endpoint, 'ModifyEipAddressAttribute', '2016-04-28', {
      RegionId: w.regionId,
      AllocationId: traffic.id,
      Name: 'x',
      InternetChargeType: 'PayByBandwidth',
    });
    assert.deepEqual([unsupported.status, unsupported.json().Code], [400, 'UnsupportedParameter']);
    assert.match(String(unsupported.json().Message), /InternetChargeType/);
    await expectApiError(
      vpc.modifyEipAddressAttribute(new $Vpc.ModifyEipAddressAttributeRequest({ regionId: w.regionId, name: 'x' })),
      'MissingParameter',
      400,
    );
    assert.deepEqual({ ...(await w.one(traffic.id)) }, { ...before });

    const bandwidth = await w.eip({ internetChargeType: 'PayByBandwidth' });
    await modify(bandwidth.id, { bandwidth: '500' });
    await expectApiError(modify(bandwidth.id, { bandwidth: '501' }), 'InvalidParameter', 400);
    assert.equal((await w.one(bandwidth.id)).bandwidth, '500');
  });

  test('DescribeEipAddresses: comma lists of IDs and addresses (up to 50), name, status, tags, paging (up to 100); bad filter values', async () => {
    const w = world(vpc, ecs, 'cn-shenzhen');
    const a = await w.eip({ name: 'alpha', tag: [new $Vpc.AllocateEipAddressRequestTag({ key: 'team', value: 'blue' })] });
    const b = await w.eip({ name: 'beta', ISP: 'BGP' });
    const c = await w.eip({ name: 'gamma', tag: [new $Vpc.AllocateEipAddressRequestTag({ key: 'team', value: 'red' })] });
    const ids = (r: Awaited<ReturnType<typeof w.describe>>) => r.body!.eipAddresses!.eipAddress!.map((e) => e.allocationId);
    assert.deepEqual(ids(await w.describe({ allocationId: `${a.id},${c.id}` })), [a.id, c.id]);
    assert.deepEqual(ids(await w.describe({ eipAddress: `${b.ip},${c.ip}` })), [b.id, c.id]);
    assert.deepEqual(ids(await w.describe({ allocationId: `${a.id},${b.id}`, eipAddress: b.ip })), [b.id]);
    assert.deepEqual(ids(await w.describe({ eipName: 'beta' })), [b.id]);
    assert.deepEqual(ids(await w.describe({ tag: [new $Vpc.DescribeEipAddressesRequestTag({ key: 'team' })] })), [a.id, c.id]);
    assert.deepEqual(ids(await w.describe({ tag: [new $Vpc.DescribeEipAddressesRequestTag({ key: 'team', value: 'red' })] })), [c.id]);
    assert.deepEqual(ids(await w.describe({ status: 'Available', ISP: 'BGP', chargeType: 'PostPaid' })), [a.id, b.id, c.id]);
    assert.deepEqual(ids(await w.describe({ status: 'InUse' })), []);
    assert.deepEqual(ids(await w.describe({ associatedInstanceType: 'SlbInstance' })), []);
    // eniplane never locks an EIP.
    assert.deepEqual(ids(await w.describe({ lockReason: 'financial' })), []);
    assert.deepEqual(ids(await w.describe({ includeReservationData: true })), [a.id, b.id, c.id]);

    const page = await w.describe({ pageSize: 2, pageNumber: 2 });
    assert.deepEqual([page.body!.totalCount, page.body!.pageNumber, page.body!.pageSize], [3, 2, 2]);
    assert.deepEqual(ids(page), [c.id]);
    const first = await w.describe();
    assert.deepEqual([first.body!.pageNumber, first.body!.pageSize], [1, 10]);

    await expectApiError(w.describe({ pageSize: 101 }), 'InvalidParameter', 400);
    await expectApiError(w.describe({ allocationId: Array.from({ length: 51 }, (_, i) => `eip-${i}`).join(',') }), 'InvalidParameter', 400);
    await expectApiError(w.describe({ status: 'Sleeping' }), 'InvalidParameter', 400);
    await expectApiError(w.describe({ associatedInstanceType: 'Toaster' }), 'InvalidIAssociatedInstanceType.ValueNotSupported', 400);
    await expectApiError(w.describe({ chargeType: 'Free' }), 'InvalidChargeType.ValueNotSupported', 400);
    await expectApiError(w.describe({ lockReason: 'boredom' }), 'InvalidLockReason.NotFound', 404);
    await expectApiError(
      w.describe({ filter: [new $Vpc.DescribeEipAddressesRequestFilter({ key: 'CreationStartTime', value: '2020-01-01T00:00Z' })] }),
      'UnsupportedParameter',
      400,
    );
    // Region and account scoping.
    assert.deepEqual(ids(await world(vpc, ecs, 'cn-hangzhou').describe({ allocationId: a.id })), []);
    assert.deepEqual(ids(await w.describe({ allocationId: a.id }, vpcClient(server, { key: otherKey }))), []);
  });

  test('TagResources: EIPs (VPC type EIP), instances and ENIs (ECS types instance and eni) take tags; ListTagResources lists them', async () => {
    const w = world(vpc, ecs, 'cn-hangzhou');
    const n = await w.network();
    const instanceId = await w.instance(n);
    const eniId = await w.eni(n);
    const eip = await w.eip();

    await vpc.tagResources(
      new $Vpc.TagResourcesRequest({
        regionId: w.regionId,
        resourceType: 'EIP',
        resourceId: [eip.id],
        tag: [new $Vpc.TagResourcesRequestTag({ key: 'owner', value: 'net' })],
      }),
    );
    await vpc.tagResources(
      new $Vpc.TagResourcesRequest({
        regionId: w.regionId,
        resourceType: 'eip',
        resourceId: [eip.id],
        tag: [new $Vpc.TagResourcesRequestTag({ key: 'tier', value: 'edge' })],
      }),
    );
    const vlist = await vpc.listTagResources(new $Vpc.ListTagResourcesRequest({ regionId: w.regionId, resourceType: 'EIP', resourceId: [eip.id] }));
    assert.deepEqual(vlist.body!.tagResources!.tagResource!.map((t) => [t.resourceId, t.resourceType, t.tagKey, t.tagValue]).sort(), [
      [eip.id, 'EIP', 'owner', 'net'],
      [eip.id, 'EIP', 'tier', 'edge'],
    ]);
    assert.deepEqual((await w.one(eip.id)).tags!.tag!.map((t) => `${t.key}=${t.value}`).sort(), ['owner=net', 'tier=edge']);
    await vpc.unTagResources(new $Vpc.UnTagResourcesRequest({ regionId: w.regionId, resourceType: 'EIP', resourceId: [eip.id], tagKey: ['tier'] }));
    assert.deepEqual(
      (await w.one(eip.id)).tags!.tag!.map((t) => t.key),
      ['owner'],
    );
    await expectApiError(
      vpc.tagResources(
        new $Vpc.TagResourcesRequest({
          regionId: w.regionId,
          resourceType: 'EIP',
          resourceId: [instanceId],
          tag: [new $Vpc.TagResourcesRequestTag({ key: 'a', value: 'b' })],
        }),
      ),
      'InvalidInstanceIds.NotFound',
      400,
    );

    const ecsTag = (resourceType: string, id: string, key: string) =>
      ecs.tagResources(
        new $Ecs.TagResourcesRequest({ regionId: w.regionId, resourceType, resourceId: [id], tag: [new $Ecs.TagResourcesRequestTag({ key, value: 'v' })] }),
      );
    await ecsTag('instance', instanceId, 'role');
    await ecsTag('eni', eniId, 'purpose');
    const primary = await w.primaryEniOf(instanceId);
    await ecsTag('eni', primary.networkInterfaceId!, 'primary');
    const list = async (resourceType: string, id: string) =>
      (
        await ecs.listTagResources(new $Ecs.ListTagResourcesRequest({ regionId: w.regionId, resourceType, resourceId: [id] }))
      ).body!.tagResources!.tagResource!.map((t) => [t.resourceType, t.tagKey]);
    assert.deepEqual(await list('instance', instanceId), [['instance', 'role']]);
    assert.deepEqual(await list('eni', eniId), [['eni', 'purpose']]);
    assert.deepEqual(
      (await w.instanceView(instanceId)).tags!.tag!.map((t) => t.tagKey),
      ['role'],
    );
    assert.deepEqual(
      (await w.eniView(eniId)).tags!.tag!.map((t) => t.tagKey),
      ['purpose'],
    );
    // An ENI ID is no instance, and another account's resources are not found.
    await expectApiError(ecsTag('instance', eniId, 'x'), 'InvalidResourceId.NotFound', 404);
    const theirs = ecsClient(server, { key: otherKey });
    await expectApiError(
      theirs.tagResources(
        new $Ecs.TagResourcesRequest({
          regionId: w.regionId,
          resourceType: 'eni',
          resourceId: [eniId],
          tag: [new $Ecs.TagResourcesRequestTag({ key: 'x', value: 'y' })],
        }),
      ),
      'InvalidResourceId.NotFound',
      404,
    );
    // Deleting the ENI and the instance takes their tags with them.
    await ecs.deleteNetworkInterface(new $Ecs.DeleteNetworkInterfaceRequest({ regionId: w.regionId, networkInterfaceId: eniId }));
    await ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId, force: true }));
    assert.deepEqual(await list('eni', eniId), []);
    assert.deepEqual(await list('instance', instanceId), []);
  });
});

describe('EIP addresses come from the configured pool', () => {
  let server: RunningServer;
  let vpc: Vpc;
  before(async () => {
    // A /30 has two usable addresses (the network and broadcast ones are left out).
    server = await startServer({ args: ['--eip-pool', '198.51.100.4/30'] });
    vpc = vpcClient(server);
  });
  after(() => server.dispose());

  test('AllocateEipAddress: a full pool answers ReserveIpFail; a released address can be drawn again', async () => {
    const w = world(vpc, ecsClient(server), 'cn-hangzhou');
    const a = await w.eip();
    const b = await w.eip();
    assert.deepEqual([a.ip, b.ip].sort(), ['198.51.100.5', '198.51.100.6']);
    const full = await expectApiError(w.allocate(), 'ReserveIpFail', 400);
    assert.match(full.message, /198\.51\.100\.4\/30/);
    // The pool is shared by every region.
    await expectApiError(world(vpc, ecsClient(server), 'cn-beijing').allocate(), 'ReserveIpFail', 400);
    await w.release(a.id);
    assert.equal((await w.eip()).ip, a.ip);
  });
});

describe('EIP asynchronous states, with delays', () => {
  let server: RunningServer;
  let vpc: Vpc;
  let ecs: Ecs;
  before(async () => {
    server = await startServer({ args: ['--delays', 'none,eipAssociate=1000,instanceCreate=1000'] });
    vpc = vpcClient(server);
    ecs = ecsClient(server);
  });
  after(() => server.dispose());

  async function until(check: () => Promise<boolean>, what: string): Promise<void> {
    const deadline = Date.now() + 10_000;
    while (!(await check())) {
      if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
      await sleep(50);
    }
  }

  test('AssociateEipAddress: Associating, then InUse; Unassociating, then Available; Releasing, then gone (polling as a client would)', async () => {
    const w = world(vpc, ecs, 'cn-hangzhou');
    const n = await w.network();
    const eniId = await w.eni(n);
    const eip = await w.eip();
    const status = async () => (await w.one(eip.id)).status;

    await w.associate(eip.id, eniId, { instanceType: 'NetworkInterface' });
    assert.equal(await status(), 'Associating');
    // While Associating nothing else may happen to the EIP.
    await expectApiError(w.unassociate(eip.id), 'IncorrectEipStatus', 400);
    await expectApiError(w.release(eip.id), 'IncorrectEipStatus', 400);
    assert.deepEqual(
      (await w.describe({ status: 'Associating' })).body!.eipAddresses!.eipAddress!.map((e) => e.allocationId),
      [eip.id],
    );
    await until(async () => (await status()) === 'InUse', 'InUse');
    assert.equal((await w.eniView(eniId)).associatedPublicIp!.publicIpAddress, eip.ip);

    await w.unassociate(eip.id);
    assert.equal(await status(), 'Unassociating');
    // Still bound while Unassociating.
    assert.equal((await w.eniView(eniId)).associatedPublicIp!.publicIpAddress, eip.ip);
    assert.equal((await w.one(eip.id)).instanceId, eniId);
    await expectApiError(w.associate(eip.id, eniId, { instanceType: 'NetworkInterface' }), 'IncorrectEipStatus', 400);
    await until(async () => (await status()) === 'Available', 'Available');
    // Once the delay has passed, the binding is gone everywhere.
    assert.equal((await w.eniView(eniId)).associatedPublicIp!.publicIpAddress, '');
    const e = await w.one(eip.id);
    assert.deepEqual([e.instanceId, e.instanceType, e.privateIpAddress], ['', '', '']);
    assert.deepEqual((await w.describe({ associatedInstanceId: eniId })).body!.eipAddresses!.eipAddress, []);

    await w.release(eip.id);
    assert.equal(await status(), 'Releasing');
    await expectApiError(w.release(eip.id), 'IncorrectEipStatus', 400);
    await until(async () => (await w.describe({ allocationId: eip.id })).body!.eipAddresses!.eipAddress!.length === 0, 'the EIP to be gone');
    await expectApiError(w.release(eip.id), 'InvalidAllocationId.NotFound', 404);
  });

  test('ModifyEipAddressAttribute: refused (IncorrectEipStatus) while Associating, Unassociating or Releasing; accepted again once settled', async () => {
    const w = world(vpc, ecs, 'cn-hangzhou');
    const eniId = await w.eni(await w.network());
    const eip = await w.eip({ name: 'start' });
    const status = async () => (await w.one(eip.id)).status;
    const rename = (name: string) =>
      vpc.modifyEipAddressAttribute(new $Vpc.ModifyEipAddressAttributeRequest({ regionId: w.regionId, allocationId: eip.id, name }));

    await w.associate(eip.id, eniId, { instanceType: 'NetworkInterface' });
    assert.equal(await status(), 'Associating');
    const refused = await expectApiError(rename('associating'), 'IncorrectEipStatus', 400);
    assert.match(refused.message, /Associating/);
    await until(async () => (await status()) === 'InUse', 'InUse');
    await rename('in-use');
    await w.unassociate(eip.id);
    await expectApiError(rename('unassociating'), 'IncorrectEipStatus', 400);
    await until(async () => (await status()) === 'Available', 'Available');
    await rename('available');
    await w.release(eip.id);
    await expectApiError(rename('releasing'), 'IncorrectEipStatus', 400);
    assert.equal((await w.one(eip.id)).name, 'available');
  });

  test('AssociateEipAddress: an instance still Pending is IncorrectInstanceStatus', async () => {
    const w = world(vpc, ecs, 'cn-hangzhou');
    const instanceId = await w.instance(await w.network());
    const eip = await w.eip();
    const e = await expectApiError(w.associate(eip.id, instanceId), 'IncorrectInstanceStatus', 400);
    assert.match(e.message, /Pending/);
    await until(async () => (await w.instanceView(instanceId)).status === 'Running', 'Running');
    await w.associate(eip.id, instanceId);
    await until(async () => (await w.instanceView(instanceId)).eipAddress!.ipAddress === eip.ip, 'the EIP on the instance');
  });
});

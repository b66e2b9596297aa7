import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as $Ecs from '@alicloud/ecs20140526';
import * as $Vpc from '@alicloud/vpc20160428';
import { ecsClient, vpcClient } from '../helpers/clients.ts';
import { expectApiError } from '../helpers/expect-error.ts';
import { pollUntil } from '../helpers/poll.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

/**
 * IPv4 prefixes on ENIs ("IP prefixes"): /28 blocks by list or count on CreateNetworkInterface and
 * AssignPrivateIpAddresses, released by UnassignPrivateIpAddresses and with the ENI, shown in every
 * Describe, each counting as one address toward the per-ENI limits and as 16 toward the vSwitch.
 */
const regionId = 'cn-hangzhou';
const IMAGE = 'aliyun_3_x64_20G_alibase_20240819.vhd';

type Ecs = ReturnType<typeof ecsClient>;
type Vpc = ReturnType<typeof vpcClient>;

function ipInt(ip: string): number {
  return ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}

/** A prefix's first and last address as numbers. */
function span(prefix: string): { first: number; last: number } {
  const [ip, bits] = prefix.split('/') as [string, string];
  const first = ipInt(ip);
  return { first, last: first + 2 ** (32 - Number(bits)) - 1 };
}

function toolkit(ecs: Ecs, vpc: Vpc) {
  const t = {
    async vswitch(vpcId: string, cidrBlock: string) {
      return (await vpc.createVSwitch(new $Vpc.CreateVSwitchRequest({ regionId, vpcId, cidrBlock, zoneId: 'cn-hangzhou-i' }))).body!.vSwitchId!;
    },
    async free(vSwitchId: string) {
      return (await vpc.describeVSwitchAttributes(new $Vpc.DescribeVSwitchAttributesRequest({ regionId, vSwitchId }))).body!.availableIpAddressCount!;
    },
    async listedFree(vSwitchId: string) {
      const res = await vpc.describeVSwitches(new $Vpc.DescribeVSwitchesRequest({ regionId, vSwitchId }));
      return res.body!.vSwitches!.vSwitch![0]!.availableIpAddressCount!;
    },
    create(vSwitchId: string, securityGroupId: string, extra: Partial<$Ecs.CreateNetworkInterfaceRequest> = {}) {
      return ecs.createNetworkInterface(new $Ecs.CreateNetworkInterfaceRequest({ regionId, vSwitchId, securityGroupId, ...extra }));
    },
    async attr(networkInterfaceId: string) {
      return (await ecs.describeNetworkInterfaceAttribute(new $Ecs.DescribeNetworkInterfaceAttributeRequest({ regionId, networkInterfaceId }))).body!;
    },
    async listed(networkInterfaceId: string) {
      const res = await ecs.describeNetworkInterfaces(new $Ecs.DescribeNetworkInterfacesRequest({ regionId, networkInterfaceId: [networkInterfaceId] }));
      return res.body!.networkInterfaceSets!.networkInterfaceSet![0]!;
    },
    prefixes(e: { ipv4PrefixSets?: { ipv4PrefixSet?: { ipv4Prefix?: string }[] } }) {
      return e.ipv4PrefixSets!.ipv4PrefixSet!.map((p) => p.ipv4Prefix!);
    },
    ips(e: { privateIpSets?: { privateIpSet?: { privateIpAddress?: string }[] } }) {
      return e.privateIpSets!.privateIpSet!.map((p) => p.privateIpAddress!);
    },
    assign(networkInterfaceId: string, extra: Partial<$Ecs.AssignPrivateIpAddressesRequest>) {
      return ecs.assignPrivateIpAddresses(new $Ecs.AssignPrivateIpAddressesRequest({ regionId, networkInterfaceId, ...extra }));
    },
    unassign(networkInterfaceId: string, extra: Partial<$Ecs.UnassignPrivateIpAddressesRequest>) {
      return ecs.unassignPrivateIpAddresses(new $Ecs.UnassignPrivateIpAddressesRequest({ regionId, networkInterfaceId, ...extra }));
    },
    remove(networkInterfaceId: string) {
      return ecs.deleteNetworkInterface(new $Ecs.DeleteNetworkInterfaceRequest({ regionId, networkInterfaceId }));
    },
    async instance(vSwitchId: string, securityGroupId: string) {
      const res = await ecs.runInstances(new $Ecs.RunInstancesRequest({ regionId, instanceType: 'ecs.g7.large', imageId: IMAGE, vSwitchId, securityGroupId }));
      return res.body!.instanceIdSets!.instanceIdSet![0]!;
    },
    attach(instanceId: string, networkInterfaceId: string) {
      return ecs.attachNetworkInterface(new $Ecs.AttachNetworkInterfaceRequest({ regionId, instanceId, networkInterfaceId }));
    },
  };
  return t;
}

/** Every prefix is an aligned /28 inside the usable part of `cidr`, and no two blocks (prefixes or addresses) share an address. */
function assertDisjoint(cidr: string, prefixes: readonly string[], ips: readonly string[]): void {
  const net = span(cidr);
  const blocks = [...prefixes.map(span), ...ips.map((ip) => ({ first: ipInt(ip), last: ipInt(ip) }))].sort((a, b) => a.first - b.first);
  for (const p of prefixes) {
    const s = span(p);
    assert.match(p, /\/28$/);
    assert.equal(s.first % 16, 0, `${p} is aligned`);
    assert.ok(s.first > net.first && s.last <= net.last - 3, `${p} is inside the usable part of ${cidr}`);
  }
  for (let i = 1; i < blocks.length; i++) assert.ok(blocks[i]!.first > blocks[i - 1]!.last, 'no address is in two blocks');
}

describe('IPv4 prefixes through the official ECS SDK', () => {
  let server: RunningServer;
  let ecs: Ecs;
  let vpc: Vpc;
  let t: ReturnType<typeof toolkit>;
  let vpcId: string;
  let vsw: string; // 10.1.0.0/24
  let big: string; // 10.2.0.0/22
  let small: string; // 10.3.0.0/26: two whole /28s (16-31, 32-47; 48-63 holds the reserved tail)
  let tiny: string; // 10.4.0.0/28: none
  let sg: string;

  before(async () => {
    server = await startServer();
    ecs = ecsClient(server);
    vpc = vpcClient(server);
    t = toolkit(ecs, vpc);
    vpcId = (await vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId, cidrBlock: '10.0.0.0/8' }))).body!.vpcId!;
    vsw = await t.vswitch(vpcId, '10.1.0.0/24');
    big = await t.vswitch(vpcId, '10.2.0.0/22');
    small = await t.vswitch(vpcId, '10.3.0.0/26');
    tiny = await t.vswitch(vpcId, '10.4.0.0/28');
    sg = (await ecs.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ regionId, vpcId }))).body!.securityGroupId!;
  });
  after(async () => {
    await server.dispose();
  });

  test('CreateNetworkInterface: Ipv4PrefixCount carves aligned /28s that overlap nothing; every Describe shows them; the vSwitch counts 16 each', async () => {
    const before = await t.free(vsw);
    const created = (await t.create(vsw, sg, { ipv4PrefixCount: 3 })).body!;
    const prefixes = t.prefixes(created);
    assert.equal(prefixes.length, 3);
    assertDisjoint('10.1.0.0/24', prefixes, [created.privateIpAddress!]);
    assert.equal(await t.free(vsw), before - 1 - 3 * 16);
    assert.equal(await t.listedFree(vsw), before - 1 - 3 * 16);
    assert.deepEqual(t.prefixes(await t.attr(created.networkInterfaceId!)), prefixes);
    assert.deepEqual(t.prefixes(await t.listed(created.networkInterfaceId!)), prefixes);
    // A prefix is not a private address: PrivateIpSets holds the primary address only.
    assert.deepEqual(t.ips(await t.attr(created.networkInterfaceId!)), [created.privateIpAddress]);
    await t.remove(created.networkInterfaceId!);
    assert.equal(await t.free(vsw), before, 'deleting the ENI gives its prefixes back');
  });

  test('CreateNetworkInterface: Ipv4Prefix.N takes exactly the prefixes named, and a requested PrimaryIpAddress beside them', async () => {
    const created = (await t.create(vsw, sg, { ipv4Prefix: ['10.1.0.32/28', '10.1.0.64/28'], primaryIpAddress: '10.1.0.50' })).body!;
    assert.deepEqual(t.prefixes(created), ['10.1.0.32/28', '10.1.0.64/28']);
    assert.equal(created.privateIpAddress, '10.1.0.50');
    // Each address of a prefix is taken: neither an address nor another prefix may use it.
    await expectApiError(t.create(vsw, sg, { primaryIpAddress: '10.1.0.40' }), 'InvalidPrivateIpAddress.Duplicated', 400);
    await expectApiError(t.create(vsw, sg, { ipv4Prefix: ['10.1.0.64/28'] }), 'InvalidPrivateIpAddress.Duplicated', 400);
    // The primary address of the first ENI sits in 10.1.0.48/28.
    await expectApiError(t.create(vsw, sg, { ipv4Prefix: ['10.1.0.48/28'] }), 'InvalidPrivateIpAddress.Duplicated', 400);
    // Requested prefixes are placed before automatic addresses: the primary never lands in one.
    for (let i = 0; i < 3; i++) {
      const e = (await t.create(vsw, sg, { ipv4Prefix: [`10.1.0.${96 + 16 * i}/28`] })).body!;
      assert.ok(ipInt(e.privateIpAddress!) < ipInt(`10.1.0.${96 + 16 * i}`) || ipInt(e.privateIpAddress!) > ipInt(`10.1.0.${111 + 16 * i}`));
      await t.remove(e.networkInterfaceId!);
    }
    await t.remove(created.networkInterfaceId!);
  });

  test('CreateNetworkInterface: a prefix that is not a standard /28 is InvalidParameter; one outside the vSwitch or over its reserved addresses is InvalidVSwitchId.IpInvalid', async () => {
    for (const bad of ['abc', '10.1.0.16', '10.1.0.16/27', '10.1.0.16/32', '10.1.0.17/28', '10.1.0.300/28']) {
      await expectApiError(t.create(vsw, sg, { ipv4Prefix: [bad] }), 'InvalidParameter', 400);
    }
    await expectApiError(t.create(vsw, sg, { ipv4Prefix: ['10.9.0.16/28'] }), 'InvalidVSwitchId.IpInvalid', 403);
    // The network address (.0) and the last three (.253-.255) are never in a prefix.
    await expectApiError(t.create(vsw, sg, { ipv4Prefix: ['10.1.0.0/28'] }), 'InvalidVSwitchId.IpInvalid', 403);
    await expectApiError(t.create(vsw, sg, { ipv4Prefix: ['10.1.0.240/28'] }), 'InvalidVSwitchId.IpInvalid', 403);
    await expectApiError(t.create(vsw, sg, { ipv4Prefix: ['10.1.0.16/28', '10.1.0.16/28'] }), 'InvalidIp.IpRepeated', 403);
  });

  test('CreateNetworkInterface: prefixes by list and by count together, or with secondary addresses, are InvalidParameter.Conflict; counts are 1 to 10', async () => {
    await expectApiError(t.create(vsw, sg, { ipv4Prefix: ['10.1.0.16/28'], ipv4PrefixCount: 1 }), 'InvalidParameter.Conflict', 400);
    await expectApiError(t.create(vsw, sg, { secondaryPrivateIpAddressCount: 1, ipv4PrefixCount: 1 }), 'InvalidParameter.Conflict', 400);
    await expectApiError(t.create(vsw, sg, { privateIpAddress: ['10.1.0.5'], ipv4Prefix: ['10.1.0.16/28'] }), 'InvalidParameter.Conflict', 400);
    await expectApiError(t.create(vsw, sg, { ipv4PrefixCount: 0 }), 'InvalidParameter', 400);
    await expectApiError(t.create(vsw, sg, { ipv4PrefixCount: 11 }), 'InvalidParameter', 400);
    const eleven = Array.from({ length: 11 }, (_, i) => `10.2.${i}.16/28`);
    await expectApiError(t.create(big, sg, { ipv4Prefix: eleven }), 'InvalidParameter', 400);
  });

  test('CreateNetworkInterface: a vSwitch with no whole free aligned /28 answers InvalidVSwitchId.IpNotEnough, even with free addresses left', async () => {
    await expectApiError(t.create(tiny, sg, { ipv4PrefixCount: 1 }), 'InvalidVSwitchId.IpNotEnough', 403);
    const before = await t.free(small);
    const two = (await t.create(small, sg, { ipv4PrefixCount: 2 })).body!;
    assert.deepEqual([...t.prefixes(two)].sort(), ['10.3.0.16/28', '10.3.0.32/28']);
    assert.equal(await t.free(small), before - 33);
    assert.ok((await t.free(small)) > 16, 'addresses are left, but no aligned block');
    await expectApiError(t.create(small, sg, { ipv4PrefixCount: 1 }), 'InvalidVSwitchId.IpNotEnough', 403);
    assert.equal(await t.free(small), before - 33, 'a refused request takes nothing');
    await t.remove(two.networkInterfaceId!);
  });

  test('AssignPrivateIpAddresses: Ipv4PrefixCount and Ipv4Prefix.N answer AssignedPrivateIpAddressesSet.Ipv4PrefixSet; ClientToken replays the same prefixes', async () => {
    const eni = (await t.create(vsw, sg)).body!.networkInterfaceId!;
    const before = await t.free(vsw);
    const first = (await t.assign(eni, { ipv4PrefixCount: 2, clientToken: 'prefix-token-1' })).body!.assignedPrivateIpAddressesSet!;
    assert.equal(first.networkInterfaceId, eni);
    assert.deepEqual(first.privateIpSet!.privateIpAddress, []);
    const got = first.ipv4PrefixSet!.ipv4Prefixes!;
    assert.equal(got.length, 2);
    const again = (await t.assign(eni, { ipv4PrefixCount: 2, clientToken: 'prefix-token-1' })).body!.assignedPrivateIpAddressesSet!;
    assert.deepEqual(again.ipv4PrefixSet!.ipv4Prefixes, got, 'the same token answers the first result');
    assert.equal(await t.free(vsw), before - 32, 'and takes nothing more');
    const named = (await t.assign(eni, { ipv4Prefix: ['10.1.0.128/28'] })).body!.assignedPrivateIpAddressesSet!;
    assert.deepEqual(named.ipv4PrefixSet!.ipv4Prefixes, ['10.1.0.128/28']);
    const attr = await t.attr(eni);
    assert.deepEqual(t.prefixes(attr), [...got, '10.1.0.128/28']);
    assertDisjoint('10.1.0.0/24', t.prefixes(attr), t.ips(attr));
    // A named prefix already taken, by a prefix or by an address: InvalidIp.IpAssigned.
    await expectApiError(t.assign(eni, { ipv4Prefix: ['10.1.0.128/28'] }), 'InvalidIp.IpAssigned', 403);
    const primary = attr.privateIpAddress!;
    const holding = `10.1.0.${ipInt(primary) & 0xf0 & 0xff}/28`;
    await expectApiError(t.assign(eni, { ipv4Prefix: [holding] }), 'InvalidIp.IpAssigned', 403);
    await expectApiError(t.assign(eni, { ipv4Prefix: ['10.1.0.129/28'] }), 'InvalidParameter', 400);
    await expectApiError(t.assign(eni, { ipv4Prefix: ['10.2.0.16/28'] }), 'InvalidVSwitchId.IpInvalid', 403);
    await t.unassign(eni, { ipv4Prefix: t.prefixes(attr) });
    await t.remove(eni);
  });

  test('AssignPrivateIpAddresses: prefixes with addresses, or by list and count, are InvalidParameter.Conflict; nothing asked is MissingParameter', async () => {
    const eni = (await t.create(vsw, sg)).body!.networkInterfaceId!;
    await expectApiError(t.assign(eni, { secondaryPrivateIpAddressCount: 1, ipv4PrefixCount: 1 }), 'InvalidParameter.Conflict', 400);
    await expectApiError(t.assign(eni, { privateIpAddress: ['10.1.0.9'], ipv4Prefix: ['10.1.0.144/28'] }), 'InvalidParameter.Conflict', 400);
    await expectApiError(t.assign(eni, { ipv4PrefixCount: 1, ipv4Prefix: ['10.1.0.144/28'] }), 'InvalidParameter.Conflict', 400);
    await expectApiError(t.assign(eni, {}), 'MissingParameter', 400);
    await t.remove(eni);
  });

  test('AssignPrivateIpAddresses: an unattached ENI holds at most 10 addresses, and 50 addresses and prefixes together', async () => {
    const created = (await t.create(big, sg, { ipv4PrefixCount: 10 })).body!;
    const eni = created.networkInterfaceId!;
    for (let i = 0; i < 3; i++) await t.assign(eni, { ipv4PrefixCount: 10 });
    await t.assign(eni, { ipv4PrefixCount: 9 });
    const attr = await t.attr(eni);
    assert.equal(t.prefixes(attr).length, 49);
    assertDisjoint('10.2.0.0/22', t.prefixes(attr), t.ips(attr));
    await expectApiError(t.assign(eni, { ipv4PrefixCount: 1 }), 'InvalidOperation.Ipv4CountExceeded', 403);
    await expectApiError(t.assign(eni, { secondaryPrivateIpAddressCount: 1 }), 'InvalidOperation.Ipv4CountExceeded', 403);
    // Up to 49 at once: as many as an ENI can hold.
    await t.unassign(eni, { ipv4Prefix: t.prefixes(attr).slice(0, 40) });
    await t.assign(eni, { secondaryPrivateIpAddressCount: 9 });
    await expectApiError(t.assign(eni, { secondaryPrivateIpAddressCount: 1 }), 'InvalidOperation.Ipv4CountExceeded', 403);
    await t.remove(eni);
  });

  test("AttachNetworkInterface: addresses and prefixes together within the type's per-ENI limit; on an InUse ENI each prefix takes one address slot", async () => {
    const own = await t.vswitch(vpcId, '10.6.0.0/24');
    const instanceId = await t.instance(own, sg); // ecs.g7.large: 6 IPv4 per ENI
    const tooMany = (await t.create(own, sg, { ipv4PrefixCount: 6 })).body!.networkInterfaceId!;
    await expectApiError(t.attach(instanceId, tooMany), 'InvalidOperation.Ipv4CountExceeded', 403);
    const fits = (await t.create(own, sg, { ipv4PrefixCount: 4 })).body!.networkInterfaceId!;
    await t.attach(instanceId, fits);
    await pollUntil(async () => (await t.attr(fits)).status, 'InUse');
    await t.assign(fits, { ipv4PrefixCount: 1 });
    await expectApiError(t.assign(fits, { ipv4PrefixCount: 1 }), 'InvalidOperation.Ipv4CountExceeded', 403);
    await expectApiError(t.assign(fits, { secondaryPrivateIpAddressCount: 1 }), 'InvalidOperation.Ipv4CountExceeded', 403);
    // DescribeInstances shows the prefixes of the instance's ENIs.
    const inst = (await ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId, instanceIds: JSON.stringify([instanceId]) }))).body!;
    const nic = inst.instances!.instance![0]!.networkInterfaces!.networkInterface!.find((n) => n.networkInterfaceId === fits)!;
    assert.deepEqual(
      nic.ipv4PrefixSets!.ipv4PrefixSet!.map((p) => p.ipv4Prefix),
      t.prefixes(await t.attr(fits)),
    );
    assert.equal(nic.ipv4PrefixSets!.ipv4PrefixSet!.length, 5);
    await t.remove(tooMany);
  });

  test('UnassignPrivateIpAddresses: Ipv4Prefix.N gives the 16 addresses back; a prefix not on the ENI is InvalidIp.IpUnassigned; with addresses, InvalidParameter.Conflict', async () => {
    const created = (await t.create(vsw, sg, { ipv4Prefix: ['10.1.0.160/28', '10.1.0.176/28'] })).body!;
    const eni = created.networkInterfaceId!;
    const before = await t.free(vsw);
    await expectApiError(t.unassign(eni, { ipv4Prefix: ['10.1.0.192/28'] }), 'InvalidIp.IpUnassigned', 403);
    await expectApiError(t.unassign(eni, { ipv4Prefix: ['10.1.0.160/28', '10.1.0.160/28'] }), 'InvalidIp.IpRepeated', 403);
    await expectApiError(t.unassign(eni, { ipv4Prefix: ['10.1.0.160/28'], privateIpAddress: [created.privateIpAddress!] }), 'InvalidParameter.Conflict', 400);
    await t.unassign(eni, { ipv4Prefix: ['10.1.0.160/28'] });
    assert.equal(await t.free(vsw), before + 16);
    assert.deepEqual(t.prefixes(await t.attr(eni)), ['10.1.0.176/28']);
    // The freed block is whole again: an address from it, or the prefix itself, can be taken.
    const other = (await t.create(vsw, sg, { ipv4Prefix: ['10.1.0.160/28'] })).body!;
    assert.deepEqual(t.prefixes(other), ['10.1.0.160/28']);
    await t.remove(other.networkInterfaceId!);
    await t.remove(eni);
  });
});

describe('IPv4 prefixes of an ENI whose deletion takes time', () => {
  let server: RunningServer;
  let ecs: Ecs;
  let vpc: Vpc;
  let t: ReturnType<typeof toolkit>;

  before(async () => {
    server = await startServer({ args: ['--delays', 'none,eniDelete=1200'] });
    ecs = ecsClient(server);
    vpc = vpcClient(server);
    t = toolkit(ecs, vpc);
  });
  after(async () => {
    await server.dispose();
  });

  test('DeleteNetworkInterface: a Deleting ENI keeps its prefixes until it is gone; then they are free to readers and to the next allocation', async () => {
    const vpcId = (await vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId, cidrBlock: '10.0.0.0/8' }))).body!.vpcId!;
    const vsw = await t.vswitch(vpcId, '10.5.0.0/24');
    const sg = (await ecs.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ regionId, vpcId }))).body!.securityGroupId!;
    const before = await t.free(vsw);
    const eni = (await t.create(vsw, sg, { ipv4Prefix: ['10.5.0.32/28'] })).body!.networkInterfaceId!;
    await t.remove(eni);
    await expectApiError(t.create(vsw, sg, { ipv4Prefix: ['10.5.0.32/28'] }), 'InvalidPrivateIpAddress.Duplicated', 400);
    await pollUntil(() => t.listedFree(vsw), before);
    assert.equal(await t.free(vsw), before);
    const again = (await t.create(vsw, sg, { ipv4Prefix: ['10.5.0.32/28'] })).body!;
    assert.deepEqual(t.prefixes(again), ['10.5.0.32/28']);
    assert.equal(await t.free(vsw), before - 17);
  });
});

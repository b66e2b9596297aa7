import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as $Ecs from '@alicloud/ecs20140526';
import * as $Vpc from '@alicloud/vpc20160428';
import { ecsClient, vpcClient } from '../helpers/clients.ts';
import { expectApiError } from '../helpers/expect-error.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { block80Of, formatIpv6, ipv6NetContains, parseIpv6, parseIpv6Cidr } from '../../src/domain/ipv6.ts';

const regionId = 'cn-hangzhou';
const zoneId = 'cn-hangzhou-h';
const IMAGE = 'aliyun_3_x64_20G_alibase_20240819.vhd';

describe('ENI IPv6 addresses and /80 prefixes through the official ECS SDK', () => {
  let server: RunningServer;
  let ecs: ReturnType<typeof ecsClient>;
  let vpc: ReturnType<typeof vpcClient>;
  let vswitch6: string;
  let block64: string;
  let vswitch4: string;
  let sg: string;
  before(async () => {
    server = await startServer({ args: ['--quotas', 'max-elastic-network-interfaces=200'] });
    ecs = ecsClient(server);
    vpc = vpcClient(server);
    const vpcId = (await vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId, cidrBlock: '10.0.0.0/16', enableIpv6: true }))).body!.vpcId!;
    vswitch6 = (await vpc.createVSwitch(new $Vpc.CreateVSwitchRequest({ regionId, vpcId, zoneId, cidrBlock: '10.0.1.0/24', ipv6CidrBlock: 1 }))).body!
      .vSwitchId!;
    block64 = (await vpc.describeVSwitches(new $Vpc.DescribeVSwitchesRequest({ regionId, vSwitchId: vswitch6 }))).body!.vSwitches!.vSwitch![0]!.ipv6CidrBlock!;
    vswitch4 = (await vpc.createVSwitch(new $Vpc.CreateVSwitchRequest({ regionId, vpcId, zoneId, cidrBlock: '10.0.2.0/24' }))).body!.vSwitchId!;
    sg = (await ecs.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ regionId, vpcId }))).body!.securityGroupId!;
  });
  after(() => server.dispose());

  const create = (extra: Partial<$Ecs.CreateNetworkInterfaceRequest> = {}, vSwitchId = vswitch6) =>
    ecs.createNetworkInterface(new $Ecs.CreateNetworkInterfaceRequest({ regionId, vSwitchId, securityGroupId: sg, ...extra }));
  const attr = async (networkInterfaceId: string) =>
    (await ecs.describeNetworkInterfaceAttribute(new $Ecs.DescribeNetworkInterfaceAttributeRequest({ regionId, networkInterfaceId }))).body!;
  const v6 = (e: { ipv6Sets?: { ipv6Set?: { ipv6Address?: string }[] } }) => e.ipv6Sets!.ipv6Set!.map((s) => s.ipv6Address!);
  const prefixes = (e: { ipv6PrefixSets?: { ipv6PrefixSet?: { ipv6Prefix?: string }[] } }) => e.ipv6PrefixSets!.ipv6PrefixSet!.map((s) => s.ipv6Prefix!);
  const assign = (networkInterfaceId: string, extra: Partial<$Ecs.AssignIpv6AddressesRequest>) =>
    ecs.assignIpv6Addresses(new $Ecs.AssignIpv6AddressesRequest({ regionId, networkInterfaceId, ...extra }));
  const unassign = (networkInterfaceId: string, extra: Partial<$Ecs.UnassignIpv6AddressesRequest>) =>
    ecs.unassignIpv6Addresses(new $Ecs.UnassignIpv6AddressesRequest({ regionId, networkInterfaceId, ...extra }));
  const inBlock = (address: string) => ipv6NetContains(parseIpv6Cidr(block64)!, parseIpv6(address)!);
  /** An address of the vSwitch's /64 with host part `host` (hex groups). */
  const hostAddress = (host: string) => formatIpv6(parseIpv6(block64.replace(/::\/64$/, `:${host}`))!);

  test('CreateNetworkInterface Ipv6AddressCount / Ipv6PrefixCount: addresses and /80s of the /64, shown by Create and Describe', async () => {
    const created = (await create({ ipv6AddressCount: 3, ipv6PrefixCount: 2 })).body!;
    const addresses = v6(created);
    assert.equal(addresses.length, 3);
    for (const a of addresses) assert.ok(inBlock(a), `${a} in ${block64}`);
    assert.equal(new Set(addresses).size, 3);
    const ps = prefixes(created);
    assert.equal(ps.length, 2);
    for (const p of ps) {
      const net = parseIpv6Cidr(p)!;
      assert.equal(net.prefixLength, 80);
      assert.ok(inBlock(p.split('/')[0]!));
      assert.ok(!addresses.some((a) => block80Of(parseIpv6(a)!) === block80Of(net.base)), 'no address inside a prefix');
    }
    const shown = await attr(created.networkInterfaceId!);
    assert.deepEqual(v6(shown).sort(), [...addresses].sort());
    assert.deepEqual(prefixes(shown).sort(), [...ps].sort());
    assert.ok(shown.ipv6Sets!.ipv6Set!.every((s) => s.primary === false));
    const listed = (
      await ecs.describeNetworkInterfaces(new $Ecs.DescribeNetworkInterfacesRequest({ regionId, networkInterfaceId: [created.networkInterfaceId!] }))
    ).body!.networkInterfaceSets!.networkInterfaceSet![0]!;
    assert.deepEqual(v6(listed).sort(), [...addresses].sort());
  });

  test('CreateNetworkInterface Ipv6Address.N / Ipv6Prefix.N: given ones, in any spelling, stored as RFC 5952', async () => {
    const wanted = hostAddress('0:0:0:abcd');
    const loud = block64.replace(/::\/64$/, ':0:0:0:ABCD').toUpperCase();
    const prefix = block64.replace(/::\/64$/, ':7::/80');
    const created = (await create({ ipv6Address: [loud], ipv6Prefix: [prefix] })).body!;
    assert.deepEqual(v6(created), [wanted]);
    assert.deepEqual(prefixes(created), [prefix]);
    // Taken by that ENI: the address, the prefix, and any address inside the prefix.
    await expectApiError(create({ ipv6Address: [wanted] }), 'InvalidIp.IpAssigned', 403);
    await expectApiError(create({ ipv6Prefix: [prefix] }), 'InvalidIp.IpAssigned', 403);
    await expectApiError(create({ ipv6Address: [block64.replace(/::\/64$/, ':7:0:0:1')] }), 'InvalidIp.IpAssigned', 403);
    await expectApiError(create({ ipv6Prefix: [block64.replace(/::\/64$/, ':0::/80')] }), 'InvalidIp.Address', 403);
  });

  test('CreateNetworkInterface: IPv6 refusals (no IPv6 on the vSwitch, bad, outside, repeated, list with count, over 10)', async () => {
    await expectApiError(create({ ipv6AddressCount: 1 }, vswitch4), 'InvalidVSwitch.Ipv6NotTurnOn', 403);
    await expectApiError(create({ ipv6Address: ['not-an-ip'] }), 'InvalidIp.Address', 403);
    await expectApiError(create({ ipv6Address: ['2001:db8:ffff:ffff::1'] }), 'InvalidIp.Address', 403);
    await expectApiError(create({ ipv6Address: [block64.replace(/\/64$/, '')] }), 'InvalidIp.Address', 403);
    await expectApiError(create({ ipv6Address: [hostAddress('0:0:0:1'), hostAddress('0:0:0:0001')] }), 'InvalidIp.IpRepeated', 403);
    await expectApiError(create({ ipv6Prefix: [block64.replace(/::\/64$/, ':9:1::/80')] }), 'InvalidIp.Address', 403);
    await expectApiError(create({ ipv6Address: [hostAddress('0:0:0:2')], ipv6AddressCount: 1 }), 'InvalidParameter.Conflict', 400);
    await expectApiError(create({ ipv6AddressCount: 11 }), 'InvalidParameter', 400);
    await expectApiError(create({ ipv6AddressCount: 6, ipv6PrefixCount: 5 }), 'InvalidOperation.Ipv6CountExceeded', 403);
  });

  test('AssignIpv6Addresses / UnassignIpv6Addresses: add by count and list, remove, idempotent with ClientToken, limits', async () => {
    const eni = (await create()).body!.networkInterfaceId!;
    const first = (await assign(eni, { ipv6AddressCount: 2, clientToken: 'v6-once' })).body!;
    assert.equal(first.networkInterfaceId, eni);
    assert.equal(first.ipv6Sets!.ipv6Address!.length, 2);
    const again = (await assign(eni, { ipv6AddressCount: 2, clientToken: 'v6-once' })).body!;
    assert.deepEqual(again.ipv6Sets!.ipv6Address, first.ipv6Sets!.ipv6Address, 'the same answer for the same token');
    const listed = (await assign(eni, { ipv6Address: [hostAddress('0:0:1:1')], ipv6PrefixCount: 1 })).body!;
    assert.deepEqual(listed.ipv6Sets!.ipv6Address, [hostAddress('0:0:1:1')]);
    assert.equal(listed.ipv6PrefixSets!.ipv6Prefix!.length, 1);
    assert.equal(v6(await attr(eni)).length, 3);
    // 4 entries held; an unattached ENI holds at most 10.
    await expectApiError(assign(eni, { ipv6AddressCount: 7 }), 'InvalidOperation.Ipv6CountExceeded', 403);
    await expectApiError(assign(eni, {}), 'MissingParameter', 400);
    await unassign(eni, { ipv6Address: [hostAddress('0:0:1:1')], ipv6Prefix: listed.ipv6PrefixSets!.ipv6Prefix! });
    const left = await attr(eni);
    assert.deepEqual(v6(left).sort(), [...first.ipv6Sets!.ipv6Address!].sort());
    assert.deepEqual(prefixes(left), []);
    await expectApiError(unassign(eni, { ipv6Address: [hostAddress('0:0:1:1')] }), 'InvalidIp.IpUnassigned', 403);
    // The freed address can be taken again.
    await assign(eni, { ipv6Address: [hostAddress('0:0:1:1')] });
  });

  test('DescribeNetworkInterfaces Ipv6Address.N finds the ENI holding an address', async () => {
    const eni = (await create({ ipv6Address: [hostAddress('0:0:2:2')] })).body!.networkInterfaceId!;
    const found = (await ecs.describeNetworkInterfaces(new $Ecs.DescribeNetworkInterfacesRequest({ regionId, ipv6Address: [hostAddress('0:0:2:2')] }))).body!;
    assert.deepEqual(
      found.networkInterfaceSets!.networkInterfaceSet!.map((e) => e.networkInterfaceId),
      [eni],
    );
  });

  test('Deleting an ENI frees its IPv6 addresses and prefixes', async () => {
    const prefix = block64.replace(/::\/64$/, ':33::/80');
    const eni = (await create({ ipv6Address: [hostAddress('0:0:3:3')], ipv6Prefix: [prefix] })).body!.networkInterfaceId!;
    await ecs.deleteNetworkInterface(new $Ecs.DeleteNetworkInterfaceRequest({ regionId, networkInterfaceId: eni }));
    const again = (await create({ ipv6Address: [hostAddress('0:0:3:3')], ipv6Prefix: [prefix] })).body!;
    assert.deepEqual(v6(again), [hostAddress('0:0:3:3')]);
  });

  test('Attached: the instance type limits IPv6 (EniIpv6AddressQuantity); attach refuses an ENI holding more', async () => {
    const run = async (instanceType: string, extra: Partial<$Ecs.RunInstancesRequest> = {}) =>
      (await ecs.runInstances(new $Ecs.RunInstancesRequest({ regionId, instanceType, imageId: IMAGE, vSwitchId: vswitch6, securityGroupId: sg, ...extra })))
        .body!.instanceIdSets!.instanceIdSet![0]!;
    // ecs.g6.large: one IPv6 address per ENI.
    const small = await run('ecs.g6.large');
    const two = (await create({ ipv6AddressCount: 2 })).body!.networkInterfaceId!;
    await expectApiError(
      ecs.attachNetworkInterface(new $Ecs.AttachNetworkInterfaceRequest({ regionId, instanceId: small, networkInterfaceId: two })),
      'InvalidOperation.Ipv6CountExceeded',
      403,
    );
    // ecs.g5.large takes no IPv6.
    const none = await run('ecs.g5.large');
    await expectApiError(
      ecs.attachNetworkInterface(new $Ecs.AttachNetworkInterfaceRequest({ regionId, instanceId: none, networkInterfaceId: two })),
      'InvalidOperation.Ipv6NotSupport',
      403,
    );
    const one = (await create({ ipv6AddressCount: 1 })).body!.networkInterfaceId!;
    await ecs.attachNetworkInterface(new $Ecs.AttachNetworkInterfaceRequest({ regionId, instanceId: small, networkInterfaceId: one }));
    await expectApiError(assign(one, { ipv6AddressCount: 1 }), 'InvalidOperation.Ipv6CountExceeded', 403);
    // RunInstances: the primary ENI's IPv6 addresses, within the type's figure.
    const dual = await run('ecs.g7.large', { ipv6AddressCount: 2 });
    const instance = (await ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId, instanceIds: JSON.stringify([dual]) }))).body!.instances!
      .instance![0]!;
    const primary = instance.networkInterfaces!.networkInterface!.find((n) => n.type === 'Primary')!;
    assert.equal(primary.ipv6Sets!.ipv6Set!.length, 2);
    assert.equal(v6(await attr(primary.networkInterfaceId!)).length, 2);
    // DescribeInstances Ipv6Address.N: the instance one of whose ENIs holds the address.
    const byV6 = await ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId, ipv6Address: [primary.ipv6Sets!.ipv6Set![0]!.ipv6Address!] }));
    assert.deepEqual(
      byV6.body!.instances!.instance!.map((i) => i.instanceId),
      [dual],
    );
    await expectApiError(run('ecs.g6.large', { ipv6AddressCount: 2 }), 'MaxEniIpv6IpsCountExceeded', 403);
    await expectApiError(run('ecs.g7.large', { ipv6AddressCount: 1, vSwitchId: vswitch4 }), 'InvalidVSwitch.Ipv6NotTurnOn', 403);
  });

  test('Metadata: an attached ENI with IPv4 and IPv6 prefixes and IPv6 addresses serves ipv4-prefixes, ipv6s and ipv6-prefixes', async () => {
    const instanceId = (
      await ecs.runInstances(
        new $Ecs.RunInstancesRequest({ regionId, instanceType: 'ecs.g7.xlarge', imageId: IMAGE, vSwitchId: vswitch6, securityGroupId: sg }),
      )
    ).body!.instanceIdSets!.instanceIdSet![0]!;
    const created = (await create({ ipv4PrefixCount: 1, ipv6AddressCount: 2, ipv6PrefixCount: 1 })).body!;
    await ecs.attachNetworkInterface(new $Ecs.AttachNetworkInterfaceRequest({ regionId, instanceId, networkInterfaceId: created.networkInterfaceId }));
    const item = async (name: string) => {
      const res = await fetch(`${server.metadataUrl}/latest/meta-data/network/interfaces/macs/${created.macAddress}/${name}`, {
        headers: { 'X-Eniplane-Instance-Id': instanceId },
      });
      assert.equal(res.status, 200, name);
      return res.text();
    };
    assert.equal(await item('ipv4-prefixes'), JSON.stringify(created.ipv4PrefixSets!.ipv4PrefixSet!.map((p) => p.ipv4Prefix)));
    assert.deepEqual(
      (await item('ipv6s'))
        .replace(/^\[|\]$/g, '')
        .split(',')
        .sort(),
      v6(created).sort(),
    );
    assert.equal(await item('ipv6-prefixes'), `[${prefixes(created)[0]}]`);
    assert.equal(await item('vswitch-ipv6-cidr-block'), block64);
  });
});

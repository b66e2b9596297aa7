import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as $Ecs from '@alicloud/ecs20140526';
import * as $Vpc from '@alicloud/vpc20160428';
import { ecsClient, vpcClient } from '../helpers/clients.ts';
import { expectApiError } from '../helpers/expect-error.ts';
import { pollUntil } from '../helpers/poll.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

const regionId = 'cn-hangzhou';
const IMAGE = 'aliyun_3_x64_20G_alibase_20240819.vhd';
const MAC = /^00:16:3e(:[0-9a-f]{2}){3}$/;

type Ecs = ReturnType<typeof ecsClient>;
type Vpc = ReturnType<typeof vpcClient>;

/** Network fixtures and SDK shorthands over one server. */
function toolkit(ecs: Ecs, vpc: Vpc, region = regionId) {
  const t = {
    async vpc(cidrBlock: string) {
      return (await vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId: region, cidrBlock }))).body!.vpcId!;
    },
    async vswitch(vpcId: string, cidrBlock: string, zoneId: string) {
      return (await vpc.createVSwitch(new $Vpc.CreateVSwitchRequest({ regionId: region, vpcId, cidrBlock, zoneId }))).body!.vSwitchId!;
    },
    async sg(vpcId: string, securityGroupType?: string) {
      return (await ecs.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ regionId: region, vpcId, securityGroupType }))).body!.securityGroupId!;
    },
    async free(vSwitchId: string) {
      return (await vpc.describeVSwitchAttributes(new $Vpc.DescribeVSwitchAttributesRequest({ regionId: region, vSwitchId }))).body!.availableIpAddressCount!;
    },
    create(vSwitchId: string, securityGroupId: string, extra: Partial<$Ecs.CreateNetworkInterfaceRequest> = {}) {
      return ecs.createNetworkInterface(new $Ecs.CreateNetworkInterfaceRequest({ regionId: region, vSwitchId, securityGroupId, ...extra }));
    },
    async eni(vSwitchId: string, securityGroupId: string, extra: Partial<$Ecs.CreateNetworkInterfaceRequest> = {}) {
      return (await t.create(vSwitchId, securityGroupId, extra)).body!.networkInterfaceId!;
    },
    async attr(networkInterfaceId: string) {
      return (await ecs.describeNetworkInterfaceAttribute(new $Ecs.DescribeNetworkInterfaceAttributeRequest({ regionId: region, networkInterfaceId }))).body!;
    },
    async list(extra: Partial<$Ecs.DescribeNetworkInterfacesRequest> = {}) {
      return (await ecs.describeNetworkInterfaces(new $Ecs.DescribeNetworkInterfacesRequest({ regionId: region, maxResults: 500, ...extra }))).body!;
    },
    async ids(extra: Partial<$Ecs.DescribeNetworkInterfacesRequest> = {}) {
      return (await t.list(extra)).networkInterfaceSets!.networkInterfaceSet!.map((e) => e.networkInterfaceId!);
    },
    ips(e: { privateIpSets?: { privateIpSet?: { privateIpAddress?: string }[] } }) {
      return e.privateIpSets!.privateIpSet!.map((p) => p.privateIpAddress!);
    },
    async run(vSwitchId: string, securityGroupId: string, extra: Partial<$Ecs.RunInstancesRequest> = {}) {
      const res = await ecs.runInstances(
        new $Ecs.RunInstancesRequest({ regionId: region, instanceType: 'ecs.g7.large', imageId: IMAGE, vSwitchId, securityGroupId, ...extra }),
      );
      return res.body!.instanceIdSets!.instanceIdSet!;
    },
    async instance(vSwitchId: string, securityGroupId: string, extra: Partial<$Ecs.RunInstancesRequest> = {}) {
      return (await t.run(vSwitchId, securityGroupId, extra))[0]!;
    },
    async describeInstance(instanceId: string) {
      const res = await ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: region, instanceIds: JSON.stringify([instanceId]) }));
      return res.body!.instances!.instance![0]!;
    },
    async primaryOf(instanceId: string) {
      return (await t.describeInstance(instanceId)).networkInterfaces!.networkInterface!.find((n) => n.type === 'Primary')!.networkInterfaceId!;
    },
    attach(instanceId: string, networkInterfaceId: string) {
      return ecs.attachNetworkInterface(new $Ecs.AttachNetworkInterfaceRequest({ regionId: region, instanceId, networkInterfaceId }));
    },
    detach(instanceId: string, networkInterfaceId: string) {
      return ecs.detachNetworkInterface(new $Ecs.DetachNetworkInterfaceRequest({ regionId: region, instanceId, networkInterfaceId }));
    },
    remove(networkInterfaceId: string) {
      return ecs.deleteNetworkInterface(new $Ecs.DeleteNetworkInterfaceRequest({ regionId: region, networkInterfaceId }));
    },
    assign(networkInterfaceId: string, extra: Partial<$Ecs.AssignPrivateIpAddressesRequest>) {
      return ecs.assignPrivateIpAddresses(new $Ecs.AssignPrivateIpAddressesRequest({ regionId: region, networkInterfaceId, ...extra }));
    },
    unassign(networkInterfaceId: string, privateIpAddress: string[]) {
      return ecs.unassignPrivateIpAddresses(new $Ecs.UnassignPrivateIpAddressesRequest({ regionId: region, networkInterfaceId, privateIpAddress }));
    },
    stop(instanceId: string) {
      return ecs.stopInstance(new $Ecs.StopInstanceRequest({ instanceId }));
    },
    start(instanceId: string) {
      return ecs.startInstance(new $Ecs.StartInstanceRequest({ instanceId }));
    },
    async status(networkInterfaceId: string) {
      return (await t.attr(networkInterfaceId)).status!;
    },
  };
  return t;
}

function ipInt(ip: string): number {
  return ip.split('.').reduce((n, o) => n * 256 + Number(o), 0);
}

describe('ENI actions through the official ECS SDK', () => {
  let server: RunningServer;
  let ecs: Ecs;
  let vpc: Vpc;
  let t: ReturnType<typeof toolkit>;
  let vpcA: string;
  let vpcB: string;
  let vswA: string; // 10.1.0.0/24, cn-hangzhou-i
  let vswA2: string; // 10.2.0.0/24, cn-hangzhou-i
  let vswJ: string; // 10.3.0.0/24, cn-hangzhou-j
  let vswB: string; // 172.16.1.0/24, cn-hangzhou-i, VPC B
  let sgA: string;
  let sgA2: string;
  let sgB: string;
  // A second server, started in the background while the first one's tests run: ENIs may attach
  // anywhere in their zone there, and attach, detach, delete and instance stop/start take long
  // enough for the calls that probe each transitional state to land inside it, even on a busy machine.
  let special: Promise<RunningServer>;

  before(async () => {
    special = startServer({ args: ['--delays', 'none,eniAttach=1500,eniDetach=1500,eniDelete=1500,instanceStop=1500,instanceStart=1500'] });
    // The seed document's stricter attach rule (same vSwitch), which most tests here were written for.
    server = await startServer({ args: ['--attach-locality', 'vswitch'] });
    ecs = ecsClient(server);
    vpc = vpcClient(server);
    t = toolkit(ecs, vpc);
    vpcA = await t.vpc('10.0.0.0/8');
    vpcB = await t.vpc('172.16.0.0/12');
    vswA = await t.vswitch(vpcA, '10.1.0.0/24', 'cn-hangzhou-i');
    vswA2 = await t.vswitch(vpcA, '10.2.0.0/24', 'cn-hangzhou-i');
    vswJ = await t.vswitch(vpcA, '10.3.0.0/24', 'cn-hangzhou-j');
    vswB = await t.vswitch(vpcB, '172.16.1.0/24', 'cn-hangzhou-i');
    sgA = await t.sg(vpcA);
    sgA2 = await t.sg(vpcA);
    sgB = await t.sg(vpcB);
  });
  after(async () => {
    await server.dispose();
    await (await special).dispose();
  });

  test('CreateNetworkInterface: a secondary ENI, Available at once, with a picked address in the vSwitch and a 00:16:3e MAC', async () => {
    const before = await t.free(vswA);
    const res = await t.create(vswA, sgA, { networkInterfaceName: 'web-eni', description: 'front end traffic' });
    const body = res.body!;
    assert.match(body.networkInterfaceId!, /^eni-bp1[a-z0-9]{17}$/);
    assert.equal(body.status, 'Available');
    assert.equal(body.type, 'Secondary');
    assert.equal(body.vpcId, vpcA);
    assert.equal(body.vSwitchId, vswA);
    assert.equal(body.zoneId, 'cn-hangzhou-i');
    assert.equal(body.networkInterfaceName, 'web-eni');
    assert.equal(body.description, 'front end traffic');
    assert.match(body.macAddress!, MAC);
    assert.deepEqual(body.securityGroupIds!.securityGroupId, [sgA]);
    const ip = body.privateIpAddress!;
    // Inside 10.1.0.0/24 and never a reserved address (.0, .253, .254, .255).
    assert.ok(ipInt(ip) >= ipInt('10.1.0.1') && ipInt(ip) <= ipInt('10.1.0.252'), ip);
    assert.deepEqual(
      body.privateIpSets!.privateIpSet!.map((p) => [p.privateIpAddress, p.primary]),
      [[ip, true]],
    );
    assert.equal(await t.free(vswA), before - 1);

    const attr = await t.attr(body.networkInterfaceId!);
    assert.equal(attr.networkInterfaceId, body.networkInterfaceId);
    assert.equal(attr.status, 'Available');
    assert.equal(attr.type, 'Secondary');
    assert.equal(attr.macAddress, body.macAddress);
    assert.equal(attr.privateIpAddress, ip);
    assert.equal(attr.instanceId, '');
    assert.equal(attr.deleteOnRelease, false);
    assert.match(attr.creationTime!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.deepEqual(attr.securityGroupIds!.securityGroupId, [sgA]);
    await t.remove(body.networkInterfaceId!);
  });

  test('CreateNetworkInterface: a given primary address, secondary addresses by list or by count, each taken from the vSwitch', async () => {
    // Its own vSwitch: fixed addresses must not meet the random picks of other tests.
    const vFixed = await t.vswitch(vpcA, '10.11.0.0/24', 'cn-hangzhou-i');
    const before = await t.free(vFixed);
    const listed = (await t.create(vFixed, sgA, { primaryIpAddress: '10.11.0.10', privateIpAddress: ['10.11.0.11', '10.11.0.12'] })).body!;
    assert.equal(listed.privateIpAddress, '10.11.0.10');
    assert.deepEqual(
      listed.privateIpSets!.privateIpSet!.map((p) => [p.privateIpAddress, p.primary]),
      [
        ['10.11.0.10', true],
        ['10.11.0.11', false],
        ['10.11.0.12', false],
      ],
    );
    assert.equal(await t.free(vFixed), before - 3);

    const counted = (await t.create(vFixed, sgA, { secondaryPrivateIpAddressCount: 3 })).body!;
    const ips = t.ips(counted);
    assert.equal(ips.length, 4);
    assert.equal(new Set(ips).size, 4);
    assert.equal(ips[0], counted.privateIpAddress);
    for (const ip of ips) assert.ok(ipInt(ip) >= ipInt('10.11.0.1') && ipInt(ip) <= ipInt('10.11.0.252'), ip);
    assert.ok(!ips.some((ip) => ['10.11.0.10', '10.11.0.11', '10.11.0.12'].includes(ip)));
    assert.equal(await t.free(vFixed), before - 7);
    // Describe shows the same addresses, primary first.
    assert.deepEqual(t.ips(await t.attr(counted.networkInterfaceId!)), ips);

    await t.remove(listed.networkInterfaceId!);
    await t.remove(counted.networkInterfaceId!);
    assert.equal(await t.free(vFixed), before);
  });

  test('CreateNetworkInterface: mutually exclusive parameters are refused (InvalidParameter.Conflict); a group is required', async () => {
    const before = await t.free(vswA);
    await expectApiError(t.create(vswA, sgA, { privateIpAddress: ['10.1.0.20'], secondaryPrivateIpAddressCount: 1 }), 'InvalidParameter.Conflict', 400);
    await expectApiError(t.create(vswA, sgA, { securityGroupIds: [sgA2] }), 'InvalidParameter.Conflict', 400);
    await expectApiError(ecs.createNetworkInterface(new $Ecs.CreateNetworkInterfaceRequest({ regionId, vSwitchId: vswA })), 'MissingParameter', 400);
    assert.equal(await t.free(vswA), before);
  });

  test('CreateNetworkInterface: SecurityGroupIds.N puts an ENI in up to five groups of its VPC; six, a repeated one, or basic and advanced mixed are refused', async () => {
    const groups = [sgA, sgA2, await t.sg(vpcA), await t.sg(vpcA), await t.sg(vpcA)];
    const five = (await ecs.createNetworkInterface(new $Ecs.CreateNetworkInterfaceRequest({ regionId, vSwitchId: vswA, securityGroupIds: groups }))).body!;
    assert.deepEqual(five.securityGroupIds!.securityGroupId, groups);
    assert.deepEqual((await t.attr(five.networkInterfaceId!)).securityGroupIds!.securityGroupId, groups);
    const create = (securityGroupIds: string[]) =>
      ecs.createNetworkInterface(new $Ecs.CreateNetworkInterfaceRequest({ regionId, vSwitchId: vswA, securityGroupIds }));
    await expectApiError(create([...groups, await t.sg(vpcA)]), 'InvalidSecurityGroupId.Malformed', 400);
    await expectApiError(create([sgA, sgA]), 'InvalidParameter', 400);
    await expectApiError(create([sgA, await t.sg(vpcA, 'enterprise')]), 'InvalidOperation.MultiGroupType', 400);
    // An advanced group alone is fine.
    const advanced = await t.eni(vswA, await t.sg(vpcA, 'enterprise'));
    await t.remove(advanced);
    await t.remove(five.networkInterfaceId!);
  });

  test('CreateNetworkInterface: addresses outside the CIDR, reserved, malformed, taken or repeated are refused and nothing is allocated', async () => {
    // Its own vSwitch: fixed addresses must not meet the random picks of other tests.
    const vFixed = await t.vswitch(vpcA, '10.12.0.0/24', 'cn-hangzhou-i');
    const taken = await t.eni(vFixed, sgA, { primaryIpAddress: '10.12.0.30' });
    const before = await t.free(vFixed);
    await expectApiError(t.create(vFixed, sgA, { primaryIpAddress: '10.2.0.5' }), 'InvalidVSwitchId.IpInvalid', 403);
    await expectApiError(t.create(vFixed, sgA, { privateIpAddress: ['192.168.0.1'] }), 'InvalidVSwitchId.IpInvalid', 403);
    // The first address and the last three of the vSwitch are reserved.
    for (const reserved of ['10.12.0.0', '10.12.0.253', '10.12.0.254', '10.12.0.255']) {
      await expectApiError(t.create(vFixed, sgA, { primaryIpAddress: reserved }), 'InvalidVSwitchId.IpInvalid', 403);
    }
    await expectApiError(t.create(vFixed, sgA, { primaryIpAddress: '10.12.0.300' }), 'InvalidPrivateIpAddress.Malformed', 400);
    await expectApiError(t.create(vFixed, sgA, { primaryIpAddress: '10.12.0.30' }), 'InvalidPrivateIpAddress.Duplicated', 400);
    await expectApiError(t.create(vFixed, sgA, { privateIpAddress: ['10.12.0.31', '10.12.0.30'] }), 'InvalidPrivateIpAddress.Duplicated', 400);
    await expectApiError(t.create(vFixed, sgA, { privateIpAddress: ['10.12.0.31', '10.12.0.31'] }), 'InvalidIp.IpRepeated', 403);
    await expectApiError(t.create(vFixed, sgA, { primaryIpAddress: '10.12.0.32', privateIpAddress: ['10.12.0.32'] }), 'InvalidIp.IpRepeated', 403);
    assert.equal(await t.free(vFixed), before);
    // The edges of the usable range are usable.
    const first = await t.eni(vFixed, sgA, { primaryIpAddress: '10.12.0.1', privateIpAddress: ['10.12.0.252'] });
    assert.deepEqual(t.ips(await t.attr(first)), ['10.12.0.1', '10.12.0.252']);
    await t.remove(first);
    await t.remove(taken);
  });

  test('CreateNetworkInterface: a /29 vSwitch offers 4 addresses; beyond them InvalidVSwitchId.IpNotEnough', async () => {
    const tiny = await t.vswitch(vpcA, '10.4.0.0/29', 'cn-hangzhou-i');
    assert.equal(await t.free(tiny), 4);
    await expectApiError(t.create(tiny, sgA, { secondaryPrivateIpAddressCount: 4 }), 'InvalidVSwitchId.IpNotEnough', 403);
    const four = (await t.create(tiny, sgA, { secondaryPrivateIpAddressCount: 3 })).body!;
    assert.deepEqual(t.ips(four).sort(), ['10.4.0.1', '10.4.0.2', '10.4.0.3', '10.4.0.4']);
    assert.equal(await t.free(tiny), 0);
    await expectApiError(t.create(tiny, sgA), 'InvalidVSwitchId.IpNotEnough', 403);
    await expectApiError(t.assign(four.networkInterfaceId!, { secondaryPrivateIpAddressCount: 1 }), 'InvalidVSwitchId.IpNotEnough', 403);
    await t.unassign(four.networkInterfaceId!, [t.ips(four)[3]!]);
    assert.equal(await t.free(tiny), 1);
    const one = await t.eni(tiny, sgA);
    assert.equal(await t.free(tiny), 0);
    await t.remove(one);
    await t.remove(four.networkInterfaceId!);
    assert.equal(await t.free(tiny), 4);
  });

  test('CreateNetworkInterface: an Available ENI holds at most 10 private addresses, its primary one included', async () => {
    const ten = (await t.create(vswA, sgA, { secondaryPrivateIpAddressCount: 9 })).body!;
    assert.equal(t.ips(ten).length, 10);
    const before = await t.free(vswA);
    await expectApiError(t.create(vswA, sgA, { secondaryPrivateIpAddressCount: 10 }), 'InvalidOperation.Ipv4CountExceeded', 403);
    const eleven = Array.from({ length: 10 }, (_, i) => `10.1.0.${200 + i}`);
    await expectApiError(t.create(vswA, sgA, { privateIpAddress: eleven }), 'InvalidOperation.Ipv4CountExceeded', 403);
    assert.equal(await t.free(vswA), before);
    await t.remove(ten.networkInterfaceId!);
  });

  test('CreateNetworkInterface: a group of another VPC is refused (InvalidOperation.VpcMismatch); unknown vSwitches and groups are not found', async () => {
    await expectApiError(t.create(vswA, sgB), 'InvalidOperation.VpcMismatch', 403);
    await expectApiError(t.create('vsw-bp1doesnotexist000000', sgA), 'InvalidVSwitchId.NotFound', 404);
    await expectApiError(t.create(vswA, 'sg-bp1doesnotexist00000'), 'InvalidSecurityGroupId.NotFound', 404);
    // Another account's or another region's resources are as absent as missing ones.
    await expectApiError(
      ecs.createNetworkInterface(new $Ecs.CreateNetworkInterfaceRequest({ regionId: 'cn-shanghai', vSwitchId: vswA, securityGroupId: sgA })),
      'InvalidVSwitchId.NotFound',
      404,
    );
  });

  test('CreateNetworkInterface: names, descriptions and the ENI type are checked; tags are kept', async () => {
    await expectApiError(t.create(vswA, sgA, { networkInterfaceName: '1-starts-with-a-digit' }), 'InvalidNetworkInterfaceName.Malformed', 400);
    await expectApiError(t.create(vswA, sgA, { networkInterfaceName: 'http://x' }), 'InvalidNetworkInterfaceName.Malformed', 400);
    await expectApiError(t.create(vswA, sgA, { description: 'https://example.com' }), 'InvalidDescription.Malformed', 400);
    await expectApiError(t.create(vswA, sgA, { instanceType: 'Primary' }), 'InvalidParameter', 400);
    const body = (await t.create(vswA, sgA, { tag: [new $Ecs.CreateNetworkInterfaceRequestTag({ key: 'team', value: 'net' })] })).body!;
    assert.deepEqual(
      body.tags!.tag!.map((x) => [x.tagKey, x.tagValue]),
      [['team', 'net']],
    );
    await t.remove(body.networkInterfaceId!);
  });

  test('CreateNetworkInterface: every ENI gets a MAC of its own', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push(await t.eni(vswA, sgA));
    const macs = (await t.list({ networkInterfaceId: ids })).networkInterfaceSets!.networkInterfaceSet!.map((e) => e.macAddress!);
    assert.equal(macs.length, 20);
    for (const m of macs) assert.match(m, MAC);
    assert.equal(new Set(macs).size, 20);
    for (const id of ids) await t.remove(id);
  });

  test('CreateNetworkInterface: the same ClientToken returns the first ENI; other parameters with it are refused', async () => {
    const before = await t.free(vswA);
    const clientToken = 'eni-token-0001';
    const first = (await t.create(vswA, sgA, { clientToken, networkInterfaceName: 'idem' })).body!;
    const again = (await t.create(vswA, sgA, { clientToken, networkInterfaceName: 'idem' })).body!;
    assert.equal(again.networkInterfaceId, first.networkInterfaceId);
    assert.equal(again.macAddress, first.macAddress);
    assert.equal(again.privateIpAddress, first.privateIpAddress);
    assert.equal(await t.free(vswA), before - 1);
    assert.deepEqual(await t.ids({ networkInterfaceName: 'idem' }), [first.networkInterfaceId]);
    await expectApiError(t.create(vswA, sgA, { clientToken, networkInterfaceName: 'other' }), 'IdempotentParameterMismatch', 400);
    await t.remove(first.networkInterfaceId!);
  });

  test('CreateNetworkInterface: at most 100 secondary ENIs per account and region (MaxEniCountExceeded); primary ENIs do not count', async () => {
    const bj = toolkit(ecs, vpc, 'cn-beijing');
    const vpcId = await bj.vpc('192.168.0.0/16');
    const vsw = await bj.vswitch(vpcId, '192.168.0.0/24', 'cn-beijing-a');
    const sg = await bj.sg(vpcId);
    const ids: string[] = [];
    for (let i = 0; i < 100; i++) ids.push(await bj.eni(vsw, sg));
    const before = await bj.free(vsw);
    await expectApiError(bj.create(vsw, sg), 'MaxEniCountExceeded', 403);
    assert.equal(await bj.free(vsw), before);
    // An instance's primary ENI is not one of them.
    const instance = await bj.instance(vsw, sg);
    assert.equal((await bj.describeInstance(instance)).status, 'Running');
    await bj.remove(ids[0]!);
    ids.push(await bj.eni(vsw, sg));
    await expectApiError(bj.create(vsw, sg), 'MaxEniCountExceeded', 403);
  });

  test("DescribeNetworkInterfaces: each filter narrows the list; SecurityGroupId finds secondary ENIs only; an instance's primary ENI is listed with Type Primary", async () => {
    const vpcC = await t.vpc('192.168.0.0/16');
    const c1 = await t.vswitch(vpcC, '192.168.1.0/24', 'cn-hangzhou-i');
    const c2 = await t.vswitch(vpcC, '192.168.2.0/24', 'cn-hangzhou-i');
    const sg1 = await t.sg(vpcC);
    const sg2 = await t.sg(vpcC);
    const e1 = await t.eni(c1, sg1, {
      networkInterfaceName: 'alpha',
      primaryIpAddress: '192.168.1.10',
      tag: [new $Ecs.CreateNetworkInterfaceRequestTag({ key: 'env', value: 'prod' })],
    });
    const e2 = await t.eni(c2, sg2, { networkInterfaceName: 'beta', primaryIpAddress: '192.168.2.10', privateIpAddress: ['192.168.2.11'] });
    const e3 = await t.eni(c1, sg2, { networkInterfaceName: 'gamma', tag: [new $Ecs.CreateNetworkInterfaceRequestTag({ key: 'env', value: 'dev' })] });
    const i1 = await t.instance(c1, sg1, { privateIpAddress: '192.168.1.100' });
    await t.attach(i1, e1);
    const p1 = await t.primaryOf(i1);
    const sorted = (ids: string[]) => [...ids].sort();
    const ids = async (extra: Partial<$Ecs.DescribeNetworkInterfacesRequest>) => sorted(await t.ids({ vpcId: vpcC, ...extra }));

    assert.deepEqual(await ids({}), sorted([e1, e2, e3, p1]));
    assert.deepEqual(sorted(await t.ids({ networkInterfaceId: [e2, e3] })), sorted([e2, e3]));
    assert.deepEqual(await ids({ instanceId: i1 }), sorted([e1, p1]));
    assert.deepEqual(await ids({ vSwitchId: c2 }), [e2]);
    assert.deepEqual(sorted(await t.ids({ vSwitchId: c1 })), sorted([e1, e3, p1]));
    // The primary ENI p1 is in sg1 too, but the filter is for secondary ENIs.
    assert.deepEqual(await ids({ securityGroupId: sg1 }), [e1]);
    assert.deepEqual(await ids({ securityGroupId: sg2 }), sorted([e2, e3]));
    assert.deepEqual(await ids({ primaryIpAddress: '192.168.2.10' }), [e2]);
    assert.deepEqual(await ids({ primaryIpAddress: '192.168.1.100' }), [p1]);
    assert.deepEqual(await ids({ privateIpAddress: ['192.168.2.11'] }), [e2]);
    assert.deepEqual(await ids({ privateIpAddress: ['192.168.1.10', '192.168.1.100'] }), sorted([e1, p1]));
    assert.deepEqual(await ids({ networkInterfaceName: 'beta' }), [e2]);
    assert.deepEqual(await ids({ type: 'Primary' }), [p1]);
    assert.deepEqual(await ids({ type: 'Secondary' }), sorted([e1, e2, e3]));
    assert.deepEqual(await ids({ status: 'InUse' }), sorted([e1, p1]));
    assert.deepEqual(await ids({ status: 'Available' }), sorted([e2, e3]));
    assert.deepEqual(await ids({ status: 'Attaching' }), []);
    assert.deepEqual(await ids({ tag: [new $Ecs.DescribeNetworkInterfacesRequestTag({ key: 'env', value: 'prod' })] }), [e1]);
    assert.deepEqual(await ids({ tag: [new $Ecs.DescribeNetworkInterfacesRequestTag({ key: 'env' })] }), sorted([e1, e3]));
    // Filters combine.
    assert.deepEqual(await ids({ vSwitchId: c1, type: 'Secondary', status: 'Available' }), [e3]);
    assert.deepEqual(await ids({ vSwitchId: c2, status: 'InUse' }), []);

    const primary = (await t.list({ networkInterfaceId: [p1] })).networkInterfaceSets!.networkInterfaceSet![0]!;
    const described = await t.describeInstance(i1);
    const fromInstance = described.networkInterfaces!.networkInterface!.find((n) => n.type === 'Primary')!;
    assert.equal(primary.type, 'Primary');
    assert.equal(primary.status, 'InUse');
    assert.equal(primary.instanceId, i1);
    assert.equal(primary.attachment!.instanceId, i1);
    assert.equal(primary.attachment!.deviceIndex, 0);
    assert.equal(primary.deleteOnRelease, true);
    assert.equal(primary.macAddress, fromInstance.macAddress);
    assert.equal(primary.privateIpAddress, '192.168.1.100');
    assert.equal(fromInstance.primaryIpAddress, '192.168.1.100');
    assert.deepEqual(primary.securityGroupIds!.securityGroupId, [sg1]);
    const attached = (await t.list({ networkInterfaceId: [e1] })).networkInterfaceSets!.networkInterfaceSet![0]!;
    assert.equal(attached.attachment!.deviceIndex, 1);
    assert.deepEqual(
      attached.tags!.tag!.map((x) => [x.tagKey, x.tagValue]),
      [['env', 'prod']],
    );
  });

  test('DescribeNetworkInterfaces: NextToken/MaxResults and PageNumber/PageSize each walk every ENI exactly once, in a stable order', async () => {
    const vpcD = await t.vpc('10.0.0.0/16');
    const d = await t.vswitch(vpcD, '10.0.1.0/24', 'cn-hangzhou-i');
    const sg = await t.sg(vpcD);
    const created: string[] = [];
    for (let i = 0; i < 23; i++) created.push(await t.eni(d, sg));
    const all = await t.list({ vpcId: vpcD });
    assert.equal(all.totalCount, 23);
    const order = all.networkInterfaceSets!.networkInterfaceSet!.map((e) => e.networkInterfaceId!);
    assert.deepEqual([...order].sort(), [...created].sort());

    // Token paging: MaxResults below 10 counts as 10.
    const walked: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = await t.list({ vpcId: vpcD, maxResults: 5, ...(nextToken ? { nextToken } : {}) });
      pages++;
      walked.push(...page.networkInterfaceSets!.networkInterfaceSet!.map((e) => e.networkInterfaceId!));
      nextToken = page.nextToken || undefined;
      if (nextToken) assert.equal(page.networkInterfaceSets!.networkInterfaceSet!.length, 10);
    } while (nextToken);
    assert.equal(pages, 3);
    assert.deepEqual(walked, order);

    // PageNumber/PageSize (deprecated, still served).
    const paged: string[] = [];
    for (let pageNumber = 1; pageNumber <= 6; pageNumber++) {
      const page = (await ecs.describeNetworkInterfaces(new $Ecs.DescribeNetworkInterfacesRequest({ regionId, vpcId: vpcD, pageNumber, pageSize: 5 }))).body!;
      assert.equal(page.pageNumber, pageNumber);
      assert.equal(page.pageSize, 5);
      assert.equal(page.totalCount, 23);
      paged.push(...page.networkInterfaceSets!.networkInterfaceSet!.map((e) => e.networkInterfaceId!));
    }
    assert.deepEqual(paged, order);
    await expectApiError(t.list({ vpcId: vpcD, nextToken: 'not-a-token' }), 'InvalidParameter', 400);
    for (const id of created) await t.remove(id);
    assert.equal((await t.list({ vpcId: vpcD })).totalCount, 0);
  });

  test('DescribeNetworkInterfaceAttribute: one ENI, its fields at the top level; an unknown ENI is not found', async () => {
    const id = await t.eni(vswA, sgA, { networkInterfaceName: 'solo', secondaryPrivateIpAddressCount: 1 });
    const attr = await t.attr(id);
    assert.equal(attr.networkInterfaceId, id);
    assert.equal(attr.networkInterfaceName, 'solo');
    assert.equal(attr.vpcId, vpcA);
    assert.equal(attr.vSwitchId, vswA);
    assert.equal(attr.zoneId, 'cn-hangzhou-i');
    assert.equal(attr.privateIpSets!.privateIpSet!.length, 2);
    assert.equal(attr.privateIpSets!.privateIpSet![0]!.primary, true);
    assert.equal(attr.privateIpSets!.privateIpSet![1]!.primary, false);
    await expectApiError(
      ecs.describeNetworkInterfaceAttribute(new $Ecs.DescribeNetworkInterfaceAttributeRequest({ regionId, networkInterfaceId: 'eni-bp1doesnotexist00000' })),
      'InvalidEniId.NotFound',
      404,
    );
    await t.remove(id);
  });

  test("ModifyNetworkInterfaceAttribute: renames, describes and replaces a secondary ENI's groups; a primary ENI keeps its instance's groups", async () => {
    const id = await t.eni(vswA, sgA);
    const modify = (networkInterfaceId: string, extra: Partial<$Ecs.ModifyNetworkInterfaceAttributeRequest>) =>
      ecs.modifyNetworkInterfaceAttribute(new $Ecs.ModifyNetworkInterfaceAttributeRequest({ regionId, networkInterfaceId, ...extra }));
    await modify(id, { networkInterfaceName: 'renamed', description: 'a new description', deleteOnRelease: true });
    let attr = await t.attr(id);
    assert.equal(attr.networkInterfaceName, 'renamed');
    assert.equal(attr.description, 'a new description');
    assert.equal(attr.deleteOnRelease, true);
    await modify(id, { securityGroupId: [sgA2, sgA] });
    attr = await t.attr(id);
    assert.deepEqual(attr.securityGroupIds!.securityGroupId, [sgA2, sgA]);
    await modify(id, { securityGroupId: [sgA2] });
    assert.deepEqual((await t.attr(id)).securityGroupIds!.securityGroupId, [sgA2]);
    await expectApiError(modify(id, { securityGroupId: [sgB] }), 'InvalidOperation.VpcMismatch', 403);
    await expectApiError(modify(id, { securityGroupId: ['sg-bp1doesnotexist00000'] }), 'InvalidSecurityGroupId.NotFound', 404);
    await expectApiError(modify(id, { securityGroupId: [sgA, sgA] }), 'InvalidParameter', 400);
    await expectApiError(modify(id, { networkInterfaceName: '_bad' }), 'InvalidNetworkInterfaceName.Malformed', 400);
    await expectApiError(modify('eni-bp1doesnotexist00000', { networkInterfaceName: 'x1' }), 'InvalidEniId.NotFound', 404);
    assert.deepEqual((await t.attr(id)).securityGroupIds!.securityGroupId, [sgA2]);

    const instance = await t.instance(vswA, sgA);
    const primary = await t.primaryOf(instance);
    await expectApiError(modify(primary, { securityGroupId: [sgA2] }), 'InvalidOperation.InvalidEniType', 403);
    await modify(primary, { networkInterfaceName: 'eth0', description: 'the primary one' });
    const p = await t.attr(primary);
    assert.equal(p.networkInterfaceName, 'eth0');
    assert.equal(p.description, 'the primary one');
    assert.deepEqual(p.securityGroupIds!.securityGroupId, [sgA]);
    await t.remove(id);
  });

  test('AssignPrivateIpAddresses / UnassignPrivateIpAddresses: an Available ENI, by list and by count, at most 10 in all; addresses come from and return to the vSwitch', async () => {
    // Its own vSwitch: fixed addresses must not meet the random picks of other tests.
    const vFixed = await t.vswitch(vpcA, '10.13.0.0/24', 'cn-hangzhou-i');
    const id = await t.eni(vFixed, sgA, { primaryIpAddress: '10.13.0.40' });
    const before = await t.free(vFixed);
    const listed = (await t.assign(id, { privateIpAddress: ['10.13.0.41', '10.13.0.42'] })).body!.assignedPrivateIpAddressesSet!;
    assert.equal(listed.networkInterfaceId, id);
    assert.deepEqual(listed.privateIpSet!.privateIpAddress, ['10.13.0.41', '10.13.0.42']);
    const counted = (await t.assign(id, { secondaryPrivateIpAddressCount: 7 })).body!.assignedPrivateIpAddressesSet!;
    assert.equal(counted.privateIpSet!.privateIpAddress!.length, 7);
    assert.equal(await t.free(vFixed), before - 9);
    const held = t.ips(await t.attr(id));
    assert.equal(held.length, 10);
    assert.equal(held[0], '10.13.0.40');
    await expectApiError(t.assign(id, { secondaryPrivateIpAddressCount: 1 }), 'InvalidOperation.Ipv4CountExceeded', 403);
    await expectApiError(t.assign(id, { privateIpAddress: ['10.13.0.43'] }), 'InvalidOperation.Ipv4CountExceeded', 403);

    await t.unassign(id, ['10.13.0.41', '10.13.0.42']);
    assert.equal(await t.free(vFixed), before - 7);
    assert.deepEqual(
      t.ips(await t.attr(id)),
      held.filter((ip) => ip !== '10.13.0.41' && ip !== '10.13.0.42'),
    );
    // Taken, outside, reserved, repeated.
    // Another ENI's address (picked at random: a fixed one could meet this test's random picks).
    const other = await t.eni(vFixed, sgA);
    const otherIp = (await t.attr(other)).privateIpAddress!;
    await expectApiError(t.assign(id, { privateIpAddress: [otherIp] }), 'InvalidIp.IpAssigned', 403);
    await expectApiError(t.assign(id, { privateIpAddress: ['10.13.0.40'] }), 'InvalidIp.IpAssigned', 403);
    await expectApiError(t.assign(id, { privateIpAddress: ['10.2.0.9'] }), 'InvalidVSwitchId.IpInvalid', 403);
    await expectApiError(t.assign(id, { privateIpAddress: ['10.13.0.255'] }), 'InvalidVSwitchId.IpInvalid', 403);
    await expectApiError(t.assign(id, { privateIpAddress: ['10.13.0.45', '10.13.0.45'] }), 'InvalidIp.IpRepeated', 403);
    await expectApiError(t.assign(id, { privateIpAddress: ['10.13.0.45'], secondaryPrivateIpAddressCount: 1 }), 'InvalidParameter.Conflict', 400);
    await expectApiError(t.assign(id, {}), 'MissingParameter', 400);
    await expectApiError(t.assign('eni-bp1doesnotexist00000', { secondaryPrivateIpAddressCount: 1 }), 'InvalidEniId.NotFound', 404);
    // Unassign: the primary address, an address not on the ENI (even one on another ENI), a repeated one.
    await expectApiError(t.unassign(id, ['10.13.0.40']), 'InvalidIp.IpUnassigned', 403);
    await expectApiError(t.unassign(id, [otherIp]), 'InvalidIp.IpUnassigned', 403);
    const mine = new Set(t.ips(await t.attr(id)));
    const notHeld = Array.from({ length: 250 }, (_, i) => `10.13.0.${i + 1}`).find((ip) => !mine.has(ip) && ip !== otherIp)!;
    await expectApiError(t.unassign(id, [notHeld]), 'InvalidIp.IpUnassigned', 403);
    const secondary = t.ips(await t.attr(id))[1]!;
    await expectApiError(t.unassign(id, [secondary, secondary]), 'InvalidIp.IpRepeated', 403);
    await expectApiError(
      ecs.unassignPrivateIpAddresses(new $Ecs.UnassignPrivateIpAddressesRequest({ regionId, networkInterfaceId: id })),
      'MissingParameter',
      400,
    );
    assert.equal(await t.free(vFixed), before - 8);
    await t.remove(other);
    await t.remove(id);
    assert.equal(await t.free(vFixed), before + 1);
  });

  test("AssignPrivateIpAddresses: on an InUse ENI the instance type's EniPrivateIpAddressQuantity applies, and never more than 20", async () => {
    // ecs.g6.large: 6 addresses per ENI.
    const g6 = await t.instance(vswA, sgA, { instanceType: 'ecs.g6.large' });
    const eni = await t.eni(vswA, sgA);
    await t.attach(g6, eni);
    await t.assign(eni, { secondaryPrivateIpAddressCount: 5 });
    assert.equal(t.ips(await t.attr(eni)).length, 6);
    await expectApiError(t.assign(eni, { secondaryPrivateIpAddressCount: 1 }), 'InvalidOperation.Ipv4CountExceeded', 403);
    const g6Primary = await t.primaryOf(g6);
    await t.assign(g6Primary, { secondaryPrivateIpAddressCount: 5 });
    await expectApiError(t.assign(g6Primary, { secondaryPrivateIpAddressCount: 1 }), 'InvalidOperation.Ipv4CountExceeded', 403);
    assert.equal((await t.describeInstance(g6)).networkInterfaces!.networkInterface!.find((n) => n.type === 'Primary')!.privateIpSets!.privateIpSet!.length, 6);

    // ecs.e-c1m4.large: 2 addresses per ENI.
    const e = await t.instance(vswA, sgA, { instanceType: 'ecs.e-c1m4.large' });
    const ePrimary = await t.primaryOf(e);
    await t.assign(ePrimary, { secondaryPrivateIpAddressCount: 1 });
    await expectApiError(t.assign(ePrimary, { secondaryPrivateIpAddressCount: 1 }), 'InvalidOperation.Ipv4CountExceeded', 403);

    // ecs.g7.4xlarge allows 30, but no ENI holds more than 20.
    const big = await t.instance(vswA, sgA, { instanceType: 'ecs.g7.4xlarge' });
    const wide = await t.eni(vswA, sgA, { secondaryPrivateIpAddressCount: 9 });
    await t.attach(big, wide);
    await t.assign(wide, { secondaryPrivateIpAddressCount: 10 });
    assert.equal(t.ips(await t.attr(wide)).length, 20);
    await expectApiError(t.assign(wide, { secondaryPrivateIpAddressCount: 1 }), 'InvalidOperation.Ipv4CountExceeded', 403);
    // Detached, it is an Available ENI again: it keeps its 20 but cannot take more, and must shrink to 10 before it can grow.
    await t.detach(big, wide);
    assert.equal(t.ips(await t.attr(wide)).length, 20);
    await expectApiError(t.assign(wide, { secondaryPrivateIpAddressCount: 1 }), 'InvalidOperation.Ipv4CountExceeded', 403);
    // An ENI with more addresses than a type allows per ENI cannot attach to it.
    const g6b = await t.instance(vswA, sgA, { instanceType: 'ecs.g6.large' });
    await expectApiError(t.attach(g6b, wide), 'InvalidOperation.Ipv4CountExceeded', 403);
    await t.unassign(wide, t.ips(await t.attr(wide)).slice(6));
    await t.attach(g6b, wide);
    assert.equal(await t.status(wide), 'InUse');
  });

  test('AttachNetworkInterface / DetachNetworkInterface: with --attach-locality vswitch, same VPC and vSwitch (InvalidOperation.VSwitchMismatch names both); the ENI keeps its MAC and addresses across both', async () => {
    const instance = await t.instance(vswA, sgA);
    const sameZoneOtherVsw = await t.eni(vswA2, sgA);
    const otherZone = await t.eni(vswJ, sgA);
    const otherVpc = await t.eni(vswB, sgB);
    const mismatch = await expectApiError(t.attach(instance, sameZoneOtherVsw), 'InvalidOperation.VSwitchMismatch', 403);
    assert.match(mismatch.message ?? '', new RegExp(`${vswA2}.*${vswA}`));
    await expectApiError(t.attach(instance, otherZone), 'InvalidOperation.AvailabilityZoneMismatch', 403);
    await expectApiError(t.attach(instance, otherVpc), 'InvalidOperation.VpcMismatch', 403);
    await expectApiError(t.attach('i-bp1doesnotexist00000', sameZoneOtherVsw), 'InvalidEcsId.NotFound', 404);
    await expectApiError(t.attach(instance, 'eni-bp1doesnotexist00000'), 'InvalidEniId.NotFound', 404);
    for (const id of [sameZoneOtherVsw, otherZone, otherVpc]) assert.equal(await t.status(id), 'Available');

    const eni = await t.eni(vswA, sgA2, { secondaryPrivateIpAddressCount: 2 });
    const before = await t.attr(eni);
    await t.attach(instance, eni);
    const attached = await t.attr(eni);
    assert.equal(attached.status, 'InUse');
    assert.equal(attached.instanceId, instance);
    assert.equal(attached.attachment!.instanceId, instance);
    assert.equal(attached.attachment!.deviceIndex, 1);
    assert.equal(attached.macAddress, before.macAddress);
    assert.deepEqual(t.ips(attached), t.ips(before));
    // The instance's view: the primary first, then the secondary; the instance's groups stay its primary ENI's.
    const described = await t.describeInstance(instance);
    assert.deepEqual(
      described.networkInterfaces!.networkInterface!.map((n) => [n.type, n.networkInterfaceId === eni]),
      [
        ['Primary', false],
        ['Secondary', true],
      ],
    );
    assert.deepEqual(described.securityGroupIds!.securityGroupId, [sgA]);
    const secondary = described.networkInterfaces!.networkInterface![1]!;
    assert.equal(secondary.macAddress, before.macAddress);
    assert.deepEqual(
      secondary.privateIpSets!.privateIpSet!.map((p) => p.privateIpAddress),
      t.ips(before),
    );

    // Detaching from an instance it is not attached to is refused.
    const other = await t.instance(vswA, sgA);
    await expectApiError(t.detach(other, eni), 'InvalidOperation.InvalidEniState', 400);
    await t.detach(instance, eni);
    const detached = await t.attr(eni);
    assert.equal(detached.status, 'Available');
    assert.equal(detached.instanceId, '');
    assert.equal(detached.macAddress, before.macAddress);
    assert.deepEqual(t.ips(detached), t.ips(before));
    assert.deepEqual(detached.securityGroupIds!.securityGroupId, [sgA2]);
    await expectApiError(t.detach(instance, eni), 'InvalidOperation.InvalidEniState', 400);
    assert.equal((await t.describeInstance(instance)).networkInterfaces!.networkInterface!.length, 1);
    // And it attaches elsewhere.
    await t.attach(other, eni);
    assert.equal((await t.attr(eni)).instanceId, other);
  });

  test("AttachNetworkInterface: the type's EniQuantity counts the primary ENI (EniPerInstanceLimitExceeded)", async () => {
    const g6 = await t.instance(vswA, sgA, { instanceType: 'ecs.g6.large' }); // 2 ENIs
    const g7 = await t.instance(vswA, sgA, { instanceType: 'ecs.g7.large' }); // 3 ENIs
    const [a, b, c, d] = [await t.eni(vswA, sgA), await t.eni(vswA, sgA), await t.eni(vswA, sgA), await t.eni(vswA, sgA)];
    await t.attach(g6, a);
    await expectApiError(t.attach(g6, b), 'EniPerInstanceLimitExceeded', 403);
    await t.attach(g7, b);
    await t.attach(g7, c);
    await expectApiError(t.attach(g7, d), 'EniPerInstanceLimitExceeded', 403);
    assert.equal(await t.status(d), 'Available');
    // A freed slot can be used again.
    await t.detach(g7, c);
    await t.attach(g7, d);
    assert.deepEqual(
      (await t.describeInstance(g7))
        .networkInterfaces!.networkInterface!.map((n) => n.networkInterfaceId)
        .slice(1)
        .sort(),
      [b, d].sort(),
    );
  });

  test('AttachNetworkInterface / DetachNetworkInterface: a type without hot-plug only while the instance is Stopped', async () => {
    const instance = await t.instance(vswA, sgA, { instanceType: 'ecs.e-c1m4.large' });
    const eni = await t.eni(vswA, sgA);
    await expectApiError(t.attach(instance, eni), 'InvalidOperation.InvalidEcsState', 400);
    assert.equal(await t.status(eni), 'Available');
    await t.stop(instance);
    await t.attach(instance, eni);
    assert.equal(await t.status(eni), 'InUse');
    await t.start(instance);
    await expectApiError(t.detach(instance, eni), 'InvalidOperation.InvalidEcsState', 400);
    assert.equal(await t.status(eni), 'InUse');
    await t.stop(instance);
    await t.detach(instance, eni);
    assert.equal(await t.status(eni), 'Available');
    // A type with hot-plug attaches and detaches while Running.
    const g7 = await t.instance(vswA, sgA);
    await t.attach(g7, eni);
    await t.detach(g7, eni);
    assert.equal(await t.status(eni), 'Available');
  });

  test('AttachNetworkInterface / DeleteNetworkInterface: a busy ENI is refused (InvalidOperation.InvalidEniState); the primary ENI cannot be detached', async () => {
    const a = await t.instance(vswA, sgA);
    const b = await t.instance(vswA, sgA);
    const eni = await t.eni(vswA, sgA);
    await t.attach(a, eni);
    await expectApiError(t.attach(b, eni), 'InvalidOperation.InvalidEniState', 400);
    await expectApiError(t.attach(a, eni), 'InvalidOperation.InvalidEniState', 400);
    await expectApiError(t.remove(eni), 'InvalidOperation.InvalidEniState', 400);
    const primary = await t.primaryOf(a);
    await expectApiError(t.remove(primary), 'InvalidOperation.InvalidEniState', 400);
    await expectApiError(t.detach(a, primary), 'InvalidOperation.DetachPrimaryEniNotAllowed', 400);
    // Nor can an instance's primary ENI be attached to another instance.
    await expectApiError(t.attach(b, primary), 'InvalidOperation.InvalidEniState', 400);
    assert.equal(await t.status(eni), 'InUse');
    assert.equal(await t.status(primary), 'InUse');
  });

  test('DeleteNetworkInterface: gives every address back to the vSwitch; the ENI is gone', async () => {
    const before = await t.free(vswA);
    const id = await t.eni(vswA, sgA, { secondaryPrivateIpAddressCount: 4 });
    await t.assign(id, { secondaryPrivateIpAddressCount: 2 });
    assert.equal(await t.free(vswA), before - 7);
    const ips = t.ips(await t.attr(id));
    await t.remove(id);
    assert.equal(await t.free(vswA), before);
    await expectApiError(t.attr(id), 'InvalidEniId.NotFound', 404);
    await expectApiError(t.remove(id), 'InvalidEniId.NotFound', 404);
    // The addresses can be taken again.
    const again = await t.eni(vswA, sgA, { primaryIpAddress: ips[0], privateIpAddress: ips.slice(1, 7) });
    const retaken = t.ips(await t.attr(again));
    assert.equal(retaken[0], ips[0]);
    assert.deepEqual([...retaken].sort(), [...ips].sort());
    await t.remove(again);
  });

  test("Security group capacity: a basic group's ENIs hold at most 2,000 private addresses; an advanced group holds more", async () => {
    const vpcQ = await t.vpc('10.0.0.0/16');
    const big = await t.vswitch(vpcQ, '10.0.0.0/19', 'cn-hangzhou-i');
    const sgQ = await t.sg(vpcQ);
    const sgE = await t.sg(vpcQ, 'enterprise');
    const spare = await t.sg(vpcQ);
    // 100 instances whose primary ENIs hold 20 addresses each (in four calls, each well within the SDK's timeout).
    const fill = async (securityGroupId: string) => {
      const ids: string[] = [];
      for (let i = 0; i < 4; i++) {
        ids.push(
          ...(await t.run(big, securityGroupId, {
            vSwitchId: undefined,
            securityGroupId: undefined,
            instanceType: 'ecs.g7.4xlarge',
            amount: 25,
            networkInterface: [
              new $Ecs.RunInstancesRequestNetworkInterface({ instanceType: 'Primary', vSwitchId: big, securityGroupId, secondaryPrivateIpAddressCount: 19 }),
            ],
          })),
        );
      }
      return ids;
    };
    // 2,000 addresses in the group.
    const instances = await fill(sgQ);
    assert.equal(instances.length, 100);
    const sgs = await ecs.describeSecurityGroups(new $Ecs.DescribeSecurityGroupsRequest({ regionId, securityGroupId: sgQ }));
    assert.equal(sgs.body!.securityGroups!.securityGroup![0]!.ecsCount, 2000);

    const free = await t.free(big);
    await expectApiError(t.create(big, sgQ), 'SecurityGroupInstanceLimitExceed', 403);
    const outside = await t.eni(big, spare, { secondaryPrivateIpAddressCount: 1 });
    const modify = ecs.modifyNetworkInterfaceAttribute(
      new $Ecs.ModifyNetworkInterfaceAttributeRequest({ regionId, networkInterfaceId: outside, securityGroupId: [spare, sgQ] }),
    );
    await expectApiError(modify, 'SecurityGroupInstanceLimitExceed', 403);
    await expectApiError(
      ecs.joinSecurityGroup(new $Ecs.JoinSecurityGroupRequest({ regionId, networkInterfaceId: outside, securityGroupId: sgQ })),
      'SecurityGroupInstanceLimitExceeded',
      403,
    );
    assert.equal(await t.free(big), free - 2);
    // One address leaves the group: one more fits, then the group is full again.
    const member = await t.primaryOf(instances[0]!);
    await t.unassign(member, [t.ips(await t.attr(member))[19]!]);
    const last = await t.eni(big, sgQ);
    await expectApiError(t.create(big, sgQ), 'SecurityGroupInstanceLimitExceed', 403);
    await expectApiError(t.assign(member, { secondaryPrivateIpAddressCount: 1 }), 'SecurityGroupInstanceLimitExceed', 403);
    // An instance cannot move into the full group either.
    const outsider = await t.instance(big, spare);
    await expectApiError(
      ecs.modifyInstanceAttribute(new $Ecs.ModifyInstanceAttributeRequest({ instanceId: outsider, securityGroupIds: [sgQ] })),
      'SecurityGroupInstanceLimitExceed',
      403,
    );
    await expectApiError(
      ecs.joinSecurityGroup(new $Ecs.JoinSecurityGroupRequest({ instanceId: outsider, securityGroupId: sgQ })),
      'SecurityGroupInstanceLimitExceeded',
      403,
    );
    // Moving within the group's members changes nothing in the count: allowed.
    await ecs.modifyInstanceAttribute(new $Ecs.ModifyInstanceAttributeRequest({ instanceId: instances[2]!, securityGroupIds: [sgQ, spare] }));
    assert.equal(await t.status(last), 'Available');

    // An advanced (enterprise) group holds 65,536.
    await fill(sgE);
    const beyond = await t.eni(big, sgE, { secondaryPrivateIpAddressCount: 9 });
    const enterprise = await ecs.describeSecurityGroups(new $Ecs.DescribeSecurityGroupsRequest({ regionId, securityGroupId: sgE }));
    assert.equal(enterprise.body!.securityGroups!.securityGroup![0]!.ecsCount, 2010);
    await t.remove(beyond);
    await t.remove(last);
    await t.remove(outside);
  });

  test('AttachNetworkInterface: by default (zone), another vSwitch of the zone is allowed; another zone is not', async () => {
    const zoneServer = await special;
    const z = toolkit(ecsClient(zoneServer), vpcClient(zoneServer));
    const vpcId = await z.vpc('10.0.0.0/8');
    const v1 = await z.vswitch(vpcId, '10.1.0.0/24', 'cn-hangzhou-i');
    const v2 = await z.vswitch(vpcId, '10.2.0.0/24', 'cn-hangzhou-i');
    const vj = await z.vswitch(vpcId, '10.3.0.0/24', 'cn-hangzhou-j');
    const sg = await z.sg(vpcId);
    const instance = await z.instance(v1, sg);
    const near = await z.eni(v2, sg);
    const far = await z.eni(vj, sg);
    await z.attach(instance, near);
    await pollUntil(() => z.status(near), 'InUse');
    const attached = await z.attr(near);
    assert.equal(attached.vSwitchId, v2);
    assert.equal(attached.instanceId, instance);
    await expectApiError(z.attach(instance, far), 'InvalidOperation.AvailabilityZoneMismatch', 403);
    // The same rule at instance creation.
    await z.detach(instance, near);
    await pollUntil(() => z.status(near), 'Available');
    const created = await z.instance(v1, sg, {
      networkInterface: [new $Ecs.RunInstancesRequestNetworkInterface({ instanceType: 'Secondary', networkInterfaceId: near })],
    });
    assert.equal((await z.attr(near)).instanceId, created);
    await expectApiError(
      z.run(v1, sg, { networkInterface: [new $Ecs.RunInstancesRequestNetworkInterface({ instanceType: 'Secondary', networkInterfaceId: far })] }),
      'InvalidOperation.AvailabilityZoneMismatch',
      403,
    );
    // And with a new secondary ENI in the other vSwitch.
    const withNew = await z.instance(v1, sg, {
      networkInterface: [new $Ecs.RunInstancesRequestNetworkInterface({ instanceType: 'Secondary', vSwitchId: v2 })],
    });
    const secondary = (await z.describeInstance(withNew)).networkInterfaces!.networkInterface!.find((n) => n.type === 'Secondary')!;
    assert.equal((await z.attr(secondary.networkInterfaceId!)).vSwitchId, v2);
  });

  test('AttachNetworkInterface / DetachNetworkInterface / DeleteNetworkInterface: Attaching then InUse, Detaching then Available, Deleting then gone, seen by polling', async () => {
    const slow = await special;
    {
      const s = toolkit(ecsClient(slow), vpcClient(slow));
      const sEcs = ecsClient(slow);
      const vpcId = await s.vpc('192.168.0.0/16');
      const vsw = await s.vswitch(vpcId, '192.168.1.0/24', 'cn-hangzhou-i');
      const sg = await s.sg(vpcId);
      const instance = await s.instance(vsw, sg, { instanceType: 'ecs.g6.large' });
      const other = await s.instance(vsw, sg);
      const eni = await s.eni(vsw, sg);
      const spare = await s.eni(vsw, sg);

      await s.attach(instance, eni);
      assert.equal(await s.status(eni), 'Attaching');
      assert.deepEqual(await s.ids({ status: 'Attaching' }), [eni]);
      assert.equal((await s.attr(eni)).instanceId, instance);
      // While attaching, the ENI is busy and already takes the instance's second ENI slot.
      await expectApiError(s.attach(other, eni), 'InvalidOperation.InvalidEniState', 400);
      await expectApiError(s.detach(instance, eni), 'InvalidOperation.InvalidEniState', 400);
      await expectApiError(s.remove(eni), 'InvalidOperation.InvalidEniState', 400);
      await expectApiError(s.assign(eni, { secondaryPrivateIpAddressCount: 1 }), 'InvalidOperation.InvalidEniState', 400);
      await expectApiError(s.attach(instance, spare), 'EniPerInstanceLimitExceeded', 403);
      assert.deepEqual(await pollUntil(() => s.status(eni), 'InUse'), ['Attaching', 'InUse']);

      await s.detach(instance, eni);
      assert.equal(await s.status(eni), 'Detaching');
      // A stuck detach may be issued again.
      await s.detach(instance, eni);
      await expectApiError(s.attach(other, eni), 'InvalidOperation.InvalidEniState', 400);
      assert.deepEqual(await pollUntil(() => s.status(eni), 'Available'), ['Detaching', 'Available']);
      assert.equal((await s.attr(eni)).instanceId, '');
      assert.equal((await s.describeInstance(instance)).networkInterfaces!.networkInterface!.length, 1);

      const free = await s.free(vsw);
      await s.remove(eni);
      assert.equal(await s.status(eni), 'Deleting');
      // A Deleting ENI keeps its address until it is gone; deleting it again is the cloud's advice for a stuck deletion.
      assert.equal(await s.free(vsw), free);
      await s.remove(eni);
      await pollUntil(async () => {
        try {
          return await s.status(eni);
        } catch (err) {
          return (err as { code?: string }).code ?? 'error';
        }
      }, 'InvalidEniId.NotFound');
      assert.equal(await s.free(vsw), free + 1);

      // A primary ENI's addresses change only while its instance is Running or Stopped; attach likewise.
      const primary = await s.primaryOf(instance);
      await s.stop(instance);
      assert.equal((await s.describeInstance(instance)).status, 'Stopping');
      await expectApiError(s.assign(primary, { secondaryPrivateIpAddressCount: 1 }), 'InvalidOperation.InvalidEcsState', 400);
      await expectApiError(s.attach(instance, spare), 'InvalidOperation.InvalidEcsState', 400);
      await pollUntil(async () => (await s.describeInstance(instance)).status!, 'Stopped');
      const assigned = (await s.assign(primary, { secondaryPrivateIpAddressCount: 1 })).body!.assignedPrivateIpAddressesSet!.privateIpSet!.privateIpAddress!;
      assert.equal(assigned.length, 1);
      await sEcs.startInstance(new $Ecs.StartInstanceRequest({ instanceId: instance }));
      await expectApiError(s.unassign(primary, assigned), 'InvalidOperation.InvalidEcsState', 400);
      await pollUntil(async () => (await s.describeInstance(instance)).status!, 'Running');
      await s.unassign(primary, assigned);
    }
  });
});

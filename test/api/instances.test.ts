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
const WINDOWS = 'win2022_21H2_x64_dtc_en-us_40G_alibase_20241211.vhd';

type Ecs = ReturnType<typeof ecsClient>;
type Vpc = ReturnType<typeof vpcClient>;
type Ni = ConstructorParameters<typeof $Ecs.RunInstancesRequestNetworkInterface>[0];

/** Network fixtures and SDK shorthands over one server. */
function toolkit(ecs: Ecs, vpc: Vpc) {
  const t = {
    async vpc(cidrBlock: string) {
      return (await vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId, cidrBlock }))).body!.vpcId!;
    },
    async vswitch(vpcId: string, cidrBlock: string, zoneId = 'cn-hangzhou-i') {
      return (await vpc.createVSwitch(new $Vpc.CreateVSwitchRequest({ regionId, vpcId, cidrBlock, zoneId }))).body!.vSwitchId!;
    },
    async sg(vpcId: string, securityGroupType?: string) {
      return (await ecs.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ regionId, vpcId, securityGroupType }))).body!.securityGroupId!;
    },
    async free(vSwitchId: string) {
      return (await vpc.describeVSwitchAttributes(new $Vpc.DescribeVSwitchAttributesRequest({ regionId, vSwitchId }))).body!.availableIpAddressCount!;
    },
    async eni(vSwitchId: string, securityGroupId: string, extra: Partial<$Ecs.CreateNetworkInterfaceRequest> = {}) {
      return (await ecs.createNetworkInterface(new $Ecs.CreateNetworkInterfaceRequest({ regionId, vSwitchId, securityGroupId, ...extra }))).body!
        .networkInterfaceId!;
    },
    async attr(networkInterfaceId: string) {
      return (await ecs.describeNetworkInterfaceAttribute(new $Ecs.DescribeNetworkInterfaceAttributeRequest({ regionId, networkInterfaceId }))).body!;
    },
    ni(fields: Ni) {
      return new $Ecs.RunInstancesRequestNetworkInterface(fields);
    },
    runRequest(extra: Partial<$Ecs.RunInstancesRequest>) {
      return ecs.runInstances(new $Ecs.RunInstancesRequest({ regionId, instanceType: 'ecs.g7.large', imageId: IMAGE, ...extra }));
    },
    async run(extra: Partial<$Ecs.RunInstancesRequest>) {
      return (await t.runRequest(extra)).body!.instanceIdSets!.instanceIdSet!;
    },
    async instance(extra: Partial<$Ecs.RunInstancesRequest>) {
      return (await t.run(extra))[0]!;
    },
    async describe(extra: Partial<$Ecs.DescribeInstancesRequest> = {}) {
      return (await ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId, ...extra }))).body!;
    },
    async one(instanceId: string) {
      const found = (await t.describe({ instanceIds: JSON.stringify([instanceId]) })).instances!.instance!;
      assert.equal(found.length, 1, `instance ${instanceId} not listed`);
      return found[0]!;
    },
    async ids(extra: Partial<$Ecs.DescribeInstancesRequest>) {
      return (await t.describe({ maxResults: 100, ...extra })).instances!.instance!.map((i) => i.instanceId!);
    },
    async status(instanceId: string) {
      return (await t.one(instanceId)).status!;
    },
    stop: (instanceId: string) => ecs.stopInstance(new $Ecs.StopInstanceRequest({ instanceId })),
    start: (instanceId: string) => ecs.startInstance(new $Ecs.StartInstanceRequest({ instanceId })),
    reboot: (instanceId: string) => ecs.rebootInstance(new $Ecs.RebootInstanceRequest({ instanceId })),
    remove: (instanceId: string, force?: boolean) => ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId, force })),
    attach: (instanceId: string, networkInterfaceId: string) =>
      ecs.attachNetworkInterface(new $Ecs.AttachNetworkInterfaceRequest({ regionId, instanceId, networkInterfaceId })),
    modify: (instanceId: string, extra: Partial<$Ecs.ModifyInstanceAttributeRequest>) =>
      ecs.modifyInstanceAttribute(new $Ecs.ModifyInstanceAttributeRequest({ instanceId, ...extra })),
    join: (extra: Partial<$Ecs.JoinSecurityGroupRequest>) => ecs.joinSecurityGroup(new $Ecs.JoinSecurityGroupRequest(extra)),
    leave: (extra: Partial<$Ecs.LeaveSecurityGroupRequest>) => ecs.leaveSecurityGroup(new $Ecs.LeaveSecurityGroupRequest(extra)),
  };
  return t;
}

describe('Instance actions through the official ECS SDK', () => {
  let server: RunningServer;
  let ecs: Ecs;
  let vpc: Vpc;
  let t: ReturnType<typeof toolkit>;
  let vpcA: string;
  let vpcB: string;
  let vsw: string; // 10.1.0.0/24, cn-hangzhou-i
  let vsw2: string; // 10.2.0.0/24, cn-hangzhou-i
  let vswJ: string; // 10.3.0.0/24, cn-hangzhou-j
  let sg: string;
  let sg2: string;
  let sgB: string;
  // A second server, started in the background while the first one's tests run, where instances
  // spend long enough in Pending, Starting and Stopping for the probing calls to land inside them.
  let slowServer: Promise<RunningServer>;

  before(async () => {
    slowServer = startServer({ args: ['--delays', 'none,instanceCreate=1200,instanceStart=1200,instanceStop=1200'] });
    // The seed document's stricter attach rule (same vSwitch), which the placement tests here assert.
    server = await startServer({ args: ['--attach-locality', 'vswitch'] });
    ecs = ecsClient(server);
    vpc = vpcClient(server);
    t = toolkit(ecs, vpc);
    vpcA = await t.vpc('10.0.0.0/8');
    vpcB = await t.vpc('172.16.0.0/12');
    vsw = await t.vswitch(vpcA, '10.1.0.0/24');
    vsw2 = await t.vswitch(vpcA, '10.2.0.0/24');
    vswJ = await t.vswitch(vpcA, '10.3.0.0/24', 'cn-hangzhou-j');
    sg = await t.sg(vpcA);
    sg2 = await t.sg(vpcA);
    sgB = await t.sg(vpcB);
  });
  after(async () => {
    await server.dispose();
    await (await slowServer).dispose();
  });

  test('RunInstances: a Running instance with a primary ENI from VSwitchId and SecurityGroupId; DescribeInstances shows its network', async () => {
    const free = await t.free(vsw);
    const ids = await t.run({ vSwitchId: vsw, securityGroupId: sg, instanceName: 'web-1', description: 'a web server' });
    assert.equal(ids.length, 1);
    const id = ids[0]!;
    assert.match(id, /^i-bp1[a-z0-9]{17}$/);
    assert.equal(await t.free(vsw), free - 1);
    const i = await t.one(id);
    assert.equal(i.status, 'Running');
    assert.equal(i.instanceName, 'web-1');
    assert.equal(i.description, 'a web server');
    assert.equal(i.hostName, `iZ${id.slice(2)}Z`);
    assert.equal(i.instanceType, 'ecs.g7.large');
    assert.equal(i.instanceTypeFamily, 'ecs.g7');
    assert.equal(i.cpu, 2);
    assert.equal(i.memory, 8192);
    assert.equal(i.zoneId, 'cn-hangzhou-i');
    assert.equal(i.instanceNetworkType, 'vpc');
    assert.match(i.creationTime!, /^\d{4}-\d\d-\d\dT\d\d:\d\dZ$/);
    assert.equal(i.vpcAttributes!.vpcId, vpcA);
    assert.equal(i.vpcAttributes!.vSwitchId, vsw);
    assert.deepEqual(i.securityGroupIds!.securityGroupId, [sg]);
    const nis = i.networkInterfaces!.networkInterface!;
    assert.equal(nis.length, 1);
    assert.equal(nis[0]!.type, 'Primary');
    assert.match(nis[0]!.macAddress!, /^00:16:3e(:[0-9a-f]{2}){3}$/);
    assert.deepEqual(i.vpcAttributes!.privateIpAddress!.ipAddress, [nis[0]!.primaryIpAddress]);
    assert.deepEqual(
      nis[0]!.privateIpSets!.privateIpSet!.map((p) => [p.privateIpAddress, p.primary]),
      [[nis[0]!.primaryIpAddress, true]],
    );
    const eni = await t.attr(nis[0]!.networkInterfaceId!);
    assert.equal(eni.type, 'Primary');
    assert.equal(eni.status, 'InUse');
    assert.equal(eni.instanceId, id);
    assert.equal(eni.macAddress, nis[0]!.macAddress);
    assert.deepEqual(eni.securityGroupIds!.securityGroupId, [sg]);
    // The same instance through DescribeInstanceAttribute.
    const attr = (await ecs.describeInstanceAttribute(new $Ecs.DescribeInstanceAttributeRequest({ instanceId: id }))).body!;
    assert.equal(attr.instanceId, id);
    assert.equal(attr.status, 'Running');
    assert.equal(attr.instanceName, 'web-1');
    assert.equal(attr.ioOptimized, 'optimized');
    assert.equal(attr.vpcAttributes!.vSwitchId, vsw);
    assert.deepEqual(attr.vpcAttributes!.privateIpAddress!.ipAddress, [nis[0]!.primaryIpAddress]);
    assert.deepEqual(attr.securityGroupIds!.securityGroupId, [sg]);
    await expectApiError(
      ecs.describeInstanceAttribute(new $Ecs.DescribeInstanceAttributeRequest({ instanceId: 'i-bp1doesnotexist000000' })),
      'InvalidInstanceId.NotFound',
      404,
    );
  });

  test("RunInstances: NetworkInterface.N creates secondary ENIs with the instance, in the instance's vSwitch and groups unless told otherwise", async () => {
    // Its own vSwitch: fixed addresses must not meet the random picks of other tests.
    const vFixed = await t.vswitch(vpcA, '10.11.0.0/24', 'cn-hangzhou-i');
    const free = await t.free(vFixed);
    const id = await t.instance({
      vSwitchId: vFixed,
      securityGroupId: sg,
      networkInterface: [
        t.ni({
          instanceType: 'Secondary',
          vSwitchId: vFixed,
          securityGroupId: sg2,
          secondaryPrivateIpAddressCount: 2,
          networkInterfaceName: 'data',
          description: 'data plane',
        }),
        t.ni({ primaryIpAddress: '10.11.0.77' }),
      ],
    });
    assert.equal(await t.free(vFixed), free - 5);
    const nis = (await t.one(id)).networkInterfaces!.networkInterface!;
    assert.deepEqual(
      nis.map((n) => n.type),
      ['Primary', 'Secondary', 'Secondary'],
    );
    const data = await t.attr(nis[1]!.networkInterfaceId!);
    assert.equal(data.status, 'InUse');
    assert.equal(data.instanceId, id);
    assert.equal(data.attachment!.deviceIndex, 1);
    assert.equal(data.networkInterfaceName, 'data');
    assert.equal(data.description, 'data plane');
    assert.equal(data.deleteOnRelease, true);
    assert.deepEqual(data.securityGroupIds!.securityGroupId, [sg2]);
    assert.equal(data.privateIpSets!.privateIpSet!.length, 3);
    const second = await t.attr(nis[2]!.networkInterfaceId!);
    assert.equal(second.privateIpAddress, '10.11.0.77');
    assert.equal(second.vSwitchId, vFixed);
    assert.deepEqual(second.securityGroupIds!.securityGroupId, [sg]);
    assert.equal(second.attachment!.deviceIndex, 2);

    // Where an attached ENI could not go, a created one cannot either (same vSwitch with --attach-locality vswitch).
    const before = await t.free(vFixed);
    await expectApiError(
      t.run({ vSwitchId: vFixed, securityGroupId: sg, networkInterface: [t.ni({ vSwitchId: vsw2 })] }),
      'InvalidOperation.VSwitchMismatch',
      403,
    );
    await expectApiError(
      t.run({ vSwitchId: vFixed, securityGroupId: sg, networkInterface: [t.ni({ vSwitchId: vswJ })] }),
      'InvalidOperation.AvailabilityZoneMismatch',
      403,
    );
    // ecs.g7.large takes 3 ENIs, its primary one included.
    await expectApiError(
      t.run({
        vSwitchId: vFixed,
        securityGroupId: sg,
        networkInterface: [t.ni({ instanceType: 'Secondary' }), t.ni({ instanceType: 'Secondary' }), t.ni({ instanceType: 'Secondary' })],
      }),
      'EniPerInstanceLimitExceeded',
      403,
    );
    // More addresses on an ENI than the type allows (6 for ecs.g7.large).
    await expectApiError(
      t.run({ vSwitchId: vFixed, securityGroupId: sg, networkInterface: [t.ni({ secondaryPrivateIpAddressCount: 6 })] }),
      'InvalidOperation.Ipv4CountExceeded',
      403,
    );
    assert.equal(await t.free(vFixed), before);
  });

  test('RunInstances: an existing ENI as the primary one; the instance inherits its address, MAC and security groups', async () => {
    // Its own vSwitch: fixed addresses must not meet the random picks of other tests.
    const vFixed = await t.vswitch(vpcA, '10.13.0.0/24', 'cn-hangzhou-i');
    const eniId = await t.eni(vFixed, sg2, { primaryIpAddress: '10.13.0.50', secondaryPrivateIpAddressCount: 1 });
    const eni = await t.attr(eniId);
    const free = await t.free(vFixed);
    const id = await t.instance({ networkInterface: [t.ni({ instanceType: 'Primary', networkInterfaceId: eniId })] });
    assert.equal(await t.free(vFixed), free);
    const i = await t.one(id);
    assert.equal(i.vpcAttributes!.vSwitchId, vFixed);
    assert.deepEqual(i.vpcAttributes!.privateIpAddress!.ipAddress, ['10.13.0.50']);
    assert.deepEqual(i.securityGroupIds!.securityGroupId, [sg2]);
    const primary = i.networkInterfaces!.networkInterface![0]!;
    assert.equal(primary.networkInterfaceId, eniId);
    assert.equal(primary.type, 'Primary');
    assert.equal(primary.macAddress, eni.macAddress);
    assert.equal(primary.privateIpSets!.privateIpSet!.length, 2);
    const after = await t.attr(eniId);
    assert.equal(after.type, 'Primary');
    assert.equal(after.status, 'InUse');
    assert.equal(after.instanceId, id);
    // ENIs in use cannot be a new instance's primary ENI.
    await expectApiError(t.run({ networkInterface: [t.ni({ instanceType: 'Primary', networkInterfaceId: eniId })] }), 'InvalidOperation.InvalidEniState', 400);
    await expectApiError(
      t.run({ networkInterface: [t.ni({ instanceType: 'Primary', networkInterfaceId: 'eni-bp1doesnotexist00000' })] }),
      'InvalidEniId.NotFound',
      404,
    );
  });

  test('RunInstances: security groups, a vSwitch or an address given together with an existing primary ENI are refused', async () => {
    const eniId = await t.eni(vsw, sg);
    const primary = t.ni({ instanceType: 'Primary', networkInterfaceId: eniId });
    await expectApiError(t.run({ securityGroupId: sg, networkInterface: [primary] }), 'InvalidParam.NetworkInterface', 400);
    await expectApiError(t.run({ securityGroupIds: [sg], networkInterface: [primary] }), 'InvalidParam.NetworkInterface', 400);
    await expectApiError(t.run({ vSwitchId: vsw, networkInterface: [primary] }), 'InvalidParam.NetworkInterface', 400);
    await expectApiError(t.run({ privateIpAddress: '10.1.0.90', networkInterface: [primary] }), 'InvalidParam.NetworkInterface', 400);
    await expectApiError(
      t.run({ networkInterface: [t.ni({ instanceType: 'Primary', networkInterfaceId: eniId, securityGroupId: sg2 })] }),
      'InvalidParam.NetworkInterface',
      400,
    );
    await expectApiError(
      t.run({ networkInterface: [primary, t.ni({ instanceType: 'Primary', vSwitchId: vsw, securityGroupId: sg })] }),
      'InvalidParam.NetworkInterface',
      400,
    );
    // An existing ENI goes to one instance only.
    await expectApiError(t.run({ amount: 2, networkInterface: [primary] }), 'InvalidParam.NetworkInterface', 400);
    const eni = await t.attr(eniId);
    assert.equal(eni.status, 'Available');
    assert.equal(eni.type, 'Secondary');
  });

  test('RunInstances: an existing ENI as a secondary ENI of a new instance', async () => {
    const eniId = await t.eni(vsw, sg2, { networkInterfaceName: 'kept' });
    const id = await t.instance({ vSwitchId: vsw, securityGroupId: sg, networkInterface: [t.ni({ instanceType: 'Secondary', networkInterfaceId: eniId })] });
    const eni = await t.attr(eniId);
    assert.equal(eni.status, 'InUse');
    assert.equal(eni.type, 'Secondary');
    assert.equal(eni.instanceId, id);
    assert.equal(eni.attachment!.deviceIndex, 1);
    assert.equal(eni.deleteOnRelease, false);
    assert.deepEqual(eni.securityGroupIds!.securityGroupId, [sg2]);
    assert.deepEqual((await t.one(id)).networkInterfaces!.networkInterface!.map((n) => n.networkInterfaceId).slice(1), [eniId]);
    // Busy, in another vSwitch of the zone (with --attach-locality vswitch), or in another VPC: refused.
    await expectApiError(
      t.run({ vSwitchId: vsw, securityGroupId: sg, networkInterface: [t.ni({ networkInterfaceId: eniId })] }),
      'InvalidOperation.InvalidEniState',
      400,
    );
    const elsewhere = await t.eni(vsw2, sg);
    await expectApiError(
      t.run({ vSwitchId: vsw, securityGroupId: sg, networkInterface: [t.ni({ networkInterfaceId: elsewhere })] }),
      'InvalidOperation.VSwitchMismatch',
      403,
    );
    const vswB = await t.vswitch(vpcB, '172.16.0.0/24');
    const foreign = await t.eni(vswB, sgB);
    await expectApiError(
      t.run({ vSwitchId: vsw, securityGroupId: sg, networkInterface: [t.ni({ networkInterfaceId: foreign })] }),
      'InvalidOperation.VpcMismatch',
      403,
    );
    await expectApiError(
      t.run({ vSwitchId: vsw, securityGroupId: sg, networkInterface: [t.ni({ networkInterfaceId: elsewhere, vSwitchId: vsw2 })] }),
      'InvalidParam.NetworkInterface',
      400,
    );
  });

  test('RunInstances: secondary ENIs at creation on a type without hot-plug are refused, and nothing is created', async () => {
    const free = await t.free(vsw);
    const eniId = await t.eni(vsw, sg);
    for (const instanceType of ['ecs.t6-c1m1.large', 'ecs.e-c1m4.large', 'ecs.s6-c1m2.large', 'ecs.n4.small']) {
      await expectApiError(
        t.run({ instanceType, vSwitchId: vsw, securityGroupId: sg, networkInterface: [t.ni({ instanceType: 'Secondary' })] }),
        'InvalidInstanceType.ElasticNetworkInterfaceNotSupported',
        400,
      );
      await expectApiError(
        t.run({ instanceType, vSwitchId: vsw, securityGroupId: sg, networkInterface: [t.ni({ networkInterfaceId: eniId })] }),
        'InvalidInstanceType.ElasticNetworkInterfaceNotSupported',
        400,
      );
    }
    assert.equal(await t.free(vsw), free - 1);
    assert.equal((await t.attr(eniId)).status, 'Available');
    // Without secondary ENIs these types run; their hot-plug-capable siblings take secondaries at creation.
    await t.instance({ instanceType: 'ecs.t6-c1m1.large', vSwitchId: vsw, securityGroupId: sg });
    const ok = await t.instance({
      instanceType: 'ecs.t6-c1m4.xlarge',
      vSwitchId: vsw,
      securityGroupId: sg,
      networkInterface: [t.ni({ instanceType: 'Secondary' })],
    });
    assert.equal((await t.one(ok)).networkInterfaces!.networkInterface!.length, 2);
  });

  test('RunInstances: Amount with PrivateIpAddress gives consecutive addresses; a range that runs into reserved addresses is refused whole', async () => {
    const vswC = await t.vswitch(vpcA, '10.9.0.0/24');
    const ids = await t.run({ vSwitchId: vswC, securityGroupId: sg, amount: 3, privateIpAddress: '10.9.0.20' });
    assert.equal(ids.length, 3);
    const addresses = await Promise.all(ids.map(async (id) => (await t.one(id)).vpcAttributes!.privateIpAddress!.ipAddress![0]));
    assert.deepEqual(addresses, ['10.9.0.20', '10.9.0.21', '10.9.0.22']);
    const free = await t.free(vswC);
    await expectApiError(t.run({ vSwitchId: vswC, securityGroupId: sg, amount: 3, privateIpAddress: '10.9.0.251' }), 'InvalidPrivateIpAddress', 400);
    await expectApiError(t.run({ vSwitchId: vswC, securityGroupId: sg, amount: 2, privateIpAddress: '10.9.0.19' }), 'InvalidPrivateIpAddress.Duplicated', 400);
    await expectApiError(
      t.run({ vSwitchId: vswC, securityGroupId: sg, amount: 2, privateIpAddress: '10.9.0.100', networkInterface: [t.ni({ instanceType: 'Secondary' })] }),
      'InvalidParam.NetworkInterface',
      400,
    );
    assert.equal(await t.free(vswC), free);
    // Amount without an address: each instance gets its own.
    const more = await t.run({ vSwitchId: vswC, securityGroupId: sg, amount: 4 });
    assert.equal(new Set(more).size, 4);
    assert.equal(await t.free(vswC), free - 4);
  });

  test("RunInstances: unknown types and images, bad names, and network problems answer with RunInstances' codes", async () => {
    const run = (extra: Partial<$Ecs.RunInstancesRequest>) => t.run({ vSwitchId: vsw, securityGroupId: sg, ...extra });
    const free = await t.free(vsw);
    await expectApiError(run({ instanceType: 'ecs.nosuch.large' }), 'InvalidInstanceType.ValueNotSupported', 400);
    await expectApiError(run({ imageId: 'm-bp1doesnotexist00000' }), 'InvalidImageId.NotFound', 404);
    await expectApiError(run({ instanceName: '1st-server' }), 'InvalidInstanceName.Malformed', 400);
    await expectApiError(run({ description: 'http://example.com' }), 'InvalidDescription.Malformed', 400);
    await expectApiError(run({ hostName: '-web' }), 'InvalidHostName.Malformed', 400);
    await expectApiError(run({ hostName: 'web..1' }), 'InvalidHostName.Malformed', 400);
    await expectApiError(run({ imageId: WINDOWS, hostName: 'a-windows-host-name-too-long' }), 'InvalidHostName.Malformed', 400);
    await expectApiError(run({ privateIpAddress: '10.2.0.9' }), 'InvalidPrivateIpAddress', 400);
    await expectApiError(run({ privateIpAddress: '10.1.0.255' }), 'InvalidPrivateIpAddress', 400);
    await expectApiError(run({ privateIpAddress: '10.1.0' }), 'InvalidPrivateIpAddress.Malformed', 400);
    await expectApiError(t.run({ securityGroupId: sg }), 'InvalidVSwitchId.Necessary', 400);
    await expectApiError(t.run({ vSwitchId: vsw }), 'MissingParameter', 400);
    await expectApiError(run({ securityGroupId: sgB }), 'InvalidParameter.Mismatch', 400);
    await expectApiError(run({ zoneId: 'cn-hangzhou-j' }), 'InvalidParameter.Mismatch', 400);
    await expectApiError(run({ vSwitchId: 'vsw-bp1doesnotexist000000' }), 'InvalidVSwitchId.NotFound', 404);
    await expectApiError(run({ securityGroupId: 'sg-bp1doesnotexist00000' }), 'InvalidSecurityGroupId.NotFound', 404);
    await expectApiError(run({ securityGroupId: sg, securityGroupIds: [sg2] }), 'InvalidParameter.Conflict', 400);
    await expectApiError(
      run({ securityGroupId: undefined, securityGroupIds: [sg, sg2, await t.sg(vpcA), await t.sg(vpcA), await t.sg(vpcA), await t.sg(vpcA)] }),
      'JoinedGroupLimitExceed',
      400,
    );
    // Subscription instances are not modelled (InternetMaxBandwidthOut > 0 is: a public IP, test/api/instance-fidelity.test.ts).
    await expectApiError(run({ instanceChargeType: 'PrePaid' }), 'UnsupportedParameter', 400);
    assert.equal(await t.free(vsw), free);
    // A taken address, and a full vSwitch.
    const taken = (await t.one(await t.instance({ vSwitchId: vsw, securityGroupId: sg }))).vpcAttributes!.privateIpAddress!.ipAddress![0]!;
    await expectApiError(run({ privateIpAddress: taken }), 'InvalidPrivateIpAddress.Duplicated', 400);
    const tiny = await t.vswitch(vpcA, '10.8.0.0/29');
    await t.run({ vSwitchId: tiny, securityGroupId: sg, amount: 4 });
    await expectApiError(t.run({ vSwitchId: tiny, securityGroupId: sg }), 'QuotaExceeded.PrivateIpAddress', 400);
    // Names and host names that are fine; a Windows host name obeys Windows' rule.
    const named = await t.instance({ vSwitchId: vsw, securityGroupId: sg, instanceName: 'db:primary_1.a-b', hostName: 'db-1.internal' });
    assert.equal((await t.one(named)).hostName, 'db-1.internal');
    const win = await t.instance({ vSwitchId: vsw, securityGroupId: sg, imageId: WINDOWS, hostName: 'WIN-DB01' });
    assert.equal((await t.one(win)).OSType, 'windows');
  });

  test('CreateInstance: one instance that ends Stopped; StartInstance makes it Running', async () => {
    // Its own vSwitch: fixed addresses must not meet the random picks of other tests.
    const vFixed = await t.vswitch(vpcA, '10.12.0.0/24', 'cn-hangzhou-i');
    const id = (
      await ecs.createInstance(
        new $Ecs.CreateInstanceRequest({
          regionId,
          instanceType: 'ecs.g7.large',
          imageId: IMAGE,
          vSwitchId: vFixed,
          securityGroupId: sg,
          privateIpAddress: '10.12.0.150',
        }),
      )
    ).body!.instanceId!;
    const i = await t.one(id);
    assert.equal(i.status, 'Stopped');
    assert.equal(i.startTime, '');
    assert.deepEqual(i.vpcAttributes!.privateIpAddress!.ipAddress, ['10.12.0.150']);
    await t.start(id);
    const started = await t.one(id);
    assert.equal(started.status, 'Running');
    assert.match(started.startTime!, /^\d{4}-\d\d-\d\dT\d\d:\d\dZ$/);
    await expectApiError(
      ecs.createInstance(
        new $Ecs.CreateInstanceRequest({
          regionId,
          instanceType: 'ecs.g7.large',
          imageId: IMAGE,
          vSwitchId: vFixed,
          securityGroupId: sg,
          privateIpAddress: '10.12.0.150',
        }),
      ),
      'InvalidPrivateIpAddress.Duplicated',
      400,
    );
  });

  test('StartInstance / StopInstance / RebootInstance: each needs the right state (IncorrectInstanceStatus)', async () => {
    const id = await t.instance({ vSwitchId: vsw, securityGroupId: sg });
    await expectApiError(t.start(id), 'IncorrectInstanceStatus', 403);
    await t.reboot(id);
    assert.equal(await t.status(id), 'Running');
    await t.stop(id);
    assert.equal(await t.status(id), 'Stopped');
    await expectApiError(t.stop(id), 'IncorrectInstanceStatus', 403);
    await expectApiError(t.reboot(id), 'IncorrectInstanceStatus', 403);
    await t.start(id);
    assert.equal(await t.status(id), 'Running');
    for (const call of [t.start, t.stop, t.reboot, (i: string) => t.remove(i)]) {
      await expectApiError(call('i-bp1doesnotexist000000'), 'InvalidInstanceId.NotFound', 404);
    }
  });

  test('RunInstances / StartInstance / StopInstance / RebootInstance: Pending, Starting, Stopping are seen by polling', async () => {
    const slow = await slowServer;
    {
      const s = toolkit(ecsClient(slow), vpcClient(slow));
      const vpcId = await s.vpc('10.0.0.0/8');
      const v = await s.vswitch(vpcId, '10.1.0.0/24');
      const g = await s.sg(vpcId);
      const g2 = await s.sg(vpcId);
      const id = await s.instance({ vSwitchId: v, securityGroupId: g });
      assert.equal(await s.status(id), 'Pending');
      // Nothing but Running or Stopped instances take these.
      await expectApiError(s.stop(id), 'IncorrectInstanceStatus', 403);
      await expectApiError(s.join({ instanceId: id, securityGroupId: g2 }), 'IncorrectInstanceStatus', 403);
      await expectApiError(s.modify(id, { hostName: 'early' }), 'IncorrectInstanceStatus', 403);
      await expectApiError(s.remove(id, true), 'IncorrectInstanceStatus', 403);
      assert.deepEqual(await pollUntil(() => s.status(id), 'Running'), ['Pending', 'Starting', 'Running']);
      await s.stop(id);
      await expectApiError(s.start(id), 'IncorrectInstanceStatus', 403);
      await expectApiError(s.remove(id), 'IncorrectInstanceStatus', 403);
      assert.deepEqual(await pollUntil(() => s.status(id), 'Stopped'), ['Stopping', 'Stopped']);
      await s.start(id);
      assert.deepEqual(await pollUntil(() => s.status(id), 'Running'), ['Starting', 'Running']);
      await s.reboot(id);
      assert.deepEqual(await pollUntil(() => s.status(id), 'Running'), ['Stopping', 'Starting', 'Running']);
      // DescribeInstanceStatus agrees.
      await s.stop(id);
      const statuses = (await ecsClient(slow).describeInstanceStatus(new $Ecs.DescribeInstanceStatusRequest({ regionId, instanceId: [id] }))).body!;
      assert.deepEqual(
        statuses.instanceStatuses!.instanceStatus!.map((x) => [x.instanceId, x.status]),
        [[id, 'Stopping']],
      );
      // CreateInstance: Pending, then Stopped.
      const created = (
        await ecsClient(slow).createInstance(
          new $Ecs.CreateInstanceRequest({ regionId, instanceType: 'ecs.g7.large', imageId: IMAGE, vSwitchId: v, securityGroupId: g }),
        )
      ).body!.instanceId!;
      assert.deepEqual(await pollUntil(() => s.status(created), 'Stopped'), ['Pending', 'Stopped']);
    }
  });

  test('DeleteInstance: Stopped, or Running with Force; DeleteOnRelease ENIs go with it, the others stay Available, a kept primary ENI becomes Secondary', async () => {
    const vswD = await t.vswitch(vpcA, '10.5.0.0/24');
    const start = await t.free(vswD);
    const ownPrimary = await t.eni(vswD, sg2, { primaryIpAddress: '10.5.0.10', secondaryPrivateIpAddressCount: 1 });
    const keptSecondary = await t.eni(vswD, sg);
    const releasedSecondary = await t.eni(vswD, sg, { deleteOnRelease: true });
    const id = await t.instance({
      instanceType: 'ecs.g7.xlarge',
      networkInterface: [
        t.ni({ instanceType: 'Primary', networkInterfaceId: ownPrimary }),
        t.ni({ instanceType: 'Secondary', secondaryPrivateIpAddressCount: 2 }),
      ],
    });
    await t.attach(id, keptSecondary);
    await t.attach(id, releasedSecondary);
    const created = (await t.one(id)).networkInterfaces!.networkInterface!.find(
      (n) => n.type === 'Secondary' && ![keptSecondary, releasedSecondary].includes(n.networkInterfaceId!),
    )!.networkInterfaceId!;
    // 2 + 1 + 1 addresses of the ENIs made beforehand, 3 of the one made with the instance.
    assert.equal(await t.free(vswD), start - 7);

    await expectApiError(t.remove(id), 'IncorrectInstanceStatus', 403);
    await t.stop(id);
    await t.remove(id);
    assert.deepEqual(await t.ids({ instanceIds: JSON.stringify([id]) }), []);
    // The ENI created with the instance and the one marked DeleteOnRelease are gone with their addresses.
    for (const gone of [created, releasedSecondary]) await expectApiError(t.attr(gone), 'InvalidEniId.NotFound', 404);
    assert.equal(await t.free(vswD), start - 3);
    const kept = await t.attr(keptSecondary);
    assert.equal(kept.status, 'Available');
    assert.equal(kept.instanceId, '');
    const former = await t.attr(ownPrimary);
    assert.equal(former.type, 'Secondary');
    assert.equal(former.status, 'Available');
    assert.equal(former.instanceId, '');
    assert.equal(former.privateIpAddress, '10.5.0.10');
    assert.equal(former.privateIpSets!.privateIpSet!.length, 2);
    assert.deepEqual(former.securityGroupIds!.securityGroupId, [sg2]);
    await expectApiError(t.remove(id), 'InvalidInstanceId.NotFound', 404);

    // Force releases a Running instance; its own primary ENI goes with it.
    const running = await t.instance({ vSwitchId: vswD, securityGroupId: sg });
    const primary = (await t.one(running)).networkInterfaces!.networkInterface![0]!.networkInterfaceId!;
    await expectApiError(t.remove(running, false), 'IncorrectInstanceStatus', 403);
    await t.remove(running, true);
    await expectApiError(t.attr(primary), 'InvalidEniId.NotFound', 404);
    assert.equal(await t.free(vswD), start - 3);

    // Deletion protection holds until it is turned off.
    const protectedId = await t.instance({ vSwitchId: vswD, securityGroupId: sg, deletionProtection: true });
    assert.equal((await t.one(protectedId)).deletionProtection, true);
    await expectApiError(t.remove(protectedId, true), 'InvalidOperation.DeletionProtection', 403);
    await t.modify(protectedId, { deletionProtection: false });
    await t.remove(protectedId, true);
    assert.equal(await t.free(vswD), start - 3);
  });

  test('DescribeInstances: every filter, and both paging styles walk every instance once in a stable order', async () => {
    const vpcF = await t.vpc('192.168.0.0/16');
    const f1 = await t.vswitch(vpcF, '192.168.1.0/24');
    const f2 = await t.vswitch(vpcF, '192.168.2.0/24', 'cn-hangzhou-j');
    const fs1 = await t.sg(vpcF);
    const fs2 = await t.sg(vpcF);
    const batch = await t.run({
      vSwitchId: f1,
      securityGroupId: fs1,
      amount: 10,
      instanceName: 'batch',
      tag: [new $Ecs.RunInstancesRequestTag({ key: 'role', value: 'worker' })],
    });
    const g6 = await t.instance({
      vSwitchId: f2,
      securityGroupId: fs2,
      instanceType: 'ecs.g6.large',
      instanceName: 'db-main',
      privateIpAddress: '192.168.2.50',
    });
    const g6b = await t.instance({ vSwitchId: f2, securityGroupId: fs2, instanceType: 'ecs.g6.xlarge', instanceName: 'db-replica' });
    await t.stop(g6b);
    const all = [...batch, g6, g6b];
    const sorted = (ids: string[]) => [...ids].sort();
    const ids = async (extra: Partial<$Ecs.DescribeInstancesRequest>) => sorted(await t.ids({ vpcId: vpcF, ...extra }));

    assert.deepEqual(await ids({}), sorted(all));
    assert.deepEqual(sorted(await t.ids({ instanceIds: JSON.stringify([g6, batch[0]]) })), sorted([g6, batch[0]!]));
    assert.deepEqual(await ids({ instanceIds: '[]' }), []);
    assert.deepEqual(await ids({ vSwitchId: f2 }), sorted([g6, g6b]));
    assert.deepEqual(await ids({ zoneId: 'cn-hangzhou-i' }), sorted(batch));
    assert.deepEqual(await ids({ securityGroupId: fs2 }), sorted([g6, g6b]));
    assert.deepEqual(await ids({ privateIpAddresses: JSON.stringify(['192.168.2.50']) }), [g6]);
    assert.deepEqual(await ids({ instanceName: 'db-*' }), sorted([g6, g6b]));
    assert.deepEqual(await ids({ instanceName: 'db-main' }), [g6]);
    assert.deepEqual(await ids({ instanceType: 'ecs.g6.large' }), [g6]);
    assert.deepEqual(await ids({ instanceTypeFamily: 'ecs.g6' }), sorted([g6, g6b]));
    assert.deepEqual(await ids({ status: 'Stopped' }), [g6b]);
    assert.deepEqual(await ids({ status: 'Running', vSwitchId: f2 }), [g6]);
    assert.deepEqual(await ids({ instanceNetworkType: 'vpc', vSwitchId: f2 }), sorted([g6, g6b]));
    assert.deepEqual(await ids({ instanceNetworkType: 'classic' }), []);
    assert.deepEqual(await ids({ tag: [new $Ecs.DescribeInstancesRequestTag({ key: 'role', value: 'worker' })] }), sorted(batch));
    const tagged = await t.one(batch[0]!);
    assert.deepEqual(
      tagged.tags!.tag!.map((x) => [x.tagKey, x.tagValue]),
      [['role', 'worker']],
    );

    const order = await t.ids({ vpcId: vpcF });
    assert.equal(order.length, 12);
    const walked: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = await t.describe({ vpcId: vpcF, maxResults: 10, ...(nextToken ? { nextToken } : {}) });
      pages++;
      walked.push(...page.instances!.instance!.map((i) => i.instanceId!));
      nextToken = page.nextToken || undefined;
    } while (nextToken);
    assert.equal(pages, 2);
    assert.deepEqual(walked, order);
    const paged: string[] = [];
    for (let pageNumber = 1; pageNumber <= 3; pageNumber++) {
      const page = await t.describe({ vpcId: vpcF, pageNumber, pageSize: 5 });
      assert.equal(page.totalCount, 12);
      assert.equal(page.pageNumber, pageNumber);
      paged.push(...page.instances!.instance!.map((i) => i.instanceId!));
    }
    assert.deepEqual(paged, order);
    await expectApiError(t.describe({ pageSize: 101 }), 'InvalidParameter', 400);
  });

  test('DescribeInstanceStatus: statuses of the region, by InstanceId.N and by zone, paged by PageNumber/PageSize (at most 50)', async () => {
    const a = await t.instance({ vSwitchId: vsw, securityGroupId: sg });
    const b = await t.instance({ vSwitchId: vsw, securityGroupId: sg });
    await t.stop(b);
    const status = async (extra: Partial<$Ecs.DescribeInstanceStatusRequest>) =>
      (await ecs.describeInstanceStatus(new $Ecs.DescribeInstanceStatusRequest({ regionId, ...extra }))).body!;
    const byId = await status({ instanceId: [a, b] });
    assert.equal(byId.totalCount, 2);
    assert.deepEqual(
      byId.instanceStatuses!.instanceStatus!.map((x) => [x.instanceId, x.status]),
      [
        [a, 'Running'],
        [b, 'Stopped'],
      ],
    );
    const everything = await status({ pageSize: 50 });
    const total = everything.totalCount!;
    assert.ok(total >= 2);
    const seen: string[] = [];
    for (let pageNumber = 1; seen.length < total; pageNumber++) {
      const page = await status({ pageNumber, pageSize: 7 });
      assert.equal(page.pageSize, 7);
      assert.equal(page.pageNumber, pageNumber);
      seen.push(...page.instanceStatuses!.instanceStatus!.map((x) => x.instanceId!));
    }
    assert.equal(new Set(seen).size, total);
    assert.equal((await status({ zoneId: 'cn-hangzhou-b' })).totalCount, 0);
    assert.ok((await status({ zoneId: 'cn-hangzhou-i', instanceId: [a] })).totalCount === 1);
    await expectApiError(status({ pageSize: 51 }), 'InvalidParameter', 400);
  });

  test('ModifyInstanceAttribute: name, description, host name and deletion protection; malformed values are refused', async () => {
    const id = await t.instance({ vSwitchId: vsw, securityGroupId: sg });
    await t.modify(id, { instanceName: 'renamed', description: 'the new text', hostName: 'app-01.example', deletionProtection: true });
    const attr = (await ecs.describeInstanceAttribute(new $Ecs.DescribeInstanceAttributeRequest({ instanceId: id }))).body!;
    assert.equal(attr.instanceName, 'renamed');
    assert.equal(attr.description, 'the new text');
    assert.equal(attr.hostName, 'app-01.example');
    const i = await t.one(id);
    assert.equal(i.deletionProtection, true);
    await expectApiError(t.modify(id, { instanceName: 'x' }), 'InvalidInstanceName.Malformed', 400);
    await expectApiError(t.modify(id, { instanceName: 'https://x.example' }), 'InvalidInstanceName.Malformed', 400);
    await expectApiError(t.modify(id, { description: 'http://x' }), 'InvalidDescription.Malformed', 400);
    await expectApiError(t.modify(id, { hostName: 'bad_host' }), 'InvalidHostName.Malformed', 400);
    await expectApiError(t.modify(id, { hostName: 'a'.repeat(65) }), 'InvalidHostName.Malformed', 400);
    await expectApiError(t.modify('i-bp1doesnotexist000000', { instanceName: 'nobody' }), 'InvalidInstanceId.NotFound', 404);
    assert.equal((await t.one(id)).instanceName, 'renamed');
  });

  test("ModifyInstanceAttribute: SecurityGroupIds.N replaces the instance's groups, which are its primary ENI's", async () => {
    const id = await t.instance({ vSwitchId: vsw, securityGroupId: sg });
    const primary = (await t.one(id)).networkInterfaces!.networkInterface![0]!.networkInterfaceId!;
    await t.modify(id, { securityGroupIds: [sg2, sg] });
    assert.deepEqual((await t.one(id)).securityGroupIds!.securityGroupId, [sg2, sg]);
    assert.deepEqual((await t.attr(primary)).securityGroupIds!.securityGroupId, [sg2, sg]);
    await t.modify(id, { securityGroupIds: [sg2] });
    assert.deepEqual((await t.attr(primary)).securityGroupIds!.securityGroupId, [sg2]);
    await expectApiError(t.modify(id, { securityGroupIds: [sgB] }), 'InvalidInstanceId.Mismatch', 400);
    await expectApiError(t.modify(id, { securityGroupIds: ['sg-bp1doesnotexist00000'] }), 'InvalidSecurityGroupId.NotFound', 404);
    await expectApiError(t.modify(id, { securityGroupIds: [sg, sg] }), 'InvalidParameter', 400);
    await expectApiError(t.modify(id, { securityGroupIds: [sg, await t.sg(vpcA, 'enterprise')] }), 'InvalidOperation.MultiGroupType', 400);
    const six = [sg, sg2, await t.sg(vpcA), await t.sg(vpcA), await t.sg(vpcA), await t.sg(vpcA)];
    await expectApiError(t.modify(id, { securityGroupIds: six }), 'JoinedGroupLimitExceed', 400);
    await t.modify(id, { securityGroupIds: six.slice(0, 5) });
    assert.deepEqual((await t.one(id)).securityGroupIds!.securityGroupId, six.slice(0, 5));
    // The instance is found by its group through DescribeInstances.
    assert.ok((await t.ids({ securityGroupId: six[4] })).includes(id));
  });

  test("JoinSecurityGroup / LeaveSecurityGroup: an instance joins and leaves through its primary ENI, within the cloud's rules", async () => {
    const id = await t.instance({ vSwitchId: vsw, securityGroupId: sg });
    await t.join({ instanceId: id, securityGroupId: sg2 });
    assert.deepEqual((await t.one(id)).securityGroupIds!.securityGroupId, [sg, sg2]);
    await expectApiError(t.join({ instanceId: id, securityGroupId: sg2 }), 'InvalidInstanceId.AlreadyExists', 403);
    await expectApiError(t.join({ instanceId: id, securityGroupId: sgB }), 'InvalidInstanceId.Mismatch', 400);
    await expectApiError(t.join({ instanceId: id, securityGroupId: 'sg-bp1doesnotexist00000' }), 'InvalidSecurityGroupId.NotFound', 404);
    await expectApiError(t.join({ instanceId: id, securityGroupId: await t.sg(vpcA, 'enterprise') }), 'InvalidOperation.MultiGroupType', 400);
    await expectApiError(t.join({ instanceId: 'i-bp1doesnotexist000000', securityGroupId: sg2 }), 'InvalidInstanceId.NotFound', 404);
    for (let i = 0; i < 3; i++) await t.join({ instanceId: id, securityGroupId: await t.sg(vpcA) });
    assert.equal((await t.one(id)).securityGroupIds!.securityGroupId!.length, 5);
    await expectApiError(t.join({ instanceId: id, securityGroupId: await t.sg(vpcA) }), 'InstanceSecurityGroupLimitExceeded', 400);

    await t.leave({ instanceId: id, securityGroupId: sg2 });
    assert.ok(!(await t.one(id)).securityGroupIds!.securityGroupId!.includes(sg2));
    await expectApiError(t.leave({ instanceId: id, securityGroupId: sg2 }), 'InvalidSecurityGroupAssociation.NotFound', 400);
    for (const g of (await t.one(id)).securityGroupIds!.securityGroupId!.slice(1)) await t.leave({ instanceId: id, securityGroupId: g });
    assert.deepEqual((await t.one(id)).securityGroupIds!.securityGroupId, [sg]);
    await expectApiError(t.leave({ instanceId: id, securityGroupId: sg }), 'InstanceLastSecurityGroup', 403);
    // Both targets, or neither.
    const eniId = await t.eni(vsw, sg);
    await expectApiError(
      t.join({ regionId, instanceId: id, networkInterfaceId: eniId, securityGroupId: sg2 }),
      'InvalidParam.EniIdAndInstanceId.Conflict',
      403,
    );
    await expectApiError(
      t.leave({ regionId, instanceId: id, networkInterfaceId: eniId, securityGroupId: sg }),
      'InvalidParam.EniIdAndInstanceId.Conflict',
      403,
    );
    await expectApiError(t.join({ regionId, securityGroupId: sg2 }), 'MissingParameter', 400);
  });

  test("JoinSecurityGroup / LeaveSecurityGroup: a secondary ENI, with RegionId; a primary ENI is the instance's business", async () => {
    const eniId = await t.eni(vsw, sg);
    await expectApiError(t.join({ networkInterfaceId: eniId, securityGroupId: sg2 }), 'MissingParameter.RegionId', 400);
    await t.join({ regionId, networkInterfaceId: eniId, securityGroupId: sg2 });
    assert.deepEqual((await t.attr(eniId)).securityGroupIds!.securityGroupId, [sg, sg2]);
    await expectApiError(t.join({ regionId, networkInterfaceId: eniId, securityGroupId: sg2 }), 'InvalidInstanceId.AlreadyExists', 403);
    await expectApiError(t.join({ regionId, networkInterfaceId: eniId, securityGroupId: sgB }), 'InvalidOperation.VpcMismatch', 403);
    await expectApiError(t.join({ regionId, networkInterfaceId: 'eni-bp1doesnotexist00000', securityGroupId: sg2 }), 'InvalidEniId.NotFound', 404);
    await t.leave({ regionId, networkInterfaceId: eniId, securityGroupId: sg });
    assert.deepEqual((await t.attr(eniId)).securityGroupIds!.securityGroupId, [sg2]);
    await expectApiError(t.leave({ regionId, networkInterfaceId: eniId, securityGroupId: sg2 }), 'InstanceLastSecurityGroup', 403);
    await expectApiError(t.leave({ regionId, networkInterfaceId: eniId, securityGroupId: sg }), 'InvalidSecurityGroupAssociation.NotFound', 400);
    const instance = await t.instance({ vSwitchId: vsw, securityGroupId: sg });
    const primary = (await t.one(instance)).networkInterfaces!.networkInterface![0]!.networkInterfaceId!;
    await expectApiError(t.join({ regionId, networkInterfaceId: primary, securityGroupId: sg2 }), 'InvalidOperation.InvalidEniType', 403);
    await expectApiError(t.leave({ regionId, networkInterfaceId: primary, securityGroupId: sg }), 'InvalidOperation.InvalidEniType', 403);
    // An attached secondary ENI changes groups too, and DescribeNetworkInterfaces finds it by group.
    await t.attach(instance, eniId);
    await t.join({ regionId, networkInterfaceId: eniId, securityGroupId: sg });
    const found = (await ecs.describeNetworkInterfaces(new $Ecs.DescribeNetworkInterfacesRequest({ regionId, securityGroupId: sg2, instanceId: instance })))
      .body!;
    assert.deepEqual(
      found.networkInterfaceSets!.networkInterfaceSet!.map((e) => e.networkInterfaceId),
      [eniId],
    );
  });

  test("DeleteSecurityGroup: refused while an instance or an ENI is in the group (DependencyViolation); DescribeSecurityGroups counts the group's addresses in EcsCount", async () => {
    const vpcG = await t.vpc('10.0.0.0/16');
    const v = await t.vswitch(vpcG, '10.0.1.0/24');
    const forEni = await t.sg(vpcG);
    const forInstance = await t.sg(vpcG);
    const other = await t.sg(vpcG);
    const del = (securityGroupId: string) => ecs.deleteSecurityGroup(new $Ecs.DeleteSecurityGroupRequest({ regionId, securityGroupId }));
    const ecsCount = async (securityGroupId: string) =>
      (await ecs.describeSecurityGroups(new $Ecs.DescribeSecurityGroupsRequest({ regionId, securityGroupId }))).body!.securityGroups!.securityGroup![0]!
        .ecsCount;

    const eniId = await t.eni(v, forEni, { secondaryPrivateIpAddressCount: 2 });
    const instance = await t.instance({ vSwitchId: v, securityGroupId: forInstance, networkInterface: [t.ni({ securityGroupId: forEni })] });
    assert.equal(await ecsCount(forEni), 4);
    assert.equal(await ecsCount(forInstance), 1);
    assert.equal(await ecsCount(other), 0);
    await expectApiError(del(forEni), 'DependencyViolation', 403);
    await expectApiError(del(forInstance), 'DependencyViolation', 403);

    // The instance leaves the group: it can go.
    await t.modify(instance, { securityGroupIds: [other] });
    assert.equal(await ecsCount(forInstance), 0);
    assert.equal(await ecsCount(other), 1);
    await del(forInstance);
    // The ENI group empties when the ENI is deleted and the instance (with its secondary ENI in the group) is released.
    await ecs.deleteNetworkInterface(new $Ecs.DeleteNetworkInterfaceRequest({ regionId, networkInterfaceId: eniId }));
    assert.equal(await ecsCount(forEni), 1);
    await expectApiError(del(forEni), 'DependencyViolation', 403);
    await t.remove(instance, true);
    assert.equal(await ecsCount(forEni), 0);
    await del(forEni);
    await del(other);
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as $Ecs from '@alicloud/ecs20140526';
import * as $Vpc from '@alicloud/vpc20160428';
import { ecsClient, vpcClient } from '../helpers/clients.ts';
import { expectApiError } from '../helpers/expect-error.ts';
import { pollUntil } from '../helpers/poll.ts';
import { callV1 } from '../helpers/raw-client.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

/**
 * The ENI parameters Terway and the Terraform provider send (SourceDestCheck, QueueNumber,
 * NetworkInterfaceTrafficMode, DeleteOnRelease, Attribute=basic), attach locality in both modes,
 * and the Deleting state, which keeps an ENI's addresses until it is gone.
 */
const regionId = 'cn-hangzhou';
const IMAGE = 'aliyun_3_x64_20G_alibase_20240819.vhd';

type Ecs = ReturnType<typeof ecsClient>;
type Vpc = ReturnType<typeof vpcClient>;

function toolkit(ecs: Ecs, vpc: Vpc) {
  const t = {
    async vpc(cidrBlock: string) {
      return (await vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId, cidrBlock }))).body!.vpcId!;
    },
    async vswitch(vpcId: string, cidrBlock: string, zoneId: string) {
      return (await vpc.createVSwitch(new $Vpc.CreateVSwitchRequest({ regionId, vpcId, cidrBlock, zoneId }))).body!.vSwitchId!;
    },
    async sg(vpcId: string) {
      return (await ecs.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ regionId, vpcId }))).body!.securityGroupId!;
    },
    async free(vSwitchId: string) {
      return (await vpc.describeVSwitchAttributes(new $Vpc.DescribeVSwitchAttributesRequest({ regionId, vSwitchId }))).body!.availableIpAddressCount!;
    },
    create(vSwitchId: string, securityGroupId: string, extra: Partial<$Ecs.CreateNetworkInterfaceRequest> = {}) {
      return ecs.createNetworkInterface(new $Ecs.CreateNetworkInterfaceRequest({ regionId, vSwitchId, securityGroupIds: [securityGroupId], ...extra }));
    },
    async eni(vSwitchId: string, securityGroupId: string, extra: Partial<$Ecs.CreateNetworkInterfaceRequest> = {}) {
      return (await t.create(vSwitchId, securityGroupId, extra)).body!.networkInterfaceId!;
    },
    async attr(networkInterfaceId: string, attribute?: string) {
      return (await ecs.describeNetworkInterfaceAttribute(new $Ecs.DescribeNetworkInterfaceAttributeRequest({ regionId, networkInterfaceId, attribute })))
        .body!;
    },
    async listed(extra: Partial<$Ecs.DescribeNetworkInterfacesRequest> = {}) {
      return (await ecs.describeNetworkInterfaces(new $Ecs.DescribeNetworkInterfacesRequest({ regionId, maxResults: 500, ...extra }))).body!
        .networkInterfaceSets!.networkInterfaceSet!;
    },
    modify(networkInterfaceId: string, extra: Partial<$Ecs.ModifyNetworkInterfaceAttributeRequest>) {
      return ecs.modifyNetworkInterfaceAttribute(new $Ecs.ModifyNetworkInterfaceAttributeRequest({ regionId, networkInterfaceId, ...extra }));
    },
    async instance(vSwitchId: string, securityGroupId: string, extra: Partial<$Ecs.RunInstancesRequest> = {}) {
      const res = await ecs.runInstances(
        new $Ecs.RunInstancesRequest({ regionId, instanceType: 'ecs.g7.xlarge', imageId: IMAGE, vSwitchId, securityGroupId, ...extra }),
      );
      return res.body!.instanceIdSets!.instanceIdSet![0]!;
    },
    async enisOf(instanceId: string) {
      return t.listed({ instanceId });
    },
    attach(instanceId: string, networkInterfaceId: string) {
      return ecs.attachNetworkInterface(new $Ecs.AttachNetworkInterfaceRequest({ regionId, instanceId, networkInterfaceId }));
    },
    detach(instanceId: string, networkInterfaceId: string) {
      return ecs.detachNetworkInterface(new $Ecs.DetachNetworkInterfaceRequest({ regionId, instanceId, networkInterfaceId }));
    },
    remove(networkInterfaceId: string) {
      return ecs.deleteNetworkInterface(new $Ecs.DeleteNetworkInterfaceRequest({ regionId, networkInterfaceId }));
    },
    stop(instanceId: string) {
      return ecs.stopInstance(new $Ecs.StopInstanceRequest({ instanceId }));
    },
    async instanceStatus(instanceId: string) {
      const res = await ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId, instanceIds: JSON.stringify([instanceId]) }));
      return res.body!.instances!.instance![0]!.status!;
    },
    ips(e: { privateIpSets?: { privateIpSet?: { privateIpAddress?: string }[] } }) {
      return e.privateIpSets!.privateIpSet!.map((p) => p.privateIpAddress!);
    },
  };
  return t;
}

/** Every address DescribeNetworkInterfaces shows, with the ENIs showing it: none may show twice. */
function addressOwners(enis: $Ecs.DescribeNetworkInterfacesResponseBodyNetworkInterfaceSetsNetworkInterfaceSet[]): Map<string, string[]> {
  const owners = new Map<string, string[]>();
  for (const e of enis) {
    for (const ip of new Set([e.privateIpAddress!, ...(e.privateIpSets?.privateIpSet ?? []).map((p) => p.privateIpAddress!)])) {
      owners.set(ip, [...(owners.get(ip) ?? []), e.networkInterfaceId!]);
    }
  }
  return owners;
}

function assertNoAddressTwice(enis: Parameters<typeof addressOwners>[0]): void {
  for (const [ip, ids] of addressOwners(enis)) assert.equal(ids.length, 1, `address ${ip} shown on ${ids.join(', ')}`);
}

describe('ENI parameters, attach locality and the Deleting state through the official ECS SDK', () => {
  let server: RunningServer;
  let t: ReturnType<typeof toolkit>;
  let vpcA: string;
  let vswI: string; // 10.1.0.0/24, cn-hangzhou-i
  let vswI2: string; // 10.2.0.0/24, cn-hangzhou-i
  let vswJ: string; // 10.3.0.0/24, cn-hangzhou-j
  let sg: string;
  // The seed document's stricter rule, and real deletion delays: started while the first server's tests run.
  let strict: Promise<RunningServer>;
  let slow: Promise<RunningServer>;

  before(async () => {
    strict = startServer({ args: ['--attach-locality', 'vswitch'] });
    // Deleting lasts 3 s: long enough for every check below to see it, even on a loaded 2-core machine.
    slow = startServer({ args: ['--delays', 'none,eniDelete=3000,instanceStop=300'] });
    server = await startServer();
    t = toolkit(ecsClient(server), vpcClient(server));
    vpcA = await t.vpc('10.0.0.0/8');
    vswI = await t.vswitch(vpcA, '10.1.0.0/24', 'cn-hangzhou-i');
    vswI2 = await t.vswitch(vpcA, '10.2.0.0/24', 'cn-hangzhou-i');
    vswJ = await t.vswitch(vpcA, '10.3.0.0/24', 'cn-hangzhou-j');
    sg = await t.sg(vpcA);
  });
  after(async () => {
    await server.dispose();
    await (await strict).dispose();
    await (await slow).dispose();
  });

  test("CreateNetworkInterface: Terway's SourceDestCheck=false and the provider's queue_number, source_dest_check, traffic mode and DeleteOnRelease are stored and shown", async () => {
    // pkg/aliyun/client/ecs.go CreateNetworkInterface: SourceDestCheck=false on every ENI (since v1.13.7).
    const terway = await t.create(vswI, sg, {
      instanceType: 'Secondary',
      secondaryPrivateIpAddressCount: 2,
      sourceDestCheck: false,
      description: 'interface for terway',
      tag: [new $Ecs.CreateNetworkInterfaceRequestTag({ key: 'creator', value: 'terway' })],
    });
    assert.equal(terway.body!.sourceDestCheck, false);
    // resource_alicloud_ecs_network_interface.go create: QueueNumber, NetworkInterfaceTrafficMode, SourceDestCheck, DeleteOnRelease.
    const tf = await t.create(vswI, sg, {
      networkInterfaceName: 'tf-eni',
      queueNumber: 4,
      networkInterfaceTrafficMode: 'Standard',
      sourceDestCheck: true,
      deleteOnRelease: true,
    });
    assert.equal(tf.body!.sourceDestCheck, true);
    const id = tf.body!.networkInterfaceId!;
    const attr = await t.attr(id);
    assert.equal(attr.sourceDestCheck, true);
    assert.equal(attr.queueNumber, 4);
    assert.equal(attr.networkInterfaceTrafficMode, 'Standard');
    assert.equal(attr.deleteOnRelease, true);
    assert.equal(attr.networkInterfaceTrafficConfig!.queueNumber, 4);
    const listed = (await t.listed({ networkInterfaceId: [id, terway.body!.networkInterfaceId!] })).map((e) => [
      e.networkInterfaceId,
      e.sourceDestCheck,
      e.queueNumber,
      e.networkInterfaceTrafficMode,
      e.deleteOnRelease,
    ]);
    assert.deepEqual(listed, [
      [terway.body!.networkInterfaceId, false, 0, 'Standard', false],
      [id, true, 4, 'Standard', true],
    ]);
    // HighPerformance (an elastic RDMA interface) may be created anywhere; it is checked where it attaches.
    const erdma = await t.eni(vswI, sg, { networkInterfaceTrafficMode: 'HighPerformance' });
    assert.equal((await t.attr(erdma)).networkInterfaceTrafficMode, 'HighPerformance');
    // The grouped form of the same knobs.
    const grouped = await t.eni(vswI, sg, {
      networkInterfaceTrafficConfig: new $Ecs.CreateNetworkInterfaceRequestNetworkInterfaceTrafficConfig({
        networkInterfaceTrafficMode: 'HighPerformance',
        queueNumber: 2,
      }),
    });
    assert.deepEqual([(await t.attr(grouped)).networkInterfaceTrafficMode, (await t.attr(grouped)).queueNumber], ['HighPerformance', 2]);
  });

  test('CreateNetworkInterface: booleans are JSON booleans on the wire (Terraform reads them with d.Set)', async () => {
    const id = await t.eni(vswI, sg, { sourceDestCheck: true });
    for (const action of ['DescribeNetworkInterfaceAttribute', 'DescribeNetworkInterfaces']) {
      const res = await callV1(
        server.endpoint,
        action,
        '2014-05-26',
        { RegionId: regionId, ...(action === 'DescribeNetworkInterfaces' ? { 'NetworkInterfaceId.1': id } : { NetworkInterfaceId: id }) },
        { method: 'POST', formBody: true },
      );
      const body = res.json() as Record<string, unknown> & { NetworkInterfaceSets?: { NetworkInterfaceSet: Record<string, unknown>[] } };
      const eni = action === 'DescribeNetworkInterfaces' ? body.NetworkInterfaceSets!.NetworkInterfaceSet[0]! : body;
      assert.equal(eni.SourceDestCheck, true, action);
      assert.equal(eni.DeleteOnRelease, false, action);
      assert.equal(typeof eni.QueueNumber, 'number', action);
    }
  });

  test('CreateNetworkInterface: QueueNumber outside 1-2048 (InvalidParameter.InvalidEniQueueNumber), an unknown traffic mode, and conflicting grouped values are refused; nothing is created', async () => {
    const before = await t.free(vswI);
    await expectApiError(t.create(vswI, sg, { queueNumber: 0 }), 'InvalidParameter.InvalidEniQueueNumber', 403);
    await expectApiError(t.create(vswI, sg, { queueNumber: 2049 }), 'InvalidParameter.InvalidEniQueueNumber', 403);
    await expectApiError(t.create(vswI, sg, { networkInterfaceTrafficMode: 'Turbo' }), 'InvalidParameter', 400);
    await expectApiError(
      t.create(vswI, sg, {
        queueNumber: 2,
        networkInterfaceTrafficConfig: new $Ecs.CreateNetworkInterfaceRequestNetworkInterfaceTrafficConfig({ queueNumber: 3 }),
      }),
      'InvalidParameter.Conflict',
      400,
    );
    // The RDMA queue pairs are not modelled: refused by name, not dropped.
    await expectApiError(
      t.create(vswI, sg, { networkInterfaceTrafficConfig: new $Ecs.CreateNetworkInterfaceRequestNetworkInterfaceTrafficConfig({ queuePairNumber: 8 }) }),
      'UnsupportedParameter',
      400,
    );
    assert.equal(await t.free(vswI), before);
  });

  test("AttachNetworkInterface: QueueNumber above the type's MaximumQueueNumberPerEni (InvalidOperation.ExceedInstanceTypeQueueNumber); HighPerformance only on a type with eRDMA", async () => {
    const small = await t.instance(vswI, sg, { instanceType: 'ecs.g7.large' }); // MaximumQueueNumberPerEni 1, EriQuantity 0
    const four = await t.eni(vswI, sg, { queueNumber: 4 });
    await expectApiError(t.attach(small, four), 'InvalidOperation.ExceedInstanceTypeQueueNumber', 403);
    const xlarge = await t.instance(vswI, sg); // ecs.g7.xlarge: 4 per ENI
    await t.attach(xlarge, four);
    assert.equal((await t.attr(four)).queueNumber, 4);
    // An ENI with no queue count set shows the type's default while attached, and nothing again once detached.
    const plain = await t.eni(vswI, sg);
    assert.equal((await t.attr(plain)).queueNumber, 0);
    await t.attach(xlarge, plain);
    assert.equal((await t.attr(plain)).queueNumber, 4);
    const primary = (await t.enisOf(xlarge)).find((e) => e.type === 'Primary')!;
    assert.equal(primary.queueNumber, 4);
    await t.detach(xlarge, plain);
    assert.equal((await t.attr(plain)).queueNumber, 0);

    const erdma = await t.eni(vswI, sg, { networkInterfaceTrafficMode: 'HighPerformance' });
    await expectApiError(t.attach(xlarge, erdma), 'InvalidOperation.HighPerformanceTrafficModeNotSupported', 403);
    assert.equal((await t.attr(erdma)).status, 'Available');
    const g8a = await t.instance(vswI, sg, { instanceType: 'ecs.g8a.xlarge' }); // EriQuantity 1
    await t.attach(g8a, erdma);
    assert.equal((await t.attr(erdma)).instanceId, g8a);
  });

  test('RunInstances: NetworkInterface.N takes SourceDestCheck, QueueNumber, NetworkInterfaceTrafficMode and DeleteOnRelease, checked against the type', async () => {
    const ni = (extra: Partial<$Ecs.RunInstancesRequestNetworkInterface>) =>
      new $Ecs.RunInstancesRequestNetworkInterface({ instanceType: 'Secondary', ...extra });
    const id = await t.instance(vswI, sg, { networkInterface: [ni({ sourceDestCheck: true, queueNumber: 2, deleteOnRelease: false })] });
    const secondary = (await t.enisOf(id)).find((e) => e.type === 'Secondary')!;
    assert.deepEqual(
      [secondary.sourceDestCheck, secondary.queueNumber, secondary.networkInterfaceTrafficMode, secondary.deleteOnRelease],
      [true, 2, 'Standard', false],
    );
    await expectApiError(t.instance(vswI, sg, { networkInterface: [ni({ queueNumber: 8 })] }), 'InvalidOperation.ExceedInstanceTypeQueueNumber', 403);
    await expectApiError(
      t.instance(vswI, sg, { networkInterface: [ni({ networkInterfaceTrafficMode: 'HighPerformance' })] }),
      'InvalidOperation.HighPerformanceTrafficModeNotSupported',
      403,
    );
    const erdma = await t.instance(vswI, sg, { instanceType: 'ecs.g8a.xlarge', networkInterface: [ni({ networkInterfaceTrafficMode: 'HighPerformance' })] });
    assert.equal((await t.enisOf(erdma)).find((e) => e.type === 'Secondary')!.networkInterfaceTrafficMode, 'HighPerformance');
    // An existing ENI takes no creation settings.
    const existing = await t.eni(vswI, sg);
    await expectApiError(
      t.instance(vswI, sg, { networkInterface: [ni({ networkInterfaceId: existing, queueNumber: 1 })] }),
      'InvalidParam.NetworkInterface',
      400,
    );
  });

  test("ModifyNetworkInterfaceAttribute: the provider's QueueNumber, SourceDestCheck and DeleteOnRelease; QueueNumber only while Available or on a Stopped instance", async () => {
    const id = await t.eni(vswI, sg);
    // resource_alicloud_ecs_network_interface.go update: QueueNumber, SecurityGroupId.N, SourceDestCheck, DeleteOnRelease, name, description.
    const sg2 = await t.sg(vpcA);
    await t.modify(id, {
      queueNumber: 3,
      sourceDestCheck: true,
      deleteOnRelease: true,
      networkInterfaceName: 'renamed',
      description: 'changed',
      securityGroupId: [sg2],
    });
    const attr = await t.attr(id);
    assert.deepEqual(
      [attr.queueNumber, attr.sourceDestCheck, attr.deleteOnRelease, attr.networkInterfaceName, attr.description, attr.securityGroupIds!.securityGroupId],
      [3, true, true, 'renamed', 'changed', [sg2]],
    );
    await t.modify(id, { sourceDestCheck: false });
    assert.equal((await t.attr(id)).sourceDestCheck, false);
    await expectApiError(t.modify(id, { queueNumber: 0 }), 'InvalidParameter.InvalidEniQueueNumber', 403);

    const instance = await t.instance(vswI, sg);
    await t.attach(instance, id);
    await expectApiError(t.modify(id, { queueNumber: 2 }), 'InvalidOperation.InvalidEcsState', 400);
    // The other attributes change while InUse.
    await t.modify(id, { sourceDestCheck: true });
    const primary = (await t.enisOf(instance)).find((e) => e.type === 'Primary')!.networkInterfaceId!;
    await expectApiError(t.modify(primary, { queueNumber: 2 }), 'InvalidOperation.InvalidEniType', 403);
    await t.stop(instance);
    await pollUntil(() => t.instanceStatus(instance), 'Stopped');
    await expectApiError(t.modify(id, { queueNumber: 8 }), 'InvalidOperation.ExceedInstanceTypeQueueNumber', 403);
    await t.modify(id, { queueNumber: 2 });
    assert.equal((await t.attr(id)).queueNumber, 2);
  });

  test('DescribeNetworkInterfaceAttribute: Attribute=basic (Terway) answers the ENI; connectionTrackingConfiguration and attachment add their blocks; another value is refused', async () => {
    const id = await t.eni(vswI, sg, {
      secondaryPrivateIpAddressCount: 1,
      tag: [new $Ecs.CreateNetworkInterfaceRequestTag({ key: 'creator', value: 'terway' })],
    });
    const full = await t.attr(id);
    const basic = await t.attr(id, 'basic');
    // pkg/aliyun/client/ecs_attribute.go FromAttributeResp reads these.
    for (const k of [
      'networkInterfaceId',
      'status',
      'macAddress',
      'vpcId',
      'vSwitchId',
      'privateIpAddress',
      'zoneId',
      'networkInterfaceTrafficMode',
      'type',
      'creationTime',
    ] as const) {
      assert.equal(basic[k], full[k], k);
    }
    assert.deepEqual(t.ips(basic), t.ips(full));
    assert.deepEqual(basic.securityGroupIds!.securityGroupId, [sg]);
    assert.deepEqual(
      basic.tags!.tag!.map((x) => [x.tagKey, x.tagValue]),
      [['creator', 'terway']],
    );
    assert.equal(basic.connectionTrackingConfiguration, undefined);
    const ct = await t.attr(id, 'connectionTrackingConfiguration');
    assert.deepEqual(
      [
        ct.connectionTrackingConfiguration!.tcpEstablishedTimeout,
        ct.connectionTrackingConfiguration!.tcpClosedAndTimeWaitTimeout,
        ct.connectionTrackingConfiguration!.udpTimeout,
      ],
      [910, 3, 30],
    );
    const att = await t.attr(id, 'attachment');
    assert.deepEqual(att.attachment!.memberNetworkInterfaceIds!.memberNetworkInterfaceId, []);
    await expectApiError(t.attr(id, 'everything'), 'InvalidParameter', 400);
  });

  test("AttachNetworkInterface: by default (zone) another vSwitch of the zone attaches, as Terway's pod ENIs do; another zone answers InvalidOperation.AvailabilityZoneMismatch", async () => {
    const node = await t.instance(vswI, sg);
    const pod = await t.eni(vswI2, sg, { secondaryPrivateIpAddressCount: 2 });
    await t.attach(node, pod);
    assert.deepEqual([(await t.attr(pod)).status, (await t.attr(pod)).vSwitchId], ['InUse', vswI2]);
    const far = await t.eni(vswJ, sg);
    await expectApiError(t.attach(node, far), 'InvalidOperation.AvailabilityZoneMismatch', 403);
    // And at instance creation.
    const created = await t.instance(vswI, sg, {
      networkInterface: [new $Ecs.RunInstancesRequestNetworkInterface({ instanceType: 'Secondary', vSwitchId: vswI2 })],
    });
    assert.equal((await t.enisOf(created)).find((e) => e.type === 'Secondary')!.vSwitchId, vswI2);
  });

  test('AttachNetworkInterface: with --attach-locality vswitch another vSwitch answers InvalidOperation.VSwitchMismatch naming both; another zone keeps the zone code', async () => {
    const s = await strict;
    const z = toolkit(ecsClient(s), vpcClient(s));
    const vpcId = await z.vpc('10.0.0.0/8');
    const a = await z.vswitch(vpcId, '10.1.0.0/24', 'cn-hangzhou-i');
    const b = await z.vswitch(vpcId, '10.2.0.0/24', 'cn-hangzhou-i');
    const j = await z.vswitch(vpcId, '10.3.0.0/24', 'cn-hangzhou-j');
    const group = await z.sg(vpcId);
    const instance = await z.instance(a, group);
    const other = await z.eni(b, group);
    const err = await expectApiError(z.attach(instance, other), 'InvalidOperation.VSwitchMismatch', 403);
    assert.ok(err.message!.includes(a) && err.message!.includes(b), err.message);
    await expectApiError(z.attach(instance, await z.eni(j, group)), 'InvalidOperation.AvailabilityZoneMismatch', 403);
    await expectApiError(
      z.instance(a, group, { networkInterface: [new $Ecs.RunInstancesRequestNetworkInterface({ instanceType: 'Secondary', vSwitchId: b })] }),
      'InvalidOperation.VSwitchMismatch',
      403,
    );
    const same = await z.eni(a, group);
    await z.attach(instance, same);
    assert.equal((await z.attr(same)).status, 'InUse');
  });

  test('DeleteNetworkInterface: a Deleting ENI keeps its addresses (listed, counted, not reusable) until it is gone, then they are free again; it accepts no change', async () => {
    const s = await slow;
    const z = toolkit(ecsClient(s), vpcClient(s));
    const vpcId = await z.vpc('10.0.0.0/8');
    // A /28: 12 usable addresses, so the freed ones are the only free ones left.
    const vsw = await z.vswitch(vpcId, '10.9.0.0/28', 'cn-hangzhou-i');
    const group = await z.sg(vpcId);
    const doomed = await z.eni(vsw, group, { secondaryPrivateIpAddressCount: 2 });
    const doomedIps = z.ips(await z.attr(doomed));
    const fillers: string[] = [];
    for (let i = 0; i < 3; i++) fillers.push(await z.eni(vsw, group, { secondaryPrivateIpAddressCount: 2 }));
    assert.equal(await z.free(vsw), 0);

    await z.remove(doomed);
    const deleting = await z.attr(doomed);
    assert.equal(deleting.status, 'Deleting');
    // The Deleting ENI still lists its addresses, primary first.
    assert.deepEqual(z.ips(deleting), doomedIps);
    assert.equal(deleting.privateIpAddress, doomedIps[0]);
    assert.equal(await z.free(vsw), 0);
    // Nobody can take them meanwhile: by name or by count.
    await expectApiError(z.create(vsw, group, { primaryIpAddress: doomedIps[0] }), 'InvalidPrivateIpAddress.Duplicated', 400);
    await expectApiError(z.create(vsw, group), 'InvalidVSwitchId.IpNotEnough', 403);
    assertNoAddressTwice(await z.listed());
    // What a Deleting ENI accepts: nothing but another delete (the cloud's advice for a stuck one).
    await expectApiError(z.modify(doomed, { networkInterfaceName: 'late' }), 'InvalidOperation.InvalidEniState', 400);
    await expectApiError(z.modify(doomed, { sourceDestCheck: true }), 'InvalidOperation.InvalidEniState', 400);
    await expectApiError(
      ecsClient(s).assignPrivateIpAddresses(
        new $Ecs.AssignPrivateIpAddressesRequest({ regionId, networkInterfaceId: doomed, secondaryPrivateIpAddressCount: 1 }),
      ),
      'InvalidOperation.InvalidEniState',
      400,
    );
    const instance = await z.instance(await z.vswitch(vpcId, '10.8.0.0/24', 'cn-hangzhou-i'), group);
    await expectApiError(z.attach(instance, doomed), 'InvalidOperation.InvalidEniState', 400);
    // It still exists until it is gone: tags apply (eniplane's choice, docs/divergences.md).
    await ecsClient(s).tagResources(
      new $Ecs.TagResourcesRequest({ regionId, resourceType: 'eni', resourceId: [doomed], tag: [new $Ecs.TagResourcesRequestTag({ key: 'k', value: 'v' })] }),
    );
    await z.remove(doomed);
    assert.equal((await z.attr(doomed)).status, 'Deleting');

    // Once the delay has passed the ENI is gone, its addresses counted free, and they can be taken.
    await pollUntil(async () => {
      try {
        return await z.attr(doomed).then((a) => a.status!);
      } catch (err) {
        return (err as { code?: string }).code ?? 'error';
      }
    }, 'InvalidEniId.NotFound');
    assert.equal(await z.free(vsw), 3);
    const reuser = await z.create(vsw, group, { primaryIpAddress: doomedIps[0], secondaryPrivateIpAddressCount: 2 });
    assert.deepEqual(new Set(z.ips(reuser.body!)), new Set(doomedIps));
    assert.equal(await z.free(vsw), 0);
    assertNoAddressTwice(await z.listed());
  });

  test('DeleteNetworkInterface: while many ENIs are deleted and created at once, no address is ever listed on two ENIs', async () => {
    const s = await slow;
    const z = toolkit(ecsClient(s), vpcClient(s));
    const vpcId = await z.vpc('10.0.0.0/8');
    const vsw = await z.vswitch(vpcId, '10.7.0.0/27', 'cn-hangzhou-i'); // 28 usable
    const group = await z.sg(vpcId);
    const live: string[] = [];
    for (let i = 0; i < 6; i++) live.push(await z.eni(vsw, group, { secondaryPrivateIpAddressCount: 3 }));
    // Deletions take 3 s here: run until the freed addresses have been taken again several times
    // (not for a fixed time, which a loaded machine could spend entirely inside the first delay).
    const deadline = Date.now() + 30_000;
    let rounds = 0;
    let created = 0;
    while (created < 4 && Date.now() < deadline) {
      const victim = live.shift();
      if (victim) await z.remove(victim);
      // Take whatever is free; a full vSwitch is a fine answer while the deletion is pending.
      try {
        live.push(await z.eni(vsw, group, { secondaryPrivateIpAddressCount: 3 }));
        created++;
      } catch (err) {
        assert.equal((err as { code?: string }).code, 'InvalidVSwitchId.IpNotEnough');
      }
      assertNoAddressTwice(await z.listed({ vSwitchId: vsw }));
      rounds++;
      await new Promise((r) => setTimeout(r, 150));
    }
    assert.ok(rounds > 5);
    // Addresses came back once deletions were done: creations went on after the first ones.
    assert.ok(created >= 4, `only ${created} creations in ${rounds} rounds`);
    assertNoAddressTwice(await z.listed({ vSwitchId: vsw }));
  });
});

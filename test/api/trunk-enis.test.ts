import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as $Ecs from '@alicloud/ecs20140526';
import * as $Vpc from '@alicloud/vpc20160428';
import { ecsClient, vpcClient } from '../helpers/clients.ts';
import { expectApiError } from '../helpers/expect-error.ts';
import { pollUntil } from '../helpers/poll.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

/**
 * Trunk and member ENIs through the official ECS SDK: CreateNetworkInterface InstanceType=Trunk,
 * AttachNetworkInterface / DetachNetworkInterface TrunkNetworkInstanceId, Type=Trunk|Member in
 * Describe, the attachment's members, the catalog's EniTotalQuantity / EniTrunkSupported, and
 * the rules between a trunk and its members (README "Trunk and member ENIs").
 */
const REGION = 'cn-hangzhou';
const ZONE = 'cn-hangzhou-i';
const IMAGE = 'aliyun_3_x64_20G_alibase_20240819.vhd';
/** EniQuantity 4, EniTotalQuantity 20, trunk (recorded). */
const TRUNK_TYPE = 'ecs.g7.xlarge';
/** EniQuantity 4, EniTotalQuantity 5, trunk (recorded): room for few members. */
const SMALL_TRUNK_TYPE = 'ecs.g8a.xlarge';
/** EniQuantity 3, no trunk. */
const PLAIN_TYPE = 'ecs.g7.large';

type Ecs = ReturnType<typeof ecsClient>;

function kit(server: RunningServer) {
  const ecs: Ecs = ecsClient(server);
  const vpc = vpcClient(server);
  const k = {
    ecs,
    async network() {
      const vpcId = (await vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId: REGION, cidrBlock: '10.0.0.0/8' }))).body!.vpcId!;
      const vsw = async (cidrBlock: string, zoneId = ZONE) =>
        (await vpc.createVSwitch(new $Vpc.CreateVSwitchRequest({ regionId: REGION, vpcId, zoneId, cidrBlock }))).body!.vSwitchId!;
      const sg = async (v: string) =>
        (await ecs.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ regionId: REGION, vpcId: v }))).body!.securityGroupId!;
      const otherVpc = (await vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId: REGION, cidrBlock: '172.16.0.0/12' }))).body!.vpcId!;
      const otherVsw = (await vpc.createVSwitch(new $Vpc.CreateVSwitchRequest({ regionId: REGION, vpcId: otherVpc, zoneId: ZONE, cidrBlock: '172.16.1.0/24' })))
        .body!.vSwitchId!;
      return {
        vpcId,
        node: await vsw('10.1.0.0/24'),
        pods: await vsw('10.2.0.0/24'),
        zoneJ: await vsw('10.3.0.0/24', 'cn-hangzhou-j'),
        sg: await sg(vpcId),
        otherVsw,
        otherSg: await sg(otherVpc),
      };
    },
    async instance(vSwitchId: string, securityGroupId: string, instanceType = TRUNK_TYPE) {
      const res = await ecs.runInstances(new $Ecs.RunInstancesRequest({ regionId: REGION, instanceType, imageId: IMAGE, vSwitchId, securityGroupId }));
      return res.body!.instanceIdSets!.instanceIdSet![0]!;
    },
    create(vSwitchId: string, securityGroupId: string, extra: Partial<$Ecs.CreateNetworkInterfaceRequest> = {}) {
      return ecs.createNetworkInterface(new $Ecs.CreateNetworkInterfaceRequest({ regionId: REGION, vSwitchId, securityGroupIds: [securityGroupId], ...extra }));
    },
    async eni(vSwitchId: string, securityGroupId: string, extra: Partial<$Ecs.CreateNetworkInterfaceRequest> = {}) {
      return (await k.create(vSwitchId, securityGroupId, extra)).body!.networkInterfaceId!;
    },
    async trunk(vSwitchId: string, securityGroupId: string, extra: Partial<$Ecs.CreateNetworkInterfaceRequest> = {}) {
      return k.eni(vSwitchId, securityGroupId, { instanceType: 'Trunk', ...extra });
    },
    attach(instanceId: string, networkInterfaceId: string, trunkNetworkInstanceId?: string) {
      return ecs.attachNetworkInterface(new $Ecs.AttachNetworkInterfaceRequest({ regionId: REGION, instanceId, networkInterfaceId, trunkNetworkInstanceId }));
    },
    detach(instanceId: string, networkInterfaceId: string, trunkNetworkInstanceId?: string) {
      return ecs.detachNetworkInterface(new $Ecs.DetachNetworkInterfaceRequest({ regionId: REGION, instanceId, networkInterfaceId, trunkNetworkInstanceId }));
    },
    remove(networkInterfaceId: string) {
      return ecs.deleteNetworkInterface(new $Ecs.DeleteNetworkInterfaceRequest({ regionId: REGION, networkInterfaceId }));
    },
    async attr(networkInterfaceId: string, attribute?: string) {
      return (
        await ecs.describeNetworkInterfaceAttribute(new $Ecs.DescribeNetworkInterfaceAttributeRequest({ regionId: REGION, networkInterfaceId, attribute }))
      ).body!;
    },
    async list(extra: Partial<$Ecs.DescribeNetworkInterfacesRequest>) {
      const res = await ecs.describeNetworkInterfaces(new $Ecs.DescribeNetworkInterfacesRequest({ regionId: REGION, maxResults: 500, ...extra }));
      return res.body!.networkInterfaceSets!.networkInterfaceSet!;
    },
    async ids(extra: Partial<$Ecs.DescribeNetworkInterfacesRequest>) {
      return (await k.list(extra)).map((e) => e.networkInterfaceId!);
    },
    async one(networkInterfaceId: string) {
      return (await k.list({ networkInterfaceId: [networkInterfaceId] }))[0];
    },
    async members(trunkId: string) {
      return (await k.attr(trunkId, 'attachment')).attachment!.memberNetworkInterfaceIds!.memberNetworkInterfaceId!;
    },
    async instanceNics(instanceId: string) {
      const res = await ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: REGION, instanceIds: JSON.stringify([instanceId]) }));
      return res.body!.instances!.instance![0]!.networkInterfaces!.networkInterface!.map((n) => n.networkInterfaceId!);
    },
  };
  return k;
}

type Kit = ReturnType<typeof kit>;
type Net = Awaited<ReturnType<Kit['network']>>;

describe('Trunk and member ENIs through the official ECS SDK', () => {
  let server: RunningServer;
  let k: Kit;
  let net: Net;
  // A second server with short real delays, for the asynchronous states, started meanwhile.
  let slowServer: Promise<RunningServer>;

  before(async () => {
    slowServer = startServer({ args: ['--delays', 'none,eniAttach=1500,eniDetach=1500,eniDelete=600'] });
    server = await startServer();
    k = kit(server);
    net = await k.network();
  });
  after(async () => {
    await server?.dispose();
    await (await slowServer).dispose();
  });

  test('DescribeInstanceTypes: EniTotalQuantity and EniTrunkSupported from the catalog, recorded or conservative', async () => {
    const res = await k.ecs.describeInstanceTypes(
      new $Ecs.DescribeInstanceTypesRequest({ instanceTypes: [TRUNK_TYPE, SMALL_TRUNK_TYPE, PLAIN_TYPE, 'ecs.r6.8xlarge', 'ecs.ebmg5.24xlarge'] }),
    );
    const byId = new Map(res.body!.instanceTypes!.instanceType!.map((t) => [t.instanceTypeId!, t]));
    const figures = (id: string) => [byId.get(id)!.eniQuantity, byId.get(id)!.eniTotalQuantity, byId.get(id)!.eniTrunkSupported];
    assert.deepEqual(figures(TRUNK_TYPE), [4, 20, true]);
    assert.deepEqual(figures(SMALL_TRUNK_TYPE), [4, 5, true]);
    assert.deepEqual(figures('ecs.r6.8xlarge'), [8, 40, true]);
    assert.deepEqual(figures('ecs.ebmg5.24xlarge'), [32, 32, false]);
    // Not recorded: as many ENIs in all as EniQuantity, and no trunk.
    assert.deepEqual(figures(PLAIN_TYPE), [3, 3, false]);
  });

  test('CreateNetworkInterface: InstanceType=Trunk creates an unattached, Available trunk ENI; Type=Trunk lists it, Type=Secondary does not', async () => {
    const res = await k.create(net.node, net.sg, { instanceType: 'Trunk', description: 'a trunk' });
    assert.equal(res.body!.type, 'Trunk');
    assert.equal(res.body!.status, 'Available');
    const trunkId = res.body!.networkInterfaceId!;
    const e = await k.one(trunkId);
    assert.equal(e!.type, 'Trunk');
    assert.equal(e!.instanceId, '');
    assert.ok((await k.ids({ type: 'Trunk', vpcId: net.vpcId })).includes(trunkId));
    assert.ok(!(await k.ids({ type: 'Secondary', vpcId: net.vpcId })).includes(trunkId));
    // An unattached trunk has no members, and any ENI may be asked for its attachment.
    assert.deepEqual(await k.members(trunkId), []);
    await k.remove(trunkId);
    assert.equal(await k.one(trunkId), undefined);
  });

  test('AttachNetworkInterface: a trunk ENI only on a type with EniTrunkSupported, one per instance; it counts towards EniQuantity like a secondary ENI', async () => {
    const plain = await k.instance(net.node, net.sg, PLAIN_TYPE);
    const trunkId = await k.trunk(net.node, net.sg);
    await expectApiError(k.attach(plain, trunkId), 'InvalidOperation.InvalidEniType', 403);
    assert.equal((await k.attr(trunkId)).status, 'Available');

    const node = await k.instance(net.node, net.sg);
    await k.attach(node, trunkId);
    const t = await k.attr(trunkId);
    assert.deepEqual([t.status, t.type, t.instanceId, t.attachment!.deviceIndex], ['InUse', 'Trunk', node, 1]);
    const second = await k.trunk(net.node, net.sg);
    await expectApiError(k.attach(node, second), 'InvalidOperation.InvalidEniType', 403);
    // EniQuantity 4: the primary, the trunk and two secondary ENIs; a third secondary one is refused.
    await k.attach(node, await k.eni(net.node, net.sg));
    await k.attach(node, await k.eni(net.node, net.sg));
    await expectApiError(k.attach(node, await k.eni(net.node, net.sg)), 'EniPerInstanceLimitExceeded', 403);
    // The trunk is one of the instance's NICs.
    assert.ok((await k.instanceNics(node)).includes(trunkId));
    // A trunk is not the primary ENI of a new instance, nor a secondary one given to RunInstances.
    await expectApiError(
      k.ecs.runInstances(
        new $Ecs.RunInstancesRequest({
          regionId: REGION,
          instanceType: TRUNK_TYPE,
          imageId: IMAGE,
          networkInterface: [new $Ecs.RunInstancesRequestNetworkInterface({ instanceType: 'Primary', networkInterfaceId: second })],
        }),
      ),
      'InvalidOperation.InvalidEniType',
      403,
    );
  });

  test('AttachNetworkInterface TrunkNetworkInstanceId: members show Type=Member, the instance, the trunk and a VLAN ID; listed by Type=Member Status=InUse and in the attachment', async () => {
    const node = await k.instance(net.node, net.sg);
    const trunkId = await k.trunk(net.node, net.sg);
    await k.attach(node, trunkId);
    // Members may sit in another vSwitch of the zone, with their own security groups, as Terway's pod ENIs do.
    const a = await k.eni(net.pods, net.sg);
    const b = await k.eni(net.pods, net.sg);
    await k.attach(node, a, trunkId);
    await k.attach(node, b, trunkId);
    for (const [id, vlan] of [
      [a, 1],
      [b, 2],
    ] as const) {
      const e = (await k.one(id))!;
      assert.deepEqual(
        [e.type, e.status, e.instanceId, e.attachment!.instanceId, e.attachment!.trunkNetworkInterfaceId, e.attachment!.deviceIndex],
        ['Member', 'InUse', node, node, trunkId, vlan],
      );
    }
    assert.deepEqual(await k.members(trunkId), [a, b]);
    // What Terway's pod-eni controller lists (gcMemberENI): VpcId, Type=Member, Status=InUse.
    const listed = await k.ids({ vpcId: net.vpcId, type: 'Member', status: 'InUse' });
    assert.ok(listed.includes(a) && listed.includes(b));
    assert.ok(!listed.includes(trunkId));
    const secondaries = await k.ids({ vpcId: net.vpcId, type: 'Secondary' });
    assert.ok(!secondaries.includes(a) && !secondaries.includes(b));
    // By instance, members are listed too (their InstanceId is the trunk's instance).
    assert.ok((await k.ids({ instanceId: node })).includes(a));
    // Members are VLAN sub-interfaces of the trunk, not NICs of the instance.
    const nics = await k.instanceNics(node);
    assert.ok(nics.includes(trunkId) && !nics.includes(a) && !nics.includes(b));
    // Members do not count towards EniQuantity (4): two secondary ENIs still fit beside the primary and the trunk.
    await k.attach(node, await k.eni(net.node, net.sg));
    await k.attach(node, await k.eni(net.node, net.sg));
    // A non-trunk ENI has no members in its attachment.
    assert.deepEqual(await k.members(a), []);
  });

  test('AttachNetworkInterface TrunkNetworkInstanceId: members count towards EniTotalQuantity (primary + secondary + trunk + members)', async () => {
    // ecs.g8a.xlarge: EniTotalQuantity 5 = the primary, the trunk and three members.
    const node = await k.instance(net.node, net.sg, SMALL_TRUNK_TYPE);
    const trunkId = await k.trunk(net.node, net.sg);
    await k.attach(node, trunkId);
    for (let i = 0; i < 3; i++) await k.attach(node, await k.eni(net.pods, net.sg), trunkId);
    const extra = await k.eni(net.pods, net.sg);
    await expectApiError(k.attach(node, extra, trunkId), 'EniPerInstanceLimitExceeded', 403);
    // A secondary ENI is within EniQuantity (3 of 4) but not within EniTotalQuantity (5 of 5).
    await expectApiError(k.attach(node, extra), 'EniPerInstanceLimitExceeded', 403);
    assert.equal((await k.attr(extra)).status, 'Available');
  });

  test('AttachNetworkInterface TrunkNetworkInstanceId: the trunk must exist, be a trunk and be InUse on that instance; the member an Available secondary ENI where the instance is', async () => {
    const node = await k.instance(net.node, net.sg);
    const other = await k.instance(net.node, net.sg);
    const trunkId = await k.trunk(net.node, net.sg);
    const idle = await k.trunk(net.node, net.sg);
    const othersTrunk = await k.trunk(net.node, net.sg);
    await k.attach(node, trunkId);
    await k.attach(other, othersTrunk);
    const member = await k.eni(net.pods, net.sg);

    await expectApiError(k.attach(node, member, 'eni-bp1doesnotexist00000'), 'InvalidEniId.NotFound', 404);
    const plain = await k.eni(net.node, net.sg);
    await k.attach(node, plain);
    await expectApiError(k.attach(node, member, plain), 'InvalidOperation.InvalidEniType', 403);
    await expectApiError(k.attach(node, member, othersTrunk), 'InvalidOperation.InvalidEniState', 400);
    await expectApiError(k.attach(node, member, idle), 'InvalidOperation.InvalidEniState', 400);
    // The member: a trunk cannot be a member; an ENI in use elsewhere cannot join; placement as for any attach.
    await expectApiError(k.attach(node, idle, trunkId), 'InvalidOperation.InvalidEniType', 403);
    await expectApiError(k.attach(node, plain, trunkId), 'InvalidOperation.InvalidEniState', 400);
    await expectApiError(k.attach(node, await k.eni(net.otherVsw, net.otherSg), trunkId), 'InvalidOperation.VpcMismatch', 403);
    await expectApiError(k.attach(node, await k.eni(net.zoneJ, net.sg), trunkId), 'InvalidOperation.AvailabilityZoneMismatch', 403);
    assert.equal((await k.attr(member)).status, 'Available');
    // An empty TrunkNetworkInstanceId (what Terway's controller sends for a plain attach) is none.
    await k.attach(node, member, '');
    assert.equal((await k.attr(member)).type, 'Secondary');
  });

  test('DetachNetworkInterface and DeleteNetworkInterface: a trunk with members stays (InvalidOperation.EniLinked); a member is detached with its own trunk only, then it is an Available secondary ENI', async () => {
    const node = await k.instance(net.node, net.sg);
    const trunkId = await k.trunk(net.node, net.sg);
    const otherTrunk = await k.trunk(net.node, net.sg);
    await k.attach(node, trunkId);
    const member = await k.eni(net.pods, net.sg);
    const plain = await k.eni(net.node, net.sg);
    await k.attach(node, member, trunkId);
    await k.attach(node, plain);

    await expectApiError(k.detach(node, trunkId), 'InvalidOperation.EniLinked', 403);
    await expectApiError(k.remove(member), 'InvalidOperation.InvalidEniState', 400);
    await expectApiError(k.detach(node, member, otherTrunk), 'InvalidOperation.InvalidEniState', 400);
    await expectApiError(k.detach(node, plain, trunkId), 'InvalidOperation.InvalidEniState', 400);
    assert.equal((await k.attr(member)).type, 'Member');

    await k.detach(node, member, trunkId);
    const e = (await k.one(member))!;
    assert.deepEqual([e.type, e.status, e.instanceId, e.attachment!.trunkNetworkInterfaceId], ['Secondary', 'Available', '', '']);
    assert.deepEqual(await k.members(trunkId), []);
    // Free again: it may become a plain secondary ENI of the instance, or be deleted.
    await k.attach(node, member);
    assert.equal((await k.attr(member)).type, 'Secondary');
    await k.detach(node, member);
    await k.remove(member);
    // Without members the trunk detaches, and is deleted like any Available ENI.
    await k.detach(node, trunkId);
    assert.equal((await k.attr(trunkId)).status, 'Available');
    await k.remove(trunkId);
  });

  test('DeleteInstance: members leave the trunk, then DeleteOnRelease decides for each ENI; nothing names the trunk or the instance afterwards', async () => {
    const node = await k.instance(net.node, net.sg);
    const trunkId = await k.trunk(net.node, net.sg, { deleteOnRelease: false });
    await k.attach(node, trunkId);
    const kept = await k.eni(net.pods, net.sg, { deleteOnRelease: false });
    const released = await k.eni(net.pods, net.sg, { deleteOnRelease: true });
    await k.attach(node, kept, trunkId);
    await k.attach(node, released, trunkId);
    await k.ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: node, force: true }));
    assert.equal(await k.one(released), undefined);
    const m = (await k.one(kept))!;
    assert.deepEqual([m.type, m.status, m.instanceId, m.attachment!.trunkNetworkInterfaceId], ['Secondary', 'Available', '', '']);
    const t = (await k.one(trunkId))!;
    assert.deepEqual([t.type, t.status, t.instanceId], ['Trunk', 'Available', '']);
    assert.deepEqual(await k.members(trunkId), []);
    await k.remove(trunkId);
    await k.remove(kept);
  });

  test("metadata: the trunk is one of the instance's MACs; its members are not", async () => {
    const node = await k.instance(net.node, net.sg);
    const trunkId = await k.trunk(net.node, net.sg);
    const member = await k.eni(net.pods, net.sg);
    await k.attach(node, trunkId);
    await k.attach(node, member, trunkId);
    const macs = await fetch(`${server.metadataUrl}/latest/meta-data/network/interfaces/macs/`, { headers: { 'X-Eniplane-Instance-Id': node } });
    assert.equal(macs.status, 200);
    const listed = (await macs.text()).split('\n').map((l) => l.replace(/\/$/, ''));
    assert.ok(listed.includes((await k.attr(trunkId)).macAddress!));
    assert.ok(!listed.includes((await k.attr(member)).macAddress!));
    assert.equal(listed.length, 2);
  });

  test('asynchronous states: a member is Attaching, then InUse, and Detaching, then Available, with the configured delays; the trunk must be InUse first and stays linked while a member detaches', async () => {
    const slow = kit(await slowServer);
    const snet = await slow.network();
    const node = await slow.instance(snet.node, snet.sg);
    const trunkId = await slow.trunk(snet.node, snet.sg);
    const member = await slow.eni(snet.pods, snet.sg);
    await slow.attach(node, trunkId);
    assert.equal((await slow.attr(trunkId)).status, 'Attaching');
    // A trunk that is still Attaching takes no member.
    await expectApiError(slow.attach(node, member, trunkId), 'InvalidOperation.InvalidEniState', 400);
    await pollUntil(async () => (await slow.attr(trunkId)).status, 'InUse');

    await slow.attach(node, member, trunkId);
    const attaching = (await slow.one(member))!;
    assert.deepEqual([attaching.status, attaching.type, attaching.attachment!.trunkNetworkInterfaceId], ['Attaching', 'Member', trunkId]);
    const seen = await pollUntil(async () => (await slow.attr(member)).status, 'InUse');
    assert.deepEqual(seen, ['Attaching', 'InUse']);

    await slow.detach(node, member, trunkId);
    const detaching = (await slow.one(member))!;
    assert.deepEqual([detaching.status, detaching.type], ['Detaching', 'Member']);
    // Still linked while its member detaches; the member is listed as Detaching, not as Secondary.
    await expectApiError(slow.detach(node, trunkId), 'InvalidOperation.EniLinked', 403);
    assert.ok((await slow.ids({ type: 'Member', status: 'Detaching' })).includes(member));
    await pollUntil(async () => (await slow.attr(member)).status, 'Available');
    assert.equal((await slow.attr(member)).type, 'Secondary');
    assert.ok((await slow.ids({ type: 'Secondary', status: 'Available' })).includes(member));
    assert.ok(!(await slow.ids({ type: 'Member' })).includes(member));
    await slow.detach(node, trunkId);
    await pollUntil(async () => (await slow.attr(trunkId)).status, 'Available');
    // The former member, its detach settled on read, becomes a new instance's primary ENI: a Primary one, on no trunk.
    const run = await slow.ecs.runInstances(
      new $Ecs.RunInstancesRequest({
        regionId: REGION,
        instanceType: TRUNK_TYPE,
        imageId: IMAGE,
        networkInterface: [new $Ecs.RunInstancesRequestNetworkInterface({ instanceType: 'Primary', networkInterfaceId: member })],
      }),
    );
    const e = (await slow.one(member))!;
    assert.deepEqual([e.type, e.instanceId, e.attachment!.trunkNetworkInterfaceId], ['Primary', run.body!.instanceIdSets!.instanceIdSet![0], '']);
  });
});

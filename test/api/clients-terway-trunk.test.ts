import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import * as $Ecs from '@alicloud/ecs20140526';
import { ecsClient } from '../helpers/clients.ts';
import { GoSdkClient, GoSdkServerError, errorCodeIs, type GoParam } from '../helpers/go-sdk-client.ts';
import { SECOND, assertFieldTypes, k8sBackoff, listAt, sleep } from '../helpers/replay-kit.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { TERWAY_DELAYS, TERWAY_DESCRIPTION, TERWAY_IMAGE, TERWAY_NODE_TYPE, TERWAY_REGION, terwayNode, type TerwayNode } from '../helpers/terway-node.ts';

/**
 * Terway's trunk mode (github AliyunContainerService/terway, commit 89aadf8b) replayed call by
 * call, in the Go SDK's wire style (test/helpers/go-sdk-client.ts), with exactly the parameters
 * Terway's code sets:
 * - the node's limits from DescribeInstanceTypes (pkg/aliyun/client/limit.go GetInstanceType);
 * - the node's trunk ENI: created by the node pool with the trunk options
 *   (pkg/controller/multi-ip/node/eni.go EniOptions[trunkKey], pool.go createENI,
 *   pkg/aliyun/client/options.go CreateNetworkInterfaceOptions.Finish: InstanceType=Trunk) and
 *   attached with an empty trunk ID (eni_task_queue.go SubmitAttach, pkg/eni/ops/executor.go
 *   AttachAsync), which the Go SDK does not send;
 * - each pod's ENI: created by the pod controller (pkg/controller/pod/pod_controller.go:
 *   DeleteOnRelease, SourceDestCheck=false, the cluster and creator tags), attached as a member
 *   of the trunk and awaited (pkg/controller/eni/eni.go attach: TrunkNetworkInstanceId, then
 *   backoff.WaitMemberENIStatus's initial delay, then DescribeNetworkInterfaces until InUse;
 *   its `Type` and `DeviceIndex`, the pod's VLAN `Vid`, are recorded);
 * - the member garbage collector (pkg/controller/pod-eni/eni_controller.go gcMemberENI, gcENIs):
 *   DescribeNetworkInterfaces VpcId, Type=Member, Status=InUse, then DetachNetworkInterface with
 *   the listed TrunkNetworkInterfaceId and DeleteNetworkInterface once Available;
 * - detach by the ENI controller (eni.go detach: TrunkNetworkInstanceId) and delete
 *   (pkg/aliyun/client/ecs.go DeleteNetworkInterface and its confirmation poll).
 * The server runs with default settings and short but real delays.
 */
const REGION = TERWAY_REGION;
const IMAGE = TERWAY_IMAGE;
const DELAYS = TERWAY_DELAYS;
const CLUSTER_ID = 'c-trunk-test';

type Net = TerwayNode;
const network = (server: RunningServer) => terwayNode(server);

/** CreateNetworkInterfaceOptions.Finish for the node pool's trunk ENI (pool.go createENI with EniOptions[trunkKey]). */
function trunkCreateParams(net: Net, ipCount: number): Record<string, GoParam> {
  return {
    VSwitchId: net.nodeVsw,
    InstanceType: 'Trunk',
    SecurityGroupIds: [net.sg],
    Description: TERWAY_DESCRIPTION,
    SecondaryPrivateIpAddressCount: ipCount > 1 ? ipCount - 1 : undefined,
    SourceDestCheck: false,
    Tag: [{ Key: 'creator', Value: 'terway' }],
    ClientToken: randomUUID(),
  };
}

/** CreateNetworkInterfaceOptions.Finish for a pod's ENI (pod_controller.go: IPCount 1, DeleteENIOnECSRelease for non-fixed IPs). */
function podEniCreateParams(net: Net): Record<string, GoParam> {
  return {
    VSwitchId: net.podVsw,
    InstanceType: 'Secondary',
    SecurityGroupIds: [net.sg],
    Description: TERWAY_DESCRIPTION,
    DeleteOnRelease: true,
    SourceDestCheck: false,
    Tag: [
      { Key: 'ack.aliyun.com', Value: CLUSTER_ID },
      { Key: 'creator', Value: 'terway-controller' },
    ],
    ClientToken: randomUUID(),
  };
}

/** What FromDescribeResp (pkg/aliyun/client/types.go) reads of a member, and the Attachment the ENI controller records. */
function checkMember(e: Record<string, unknown>, where: string): void {
  assertFieldTypes(
    e,
    {
      Status: 'string',
      Type: 'string',
      MacAddress: 'string',
      NetworkInterfaceId: 'string',
      InstanceId: 'string',
      VpcId: 'string',
      VSwitchId: 'string',
      ZoneId: 'string',
      PrivateIpAddress: 'string',
      CreationTime: 'string',
      ResourceGroupId: 'string',
      NetworkInterfaceTrafficMode: 'string',
      SecurityGroupIds: 'object',
      PrivateIpSets: 'object',
      Ipv6Sets: 'object',
      Tags: 'object',
      Attachment: 'object',
    },
    where,
  );
  assertFieldTypes(
    e.Attachment,
    { InstanceId: 'string', DeviceIndex: 'number', NetworkCardIndex: 'number', TrunkNetworkInterfaceId: 'string' },
    `${where} Attachment`,
  );
}

/** DescribeNetworkInterfaceV2 with NetworkInterfaceIDs and RawStatus: DescribeNetworkInterfaces NetworkInterfaceId.N, MaxResults=500 (ecs_2.go). */
async function describeById(go: GoSdkClient, eniId: string): Promise<Record<string, unknown>[]> {
  const res = await go.ecs('DescribeNetworkInterfaces', { NetworkInterfaceId: [eniId], MaxResults: 500 });
  return listAt(res.body, 'NetworkInterfaceSets.NetworkInterfaceSet', 'DescribeNetworkInterfaces');
}

/**
 * The ENI controller's wait after an attach or detach of a member (eni.go): sleep
 * backoff.WaitMemberENIStatus's initial delay (2 s), then describe, requeueing with its backoff
 * (1 s ×1.5, 8 steps) until the status is reached. Returns the ENI as last described.
 */
async function waitMember(go: GoSdkClient, eniId: string, status: string): Promise<Record<string, unknown>> {
  let found: Record<string, unknown> | undefined;
  await k8sBackoff({ initialDelay: 2, duration: 1, factor: 1.5, steps: 8 }, async () => {
    const [e] = await describeById(go, eniId);
    found = e;
    return e?.Status === status;
  });
  return found!;
}

describe("Terway trunk mode replayed: each call with Terway's parameters, Go SDK wire style", () => {
  let server: RunningServer;
  let go: GoSdkClient;
  let net: Net;

  before(async () => {
    server = await startServer({ args: DELAYS });
    go = new GoSdkClient({ endpoint: server.endpoint, regionId: REGION });
    net = await network(server);
  });
  after(() => server?.dispose());

  test('Terway trunk node: limits, trunk ENI, pod member ENIs with VLAN IDs, the member GC listing, detach with the trunk ID, delete', async () => {
    // 1. limit.go GetInstanceType: member adapters = EniTotalQuantity - EniQuantity; at most EniTotalQuantity - 2.
    const types = await go.ecs('DescribeInstanceTypes', { MaxResults: 100, InstanceTypes: [TERWAY_NODE_TYPE] });
    const [t] = listAt(types.body, 'InstanceTypes.InstanceType', 'DescribeInstanceTypes');
    assertFieldTypes(t, { EniQuantity: 'number', EniTotalQuantity: 'number', EniTrunkSupported: 'boolean' }, TERWAY_NODE_TYPE);
    assert.equal(t!.EniTrunkSupported, true);
    const memberAdapterLimit = (t!.EniTotalQuantity as number) - (t!.EniQuantity as number);
    assert.equal(memberAdapterLimit, 16);

    // 2. The node pool creates the trunk ENI (3 IPs for the node's own pods) and attaches it with no trunk ID.
    const created = await go.ecs('CreateNetworkInterface', trunkCreateParams(net, 3));
    assert.match(created.query, /InstanceType=Trunk/);
    assert.equal(created.body.Type, 'Trunk');
    assert.equal(listAt(created.body, 'PrivateIpSets.PrivateIpSet', 'create').length, 3);
    const trunkId = created.body.NetworkInterfaceId as string;
    const attach = await go.ecs('AttachNetworkInterface', { InstanceId: net.instanceId, NetworkInterfaceId: trunkId, TrunkNetworkInstanceId: '' });
    assert.doesNotMatch(attach.query, /TrunkNetworkInstanceId/);
    // node.go reports the trunk once it is `Type == Trunk && Status == InUse`.
    await k8sBackoff({ duration: 5, factor: 2, steps: 6 }, async () => (await describeById(go, trunkId))[0]?.Status === 'InUse');
    const [trunk] = await describeById(go, trunkId);
    assert.equal(trunk!.Type, 'Trunk');

    // 3. Two pods: the pod controller creates their ENIs, the ENI controller attaches them to the trunk and waits.
    const vids = new Map<string, number>();
    for (let pod = 0; pod < 2; pod++) {
      const podEni = await go.ecs('CreateNetworkInterface', podEniCreateParams(net));
      assert.equal(podEni.body.Type, 'Secondary');
      const eniId = podEni.body.NetworkInterfaceId as string;
      const res = await go.ecs('AttachNetworkInterface', { NetworkInterfaceId: eniId, InstanceId: net.instanceId, TrunkNetworkInstanceId: trunkId });
      assert.match(res.query, new RegExp(`TrunkNetworkInstanceId=${trunkId}`));
      const e = await waitMember(go, eniId, 'InUse');
      checkMember(e, `member ${pod}`);
      assert.equal(e.Type, 'Member');
      assert.equal(e.InstanceId, net.instanceId);
      const att = e.Attachment as Record<string, unknown>;
      assert.equal(att.TrunkNetworkInterfaceId, trunkId);
      assert.equal(att.InstanceId, net.instanceId);
      // The controller's ENIInfo.Vid: the VLAN the CNI tags the pod's traffic with (plugin/driver/vlan).
      vids.set(eniId, att.DeviceIndex as number);
    }
    assert.deepEqual([...vids.values()].sort(), [1, 2]);

    // 4. gcMemberENI: every InUse member of the VPC, with what gcENIs needs to detach it.
    const listed = await go.ecs('DescribeNetworkInterfaces', { VpcId: net.vpcId, Type: 'Member', Status: 'InUse', MaxResults: 500 });
    assert.match(listed.query, /Type=Member/);
    const members = listAt(listed.body, 'NetworkInterfaceSets.NetworkInterfaceSet', 'gcMemberENI');
    assert.deepEqual(members.map((m) => m.NetworkInterfaceId).sort(), [...vids.keys()].sort());
    for (const m of members) {
      checkMember(m, 'listed member');
      assert.equal(m.Type, 'Member');
      // pod-eni's eniFilter keeps ENIs tagged with the cluster and the controller as creator.
      assert.deepEqual(
        listAt(m, 'Tags.Tag', 'tags')
          .map((x) => `${String(x.TagKey)}=${String(x.TagValue)}`)
          .sort(),
        [`ack.aliyun.com=${CLUSTER_ID}`, 'creator=terway-controller'],
      );
      // layout "2006-01-02T15:04:05Z"
      assert.match(m.CreationTime as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    }
    // The node's own listing of Secondary Available ENIs (leak GC) does not see the members.
    const leaked = await go.ecs('DescribeNetworkInterfaces', { VpcId: net.vpcId, Type: 'Secondary', Status: 'Available', MaxResults: 500 });
    const leakedIds = listAt(leaked.body, 'NetworkInterfaceSets.NetworkInterfaceSet', 'leaked').map((e) => e.NetworkInterfaceId);
    for (const id of vids.keys()) assert.ok(!leakedIds.includes(id));

    // 5. A trunk with members is linked: Terway never detaches it then, and eniplane refuses.
    await assert.rejects(go.ecs('DetachNetworkInterface', { NetworkInterfaceId: trunkId, InstanceId: net.instanceId }), (err: unknown) => {
      assert.ok(err instanceof GoSdkServerError);
      assert.equal(err.code, 'InvalidOperation.EniLinked');
      assert.equal(err.httpStatus, 403);
      return true;
    });

    // 6. gcENIs detaches a leaked member with the trunk ID it was listed with, then deletes it once Available.
    const [first, second] = members;
    await go.ecs('DetachNetworkInterface', {
      NetworkInterfaceId: first!.NetworkInterfaceId as string,
      InstanceId: first!.InstanceId as string,
      TrunkNetworkInstanceId: (first!.Attachment as Record<string, unknown>).TrunkNetworkInterfaceId as string,
    });
    const detached = await waitMember(go, first!.NetworkInterfaceId as string, 'Available');
    assert.equal(detached.Type, 'Secondary');
    assert.equal((detached.Attachment as Record<string, unknown> | undefined)?.TrunkNetworkInterfaceId ?? '', '');
    await go.ecs('DeleteNetworkInterface', { NetworkInterfaceId: first!.NetworkInterfaceId as string });
    await k8sBackoff(
      { initialDelay: 1, duration: 2, factor: 1.5, cap: 4, steps: 4 },
      async () => (await describeById(go, first!.NetworkInterfaceId as string)).length === 0,
    );

    // 7. The ENI controller's detach of the other pod (eni.go detach), then its delete; a second delete is done.
    await go.ecs('DetachNetworkInterface', {
      NetworkInterfaceId: second!.NetworkInterfaceId as string,
      InstanceId: net.instanceId,
      TrunkNetworkInstanceId: trunkId,
    });
    await waitMember(go, second!.NetworkInterfaceId as string, 'Available');
    await go.ecs('DeleteNetworkInterface', { NetworkInterfaceId: second!.NetworkInterfaceId as string });
    await sleep(4 * SECOND);
    await assert.rejects(go.ecs('DeleteNetworkInterface', { NetworkInterfaceId: second!.NetworkInterfaceId as string }), (err: unknown) =>
      errorCodeIs(err, 'InvalidEniId.NotFound'),
    );

    // 8. Without members the trunk detaches (no trunk ID: it is no member) and is deleted.
    await go.ecs('DetachNetworkInterface', { NetworkInterfaceId: trunkId, InstanceId: net.instanceId, TrunkNetworkInstanceId: '' });
    await k8sBackoff({ duration: 5, factor: 2, steps: 6 }, async () => (await describeById(go, trunkId))[0]?.Status === 'Available');
    await go.ecs('DeleteNetworkInterface', { NetworkInterfaceId: trunkId });
  });

  test('AttachNetworkInterface with TrunkNetworkInstanceId: a member over EniTotalQuantity answers EniPerInstanceLimitExceeded, which Terway surfaces (limit.go keeps it from asking)', async () => {
    // ecs.g8a.xlarge: EniTotalQuantity 5; limit.go allows EniTotalQuantity - EniQuantity = 1 member.
    const run = await ecsClient(server).runInstances(
      new $Ecs.RunInstancesRequest({ regionId: REGION, instanceType: 'ecs.g8a.xlarge', imageId: IMAGE, vSwitchId: net.nodeVsw, securityGroupId: net.sg }),
    );
    const node = run.body!.instanceIdSets!.instanceIdSet![0]!;
    const trunkId = (await go.ecs('CreateNetworkInterface', trunkCreateParams(net, 1))).body.NetworkInterfaceId as string;
    await go.ecs('AttachNetworkInterface', { InstanceId: node, NetworkInterfaceId: trunkId });
    await k8sBackoff({ duration: 5, factor: 2, steps: 6 }, async () => (await describeById(go, trunkId))[0]?.Status === 'InUse');
    const ids: string[] = [];
    for (let i = 0; i < 4; i++) ids.push((await go.ecs('CreateNetworkInterface', podEniCreateParams(net))).body.NetworkInterfaceId as string);
    // Primary + trunk + 3 members = 5.
    for (const id of ids.slice(0, 3)) await go.ecs('AttachNetworkInterface', { NetworkInterfaceId: id, InstanceId: node, TrunkNetworkInstanceId: trunkId });
    await assert.rejects(
      go.ecs('AttachNetworkInterface', { NetworkInterfaceId: ids[3]!, InstanceId: node, TrunkNetworkInstanceId: trunkId }),
      (err: unknown) => {
        assert.ok(err instanceof GoSdkServerError);
        assert.equal(err.code, 'EniPerInstanceLimitExceeded');
        assert.equal(err.httpStatus, 403);
        return true;
      },
    );
  });
});

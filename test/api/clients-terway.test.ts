import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import * as $Ecs from '@alicloud/ecs20140526';
import * as $Vpc from '@alicloud/vpc20160428';
import { ecsClient, vpcClient } from '../helpers/clients.ts';
import { GoSdkClient, GoSdkServerError, errorCodeIs, type GoParam } from '../helpers/go-sdk-client.ts';
import { SECOND, assertFieldTypes, k8sBackoff, listAt, sleep } from '../helpers/replay-kit.ts';
import { TeaRpcClient } from '../helpers/tea-rpc-client.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

/**
 * Terway (github AliyunContainerService/terway, commit 89aadf8b) replayed call by call: each
 * request carries exactly the parameters Terway's code sets, in the Go SDK's wire style (POST,
 * every parameter in the query string, V1 signature with an empty SignatureType), and each test
 * checks the response fields Terway reads with the types its structs declare. The server runs
 * with default settings (no attach-locality flag, default quotas) and short but real delays for
 * attach, detach and delete, so Terway's waits see the intermediate states.
 */
const REGION = 'cn-hangzhou';
const ZONE = 'cn-hangzhou-i';
const IMAGE = 'aliyun_3_x64_20G_alibase_20240819.vhd';
const NODE_TYPE = 'ecs.g7.xlarge';
/** pkg/aliyun/client/types.go eniDescription. */
const TERWAY_DESCRIPTION = 'interface create by terway';
// Attach at 1 s, so the Attaching read right after the call holds on a loaded machine; detach just under
// Terway's scaled 5 s sleep before its delete (pkg/factory/aliyun), so that delete never meets Detaching.
const DELAYS = ['--delays', 'none,eniAttach=1000,eniDetach=450,eniDelete=300'];

interface Net {
  vpcId: string;
  /** The node's vSwitch. */
  nodeVsw: string;
  /** Another vSwitch of the node's zone, where pod ENIs go. */
  podVsw: string;
  /** A /29: four usable addresses, for the "vSwitch full" path. */
  tinyVsw: string;
  sg: string;
  instanceId: string;
}

async function network(server: RunningServer): Promise<Net> {
  const vpc = vpcClient(server);
  const ecs = ecsClient(server);
  const vpcId = (await vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId: REGION, cidrBlock: '10.0.0.0/16' }))).body!.vpcId!;
  const vsw = async (cidrBlock: string) =>
    (await vpc.createVSwitch(new $Vpc.CreateVSwitchRequest({ regionId: REGION, vpcId, zoneId: ZONE, cidrBlock }))).body!.vSwitchId!;
  const nodeVsw = await vsw('10.0.1.0/24');
  const podVsw = await vsw('10.0.2.0/24');
  const tinyVsw = await vsw('10.0.3.0/29');
  const sg = (await ecs.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ regionId: REGION, vpcId }))).body!.securityGroupId!;
  const run = await ecs.runInstances(
    new $Ecs.RunInstancesRequest({ regionId: REGION, instanceType: NODE_TYPE, imageId: IMAGE, vSwitchId: nodeVsw, securityGroupId: sg }),
  );
  const instanceId = run.body!.instanceIdSets!.instanceIdSet![0]!;
  return { vpcId, nodeVsw, podVsw, tinyVsw, sg, instanceId };
}

/** pkg/aliyun/client/options.go CreateNetworkInterfaceOptions.Finish, as the node daemon fills it (pkg/factory/aliyun/aliyun.go). */
function daemonCreateParams(net: Net, vSwitchId: string, ipCount: number, extra: Record<string, GoParam> = {}): Record<string, GoParam> {
  return {
    VSwitchId: vSwitchId,
    InstanceType: 'Secondary',
    SecurityGroupIds: [net.sg],
    Description: TERWAY_DESCRIPTION,
    SecondaryPrivateIpAddressCount: ipCount > 1 ? ipCount - 1 : undefined,
    SourceDestCheck: false,
    Tag: [{ Key: 'creator', Value: 'terway' }],
    ClientToken: randomUUID(),
    ...extra,
  };
}

/** The fields FromCreateResp (pkg/aliyun/client/types.go) reads from CreateNetworkInterfaceResponse. */
function checkCreateResponse(body: Record<string, unknown>, where: string): void {
  assertFieldTypes(
    body,
    {
      RequestId: 'string',
      NetworkInterfaceId: 'string',
      Status: 'string',
      MacAddress: 'string',
      VSwitchId: 'string',
      PrivateIpAddress: 'string',
      ZoneId: 'string',
      Type: 'string',
      ResourceGroupId: 'string',
      SecurityGroupIds: 'object',
      PrivateIpSets: 'object',
      Ipv6Sets: 'object',
      Tags: 'object',
      Ipv4PrefixSets: 'object',
      Ipv6PrefixSets: 'object',
    },
    where,
  );
  for (const p of listAt(body, 'PrivateIpSets.PrivateIpSet', where))
    assertFieldTypes(p, { PrivateIpAddress: 'string', Primary: 'boolean' }, `${where} PrivateIpSet`);
  for (const s of listAt(body, 'SecurityGroupIds.SecurityGroupId', where)) assert.equal(typeof s, 'string');
  for (const t of listAt(body, 'Tags.Tag', where)) assertFieldTypes(t, { TagKey: 'string', TagValue: 'string' }, `${where} Tag`);
  listAt(body, 'Ipv6Sets.Ipv6Set', where);
  listAt(body, 'Ipv4PrefixSets.Ipv4PrefixSet', where);
  listAt(body, 'Ipv6PrefixSets.Ipv6PrefixSet', where);
}

/** The fields FromDescribeResp (pkg/aliyun/client/types.go) reads from one NetworkInterfaceSet. */
function checkDescribedEni(e: Record<string, unknown>, where: string): void {
  assertFieldTypes(
    e,
    {
      Status: 'string',
      MacAddress: 'string',
      NetworkInterfaceId: 'string',
      InstanceId: 'string',
      VSwitchId: 'string',
      PrivateIpAddress: 'string',
      ZoneId: 'string',
      Type: 'string',
      CreationTime: 'string',
      SecurityGroupIds: 'object',
      PrivateIpSets: 'object',
      Ipv6Sets: 'object',
      Tags: 'object',
      Ipv4PrefixSets: 'object',
      Ipv6PrefixSets: 'object',
    },
    where,
  );
  // pkg/controller/pod-eni/eni_controller.go parses CreationTime with layout "2006-01-02T15:04:05Z".
  assert.match(e.CreationTime as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/, `${where}: CreationTime`);
  for (const p of listAt(e, 'PrivateIpSets.PrivateIpSet', where))
    assertFieldTypes(p, { PrivateIpAddress: 'string', Primary: 'boolean' }, `${where} PrivateIpSet`);
  for (const t of listAt(e, 'Tags.Tag', where)) assertFieldTypes(t, { TagKey: 'string', TagValue: 'string' }, `${where} Tag`);
  listAt(e, 'SecurityGroupIds.SecurityGroupId', where);
  listAt(e, 'Ipv6Sets.Ipv6Set', where);
  listAt(e, 'Ipv4PrefixSets.Ipv4PrefixSet', where);
  listAt(e, 'Ipv6PrefixSets.Ipv6PrefixSet', where);
  if (e.Attachment !== undefined)
    assertFieldTypes(e.Attachment, { InstanceId: 'string', DeviceIndex: 'number', TrunkNetworkInterfaceId: 'string' }, `${where} Attachment`);
  if (e.NetworkInterfaceTrafficMode !== undefined) assert.equal(typeof e.NetworkInterfaceTrafficMode, 'string');
}

/** ECSService.describeNetworkInterfaceByID: DescribeNetworkInterfaces with NetworkInterfaceId.N and MaxResults=500. */
async function describeById(go: GoSdkClient, eniId: string): Promise<Record<string, unknown>[]> {
  const res = await go.ecs('DescribeNetworkInterfaces', { NetworkInterfaceId: [eniId], MaxResults: 500 });
  return listAt(res.body, 'NetworkInterfaceSets.NetworkInterfaceSet', 'DescribeNetworkInterfaces');
}

/** ECSService.WaitForNetworkInterface with backoff.WaitENIStatus-like shape (5 s doubling, 6 tries; scaled). */
async function waitForStatus(go: GoSdkClient, eniId: string, status: string): Promise<Record<string, unknown>> {
  let found: Record<string, unknown> | undefined;
  await k8sBackoff({ duration: 5, factor: 2, steps: 6 }, async () => {
    const enis = await describeById(go, eniId).catch(() => []);
    if (enis.length === 1 && enis[0]!.Status === status) {
      found = enis[0];
      return true;
    }
    return false;
  });
  return found!;
}

/** ECSService.DeleteNetworkInterface: delete (InvalidEniId.NotFound is done), then ENIDeleteConfirm (1 s, then 2 s ×1.5 capped at 4 s, 4 tries) until the ENI is listed no more. */
async function terwayDelete(go: GoSdkClient, eniId: string): Promise<{ tries: number; notFound: boolean }> {
  try {
    await go.ecs('DeleteNetworkInterface', { NetworkInterfaceId: eniId });
  } catch (err) {
    if (errorCodeIs(err, 'InvalidEniId.NotFound')) return { tries: 0, notFound: true };
    throw err;
  }
  const tries = await k8sBackoff({ initialDelay: 1, duration: 2, factor: 1.5, cap: 4, steps: 4 }, async () => (await describeById(go, eniId)).length === 0);
  return { tries, notFound: false };
}

/** A server with short non-zero delays, Terway's Go SDK client for it, and a node's network. */
async function startTerwayNode(): Promise<{ server: RunningServer; go: GoSdkClient; net: Net }> {
  const server = await startServer({ args: DELAYS });
  const go = new GoSdkClient({ endpoint: server.endpoint, regionId: REGION });
  return { server, go, net: await network(server) };
}

describe("Terway replay: each call of pkg/aliyun/client with Terway's parameters, Go SDK wire style", () => {
  let server: RunningServer;
  let go: GoSdkClient;
  let net: Net;

  before(async () => ({ server, go, net } = await startTerwayNode()));
  after(() => server?.dispose());

  test('DescribeInstanceTypes: node limits, InstanceTypes.N with MaxResults=100 looping on NextToken (pkg/aliyun/client/ecs.go, limit.go)', async () => {
    const rows: Record<string, unknown>[] = [];
    let nextToken = '';
    for (let page = 0; page < 20; page++) {
      const res = await go.ecs('DescribeInstanceTypes', { NextToken: nextToken, MaxResults: 100, InstanceTypes: [NODE_TYPE] });
      assert.match(res.query, /InstanceTypes\.1=ecs\.g7\.xlarge/);
      rows.push(...listAt(res.body, 'InstanceTypes.InstanceType', 'DescribeInstanceTypes'));
      nextToken = typeof res.body.NextToken === 'string' ? res.body.NextToken : '';
      if (nextToken === '') break;
    }
    assert.equal(rows.length, 1);
    const t = rows[0]!;
    assertFieldTypes(
      t,
      {
        InstanceTypeId: 'string',
        EniQuantity: 'number',
        EniPrivateIpAddressQuantity: 'number',
        EniIpv6AddressQuantity: 'number',
        EniTotalQuantity: 'number',
        EniTrunkSupported: 'boolean',
        EriQuantity: 'number',
        NetworkCards: 'object',
      },
      NODE_TYPE,
    );
    // limit.go also copies InstanceBandwidthRx; the Go SDK leaves it 0 when absent, and Terway only logs it.
    if ('InstanceBandwidthRx' in t) assert.equal(typeof t.InstanceBandwidthRx, 'number');
    listAt(t, 'NetworkCards.NetworkCardInfo', NODE_TYPE);
    assert.equal(t.EniQuantity, 4);
    assert.equal(t.EniPrivateIpAddressQuantity, 15);
    // limit.go: member (trunk) adapters = EniTotalQuantity - EniQuantity, never negative.
    assert.ok((t.EniTotalQuantity as number) >= (t.EniQuantity as number));
  });

  test('DescribeVSwitches: the vSwitch pool reads AvailableIpAddressCount, CidrBlock, Ipv6CidrBlock and ZoneId by VSwitchId (pkg/aliyun/client/vpc_service.go)', async () => {
    const res = await go.vpc('DescribeVSwitches', { VSwitchId: net.podVsw });
    const [sw] = listAt(res.body, 'VSwitches.VSwitch', 'DescribeVSwitches');
    assertFieldTypes(sw, { VSwitchId: 'string', AvailableIpAddressCount: 'number', CidrBlock: 'string', Ipv6CidrBlock: 'string', ZoneId: 'string' }, 'VSwitch');
    assert.equal(sw!.VSwitchId, net.podVsw);
    assert.equal(sw!.ZoneId, ZONE);
    assert.equal(sw!.CidrBlock, '10.0.2.0/24');
  });

  test('CreateNetworkInterface: terway node daemon with SourceDestCheck=false, Tag creator=terway and a ClientToken (pkg/aliyun/client/options.go, pkg/factory/aliyun/aliyun.go)', async () => {
    const params = daemonCreateParams(net, net.nodeVsw, 3);
    const res = await go.ecs('CreateNetworkInterface', params);
    // The Go SDK's wire form: Description with spaces as `+`, an empty SignatureType, booleans as words.
    assert.match(res.query, /Description=interface\+create\+by\+terway/);
    assert.match(res.query, /SignatureType=&/);
    assert.match(res.query, /SourceDestCheck=false/);
    assert.match(res.query, /Tag\.1\.Key=creator&Tag\.1\.Value=terway/);
    checkCreateResponse(res.body, 'CreateNetworkInterface');
    assert.equal(res.body.Type, 'Secondary');
    assert.equal(listAt(res.body, 'PrivateIpSets.PrivateIpSet', 'create').length, 3);
    assert.deepEqual(listAt(res.body, 'Tags.Tag', 'create'), [{ TagKey: 'creator', TagValue: 'terway' }]);
    // SourceDestCheck is acted upon: the V3 SDK Terway uses for attributes reads it back false.
    const attr = await ecsClient(server).describeNetworkInterfaceAttribute(
      new $Ecs.DescribeNetworkInterfaceAttributeRequest({ regionId: REGION, networkInterfaceId: res.body.NetworkInterfaceId as string }),
    );
    assert.equal(attr.body!.sourceDestCheck, false);
  });

  test('CreateNetworkInterface: the same ClientToken retried answers the same ENI, not a second one (pkg/aliyun/client/token.go, ecs.go)', async () => {
    const params = daemonCreateParams(net, net.nodeVsw, 2);
    const first = await go.ecs('CreateNetworkInterface', params);
    const again = await go.ecs('CreateNetworkInterface', params);
    assert.equal(again.body.NetworkInterfaceId, first.body.NetworkInterfaceId);
    const tagged = await go.ecs('DescribeNetworkInterfaces', { MaxResults: 500, VpcId: net.vpcId, Tag: [{ Key: 'creator', Value: 'terway' }] });
    const ids = listAt(tagged.body, 'NetworkInterfaceSets.NetworkInterfaceSet', 'list').map((e) => e.NetworkInterfaceId);
    assert.equal(ids.filter((id) => id === first.body.NetworkInterfaceId).length, 1);
  });

  test('CreateNetworkInterface: with a configured resource group, ResourceGroupId is stored, returned and filterable (pkg/aliyun/client/options.go)', async () => {
    const tea = new TeaRpcClient({ endpoint: server.endpoint });
    const groups = await tea.resourceManager('ListResourceGroups', { PageSize: 50, PageNumber: 1 });
    const rg = listAt(groups, 'ResourceGroups.ResourceGroup', 'ListResourceGroups')[0]!.Id as string;
    assert.match(rg, /^rg-/);
    const res = await go.ecs('CreateNetworkInterface', daemonCreateParams(net, net.nodeVsw, 1, { ResourceGroupId: rg }));
    assert.equal(res.body.ResourceGroupId, rg);
    const listed = await go.ecs('DescribeNetworkInterfaces', {
      MaxResults: 500,
      ResourceGroupId: rg,
      NetworkInterfaceId: [res.body.NetworkInterfaceId as string],
    });
    const [e] = listAt(listed.body, 'NetworkInterfaceSets.NetworkInterfaceSet', 'list');
    assert.equal(e?.ResourceGroupId, rg);
  });

  test('CreateNetworkInterface: pod ENI by the control plane, DeleteOnRelease=true and SourceDestCheck=false (pkg/controller/pod/pod_controller.go)', async () => {
    const res = await go.ecs(
      'CreateNetworkInterface',
      daemonCreateParams(net, net.podVsw, 1, {
        DeleteOnRelease: true,
        Tag: [
          { Key: 'creator', Value: 'terway-controller' },
          { Key: 'ack.aliyun.com', Value: 'c-test' },
        ],
      }),
    );
    checkCreateResponse(res.body, 'CreateNetworkInterface');
    const attr = await ecsClient(server).describeNetworkInterfaceAttribute(
      new $Ecs.DescribeNetworkInterfaceAttributeRequest({ regionId: REGION, networkInterfaceId: res.body.NetworkInterfaceId as string }),
    );
    assert.equal(attr.body!.deleteOnRelease, true);
    assert.equal(attr.body!.sourceDestCheck, false);
  });

  test("AttachNetworkInterface: a pod ENI of another vSwitch in the node's zone attaches to the node with default settings (pkg/aliyun/client/ecs.go)", async () => {
    const created = await go.ecs('CreateNetworkInterface', daemonCreateParams(net, net.podVsw, 1));
    const eniId = created.body.NetworkInterfaceId as string;
    const res = await go.ecs('AttachNetworkInterface', { InstanceId: net.instanceId, NetworkInterfaceId: eniId });
    assert.equal(typeof res.body.RequestId, 'string');
    const e = await waitForStatus(go, eniId, 'InUse');
    assert.equal(e.InstanceId, net.instanceId);
    assert.equal(e.VSwitchId, net.podVsw);
  });

  test('DescribeNetworkInterfaces: by NetworkInterfaceId.N, every field FromDescribeResp reads (pkg/aliyun/client/ecs.go, types.go)', async () => {
    const created = await go.ecs('CreateNetworkInterface', daemonCreateParams(net, net.nodeVsw, 2));
    const [e] = await describeById(go, created.body.NetworkInterfaceId as string);
    assert.ok(e);
    checkDescribedEni(e, 'NetworkInterfaceSet');
    assert.equal(e.SourceDestCheck, false);
    assert.deepEqual(listAt(e, 'Tags.Tag', 'tags'), [{ TagKey: 'creator', TagValue: 'terway' }]);
  });

  test("DescribeNetworkInterfaces: the node's primary ENI by InstanceId and Type=Primary, MaxResults=500 (pkg/aliyun/client/ecs.go)", async () => {
    const res = await go.ecs('DescribeNetworkInterfaces', { MaxResults: 500, InstanceId: net.instanceId, Type: 'Primary' });
    const enis = listAt(res.body, 'NetworkInterfaceSets.NetworkInterfaceSet', 'list');
    assert.equal(enis.length, 1);
    checkDescribedEni(enis[0]!, 'primary');
    assert.equal(enis[0]!.Type, 'Primary');
    assert.equal(typeof res.body.NextToken, 'string');
  });

  test('DescribeNetworkInterfaces: leaked ENIs by VpcId, Type=Secondary and Status=Available (pkg/aliyun/client/ecs.go, pkg/controller/pod-eni)', async () => {
    const leaked = await go.ecs('CreateNetworkInterface', daemonCreateParams(net, net.podVsw, 1));
    const res = await go.ecs('DescribeNetworkInterfaces', { MaxResults: 500, VpcId: net.vpcId, Type: 'Secondary', Status: 'Available' });
    const enis = listAt(res.body, 'NetworkInterfaceSets.NetworkInterfaceSet', 'list');
    assert.ok(enis.some((e) => e.NetworkInterfaceId === leaked.body.NetworkInterfaceId));
    for (const e of enis) {
      assert.equal(e.Status, 'Available');
      assert.equal(e.Type, 'Secondary');
    }
  });

  test('AssignPrivateIpAddresses: SecondaryPrivateIpAddressCount with a ClientToken, reading AssignedPrivateIpAddressesSet (pkg/aliyun/client/ecs.go, options.go)', async () => {
    const created = await go.ecs('CreateNetworkInterface', daemonCreateParams(net, net.nodeVsw, 1));
    const eniId = created.body.NetworkInterfaceId as string;
    const params = { NetworkInterfaceId: eniId, SecondaryPrivateIpAddressCount: 2, ClientToken: randomUUID() };
    const res = await go.ecs('AssignPrivateIpAddresses', params);
    assertFieldTypes(res.body, { AssignedPrivateIpAddressesSet: 'object' }, 'AssignPrivateIpAddresses');
    const ips = listAt(res.body, 'AssignedPrivateIpAddressesSet.PrivateIpSet.PrivateIpAddress', 'assigned');
    assert.equal(ips.length, 2);
    for (const ip of ips) assert.equal(typeof ip, 'string');
    // The same token again: the same addresses, none added.
    await go.ecs('AssignPrivateIpAddresses', params);
    const [e] = await describeById(go, eniId);
    assert.equal(listAt(e, 'PrivateIpSets.PrivateIpSet', 'ips').length, 3);
  });

  test('UnassignPrivateIpAddresses: PrivateIpAddress.N; an address already gone answers InvalidIp.IpUnassigned, which Terway treats as done (pkg/aliyun/client/ecs.go)', async () => {
    const created = await go.ecs('CreateNetworkInterface', daemonCreateParams(net, net.nodeVsw, 3));
    const eniId = created.body.NetworkInterfaceId as string;
    const secondary = listAt(created.body, 'PrivateIpSets.PrivateIpSet', 'ips')
      .filter((p) => !p.Primary)
      .map((p) => p.PrivateIpAddress as string);
    const res = await go.ecs('UnassignPrivateIpAddresses', { NetworkInterfaceId: eniId, PrivateIpAddress: [secondary[0]!] });
    assert.match(res.query, /PrivateIpAddress\.1=10\.0\.1\.\d+/);
    await assert.rejects(go.ecs('UnassignPrivateIpAddresses', { NetworkInterfaceId: eniId, PrivateIpAddress: [secondary[0]!] }), (err) =>
      errorCodeIs(err, 'InvalidIp.IpUnassigned'),
    );
  });

  test('DescribeNetworkInterfaceAttribute: Attribute=basic through the V2 (Tea) SDK behind the ENIAttributeBasic gate (pkg/aliyun/client/ecs_attribute.go)', async () => {
    const created = await go.ecs('CreateNetworkInterface', daemonCreateParams(net, net.nodeVsw, 2));
    const eniId = created.body.NetworkInterfaceId as string;
    const res = await ecsClient(server).describeNetworkInterfaceAttribute(
      new $Ecs.DescribeNetworkInterfaceAttributeRequest({ regionId: REGION, networkInterfaceId: eniId, attribute: 'basic' }),
    );
    const b = res.body!;
    // FromAttributeResp reads these.
    assert.equal(b.networkInterfaceId, eniId);
    assert.equal(b.status, 'Available');
    assert.equal(b.macAddress, created.body.MacAddress);
    assert.equal(b.vSwitchId, net.nodeVsw);
    assert.equal(b.privateIpAddress, created.body.PrivateIpAddress);
    assert.equal(b.type, 'Secondary');
    assert.equal(b.privateIpSets!.privateIpSet!.length, 2);
  });

  test('DetachNetworkInterface: InstanceId and NetworkInterfaceId; an unknown ENI answers InvalidEniId.NotFound, which Terway treats as done (pkg/aliyun/client/ecs.go)', async () => {
    const created = await go.ecs('CreateNetworkInterface', daemonCreateParams(net, net.podVsw, 1));
    const eniId = created.body.NetworkInterfaceId as string;
    await go.ecs('AttachNetworkInterface', { InstanceId: net.instanceId, NetworkInterfaceId: eniId });
    await waitForStatus(go, eniId, 'InUse');
    await go.ecs('DetachNetworkInterface', { NetworkInterfaceId: eniId, InstanceId: net.instanceId });
    const [during] = await describeById(go, eniId);
    assert.equal(during?.Status, 'Detaching');
    await waitForStatus(go, eniId, 'Available');
    await assert.rejects(go.ecs('DetachNetworkInterface', { NetworkInterfaceId: 'eni-bp1doesnotexist000000', InstanceId: net.instanceId }), (err) =>
      errorCodeIs(err, 'InvalidEniId.NotFound', 'InvalidEcsId.NotFound'),
    );
  });

  test('DeleteNetworkInterface: then the ENIDeleteConfirm poll until it is listed no more; deleting again answers InvalidEniId.NotFound (pkg/aliyun/client/ecs.go)', async () => {
    const created = await go.ecs('CreateNetworkInterface', daemonCreateParams(net, net.nodeVsw, 2));
    const eniId = created.body.NetworkInterfaceId as string;
    const { tries, notFound } = await terwayDelete(go, eniId);
    assert.equal(notFound, false);
    assert.ok(tries >= 1);
    const again = await terwayDelete(go, eniId);
    assert.equal(again.notFound, true);
  });
});

describe('Terway node lifecycle (scaled-down waits, non-zero server delays)', () => {
  let server: RunningServer;
  let go: GoSdkClient;
  let net: Net;

  before(async () => ({ server, go, net } = await startTerwayNode()));
  after(() => server?.dispose());

  test('Terway node: limits, daemon ENI with secondary IPs seen in metadata, idempotent retry, pod ENI from another vSwitch, IP churn, full vSwitch skipped, detach, delete', async () => {
    // 1. Node limits (limit.go): DescribeInstanceTypes for the node's type.
    const types = await go.ecs('DescribeInstanceTypes', { MaxResults: 100, InstanceTypes: [NODE_TYPE] });
    const limit = listAt(types.body, 'InstanceTypes.InstanceType', 'types')[0]!;
    const ipv4PerAdapter = limit.EniPrivateIpAddressQuantity as number;
    assert.ok(ipv4PerAdapter >= 5);

    // 2. Daemon ENI: create (ENICreate backoff, vSwitches that answer "full" skipped), with one ClientToken for its retries.
    const daemonParams = daemonCreateParams(net, net.nodeVsw, 5);
    const created = await go.ecs('CreateNetworkInterface', daemonParams);
    const retried = await go.ecs('CreateNetworkInterface', daemonParams);
    assert.equal(retried.body.NetworkInterfaceId, created.body.NetworkInterfaceId, 'a retry with the same ClientToken returns the same ENI');
    const daemonEni = created.body.NetworkInterfaceId as string;
    const mac = created.body.MacAddress as string;
    const ips = listAt(created.body, 'PrivateIpSets.PrivateIpSet', 'ips').map((p) => p.PrivateIpAddress as string);
    assert.equal(ips.length, 5);

    // 3. Attach to the node; the daemon waits until the metadata lists the ENI's addresses (validateIPInMetadata).
    await go.ecs('AttachNetworkInterface', { InstanceId: net.instanceId, NetworkInterfaceId: daemonEni });
    await k8sBackoff({ duration: 1, factor: 1.5, steps: 10 }, async () => {
      const res = await fetch(`${server.metadataUrl}/latest/meta-data/network/interfaces/macs/${mac}/private-ipv4s`, {
        headers: { 'X-Eniplane-Instance-Id': net.instanceId },
      });
      if (res.status !== 200) return false;
      const listed = JSON.parse(await res.text()) as string[];
      return ips.every((ip) => listed.includes(ip));
    });
    const inUse = await waitForStatus(go, daemonEni, 'InUse');
    assert.equal(inUse.InstanceId, net.instanceId);

    // 4. IP churn on the daemon ENI (ENIIPOps): assign two, unassign one, unassign it again (IpUnassigned is done).
    const assigned = await go.ecs('AssignPrivateIpAddresses', { NetworkInterfaceId: daemonEni, SecondaryPrivateIpAddressCount: 2, ClientToken: randomUUID() });
    const added = listAt(assigned.body, 'AssignedPrivateIpAddressesSet.PrivateIpSet.PrivateIpAddress', 'assigned') as unknown as string[];
    await go.ecs('UnassignPrivateIpAddresses', { NetworkInterfaceId: daemonEni, PrivateIpAddress: [added[0]!] });
    await go.ecs('UnassignPrivateIpAddresses', { NetworkInterfaceId: daemonEni, PrivateIpAddress: [added[0]!] }).catch((err: unknown) => {
      if (!errorCodeIs(err, 'InvalidIp.IpUnassigned')) throw err;
    });
    const [afterChurn] = await describeById(go, daemonEni);
    assert.equal(listAt(afterChurn, 'PrivateIpSets.PrivateIpSet', 'ips').length, 6);

    // 5. A full vSwitch: the /29 holds four usable addresses; Terway asks for more, gets the "not enough" code, blocks that vSwitch and moves on.
    let skipped = '';
    const poolOrder = [net.tinyVsw, net.podVsw];
    let podEni = '';
    for (const vsw of poolOrder) {
      try {
        const res = await go.ecs('CreateNetworkInterface', daemonCreateParams(net, vsw, 5, { DeleteOnRelease: true }));
        podEni = res.body.NetworkInterfaceId as string;
        assert.equal(res.body.VSwitchId, vsw);
        break;
      } catch (err) {
        if (errorCodeIs(err, 'InvalidVSwitchId.IpNotEnough', 'QuotaExceeded.PrivateIpAddress')) {
          skipped = vsw;
          continue;
        }
        throw err;
      }
    }
    assert.equal(skipped, net.tinyVsw, 'the /29 answered a code Terway skips on');
    assert.ok(podEni);

    // 6. The pod ENI (another vSwitch of the node's zone) attaches to the node with default settings.
    await go.ecs('AttachNetworkInterface', { InstanceId: net.instanceId, NetworkInterfaceId: podEni });
    const [attaching] = await describeById(go, podEni);
    assert.equal(attaching?.Status, 'Attaching', 'the server delay is visible to the wait');
    await waitForStatus(go, podEni, 'InUse');
    const attached = await go.ecs('DescribeNetworkInterfaces', { MaxResults: 500, InstanceId: net.instanceId });
    const onNode = listAt(attached.body, 'NetworkInterfaceSets.NetworkInterfaceSet', 'node').map((e) => e.NetworkInterfaceId);
    assert.ok(onNode.includes(daemonEni) && onNode.includes(podEni));

    // 7. Release (pkg/factory/aliyun/aliyun.go DeleteNetworkInterface): detach, sleep 5 s, delete, confirm gone.
    for (const eni of [podEni, daemonEni]) {
      await go.ecs('DetachNetworkInterface', { NetworkInterfaceId: eni, InstanceId: net.instanceId });
      await sleep(5 * SECOND);
      const { notFound } = await terwayDelete(go, eni);
      assert.equal(notFound, false);
      assert.deepEqual(await describeById(go, eni), []);
      // Post-delete checks: a second detach and delete answer InvalidEniId.NotFound, treated as done.
      await assert.rejects(go.ecs('DetachNetworkInterface', { NetworkInterfaceId: eni, InstanceId: net.instanceId }), (err) =>
        errorCodeIs(err, 'InvalidEniId.NotFound', 'InvalidEcsId.NotFound'),
      );
      assert.equal((await terwayDelete(go, eni)).notFound, true);
    }
    // Nothing of the node's ENIs is left on the node but its primary one.
    const left = await go.ecs('DescribeNetworkInterfaces', { MaxResults: 500, InstanceId: net.instanceId });
    assert.deepEqual(
      listAt(left.body, 'NetworkInterfaceSets.NetworkInterfaceSet', 'left').map((e) => e.Type),
      ['Primary'],
    );
  });

  test("Terway node: credentials from the node's RAM role in the metadata service sign Terway's Go SDK calls, SecurityToken included (pkg/aliyun/credential)", async () => {
    const ecs = ecsClient(server);
    const run = await ecs.runInstances(
      new $Ecs.RunInstancesRequest({
        regionId: REGION,
        instanceType: NODE_TYPE,
        imageId: IMAGE,
        vSwitchId: net.nodeVsw,
        securityGroupId: net.sg,
        ramRoleName: 'TerwayRole',
      }),
    );
    const node = run.body!.instanceIdSets!.instanceIdSet![0]!;
    const md = (path: string) => fetch(`${server.metadataUrl}/latest/meta-data/${path}`, { headers: { 'X-Eniplane-Instance-Id': node } });
    const roles = await md('ram/security-credentials/');
    assert.equal(roles.status, 200);
    assert.equal((await roles.text()).trim(), 'TerwayRole');
    const doc = (await (await md('ram/security-credentials/TerwayRole')).json()) as Record<string, string>;
    assert.equal(doc.Code, 'Success');
    const sts = new GoSdkClient({
      endpoint: server.endpoint,
      regionId: REGION,
      credentials: { accessKeyId: doc.AccessKeyId!, accessKeySecret: doc.AccessKeySecret!, securityToken: doc.SecurityToken! },
    });
    const created = await sts.ecs('CreateNetworkInterface', daemonCreateParams(net, net.nodeVsw, 2));
    assert.match(created.query, /SecurityToken=/);
    const [e] = await describeById(sts, created.body.NetworkInterfaceId as string);
    assert.equal(e?.Status, 'Available');
    // The same key without its token is refused: the token is part of the credential.
    const noToken = new GoSdkClient({
      endpoint: server.endpoint,
      regionId: REGION,
      credentials: { accessKeyId: doc.AccessKeyId!, accessKeySecret: doc.AccessKeySecret! },
    });
    await assert.rejects(
      noToken.ecs('DescribeNetworkInterfaces', { MaxResults: 500, VpcId: net.vpcId }),
      (err) => err instanceof GoSdkServerError && err.httpStatus >= 400 && err.httpStatus < 500,
    );
  });

  test('Terway node: a Go SDK call signed with a SecurityToken that the server does not know is refused, nothing changed (pkg/aliyun/credential)', async () => {
    const bogus = new GoSdkClient({
      endpoint: server.endpoint,
      regionId: REGION,
      credentials: { accessKeyId: 'STS.NotARealKey0000000', accessKeySecret: 'nope', securityToken: 'CAIS-not-real' },
    });
    await assert.rejects(
      bogus.ecs('DescribeNetworkInterfaces', { MaxResults: 500, VpcId: net.vpcId }),
      (err) => err instanceof GoSdkServerError && err.httpStatus >= 400 && err.httpStatus < 500,
    );
  });
});

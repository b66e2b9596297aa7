import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import * as $Vpc from '@alicloud/vpc20160428';
import { vpcClient } from '../helpers/clients.ts';
import { GoSdkClient, errorCodeIs, type GoParam } from '../helpers/go-sdk-client.ts';
import { assertFieldTypes, k8sBackoff, listAt } from '../helpers/replay-kit.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { TERWAY_DELAYS, TERWAY_DESCRIPTION, TERWAY_NODE_TYPE, TERWAY_REGION, terwayNode, type TerwayNode } from '../helpers/terway-node.ts';

/**
 * Terway's prefix mode replayed call by call (github AliyunContainerService/terway,
 * pkg/controller/multi-ip/node/pool.go with pkg/aliyun/client/options.go and ecs_2.go): the
 * controller sizes prefixes from DescribeInstanceTypes (one slot per prefix, the primary address
 * taking one: IPv4PerAdapter - 1 on a new ENI, at most 10 per call), creates each ENI with
 * Ipv4PrefixCount and no secondary count, attaches it, tops it up with AssignPrivateIpAddresses
 * Ipv4PrefixCount and a ClientToken, reads Ipv4PrefixSets back from DescribeNetworkInterfaces,
 * and gives prefixes back with UnassignPrivateIpAddresses Ipv4Prefix.N (InvalidIp.IpUnassigned
 * counts as done). Each request carries exactly what Terway's code sets, in the Go SDK's wire
 * style; the server runs with default settings and short attach/detach/delete delays.
 */
const REGION = TERWAY_REGION;
/** pool.go maxPrefixPerAPICall: "Both CreateNetworkInterface and AssignPrivateIpAddresses APIs limit IPv4/IPv6 prefix count to 1-10." */
const MAX_PREFIX_PER_API_CALL = 10;

type Node = TerwayNode;
/** A node whose pod vSwitch is a /20: room for many /28 prefixes. */
const node = (server: RunningServer) => terwayNode(server, { podCidr: '10.0.16.0/20' });

/**
 * CreateNetworkInterfaceOptions.Finish as pool.go createENI fills it in prefix mode: IPCount 0
 * (no SecondaryPrivateIpAddressCount), Ipv4PrefixCount, SourceDestCheck=false, the creator tag.
 */
function prefixCreateParams(n: Node, prefixCount: number): Record<string, GoParam> {
  return {
    VSwitchId: n.podVsw,
    InstanceType: 'Secondary',
    SecurityGroupIds: [n.sg],
    Description: TERWAY_DESCRIPTION,
    Ipv4PrefixCount: prefixCount,
    SourceDestCheck: false,
    Tag: [{ Key: 'creator', Value: 'terway' }],
    ClientToken: randomUUID(),
  };
}

/** DescribeNetworkInterfaceV2 with the node's InstanceId (pool.go syncWithAPI), MaxResults=500. */
async function enisOfNode(go: GoSdkClient, n: Node): Promise<Record<string, unknown>[]> {
  const res = await go.ecs('DescribeNetworkInterfaces', { MaxResults: 500, InstanceId: n.instanceId });
  return listAt(res.body, 'NetworkInterfaceSets.NetworkInterfaceSet', 'DescribeNetworkInterfaces');
}

/** FromDescribeResp (pkg/aliyun/client/types.go): Ipv4PrefixSets.Ipv4PrefixSet[].Ipv4Prefix. */
function prefixesOf(e: Record<string, unknown>): string[] {
  return listAt(e, 'Ipv4PrefixSets.Ipv4PrefixSet', 'Ipv4PrefixSets').map((p) => {
    assertFieldTypes(p, { Ipv4Prefix: 'string' }, 'Ipv4PrefixSet');
    return p.Ipv4Prefix as string;
  });
}

function assertStandardPrefixes(prefixes: readonly string[], cidr: string): void {
  const toInt = (ip: string) => ip.split('.').reduce((a, o) => a * 256 + Number(o), 0);
  const [netIp, bits] = cidr.split('/') as [string, string];
  const first = toInt(netIp);
  const last = first + 2 ** (32 - Number(bits)) - 1;
  const starts = prefixes.map((p) => {
    assert.match(p, /^\d+\.\d+\.\d+\.\d+\/28$/);
    const s = toInt(p.split('/')[0]!);
    assert.equal(s % 16, 0, `${p} is a standard CIDR block`);
    assert.ok(s > first && s + 15 <= last - 3, `${p} is inside ${cidr}, clear of its reserved addresses`);
    return s;
  });
  assert.equal(new Set(starts).size, starts.length, 'no prefix twice');
}

describe("Terway prefix mode replay: pkg/controller/multi-ip/node/pool.go's calls with Terway's parameters, Go SDK wire style", () => {
  let server: RunningServer;
  let go: GoSdkClient;
  let n: Node;
  let eniId: string;
  let ipv4PerAdapter: number;

  before(async () => {
    server = await startServer({ args: TERWAY_DELAYS });
    go = new GoSdkClient({ endpoint: server.endpoint, regionId: REGION });
    n = await node(server);
  });
  after(() => server?.dispose());

  test('DescribeInstanceTypes: EniPrivateIpAddressQuantity sizes the prefix slots (IPv4PerAdapter; a new ENI takes IPv4PerAdapter - 1 prefixes)', async () => {
    const res = await go.ecs('DescribeInstanceTypes', { MaxResults: 100, InstanceTypes: [TERWAY_NODE_TYPE] });
    const [t] = listAt(res.body, 'InstanceTypes.InstanceType', 'DescribeInstanceTypes');
    assertFieldTypes(t, { EniPrivateIpAddressQuantity: 'number', EniQuantity: 'number' }, TERWAY_NODE_TYPE);
    ipv4PerAdapter = t!.EniPrivateIpAddressQuantity as number;
    assert.equal(ipv4PerAdapter, 15);
  });

  test('CreateNetworkInterface: Ipv4PrefixCount = min(demand, IPv4PerAdapter - 1, 10) and no secondary count; the response carries Ipv4PrefixSets (options.go Finish, types.go FromCreateResp)', async () => {
    const count = Math.min(12, ipv4PerAdapter - 1, MAX_PREFIX_PER_API_CALL);
    const res = await go.ecs('CreateNetworkInterface', prefixCreateParams(n, count));
    assert.match(res.query, /Ipv4PrefixCount=10/);
    assert.doesNotMatch(res.query, /SecondaryPrivateIpAddressCount/);
    assertFieldTypes(res.body, { NetworkInterfaceId: 'string', Status: 'string', PrivateIpSets: 'object', Ipv4PrefixSets: 'object' }, 'create');
    eniId = res.body.NetworkInterfaceId as string;
    const prefixes = prefixesOf(res.body);
    assert.equal(prefixes.length, 10);
    assertStandardPrefixes(prefixes, '10.0.16.0/20');
    assert.equal(listAt(res.body, 'PrivateIpSets.PrivateIpSet', 'create').length, 1, 'the primary address only');
  });

  test('CreateNetworkInterface: Terway itself never sends secondary addresses and prefixes together; the cloud refuses it (options.go: "ECS does not allow requesting both")', async () => {
    await assert.rejects(go.ecs('CreateNetworkInterface', { ...prefixCreateParams(n, 2), SecondaryPrivateIpAddressCount: 2 }), (err) =>
      errorCodeIs(err, 'InvalidParameter.Conflict'),
    );
  });

  test('AttachNetworkInterface: the ENI with its 10 prefixes (11 of 15 slots) attaches to the node and shows InUse with its prefixes', async () => {
    await go.ecs('AttachNetworkInterface', { InstanceId: n.instanceId, NetworkInterfaceId: eniId });
    let found: Record<string, unknown> | undefined;
    await k8sBackoff({ duration: 5, factor: 2, steps: 6 }, async () => {
      found = (await enisOfNode(go, n)).find((e) => e.NetworkInterfaceId === eniId && e.Status === 'InUse');
      return found !== undefined;
    });
    assert.ok(found);
    assert.equal(prefixesOf(found).length, 10);
  });

  test('AssignPrivateIpAddresses: Ipv4PrefixCount up to the slots left (15 - 1 - 10 = 4) with a ClientToken, reading AssignedPrivateIpAddressesSet.Ipv4PrefixSet.Ipv4Prefixes (pool.go assignIPv4Prefix, ecs_2.go)', async () => {
    const [e] = (await enisOfNode(go, n)).filter((x) => x.NetworkInterfaceId === eniId);
    const used = listAt(e, 'PrivateIpSets.PrivateIpSet', 'ips').length + prefixesOf(e!).length;
    const leftQuota = ipv4PerAdapter - used;
    assert.equal(leftQuota, 4);
    const params = { NetworkInterfaceId: eniId, Ipv4PrefixCount: Math.min(leftQuota, MAX_PREFIX_PER_API_CALL), ClientToken: randomUUID() };
    const res = await go.ecs('AssignPrivateIpAddresses', params);
    assert.match(res.query, /Ipv4PrefixCount=4/);
    assertFieldTypes(res.body, { AssignedPrivateIpAddressesSet: 'object' }, 'AssignPrivateIpAddresses');
    const assigned = listAt(res.body, 'AssignedPrivateIpAddressesSet.Ipv4PrefixSet.Ipv4Prefixes', 'assigned') as unknown as string[];
    assert.equal(assigned.length, 4);
    assert.deepEqual(listAt(res.body, 'AssignedPrivateIpAddressesSet.PrivateIpSet.PrivateIpAddress', 'assigned'), []);
    // A retry with the same token (Terway keeps the token until the call succeeds): the same answer, nothing more taken.
    const again = await go.ecs('AssignPrivateIpAddresses', params);
    assert.deepEqual(listAt(again.body, 'AssignedPrivateIpAddressesSet.Ipv4PrefixSet.Ipv4Prefixes', 'again'), assigned);
    const [after] = (await enisOfNode(go, n)).filter((x) => x.NetworkInterfaceId === eniId);
    const all = prefixesOf(after!);
    assert.equal(all.length, 14);
    for (const p of assigned) assert.ok(all.includes(p));
    assertStandardPrefixes(all, '10.0.16.0/20');
    // The ENI is full: one more prefix exceeds the instance type's per-ENI figure.
    await assert.rejects(go.ecs('AssignPrivateIpAddresses', { NetworkInterfaceId: eniId, Ipv4PrefixCount: 1, ClientToken: randomUUID() }), (err) =>
      errorCodeIs(err, 'InvalidOperation.Ipv4CountExceeded'),
    );
  });

  test('UnassignPrivateIpAddresses: Ipv4Prefix.N gives prefixes back; a prefix already gone answers InvalidIp.IpUnassigned, which Terway treats as done (ecs_2.go UnAssignPrivateIPAddresses2)', async () => {
    const [e] = (await enisOfNode(go, n)).filter((x) => x.NetworkInterfaceId === eniId);
    const release = prefixesOf(e!).slice(0, 2);
    const res = await go.ecs('UnassignPrivateIpAddresses', { NetworkInterfaceId: eniId, Ipv4Prefix: release });
    assert.match(res.query, /Ipv4Prefix\.1=10\.0\.\d+\.\d+%2F28&Ipv4Prefix\.2=/);
    await assert.rejects(go.ecs('UnassignPrivateIpAddresses', { NetworkInterfaceId: eniId, Ipv4Prefix: [release[0]!] }), (err) =>
      errorCodeIs(err, 'InvalidIp.IpUnassigned'),
    );
    const [after] = (await enisOfNode(go, n)).filter((x) => x.NetworkInterfaceId === eniId);
    assert.equal(prefixesOf(after!).length, 12);
    for (const p of release) assert.ok(!prefixesOf(after!).includes(p));
  });

  test('DescribeVSwitches: AvailableIpAddressCount counts 16 addresses per prefix (the vSwitch pool reads it to pick a vSwitch)', async () => {
    const res = await go.vpc('DescribeVSwitches', { VSwitchId: n.podVsw });
    const [sw] = listAt(res.body, 'VSwitches.VSwitch', 'DescribeVSwitches');
    // A /20 has 4092 usable addresses; the ENI holds its primary address and 12 prefixes.
    assert.equal(sw!.AvailableIpAddressCount, 4092 - 1 - 12 * 16);
  });

  test('DetachNetworkInterface then DeleteNetworkInterface: the ENI and its prefixes are released, the vSwitch whole again', async () => {
    await go.ecs('DetachNetworkInterface', { InstanceId: n.instanceId, NetworkInterfaceId: eniId });
    const vpc = vpcClient(server);
    const free = async () =>
      (await vpc.describeVSwitchAttributes(new $Vpc.DescribeVSwitchAttributesRequest({ regionId: REGION, vSwitchId: n.podVsw }))).body!
        .availableIpAddressCount!;
    await k8sBackoff({ duration: 5, factor: 2, steps: 6 }, async () => {
      const res = await go.ecs('DescribeNetworkInterfaces', { MaxResults: 500, NetworkInterfaceId: [eniId] });
      return listAt(res.body, 'NetworkInterfaceSets.NetworkInterfaceSet', 'list')[0]?.Status === 'Available';
    });
    await go.ecs('DeleteNetworkInterface', { NetworkInterfaceId: eniId });
    await k8sBackoff({ initialDelay: 1, duration: 2, factor: 1.5, cap: 4, steps: 4 }, async () => (await free()) === 4092);
    assert.equal(await free(), 4092);
  });
});

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import * as $Ecs from '@alicloud/ecs20140526';
import * as $Vpc from '@alicloud/vpc20160428';
import { ecsClient, vpcClient } from '../helpers/clients.ts';
import { GoSdkClient, errorCodeIs } from '../helpers/go-sdk-client.ts';
import { assertFieldTypes, k8sBackoff, listAt } from '../helpers/replay-kit.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { TERWAY_DELAYS, TERWAY_DESCRIPTION, TERWAY_IMAGE, TERWAY_NODE_TYPE, TERWAY_REGION, TERWAY_ZONE } from '../helpers/terway-node.ts';
import { ipv6NetContains, parseIpv6, parseIpv6Cidr } from '../../src/domain/ipv6.ts';

/**
 * Terway's dual-stack mode (github AliyunContainerService/terway), replayed with the parameters
 * its code sets, in the Go SDK's wire style: the node daemon turns IPv6 on when
 * DescribeInstanceTypes reports EniIpv6AddressQuantity, creates ENIs with as many IPv6 as IPv4
 * addresses (pkg/aliyun/client/options.go CreateNetworkInterfaceOptions: Ipv6AddressCount), adds
 * and removes them with AssignIpv6Addresses (Ipv6AddressCount, ClientToken; it reads
 * Ipv6Sets.Ipv6Address) and UnassignIpv6Addresses (Ipv6Address.N), and waits for the metadata
 * service's `ipv6s` to list them (pkg/aliyun/metadata: a bracketed list, 404 meaning none), with
 * `vswitch-ipv6-cidr-block` and `ipv6-gateway` for the routes. Default settings, short real
 * attach/detach/delete delays.
 */
const REGION = TERWAY_REGION;
const ZONE = TERWAY_ZONE;

describe("Terway dual-stack replay: IPv6 ENIs with Terway's parameters, Go SDK wire style", () => {
  let server: RunningServer;
  let go: GoSdkClient;
  let vswitch: string;
  let block64: string;
  let sg: string;
  let node: string;

  before(async () => {
    server = await startServer({ args: TERWAY_DELAYS });
    go = new GoSdkClient({ endpoint: server.endpoint, regionId: REGION });
    const vpc = vpcClient(server);
    const ecs = ecsClient(server);
    const vpcId = (await vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId: REGION, cidrBlock: '10.0.0.0/16', enableIpv6: true }))).body!.vpcId!;
    vswitch = (await vpc.createVSwitch(new $Vpc.CreateVSwitchRequest({ regionId: REGION, vpcId, zoneId: ZONE, cidrBlock: '10.0.1.0/24', ipv6CidrBlock: 4 })))
      .body!.vSwitchId!;
    sg = (await ecs.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ regionId: REGION, vpcId }))).body!.securityGroupId!;
    node = (
      await ecs.runInstances(
        new $Ecs.RunInstancesRequest({ regionId: REGION, instanceType: TERWAY_NODE_TYPE, imageId: TERWAY_IMAGE, vSwitchId: vswitch, securityGroupId: sg }),
      )
    ).body!.instanceIdSets!.instanceIdSet![0]!;
  });
  after(() => server?.dispose());

  const metadata = (path: string) => fetch(`${server.metadataUrl}/latest/meta-data/${path}`, { headers: { 'X-Eniplane-Instance-Id': node } });
  /** pkg/aliyun/metadata: strips the brackets and splits on commas. */
  const parseBracketed = (body: string) =>
    body
      .replace(/^\[|\]$/g, '')
      .split(',')
      .filter(Boolean);

  test('DescribeInstanceTypes reports EniIpv6AddressQuantity and DescribeVSwitches the vSwitch Ipv6CidrBlock (pkg/aliyun/client/ecs.go, vpc_service.go)', async () => {
    const types = await go.ecs('DescribeInstanceTypes', { InstanceTypes: [TERWAY_NODE_TYPE], MaxResults: 100 });
    const t = listAt(types.body, 'InstanceTypes.InstanceType', 'types')[0]!;
    assert.ok((t.EniIpv6AddressQuantity as number) > 0);
    const vsws = await go.vpc('DescribeVSwitches', { VSwitchId: vswitch });
    const v = listAt(vsws.body, 'VSwitches.VSwitch', 'vswitches')[0]!;
    assertFieldTypes(v, { Ipv6CidrBlock: 'string', CidrBlock: 'string', AvailableIpAddressCount: 'number' }, 'vSwitch');
    block64 = v.Ipv6CidrBlock as string;
    assert.equal(parseIpv6Cidr(block64)?.prefixLength, 64);
  });

  test('Terway dual-stack node: ENI with Ipv6AddressCount, attach, metadata ipv6s, AssignIpv6Addresses with a ClientToken, UnassignIpv6Addresses, detach, delete', async () => {
    if (!block64) block64 = listAt((await go.vpc('DescribeVSwitches', { VSwitchId: vswitch })).body, 'VSwitches.VSwitch', 'v')[0]!.Ipv6CidrBlock as string;
    const inBlock = (a: string) => ipv6NetContains(parseIpv6Cidr(block64)!, parseIpv6(a)!);
    // 1. CreateNetworkInterface as options.go Finish builds it for a dual-stack daemon: IPCount 3, IPv6Count 3.
    const created = await go.ecs('CreateNetworkInterface', {
      VSwitchId: vswitch,
      InstanceType: 'Secondary',
      SecurityGroupIds: [sg],
      Description: TERWAY_DESCRIPTION,
      SecondaryPrivateIpAddressCount: 2,
      Ipv6AddressCount: 3,
      SourceDestCheck: false,
      Tag: [{ Key: 'creator', Value: 'terway' }],
      ClientToken: randomUUID(),
    });
    const eniId = created.body.NetworkInterfaceId as string;
    const created6 = listAt(created.body, 'Ipv6Sets.Ipv6Set', 'create').map((s) => s.Ipv6Address as string);
    assert.equal(created6.length, 3);
    for (const a of created6) assert.ok(inBlock(a), a);
    const mac = created.body.MacAddress as string;

    // 2. Attach, wait for InUse, then for the metadata to list the IPv6 addresses (validateIPInMetadata).
    await go.ecs('AttachNetworkInterface', { InstanceId: node, NetworkInterfaceId: eniId });
    await k8sBackoff({ duration: 5, factor: 2, steps: 6 }, async () => {
      const e = listAt(
        (await go.ecs('DescribeNetworkInterfaces', { NetworkInterfaceId: [eniId], MaxResults: 500 })).body,
        'NetworkInterfaceSets.NetworkInterfaceSet',
        'd',
      );
      return e[0]?.Status === 'InUse';
    });
    const ipv6s = await metadata(`network/interfaces/macs/${mac}/ipv6s`);
    assert.equal(ipv6s.status, 200);
    assert.deepEqual(parseBracketed(await ipv6s.text()).sort(), [...created6].sort());
    assert.equal(await (await metadata(`network/interfaces/macs/${mac}/vswitch-ipv6-cidr-block`)).text(), block64);
    const gateway = await (await metadata(`network/interfaces/macs/${mac}/ipv6-gateway`)).text();
    assert.ok(inBlock(gateway), gateway);

    // 3. AssignIpv6Addresses: Ipv6AddressCount and a ClientToken; Terway reads Ipv6Sets.Ipv6Address.
    const params = { NetworkInterfaceId: eniId, Ipv6AddressCount: 2, ClientToken: randomUUID() };
    const assigned = await go.ecs('AssignIpv6Addresses', params);
    assertFieldTypes(assigned.body, { RequestId: 'string', NetworkInterfaceId: 'string', Ipv6Sets: 'object' }, 'AssignIpv6Addresses');
    const added = listAt(assigned.body, 'Ipv6Sets.Ipv6Address', 'assigned') as unknown as string[];
    assert.equal(added.length, 2);
    // The retried token answers the same addresses and adds none.
    const again = await go.ecs('AssignIpv6Addresses', params);
    assert.deepEqual(listAt(again.body, 'Ipv6Sets.Ipv6Address', 'again'), added);
    const described = listAt(
      (await go.ecs('DescribeNetworkInterfaces', { NetworkInterfaceId: [eniId], MaxResults: 500 })).body,
      'NetworkInterfaceSets.NetworkInterfaceSet',
      'd',
    )[0]!;
    const all = listAt(described, 'Ipv6Sets.Ipv6Set', 'ipv6').map((s) => s.Ipv6Address as string);
    assert.deepEqual([...all].sort(), [...created6, ...added].sort());

    // 4. UnassignIpv6Addresses: Ipv6Address.N; the metadata follows.
    const res = await go.ecs('UnassignIpv6Addresses', { NetworkInterfaceId: eniId, Ipv6Address: added });
    assert.match(res.query, /Ipv6Address\.1=/);
    assert.deepEqual(parseBracketed(await (await metadata(`network/interfaces/macs/${mac}/ipv6s`)).text()).sort(), [...created6].sort());
    await assert.rejects(go.ecs('UnassignIpv6Addresses', { NetworkInterfaceId: eniId, Ipv6Address: added }), (err) =>
      errorCodeIs(err, 'InvalidIp.IpUnassigned'),
    );

    // 5. Detach, then delete: the addresses are free for the next ENI.
    await go.ecs('DetachNetworkInterface', { InstanceId: node, NetworkInterfaceId: eniId });
    await k8sBackoff({ duration: 5, factor: 2, steps: 6 }, async () => {
      const e = listAt(
        (await go.ecs('DescribeNetworkInterfaces', { NetworkInterfaceId: [eniId], MaxResults: 500 })).body,
        'NetworkInterfaceSets.NetworkInterfaceSet',
        'd',
      );
      return e[0]?.Status === 'Available';
    });
    await go.ecs('DeleteNetworkInterface', { NetworkInterfaceId: eniId });
    await k8sBackoff({ initialDelay: 1, duration: 2, factor: 1.5, cap: 4, steps: 6 }, async () => {
      const e = listAt(
        (await go.ecs('DescribeNetworkInterfaces', { NetworkInterfaceId: [eniId], MaxResults: 500 })).body,
        'NetworkInterfaceSets.NetworkInterfaceSet',
        'd',
      );
      return e.length === 0;
    });
    const reuse = await go.ecs('CreateNetworkInterface', {
      VSwitchId: vswitch,
      InstanceType: 'Secondary',
      SecurityGroupIds: [sg],
      Ipv6Address: [created6[0]!],
      ClientToken: randomUUID(),
    });
    assert.deepEqual(
      listAt(reuse.body, 'Ipv6Sets.Ipv6Set', 'reuse').map((s) => s.Ipv6Address),
      [created6[0]],
    );
  });

  test('Terway dual-stack: an ENI in a vSwitch without IPv6 answers InvalidVSwitch.Ipv6NotTurnOn, the code Terway surfaces', async () => {
    const vpc = vpcClient(server);
    const vpcId = (await vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId: REGION, cidrBlock: '172.16.0.0/16' }))).body!.vpcId!;
    const plain = (await vpc.createVSwitch(new $Vpc.CreateVSwitchRequest({ regionId: REGION, vpcId, zoneId: ZONE, cidrBlock: '172.16.1.0/24' }))).body!
      .vSwitchId!;
    const plainSg = (await ecsClient(server).createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ regionId: REGION, vpcId }))).body!.securityGroupId!;
    await assert.rejects(
      go.ecs('CreateNetworkInterface', {
        VSwitchId: plain,
        InstanceType: 'Secondary',
        SecurityGroupIds: [plainSg],
        Ipv6AddressCount: 1,
        ClientToken: randomUUID(),
      }),
      (err) => errorCodeIs(err, 'InvalidVSwitch.Ipv6NotTurnOn'),
    );
  });
});

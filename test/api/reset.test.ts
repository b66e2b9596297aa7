import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as $Ecs from '@alicloud/ecs20140526';
import * as $Vpc from '@alicloud/vpc20160428';
import RPCClient from '@alicloud/pop-core';
import { createAccount, runCli } from '../helpers/cli.ts';
import { ecsClient, eniplaneClient, vpcClient, type Key } from '../helpers/clients.ts';
import { TEST_KEY, startServer, type RunningServer } from '../helpers/server.ts';
import { storeViolations } from '../helpers/store-invariants.ts';

/**
 * Resetting state between test runs (README "Resetting state"): ResetAccount through eniplane's
 * own API removes everything of the caller's account, in every region, and nothing of another
 * account; the store then satisfies every invariant of the checker (test/replicas/invariants.ts),
 * and the account works from scratch with the same keys. `eniplane reset --account` and `--all`
 * do the same on the store while the server runs.
 */
const ZONE = 'cn-hangzhou-i';
const IMAGE = 'aliyun_3_x64_20G_alibase_20240819.vhd';

/** Everything an account holds, by what the official SDKs list: IDs and addresses, sorted. */
interface Inventory {
  vpcs: string[];
  vswitches: string[];
  groups: string[];
  instances: string[];
  enis: string[];
  addresses: string[];
  eips: string[];
  resourceGroups: string[];
  tags: string[];
  faults: string[];
}

function account(server: RunningServer, key: Key) {
  const ecs = ecsClient(server, { key });
  const vpc = vpcClient(server, { key });
  const own = eniplaneClient(server, key);
  const rm = new RPCClient({
    accessKeyId: key.accessKeyId,
    accessKeySecret: key.accessKeySecret,
    endpoint: `http://${server.endpoint}`,
    apiVersion: '2020-03-31',
  });

  return {
    own,
    /** A bit of everything: IPv6 VPC and vSwitch, groups and rules, an instance with a public IP and a RAM role, ENIs with addresses, prefixes, IPv6 and tags (one attached), an EIP on an ENI, a resource group, a ClientToken, a fault rule; and a VPC in a second region. */
    async populate(): Promise<{ eniByToken: string }> {
      const regionId = 'cn-hangzhou';
      const vpcId = (await vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId, cidrBlock: '10.0.0.0/8', enableIpv6: true }))).body!.vpcId!;
      const vSwitchId = (await vpc.createVSwitch(new $Vpc.CreateVSwitchRequest({ regionId, vpcId, zoneId: ZONE, cidrBlock: '10.1.0.0/24', ipv6CidrBlock: 1 })))
        .body!.vSwitchId!;
      const sg = (await ecs.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ regionId, vpcId }))).body!.securityGroupId!;
      const peer = (await ecs.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ regionId, vpcId }))).body!.securityGroupId!;
      await ecs.authorizeSecurityGroup(
        new $Ecs.AuthorizeSecurityGroupRequest({
          regionId,
          securityGroupId: sg,
          permissions: [new $Ecs.AuthorizeSecurityGroupRequestPermissions({ ipProtocol: 'tcp', portRange: '22/22', sourceGroupId: peer })],
        }),
      );
      const instanceId = (
        await ecs.runInstances(
          new $Ecs.RunInstancesRequest({
            regionId,
            instanceType: 'ecs.g7.large',
            imageId: IMAGE,
            vSwitchId,
            securityGroupId: sg,
            internetMaxBandwidthOut: 5,
            ramRoleName: 'NodeRole',
            tag: [new $Ecs.RunInstancesRequestTag({ key: 'env', value: 'test' })],
          }),
        )
      ).body!.instanceIdSets!.instanceIdSet![0]!;
      const eni = async (extra: Partial<$Ecs.CreateNetworkInterfaceRequest>) =>
        (await ecs.createNetworkInterface(new $Ecs.CreateNetworkInterfaceRequest({ regionId, vSwitchId, securityGroupIds: [sg], ...extra }))).body!
          .networkInterfaceId!;
      const attached = await eni({
        secondaryPrivateIpAddressCount: 2,
        ipv6AddressCount: 1,
        tag: [new $Ecs.CreateNetworkInterfaceRequestTag({ key: 'team', value: 'a' })],
      });
      const eniByToken = await eni({ ipv4PrefixCount: 1, clientToken: 'reset-token' });
      await ecs.attachNetworkInterface(new $Ecs.AttachNetworkInterfaceRequest({ regionId, instanceId, networkInterfaceId: attached }));
      const allocationId = (await vpc.allocateEipAddress(new $Vpc.AllocateEipAddressRequest({ regionId }))).body!.allocationId!;
      await vpc.associateEipAddress(new $Vpc.AssociateEipAddressRequest({ regionId, allocationId, instanceId: eniByToken, instanceType: 'NetworkInterface' }));
      await vpc.tagResources(
        new $Vpc.TagResourcesRequest({ regionId, resourceType: 'VPC', resourceId: [vpcId], tag: [new $Vpc.TagResourcesRequestTag({ key: 'k', value: 'v' })] }),
      );
      await rm.request('CreateResourceGroup', { Name: 'reset-group', DisplayName: 'reset group' });
      await own.request('AddFault', { TargetAction: 'Ecs:DescribeZones', LatencyMs: 1 });
      await vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId: 'cn-beijing', cidrBlock: '192.168.0.0/16' }));
      return { eniByToken };
    },
    async inventory(): Promise<Inventory> {
      const out: Inventory = {
        vpcs: [],
        vswitches: [],
        groups: [],
        instances: [],
        enis: [],
        addresses: [],
        eips: [],
        resourceGroups: [],
        tags: [],
        faults: [],
      };
      for (const regionId of ['cn-hangzhou', 'cn-beijing']) {
        out.vpcs.push(...(await vpc.describeVpcs(new $Vpc.DescribeVpcsRequest({ regionId, pageSize: 50 }))).body!.vpcs!.vpc!.map((v) => v.vpcId!));
        out.vswitches.push(
          ...(await vpc.describeVSwitches(new $Vpc.DescribeVSwitchesRequest({ regionId, pageSize: 50 }))).body!.vSwitches!.vSwitch!.map((v) => v.vSwitchId!),
        );
        out.groups.push(
          ...(await ecs.describeSecurityGroups(new $Ecs.DescribeSecurityGroupsRequest({ regionId, maxResults: 100 }))).body!.securityGroups!.securityGroup!.map(
            (g) => g.securityGroupId!,
          ),
        );
        out.instances.push(
          ...(await ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId, maxResults: 100 }))).body!.instances!.instance!.map(
            (i) => i.instanceId!,
          ),
        );
        for (const e of (await ecs.describeNetworkInterfaces(new $Ecs.DescribeNetworkInterfacesRequest({ regionId, maxResults: 500 }))).body!
          .networkInterfaceSets!.networkInterfaceSet!) {
          out.enis.push(e.networkInterfaceId!);
          out.addresses.push(...e.privateIpSets!.privateIpSet!.map((p) => p.privateIpAddress!));
        }
        out.eips.push(
          ...(await vpc.describeEipAddresses(new $Vpc.DescribeEipAddressesRequest({ regionId, pageSize: 100 }))).body!.eipAddresses!.eipAddress!.map(
            (e) => `${e.allocationId} ${e.ipAddress}`,
          ),
        );
        // ListTagResources needs IDs or tags: the keys populate() sets.
        for (const [resourceType, key] of [
          ['instance', 'env'],
          ['eni', 'team'],
        ] as const) {
          const tags = (
            await ecs.listTagResources(new $Ecs.ListTagResourcesRequest({ regionId, resourceType, tag: [new $Ecs.ListTagResourcesRequestTag({ key })] }))
          ).body!.tagResources!.tagResource!;
          out.tags.push(...tags.map((t) => `${t.resourceId} ${t.tagKey}=${t.tagValue}`));
        }
        const vpcTags = (
          await vpc.listTagResources(
            new $Vpc.ListTagResourcesRequest({ regionId, resourceType: 'VPC', tag: [new $Vpc.ListTagResourcesRequestTag({ key: 'k' })] }),
          )
        ).body!.tagResources!.tagResource!;
        out.tags.push(...vpcTags.map((t) => `${t.resourceId} ${t.tagKey}=${t.tagValue}`));
      }
      const groups = await rm.request<{ ResourceGroups: { ResourceGroup: { Name: string }[] } }>('ListResourceGroups', {});
      out.resourceGroups = groups.ResourceGroups.ResourceGroup.map((g) => g.Name);
      out.faults = (await own.request<{ Faults: { Fault: { FaultId: string }[] } }>('ListFaults', {})).Faults.Fault.map((f) => f.FaultId);
      for (const list of Object.values(out)) list.sort();
      return out;
    },
  };
}

const EMPTY: Inventory = {
  vpcs: [],
  vswitches: [],
  groups: [],
  instances: [],
  enis: [],
  addresses: [],
  eips: [],
  resourceGroups: ['default'],
  tags: [],
  faults: [],
};

describe('resetting state', () => {
  let server: RunningServer;
  let otherKey: Key;
  let a: ReturnType<typeof account>;
  let b: ReturnType<typeof account>;

  before(async () => {
    server = await startServer();
    otherKey = createAccount(server, 'reset-other');
    a = account(server, TEST_KEY);
    b = account(server, otherKey);
  });
  after(() => server.dispose());

  test("ResetAccount: everything of the caller's account goes, in every region, nothing of another account; the store keeps every invariant; the account starts over", async () => {
    const first = await a.populate();
    await b.populate();
    const full = await a.inventory();
    assert.equal(full.vpcs.length, 2, 'two regions');
    assert.ok(full.instances.length === 1 && full.enis.length === 3 && full.eips.length === 1 && full.faults.length === 1);
    const others = await b.inventory();

    const removed = (await a.own.request<{ Removed: Record<string, number> }>('ResetAccount', {})).Removed;
    assert.deepEqual(
      { ...removed },
      {
        Instances: 1,
        NetworkInterfaces: 3,
        EipAddresses: 1,
        Vpcs: 2,
        VSwitches: 1,
        SecurityGroups: 2,
        Tags: 3,
        ResourceGroups: 1,
        ClientTokens: 1,
        Faults: 1,
      },
    );
    assert.deepEqual(await a.inventory(), EMPTY);
    assert.deepEqual(await b.inventory(), others, 'the other account is untouched');
    assert.deepEqual(await storeViolations(server, [TEST_KEY, otherKey]), []);

    // From scratch: the same CIDRs, the ClientToken is forgotten (a new ENI, not the old answer), the EIP pool has room.
    const again = await a.populate();
    assert.notEqual(again.eniByToken, first.eniByToken);
    const refilled = await a.inventory();
    assert.deepEqual(
      Object.fromEntries(Object.entries(refilled).map(([k, v]) => [k, v.length])),
      Object.fromEntries(Object.entries(full).map(([k, v]) => [k, v.length])),
    );
    assert.deepEqual(await storeViolations(server, [TEST_KEY, otherKey]), []);
  });

  test('eniplane reset --account and --all: the same on the store while the server runs; accounts and keys stay', async () => {
    const before = await a.inventory();
    assert.ok(before.enis.length > 0 || (await a.populate()));
    const one = runCli(['reset', '--account', 'reset-other', ...server.storeArgs]);
    assert.equal(one.status, 0, one.stderr);
    assert.match(one.stdout, /reset account reset-other \(\d+\): removed \d+ Instances, \d+ NetworkInterfaces/);
    assert.deepEqual(await b.inventory(), EMPTY);
    assert.notDeepEqual(await a.inventory(), EMPTY, 'the root account is untouched');
    const both = runCli(['reset', '--all', ...server.storeArgs]);
    assert.equal(both.status, 0, both.stderr);
    assert.match(both.stdout, /reset every account of .*: removed/);
    assert.deepEqual(await a.inventory(), EMPTY);
    assert.deepEqual(await storeViolations(server, [TEST_KEY, otherKey]), []);
    const accounts = runCli(['accounts', 'list', ...server.storeArgs]);
    assert.match(accounts.stdout, /root/);
    assert.match(accounts.stdout, /reset-other/);
    // The keys still sign, and the default reset is the root account's.
    await b.populate();
    await a.populate();
    const root = runCli(['reset', ...server.storeArgs]);
    assert.equal(root.status, 0, root.stderr);
    assert.deepEqual(await a.inventory(), EMPTY);
    assert.notDeepEqual(await b.inventory(), EMPTY);
    const both2 = runCli(['reset', '--all', '--account', 'root', ...server.storeArgs]);
    assert.notEqual(both2.status, 0);
    assert.match(both2.stderr, /--all and --account exclude each other/);
  });
});

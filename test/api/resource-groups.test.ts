import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import * as $Ecs from '@alicloud/ecs20140526';
import * as $Vpc from '@alicloud/vpc20160428';
import type RPCClientType from '@alicloud/pop-core';
import { ecsClient, vpcClient, type Key } from '../helpers/clients.ts';
import { createAccount } from '../helpers/cli.ts';
import { expectApiError } from '../helpers/expect-error.ts';
import { startServer, TEST_KEY, type RunningServer } from '../helpers/server.ts';

const require = createRequire(import.meta.url);
const RPCClient = require('@alicloud/pop-core') as typeof RPCClientType;
const region = 'cn-hangzhou';
const DEFAULT_GROUP = /^rg-acfm[a-z0-9]{11}$/;

/**
 * ResourceManager (2020-03-31) has no SDK among the project's dependencies: the official generic
 * RPC client (pop-core) signs and sends it as the Terraform provider does (form POST, JSON).
 */
function resourceManager(server: RunningServer, key: Key = TEST_KEY): RPCClientType {
  return new RPCClient({ accessKeyId: key.accessKeyId, accessKeySecret: key.accessKeySecret, endpoint: `http://${server.endpoint}`, apiVersion: '2020-03-31' });
}

interface GroupItem {
  Id: string;
  Name: string;
  DisplayName: string;
  AccountId: string;
  Status: string;
  CreateDate: string;
}

describe('Resource groups: ResourceGroupId on every resource, ResourceManager actions', () => {
  let server: RunningServer;
  let ecs: ReturnType<typeof ecsClient>;
  let vpc: ReturnType<typeof vpcClient>;
  let rm: RPCClientType;
  let defaultGroup: string;
  let team: string;
  let vpcId: string;
  let vswId: string;
  before(async () => {
    server = await startServer();
    ecs = ecsClient(server);
    vpc = vpcClient(server);
    rm = resourceManager(server);
    const list = (await rm.request('ListResourceGroups', { Status: 'OK', PageSize: 50, PageNumber: 1 }, { method: 'POST' })) as {
      ResourceGroups: { ResourceGroup: GroupItem[] };
    };
    defaultGroup = list.ResourceGroups.ResourceGroup[0]!.Id;
    const created = (await rm.request('CreateResourceGroup', { Name: 'team-a', DisplayName: 'Team A' }, { method: 'POST' })) as { ResourceGroup: GroupItem };
    team = created.ResourceGroup.Id;
    vpcId = (await vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId: region, cidrBlock: '10.0.0.0/16' }))).body!.vpcId!;
    vswId = (await vpc.createVSwitch(new $Vpc.CreateVSwitchRequest({ regionId: region, vpcId, zoneId: 'cn-hangzhou-i', cidrBlock: '10.0.1.0/24' }))).body!
      .vSwitchId!;
  });
  after(() => server.dispose());

  const sg = (extra: Partial<$Ecs.CreateSecurityGroupRequest> = {}) =>
    ecs.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ regionId: region, vpcId, ...extra })).then((r) => r.body!.securityGroupId!);
  const eni = (securityGroupId: string, extra: Partial<$Ecs.CreateNetworkInterfaceRequest> = {}) =>
    ecs.createNetworkInterface(new $Ecs.CreateNetworkInterfaceRequest({ regionId: region, vSwitchId: vswId, securityGroupIds: [securityGroupId], ...extra }));
  const enisIn = async (resourceGroupId: string) =>
    (
      await ecs.describeNetworkInterfaces(new $Ecs.DescribeNetworkInterfacesRequest({ regionId: region, resourceGroupId, maxResults: 100 }))
    ).body!.networkInterfaceSets!.networkInterfaceSet!.map((e) => e.networkInterfaceId);

  test('ListResourceGroups (data source alicloud_resource_manager_resource_groups): the default group first, every field the provider reads', async () => {
    const list = (await rm.request('ListResourceGroups', { Status: 'OK', PageSize: 50, PageNumber: 1 }, { method: 'POST' })) as {
      TotalCount: number;
      PageNumber: number;
      PageSize: number;
      ResourceGroups: { ResourceGroup: GroupItem[] };
    };
    assert.equal(list.TotalCount, 2);
    assert.equal(list.PageSize, 50);
    const [first, second] = list.ResourceGroups.ResourceGroup;
    assert.match(first!.Id, DEFAULT_GROUP);
    assert.equal(first!.Name, 'default');
    assert.equal(first!.Status, 'OK');
    assert.match(first!.AccountId, /^\d{16}$/);
    assert.match(first!.CreateDate, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    assert.deepEqual([second!.Id, second!.Name, second!.DisplayName], [team, 'team-a', 'Team A']);
    assert.match(team, /^rg-acfm[a-z0-9]{11}$/);
    // Filters: a status no group has, a name, IDs.
    const pending = (await rm.request('ListResourceGroups', { Status: 'PendingDelete' }, { method: 'POST' })) as {
      ResourceGroups: { ResourceGroup: GroupItem[] };
    };
    assert.deepEqual(pending.ResourceGroups.ResourceGroup, []);
    const named = (await rm.request('ListResourceGroups', { Name: 'team-a' }, { method: 'POST' })) as { ResourceGroups: { ResourceGroup: GroupItem[] } };
    assert.deepEqual(
      named.ResourceGroups.ResourceGroup.map((g) => g.Id),
      [team],
    );
    const got = (await rm.request('GetResourceGroup', { ResourceGroupId: team }, { method: 'POST' })) as {
      ResourceGroup: GroupItem & { RegionStatuses: { RegionStatus: { RegionId: string; Status: string }[] } };
    };
    assert.equal(got.ResourceGroup.Name, 'team-a');
    assert.ok(got.ResourceGroup.RegionStatuses.RegionStatus.some((r) => r.RegionId === region && r.Status === 'OK'));
  });

  test('CreateResourceGroup / DeleteResourceGroup: names are unique and well-formed; only an empty, non-default group is deleted', async () => {
    await expectApiError(rm.request('CreateResourceGroup', { Name: 'team-a', DisplayName: 'again' }, { method: 'POST' }), 'EntityAlreadyExists.ResourceGroup');
    await expectApiError(rm.request('CreateResourceGroup', { Name: 'Bad Name', DisplayName: 'x' }, { method: 'POST' }), 'InvalidParameter.Name');
    await expectApiError(rm.request('DeleteResourceGroup', { ResourceGroupId: defaultGroup }, { method: 'POST' }), 'NotSupport.DefaultResourceGroup');
    const temp = ((await rm.request('CreateResourceGroup', { Name: 'temp', DisplayName: 'Temp' }, { method: 'POST' })) as { ResourceGroup: GroupItem })
      .ResourceGroup.Id;
    const groupId = await sg({ resourceGroupId: temp });
    await expectApiError(rm.request('DeleteResourceGroup', { ResourceGroupId: temp }, { method: 'POST' }), 'DeleteConflict.ResourceGroup.Resource');
    await ecs.deleteSecurityGroup(new $Ecs.DeleteSecurityGroupRequest({ regionId: region, securityGroupId: groupId }));
    const deleted = (await rm.request('DeleteResourceGroup', { ResourceGroupId: temp }, { method: 'POST' })) as { ResourceGroup: GroupItem };
    assert.equal(deleted.ResourceGroup.Status, 'PendingDelete');
    await expectApiError(rm.request('GetResourceGroup', { ResourceGroupId: temp }, { method: 'POST' }), 'EntityNotExists.ResourceGroup');
    await expectApiError(sg({ resourceGroupId: temp }), 'InvalidResourceGroup.NotFound', 404);
  });

  test('CreateNetworkInterface: ResourceGroupId is stored and returned; without one the ENI reports the default group; DescribeNetworkInterfaces filters by it', async () => {
    const groupId = await sg();
    const inTeam = (await eni(groupId, { resourceGroupId: team })).body!;
    assert.equal(inTeam.resourceGroupId, team);
    const plain = (await eni(groupId)).body!;
    assert.equal(plain.resourceGroupId, defaultGroup);
    const attr = (
      await ecs.describeNetworkInterfaceAttribute(
        new $Ecs.DescribeNetworkInterfaceAttributeRequest({ regionId: region, networkInterfaceId: inTeam.networkInterfaceId }),
      )
    ).body!;
    assert.equal(attr.resourceGroupId, team);
    assert.deepEqual(await enisIn(team), [inTeam.networkInterfaceId]);
    // ECS: "Filtering by the default resource group is not supported": it filters nothing.
    const all = await enisIn(defaultGroup);
    assert.ok(all.includes(inTeam.networkInterfaceId) && all.includes(plain.networkInterfaceId));
    const listed = (
      await ecs.describeNetworkInterfaces(new $Ecs.DescribeNetworkInterfacesRequest({ regionId: region, networkInterfaceId: [plain.networkInterfaceId!] }))
    ).body!;
    assert.equal(listed.networkInterfaceSets!.networkInterfaceSet![0]!.resourceGroupId, defaultGroup);
  });

  test("CreateNetworkInterface: a malformed ID, an unknown group and another account's group are refused (InvalidResourceGroup.NotFound); nothing is created", async () => {
    const groupId = await sg();
    const count = async () =>
      (await ecs.describeNetworkInterfaces(new $Ecs.DescribeNetworkInterfacesRequest({ regionId: region, maxResults: 500 }))).body!.networkInterfaceSets!
        .networkInterfaceSet!.length;
    const before = await count();
    await expectApiError(eni(groupId, { resourceGroupId: 'team-a' }), 'InvalidResourceGroup.NotFound', 404);
    await expectApiError(eni(groupId, { resourceGroupId: 'rg-acfmzzzzzzzzzzz' }), 'InvalidResourceGroup.NotFound', 404);
    const otherKey = createAccount(server, 'other-team');
    const others = (
      (await resourceManager(server, otherKey).request('ListResourceGroups', {}, { method: 'POST' })) as { ResourceGroups: { ResourceGroup: GroupItem[] } }
    ).ResourceGroups.ResourceGroup;
    assert.equal(others.length, 1);
    assert.notEqual(others[0]!.Id, defaultGroup);
    await expectApiError(eni(groupId, { resourceGroupId: others[0]!.Id }), 'InvalidResourceGroup.NotFound', 404);
    assert.equal(await count(), before);
    await expectApiError(
      ecs.describeNetworkInterfaces(new $Ecs.DescribeNetworkInterfacesRequest({ regionId: region, resourceGroupId: 'rg-acfmzzzzzzzzzzz' })),
      'InvalidResourceGroup.NotFound',
      404,
    );
  });

  test('CreateVpc / DescribeVpcs / DescribeVSwitches: the VPC keeps its group, its vSwitches report it, both filter by it; VPC codes for a bad group', async () => {
    const created = (await vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId: region, cidrBlock: '172.16.0.0/16', resourceGroupId: team }))).body!;
    assert.equal(created.resourceGroupId, team);
    const vsw = (
      await vpc.createVSwitch(new $Vpc.CreateVSwitchRequest({ regionId: region, vpcId: created.vpcId, zoneId: 'cn-hangzhou-i', cidrBlock: '172.16.1.0/24' }))
    ).body!.vSwitchId!;
    const inTeam = (await vpc.describeVpcs(new $Vpc.DescribeVpcsRequest({ regionId: region, resourceGroupId: team }))).body!.vpcs!.vpc!;
    assert.deepEqual(
      inTeam.map((v) => [v.vpcId, v.resourceGroupId]),
      [[created.vpcId, team]],
    );
    // VPC filters by the default group like any other.
    const inDefault = (await vpc.describeVpcs(new $Vpc.DescribeVpcsRequest({ regionId: region, resourceGroupId: defaultGroup }))).body!.vpcs!.vpc!;
    assert.deepEqual(
      inDefault.map((v) => [v.vpcId, v.resourceGroupId]),
      [[vpcId, defaultGroup]],
    );
    const switches = (await vpc.describeVSwitches(new $Vpc.DescribeVSwitchesRequest({ regionId: region, resourceGroupId: team }))).body!.vSwitches!.vSwitch!;
    assert.deepEqual(
      switches.map((s) => [s.vSwitchId, s.resourceGroupId]),
      [[vsw, team]],
    );
    const plainSwitch = (await vpc.describeVSwitchAttributes(new $Vpc.DescribeVSwitchAttributesRequest({ regionId: region, vSwitchId: vswId }))).body!;
    assert.equal(plainSwitch.resourceGroupId, defaultGroup);
    await expectApiError(
      vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId: region, cidrBlock: '192.168.0.0/16', resourceGroupId: 'nope' })),
      'InvalidResourceGroupId',
      400,
    );
    await expectApiError(
      vpc.describeVpcs(new $Vpc.DescribeVpcsRequest({ regionId: region, resourceGroupId: 'rg-acfmzzzzzzzzzzz' })),
      'InvalidResourceGroupId',
      400,
    );
  });

  test('CreateSecurityGroup / DescribeSecurityGroups: stored, returned, filtered', async () => {
    const inTeam = await sg({ resourceGroupId: team, securityGroupName: 'team-sg' });
    const plain = await sg({ securityGroupName: 'plain-sg' });
    const listed = (await ecs.describeSecurityGroups(new $Ecs.DescribeSecurityGroupsRequest({ regionId: region, resourceGroupId: team }))).body!.securityGroups!
      .securityGroup!;
    assert.deepEqual(
      listed.map((g) => [g.securityGroupId, g.resourceGroupId]),
      [[inTeam, team]],
    );
    const byName = (await ecs.describeSecurityGroups(new $Ecs.DescribeSecurityGroupsRequest({ regionId: region, securityGroupName: 'plain-sg' }))).body!
      .securityGroups!.securityGroup!;
    assert.deepEqual(
      byName.map((g) => [g.securityGroupId, g.resourceGroupId]),
      [[plain, defaultGroup]],
    );
  });

  test('RunInstances / DescribeInstances: the instance and the primary ENI it creates join the group; filtered by it', async () => {
    const groupId = await sg();
    const run = await ecs.runInstances(
      new $Ecs.RunInstancesRequest({
        regionId: region,
        instanceType: 'ecs.g7.large',
        imageId: 'aliyun_3_x64_20G_alibase_20240819.vhd',
        vSwitchId: vswId,
        securityGroupId: groupId,
        resourceGroupId: team,
      }),
    );
    const instanceId = run.body!.instanceIdSets!.instanceIdSet![0]!;
    const listed = (await ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: region, resourceGroupId: team }))).body!.instances!.instance!;
    assert.deepEqual(
      listed.map((i) => [i.instanceId, i.resourceGroupId]),
      [[instanceId, team]],
    );
    const primary = (await ecs.describeNetworkInterfaces(new $Ecs.DescribeNetworkInterfacesRequest({ regionId: region, instanceId, type: 'Primary' }))).body!
      .networkInterfaceSets!.networkInterfaceSet!;
    assert.equal(primary[0]!.resourceGroupId, team);
    await expectApiError(
      ecs.runInstances(
        new $Ecs.RunInstancesRequest({
          regionId: region,
          instanceType: 'ecs.g7.large',
          imageId: 'aliyun_3_x64_20G_alibase_20240819.vhd',
          vSwitchId: vswId,
          securityGroupId: groupId,
          resourceGroupId: 'rg-x',
        }),
      ),
      'InvalidResourceGroup.NotFound',
      404,
    );
  });

  test('AllocateEipAddress / DescribeEipAddresses: stored, returned, filtered; VPC codes for a bad group', async () => {
    const inTeam = (await vpc.allocateEipAddress(new $Vpc.AllocateEipAddressRequest({ regionId: region, resourceGroupId: team }))).body!;
    assert.equal(inTeam.resourceGroupId, team);
    const listed = (await vpc.describeEipAddresses(new $Vpc.DescribeEipAddressesRequest({ regionId: region, resourceGroupId: team }))).body!.eipAddresses!
      .eipAddress!;
    assert.deepEqual(
      listed.map((e) => [e.allocationId, e.resourceGroupId]),
      [[inTeam.allocationId, team]],
    );
    await expectApiError(
      vpc.allocateEipAddress(new $Vpc.AllocateEipAddressRequest({ regionId: region, resourceGroupId: 'rg-acfmzzzzzzzzzzz' })),
      'InvalidResourceGroupId',
      400,
    );
  });
});

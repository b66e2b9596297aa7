import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as $Ecs from '@alicloud/ecs20140526';
import * as $Vpc from '@alicloud/vpc20160428';
import { ecsClient, vpcClient } from '../helpers/clients.ts';
import { expectApiError } from '../helpers/expect-error.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

const regionId = 'cn-hangzhou';
const IMAGE = 'aliyun_3_x64_20G_alibase_20240819.vhd';

/**
 * The two founding documents, "Create and use an ENI" and "Assign a secondary private IP
 * address", walked end to end through the official SDKs.
 */
describe('The seed documents, end to end', () => {
  let server: RunningServer;
  before(async () => {
    // The seed document's rule: "The ENI and instance are in the same VPC and vSwitch."
    server = await startServer({ args: ['--attach-locality', 'vswitch'] });
  });
  after(() => server.dispose());

  test('Create and use an ENI / Assign a secondary private IP address: create, attach at creation and later, hot-plug, secondary addresses, failover, detach, delete', async () => {
    const ecs = ecsClient(server);
    const vpc = vpcClient(server);
    const free = async () =>
      (await vpc.describeVSwitchAttributes(new $Vpc.DescribeVSwitchAttributesRequest({ regionId, vSwitchId }))).body!.availableIpAddressCount!;
    const eni = async (networkInterfaceId: string) =>
      (await ecs.describeNetworkInterfaceAttribute(new $Ecs.DescribeNetworkInterfaceAttributeRequest({ regionId, networkInterfaceId }))).body!;
    const ips = (e: { privateIpSets?: { privateIpSet?: { privateIpAddress?: string }[] } }) => e.privateIpSets!.privateIpSet!.map((p) => p.privateIpAddress!);
    const instance = async (instanceId: string) =>
      (await ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId, instanceIds: JSON.stringify([instanceId]) }))).body!.instances!.instance![0]!;
    const attach = (instanceId: string, networkInterfaceId: string) =>
      ecs.attachNetworkInterface(new $Ecs.AttachNetworkInterfaceRequest({ regionId, instanceId, networkInterfaceId }));
    const detach = (instanceId: string, networkInterfaceId: string) =>
      ecs.detachNetworkInterface(new $Ecs.DetachNetworkInterfaceRequest({ regionId, instanceId, networkInterfaceId }));
    const run = async (extra: Partial<$Ecs.RunInstancesRequest>) =>
      (await ecs.runInstances(new $Ecs.RunInstancesRequest({ regionId, imageId: IMAGE, instanceType: 'ecs.g7.large', ...extra }))).body!.instanceIdSets!
        .instanceIdSet![0]!;

    // The network: a VPC, a vSwitch, a security group for the instances and one for a service ENI.
    const vpcId = (await vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId, cidrBlock: '192.168.0.0/16' }))).body!.vpcId!;
    const vSwitchId = (await vpc.createVSwitch(new $Vpc.CreateVSwitchRequest({ regionId, vpcId, zoneId: 'cn-hangzhou-i', cidrBlock: '192.168.1.0/24' }))).body!
      .vSwitchId!;
    const otherVSwitch = (await vpc.createVSwitch(new $Vpc.CreateVSwitchRequest({ regionId, vpcId, zoneId: 'cn-hangzhou-i', cidrBlock: '192.168.2.0/24' })))
      .body!.vSwitchId!;
    const webSg = (await ecs.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ regionId, vpcId, securityGroupName: 'web' }))).body!.securityGroupId!;
    const serviceSg = (await ecs.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ regionId, vpcId, securityGroupName: 'service' }))).body!
      .securityGroupId!;
    assert.equal(await free(), 252);

    // "Call CreateNetworkInterface to create an ENI": in a VPC and vSwitch, with one or more security groups.
    const service = (
      await ecs.createNetworkInterface(
        new $Ecs.CreateNetworkInterfaceRequest({
          regionId,
          vSwitchId,
          securityGroupIds: [serviceSg, webSg],
          networkInterfaceName: 'service-ip',
          primaryIpAddress: '192.168.1.10',
        }),
      )
    ).body!;
    assert.equal(service.status, 'Available');
    assert.equal(service.type, 'Secondary');
    // "It receives a primary private IPv4 address from the vSwitch's CIDR block."
    assert.equal(service.privateIpAddress, '192.168.1.10');
    const serviceMac = service.macAddress!;
    assert.match(serviceMac, /^00:16:3e(:[0-9a-f]{2}){3}$/);

    // "When you create an instance, you can specify an existing ENI as the primary or secondary ENI."
    const active = await run({
      vSwitchId,
      securityGroupId: webSg,
      instanceName: 'active',
      networkInterface: [new $Ecs.RunInstancesRequestNetworkInterface({ instanceType: 'Secondary', networkInterfaceId: service.networkInterfaceId })],
    });
    let svc = await eni(service.networkInterfaceId!);
    assert.equal(svc.status, 'InUse');
    assert.equal(svc.instanceId, active);
    const activeView = await instance(active);
    assert.deepEqual(
      activeView.networkInterfaces!.networkInterface!.map((n) => [n.type, n.macAddress === serviceMac]),
      [
        ['Primary', false],
        ['Secondary', true],
      ],
    );
    // "An ECS instance's security group rules apply to its primary ENI ... A secondary ENI can be associated with any security group in the same VPC."
    assert.deepEqual(activeView.securityGroupIds!.securityGroupId, [webSg]);
    assert.deepEqual(svc.securityGroupIds!.securityGroupId, [serviceSg, webSg]);
    const activePrimary = activeView.networkInterfaces!.networkInterface![0]!.networkInterfaceId!;
    await expectApiError(
      ecs.modifyNetworkInterfaceAttribute(
        new $Ecs.ModifyNetworkInterfaceAttributeRequest({ regionId, networkInterfaceId: activePrimary, securityGroupId: [serviceSg] }),
      ),
      'InvalidOperation.InvalidEniType',
      403,
    );
    // "To change its security group, modify the instance's security group association."
    await ecs.modifyInstanceAttribute(new $Ecs.ModifyInstanceAttributeRequest({ instanceId: active, securityGroupIds: [webSg, serviceSg] }));
    assert.deepEqual((await eni(activePrimary)).securityGroupIds!.securityGroupId, [webSg, serviceSg]);

    // "When you attach an ENI to an existing instance, it can only be a secondary ENI."
    const logs = (
      await ecs.createNetworkInterface(
        new $Ecs.CreateNetworkInterfaceRequest({ regionId, vSwitchId, securityGroupId: serviceSg, networkInterfaceName: 'logs' }),
      )
    ).body!.networkInterfaceId!;
    await attach(active, logs);
    assert.equal((await eni(logs)).attachment!.deviceIndex, 2);
    await expectApiError(detach(active, activePrimary), 'InvalidOperation.DetachPrimaryEniNotAllowed', 400);
    // "The number of ENIs that can be attached to an instance varies by instance family": ecs.g7.large takes 3, its primary one included.
    const extra = (await ecs.createNetworkInterface(new $Ecs.CreateNetworkInterfaceRequest({ regionId, vSwitchId, securityGroupId: serviceSg }))).body!
      .networkInterfaceId!;
    await expectApiError(attach(active, extra), 'EniPerInstanceLimitExceeded', 403);
    // "The ENI and instance are in the same VPC and vSwitch."
    const elsewhere = (
      await ecs.createNetworkInterface(new $Ecs.CreateNetworkInterfaceRequest({ regionId, vSwitchId: otherVSwitch, securityGroupId: serviceSg }))
    ).body!.networkInterfaceId!;
    const standby = await run({ vSwitchId, securityGroupId: webSg, instanceName: 'standby' });
    await expectApiError(attach(standby, elsewhere), 'InvalidOperation.VSwitchMismatch', 403);

    // "Some instance types require stopping the instance before attaching an ENI."
    const burstable = await run({ vSwitchId, securityGroupId: webSg, instanceType: 'ecs.t6-c1m1.large' });
    await expectApiError(
      run({
        vSwitchId,
        securityGroupId: webSg,
        instanceType: 'ecs.t6-c1m1.large',
        networkInterface: [new $Ecs.RunInstancesRequestNetworkInterface({ networkInterfaceId: extra })],
      }),
      'InvalidInstanceType.ElasticNetworkInterfaceNotSupported',
      400,
    );
    await expectApiError(attach(burstable, extra), 'InvalidOperation.InvalidEcsState', 400);
    await ecs.stopInstance(new $Ecs.StopInstanceRequest({ instanceId: burstable }));
    await attach(burstable, extra);
    await ecs.startInstance(new $Ecs.StartInstanceRequest({ instanceId: burstable }));
    await expectApiError(detach(burstable, extra), 'InvalidOperation.InvalidEcsState', 400);
    await ecs.stopInstance(new $Ecs.StopInstanceRequest({ instanceId: burstable }));
    await detach(burstable, extra);
    assert.equal((await eni(extra)).status, 'Available');

    // "Assign secondary private IP addresses to the ENI": by count ("Assign New IP") and by address.
    const byCount = (
      await ecs.assignPrivateIpAddresses(
        new $Ecs.AssignPrivateIpAddressesRequest({ regionId, networkInterfaceId: service.networkInterfaceId, secondaryPrivateIpAddressCount: 2 }),
      )
    ).body!;
    assert.equal(byCount.assignedPrivateIpAddressesSet!.privateIpSet!.privateIpAddress!.length, 2);
    await ecs.assignPrivateIpAddresses(
      new $Ecs.AssignPrivateIpAddressesRequest({ regionId, networkInterfaceId: service.networkInterfaceId, privateIpAddress: ['192.168.1.11'] }),
    );
    svc = await eni(service.networkInterfaceId!);
    const serviceIps = ips(svc);
    assert.equal(serviceIps.length, 4);
    assert.equal(serviceIps[0], '192.168.1.10');
    assert.ok(serviceIps.includes('192.168.1.11'));
    // "If the target ENI is in the InUse state, the number ... depends on the instance type": 6 for ecs.g7.large.
    await ecs.assignPrivateIpAddresses(
      new $Ecs.AssignPrivateIpAddressesRequest({ regionId, networkInterfaceId: service.networkInterfaceId, secondaryPrivateIpAddressCount: 2 }),
    );
    await expectApiError(
      ecs.assignPrivateIpAddresses(
        new $Ecs.AssignPrivateIpAddressesRequest({ regionId, networkInterfaceId: service.networkInterfaceId, secondaryPrivateIpAddressCount: 1 }),
      ),
      'InvalidOperation.Ipv4CountExceeded',
      403,
    );
    // "Revoke a secondary private IP address."
    const revoked = ips(await eni(service.networkInterfaceId!)).slice(4);
    await ecs.unassignPrivateIpAddresses(
      new $Ecs.UnassignPrivateIpAddressesRequest({ regionId, networkInterfaceId: service.networkInterfaceId, privateIpAddress: revoked }),
    );
    assert.deepEqual(ips(await eni(service.networkInterfaceId!)), serviceIps);
    // "If the target ENI is in the Available state, you can assign a maximum of 10": the spare ENI.
    await ecs.assignPrivateIpAddresses(new $Ecs.AssignPrivateIpAddressesRequest({ regionId, networkInterfaceId: extra, secondaryPrivateIpAddressCount: 9 }));
    await expectApiError(
      ecs.assignPrivateIpAddresses(new $Ecs.AssignPrivateIpAddressesRequest({ regionId, networkInterfaceId: extra, secondaryPrivateIpAddressCount: 1 })),
      'InvalidOperation.Ipv4CountExceeded',
      403,
    );
    // "The primary ENI ... the instance must be in the Running or Stopped state": both hold here.
    await ecs.assignPrivateIpAddresses(
      new $Ecs.AssignPrivateIpAddressesRequest({ regionId, networkInterfaceId: activePrimary, secondaryPrivateIpAddressCount: 1 }),
    );

    // Failover: "attach the ENI of an active ECS instance to another instance to direct traffic to the standby instance if the active instance fails".
    await ecs.stopInstance(new $Ecs.StopInstanceRequest({ instanceId: active }));
    assert.equal((await instance(active)).status, 'Stopped');
    await detach(active, service.networkInterfaceId!);
    svc = await eni(service.networkInterfaceId!);
    assert.equal(svc.status, 'Available');
    assert.equal(svc.instanceId, '');
    await attach(standby, service.networkInterfaceId!);
    svc = await eni(service.networkInterfaceId!);
    assert.equal(svc.status, 'InUse');
    assert.equal(svc.instanceId, standby);
    // The ENI keeps its MAC address, its addresses and its security groups.
    assert.equal(svc.macAddress, serviceMac);
    assert.deepEqual(ips(svc), serviceIps);
    assert.deepEqual(svc.securityGroupIds!.securityGroupId, [serviceSg, webSg]);
    const standbyView = await instance(standby);
    const moved = standbyView.networkInterfaces!.networkInterface!.find((n) => n.networkInterfaceId === service.networkInterfaceId)!;
    assert.equal(moved.macAddress, serviceMac);
    assert.deepEqual(
      moved.privateIpSets!.privateIpSet!.map((p) => p.privateIpAddress),
      serviceIps,
    );
    assert.equal((await instance(active)).networkInterfaces!.networkInterface!.length, 2);

    // Detach, delete: the addresses go back to the vSwitch.
    await detach(standby, service.networkInterfaceId!);
    const before = await free();
    await ecs.deleteNetworkInterface(new $Ecs.DeleteNetworkInterfaceRequest({ regionId, networkInterfaceId: service.networkInterfaceId }));
    assert.equal(await free(), before + serviceIps.length);
    await expectApiError(eni(service.networkInterfaceId!), 'InvalidEniId.NotFound', 404);
    // Everything else released: every address is back.
    for (const id of [active, standby, burstable]) await ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: id, force: true }));
    for (const id of [logs, extra]) await ecs.deleteNetworkInterface(new $Ecs.DeleteNetworkInterfaceRequest({ regionId, networkInterfaceId: id }));
    assert.equal(await free(), 252);
    await ecs.deleteSecurityGroup(new $Ecs.DeleteSecurityGroupRequest({ regionId, securityGroupId: webSg }));
    await expectApiError(ecs.deleteSecurityGroup(new $Ecs.DeleteSecurityGroupRequest({ regionId, securityGroupId: serviceSg })), 'DependencyViolation', 403);
    await ecs.deleteNetworkInterface(new $Ecs.DeleteNetworkInterfaceRequest({ regionId, networkInterfaceId: elsewhere }));
    await ecs.deleteSecurityGroup(new $Ecs.DeleteSecurityGroupRequest({ regionId, securityGroupId: serviceSg }));
  });
});

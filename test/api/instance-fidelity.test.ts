import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ApiError } from '../../src/errors/api-error.ts';
import { conflictOf } from '../../src/errors/common.ts';
import { callV1, type RawResponse } from '../helpers/raw-client.ts';
import { pollUntil } from '../helpers/poll.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

const ECS = '2014-05-26';
const VPC = '2016-04-28';
const REGION = 'cn-hangzhou';
const ZONE = 'cn-hangzhou-i';
const IMAGE = 'aliyun_3_x64_20G_alibase_20240819.vhd';
/** A tiny pool: 203.0.113.1 and .2 are its only addresses. */
const POOL = '203.0.113.0/30';

/** The Terraform provider's wire style: form POST, Format=json, V1 signature (connectivity/client.go RpcPost). */
async function tf(server: RunningServer, product: 'ecs' | 'vpc', action: string, params: Record<string, string>): Promise<RawResponse> {
  return callV1(server.endpoint, action, product === 'ecs' ? ECS : VPC, params, { method: 'POST', formBody: true, format: 'json' });
}

async function ok(server: RunningServer, product: 'ecs' | 'vpc', action: string, params: Record<string, string>): Promise<Record<string, any>> {
  const r = await tf(server, product, action, params);
  assert.equal(r.status, 200, `${action}: ${r.text}`);
  return r.json() as Record<string, any>;
}

async function fails(
  server: RunningServer,
  product: 'ecs' | 'vpc',
  action: string,
  params: Record<string, string>,
  code: string,
  status: number,
): Promise<void> {
  const r = await tf(server, product, action, params);
  assert.equal(r.json().Code, code, `${action}: ${r.text}`);
  assert.equal(r.status, status, `${action}: ${r.text}`);
}

describe('instance fidelity', () => {
  let server: RunningServer;
  let vsw: string;
  let sg: string;

  before(async () => {
    server = await startServer({ args: ['--eip-pool', POOL] });
    const vpc = (await ok(server, 'vpc', 'CreateVpc', { RegionId: REGION, CidrBlock: '192.168.0.0/16' })).VpcId as string;
    vsw = (await ok(server, 'vpc', 'CreateVSwitch', { RegionId: REGION, VpcId: vpc, ZoneId: ZONE, CidrBlock: '192.168.0.0/24' })).VSwitchId as string;
    sg = (await ok(server, 'ecs', 'CreateSecurityGroup', { RegionId: REGION, VpcId: vpc })).SecurityGroupId as string;
  });
  after(() => server.dispose());

  const run = (extra: Record<string, string>) =>
    tf(server, 'ecs', 'RunInstances', { RegionId: REGION, InstanceType: 'ecs.g7.large', ImageId: IMAGE, VSwitchId: vsw, 'SecurityGroupIds.1': sg, ...extra });

  test('conflictOf: ECS actions answer Operation.Conflict (403), VPC actions OperationConflict (409)', () => {
    const ecs = conflictOf('Ecs');
    const vpc = conflictOf('Vpc');
    assert.ok(ecs instanceof ApiError && vpc instanceof ApiError);
    assert.deepEqual([ecs.code, ecs.httpStatus], ['Operation.Conflict', 403]);
    assert.deepEqual([vpc.code, vpc.httpStatus], ['OperationConflict', 409]);
  });

  test('Gateway: other HTTP methods on the RPC path answer UnsupportedHTTPMethod (403) in the cloud envelope', async () => {
    for (const method of ['PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
      const res = await fetch(`http://${server.endpoint}/?Action=DescribeRegions&Version=${ECS}`, { method });
      const body = (await res.json()) as Record<string, string>;
      assert.equal(res.status, 403, method);
      assert.deepEqual(Object.keys(body).sort(), ['Code', 'HostId', 'Message', 'Recommend', 'RequestId'], method);
      assert.equal(body.Code, 'UnsupportedHTTPMethod', method);
      assert.equal(body.Message, 'This HTTP method is not supported.');
    }
    const head = await fetch(`http://${server.endpoint}/`, { method: 'HEAD' });
    assert.equal(head.status, 403);
    assert.equal(await head.text(), '');
  });

  test('Gateway: an unknown path answers InvalidAction.NotFound (404) in the cloud envelope, XML when asked', async () => {
    const res = await fetch(`http://${server.endpoint}/no/such/api?Action=DescribeRegions`, { method: 'POST' });
    const body = (await res.json()) as Record<string, string>;
    assert.equal(res.status, 404);
    assert.equal(body.Code, 'InvalidAction.NotFound');
    assert.ok(body.RequestId && body.Recommend?.includes(body.RequestId));
    const xml = await fetch(`http://${server.endpoint}/nope?Format=XML`);
    assert.equal(xml.status, 404);
    assert.match(await xml.text(), /^<\?xml[^>]*><Error><RequestId>[^<]+<\/RequestId><HostId>[^<]*<\/HostId><Code>InvalidAction\.NotFound<\/Code>/);
  });

  test('RunInstances: Password is checked with the cloud complexity rule and never returned', async () => {
    for (const bad of ['short1A', 'alllowercase', 'NoDigitsOrSpecials', 'Has space 1a', 'x'.repeat(31)]) {
      const r = await run({ Password: bad, DryRun: 'true' });
      assert.equal(r.json().Code, 'InvalidPassword.Malformed', bad);
    }
    const r = await run({ Password: 'Good-Passw0rd' });
    assert.equal(r.status, 200, r.text);
    const id = (r.json() as any).InstanceIdSets.InstanceIdSet[0] as string;
    const described = await tf(server, 'ecs', 'DescribeInstances', { RegionId: REGION, InstanceIds: JSON.stringify([id]) });
    assert.ok(!described.text.includes('Good-Passw0rd'));
    assert.ok(!(await tf(server, 'ecs', 'DescribeUserData', { RegionId: REGION, InstanceId: id })).text.includes('Good-Passw0rd'));
  });

  test('RunInstances: KeyPairName, UserData, SystemDisk and charge types are stored and returned where the cloud returns them', async () => {
    const userData = Buffer.from('#!/bin/sh\necho hello\n').toString('base64');
    const r = await run({
      KeyPairName: 'my-key',
      UserData: userData,
      'SystemDisk.Category': 'cloud_essd',
      'SystemDisk.Size': '60',
      InternetChargeType: 'PayByBandwidth',
      InstanceChargeType: 'PostPaid',
    });
    assert.equal(r.status, 200, r.text);
    const id = (r.json() as any).InstanceIdSets.InstanceIdSet[0] as string;
    const inst = (await ok(server, 'ecs', 'DescribeInstances', { RegionId: REGION, InstanceIds: JSON.stringify([id]) })).Instances.Instance[0];
    assert.equal(inst.KeyPairName, 'my-key');
    assert.equal(inst.InternetChargeType, 'PayByBandwidth');
    assert.equal(inst.InstanceChargeType, 'PostPaid');
    assert.deepEqual((await ok(server, 'ecs', 'DescribeUserData', { RegionId: REGION, InstanceId: id })).UserData, userData);
    const disk = (await ok(server, 'ecs', 'DescribeDisks', { RegionId: REGION, InstanceId: id, DiskType: 'system' })).Disks.Disk;
    assert.equal(disk.length, 1);
    assert.deepEqual([disk[0].InstanceId, disk[0].Category, disk[0].Size, disk[0].Type, disk[0].PerformanceLevel], [id, 'cloud_essd', 60, 'system', 'PL1']);
    assert.equal((await ok(server, 'ecs', 'DescribeDisks', { RegionId: REGION, DiskIds: JSON.stringify([disk[0].DiskId]) })).Disks.Disk[0].InstanceId, id);
    assert.equal((await ok(server, 'ecs', 'DescribeDisks', { RegionId: REGION, InstanceId: id, DiskType: 'data' })).TotalCount, 0);
  });

  test('RunInstances: bad UserData, KeyPairName, SystemDisk.Size and PrePaid are refused with the cloud codes, nothing created', async () => {
    const before = (await ok(server, 'ecs', 'DescribeInstances', { RegionId: REGION })).TotalCount as number;
    assert.equal((await run({ UserData: 'not base64!' })).json().Code, 'InvalidUserData.Base64FormatInvalid');
    assert.equal((await run({ UserData: Buffer.alloc(33 * 1024, 1).toString('base64') })).json().Code, 'InvalidUserData.SizeExceeded');
    assert.equal((await run({ KeyPairName: '1bad' })).json().Code, 'InvalidKeyPairName.Malformed');
    assert.equal((await run({ 'SystemDisk.Category': 'floppy' })).json().Code, 'InvalidParameter');
    assert.equal((await run({ InstanceChargeType: 'PrePaid' })).json().Code, 'UnsupportedParameter');
    assert.equal((await run({ 'DataDisk.1.Size': '40' })).json().Code, 'UnsupportedParameter');
    assert.equal((await ok(server, 'ecs', 'DescribeInstances', { RegionId: REGION })).TotalCount, before);
  });

  test('RunInstances: InternetMaxBandwidthOut > 0 gives a public IP from the EIP pool, never an EIP address, shown in DescribeInstances and the metadata service, released with the instance', async () => {
    const eip = await ok(server, 'vpc', 'AllocateEipAddress', { RegionId: REGION });
    const r = await run({ InternetMaxBandwidthOut: '5' });
    assert.equal(r.status, 200, r.text);
    const id = (r.json() as any).InstanceIdSets.InstanceIdSet[0] as string;
    const inst = (await ok(server, 'ecs', 'DescribeInstances', { RegionId: REGION, InstanceIds: JSON.stringify([id]) })).Instances.Instance[0];
    const ip = inst.PublicIpAddress.IpAddress[0] as string;
    assert.ok(['203.0.113.1', '203.0.113.2'].includes(ip), ip);
    assert.notEqual(ip, eip.EipAddress);
    assert.equal(inst.InternetMaxBandwidthOut, 5);
    await pollUntil(
      async () => (await ok(server, 'ecs', 'DescribeInstances', { RegionId: REGION, InstanceIds: JSON.stringify([id]) })).Instances.Instance[0].Status,
      'Running',
    );
    for (const item of ['public-ipv4', 'eipv4']) {
      const md = await fetch(`${server.metadataUrl}/latest/meta-data/${item}`, { headers: { 'X-Eniplane-Instance-Id': id } });
      assert.equal(await md.text(), ip, item);
    }
    // The pool is full: one EIP, one instance public IP.
    await fails(server, 'vpc', 'AllocateEipAddress', { RegionId: REGION }, 'ReserveIpFail', 400);
    assert.equal((await run({ InternetMaxBandwidthOut: '5' })).json().Code, 'ReserveIpFail');
    await ok(server, 'ecs', 'DeleteInstance', { InstanceId: id, Force: 'true' });
    const again = await ok(server, 'vpc', 'AllocateEipAddress', { RegionId: REGION });
    assert.equal(again.EipAddress, ip);
    await ok(server, 'vpc', 'ReleaseEipAddress', { RegionId: REGION, AllocationId: again.AllocationId });
    await ok(server, 'vpc', 'ReleaseEipAddress', { RegionId: REGION, AllocationId: eip.AllocationId });
  });

  test('AllocatePublicIpAddress: a CreateInstance instance with bandwidth gets one once; without bandwidth it is refused', async () => {
    const base = { RegionId: REGION, InstanceType: 'ecs.g7.large', ImageId: IMAGE, VSwitchId: vsw, SecurityGroupId: sg };
    const withBw = (await ok(server, 'ecs', 'CreateInstance', { ...base, InternetMaxBandwidthOut: '1' })).InstanceId as string;
    const without = (await ok(server, 'ecs', 'CreateInstance', base)).InstanceId as string;
    const listed = (await ok(server, 'ecs', 'DescribeInstances', { RegionId: REGION, InstanceIds: JSON.stringify([withBw]) })).Instances.Instance[0];
    assert.deepEqual(listed.PublicIpAddress.IpAddress, []);
    await pollUntil(
      async () => (await ok(server, 'ecs', 'DescribeInstances', { RegionId: REGION, InstanceIds: JSON.stringify([withBw]) })).Instances.Instance[0].Status,
      'Stopped',
    );
    await pollUntil(
      async () => (await ok(server, 'ecs', 'DescribeInstances', { RegionId: REGION, InstanceIds: JSON.stringify([without]) })).Instances.Instance[0].Status,
      'Stopped',
    );
    const ip = (await ok(server, 'ecs', 'AllocatePublicIpAddress', { InstanceId: withBw })).IpAddress as string;
    assert.match(ip, /^203\.0\.113\.[12]$/);
    await fails(server, 'ecs', 'AllocatePublicIpAddress', { InstanceId: withBw }, 'AllocatedAlready', 403);
    await fails(server, 'ecs', 'AllocatePublicIpAddress', { InstanceId: without }, 'InvalidInternetMaxBandwidthOut.ValueNotSupported', 400);
    assert.deepEqual(
      (await ok(server, 'ecs', 'DescribeInstances', { RegionId: REGION, InstanceIds: JSON.stringify([withBw]) })).Instances.Instance[0].PublicIpAddress
        .IpAddress,
      [ip],
    );
    await ok(server, 'ecs', 'DeleteInstance', { InstanceId: withBw });
    await ok(server, 'ecs', 'DeleteInstance', { InstanceId: without });
  });

  // The documented instance of website/docs/r/ecs_network_interface_attachment.html.markdown, with
  // the calls of alicloud/resource_alicloud_instance.go (create, read, update, delete) and
  // alicloud/service_alicloud_ecs.go (DescribeInstance, DescribeEcsSystemDisk,
  // DescribeEcsNetworkInterface, DescribeInstanceMaintenanceAttribute, DescribeInstanceAttribute,
  // DescribeInstanceAttachmentAttribute, DescribeEcsInstance).
  test('alicloud_instance (resource_alicloud_instance.go): create, read, update and destroy with exactly the provider parameters', async () => {
    const created = await ok(server, 'ecs', 'RunInstances', {
      RegionId: REGION,
      ClientToken: `TF-RunInstances-${Date.now()}-0123456789abcdef`,
      InstanceType: 'ecs.g7.large',
      ImageId: IMAGE,
      ZoneId: ZONE,
      InstanceName: 'tf-example',
      HostName: 'tf-example',
      VSwitchId: vsw,
      'SecurityGroupIds.1': sg,
      DryRun: 'false',
    });
    const id = created.InstanceIdSets.InstanceIdSet[0] as string;
    // InstanceStateRefreshFunc: DescribeInstances until Running.
    const describeInstance = () =>
      ok(server, 'ecs', 'DescribeInstances', {
        RegionId: REGION,
        InstanceIds: JSON.stringify([id]),
        'AdditionalAttributes.1': 'META_OPTIONS',
        'AdditionalAttributes.2': 'NETWORK_PRIMARY_ENI_IP',
        'AdditionalAttributes.3': 'LOGIN_AS_NON_ROOT',
        'AdditionalAttributes.4': 'DISK_HIGH_DENSITY_MODE',
      });
    await pollUntil(async () => (await describeInstance()).Instances.Instance[0].Status, 'Running');

    // Read.
    const inst = (await describeInstance()).Instances.Instance[0];
    assert.deepEqual(
      [inst.InstanceName, inst.HostName, inst.ZoneId, inst.ImageId, inst.InstanceType],
      ['tf-example', 'tf-example', ZONE, IMAGE, 'ecs.g7.large'],
    );
    assert.equal(typeof inst.InternetMaxBandwidthOut, 'number');
    assert.equal(typeof inst.DeletionProtection, 'boolean');
    assert.deepEqual(inst.SecurityGroupIds.SecurityGroupId, [sg]);
    assert.equal(inst.VpcAttributes.VSwitchId, vsw);
    assert.equal(typeof inst.MetadataOptions.HttpPutResponseHopLimit, 'number');
    const disk = (await ok(server, 'ecs', 'DescribeDisks', { RegionId: REGION, InstanceId: id, DiskType: 'system' })).Disks.Disk[0];
    assert.equal(disk.InstanceId, id);
    assert.equal(typeof disk.Size, 'number');
    assert.equal(typeof disk.Encrypted, 'boolean');
    assert.equal(typeof disk.BurstingEnabled, 'boolean');
    assert.equal(typeof disk.ProvisionedIops, 'number');
    assert.deepEqual(disk.Tags.Tag, []);
    assert.equal((await ok(server, 'ecs', 'DescribeUserData', { RegionId: REGION, InstanceId: id })).UserData, '');
    const primary = inst.NetworkInterfaces.NetworkInterface.find((n: { Type: string }) => n.Type === 'Primary');
    const eni = (await ok(server, 'ecs', 'DescribeNetworkInterfaces', { RegionId: REGION, 'NetworkInterfaceId.1': primary.NetworkInterfaceId }))
      .NetworkInterfaceSets.NetworkInterfaceSet[0];
    assert.equal(eni.NetworkInterfaceId, primary.NetworkInterfaceId);
    const maintenance = (await ok(server, 'ecs', 'DescribeInstanceMaintenanceAttributes', { RegionId: REGION, 'InstanceId.1': id })).MaintenanceAttributes
      .MaintenanceAttribute;
    assert.equal(maintenance.length, 1);
    assert.equal(maintenance[0].InstanceId, id);
    assert.ok(Array.isArray(maintenance[0].MaintenanceWindows.MaintenanceWindow));
    assert.equal(typeof maintenance[0].ActionOnMaintenance.Value, 'string');
    assert.equal(typeof maintenance[0].NotifyOnMaintenance, 'boolean');
    assert.equal(typeof (await ok(server, 'ecs', 'DescribeInstanceAttribute', { RegionId: REGION, InstanceId: id })).EnableJumboFrame, 'boolean');
    const attachment = (await ok(server, 'ecs', 'DescribeInstanceAttachmentAttributes', { RegionId: REGION, InstanceIds: `["${id}"]` })).Instances.Instance;
    assert.deepEqual(attachment, [{ InstanceId: id, PrivatePoolOptionsId: '', PrivatePoolOptionsMatchCriteria: 'Open' }]);
    const ecsInstance = await ok(server, 'ecs', 'DescribeInstances', {
      RegionId: REGION,
      InstanceIds: JSON.stringify([id]),
      'AdditionalAttributes.1': 'META_OPTIONS',
      'AdditionalAttributes.2': 'NETWORK_PRIMARY_ENI_IP',
      'AdditionalAttributes.3': 'LOGIN_AS_NON_ROOT',
      'AdditionalAttributes.4': 'LOGIN_AS_NON_ROOT',
      'AdditionalAttributes.5': 'CPU_OPTIONS_TOPOLOGY_TYPE',
    });
    assert.equal(ecsInstance.Instances.Instance[0].InstanceId, id);

    // Update instance_name (modifyInstanceAttribute).
    await ok(server, 'ecs', 'ModifyInstanceAttribute', {
      RegionId: REGION,
      ClientToken: `TF-ModifyInstanceAttribute-${Date.now()}`,
      InstanceId: id,
      InstanceName: 'tf-renamed',
    });
    assert.equal((await describeInstance()).Instances.Instance[0].InstanceName, 'tf-renamed');

    // Delete: DeleteInstance with Force, then DescribeInstances until it is gone.
    await ok(server, 'ecs', 'DeleteInstance', { InstanceId: id, Force: 'true' });
    assert.deepEqual((await describeInstance()).Instances.Instance, []);
    assert.equal((await ok(server, 'ecs', 'DescribeDisks', { RegionId: REGION, InstanceId: id })).TotalCount, 0);
    await fails(server, 'ecs', 'DescribeUserData', { RegionId: REGION, InstanceId: id }, 'InvalidInstanceId.NotFound', 404);
  });
});

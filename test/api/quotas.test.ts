import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as $Ecs from '@alicloud/ecs20140526';
import * as $Vpc from '@alicloud/vpc20160428';
import { ecsClient, vpcClient } from '../helpers/clients.ts';
import { runCli } from '../helpers/cli.ts';
import { expectApiError } from '../helpers/expect-error.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

const region = 'cn-hangzhou';

async function attributes(ecs: ReturnType<typeof ecsClient>, names?: string[]): Promise<Record<string, { value: string; count: number }>> {
  const r = await ecs.describeAccountAttributes(new $Ecs.DescribeAccountAttributesRequest({ regionId: region, ...(names && { attributeName: names }) }));
  return Object.fromEntries(
    r.body!.accountAttributeItems!.accountAttributeItem!.map((i) => {
      const item = i.attributeValues!.valueItem![0]!;
      return [i.attributeName!, { value: item.value!, count: item.count! }];
    }),
  );
}

/** A VPC, a vSwitch and a security group to create ENIs in. */
async function network(ecs: ReturnType<typeof ecsClient>, vpc: ReturnType<typeof vpcClient>) {
  const vpcId = (await vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId: region, cidrBlock: '10.0.0.0/16' }))).body!.vpcId!;
  const vSwitchId = (await vpc.createVSwitch(new $Vpc.CreateVSwitchRequest({ regionId: region, vpcId, zoneId: 'cn-hangzhou-i', cidrBlock: '10.0.0.0/24' })))
    .body!.vSwitchId!;
  const securityGroupId = (await ecs.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ regionId: region, vpcId }))).body!.securityGroupId!;
  const eni = () => ecs.createNetworkInterface(new $Ecs.CreateNetworkInterfaceRequest({ regionId: region, vSwitchId, securityGroupIds: [securityGroupId] }));
  return { vpcId, eni };
}

describe("Quotas: the cloud's defaults", () => {
  let server: RunningServer;
  let ecs: ReturnType<typeof ecsClient>;
  before(async () => {
    server = await startServer();
    ecs = ecsClient(server);
  });
  after(() => server.dispose());

  test("DescribeAccountAttributes: without --quotas, the cloud's defaults; AttributeName.N narrows the answer", async () => {
    const all = await attributes(ecs);
    assert.deepEqual(all['max-elastic-network-interfaces'], { value: '100', count: 1 });
    assert.deepEqual(all['max-security-groups'], { value: '100', count: 1 });
    assert.deepEqual(all['instance-network-type'], { value: 'vpc', count: 1 });
    assert.equal(all['max-vpcs']!.value, '10');
    assert.equal(all['max-vswitches-per-vpc']!.value, '150');
    assert.equal(all['max-eips']!.value, '20');
    const two = await attributes(ecs, ['max-security-groups', 'max-elastic-network-interfaces']);
    assert.deepEqual(Object.keys(two).sort(), ['max-elastic-network-interfaces', 'max-security-groups']);
  });

  test('DescribeAccountAttributes: an attribute eniplane does not model and an unknown zone are refused', async () => {
    await expectApiError(attributes(ecs, ['max-postpaid-instance-vcpu-count']), 'InvalidParameter', 400);
    await expectApiError(
      ecs.describeAccountAttributes(new $Ecs.DescribeAccountAttributesRequest({ regionId: region, zoneId: 'cn-hangzhou-z' })),
      'InvalidZoneId.NotFound',
      404,
    );
    const zoned = await ecs.describeAccountAttributes(
      new $Ecs.DescribeAccountAttributesRequest({ regionId: region, zoneId: 'cn-hangzhou-i', attributeName: ['max-security-groups'] }),
    );
    assert.equal(zoned.body!.accountAttributeItems!.accountAttributeItem![0]!.attributeValues!.valueItem![0]!.zoneId, 'cn-hangzhou-i');
  });
});

describe('Quotas: serve --quotas sets the values in force', () => {
  let server: RunningServer;
  let ecs: ReturnType<typeof ecsClient>;
  let vpc: ReturnType<typeof vpcClient>;
  before(async () => {
    server = await startServer({ args: ['--quotas', 'max-elastic-network-interfaces=105,max-security-groups=2,max-vpcs=1'] });
    ecs = ecsClient(server);
    vpc = vpcClient(server);
  });
  after(() => server.dispose());

  test('CreateNetworkInterface: a quota above the default allows more than 100 ENIs, and still stops at the quota (MaxEniCountExceeded)', async () => {
    const { eni } = await network(ecs, vpc);
    for (let i = 0; i < 105; i++) await eni();
    await expectApiError(eni(), 'MaxEniCountExceeded', 403);
    const listed = await ecs.describeNetworkInterfaces(new $Ecs.DescribeNetworkInterfacesRequest({ regionId: region, maxResults: 500 }));
    assert.equal(listed.body!.networkInterfaceSets!.networkInterfaceSet!.length, 105);
  });

  test("CreateSecurityGroup / CreateVpc: quotas below the default refuse with the cloud's codes", async () => {
    const vpcId = (await vpc.describeVpcs(new $Vpc.DescribeVpcsRequest({ regionId: region }))).body!.vpcs!.vpc![0]!.vpcId!;
    // The first test made one group; a second fits, a third does not.
    await ecs.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ regionId: region, vpcId }));
    await expectApiError(ecs.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ regionId: region, vpcId })), 'QuotaExceed.SecurityGroup', 403);
    await expectApiError(vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId: region, cidrBlock: '192.168.0.0/16' })), 'QuotaExceeded.Vpc', 400);
  });

  test('DescribeAccountAttributes: answers the values in force', async () => {
    const all = await attributes(ecs);
    assert.equal(all['max-elastic-network-interfaces']!.value, '105');
    assert.equal(all['max-security-groups']!.value, '2');
    assert.equal(all['max-vpcs']!.value, '1');
    assert.equal(all['max-eips']!.value, '20');
  });
});

describe('Quotas: ENIPLANE_QUOTAS and bad specs', () => {
  test('serve: ENIPLANE_QUOTAS sets quotas like --quotas', async () => {
    const server = await startServer({ env: { ENIPLANE_QUOTAS: 'max-eips=1' } });
    try {
      const vpc = vpcClient(server);
      assert.equal((await attributes(ecsClient(server), ['max-eips']))['max-eips']!.value, '1');
      await vpc.allocateEipAddress(new $Vpc.AllocateEipAddressRequest({ regionId: region }));
      await expectApiError(vpc.allocateEipAddress(new $Vpc.AllocateEipAddressRequest({ regionId: region })), 'QuotaExceeded.Eip', 400);
    } finally {
      await server.dispose();
    }
  });

  test('serve: a bad --quotas spec refuses to start, naming the problem', () => {
    const cases: [string, RegExp][] = [
      ['max-enis=5', /bad quota "max-enis=5": use NAME=N with NAME one of max-elastic-network-interfaces/],
      ['max-vpcs=0', /bad quota "max-vpcs=0": the value must be a whole number/],
      ['max-vpcs=ten', /bad quota "max-vpcs=ten"/],
      ['max-vpcs=1,max-vpcs=2', /max-vpcs is given twice/],
    ];
    for (const [spec, message] of cases) {
      const r = runCli(['serve', '--memory', '--port', '0', '--metadata-port', '0', '--quotas', spec]);
      assert.notEqual(r.status, 0, spec);
      assert.match(r.stderr, message);
    }
  });
});

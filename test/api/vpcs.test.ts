import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as $Vpc from '@alicloud/vpc20160428';
import { vpcClient } from '../helpers/clients.ts';
import { expectApiError } from '../helpers/expect-error.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

const region = 'cn-hangzhou';

describe('VPC actions through the official VPC SDK', () => {
  let server: RunningServer;
  let vpc: ReturnType<typeof vpcClient>;
  before(async () => {
    server = await startServer();
    vpc = vpcClient(server);
  });
  after(() => server.dispose());

  const createVpc = (cidrBlock: string, extra: Partial<$Vpc.CreateVpcRequest> = {}) =>
    vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId: region, cidrBlock, ...extra }));

  test('CreateVpc: returns IDs in the cloud format and DescribeVpcs shows the VPC Available', async () => {
    const created = await createVpc('10.0.0.0/8', { vpcName: 'main', description: 'the main VPC' });
    assert.match(created.body!.vpcId!, /^vpc-bp1[a-z0-9]{18}$/);
    assert.match(created.body!.VRouterId!, /^vrt-/);
    assert.match(created.body!.routeTableId!, /^vtb-/);
    const described = await vpc.describeVpcs(new $Vpc.DescribeVpcsRequest({ regionId: region, vpcId: created.body!.vpcId }));
    assert.equal(described.body!.totalCount, 1);
    const item = described.body!.vpcs!.vpc![0]!;
    assert.equal(item.status, 'Available');
    assert.equal(item.cidrBlock, '10.0.0.0/8');
    assert.equal(item.vpcName, 'main');
    assert.equal(item.description, 'the main VPC');
    assert.deepEqual(item.routerTableIds!.routerTableIds, [created.body!.routeTableId]);
  });

  test('CreateVpc: a CIDR with host bits, in a reserved range or too small is refused', async () => {
    await expectApiError(createVpc('10.0.0.1/16'), 'InvalidCidrBlock.Malformed', 400);
    await expectApiError(createVpc('100.64.0.0/16'), 'InvalidCidrBlock.Malformed', 400);
    await expectApiError(createVpc('not-a-cidr'), 'InvalidCidrBlock.Malformed', 400);
    await expectApiError(createVpc('10.0.0.0/29'), 'InvalidParameter', 400);
    await expectApiError(createVpc('8.0.0.0/12'), 'InvalidParameter', 400);
  });

  test('CreateVpc: an over-long name and a URL description are refused with their own codes', async () => {
    await expectApiError(createVpc('192.168.0.0/16', { vpcName: 'x'.repeat(129) }), 'InvalidVpcName.Malformed', 400);
    await expectApiError(createVpc('192.168.0.0/16', { description: 'http://example' }), 'InvalidVpcDiscription.Malformed', 400);
  });

  test('ModifyVpcAttribute: renames; DescribeVpcs filters by name', async () => {
    const { vpcId } = (await createVpc('172.16.0.0/12')).body!;
    await vpc.modifyVpcAttribute(new $Vpc.ModifyVpcAttributeRequest({ regionId: region, vpcId, vpcName: 'renamed' }));
    const found = await vpc.describeVpcs(new $Vpc.DescribeVpcsRequest({ regionId: region, vpcName: 'renamed' }));
    assert.deepEqual(
      found.body!.vpcs!.vpc!.map((v) => v.vpcId),
      [vpcId],
    );
  });

  test('CreateVSwitch: inside the VPC, no overlap, mask 16..29, real zone; AvailableIpAddressCount excludes reserved addresses', async () => {
    const { vpcId } = (await createVpc('192.168.0.0/16')).body!;
    const sw = await vpc.createVSwitch(
      new $Vpc.CreateVSwitchRequest({ regionId: region, vpcId, zoneId: 'cn-hangzhou-i', cidrBlock: '192.168.1.0/24', vSwitchName: 'a' }),
    );
    assert.match(sw.body!.vSwitchId!, /^vsw-bp1[a-z0-9]{18}$/);
    const list = await vpc.describeVSwitches(new $Vpc.DescribeVSwitchesRequest({ regionId: region, vpcId }));
    const item = list.body!.vSwitches!.vSwitch![0]!;
    assert.equal(item.availableIpAddressCount, 252);
    assert.equal(item.status, 'Available');
    assert.equal(item.zoneId, 'cn-hangzhou-i');

    const create = (cidrBlock: string, zoneId = 'cn-hangzhou-i') =>
      vpc.createVSwitch(new $Vpc.CreateVSwitchRequest({ regionId: region, vpcId, zoneId, cidrBlock }));
    await expectApiError(create('192.168.1.128/25'), 'InvalidCidrBlock.Overlapped', 400);
    await expectApiError(create('10.1.0.0/24'), 'InvalidParameter', 400);
    await expectApiError(create('192.168.2.0/30'), 'InvalidCirdrBlock.MaskLength', 400);
    await expectApiError(create('192.168.3.0/24', 'cn-hangzhou-z'), 'InvalidZoneId.NotFound', 404);
    const small = await create('192.168.4.0/29');
    const attrs = await vpc.describeVSwitchAttributes(new $Vpc.DescribeVSwitchAttributesRequest({ regionId: region, vSwitchId: small.body!.vSwitchId }));
    assert.equal(attrs.body!.availableIpAddressCount, 4);
  });

  test('DeleteVpc: refused while it holds a vSwitch; DeleteVSwitch then DeleteVpc succeed', async () => {
    const { vpcId } = (await createVpc('192.168.0.0/16')).body!;
    const { vSwitchId } = (
      await vpc.createVSwitch(new $Vpc.CreateVSwitchRequest({ regionId: region, vpcId, zoneId: 'cn-hangzhou-j', cidrBlock: '192.168.0.0/24' }))
    ).body!;
    await expectApiError(vpc.deleteVpc(new $Vpc.DeleteVpcRequest({ regionId: region, vpcId })), 'DependencyViolation.VSwitch', 400);
    await vpc.deleteVSwitch(new $Vpc.DeleteVSwitchRequest({ regionId: region, vSwitchId }));
    await vpc.deleteVpc(new $Vpc.DeleteVpcRequest({ regionId: region, vpcId }));
    await expectApiError(vpc.deleteVpc(new $Vpc.DeleteVpcRequest({ regionId: region, vpcId })), 'InvalidVpcId.NotFound', 404);
    await expectApiError(vpc.deleteVSwitch(new $Vpc.DeleteVSwitchRequest({ regionId: region, vSwitchId })), 'InvalidVSwitchId.NotFound', 404);
  });

  test('DescribeRegions / DescribeZones (VPC flavour): the catalog, names by AcceptLanguage', async () => {
    const regions = (await vpc.describeRegions(new $Vpc.DescribeRegionsRequest({ acceptLanguage: 'en-US' }))).body!.regions!.region!;
    const hz = regions.find((r) => r.regionId === 'cn-hangzhou')!;
    assert.equal(hz.localName, 'China (Hangzhou)');
    assert.equal(hz.regionEndpoint, 'vpc.aliyuncs.com');
    assert.equal(regions.find((r) => r.regionId === 'eu-central-1')!.regionEndpoint, 'vpc.eu-central-1.aliyuncs.com');
    const zones = (await vpc.describeZones(new $Vpc.DescribeZonesRequest({ regionId: region }))).body!.zones!.zone!;
    assert.ok(zones.some((z) => z.zoneId === 'cn-hangzhou-i' && z.localName === '杭州 可用区I' && z.zoneType === 'AvailabilityZone'));
    await expectApiError(vpc.describeZones(new $Vpc.DescribeZonesRequest({ regionId: 'nowhere-1' })), 'InvalidRegionId.NotFound', 404);
  });

  test('ModifyVSwitchAttribute: renames and re-describes; bad names and unknown IDs are refused', async () => {
    const { vpcId } = (await createVpc('192.168.0.0/16')).body!;
    const { vSwitchId } = (
      await vpc.createVSwitch(new $Vpc.CreateVSwitchRequest({ regionId: region, vpcId, zoneId: 'cn-hangzhou-k', cidrBlock: '192.168.9.0/24' }))
    ).body!;
    await vpc.modifyVSwitchAttribute(new $Vpc.ModifyVSwitchAttributeRequest({ regionId: region, vSwitchId, vSwitchName: 'web', description: 'web tier' }));
    const attrs = (await vpc.describeVSwitchAttributes(new $Vpc.DescribeVSwitchAttributesRequest({ regionId: region, vSwitchId }))).body!;
    assert.equal(attrs.vSwitchName, 'web');
    assert.equal(attrs.description, 'web tier');
    const byName = await vpc.describeVSwitches(new $Vpc.DescribeVSwitchesRequest({ regionId: region, vSwitchName: 'web' }));
    assert.deepEqual(
      byName.body!.vSwitches!.vSwitch!.map((v) => v.vSwitchId),
      [vSwitchId],
    );
    await expectApiError(
      vpc.modifyVSwitchAttribute(new $Vpc.ModifyVSwitchAttributeRequest({ regionId: region, vSwitchId, vSwitchName: 'https://x' })),
      'InvalidVSwitchName.Malformed',
      400,
    );
    await expectApiError(
      vpc.modifyVSwitchAttribute(new $Vpc.ModifyVSwitchAttributeRequest({ regionId: region, vSwitchId: 'vsw-missing', vSwitchName: 'x' })),
      'InvalidVSwitchId.NotFound',
      404,
    );
    await vpc.deleteVSwitch(new $Vpc.DeleteVSwitchRequest({ regionId: region, vSwitchId }));
    await vpc.deleteVpc(new $Vpc.DeleteVpcRequest({ regionId: region, vpcId }));
  });

  test('DescribeVpcs: PageNumber/PageSize pages through every VPC once; PageSize over 50 is refused', async () => {
    const all = await vpc.describeVpcs(new $Vpc.DescribeVpcsRequest({ regionId: region, pageSize: 50 }));
    const total = all.body!.totalCount!;
    const seen: string[] = [];
    for (let page = 1; seen.length < total; page++) {
      const res = await vpc.describeVpcs(new $Vpc.DescribeVpcsRequest({ regionId: region, pageNumber: page, pageSize: 2 }));
      assert.equal(res.body!.pageNumber, page);
      seen.push(...res.body!.vpcs!.vpc!.map((v) => v.vpcId!));
    }
    assert.deepEqual(
      seen,
      all.body!.vpcs!.vpc!.map((v) => v.vpcId),
    );
    await expectApiError(vpc.describeVpcs(new $Vpc.DescribeVpcsRequest({ regionId: region, pageSize: 51 })), 'InvalidParameter', 400);
  });
});

describe('VPC and vSwitch asynchronous states, with delays', () => {
  let server: RunningServer;
  let vpc: ReturnType<typeof vpcClient>;
  before(async () => {
    // 1.5 s: the calls that must see Pending come right after the create, even on a loaded machine (400 ms was not enough in CI).
    server = await startServer({ args: ['--delays', 'none,vpcCreate=1500,vswitchCreate=1500,vpcDelete=1500,vswitchDelete=1500'] });
    vpc = vpcClient(server);
  });
  after(() => server.dispose());

  const vpcStatus = async (vpcId: string) =>
    (await vpc.describeVpcs(new $Vpc.DescribeVpcsRequest({ regionId: region, vpcId }))).body!.vpcs!.vpc!.map((v) => v.status)[0];
  const vswStatus = async (vSwitchId: string) =>
    (await vpc.describeVSwitches(new $Vpc.DescribeVSwitchesRequest({ regionId: region, vSwitchId }))).body!.vSwitches!.vSwitch!.map((v) => v.status)[0];
  async function waitFor(read: () => Promise<string | undefined>, want: string | undefined): Promise<void> {
    for (let i = 0; i < 200; i++) {
      if ((await read()) === want) return;
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.fail(`never reached ${want}`);
  }

  test('CreateVpc: Pending, then Available; a vSwitch cannot be created in a Pending VPC', async () => {
    const { vpcId } = (await vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId: region, cidrBlock: '10.0.0.0/16' }))).body!;
    assert.equal(await vpcStatus(vpcId!), 'Pending');
    await expectApiError(
      vpc.createVSwitch(new $Vpc.CreateVSwitchRequest({ regionId: region, vpcId, zoneId: 'cn-hangzhou-i', cidrBlock: '10.0.1.0/24' })),
      'IncorrectVpcStatus',
      400,
    );
    await waitFor(() => vpcStatus(vpcId!), 'Available');

    const first = (await vpc.createVSwitch(new $Vpc.CreateVSwitchRequest({ regionId: region, vpcId, zoneId: 'cn-hangzhou-i', cidrBlock: '10.0.1.0/24' }))).body!
      .vSwitchId!;
    assert.equal(await vswStatus(first), 'Pending');
    // One vSwitch at a time per VPC, as on the cloud.
    await expectApiError(
      vpc.createVSwitch(new $Vpc.CreateVSwitchRequest({ regionId: region, vpcId, zoneId: 'cn-hangzhou-i', cidrBlock: '10.0.2.0/24' })),
      'IncorrectVSwitchStatus',
      400,
    );
    await expectApiError(vpc.deleteVSwitch(new $Vpc.DeleteVSwitchRequest({ regionId: region, vSwitchId: first })), 'IncorrectVSwitchStatus', 400);
    await waitFor(() => vswStatus(first), 'Available');

    // Deleting: the vSwitch shows Pending, then disappears; the VPC shows Deleting, then disappears.
    await vpc.deleteVSwitch(new $Vpc.DeleteVSwitchRequest({ regionId: region, vSwitchId: first }));
    assert.equal(await vswStatus(first), 'Pending');
    await waitFor(() => vswStatus(first), undefined);
    await vpc.deleteVpc(new $Vpc.DeleteVpcRequest({ regionId: region, vpcId }));
    assert.equal(await vpcStatus(vpcId!), 'Deleting');
    await waitFor(() => vpcStatus(vpcId!), undefined);
  });
});

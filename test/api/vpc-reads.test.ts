import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, before, describe, test } from 'node:test';
import * as $Vpc from '@alicloud/vpc20160428';
import { vpcClient } from '../helpers/clients.ts';
import { expectApiError } from '../helpers/expect-error.ts';
import { pollUntil } from '../helpers/poll.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

const require = createRequire(import.meta.url);
const { OpenApiRequest, Params } = require('@alicloud/openapi-core').$OpenApiUtil as typeof import('@alicloud/openapi-core').$OpenApiUtil;
const { RuntimeOptions } = require('@darabonba/typescript') as typeof import('@darabonba/typescript');

const region = 'cn-hangzhou';
type Body = Record<string, unknown>;

/**
 * The provider's wire style (connectivity.RpcPost): an RPC POST with `query` in the URL and the
 * `request` map as a form body, JSON answers.
 */
function providerCall(server: RunningServer) {
  const client = vpcClient(server);
  return async (action: string, query: Record<string, string>, request: Record<string, string>): Promise<Body> => {
    const params = new Params({
      action,
      version: '2016-04-28',
      protocol: 'HTTP',
      pathname: '/',
      method: 'POST',
      authType: 'AK',
      style: 'RPC',
      reqBodyType: 'formData',
      bodyType: 'json',
    });
    const res = (await client.callApi(params, new OpenApiRequest({ query, body: request }), new RuntimeOptions({}))) as { body: Body };
    return res.body;
  };
}

function typeOf(v: unknown): string {
  return Array.isArray(v) ? 'array' : v === null ? 'null' : typeof v;
}

for (const delays of ['none', 'none,vpcCreate=1200,vpcDelete=1200,vswitchCreate=300,vswitchDelete=300']) {
  describe(`VPC reads the Terraform provider makes (delays ${delays})`, () => {
    let server: RunningServer;
    let vpc: ReturnType<typeof vpcClient>;
    let call: ReturnType<typeof providerCall>;
    before(async () => {
      server = await startServer({ args: ['--delays', delays] });
      vpc = vpcClient(server);
      call = providerCall(server);
    });
    after(() => server.dispose());
    const delayed = delays !== 'none';

    const vpcStatus = async (vpcId: string) => {
      try {
        return String((await call('DescribeVpcAttribute', {}, { VpcId: vpcId, RegionId: region })).Status);
      } catch (e) {
        if ((e as { statusCode?: number }).statusCode === 404) return 'gone';
        throw e;
      }
    };
    const newVpc = async (cidrBlock: string) => {
      const { vpcId, routeTableId, VRouterId } = (await vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId: region, cidrBlock }))).body!;
      await pollUntil(() => vpcStatus(vpcId!), 'Available');
      return { vpcId: vpcId!, routeTableId: routeTableId!, routerId: VRouterId! };
    };
    const newVSwitch = async (vpcId: string, cidrBlock: string) => {
      const id = (await vpc.createVSwitch(new $Vpc.CreateVSwitchRequest({ regionId: region, vpcId, zoneId: 'cn-hangzhou-i', cidrBlock }))).body!.vSwitchId!;
      await pollUntil(
        async () => (await vpc.describeVSwitchAttributes(new $Vpc.DescribeVSwitchAttributesRequest({ regionId: region, vSwitchId: id }))).body!.status,
        'Available',
      );
      return id;
    };
    const entries = async (routeTableId: string) =>
      (await vpc.describeRouteEntryList(new $Vpc.DescribeRouteEntryListRequest({ regionId: region, routeTableId }))).body!.routeEntrys!.routeEntry!;

    test("DescribeVpcAttribute: the provider's alicloud_vpc create wait and read (resource_alicloud_vpc.go, service_alicloud_vpc_v2.go DescribeVpcVpc)", async () => {
      const created = (await vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId: region, cidrBlock: '172.16.0.0/12', vpcName: 'tf', clientToken: 'tf-vpc-1' })))
        .body!;
      const seen = await pollUntil(() => vpcStatus(created.vpcId!), 'Available');
      if (delayed) assert.deepEqual(seen, ['Pending', 'Available']);
      const body = await call('DescribeVpcAttribute', {}, { VpcId: created.vpcId!, RegionId: region });
      // Every field the provider's read sets, with its type.
      const want: Record<string, string> = {
        VpcId: 'string',
        CidrBlock: 'string',
        ClassicLinkEnabled: 'boolean',
        CreationTime: 'string',
        Description: 'string',
        DnsHostnameStatus: 'string',
        EnabledIpv6: 'boolean',
        Ipv6CidrBlock: 'string',
        RegionId: 'string',
        IsDefault: 'boolean',
        ResourceGroupId: 'string',
        VRouterId: 'string',
        Status: 'string',
        VpcName: 'string',
        OwnerId: 'number',
      };
      for (const [k, t] of Object.entries(want)) assert.equal(typeOf(body[k]), t, `${k}`);
      assert.equal(body.VpcId, created.vpcId);
      assert.equal(body.VRouterId, created.VRouterId);
      assert.equal(body.VpcName, 'tf');
      assert.deepEqual((body.Ipv6CidrBlocks as Body).Ipv6CidrBlock, []);
      assert.deepEqual((body.SecondaryCidrBlocks as Body).SecondaryCidrBlock, []);
      assert.deepEqual((body.UserCidrs as Body).UserCidr, []);
      assert.deepEqual((body.Tags as Body).Tag, []);
      assert.deepEqual((body.VSwitchIds as Body).VSwitchId, []);
      assert.equal(body.RouterTableIds, undefined, "DescribeVpcAttribute does not carry DescribeVpcs' RouterTableIds");
    });

    test("DescribeVpcAttribute: the official SDK reads vSwitch IDs and tags; an unknown or another account's VPC is InvalidVpcId.NotFound 404", async () => {
      const { vpcId } = await newVpc('10.0.0.0/16');
      const vsw = await newVSwitch(vpcId, '10.0.1.0/24');
      const attr = (await vpc.describeVpcAttribute(new $Vpc.DescribeVpcAttributeRequest({ regionId: region, vpcId }))).body!;
      assert.deepEqual(attr.vSwitchIds!.vSwitchId, [vsw]);
      assert.equal(attr.isDefault, false);
      assert.deepEqual(
        attr.cloudResources!.cloudResourceSetType!.map((c) => [c.resourceType, c.resourceCount]),
        [['VSwitch', 1]],
      );
      await expectApiError(
        vpc.describeVpcAttribute(new $Vpc.DescribeVpcAttributeRequest({ regionId: region, vpcId: 'vpc-bp1doesnotexist000000' })),
        'InvalidVpcId.NotFound',
        404,
      );
      // IsDefault narrows to the default VPC: this one is not.
      await expectApiError(
        vpc.describeVpcAttribute(new $Vpc.DescribeVpcAttributeRequest({ regionId: region, vpcId, isDefault: true })),
        'InvalidVpcId.NotFound',
        404,
      );
      await expectApiError(vpc.describeVpcAttribute(new $Vpc.DescribeVpcAttributeRequest({ regionId: region })), 'MissingParameter', 400);
    });

    test("DescribeRouteTableList: the provider's alicloud_vpc read finds the System table made with the VPC (resource_alicloud_vpc.go, DescribeVpcDescribeRouteTableList)", async () => {
      const { vpcId, routeTableId, routerId } = await newVpc('192.168.0.0/16');
      const body = await call('DescribeRouteTableList', {}, { VpcId: vpcId, RegionId: region });
      const list = (body.RouterTableList as Body).RouterTableListType as Body[];
      assert.equal(list.length, 1);
      const t = list[0]!;
      assert.equal(t.RouteTableType, 'System');
      assert.equal(t.VpcId, vpcId);
      assert.equal(t.RouteTableId, routeTableId);
      assert.equal(t.RouterId, routerId);
      assert.equal(t.RouterType, 'VRouter');
      assert.equal(t.Status, 'Available');
      const want: Record<string, string> = {
        ResourceGroupId: 'string',
        RouteTableId: 'string',
        RouterId: 'string',
        Description: 'string',
        RouteTableName: 'string',
        RoutePropagationEnable: 'boolean',
      };
      for (const [k, ty] of Object.entries(want)) assert.equal(typeOf(t[k]), ty, k);
      // The provider sets the VPC's resource_group_id from this table too: the two agree.
      const attr = await call('DescribeVpcAttribute', {}, { VpcId: vpcId, RegionId: region });
      assert.equal(t.ResourceGroupId, attr.ResourceGroupId);
      assert.equal(body.TotalCount, 1);
    });

    test('DescribeRouteEntryList: the System table holds 100.64.0.0/10 and one entry per vSwitch CIDR, added and removed with the vSwitch', async () => {
      const { vpcId, routeTableId } = await newVpc('10.10.0.0/16');
      const destinations = async () => (await entries(routeTableId)).map((e) => e.destinationCidrBlock).sort();
      assert.deepEqual(await destinations(), ['100.64.0.0/10']);
      const a = await newVSwitch(vpcId, '10.10.1.0/24');
      const b = await newVSwitch(vpcId, '10.10.2.0/24');
      assert.deepEqual(await destinations(), ['10.10.1.0/24', '10.10.2.0/24', '100.64.0.0/10']);
      const list = await entries(routeTableId);
      for (const e of list) {
        assert.equal(e.type, 'System');
        assert.equal(e.status, 'Available');
        assert.equal(e.routeTableId, routeTableId);
        assert.match(e.routeEntryId!, /^rte-bp1[a-z0-9]{17}$/);
      }
      assert.equal(list.find((e) => e.destinationCidrBlock === '10.10.1.0/24')!.nextHops!.nextHop![0]!.nextHopType, 'local');
      // The table lists the vSwitches it serves.
      const table = (await vpc.describeRouteTableList(new $Vpc.DescribeRouteTableListRequest({ regionId: region, routeTableId }))).body!.routerTableList!
        .routerTableListType![0]!;
      assert.deepEqual(table.vSwitchIds!.vSwitchId, [a, b]);
      await vpc.deleteVSwitch(new $Vpc.DeleteVSwitchRequest({ regionId: region, vSwitchId: a }));
      // The entry goes when the deletion starts, even while the vSwitch still shows Pending.
      assert.deepEqual(await destinations(), ['10.10.2.0/24', '100.64.0.0/10']);
      // Filters.
      const byDestination = await vpc.describeRouteEntryList(
        new $Vpc.DescribeRouteEntryListRequest({ regionId: region, routeTableId, destinationCidrBlock: '10.10.2.0/24' }),
      );
      assert.equal(byDestination.body!.routeEntrys!.routeEntry!.length, 1);
      const byType = await vpc.describeRouteEntryList(new $Vpc.DescribeRouteEntryListRequest({ regionId: region, routeTableId, routeEntryType: 'Custom' }));
      assert.deepEqual(byType.body!.routeEntrys!.routeEntry, []);
      const id = byDestination.body!.routeEntrys!.routeEntry![0]!.routeEntryId;
      const byId = await vpc.describeRouteEntryList(new $Vpc.DescribeRouteEntryListRequest({ regionId: region, routeTableId, routeEntryId: id }));
      assert.equal(byId.body!.routeEntrys!.routeEntry![0]!.destinationCidrBlock, '10.10.2.0/24');
      await expectApiError(vpc.describeRouteEntryList(new $Vpc.DescribeRouteEntryListRequest({ regionId: region })), 'MissingParameter', 400);
    });

    test("DescribeRouteEntryList: MaxResult/NextToken pages through a table's entries", async () => {
      const { vpcId, routeTableId } = await newVpc('10.20.0.0/16');
      for (let i = 0; i < 21; i++) await newVSwitch(vpcId, `10.20.${i}.0/24`);
      const first = (await vpc.describeRouteEntryList(new $Vpc.DescribeRouteEntryListRequest({ regionId: region, routeTableId, maxResult: 20 }))).body!;
      assert.equal(first.routeEntrys!.routeEntry!.length, 20);
      assert.equal(first.totalCount, 22);
      assert.ok(first.nextToken);
      const second = (
        await vpc.describeRouteEntryList(new $Vpc.DescribeRouteEntryListRequest({ regionId: region, routeTableId, maxResult: 20, nextToken: first.nextToken }))
      ).body!;
      assert.equal(second.routeEntrys!.routeEntry!.length, 2);
      assert.equal(second.nextToken, '');
      const all = [...first.routeEntrys!.routeEntry!, ...second.routeEntrys!.routeEntry!].map((e) => e.routeEntryId);
      assert.equal(new Set(all).size, 22);
    });

    test('DescribeRouteTableList: filters by table ID, router, name, type and tags; pages with PageNumber/PageSize', async () => {
      const a = await newVpc('10.30.0.0/16');
      const b = await newVpc('10.31.0.0/16');
      const list = async (extra: Partial<$Vpc.DescribeRouteTableListRequest>) =>
        (await vpc.describeRouteTableList(new $Vpc.DescribeRouteTableListRequest({ regionId: region, ...extra }))).body!;
      const ids = async (extra: Partial<$Vpc.DescribeRouteTableListRequest>) =>
        (await list(extra)).routerTableList!.routerTableListType!.map((t) => t.routeTableId);
      assert.deepEqual(await ids({ routeTableId: b.routeTableId }), [b.routeTableId]);
      assert.deepEqual(await ids({ routerId: a.routerId }), [a.routeTableId]);
      assert.deepEqual(await ids({ vpcId: a.vpcId, routeTableType: 'System' }), [a.routeTableId]);
      assert.deepEqual(await ids({ vpcId: a.vpcId, routeTableType: 'Custom' }), []);
      assert.deepEqual(await ids({ vpcId: a.vpcId, routerType: 'VBR' }), []);
      assert.deepEqual(await ids({ routeTableName: 'named' }), []);
      assert.deepEqual(await ids({ vpcId: a.vpcId, tag: [new $Vpc.DescribeRouteTableListRequestTag({ key: 'k', value: 'v' })] }), []);
      const all = await list({});
      assert.ok(all.totalCount! >= 2);
      const page = await list({ pageSize: 1, pageNumber: 2 });
      assert.equal(page.routerTableList!.routerTableListType!.length, 1);
      assert.equal(page.pageNumber, 2);
      assert.equal(page.pageSize, 1);
      assert.equal(page.totalCount, all.totalCount);
      await expectApiError(list({ pageSize: 51 }), 'InvalidParameter', 400);
    });

    test("DescribeVpcAttribute: the provider's alicloud_vpc destroy waits until the VPC answers 404, and its route table and entries go with it (resource_alicloud_vpc.go Delete)", async () => {
      const { vpcId, routeTableId } = await newVpc('10.40.0.0/16');
      await call('DeleteVpc', {}, { VpcId: vpcId, RegionId: region, ClientToken: 'tf-del-1' });
      const seen = await pollUntil(() => vpcStatus(vpcId), 'gone');
      if (delayed) assert.deepEqual(seen, ['Deleting', 'gone']);
      assert.deepEqual(
        (await vpc.describeRouteTableList(new $Vpc.DescribeRouteTableListRequest({ regionId: region, routeTableId }))).body!.routerTableList!
          .routerTableListType,
        [],
      );
      assert.deepEqual(await entries(routeTableId), []);
    });
  });
}

describe("The other reads and writes of the provider's vswitch, security group and EIP resources, with its exact parameters", () => {
  let server: RunningServer;
  let call: ReturnType<typeof providerCall>;
  let ecsCall: (action: string, query: Record<string, string>, request: Record<string, string>) => Promise<Body>;
  before(async () => {
    server = await startServer();
    call = providerCall(server);
    const client = vpcClient(server);
    ecsCall = async (action, query, request) => {
      const params = new Params({
        action,
        version: '2014-05-26',
        protocol: 'HTTP',
        pathname: '/',
        method: 'POST',
        authType: 'AK',
        style: 'RPC',
        reqBodyType: 'formData',
        bodyType: 'json',
      });
      return ((await client.callApi(params, new OpenApiRequest({ query, body: request }), new RuntimeOptions({}))) as { body: Body }).body;
    };
  });
  after(() => server.dispose());

  test("DescribeVSwitchAttributes: the provider's alicloud_vswitch create, read and destroy (resource_alicloud_vswitch.go, DescribeVpcVswitch)", async () => {
    const { VpcId: vpcId } = await call('CreateVpc', {}, { RegionId: region, ClientToken: 'tf-vpc-sw', CidrBlock: '10.50.0.0/16', VpcName: 'tf' });
    const { VSwitchId: id } = await call(
      'CreateVSwitch',
      {},
      {
        RegionId: region,
        ClientToken: 'tf-sw-1',
        CidrBlock: '10.50.1.0/24',
        VpcId: String(vpcId),
        VSwitchName: 'sw',
        Description: 'd',
        ZoneId: 'cn-hangzhou-i',
      },
    );
    const body = await call('DescribeVSwitchAttributes', { VSwitchId: String(id) }, { RegionId: region });
    const want: Record<string, string> = {
      VSwitchId: 'string',
      CidrBlock: 'string',
      CreationTime: 'string',
      Description: 'string',
      Ipv6CidrBlock: 'string',
      IsDefault: 'boolean',
      Status: 'string',
      VSwitchName: 'string',
      VpcId: 'string',
      ZoneId: 'string',
    };
    for (const [k, t] of Object.entries(want)) assert.equal(typeOf(body[k]), t, k);
    assert.deepEqual((body.Tags as Body).Tag, []);
    assert.equal(body.Status, 'Available');
    await call('DeleteVSwitch', {}, { VSwitchId: String(id), RegionId: region });
    await expectApiError(call('DescribeVSwitchAttributes', { VSwitchId: String(id) }, { RegionId: region }), 'InvalidVSwitchId.NotFound', 404);
  });

  test("DescribeSecurityGroups and DescribeSecurityGroupAttribute: the provider's alicloud_security_group create, read and destroy (resource_alicloud_security_group.go, service_alicloud_ecs_v2.go)", async () => {
    const { VpcId: vpcId } = await call('CreateVpc', {}, { RegionId: region, ClientToken: 'tf-vpc-sg', CidrBlock: '10.60.0.0/16' });
    await pollUntil(async () => String((await call('DescribeVpcAttribute', {}, { VpcId: String(vpcId), RegionId: region })).Status), 'Available');
    const { SecurityGroupId: id } = await ecsCall(
      'CreateSecurityGroup',
      {},
      { RegionId: region, ClientToken: 'tf-sg-1', SecurityGroupType: 'normal', Description: 'tf group', VpcId: String(vpcId), SecurityGroupName: 'sg' },
    );
    const listed = await ecsCall('DescribeSecurityGroups', {}, { SecurityGroupId: String(id), RegionId: region });
    const group = ((listed.SecurityGroups as Body).SecurityGroup as Body[])[0]!;
    const want: Record<string, string> = {
      SecurityGroupId: 'string',
      CreationTime: 'string',
      Description: 'string',
      ResourceGroupId: 'string',
      SecurityGroupName: 'string',
      SecurityGroupType: 'string',
      VpcId: 'string',
    };
    for (const [k, t] of Object.entries(want)) assert.equal(typeOf(group[k]), t, k);
    assert.equal(group.SecurityGroupType, 'normal');
    assert.deepEqual((group.Tags as Body).Tag, []);
    const attr = await ecsCall('DescribeSecurityGroupAttribute', {}, { SecurityGroupId: String(id), RegionId: region });
    assert.equal(attr.InnerAccessPolicy, 'Accept');
    await ecsCall('DeleteSecurityGroup', {}, { SecurityGroupId: String(id), RegionId: region });
    const gone = await ecsCall('DescribeSecurityGroups', {}, { SecurityGroupId: String(id), RegionId: region });
    assert.deepEqual((gone.SecurityGroups as Body).SecurityGroup, []);
  });

  test("DescribeEipAddresses: the provider's alicloud_eip_address create, read and destroy (resource_alicloud_eip_address.go, service_alicloud_eip_v2.go DescribeEipAddress)", async () => {
    // The provider always puts allocation_id in the query as InstanceId, empty when unset.
    const { AllocationId: id } = await call(
      'AllocateEipAddress',
      { InstanceId: '' },
      {
        RegionId: region,
        ClientToken: 'tf-eip-1',
        Bandwidth: '5',
        Name: 'eip',
        Description: 'd',
        InstanceChargeType: 'PostPaid',
        InternetChargeType: 'PayByTraffic',
      },
    );
    const body = await call('DescribeEipAddresses', { AllocationId: String(id), RegionId: region }, {});
    const eip = ((body.EipAddresses as Body).EipAddress as Body[])[0]!;
    const want: Record<string, string> = {
      Name: 'string',
      Bandwidth: 'string',
      AllocationTime: 'string',
      DeletionProtection: 'boolean',
      Description: 'string',
      InternetChargeType: 'string',
      IpAddress: 'string',
      ISP: 'string',
      Netmode: 'string',
      ChargeType: 'string',
      ResourceGroupId: 'string',
      Status: 'string',
      AllocationId: 'string',
    };
    for (const [k, t] of Object.entries(want)) assert.equal(typeOf(eip[k]), t, k);
    assert.equal(eip.Status, 'Available');
    assert.deepEqual((eip.Tags as Body).Tag, []);
    // Restoring a released EIP by its ID is not modelled: a non-empty InstanceId is refused, not ignored.
    await expectApiError(call('AllocateEipAddress', { InstanceId: String(id) }, { RegionId: region, ClientToken: 'tf-eip-2' }), 'UnsupportedParameter', 400);
    await call('ReleaseEipAddress', { AllocationId: String(id) }, { RegionId: region });
    await pollUntil(
      async () =>
        ((await call('DescribeEipAddresses', { AllocationId: String(id), RegionId: region }, {})).EipAddresses as { EipAddress: Body[] }).EipAddress.length,
      0,
    );
  });

  test("DescribeEipAddresses: the provider's alicloud_eip_association on an ENI, create, read and destroy (resource_alicloud_eip_association.go, DescribeEipAssociation)", async () => {
    const { VpcId: vpcId } = await call('CreateVpc', {}, { RegionId: region, ClientToken: 'tf-vpc-assoc', CidrBlock: '10.70.0.0/16' });
    const { VSwitchId: vswId } = await call(
      'CreateVSwitch',
      {},
      { RegionId: region, ClientToken: 'tf-sw-assoc', CidrBlock: '10.70.1.0/24', VpcId: String(vpcId), ZoneId: 'cn-hangzhou-i' },
    );
    const { SecurityGroupId: sgId } = await ecsCall('CreateSecurityGroup', {}, { RegionId: region, ClientToken: 'tf-sg-assoc', VpcId: String(vpcId) });
    const { NetworkInterfaceId: eniId } = await ecsCall(
      'CreateNetworkInterface',
      {},
      { RegionId: region, VSwitchId: String(vswId), 'SecurityGroupIds.1': String(sgId) },
    );
    const { AllocationId: eipId } = await call('AllocateEipAddress', { InstanceId: '' }, { RegionId: region, ClientToken: 'tf-eip-assoc' });
    const ids = { AllocationId: String(eipId), InstanceId: String(eniId) };
    await call('AssociateEipAddress', ids, { RegionId: region, ClientToken: 'tf-assoc-1', InstanceType: 'NetworkInterface' });
    const read = async () =>
      ((await call('DescribeEipAddresses', { AllocationId: String(eipId), RegionId: region }, {})).EipAddresses as { EipAddress: Body[] }).EipAddress;
    await pollUntil(async () => String((await read())[0]!.Status), 'InUse');
    const item = (await read()).find((e) => e.InstanceId === eniId)!;
    assert.equal(item.InstanceType, 'NetworkInterface');
    for (const k of ['InstanceType', 'Mode', 'PrivateIpAddress', 'VpcId', 'InstanceId']) assert.equal(typeOf(item[k]), 'string', k);
    assert.equal(item.VpcId, vpcId);
    await call('UnassociateEipAddress', ids, { RegionId: region, ClientToken: 'tf-unassoc-1', InstanceType: 'NetworkInterface' });
    // The provider's destroy waits until the EIP no longer names the ENI.
    await pollUntil(async () => (await read()).some((e) => e.InstanceId === eniId), false);
  });
});

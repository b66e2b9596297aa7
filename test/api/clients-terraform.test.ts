import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { GoSdkClient } from '../helpers/go-sdk-client.ts';
import { assertFieldTypes, listAt, waitForState } from '../helpers/replay-kit.ts';
import { TeaRpcClient, TeaSdkError, buildClientToken, providerNotFound, type TeaValue } from '../helpers/tea-rpc-client.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

/**
 * The Terraform provider (github aliyun/terraform-provider-alicloud, commit 81c43b67) replayed
 * resource by resource: every call its Create/Read/Update/Delete functions make with the
 * arguments set, in its wire style (tea-rpc: signature fields in the query, the parameters in a
 * form body, Format=json; the Go SDK for its `WithEcsClient` calls), following its waits
 * (BuildStateConf: a 5 s delay then a poll every 3 s, scaled down), and checking the fields its
 * Read copies into the state: a value read back differently from what was configured makes
 * every later plan change or replace the resource.
 */
const REGION = 'cn-hangzhou';

/** A provider call that must fail with a tea.SDKError of this code. */
async function expectTeaError(call: Promise<unknown>, code: string): Promise<void> {
  await assert.rejects(call, (err: unknown) => err instanceof TeaSdkError && err.code === code);
}
const ZONE = 'cn-hangzhou-i';
const IMAGE = 'aliyun_3_x64_20G_alibase_20240819.vhd';
/** Short but real server delays for every asynchronous state the provider waits on. */
const DELAYS = [
  '--delays',
  'none,vpcCreate=300,vswitchCreate=300,vpcDelete=300,vswitchDelete=300,eniAttach=300,eniDetach=300,eniDelete=300,instanceCreate=300,instanceStart=300,eipAssociate=300',
];

/** The arguments of an alicloud_security_group_rule. */
interface SgRuleArgs {
  security_group_id: string;
  type: 'ingress' | 'egress';
  ip_protocol: string;
  policy?: string;
  priority?: number;
  cidr_ip?: string;
  source_security_group_id?: string;
  port_range?: string;
  nic_type?: string;
  description?: string;
}

/** The provider's calls, one function per service function or resource step. */
class Provider {
  readonly tea: TeaRpcClient;
  readonly go: GoSdkClient;
  constructor(server: RunningServer) {
    this.tea = new TeaRpcClient({ endpoint: server.endpoint });
    this.go = new GoSdkClient({ endpoint: server.endpoint, regionId: REGION, userAgent: 'Terraform/1.9.0 terraform-provider-alicloud/1.260.0' });
  }

  // data "alicloud_resource_manager_resource_groups" (data_source_alicloud_resource_manager_resource_groups.go)
  async resourceGroups(status = 'OK'): Promise<{ ids: string[]; groups: Record<string, unknown>[] }> {
    const groups: Record<string, unknown>[] = [];
    for (let page = 1; page < 100; page++) {
      const res = await this.tea.resourceManager('ListResourceGroups', { Status: status, PageSize: 50, PageNumber: page });
      const rows = listAt(res, 'ResourceGroups.ResourceGroup', 'ListResourceGroups');
      groups.push(...rows);
      if (rows.length < 50) break;
    }
    for (const g of groups)
      assertFieldTypes(g, { Id: 'string', Name: 'string', DisplayName: 'string', AccountId: 'string', Status: 'string' }, 'ResourceGroup');
    return { ids: groups.map((g) => String(g.Id)), groups };
  }

  // alicloud_vpc (resource_alicloud_vpc.go, service_alicloud_vpc_v2.go)
  async describeVpcAttribute(id: string): Promise<Record<string, unknown> | undefined> {
    try {
      const res = await this.tea.vpc('DescribeVpcAttribute', { VpcId: id, RegionId: REGION });
      // DescribeVpcVpc: an answer whose VpcId is "" means the VPC is gone.
      return res.VpcId === '' ? undefined : res;
    } catch (err) {
      if (providerNotFound(err)) return undefined;
      throw err;
    }
  }
  async vpcState(id: string): Promise<string> {
    return String((await this.describeVpcAttribute(id))?.Status ?? '');
  }
  async systemRouteTable(vpcId: string): Promise<Record<string, unknown>> {
    const res = await this.tea.vpc('DescribeRouteTableList', { VpcId: vpcId, RegionId: REGION });
    const tables = listAt(res, 'RouterTableList.RouterTableListType', 'DescribeRouteTableList');
    const system = tables.find((t) => t.RouteTableType === 'System' && t.VpcId === vpcId);
    assert.ok(system, 'the VPC has a System route table');
    return system;
  }
  async vpcCreate(args: { cidr_block: string; vpc_name: string; description?: string; resource_group_id?: string }): Promise<string> {
    const res = await this.tea.vpc('CreateVpc', {
      RegionId: REGION,
      ClientToken: buildClientToken('CreateVpc'),
      CidrBlock: args.cidr_block,
      VpcName: args.vpc_name,
      Description: args.description,
      ResourceGroupId: args.resource_group_id,
    });
    const id = String(res.VpcId);
    await waitForState(() => this.vpcState(id), ['Available'], { delay: 5 });
    // resourceAliCloudVpcVpcUpdate runs after every create: it reads the System route table.
    await this.systemRouteTable(id);
    return id;
  }
  async vpcRead(id: string): Promise<Record<string, unknown>> {
    const o = await this.describeVpcAttribute(id);
    assert.ok(o, `${id} readable`);
    assertFieldTypes(
      o,
      {
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
        SecondaryCidrBlocks: 'object',
        UserCidrs: 'object',
        Tags: 'object',
      },
      'DescribeVpcAttribute',
    );
    const rt = await this.systemRouteTable(id);
    assertFieldTypes(
      rt,
      {
        ResourceGroupId: 'string',
        RouteTableId: 'string',
        RouterId: 'string',
        Description: 'string',
        RouteTableName: 'string',
        RouteTableType: 'string',
        VpcId: 'string',
      },
      'RouterTableListType',
    );
    assert.equal(rt.RouterId, o.VRouterId);
    // Read sets resource_group_id twice: from the VPC, then from its System route table; both must agree.
    assert.equal(rt.ResourceGroupId, o.ResourceGroupId);
    return {
      cidr_block: o.CidrBlock,
      vpc_name: o.VpcName,
      description: o.Description,
      resource_group_id: o.ResourceGroupId,
      status: o.Status,
      route_table_id: rt.RouteTableId,
      router_id: o.VRouterId,
    };
  }
  async vpcUpdate(id: string, args: { vpc_name?: string; description?: string }): Promise<void> {
    await this.tea.vpc('ModifyVpcAttribute', { VpcId: id, RegionId: REGION, VpcName: args.vpc_name, Description: args.description });
    await waitForState(() => this.vpcState(id), ['Available'], { delay: 5 });
    await this.systemRouteTable(id);
  }
  async vpcDelete(id: string): Promise<void> {
    await this.retry(['DependencyViolation.VSwitch', 'DependencyViolation.SecurityGroup', 'IncorrectVpcStatus'], () =>
      this.tea.vpc('DeleteVpc', { VpcId: id, RegionId: REGION, ClientToken: buildClientToken('DeleteVpc') }),
    );
    await waitForState(() => this.vpcState(id), [''], { delay: 5 });
  }

  // alicloud_vswitch (resource_alicloud_vswitch.go)
  async describeVSwitch(id: string): Promise<Record<string, unknown> | undefined> {
    try {
      // DescribeVpcVswitch: VSwitchId in the query, RegionId in the body.
      const res = await this.tea.vpc('DescribeVSwitchAttributes', { RegionId: REGION }, { VSwitchId: id });
      return res.VSwitchId === '' ? undefined : res;
    } catch (err) {
      if (providerNotFound(err)) return undefined;
      throw err;
    }
  }
  async vswitchCreate(args: { vpc_id: string; cidr_block: string; zone_id: string; vswitch_name: string; description?: string }): Promise<string> {
    const res = await this.tea.vpc('CreateVSwitch', {
      RegionId: REGION,
      ClientToken: buildClientToken('CreateVSwitch'),
      CidrBlock: args.cidr_block,
      VpcId: args.vpc_id,
      VSwitchName: args.vswitch_name,
      Description: args.description,
      ZoneId: args.zone_id,
    });
    const id = String(res.VSwitchId);
    await waitForState(async () => String((await this.describeVSwitch(id))?.Status ?? ''), ['Available'], { delay: 0 });
    return id;
  }
  async vswitchRead(id: string): Promise<Record<string, unknown>> {
    const o = await this.describeVSwitch(id);
    assert.ok(o);
    assertFieldTypes(
      o,
      {
        CidrBlock: 'string',
        CreationTime: 'string',
        Description: 'string',
        Ipv6CidrBlock: 'string',
        IsDefault: 'boolean',
        Status: 'string',
        VSwitchName: 'string',
        VpcId: 'string',
        ZoneId: 'string',
      },
      'DescribeVSwitchAttributes',
    );
    return { cidr_block: o.CidrBlock, vswitch_name: o.VSwitchName, description: o.Description, vpc_id: o.VpcId, zone_id: o.ZoneId, status: o.Status };
  }
  async vswitchUpdate(id: string, args: { vswitch_name?: string; description?: string }): Promise<void> {
    await this.tea.vpc('ModifyVSwitchAttribute', { VSwitchId: id, RegionId: REGION, VSwitchName: args.vswitch_name, Description: args.description });
    await waitForState(async () => String((await this.describeVSwitch(id))?.Status ?? ''), ['Available'], { delay: 0 });
  }
  async vswitchDelete(id: string): Promise<void> {
    await this.retry(['DependencyViolation', 'OperationConflict', 'IncorrectVSwitchStatus'], () =>
      this.tea.vpc('DeleteVSwitch', { VSwitchId: id, RegionId: REGION }),
    );
    await waitForState(async () => String((await this.describeVSwitch(id))?.Status ?? ''), [''], { delay: 0 });
  }

  // alicloud_security_group (resource_alicloud_security_group.go, service_alicloud_ecs_v2.go)
  async securityGroupCreate(args: { vpc_id: string; security_group_name: string; description?: string; resource_group_id?: string }): Promise<string> {
    const res = await this.tea.ecs('CreateSecurityGroup', {
      RegionId: REGION,
      ClientToken: buildClientToken('CreateSecurityGroup'),
      Description: args.description,
      VpcId: args.vpc_id,
      SecurityGroupName: args.security_group_name,
      ResourceGroupId: args.resource_group_id,
    });
    return String(res.SecurityGroupId);
  }
  async securityGroupRead(id: string): Promise<Record<string, unknown>> {
    const list = await this.tea.ecs('DescribeSecurityGroups', { SecurityGroupId: id, RegionId: REGION });
    const [o] = listAt(list, 'SecurityGroups.SecurityGroup', 'DescribeSecurityGroups');
    assert.ok(o);
    assertFieldTypes(
      o,
      {
        CreationTime: 'string',
        Description: 'string',
        ResourceGroupId: 'string',
        SecurityGroupName: 'string',
        SecurityGroupType: 'string',
        VpcId: 'string',
        Tags: 'object',
      },
      'SecurityGroup',
    );
    const attr = await this.tea.ecs('DescribeSecurityGroupAttribute', { SecurityGroupId: id, RegionId: REGION });
    assertFieldTypes(attr, { InnerAccessPolicy: 'string' }, 'DescribeSecurityGroupAttribute');
    return {
      security_group_name: o.SecurityGroupName,
      description: o.Description,
      resource_group_id: o.ResourceGroupId,
      vpc_id: o.VpcId,
      security_group_type: o.SecurityGroupType,
      inner_access_policy: attr.InnerAccessPolicy,
    };
  }
  async securityGroupUpdate(id: string, args: { security_group_name?: string; description?: string }): Promise<void> {
    await this.tea.ecs('ModifySecurityGroupAttribute', {
      SecurityGroupId: id,
      RegionId: REGION,
      SecurityGroupName: args.security_group_name,
      Description: args.description,
    });
  }
  async securityGroupDelete(id: string): Promise<void> {
    await this.retry(['DependencyViolation'], () => this.tea.ecs('DeleteSecurityGroup', { SecurityGroupId: id, RegionId: REGION }));
  }

  // alicloud_security_group_rule (resource_alicloud_security_group_rule.go; service_alicloud_ecs.go
  // DescribeSecurityGroup and DescribeSecurityGroupRule through the Go SDK)
  async describeSecurityGroupGo(id: string): Promise<Record<string, unknown>> {
    return (await this.go.ecs('DescribeSecurityGroupAttribute', { SecurityGroupId: id, RegionId: REGION })).body;
  }
  async securityGroupRuleCreate(a: SgRuleArgs): Promise<string> {
    const ingress = a.type === 'ingress';
    // The provider's defaults: policy "accept", priority 1, port_range "-1/-1"; nic_type has none.
    const policy = a.policy ?? 'accept';
    const priority = a.priority ?? 1;
    const portRange = a.port_range ?? '-1/-1';
    const permission: Record<string, TeaValue> = { IpProtocol: a.ip_protocol, Policy: policy, Priority: String(priority) };
    if (a.cidr_ip) permission[ingress ? 'SourceCidrIp' : 'DestCidrIp'] = a.cidr_ip;
    if (a.source_security_group_id) permission[ingress ? 'SourceGroupId' : 'DestGroupId'] = a.source_security_group_id;
    permission.PortRange = portRange;
    await this.describeSecurityGroupGo(a.security_group_id);
    if (a.nic_type) permission.NicType = a.nic_type;
    if (a.description) permission.Description = a.description;
    await this.retry([], () =>
      this.tea.ecs(ingress ? 'AuthorizeSecurityGroup' : 'AuthorizeSecurityGroupEgress', {
        RegionId: REGION,
        SecurityGroupId: a.security_group_id,
        Permissions: [permission],
      }),
    );
    // d.SetId with fmt "%v": an unset nic_type is "<nil>".
    const cidr = a.cidr_ip ?? a.source_security_group_id ?? '';
    return [a.security_group_id, a.type, a.ip_protocol, portRange, a.nic_type ?? '<nil>', cidr, policy, priority].join(':');
  }
  /** DescribeSecurityGroupRule: the rule found by protocol, ports, remote end, policy and priority (all from the resource ID). */
  async securityGroupRuleRead(id: string): Promise<Record<string, unknown> | undefined> {
    const [groupId, direction, ipProtocol, portRange, nicType, cidrIp, policy, priority] = id.split(':') as [
      string,
      string,
      string,
      string,
      string,
      string,
      string,
      string,
    ];
    const res = await this.go.ecs('DescribeSecurityGroupAttribute', { RegionId: REGION, SecurityGroupId: groupId, Direction: direction, NicType: nicType });
    const ingress = direction === 'ingress';
    const rule = listAt(res.body, 'Permissions.Permission', 'DescribeSecurityGroupAttribute').find((ru) => {
      const cidr = String((ingress ? ru.SourceCidrIp || ru.SourceGroupId || ru.Ipv6SourceCidrIp : ru.DestCidrIp || ru.DestGroupId || ru.Ipv6DestCidrIp) ?? '');
      const prefixList = String((ingress ? ru.SourcePrefixListId : ru.DestPrefixListId) ?? '');
      return (
        String(ru.IpProtocol).toLowerCase() === ipProtocol &&
        ru.PortRange === portRange &&
        (cidr === cidrIp || prefixList === cidrIp) &&
        String(ru.Policy).toLowerCase() === policy &&
        ru.Priority === String(Number(priority))
      );
    });
    if (!rule) return undefined;
    assertFieldTypes(
      rule,
      {
        Direction: 'string',
        IpProtocol: 'string',
        NicType: 'string',
        Policy: 'string',
        PortRange: 'string',
        Description: 'string',
        SecurityGroupRuleId: 'string',
        Priority: 'string',
        SourceCidrIp: 'string',
        Ipv6SourceCidrIp: 'string',
        SourceGroupId: 'string',
        SourceGroupOwnerAccount: 'string',
        SourcePrefixListId: 'string',
        DestCidrIp: 'string',
        Ipv6DestCidrIp: 'string',
        DestGroupId: 'string',
        DestGroupOwnerAccount: 'string',
        DestPrefixListId: 'string',
      },
      'Permission',
    );
    return {
      security_group_id: groupId,
      type: rule.Direction,
      ip_protocol: String(rule.IpProtocol).toLowerCase(),
      nic_type: rule.NicType,
      policy: String(rule.Policy).toLowerCase(),
      port_range: rule.PortRange,
      description: rule.Description,
      security_group_rule_id: rule.SecurityGroupRuleId,
      priority: Number(rule.Priority),
      cidr_ip: ingress ? rule.SourceCidrIp : rule.DestCidrIp,
      ipv6_cidr_ip: ingress ? rule.Ipv6SourceCidrIp : rule.Ipv6DestCidrIp,
      source_security_group_id: ingress ? rule.SourceGroupId : rule.DestGroupId,
      source_group_owner_id: ingress ? rule.SourceGroupOwnerAccount : rule.DestGroupOwnerAccount,
      prefix_list_id: ingress ? rule.SourcePrefixListId : rule.DestPrefixListId,
    };
  }
  /**
   * buildAliyunSGRuleRequest: a Go SDK CommonRequest (GET, every parameter in the query) from the
   * resource's state (d.GetOk: empty values are left out, but Description is always set), after a
   * DescribeSecurityGroup of the group.
   */
  async securityGroupRuleRequest(state: Record<string, unknown>): Promise<Record<string, string>> {
    const ingress = state.type === 'ingress';
    const q: Record<string, string> = { PortRange: String(state.port_range) };
    const set = (key: string, v: unknown) => {
      if (v !== undefined && v !== '' && v !== 0) q[key] = String(v);
    };
    set('IpProtocol', state.ip_protocol);
    set('Policy', state.policy);
    set('Priority', state.priority);
    set(ingress ? 'SourceCidrIp' : 'DestCidrIp', state.cidr_ip);
    set(ingress ? 'Ipv6SourceCidrIp' : 'Ipv6DestCidrIp', state.ipv6_cidr_ip);
    set(ingress ? 'SourcePrefixListId' : 'DestPrefixListId', state.prefix_list_id);
    set(ingress ? 'SourceGroupId' : 'DestGroupId', state.source_security_group_id);
    set(ingress ? 'SourceGroupOwnerId' : 'DestGroupOwnerId', state.source_group_owner_id);
    await this.describeSecurityGroupGo(String(state.security_group_id));
    set('NicType', state.nic_type);
    q.SecurityGroupId = String(state.security_group_id);
    q.Description = String(state.description ?? '');
    return q;
  }
  /**
   * resourceAliyunSecurityGroupRuleUpdate: only description can change (every other argument is
   * ForceNew). The provider sends the request twice (once in the if/else, once more for `raw`);
   * the second answer is the one it checks.
   */
  async securityGroupRuleUpdate(id: string, state: Record<string, unknown>, description: string): Promise<Record<string, string>> {
    const q = await this.securityGroupRuleRequest({ ...state, description });
    const action = state.type === 'ingress' ? 'ModifySecurityGroupRule' : 'ModifySecurityGroupEgressRule';
    // The provider ignores the first answer; both must succeed here all the same.
    await this.go.common('2014-05-26', action, q);
    await this.go.common('2014-05-26', action, q);
    assert.ok(await this.securityGroupRuleRead(id), 'the rule is still found by its resource ID');
    return q;
  }
  async securityGroupRuleDelete(state: Record<string, unknown>): Promise<void> {
    const q = await this.securityGroupRuleRequest(state);
    await this.go.common('2014-05-26', state.type === 'ingress' ? 'RevokeSecurityGroup' : 'RevokeSecurityGroupEgress', q);
  }

  // alicloud_ecs_network_interface (resource_alicloud_ecs_network_interface.go, service_alicloud_ecs.go)
  async describeEni(id: string): Promise<Record<string, unknown> | undefined> {
    const res = await this.tea.ecs('DescribeNetworkInterfaces', { RegionId: REGION, NetworkInterfaceId: [id] });
    const [o] = listAt(res, 'NetworkInterfaceSets.NetworkInterfaceSet', 'DescribeNetworkInterfaces');
    return o && o.NetworkInterfaceId === id ? o : undefined;
  }
  async eniState(id: string): Promise<string> {
    return String((await this.describeEni(id))?.Status ?? '');
  }
  async eniCreate(args: Record<string, unknown> & { vswitch_id: string; security_group_ids: string[] }): Promise<string> {
    const body: Record<string, never> = {};
    const put = (k: string, v: unknown) => {
      if (v !== undefined) (body as Record<string, unknown>)[k] = v;
    };
    put('Description', args.description);
    put('NetworkInterfaceName', args.network_interface_name);
    put('PrimaryIpAddress', args.primary_ip_address);
    put('QueueNumber', args.queue_number);
    put('RegionId', REGION);
    put('ResourceGroupId', args.resource_group_id);
    put('SecondaryPrivateIpAddressCount', args.secondary_private_ip_address_count);
    put('SecurityGroupIds', args.security_group_ids);
    let n = 1;
    for (const [k, v] of Object.entries((args.tags as Record<string, string> | undefined) ?? {})) {
      put(`Tag.${n}.Key`, k);
      put(`Tag.${n}.Value`, v);
      n++;
    }
    put('VSwitchId', args.vswitch_id);
    put('InstanceType', args.instance_type);
    put('NetworkInterfaceTrafficMode', args.network_interface_traffic_mode);
    put('SourceDestCheck', args.source_dest_check);
    put('DeleteOnRelease', args.delete_on_release);
    const res = await this.retry(['IncorrectVSwitchStatus'], () => this.tea.ecs('CreateNetworkInterface', body));
    const id = String(res.NetworkInterfaceId);
    await waitForState(() => this.eniState(id), ['Available'], { delay: 5 });
    return id;
  }
  async eniRead(id: string): Promise<Record<string, unknown>> {
    const o = await this.describeEni(id);
    assert.ok(o, `${id} readable`);
    assertFieldTypes(
      o,
      {
        Description: 'string',
        MacAddress: 'string',
        NetworkInterfaceName: 'string',
        PrivateIpAddress: 'string',
        QueueNumber: 'number',
        ResourceGroupId: 'string',
        Status: 'string',
        VSwitchId: 'string',
        Type: 'string',
        NetworkInterfaceTrafficMode: 'string',
        SourceDestCheck: 'boolean',
        DeleteOnRelease: 'boolean',
        PrivateIpSets: 'object',
        Ipv6Sets: 'object',
        Ipv4PrefixSets: 'object',
        SecurityGroupIds: 'object',
      },
      'NetworkInterfaceSet',
    );
    const secondary = listAt(o, 'PrivateIpSets.PrivateIpSet', 'eni').filter((p) => {
      assert.equal(typeof p.Primary, 'boolean', 'Read casts Primary with .(bool)');
      return !p.Primary;
    });
    listAt(o, 'Ipv6Sets.Ipv6Set', 'eni');
    listAt(o, 'Ipv4PrefixSets.Ipv4PrefixSet', 'eni');
    // ListTagResources with ResourceType=eni and ResourceId.1, following NextToken.
    const tags: Record<string, string> = {};
    let nextToken: unknown;
    do {
      const res = await this.tea.ecs('ListTagResources', {
        RegionId: REGION,
        ResourceType: 'eni',
        'ResourceId.1': id,
        NextToken: nextToken as string | undefined,
      });
      for (const t of listAt(res, 'TagResources.TagResource', 'ListTagResources')) tags[String(t.TagKey)] = String(t.TagValue);
      nextToken = res.NextToken === '' ? undefined : res.NextToken;
    } while (nextToken !== undefined);
    return {
      description: o.Description,
      network_interface_name: o.NetworkInterfaceName,
      primary_ip_address: o.PrivateIpAddress,
      secondary_private_ip_address_count: secondary.length,
      queue_number: o.QueueNumber,
      resource_group_id: o.ResourceGroupId,
      security_group_ids: [...listAt(o, 'SecurityGroupIds.SecurityGroupId', 'eni')].map(String).sort(),
      status: o.Status,
      tags,
      vswitch_id: o.VSwitchId,
      instance_type: o.Type,
      network_interface_traffic_mode: o.NetworkInterfaceTrafficMode,
      source_dest_check: o.SourceDestCheck,
      delete_on_release: o.DeleteOnRelease,
    };
  }
  async eniUpdate(
    id: string,
    changes: {
      description?: string;
      network_interface_name?: string;
      queue_number?: number;
      security_group_ids?: string[];
      source_dest_check?: boolean;
      delete_on_release?: boolean;
    },
  ): Promise<void> {
    await this.retry([], () =>
      this.tea.ecs('ModifyNetworkInterfaceAttribute', {
        NetworkInterfaceId: id,
        RegionId: REGION,
        Description: changes.description,
        NetworkInterfaceName: changes.network_interface_name,
        QueueNumber: changes.queue_number,
        SecurityGroupId: changes.security_group_ids,
        SourceDestCheck: changes.source_dest_check,
        DeleteOnRelease: changes.delete_on_release,
      }),
    );
  }
  async eniDelete(id: string): Promise<void> {
    await this.retry(
      [
        'InvalidOperation.Conflict',
        'InternalError',
        'InvalidOperation.InvalidEcsState',
        'InvalidOperation.InvalidEniState',
        'InvalidOperation.InvalidEniType',
        'OperationConflict',
        'ServiceUnavailable',
      ],
      () => this.tea.ecs('DeleteNetworkInterface', { NetworkInterfaceId: id, RegionId: REGION }),
    );
    await waitForState(() => this.eniState(id), [''], { delay: 5 });
  }

  // alicloud_ecs_network_interface_attachment (resource_alicloud_ecs_network_interface_attachment.go)
  async attach(eniId: string, instanceId: string): Promise<void> {
    await this.tea.ecs('AttachNetworkInterface', { RegionId: REGION, NetworkInterfaceId: eniId, InstanceId: instanceId });
    await waitForState(() => this.eniState(eniId), ['InUse'], { delay: 5 });
  }
  async attachmentRead(eniId: string, instanceId: string): Promise<Record<string, unknown>> {
    const res = await this.tea.ecs('DescribeNetworkInterfaces', { RegionId: REGION, NetworkInterfaceId: [eniId], MaxResults: 100 });
    const o = listAt(res, 'NetworkInterfaceSets.NetworkInterfaceSet', 'attachment').find((e) => e.NetworkInterfaceId === eniId && e.InstanceId === instanceId);
    assert.ok(o, 'the attachment is found by ENI and instance');
    return { network_interface_id: o.NetworkInterfaceId, instance_id: o.InstanceId };
  }
  async detach(eniId: string, instanceId: string): Promise<void> {
    await this.tea.ecs('DetachNetworkInterface', { RegionId: REGION, NetworkInterfaceId: eniId, InstanceId: instanceId });
    await waitForState(() => this.eniState(eniId), ['Available'], { delay: 5 });
  }

  // alicloud_instance (resource_alicloud_instance.go; the Go SDK for WithEcsClient calls)
  async instanceStatus(id: string): Promise<string> {
    const res = await this.go.ecs('DescribeInstances', {
      InstanceIds: JSON.stringify([id]),
      AdditionalAttributes: ['META_OPTIONS', 'NETWORK_PRIMARY_ENI_IP', 'LOGIN_AS_NON_ROOT', 'DISK_HIGH_DENSITY_MODE'],
    });
    const [o] = listAt(res.body, 'Instances.Instance', 'DescribeInstances');
    return String(o?.Status ?? '');
  }
  async instanceCreate(args: {
    image_id: string;
    instance_type: string;
    security_groups: string[];
    vswitch_id: string;
    instance_name: string;
    system_disk_category?: string;
    internet_max_bandwidth_out?: number;
  }): Promise<string> {
    const res = await this.tea.ecs('RunInstances', {
      RegionId: REGION,
      ImageId: args.image_id,
      InstanceType: args.instance_type,
      SystemDisk: args.system_disk_category ? { Category: args.system_disk_category } : undefined,
      InternetMaxBandwidthOut: args.internet_max_bandwidth_out || undefined,
      InstanceName: args.instance_name,
      SecurityGroupIds: args.security_groups,
      VSwitchId: args.vswitch_id,
      ClientToken: buildClientToken('RunInstances'),
    });
    const id = String(listAt(res, 'InstanceIdSets.InstanceIdSet', 'RunInstances')[0]);
    await waitForState(() => this.instanceStatus(id), ['Running'], { delay: 10 });
    return id;
  }
  async instanceRead(id: string): Promise<Record<string, unknown>> {
    const res = await this.go.ecs('DescribeInstances', {
      InstanceIds: JSON.stringify([id]),
      AdditionalAttributes: ['META_OPTIONS', 'NETWORK_PRIMARY_ENI_IP', 'LOGIN_AS_NON_ROOT', 'DISK_HIGH_DENSITY_MODE'],
    });
    const [o] = listAt(res.body, 'Instances.Instance', 'DescribeInstances');
    assert.ok(o);
    assertFieldTypes(
      o,
      {
        InstanceId: 'string',
        InstanceName: 'string',
        InstanceType: 'string',
        ImageId: 'string',
        Status: 'string',
        ZoneId: 'string',
        ResourceGroupId: 'string',
        VpcAttributes: 'object',
        SecurityGroupIds: 'object',
        NetworkInterfaces: 'object',
      },
      'Instance',
    );
    const disks = await this.tea.ecs('DescribeDisks', { RegionId: REGION, InstanceId: id, DiskType: 'system' });
    const [disk] = listAt(disks, 'Disks.Disk', 'DescribeDisks');
    assertFieldTypes(disk, { Category: 'string', Size: 'number' }, 'system disk');
    const userData = await this.go.ecs('DescribeUserData', { InstanceId: id });
    assertFieldTypes(userData.body, { UserData: 'string' }, 'DescribeUserData');
    await this.tea.ecs('DescribeInstanceMaintenanceAttributes', { RegionId: REGION, InstanceId: [id] });
    const attr = await this.go.ecs('DescribeInstanceAttribute', { InstanceId: id });
    assertFieldTypes(attr.body, { InstanceId: 'string' }, 'DescribeInstanceAttribute');
    await this.tea.ecs('DescribeInstanceAttachmentAttributes', { InstanceIds: `["${id}"]`, RegionId: REGION });
    const primary = listAt(o, 'NetworkInterfaces.NetworkInterface', 'instance').find((n) => n.Type === 'Primary');
    assert.ok(primary);
    return {
      instance_name: o.InstanceName,
      instance_type: o.InstanceType,
      image_id: o.ImageId,
      status: o.Status,
      vswitch_id: (o.VpcAttributes as Record<string, unknown>).VSwitchId,
      security_groups: listAt(o, 'SecurityGroupIds.SecurityGroupId', 'instance').map(String).sort(),
      system_disk_category: disk!.Category,
      public_ip: listAt(o, 'PublicIpAddress.IpAddress', 'instance')[0] ?? '',
    };
  }
  async instanceDelete(id: string): Promise<void> {
    await this.retry(['IncorrectInstanceStatus', 'IncorrectInstanceStatus.Initializing'], () => this.go.ecs('DeleteInstance', { InstanceId: id, Force: true }));
    await waitForState(() => this.instanceStatus(id), [''], { delay: 10 });
  }

  // alicloud_eip_address and alicloud_eip_association (resource_alicloud_eip_address.go, resource_alicloud_eip_association.go, service_alicloud_eip_v2.go)
  async describeEip(allocationId: string): Promise<Record<string, unknown> | undefined> {
    const res = await this.tea.vpc('DescribeEipAddresses', {}, { AllocationId: allocationId, RegionId: REGION });
    return listAt(res, 'EipAddresses.EipAddress', 'DescribeEipAddresses')[0];
  }
  async eipCreate(args: {
    address_name: string;
    isp?: string;
    internet_charge_type?: string;
    payment_type?: string;
    bandwidth?: string;
    resource_group_id?: string;
  }): Promise<string> {
    const res = await this.tea.vpc('AllocateEipAddress', {
      RegionId: REGION,
      ClientToken: buildClientToken('AllocateEipAddress'),
      Bandwidth: args.bandwidth,
      ResourceGroupId: args.resource_group_id,
      Name: args.address_name,
      ISP: args.isp,
      InternetChargeType: args.internet_charge_type,
      InstanceChargeType: args.payment_type === 'PayAsYouGo' ? 'PostPaid' : undefined,
    });
    const id = String(res.AllocationId);
    await waitForState(async () => String((await this.describeEip(id))?.Status ?? ''), ['Available', 'InUse'], { delay: 5 });
    return id;
  }
  async eipRead(id: string): Promise<Record<string, unknown>> {
    const o = await this.describeEip(id);
    assert.ok(o);
    assertFieldTypes(
      o,
      {
        AllocationId: 'string',
        IpAddress: 'string',
        Name: 'string',
        Status: 'string',
        ISP: 'string',
        InternetChargeType: 'string',
        Bandwidth: 'string',
        EipBandwidth: 'string',
        Description: 'string',
        ResourceGroupId: 'string',
        InstanceId: 'string',
        InstanceType: 'string',
        PrivateIpAddress: 'string',
      },
      'EipAddress',
    );
    return {
      address_name: o.Name,
      isp: o.ISP,
      internet_charge_type: o.InternetChargeType,
      // Read prefers EipBandwidth when the answer has it.
      bandwidth: 'EipBandwidth' in o ? o.EipBandwidth : o.Bandwidth,
      description: o.Description,
      resource_group_id: o.ResourceGroupId,
      status: o.Status,
    };
  }
  /** resourceAliCloudEipAddressUpdate: ModifyEipAddressAttribute with what changed (AllocationId in the query), then the Available|InUse wait. */
  async eipUpdate(id: string, changes: { bandwidth?: string; description?: string; address_name?: string }): Promise<void> {
    const body: Record<string, TeaValue> = { RegionId: REGION };
    if (changes.bandwidth !== undefined) body.Bandwidth = changes.bandwidth;
    if (changes.description !== undefined) body.Description = changes.description;
    if (changes.address_name !== undefined) body.Name = changes.address_name;
    await this.retry(
      [
        'OperationConflict',
        'LastTokenProcessing',
        'IncorrectStatus',
        'SystemBusy',
        'ServiceUnavailable',
        'IncorrectEipStatus',
        'IncorrectStatus.ResourceStatus',
        'VPC_TASK_CONFLICT',
      ],
      () => this.tea.vpc('ModifyEipAddressAttribute', body, { AllocationId: id }),
    );
    await waitForState(async () => String((await this.describeEip(id))?.Status ?? ''), ['Available', 'InUse'], { delay: 5 });
  }
  async eipDelete(id: string): Promise<void> {
    await this.tea.vpc('ReleaseEipAddress', { RegionId: REGION }, { AllocationId: id });
    await waitForState(async () => String((await this.describeEip(id))?.Status ?? ''), [''], { delay: 5 });
  }
  async associate(allocationId: string, eniId: string, privateIp?: string): Promise<void> {
    await this.tea.vpc(
      'AssociateEipAddress',
      { RegionId: REGION, ClientToken: buildClientToken('AssociateEipAddress'), InstanceType: 'NetworkInterface', PrivateIpAddress: privateIp },
      { InstanceId: eniId, AllocationId: allocationId },
    );
  }
  async associationRead(allocationId: string, eniId: string): Promise<Record<string, unknown> | undefined> {
    const o = await this.describeEip(allocationId);
    if (!o || o.InstanceId !== eniId) return undefined;
    return { allocation_id: o.AllocationId, instance_id: o.InstanceId, instance_type: o.InstanceType, private_ip_address: o.PrivateIpAddress };
  }
  async unassociate(allocationId: string, eniId: string): Promise<void> {
    await this.retry(['IncorrectEipStatus', 'IncorrectStatus', 'OperationConflict'], () =>
      this.tea.vpc(
        'UnassociateEipAddress',
        { RegionId: REGION, ClientToken: buildClientToken('UnassociateEipAddress'), InstanceType: 'NetworkInterface' },
        { AllocationId: allocationId, InstanceId: eniId },
      ),
    );
    await waitForState(async () => String((await this.associationRead(allocationId, eniId))?.private_ip_address ?? ''), [''], { delay: 5 });
  }

  /** resource.Retry with the listed codes and NeedRetry's rules, at most 10 tries. */
  async retry<T>(codes: string[], call: () => Promise<T>): Promise<T> {
    for (let i = 0; ; i++) {
      try {
        return await call();
      } catch (err) {
        const retryable =
          err instanceof TeaSdkError &&
          (codes.includes(err.code) || err.code === 'ServiceUnavailable' || /Throttling/.test(err.code) || /^code: 5\d\d/.test(err.message));
        if (!retryable || i >= 10) throw err;
        await new Promise((r) => setTimeout(r, 300));
      }
    }
  }
}

describe("Terraform provider replay: each resource's calls with the provider's arguments and waits", () => {
  let server: RunningServer;
  let p: Provider;
  /** The resource group the configurations name: the first of the data source, as in the documented example. */
  const resourceGroup = async () => (await p.resourceGroups('OK')).ids[0]!;

  before(async () => {
    server = await startServer({ args: DELAYS });
    p = new Provider(server);
  });
  after(() => server?.dispose());

  test('ListResourceGroups: data.alicloud_resource_manager_resource_groups with Status=OK, PageSize=50 and PageNumber paging (data_source_alicloud_resource_manager_resource_groups.go)', async () => {
    const { ids, groups } = await p.resourceGroups('OK');
    assert.ok(ids.length >= 1, 'every account has its default resource group');
    for (const id of ids) assert.match(id, /^rg-[a-z0-9]+$/);
    for (const g of groups) assert.equal(g.Status, 'OK');
  });

  test('DescribeAvailableResource: data.alicloud_zones (available_resource_creation = "VSwitch") asks for DestinationResource=Zone, then DescribeZones, both through the Go SDK (data_source_alicloud_zones.go, service_alicloud_ecs.go)', async () => {
    const available = await p.go.ecs('DescribeAvailableResource', { DestinationResource: 'Zone', IoOptimized: 'optimized' });
    const zones = listAt(available.body, 'AvailableZones.AvailableZone', 'DescribeAvailableResource');
    for (const z of zones) assertFieldTypes(z, { ZoneId: 'string', Status: 'string' }, 'AvailableZone');
    assert.ok(zones.some((z) => z.ZoneId === ZONE));
    const described = await p.go.ecs('DescribeZones', {});
    const listed = listAt(described.body, 'Zones.Zone', 'DescribeZones');
    const zone = listed.find((z) => z.ZoneId === ZONE);
    assert.ok(zone);
    assert.ok((listAt(zone, 'AvailableResourceCreation.ResourceTypes', 'zone') as unknown[]).includes('VSwitch'));
    // The provider keeps a zone only when DescribeZones lists instance types and disk categories for it.
    assert.ok(listAt(zone, 'AvailableInstanceTypes.InstanceTypes', 'zone').length > 0);
    assert.ok(listAt(zone, 'AvailableDiskCategories.DiskCategories', 'zone').length > 0);
  });

  test('CreateVpc: alicloud_vpc create, the DescribeVpcAttribute wait, the System route table read, ModifyVpcAttribute and DeleteVpc until gone (resource_alicloud_vpc.go)', async () => {
    const rg = await resourceGroup();
    const args = { cidr_block: '172.16.0.0/16', vpc_name: 'tf-vpc', description: 'tf vpc', resource_group_id: rg };
    const id = await p.vpcCreate(args);
    const state = await p.vpcRead(id);
    assert.deepEqual(
      { cidr_block: state.cidr_block, vpc_name: state.vpc_name, description: state.description, resource_group_id: state.resource_group_id },
      args,
    );
    assert.match(String(state.route_table_id), /^vtb-/);
    await p.vpcUpdate(id, { vpc_name: 'tf-vpc-2', description: 'renamed' });
    assert.equal((await p.vpcRead(id)).vpc_name, 'tf-vpc-2');
    await p.vpcDelete(id);
    assert.equal(await p.describeVpcAttribute(id), undefined);
  });

  test('CreateVSwitch: alicloud_vswitch create, DescribeVSwitchAttributes (VSwitchId in the query) until Available, ModifyVSwitchAttribute, DeleteVSwitch until gone (resource_alicloud_vswitch.go)', async () => {
    const vpcId = await p.vpcCreate({ cidr_block: '172.17.0.0/16', vpc_name: 'tf-vsw-vpc' });
    const args = { vpc_id: vpcId, cidr_block: '172.17.1.0/24', zone_id: ZONE, vswitch_name: 'tf-vsw', description: 'tf vswitch' };
    const id = await p.vswitchCreate(args);
    const state = await p.vswitchRead(id);
    assert.deepEqual({ ...state, status: undefined }, { ...args, status: undefined });
    await p.vswitchUpdate(id, { vswitch_name: 'tf-vsw-2' });
    assert.equal((await p.vswitchRead(id)).vswitch_name, 'tf-vsw-2');
    await p.vswitchDelete(id);
    await p.vpcDelete(vpcId);
  });

  test('CreateSecurityGroup: alicloud_security_group with ResourceGroupId, read by DescribeSecurityGroups and DescribeSecurityGroupAttribute, renamed, deleted (resource_alicloud_security_group.go)', async () => {
    const rg = await resourceGroup();
    const vpcId = await p.vpcCreate({ cidr_block: '172.18.0.0/16', vpc_name: 'tf-sg-vpc' });
    const id = await p.securityGroupCreate({ vpc_id: vpcId, security_group_name: 'tf-sg', description: 'tf group', resource_group_id: rg });
    const state = await p.securityGroupRead(id);
    assert.deepEqual(
      { n: state.security_group_name, d: state.description, rg: state.resource_group_id, v: state.vpc_id, t: state.security_group_type },
      { n: 'tf-sg', d: 'tf group', rg, v: vpcId, t: 'normal' },
    );
    await p.securityGroupUpdate(id, { security_group_name: 'tf-sg-2', description: 'renamed' });
    assert.equal((await p.securityGroupRead(id)).security_group_name, 'tf-sg-2');
    await p.securityGroupDelete(id);
    await p.vpcDelete(vpcId);
  });

  test('ModifySecurityGroupRule: alicloud_security_group_rule (the documented example and an egress rule) created, read, its description updated by the Go SDK common request sent twice, deleted (resource_alicloud_security_group_rule.go)', async () => {
    const vpcId = await p.vpcCreate({ cidr_block: '172.21.0.0/16', vpc_name: 'tf-sgr-vpc' });
    const sg = await p.securityGroupCreate({ vpc_id: vpcId, security_group_name: 'default' });
    const args: SgRuleArgs = {
      type: 'ingress',
      ip_protocol: 'tcp',
      nic_type: 'intranet',
      policy: 'accept',
      port_range: '1/65535',
      priority: 1,
      security_group_id: sg,
      cidr_ip: '0.0.0.0/0',
    };
    const id = await p.securityGroupRuleCreate(args);
    assert.equal(id, `${sg}:ingress:tcp:1/65535:intranet:0.0.0.0/0:accept:1`);
    const state = await p.securityGroupRuleRead(id);
    assert.ok(state, 'Read finds the rule by its resource ID');
    const { description, security_group_rule_id: ruleId, ipv6_cidr_ip, source_security_group_id, source_group_owner_id, prefix_list_id, ...readBack } = state;
    assert.deepEqual(readBack, args, 'Read gives back exactly what was configured');
    assert.deepEqual([description, ipv6_cidr_ip, source_security_group_id, source_group_owner_id, prefix_list_id], ['', '', '', '', '']);
    assert.match(String(ruleId), /^sgr-/);

    // description is the only argument that is not ForceNew: a change is an update in place.
    const sent = await p.securityGroupRuleUpdate(id, state, 'allow all tcp');
    assert.deepEqual(Object.keys(sent).sort(), ['Description', 'IpProtocol', 'NicType', 'Policy', 'PortRange', 'Priority', 'SecurityGroupId', 'SourceCidrIp']);
    const updated = await p.securityGroupRuleRead(id);
    assert.deepEqual({ ...updated, description: undefined }, { ...state, description: undefined }, 'nothing else changed, the rule ID neither');
    assert.equal(updated!.description, 'allow all tcp');
    // Removing the description sends it empty: as documented, a value cannot be emptied, so it stays.
    await p.securityGroupRuleUpdate(id, updated!, '');
    assert.equal((await p.securityGroupRuleRead(id))!.description, 'allow all tcp');

    // An egress rule to another group of the VPC: its Read fills source_group_owner_id, which
    // update and delete send back as DestGroupOwnerId.
    const peer = await p.securityGroupCreate({ vpc_id: vpcId, security_group_name: 'peer' });
    const egressArgs: SgRuleArgs = {
      type: 'egress',
      ip_protocol: 'udp',
      nic_type: 'intranet',
      port_range: '53/53',
      security_group_id: sg,
      source_security_group_id: peer,
      description: 'dns',
    };
    const egressId = await p.securityGroupRuleCreate(egressArgs);
    const egressState = await p.securityGroupRuleRead(egressId);
    assert.ok(egressState);
    assert.deepEqual([egressState.source_security_group_id, egressState.policy, egressState.priority, egressState.description], [peer, 'accept', 1, 'dns']);
    assert.match(String(egressState.source_group_owner_id), /^\d+$/);
    const egressSent = await p.securityGroupRuleUpdate(egressId, egressState, 'dns to peer');
    assert.equal(egressSent.DestGroupOwnerId, egressState.source_group_owner_id);
    assert.equal((await p.securityGroupRuleRead(egressId))!.description, 'dns to peer');

    const attr = await p.describeSecurityGroupGo(sg);
    const listed = listAt(attr, 'Permissions.Permission', 'DescribeSecurityGroupAttribute');
    assert.deepEqual(
      listed.map((r) => [r.SecurityGroupRuleId, r.Description]),
      [
        [ruleId, 'allow all tcp'],
        [egressState.security_group_rule_id, 'dns to peer'],
      ],
    );

    await p.securityGroupRuleDelete((await p.securityGroupRuleRead(id))!);
    await p.securityGroupRuleDelete((await p.securityGroupRuleRead(egressId))!);
    assert.equal(await p.securityGroupRuleRead(id), undefined);
    assert.equal(await p.securityGroupRuleRead(egressId), undefined);
    await p.securityGroupDelete(peer);
    await p.securityGroupDelete(sg);
    await p.vpcDelete(vpcId);
  });

  test('ModifyEipAddressAttribute: alicloud_eip_address created, then bandwidth, description and address_name updated in place (AllocationId in the query), read back, deleted (resource_alicloud_eip_address.go)', async () => {
    const id = await p.eipCreate({ address_name: 'tf-eip', isp: 'BGP', internet_charge_type: 'PayByBandwidth', payment_type: 'PayAsYouGo', bandwidth: '5' });
    const created = await p.eipRead(id);
    assert.deepEqual([created.address_name, created.bandwidth, created.description, created.status], ['tf-eip', '5', '', 'Available']);
    await p.eipUpdate(id, { bandwidth: '10', description: 'tf eip', address_name: 'tf-eip-2' });
    const updated = await p.eipRead(id);
    assert.deepEqual({ ...updated }, { ...created, bandwidth: '10', description: 'tf eip', address_name: 'tf-eip-2' });
    // One argument at a time, as a plan that changes one; an emptied description is sent empty and clears it.
    await p.eipUpdate(id, { description: '' });
    assert.deepEqual({ ...(await p.eipRead(id)) }, { ...updated, description: '' });
    await expectTeaError(p.eipUpdate(id, { bandwidth: '501' }), 'InvalidParameter');
    assert.equal((await p.eipRead(id)).bandwidth, '10');
    await p.eipDelete(id);
  });

  test('CreateNetworkInterface: alicloud_ecs_network_interface with every argument, read back unchanged, updated with ModifyNetworkInterfaceAttribute, deleted (resource_alicloud_ecs_network_interface.go)', async () => {
    const rg = await resourceGroup();
    const vpcId = await p.vpcCreate({ cidr_block: '172.19.0.0/16', vpc_name: 'tf-eni-vpc' });
    const vsw = await p.vswitchCreate({ vpc_id: vpcId, cidr_block: '172.19.1.0/24', zone_id: ZONE, vswitch_name: 'tf-eni-vsw' });
    const sg1 = await p.securityGroupCreate({ vpc_id: vpcId, security_group_name: 'tf-eni-sg1' });
    const sg2 = await p.securityGroupCreate({ vpc_id: vpcId, security_group_name: 'tf-eni-sg2' });
    const args = {
      network_interface_name: 'tf-eni',
      vswitch_id: vsw,
      security_group_ids: [sg1],
      description: 'Basic test',
      primary_ip_address: '172.19.1.20',
      secondary_private_ip_address_count: 2,
      queue_number: 1,
      resource_group_id: rg,
      instance_type: 'Secondary',
      network_interface_traffic_mode: 'Standard',
      source_dest_check: true,
      delete_on_release: false,
      tags: { Created: 'TF', For: 'Test' },
    };
    const id = await p.eniCreate(args);
    const state = await p.eniRead(id);
    const { status, ...readBack } = state;
    assert.equal(status, 'Available');
    assert.deepEqual(readBack, { ...args, security_group_ids: [sg1] }, 'Read gives back exactly what was configured (no diff on the next plan)');
    await p.eniUpdate(id, {
      network_interface_name: 'tf-eni-2',
      description: 'changed',
      security_group_ids: [sg1, sg2],
      source_dest_check: false,
      delete_on_release: true,
    });
    const updated = await p.eniRead(id);
    assert.equal(updated.network_interface_name, 'tf-eni-2');
    assert.equal(updated.description, 'changed');
    assert.deepEqual(updated.security_group_ids, [sg1, sg2].sort());
    assert.equal(updated.source_dest_check, false);
    assert.equal(updated.delete_on_release, true);
    await p.eniDelete(id);
    await p.securityGroupDelete(sg1);
    await p.securityGroupDelete(sg2);
    await p.vswitchDelete(vsw);
    await p.vpcDelete(vpcId);
  });

  test('RunInstances: alicloud_instance create, the Running wait and every read call (DescribeInstances, DescribeDisks, DescribeUserData, DescribeInstanceMaintenanceAttributes, DescribeInstanceAttribute, DescribeInstanceAttachmentAttributes), DeleteInstance with Force (resource_alicloud_instance.go)', async () => {
    const vpcId = await p.vpcCreate({ cidr_block: '172.20.0.0/16', vpc_name: 'tf-ins-vpc' });
    const vsw = await p.vswitchCreate({ vpc_id: vpcId, cidr_block: '172.20.1.0/24', zone_id: ZONE, vswitch_name: 'tf-ins-vsw' });
    const sg = await p.securityGroupCreate({ vpc_id: vpcId, security_group_name: 'tf-ins-sg' });
    const args = {
      image_id: IMAGE,
      instance_type: 'ecs.g7.large',
      security_groups: [sg],
      vswitch_id: vsw,
      instance_name: 'tf-instance',
      system_disk_category: 'cloud_efficiency',
      internet_max_bandwidth_out: 10,
    };
    const id = await p.instanceCreate(args);
    const state = await p.instanceRead(id);
    assert.deepEqual(
      { n: state.instance_name, t: state.instance_type, i: state.image_id, v: state.vswitch_id, s: state.security_groups, c: state.system_disk_category },
      { n: args.instance_name, t: args.instance_type, i: args.image_id, v: vsw, s: [sg], c: 'cloud_efficiency' },
    );
    // internet_max_bandwidth_out > 0: the instance gets a public IP, as on the cloud.
    assert.match(String(state.public_ip), /^\d+\.\d+\.\d+\.\d+$/);
    await p.instanceDelete(id);
    await p.securityGroupDelete(sg);
    await p.vswitchDelete(vsw);
    await p.vpcDelete(vpcId);
  });
});

describe('Terraform provider: the documented alicloud_ecs_network_interface example as a lifecycle (website/docs/r/ecs_network_interface.html.markdown)', () => {
  let server: RunningServer;
  let p: Provider;

  before(async () => {
    server = await startServer({ args: DELAYS });
    p = new Provider(server);
  });
  after(() => server?.dispose());

  test('terraform apply, plan, apply (changes), destroy: resource groups, VPC, vSwitch, security group, instance, ENI, attachment, EIP and association', async () => {
    const name = 'tf-example';
    // data.alicloud_zones "VSwitch" (DescribeZones through the Go SDK) gives the zone.
    const zones = await p.go.ecs('DescribeZones', { InstanceChargeType: 'PostPaid' });
    const zoneIds = listAt(zones.body, 'Zones.Zone', 'DescribeZones').map((z) => String(z.ZoneId));
    assert.ok(zoneIds.includes(ZONE));
    const { ids: rgIds } = await p.resourceGroups('OK');
    const rg = rgIds[0]!;

    // apply
    const vpcArgs = { vpc_name: name, cidr_block: '192.168.0.0/24' };
    const vpcId = await p.vpcCreate(vpcArgs);
    const vswArgs = { vswitch_name: name, cidr_block: '192.168.0.0/24', zone_id: ZONE, vpc_id: vpcId };
    const vsw = await p.vswitchCreate(vswArgs);
    const sg = await p.securityGroupCreate({ security_group_name: name, vpc_id: vpcId });
    const sg2 = await p.securityGroupCreate({ security_group_name: `${name}-2`, vpc_id: vpcId });
    const instance = await p.instanceCreate({
      image_id: IMAGE,
      instance_type: 'ecs.g7.large',
      security_groups: [sg],
      vswitch_id: vsw,
      instance_name: name,
      system_disk_category: 'cloud_efficiency',
    });
    const eniArgs = {
      network_interface_name: name,
      vswitch_id: vsw,
      security_group_ids: [sg],
      description: 'Basic test',
      primary_ip_address: '192.168.0.2',
      tags: { Created: 'TF', For: 'Test' },
      resource_group_id: rg,
    };
    const eni = await p.eniCreate(eniArgs);
    await p.attach(eni, instance);
    const eip = await p.eipCreate({ address_name: name, isp: 'BGP', internet_charge_type: 'PayByBandwidth', payment_type: 'PayAsYouGo' });
    await p.associate(eip, eni, '192.168.0.2');

    // plan: every Read gives back the configuration, so nothing would change or be replaced.
    const vpc = await p.vpcRead(vpcId);
    assert.deepEqual({ vpc_name: vpc.vpc_name, cidr_block: vpc.cidr_block }, vpcArgs);
    const { status: _vs, ...vswState } = await p.vswitchRead(vsw);
    assert.deepEqual({ ...vswState, description: undefined }, { ...vswArgs, description: undefined });
    assert.equal((await p.securityGroupRead(sg)).security_group_name, name);
    const eniState = await p.eniRead(eni);
    for (const [k, v] of Object.entries(eniArgs)) assert.deepEqual(eniState[k], v, `alicloud_ecs_network_interface.${k} reads back as configured`);
    assert.equal(eniState.status, 'InUse');
    assert.deepEqual(await p.attachmentRead(eni, instance), { network_interface_id: eni, instance_id: instance });
    assert.deepEqual(await p.associationRead(eip, eni), {
      allocation_id: eip,
      instance_id: eni,
      instance_type: 'NetworkInterface',
      private_ip_address: '192.168.0.2',
    });
    const eipState = await p.eipRead(eip);
    assert.equal(eipState.address_name, name);
    // The provider does not wait for the association (resource_alicloud_eip_association.go): the
    // EIP may still be Associating (eipAssociate delay) when the plan reads it.
    assert.ok(['Associating', 'InUse'].includes(String(eipState.status)), String(eipState.status));

    // apply with changes: name, description, security groups, queue number and source/dest check.
    await p.eniUpdate(eni, { network_interface_name: `${name}-renamed`, description: 'Changed test', security_group_ids: [sg, sg2], source_dest_check: false });
    const changed = await p.eniRead(eni);
    assert.equal(changed.network_interface_name, `${name}-renamed`);
    assert.equal(changed.description, 'Changed test');
    assert.deepEqual(changed.security_group_ids, [sg, sg2].sort());
    assert.equal(changed.source_dest_check, false);
    // queue_number on an ENI attached to a running instance: the cloud changes queues only while the
    // ENI is Available or its instance Stopped, so the provider's update fails there as it does here.
    await assert.rejects(p.eniUpdate(eni, { queue_number: 1 }), (err: TeaSdkError) => err.code === 'InvalidOperation.InvalidEcsState');
    await p.vpcUpdate(vpcId, { description: 'example vpc' });
    assert.equal((await p.vpcRead(vpcId)).description, 'example vpc');

    // destroy, in the order Terraform derives from the references.
    await p.unassociate(eip, eni);
    await p.eipDelete(eip);
    await p.detach(eni, instance);
    await p.eniDelete(eni);
    await p.instanceDelete(instance);
    await p.securityGroupDelete(sg2);
    await p.securityGroupDelete(sg);
    await p.vswitchDelete(vsw);
    await p.vpcDelete(vpcId);
    assert.equal(await p.describeVpcAttribute(vpcId), undefined);
  });
});

import { spelledIpv6 } from '../../domain/ipv6.ts';
import { Type } from '@sinclair/typebox';
import { pageWindow } from '../../domain/paging.ts';
import { tagFilters } from '../../domain/tags.ts';
import { describeEnis } from '../../services/enis.ts';
import { EcsResourceGroupErrors } from '../../errors/resourcemanager/resource-groups.ts';
import { resourceGroupFilter } from '../../services/resource-groups.ts';
import { defineAction } from '../define-action.ts';
import { Enum, RegionId, RepeatList, TagParams } from '../params.ts';
import { N, Obj, S, Wrap } from '../schema-helpers.ts';
import { EniItem, eniItem } from './eni-views.ts';

export const describeNetworkInterfaces = defineAction({
  product: 'Ecs',
  name: 'DescribeNetworkInterfaces',
  summary:
    "List ENIs (instances' primary ENIs included) by IDs, instance, vSwitch, VPC, security group, addresses, name, type, status or tags; NextToken/MaxResults (10-500) or the deprecated PageNumber/PageSize (at most 100).",
  readOnly: true,
  params: Type.Object({
    RegionId,
    NetworkInterfaceId: Type.Optional(RepeatList(Type.String(), 100)),
    InstanceId: Type.Optional(Type.String()),
    VSwitchId: Type.Optional(Type.String()),
    VpcId: Type.Optional(Type.String()),
    SecurityGroupId: Type.Optional(Type.String()),
    PrimaryIpAddress: Type.Optional(Type.String()),
    PrivateIpAddress: Type.Optional(RepeatList(Type.String(), 100)),
    Ipv6Address: Type.Optional(RepeatList(Type.String(), 100)),
    NetworkInterfaceName: Type.Optional(Type.String()),
    // Trunk and Member: what Terway's trunk mode lists (Type=Member, Status=InUse); a member is no longer Secondary.
    Type: Type.Optional(Enum(['Primary', 'Secondary', 'Trunk', 'Member'])),
    Status: Type.Optional(Enum(['Available', 'Attaching', 'InUse', 'Detaching', 'Deleting'])),
    ResourceGroupId: Type.Optional(Type.String()),
    Tag: TagParams,
    NextToken: Type.Optional(Type.String()),
    MaxResults: Type.Optional(Type.Integer()),
    PageNumber: Type.Optional(Type.Integer({ minimum: 1 })),
    PageSize: Type.Optional(Type.Integer({ minimum: 1 })),
  }),
  result: Obj({ TotalCount: N, PageNumber: N, PageSize: N, NextToken: S, NetworkInterfaceSets: Wrap('NetworkInterfaceSet', EniItem) }),
  errors: [EcsResourceGroupErrors.notFound],
  async handler(p, ctx) {
    const query = {
      ids: p.NetworkInterfaceId,
      instanceId: p.InstanceId,
      vswitchId: p.VSwitchId,
      vpcId: p.VpcId,
      securityGroupId: p.SecurityGroupId,
      primaryIp: p.PrimaryIpAddress,
      privateIps: p.PrivateIpAddress,
      ipv6Addresses: p.Ipv6Address?.map(spelledIpv6),
      name: p.NetworkInterfaceName,
      type: p.Type,
      status: p.Status,
      resourceGroupId: await resourceGroupFilter(ctx, p.ResourceGroupId, EcsResourceGroupErrors.notFound, true),
      tags: tagFilters(p.Tag),
    };
    // Token paging is the documented style; PageNumber/PageSize only when the caller uses them.
    const tokenStyle = p.NextToken !== undefined || p.MaxResults !== undefined || (p.PageNumber === undefined && p.PageSize === undefined);
    if (tokenStyle) {
      const limit = Math.min(500, Math.max(10, p.MaxResults ?? 10));
      const page = await describeEnis(ctx, query, { style: 'token', limit, nextToken: p.NextToken || undefined });
      return {
        TotalCount: page.total,
        PageNumber: 1,
        PageSize: limit,
        NextToken: page.nextToken,
        NetworkInterfaceSets: { NetworkInterfaceSet: page.items.map((i) => eniItem(i.details, i.eips, i.tags)) },
      };
    }
    const window = pageWindow(p.PageNumber, p.PageSize, 100);
    const page = await describeEnis(ctx, query, { style: 'page', limit: window.limit, offset: window.offset });
    return {
      TotalCount: page.total,
      PageNumber: window.pageNumber,
      PageSize: window.pageSize,
      NextToken: '',
      NetworkInterfaceSets: { NetworkInterfaceSet: page.items.map((i) => eniItem(i.details, i.eips, i.tags)) },
    };
  },
});

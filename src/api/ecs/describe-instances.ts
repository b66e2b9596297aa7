import { spelledIpv6 } from '../../domain/ipv6.ts';
import { Type } from '@sinclair/typebox';
import { pageWindow, nextTokenFor, tokenWindow } from '../../domain/paging.ts';
import { instanceTypes } from '../../domain/instance-types.ts';
import { tagFilters } from '../../domain/tags.ts';
import { describeInstances as describe } from '../../services/instances.ts';
import { EcsResourceGroupErrors } from '../../errors/resourcemanager/resource-groups.ts';
import { resourceGroupFilter } from '../../services/resource-groups.ts';
import { defineAction } from '../define-action.ts';
import { Enum, JsonList, RegionId, RepeatList, TagParams } from '../params.ts';
import { N, Obj, S, Wrap } from '../schema-helpers.ts';
import { InstanceItem, instanceItem } from './instance-views.ts';

export const describeInstances = defineAction({
  product: 'Ecs',
  name: 'DescribeInstances',
  summary:
    'List instances with their ENIs, by IDs (JSON array), VPC, vSwitch, zone, security group, private addresses (JSON array), name (* wildcard), type, family, status or tags; NextToken/MaxResults or PageNumber/PageSize.',
  readOnly: true,
  params: Type.Object({
    RegionId,
    InstanceIds: Type.Optional(JsonList(Type.String(), 100)),
    VpcId: Type.Optional(Type.String()),
    VSwitchId: Type.Optional(Type.String()),
    ZoneId: Type.Optional(Type.String()),
    InstanceName: Type.Optional(Type.String()),
    InstanceType: Type.Optional(Type.String()),
    InstanceTypeFamily: Type.Optional(Type.String()),
    SecurityGroupId: Type.Optional(Type.String()),
    PrivateIpAddresses: Type.Optional(JsonList(Type.String(), 100)),
    Ipv6Address: Type.Optional(RepeatList(Type.String(), 100)),
    InstanceNetworkType: Type.Optional(Enum(['vpc', 'classic'])),
    Status: Type.Optional(Enum(['Pending', 'Running', 'Starting', 'Stopping', 'Stopped'])),
    ResourceGroupId: Type.Optional(Type.String()),
    Tag: TagParams,
    NextToken: Type.Optional(Type.String()),
    MaxResults: Type.Optional(Type.Integer()),
    PageNumber: Type.Optional(Type.Integer({ minimum: 1 })),
    PageSize: Type.Optional(Type.Integer({ minimum: 1 })),
    // Extra attributes to return (the Terraform provider sends these on every read). What eniplane
    // models of them (MetadataOptions, the primary ENI's addresses) is always returned.
    AdditionalAttributes: Type.Optional(
      RepeatList(
        Enum(['META_OPTIONS', 'DDH_CLUSTER', 'NETWORK_PRIMARY_ENI_IP', 'CPU_OPTIONS_TOPOLOGY_TYPE', 'LOGIN_AS_NON_ROOT', 'DISK_HIGH_DENSITY_MODE']),
        20,
      ),
    ),
  }),
  result: Obj({ TotalCount: N, PageNumber: N, PageSize: N, NextToken: S, Instances: Wrap('Instance', InstanceItem) }),
  errors: [EcsResourceGroupErrors.notFound],
  async handler(p, ctx) {
    const tokenStyle = p.NextToken !== undefined || p.MaxResults !== undefined;
    const window = tokenStyle
      ? { ...tokenWindow(p.NextToken || undefined, p.MaxResults, { min: 10, max: 100, def: 10 }), pageNumber: 1 }
      : pageWindow(p.PageNumber, p.PageSize, 100);
    // Every instance here is in a VPC: the classic network is retired.
    const ids = p.InstanceNetworkType === 'classic' ? [] : p.InstanceIds;
    const { views, total } = await describe(
      ctx,
      {
        ids,
        vpcId: p.VpcId,
        vswitchId: p.VSwitchId,
        zoneId: p.ZoneId,
        name: p.InstanceName,
        instanceType: p.InstanceType,
        instanceTypes: p.InstanceTypeFamily ? instanceTypes.filter((t) => t.family === p.InstanceTypeFamily).map((t) => t.instanceTypeId) : undefined,
        securityGroupId: p.SecurityGroupId || undefined,
        privateIps: p.PrivateIpAddresses,
        ipv6Addresses: p.Ipv6Address?.map(spelledIpv6),
        status: p.Status,
        resourceGroupId: await resourceGroupFilter(ctx, p.ResourceGroupId, EcsResourceGroupErrors.notFound, true),
        tags: tagFilters(p.Tag),
      },
      window,
    );
    return {
      TotalCount: total,
      PageNumber: window.pageNumber,
      PageSize: window.limit,
      NextToken: tokenStyle ? nextTokenFor(window.offset, window.limit, views.length, total) : '',
      Instances: { Instance: views.map(instanceItem) },
    };
  },
});

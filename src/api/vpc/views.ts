import { isoSeconds } from '../../lib/clock.ts';
import type { VpcView, VSwitchView } from '../../services/vpcs.ts';
import { VpcTagsResult } from '../params.ts';
import { B, N, Obj, S, Wrap } from '../schema-helpers.ts';

/** Wire shapes of VPC-product resources (VPC-SDK DescribeVpcs/DescribeVSwitches response models). */
export const VpcItem = Obj({
  VpcId: S,
  VpcName: S,
  Description: S,
  RegionId: S,
  Status: S,
  CidrBlock: S,
  IsDefault: B,
  CreationTime: S,
  VRouterId: S,
  OwnerId: N,
  ResourceGroupId: S,
  VSwitchIds: Wrap('VSwitchId', S),
  RouterTableIds: Wrap('RouterTableIds', S),
  NatGatewayIds: Wrap('NatGatewayIds', S),
  SecondaryCidrBlocks: Wrap('SecondaryCidrBlock', S),
  UserCidrs: Wrap('UserCidr', S),
  Ipv6CidrBlock: S,
  Ipv6CidrBlocks: Wrap('Ipv6CidrBlock', Obj({ Ipv6CidrBlock: S, Ipv6Isp: S })),
  EnabledIpv6: B,
  CenStatus: S,
  DhcpOptionsSetId: S,
  DhcpOptionsSetStatus: S,
  DnsHostnameStatus: S,
  Tags: VpcTagsResult,
});

export function vpcItem(v: VpcView) {
  return {
    VpcId: v.id,
    VpcName: v.name,
    Description: v.description,
    RegionId: v.region_id,
    Status: v.effectiveStatus,
    CidrBlock: v.cidr_block,
    IsDefault: v.is_default === 1,
    CreationTime: isoSeconds(v.created_at),
    VRouterId: v.vrouter_id,
    OwnerId: Number(v.account_id),
    ResourceGroupId: v.resource_group_id,
    VSwitchIds: { VSwitchId: v.vswitchIds },
    RouterTableIds: { RouterTableIds: [v.route_table_id] },
    NatGatewayIds: { NatGatewayIds: [] },
    SecondaryCidrBlocks: { SecondaryCidrBlock: [] },
    UserCidrs: { UserCidr: [] },
    Ipv6CidrBlock: '',
    Ipv6CidrBlocks: { Ipv6CidrBlock: [] },
    EnabledIpv6: false,
    CenStatus: '',
    DhcpOptionsSetId: '',
    DhcpOptionsSetStatus: '',
    DnsHostnameStatus: 'DISABLED',
    Tags: { Tag: v.tags.map((t) => ({ Key: t.key, Value: t.value })) },
  };
}

export const VSwitchFields = {
  VSwitchId: S,
  VSwitchName: S,
  Description: S,
  VpcId: S,
  ZoneId: S,
  CidrBlock: S,
  Ipv6CidrBlock: S,
  EnabledIpv6: B,
  Status: S,
  IsDefault: B,
  AvailableIpAddressCount: N,
  CreationTime: S,
  NetworkAclId: S,
  ResourceGroupId: S,
  OwnerId: N,
  ShareType: S,
  RouteTable: Obj({ RouteTableId: S, RouteTableType: S }),
  Tags: VpcTagsResult,
};
export const VSwitchItem = Obj(VSwitchFields);

export function vswitchItem(v: VSwitchView) {
  return {
    VSwitchId: v.id,
    VSwitchName: v.name,
    Description: v.description,
    VpcId: v.vpc_id,
    ZoneId: v.zone_id,
    CidrBlock: v.cidr_block,
    Ipv6CidrBlock: '',
    EnabledIpv6: false,
    Status: v.effectiveStatus,
    IsDefault: v.is_default === 1,
    AvailableIpAddressCount: v.ip_capacity - v.ip_used,
    CreationTime: isoSeconds(v.created_at),
    NetworkAclId: '',
    ResourceGroupId: v.resourceGroupId,
    OwnerId: Number(v.account_id),
    ShareType: '',
    RouteTable: { RouteTableId: v.routeTableId, RouteTableType: 'System' },
    Tags: { Tag: v.tags.map((t) => ({ Key: t.key, Value: t.value })) },
  };
}

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
    RegionId: v.regionId,
    Status: v.effectiveStatus,
    CidrBlock: v.cidrBlock,
    IsDefault: v.isDefault,
    CreationTime: isoSeconds(v.createdAt),
    VRouterId: v.vrouterId,
    OwnerId: Number(v.accountId),
    ResourceGroupId: v.resourceGroupId,
    VSwitchIds: { VSwitchId: v.vswitchIds },
    RouterTableIds: { RouterTableIds: [v.routeTableId] },
    NatGatewayIds: { NatGatewayIds: [] },
    SecondaryCidrBlocks: { SecondaryCidrBlock: [] },
    UserCidrs: { UserCidr: [] },
    Ipv6CidrBlock: v.ipv6CidrBlock,
    Ipv6CidrBlocks: { Ipv6CidrBlock: v.ipv6CidrBlock ? [{ Ipv6CidrBlock: v.ipv6CidrBlock, Ipv6Isp: v.ipv6Isp }] : [] },
    EnabledIpv6: v.ipv6CidrBlock !== '',
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
    VpcId: v.vpcId,
    ZoneId: v.zoneId,
    CidrBlock: v.cidrBlock,
    Ipv6CidrBlock: v.ipv6CidrBlock,
    EnabledIpv6: v.ipv6CidrBlock !== '',
    Status: v.effectiveStatus,
    IsDefault: v.isDefault,
    AvailableIpAddressCount: v.ipCapacity - v.ipUsed,
    CreationTime: isoSeconds(v.createdAt),
    NetworkAclId: '',
    ResourceGroupId: v.resourceGroupId,
    OwnerId: Number(v.accountId),
    ShareType: '',
    RouteTable: { RouteTableId: v.routeTableId, RouteTableType: 'System' },
    Tags: { Tag: v.tags.map((t) => ({ Key: t.key, Value: t.value })) },
  };
}

import { isoSeconds } from '../../lib/clock.ts';
import type { RouteEntry } from '../../domain/models/route-entry.ts';
import type { RouteTableView } from '../../services/route-tables.ts';
import { VpcTagsResult } from '../params.ts';
import { B, N, Obj, S, Wrap } from '../schema-helpers.ts';

/** One route table as DescribeRouteTableList shows it (VPC-SDK DescribeRouteTableListResponseBody). */
export const RouteTableListItem = Obj({
  AssociateType: S,
  CreationTime: S,
  Description: S,
  GatewayIds: Wrap('GatewayIds', S),
  OwnerId: N,
  ResourceGroupId: S,
  RoutePropagationEnable: B,
  RouteTableId: S,
  RouteTableName: S,
  RouteTableType: S,
  RouterId: S,
  RouterType: S,
  Status: S,
  Tags: VpcTagsResult,
  VSwitchIds: Wrap('VSwitchId', S),
  VpcId: S,
});

export function routeTableListItem(v: RouteTableView) {
  return {
    // The system table serves the VPC's vSwitches (the cloud's "VSwitch" association type).
    AssociateType: 'VSwitch',
    CreationTime: isoSeconds(v.createdAt),
    Description: '',
    GatewayIds: { GatewayIds: [] },
    OwnerId: Number(v.accountId),
    // The table belongs to its VPC's resource group; the provider's alicloud_vpc reads the VPC's
    // resource_group_id from here too, so the two must agree.
    ResourceGroupId: v.resourceGroupId,
    // DIVERGENCE: route propagation (learning routes from CEN/VPN) is not modelled; a system route
    // table reports it enabled, the cloud's default for new tables.
    RoutePropagationEnable: true,
    RouteTableId: v.routeTableId,
    RouteTableName: '',
    RouteTableType: 'System',
    RouterId: v.routerId,
    RouterType: 'VRouter',
    Status: v.status,
    Tags: { Tag: v.tags.map((t) => ({ Key: t.key, Value: t.value })) },
    VSwitchIds: { VSwitchId: v.vswitchIds },
    VpcId: v.vpcId,
  };
}

/** One entry as DescribeRouteEntryList shows it (VPC-SDK DescribeRouteEntryListResponseBody). */
export const RouteEntryItem = Obj({
  Description: S,
  DestinationCidrBlock: S,
  GmtModified: S,
  IpVersion: S,
  NextHops: Wrap(
    'NextHop',
    Obj({
      Enabled: N,
      NextHopId: S,
      NextHopRegionId: S,
      NextHopRelatedInfo: Obj({ InstanceId: S, InstanceType: S, RegionId: S }),
      NextHopType: S,
      Weight: N,
    }),
  ),
  Origin: S,
  RouteEntryId: S,
  RouteEntryName: S,
  RouteTableId: S,
  ServiceType: S,
  Status: S,
  Type: S,
});

export function routeEntryItem(entry: RouteEntry, regionId: string, status: string) {
  return {
    Description: '',
    DestinationCidrBlock: entry.destinationCidrBlock,
    GmtModified: isoSeconds(entry.createdAt),
    IpVersion: 'ipv4',
    // DIVERGENCE: a System entry's next hop is the VPC itself ("local" for a vSwitch CIDR, the
    // cloud-service gateway for 100.64.0.0/10); the cloud does not document how it lists it.
    NextHops: {
      NextHop: [
        {
          Enabled: 1,
          NextHopId: '',
          NextHopRegionId: regionId,
          NextHopRelatedInfo: { InstanceId: '', InstanceType: '', RegionId: '' },
          NextHopType: entry.nextHopType,
          Weight: 0,
        },
      ],
    },
    Origin: '',
    RouteEntryId: entry.id,
    RouteEntryName: '',
    RouteTableId: entry.routeTableId,
    ServiceType: '',
    // An entry of a table being made or removed shows the table's state.
    Status: status,
    Type: entry.entryType,
  };
}

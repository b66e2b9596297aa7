import { isoSeconds } from '../../lib/clock.ts';
import type { EniDetails } from '../../services/enis.ts';
import type { EipBinding } from '../../store/repos/enis.ts';
import { EcsTagsResult } from '../params.ts';
import { B, N, Obj, S, Wrap } from '../schema-helpers.ts';
import type { Tag } from '../../domain/tags.ts';

/** Wire shapes of ENIs (ECS-SDK DescribeNetworkInterfaces / DescribeNetworkInterfaceAttribute models). */
const PublicIp = Obj({ PublicIpAddress: S, AllocationId: S });

export const EniFields = {
  NetworkInterfaceId: S,
  NetworkInterfaceName: S,
  Description: S,
  Status: S,
  Type: S,
  VpcId: S,
  VSwitchId: S,
  ZoneId: S,
  InstanceId: S,
  MacAddress: S,
  PrivateIpAddress: S,
  CreationTime: S,
  OwnerId: S,
  ResourceGroupId: S,
  ServiceID: N,
  ServiceManaged: B,
  DeleteOnRelease: B,
  SourceDestCheck: B,
  QueueNumber: N,
  QueuePairNumber: N,
  NetworkInterfaceTrafficMode: S,
  AssociatedPublicIp: PublicIp,
  Attachment: Obj({ InstanceId: S, DeviceIndex: N, NetworkCardIndex: N, TrunkNetworkInterfaceId: S }),
  SecurityGroupIds: Wrap('SecurityGroupId', S),
  PrivateIpSets: Wrap('PrivateIpSet', Obj({ PrivateIpAddress: S, Primary: B, PrivateDnsName: S, AssociatedPublicIp: PublicIp })),
  Ipv6Sets: Wrap('Ipv6Set', Obj({ Ipv6Address: S, Primary: B })),
  Ipv4PrefixSets: Wrap('Ipv4PrefixSet', Obj({ Ipv4Prefix: S })),
  Ipv6PrefixSets: Wrap('Ipv6PrefixSet', Obj({ Ipv6Prefix: S })),
  Tags: EcsTagsResult,
};
export const EniItem = Obj(EniFields);

function publicIp(b: EipBinding | undefined) {
  return b ? { PublicIpAddress: b.publicIp, AllocationId: b.allocationId } : { PublicIpAddress: '', AllocationId: '' };
}

/** `PrivateDnsName` as the cloud forms it for an address in a region. */
function dnsName(ip: string, regionId: string): string {
  return `ip-${ip.replace(/\./g, '-')}.${regionId}.ecs.internal`;
}

/**
 * QueueNumber as the cloud shows it: the value set (CreateNetworkInterface, Modify...,
 * RunInstances); unset, the instance type's default while attached (primary or secondary), and
 * DIVERGENCE: 0 for an unattached ENI, which the cloud leaves empty (the result model's number).
 */
function queueNumberShown(d: EniDetails): number {
  if (d.row.queue_number !== null) return d.row.queue_number;
  if (!d.instanceType) return 0;
  return d.row.type === 'Primary' ? d.instanceType.primaryEniQueueNumber : d.instanceType.secondaryEniQueueNumber;
}

export function eniItem(d: EniDetails, eips: readonly EipBinding[], tags: readonly Tag[]) {
  const r = d.row;
  const primaryEip = eips.find((e) => e.privateIp === r.primary_ip);
  return {
    NetworkInterfaceId: r.id,
    NetworkInterfaceName: r.name,
    Description: r.description,
    Status: r.status,
    Type: r.type,
    VpcId: r.vpc_id,
    VSwitchId: r.vswitch_id,
    ZoneId: r.zone_id,
    InstanceId: r.instance_id ?? '',
    MacAddress: r.mac_address,
    PrivateIpAddress: r.primary_ip,
    CreationTime: isoSeconds(r.created_at),
    OwnerId: r.account_id,
    ResourceGroupId: r.resource_group_id,
    ServiceID: 0,
    ServiceManaged: false,
    DeleteOnRelease: r.delete_on_release === 1,
    SourceDestCheck: r.source_dest_check === 1,
    QueueNumber: queueNumberShown(d),
    QueuePairNumber: 0,
    NetworkInterfaceTrafficMode: r.traffic_mode,
    AssociatedPublicIp: publicIp(primaryEip),
    Attachment: { InstanceId: r.instance_id ?? '', DeviceIndex: r.device_index ?? 0, NetworkCardIndex: 0, TrunkNetworkInterfaceId: '' },
    SecurityGroupIds: { SecurityGroupId: d.securityGroupIds },
    PrivateIpSets: {
      PrivateIpSet: d.ips.map((ip) => ({
        PrivateIpAddress: ip.address,
        Primary: ip.isPrimary,
        PrivateDnsName: dnsName(ip.address, r.region_id),
        AssociatedPublicIp: publicIp(eips.find((e) => e.privateIp === ip.address)),
      })),
    },
    Ipv6Sets: { Ipv6Set: [] },
    Ipv4PrefixSets: { Ipv4PrefixSet: [] },
    Ipv6PrefixSets: { Ipv6PrefixSet: [] },
    Tags: { Tag: tags.map((t) => ({ TagKey: t.key, TagValue: t.value })) },
  };
}

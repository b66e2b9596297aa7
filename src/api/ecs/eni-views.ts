import { isoSeconds } from '../../lib/clock.ts';
import type { EniDetails } from '../../services/enis.ts';
import type { EipBinding } from '../../domain/models/eni.ts';
import { EcsTagsResult } from '../params.ts';
import { B, N, Obj, S, Wrap } from '../schema-helpers.ts';
import type { Tag } from '../../domain/tags.ts';
import { shownEniType } from '../../domain/trunk-rules.ts';

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
  if (d.eni.queueNumber !== null) return d.eni.queueNumber;
  if (!d.instanceType) return 0;
  return d.eni.type === 'Primary' ? d.instanceType.primaryEniQueueNumber : d.instanceType.secondaryEniQueueNumber;
}

export function eniItem(d: EniDetails, eips: readonly EipBinding[], tags: readonly Tag[]) {
  const e = d.eni;
  const primaryEip = eips.find((b) => b.privateIp === e.primaryIp);
  return {
    NetworkInterfaceId: e.id,
    NetworkInterfaceName: e.name,
    Description: e.description,
    Status: e.status,
    Type: shownEniType(e),
    VpcId: e.vpcId,
    VSwitchId: e.vswitchId,
    ZoneId: e.zoneId,
    InstanceId: e.instanceId ?? '',
    MacAddress: e.macAddress,
    PrivateIpAddress: e.primaryIp,
    CreationTime: isoSeconds(e.createdAt),
    OwnerId: e.accountId,
    ResourceGroupId: e.resourceGroupId,
    ServiceID: 0,
    ServiceManaged: false,
    DeleteOnRelease: e.deleteOnRelease,
    SourceDestCheck: e.sourceDestCheck,
    QueueNumber: queueNumberShown(d),
    QueuePairNumber: 0,
    NetworkInterfaceTrafficMode: e.trafficMode,
    AssociatedPublicIp: publicIp(primaryEip),
    // A member's DeviceIndex is its VLAN ID on the trunk (domain/trunk-rules.ts).
    Attachment: { InstanceId: e.instanceId ?? '', DeviceIndex: e.deviceIndex ?? 0, NetworkCardIndex: 0, TrunkNetworkInterfaceId: e.trunkEniId ?? '' },
    SecurityGroupIds: { SecurityGroupId: d.securityGroupIds },
    PrivateIpSets: {
      PrivateIpSet: d.ips.map((ip) => ({
        PrivateIpAddress: ip.address,
        Primary: ip.isPrimary,
        PrivateDnsName: dnsName(ip.address, e.regionId),
        AssociatedPublicIp: publicIp(eips.find((b) => b.privateIp === ip.address)),
      })),
    },
    // Primary marks the primary IPv6 address of EnablePrimaryIPv6, a preview eniplane does not model.
    Ipv6Sets: { Ipv6Set: d.ipv6.map((a) => ({ Ipv6Address: a, Primary: false })) },
    Ipv4PrefixSets: { Ipv4PrefixSet: d.ipv4Prefixes.map((p) => ({ Ipv4Prefix: p })) },
    Ipv6PrefixSets: { Ipv6PrefixSet: d.ipv6Prefixes.map((p) => ({ Ipv6Prefix: p })) },
    Tags: { Tag: tags.map((t) => ({ TagKey: t.key, TagValue: t.value })) },
  };
}

import { isoSeconds } from '../../lib/clock.ts';
import type { EipView } from '../../services/eips.ts';
import { VpcTagsResult } from '../params.ts';
import { B, N, Obj, S, Wrap } from '../schema-helpers.ts';

/**
 * One element of DescribeEipAddresses (VPC-SDK DescribeEipAddressesResponseBody; meanings from
 * DOCS-EIP DescribeEipAddresses). Every field of the model is present. Features eniplane does
 * not model answer with the cloud's "none" value: no bandwidth package, no reservation (renewal)
 * order, no lock, no Anti-DDoS Pro, no address pool, no contiguous-EIP group.
 */
export const EipItem = Obj({
  AllocationId: S,
  AllocationTime: S,
  Bandwidth: S,
  BandwidthPackageBandwidth: S,
  BandwidthPackageId: S,
  BandwidthPackageType: S,
  BizType: S,
  BusinessStatus: S,
  ChargeType: S,
  DeletionProtection: B,
  Description: S,
  EipBandwidth: S,
  ExpiredTime: S,
  HDMonitorStatus: S,
  HasReservationData: S,
  ISP: S,
  InstanceId: S,
  InstanceRegionId: S,
  InstanceType: S,
  InternetChargeType: S,
  IpAddress: S,
  Mode: S,
  Name: S,
  Netmode: S,
  OperationLocks: Wrap('LockReason', Obj({ LockReason: S })),
  PrivateIpAddress: S,
  PublicIpAddressPoolId: S,
  RegionId: S,
  ReservationActiveTime: S,
  ReservationBandwidth: S,
  ReservationInternetChargeType: S,
  ReservationOrderType: S,
  ResourceGroupId: S,
  SecondLimited: B,
  SecurityProtectionTypes: Wrap('SecurityProtectionType', S),
  SegmentInstanceId: S,
  ServiceID: N,
  ServiceManaged: N,
  Status: S,
  Tags: VpcTagsResult,
  VpcId: S,
  Zone: S,
});

export function eipItem(v: EipView) {
  const e = v.eip;
  const bound = e.instanceId !== null;
  return {
    AllocationId: e.id,
    AllocationTime: isoSeconds(e.createdAt),
    Bandwidth: String(e.bandwidth),
    BandwidthPackageBandwidth: '',
    BandwidthPackageId: '',
    BandwidthPackageType: '',
    BizType: '',
    BusinessStatus: 'Normal',
    ChargeType: e.instanceChargeType,
    DeletionProtection: false,
    Description: e.description,
    // The EIP's own bandwidth, as opposed to a bandwidth package's (none here).
    EipBandwidth: String(e.bandwidth),
    // Pay-as-you-go EIPs do not expire.
    ExpiredTime: '',
    HDMonitorStatus: 'false',
    HasReservationData: 'false',
    ISP: e.isp,
    InstanceId: e.instanceId ?? '',
    InstanceRegionId: bound ? e.regionId : '',
    InstanceType: e.instanceType ?? '',
    InternetChargeType: e.internetChargeType,
    IpAddress: e.ipAddress,
    Mode: e.mode ?? '',
    Name: e.name,
    Netmode: 'public',
    OperationLocks: { LockReason: [] },
    PrivateIpAddress: e.privateIp ?? '',
    PublicIpAddressPoolId: '',
    RegionId: e.regionId,
    ReservationActiveTime: '',
    ReservationBandwidth: '',
    ReservationInternetChargeType: '',
    ReservationOrderType: '',
    ResourceGroupId: e.resourceGroupId,
    SecondLimited: false,
    SecurityProtectionTypes: { SecurityProtectionType: [] },
    SegmentInstanceId: '',
    ServiceID: 0,
    ServiceManaged: 0,
    Status: e.status,
    Tags: { Tag: v.tags.map((t) => ({ Key: t.key, Value: t.value })) },
    VpcId: e.vpcId ?? '',
    Zone: '',
  };
}

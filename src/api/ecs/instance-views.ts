import { isoMinutes } from '../../lib/clock.ts';
import { findImage } from '../../domain/images.ts';
import { findInstanceType } from '../../domain/instance-types.ts';
import type { Tag } from '../../domain/tags.ts';
import type { EniDetails } from '../../services/enis.ts';
import type { EipBinding } from '../../domain/models/eni.ts';
import type { Instance } from '../../domain/models/instance.ts';
import { EcsTagsResult } from '../params.ts';
import { B, N, Obj, S, Wrap } from '../schema-helpers.ts';

const IpList = Wrap('IpAddress', S);

/** Wire shape of an instance (ECS-SDK DescribeInstancesResponseBody, the fields eniplane models). */
export const InstanceItem = Obj({
  InstanceId: S,
  InstanceName: S,
  HostName: S,
  Description: S,
  RegionId: S,
  ZoneId: S,
  InstanceType: S,
  InstanceTypeFamily: S,
  Cpu: N,
  Memory: N,
  ImageId: S,
  OSName: S,
  OSNameEn: S,
  OSType: S,
  Status: S,
  InstanceNetworkType: S,
  IoOptimized: B,
  CreationTime: S,
  StartTime: S,
  ExpiredTime: S,
  InstanceChargeType: S,
  InternetChargeType: S,
  InternetMaxBandwidthIn: N,
  InternetMaxBandwidthOut: N,
  KeyPairName: S,
  DeletionProtection: B,
  StoppedMode: S,
  ResourceGroupId: S,
  SerialNumber: S,
  VpcAttributes: Obj({ VpcId: S, VSwitchId: S, NatIpAddress: S, PrivateIpAddress: IpList }),
  SecurityGroupIds: Wrap('SecurityGroupId', S),
  PublicIpAddress: IpList,
  InnerIpAddress: IpList,
  RdmaIpAddress: IpList,
  EipAddress: Obj({ AllocationId: S, IpAddress: S, Bandwidth: N, InternetChargeType: S, IsSupportUnassociate: B }),
  NetworkInterfaces: Wrap(
    'NetworkInterface',
    Obj({
      NetworkInterfaceId: S,
      Type: S,
      MacAddress: S,
      PrimaryIpAddress: S,
      PrivateIpSets: Wrap('PrivateIpSet', Obj({ PrivateIpAddress: S, Primary: B, PrivateDnsName: S })),
      Ipv6Sets: Wrap('Ipv6Set', Obj({ Ipv6Address: S })),
      Ipv4PrefixSets: Wrap('Ipv4PrefixSet', Obj({ Ipv4Prefix: S })),
      Ipv6PrefixSets: Wrap('Ipv6PrefixSet', Obj({ Ipv6Prefix: S })),
    }),
  ),
  MetadataOptions: Obj({ HttpEndpoint: S, HttpTokens: S, HttpPutResponseHopLimit: N, InstanceMetadataTags: S }),
  OperationLocks: Wrap('LockReason', Obj({ LockReason: S, LockMsg: S })),
  Tags: EcsTagsResult,
});

export interface InstanceView {
  instance: Instance;
  status: string;
  enis: EniDetails[];
  eips: EipBinding[];
  tags: Tag[];
}

export function instanceItem(v: InstanceView) {
  const r = v.instance;
  const type = findInstanceType(r.instanceType);
  const image = findImage(r.imageId);
  const attrs = r.attributes;
  const primary = v.enis.find((e) => e.eni.type === 'Primary');
  // EipAddress is the EIP associated with the instance itself (not one bound to an ENI's address).
  const instanceEip = v.eips.find((e) => e.associatedType === 'EcsInstance');
  return {
    InstanceId: r.id,
    InstanceName: r.name,
    HostName: r.hostName,
    Description: r.description,
    RegionId: r.regionId,
    ZoneId: r.zoneId,
    InstanceType: r.instanceType,
    InstanceTypeFamily: type?.family ?? '',
    Cpu: type?.cpuCoreCount ?? 0,
    Memory: Math.round((type?.memorySize ?? 0) * 1024),
    ImageId: r.imageId,
    OSName: image?.osName ?? '',
    OSNameEn: image?.osNameEn ?? '',
    OSType: image?.osType ?? '',
    Status: v.status,
    InstanceNetworkType: 'vpc',
    IoOptimized: true,
    CreationTime: isoMinutes(r.createdAt),
    StartTime: r.startedAt ? isoMinutes(r.startedAt) : '',
    ExpiredTime: '2099-12-31T15:59Z',
    InstanceChargeType: String(attrs.InstanceChargeType ?? 'PostPaid'),
    InternetChargeType: String(attrs.InternetChargeType ?? 'PayByTraffic'),
    InternetMaxBandwidthIn: -1,
    InternetMaxBandwidthOut: Number(attrs.InternetMaxBandwidthOut ?? 0),
    KeyPairName: String(attrs.KeyPairName ?? ''),
    DeletionProtection: r.deletionProtection,
    StoppedMode: v.status === 'Stopped' ? 'KeepCharging' : 'Not-applicable',
    ResourceGroupId: r.resourceGroupId,
    SerialNumber: '',
    VpcAttributes: { VpcId: r.vpcId, VSwitchId: r.vswitchId, NatIpAddress: '', PrivateIpAddress: { IpAddress: primary ? [primary.eni.primaryIp] : [] } },
    SecurityGroupIds: { SecurityGroupId: primary?.securityGroupIds ?? [] },
    PublicIpAddress: { IpAddress: r.publicIp ? [r.publicIp] : [] },
    InnerIpAddress: { IpAddress: [] },
    RdmaIpAddress: { IpAddress: [] },
    EipAddress: instanceEip
      ? {
          AllocationId: instanceEip.allocationId,
          IpAddress: instanceEip.publicIp,
          Bandwidth: instanceEip.bandwidth,
          InternetChargeType: instanceEip.internetChargeType,
          IsSupportUnassociate: true,
        }
      : { AllocationId: '', IpAddress: '', Bandwidth: 0, InternetChargeType: '', IsSupportUnassociate: true },
    NetworkInterfaces: {
      NetworkInterface: v.enis.map((e) => ({
        NetworkInterfaceId: e.eni.id,
        Type: e.eni.type,
        MacAddress: e.eni.macAddress,
        PrimaryIpAddress: e.eni.primaryIp,
        PrivateIpSets: {
          PrivateIpSet: e.ips.map((ip) => ({
            PrivateIpAddress: ip.address,
            Primary: ip.isPrimary,
            PrivateDnsName: `ip-${ip.address.replace(/\./g, '-')}.${r.regionId}.ecs.internal`,
          })),
        },
        Ipv6Sets: { Ipv6Set: e.ipv6.map((a) => ({ Ipv6Address: a })) },
        Ipv4PrefixSets: { Ipv4PrefixSet: e.ipv4Prefixes.map((p) => ({ Ipv4Prefix: p })) },
        Ipv6PrefixSets: { Ipv6PrefixSet: e.ipv6Prefixes.map((p) => ({ Ipv6Prefix: p })) },
      })),
    },
    MetadataOptions: {
      HttpEndpoint: r.httpEndpoint,
      HttpTokens: r.httpTokens,
      HttpPutResponseHopLimit: r.httpPutResponseHopLimit,
      InstanceMetadataTags: r.instanceMetadataTags,
    },
    OperationLocks: { LockReason: [] },
    Tags: { Tag: v.tags.map((t) => ({ TagKey: t.key, TagValue: t.value })) },
  };
}

/**
 * Wire shape of DescribeInstanceAttribute (ECS-SDK DescribeInstanceAttributeResponseBody): the
 * instance's fields at the top level; note `IoOptimized` is a string here ("optimized") and
 * OperationLocks items carry only LockReason.
 */
export const InstanceAttributeResult = Obj({
  InstanceId: S,
  InstanceName: S,
  HostName: S,
  Description: S,
  RegionId: S,
  ZoneId: S,
  InstanceType: S,
  Cpu: N,
  Memory: N,
  ImageId: S,
  Status: S,
  InstanceNetworkType: S,
  IoOptimized: S,
  CreationTime: S,
  ExpiredTime: S,
  InstanceChargeType: S,
  InternetChargeType: S,
  InternetMaxBandwidthIn: N,
  InternetMaxBandwidthOut: N,
  StoppedMode: S,
  SerialNumber: S,
  VlanId: S,
  ClusterId: S,
  CreditSpecification: S,
  EnableJumboFrame: B,
  DedicatedHostAttribute: Obj({ DedicatedHostId: S, DedicatedHostName: S }),
  VpcAttributes: Obj({ VpcId: S, VSwitchId: S, NatIpAddress: S, PrivateIpAddress: IpList }),
  SecurityGroupIds: Wrap('SecurityGroupId', S),
  PublicIpAddress: IpList,
  InnerIpAddress: IpList,
  EipAddress: Obj({ AllocationId: S, IpAddress: S, Bandwidth: N, InternetChargeType: S }),
  OperationLocks: Wrap('LockReason', Obj({ LockReason: S })),
});

export function instanceAttributeItem(v: InstanceView) {
  const i = instanceItem(v);
  return {
    InstanceId: i.InstanceId,
    InstanceName: i.InstanceName,
    HostName: i.HostName,
    Description: i.Description,
    RegionId: i.RegionId,
    ZoneId: i.ZoneId,
    InstanceType: i.InstanceType,
    Cpu: i.Cpu,
    Memory: i.Memory,
    ImageId: i.ImageId,
    Status: i.Status,
    InstanceNetworkType: i.InstanceNetworkType,
    IoOptimized: 'optimized',
    CreationTime: i.CreationTime,
    ExpiredTime: i.ExpiredTime,
    InstanceChargeType: i.InstanceChargeType,
    InternetChargeType: i.InternetChargeType,
    InternetMaxBandwidthIn: i.InternetMaxBandwidthIn,
    InternetMaxBandwidthOut: i.InternetMaxBandwidthOut,
    StoppedMode: i.StoppedMode,
    SerialNumber: i.SerialNumber,
    VlanId: '',
    ClusterId: '',
    CreditSpecification: '',
    EnableJumboFrame: false,
    DedicatedHostAttribute: { DedicatedHostId: '', DedicatedHostName: '' },
    VpcAttributes: i.VpcAttributes,
    SecurityGroupIds: i.SecurityGroupIds,
    PublicIpAddress: i.PublicIpAddress,
    InnerIpAddress: i.InnerIpAddress,
    EipAddress: {
      AllocationId: i.EipAddress.AllocationId,
      IpAddress: i.EipAddress.IpAddress,
      Bandwidth: i.EipAddress.Bandwidth,
      InternetChargeType: i.EipAddress.InternetChargeType,
    },
    OperationLocks: { LockReason: [] },
  };
}

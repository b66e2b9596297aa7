import { Type } from '@sinclair/typebox';
import { Enum, TagParams } from '../params.ts';

/** Parameters RunInstances and CreateInstance share: what eniplane models, stores or echoes. */
export const commonInstanceParams = {
  ZoneId: Type.Optional(Type.String()),
  InstanceType: Type.String(),
  ImageId: Type.String(),
  VSwitchId: Type.Optional(Type.String()),
  PrivateIpAddress: Type.Optional(Type.String()),
  InstanceName: Type.Optional(Type.String()),
  HostName: Type.Optional(Type.String()),
  Description: Type.Optional(Type.String()),
  Tag: TagParams,
  ResourceGroupId: Type.Optional(Type.String()),
  DeletionProtection: Type.Optional(Type.Boolean()),
  HttpEndpoint: Type.Optional(Enum(['enabled', 'disabled'])),
  HttpTokens: Type.Optional(Enum(['optional', 'required'])),
  HttpPutResponseHopLimit: Type.Optional(Type.Integer({ minimum: 1, maximum: 64 })),
  SystemDisk: Type.Optional(Type.Object({ Category: Type.Optional(Type.String()), Size: Type.Optional(Type.Integer({ minimum: 20, maximum: 2048 })) })),
  InstanceChargeType: Type.Optional(Enum(['PostPaid', 'PrePaid'])),
  InternetChargeType: Type.Optional(Enum(['PayByTraffic', 'PayByBandwidth'])),
  InternetMaxBandwidthOut: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
  KeyPairName: Type.Optional(Type.String()),
  // Accepted as the cloud accepts it; like the cloud, never returned.
  Password: Type.Optional(Type.String()),
  UserData: Type.Optional(Type.String()),
};

/** The attributes eniplane stores only to echo them back (DescribeInstances). */
export function storedAttributes(p: {
  SystemDisk?: { Category?: string; Size?: number };
  InstanceChargeType?: string;
  InternetChargeType?: string;
  KeyPairName?: string;
  UserData?: string;
}): Record<string, unknown> {
  return {
    SystemDiskCategory: p.SystemDisk?.Category ?? 'cloud_efficiency',
    SystemDiskSize: p.SystemDisk?.Size ?? 40,
    InstanceChargeType: p.InstanceChargeType ?? 'PostPaid',
    InternetChargeType: p.InternetChargeType ?? 'PayByTraffic',
    KeyPairName: p.KeyPairName ?? '',
    UserData: p.UserData ?? '',
  };
}

import { Type } from '@sinclair/typebox';
import { findImage } from '../../domain/images.ts';
import {
  SYSTEM_DISK_CATEGORIES,
  SYSTEM_DISK_MAX_GIB,
  SYSTEM_DISK_MIN_GIB,
  defaultSystemDiskSize,
  isValidInstancePassword,
  isValidKeyPairName,
  userDataProblem,
} from '../../domain/instance-inputs.ts';
import { InstanceErrors } from '../../errors/ecs/instances.ts';
import { Enum, TagParams } from '../params.ts';

/**
 * Parameters RunInstances and CreateInstance share. Each is acted upon: used to build the
 * instance, validated as the cloud validates it, and stored where a Describe call returns it
 * (checkedAttributes). What eniplane does not model is not declared, so strict mode refuses it.
 */
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
  SystemDisk: Type.Optional(
    Type.Object({
      Category: Type.Optional(Enum(SYSTEM_DISK_CATEGORIES)),
      Size: Type.Optional(Type.Integer({ minimum: SYSTEM_DISK_MIN_GIB, maximum: SYSTEM_DISK_MAX_GIB })),
    }),
  ),
  InstanceChargeType: Type.Optional(Enum(['PostPaid', 'PrePaid'])),
  InternetChargeType: Type.Optional(Enum(['PayByTraffic', 'PayByBandwidth'])),
  InternetMaxBandwidthOut: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
  KeyPairName: Type.Optional(Type.String()),
  // Validated with the cloud's complexity rule; like the cloud, never stored in clear nor returned.
  Password: Type.Optional(Type.String()),
  UserData: Type.Optional(Type.String()),
  // The instance RAM role (any name RAM could hold: eniplane has no RAM service); its metadata
  // service then serves temporary credentials for it.
  RamRoleName: Type.Optional(Type.String()),
};

interface CommonInstanceInput {
  ImageId: string;
  SystemDisk?: { Category?: string; Size?: number };
  InstanceChargeType?: string;
  InternetChargeType?: string;
  InternetMaxBandwidthOut?: number;
  KeyPairName?: string;
  Password?: string;
  UserData?: string;
}

/** The instance's stored attributes, after the cloud's checks of each (errors: instanceInputErrors). */
export function checkedAttributes(p: CommonInstanceInput): Record<string, unknown> {
  const image = findImage(p.ImageId);
  if (!image) throw InstanceErrors.imageNotFound(p.ImageId);
  if (p.InstanceChargeType === 'PrePaid') throw InstanceErrors.prePaidNotModelled();
  if (p.Password !== undefined && p.Password !== '' && !isValidInstancePassword(p.Password, image.osType)) throw InstanceErrors.passwordMalformed();
  if (p.KeyPairName !== undefined && p.KeyPairName !== '' && !isValidKeyPairName(p.KeyPairName)) throw InstanceErrors.keyPairNameMalformed();
  if (p.UserData !== undefined && p.UserData !== '') {
    const problem = userDataProblem(p.UserData);
    if (problem === 'format') throw InstanceErrors.userDataFormat();
    if (problem === 'size') throw InstanceErrors.userDataSize();
  }
  const size = p.SystemDisk?.Size ?? defaultSystemDiskSize(image.size);
  if (size < image.size) throw InstanceErrors.systemDiskTooSmall(size, image.size);
  return {
    SystemDiskCategory: p.SystemDisk?.Category ?? 'cloud_efficiency',
    SystemDiskSize: size,
    InstanceChargeType: 'PostPaid',
    InternetChargeType: p.InternetChargeType ?? 'PayByTraffic',
    InternetMaxBandwidthOut: p.InternetMaxBandwidthOut ?? 0,
    // DIVERGENCE: eniplane has no key pair resources, so the name is checked for form only and shown as given.
    KeyPairName: p.KeyPairName ?? '',
    UserData: p.UserData ?? '',
  };
}

/** The codes checkedAttributes answers with, for the actions' error lists. */
export const instanceInputErrors = [
  InstanceErrors.prePaidNotModelled,
  InstanceErrors.passwordMalformed,
  InstanceErrors.keyPairNameMalformed,
  InstanceErrors.userDataFormat,
  InstanceErrors.userDataSize,
  InstanceErrors.systemDiskTooSmall,
];

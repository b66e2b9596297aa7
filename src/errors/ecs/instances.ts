import { defineErrors } from '../api-error.ts';

/** ECS codes for instances (RunInstances, Start/Stop/Delete..., ecs-eni-api.md §3). */
export const InstanceErrors = defineErrors({
  typeNotSupported: {
    code: 'InvalidInstanceType.ValueNotSupported',
    status: 400,
    message: (type: string) => `The specified InstanceType "${type}" does not exist or is not supported; see DescribeInstanceTypes.`,
  },
  imageNotFound: { code: 'InvalidImageId.NotFound', status: 404, message: (id: string) => `The specified ImageId "${id}" does not exist.` },
  incorrectStatus: {
    code: 'IncorrectInstanceStatus',
    status: 403,
    message: (status: string) => `The current status of the resource (${status}) does not support this operation.`,
  },
  mismatch: {
    code: 'InvalidParameter.Mismatch',
    status: 400,
    message: (why: string) => `The specified parameters do not match: ${why}.`,
  },
  networkInterfaceParam: {
    code: 'InvalidParam.NetworkInterface',
    status: 400,
    message: (why: string) => `The specified NetworkInterface parameter is not valid: ${why}`,
  },
  secondaryEniNotSupported: {
    code: 'InvalidInstanceType.ElasticNetworkInterfaceNotSupported',
    status: 400,
    message: (type: string) => `Instance type ${type} cannot take secondary ENIs when it is created; attach them afterwards, while the instance is Stopped.`,
  },
  deletionProtection: {
    code: 'InvalidOperation.DeletionProtection',
    status: 403,
    message: 'The instance has deletion protection enabled; disable it with ModifyInstanceAttribute first.',
  },
  vswitchRequired: { code: 'InvalidVSwitchId.Necessary', status: 400, message: 'A VSwitchId is required to create an instance in a VPC.' },
  prePaidNotModelled: {
    code: 'UnsupportedParameter',
    status: 400,
    message: 'eniplane does not model subscription (PrePaid) instances; use InstanceChargeType=PostPaid.',
    description: 'InstanceChargeType=PrePaid (eniplane models pay-as-you-go instances only).',
  },
  passwordMalformed: {
    code: 'InvalidPassword.Malformed',
    status: 400,
    message:
      'The specified parameter "Password" is not valid. It must be 8 to 30 characters and contain at least three of: uppercase letters, lowercase letters, digits and the special characters ()`~!@#$%^&*-_+=|{}[]:;\'<>,.?/ (on Windows it cannot start with "/").',
  },
  userDataFormat: {
    code: 'InvalidUserData.Base64FormatInvalid',
    status: 400,
    message: 'The specified parameter "UserData" is not a valid Base64 string.',
  },
  userDataSize: {
    code: 'InvalidUserData.SizeExceeded',
    status: 400,
    message: 'The specified parameter "UserData" exceeds 32 KB before Base64 encoding.',
  },
  keyPairNameMalformed: {
    code: 'InvalidKeyPairName.Malformed',
    status: 400,
    message:
      'The specified parameter "KeyPairName" is not valid. It must be 2 to 128 characters, start with a letter, and contain only letters, digits, ".", "_", "-" and ":".',
  },
  systemDiskTooSmall: {
    code: 'InvalidSystemDiskSize.LessThanImageSize',
    status: 400,
    message: (size: number, imageSize: number) => `The specified parameter "SystemDisk.Size" (${size} GiB) is less than the image size (${imageSize} GiB).`,
  },
  publicIpNeedsBandwidth: {
    code: 'InvalidInternetMaxBandwidthOut.ValueNotSupported',
    status: 400,
    message: 'A public IP address needs an instance whose InternetMaxBandwidthOut is above 0.',
    description: 'AllocatePublicIpAddress for an instance created with InternetMaxBandwidthOut 0 (code chosen by eniplane: the cloud documents none).',
  },
  publicIpAllocated: {
    code: 'AllocatedAlready',
    status: 403,
    message: 'Ip address has been allocated already.',
    description: 'AllocatePublicIpAddress for an instance that already has one.',
  },
  publicIpWithEip: {
    code: 'InvalidInstance.EipAssociated',
    status: 403,
    message: 'The instance has an EIP associated; it cannot have a public IP address as well.',
    description: 'AllocatePublicIpAddress for an instance with an associated EIP (code chosen by eniplane: the cloud documents none).',
  },
  lastSecurityGroup: {
    code: 'InstanceLastSecurityGroup',
    status: 403,
    message: 'The specified security group is the last security group for the instance.',
    description: 'LeaveSecurityGroup would leave the instance or ENI in no security group.',
  },
  notInSecurityGroup: {
    code: 'InvalidSecurityGroupAssociation.NotFound',
    status: 400,
    message: (sg: string) => `The specified ECS or ENI is not associated with the specified security group "${sg}".`,
    description: "LeaveSecurityGroup for a group the instance or ENI is not in (the cloud's code since 2024-07-08).",
  },
  alreadyInSecurityGroup: {
    code: 'InvalidInstanceId.AlreadyExists',
    status: 403,
    message: 'The specified instance already exists in the specified security group.',
  },
  securityGroupLimit: {
    code: 'InstanceSecurityGroupLimitExceeded',
    status: 400,
    message: (n: number) => `Exceeding the allowed amount of security groups that an instance can be in (${n}).`,
  },
  securityGroupMismatch: {
    code: 'InvalidInstanceId.Mismatch',
    status: 400,
    message: 'Specified instance and security group are not in the same VPC.',
  },
  securityGroupFull: {
    code: 'SecurityGroupInstanceLimitExceeded',
    status: 403,
    message: (sg: string, limit: number) =>
      `The maximum number of instances in a security group is exceeded: "${sg}" already holds ${limit} private IP addresses.`,
    description: 'JoinSecurityGroup into a group whose members already hold its capacity of private IPs (2,000 basic, 65,536 advanced).',
  },
  nameMalformed: {
    code: 'InvalidInstanceName.Malformed',
    status: 400,
    message:
      'The specified parameter "InstanceName" is not valid. It must be 2 to 128 characters, start with a letter, and contain only letters, digits, ":", "_", "." and "-".',
  },
  hostNameMalformed: {
    code: 'InvalidHostName.Malformed',
    status: 400,
    message: 'The specified parameter "HostName" is not valid.',
  },
  joinedGroupLimit: {
    code: 'JoinedGroupLimitExceed',
    status: 400,
    message: (n: number) => `An instance can be in at most ${n} security groups.`,
    description: 'RunInstances / CreateInstance / ModifyInstanceAttribute with more security groups than an instance may be in.',
  },
  privateIpNotInVSwitch: {
    code: 'InvalidPrivateIpAddress',
    status: 400,
    message: (ip: string) => `Specified private IP address "${ip}" is not in the CIDR block of virtual switch (or is one of its reserved addresses).`,
  },
  privateIpDuplicated: {
    code: 'InvalidPrivateIpAddress.Duplicated',
    status: 400,
    message: (ip: string) => `Specified private IP address "${ip}" is duplicated.`,
  },
  privateIpNotEnough: { code: 'QuotaExceeded.PrivateIpAddress', status: 400, message: "Don't have enough private IPs in this switch." },
});

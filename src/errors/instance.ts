import { defineErrors } from './api-error.ts';

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
  publicIpNotModelled: {
    code: 'UnsupportedParameter',
    status: 400,
    message: 'eniplane does not model the public IP addresses RunInstances assigns when InternetMaxBandwidthOut > 0; leave it 0 and associate an EIP.',
    description: 'InternetMaxBandwidthOut above 0 (eniplane models public addresses as EIPs only).',
  },
  lastSecurityGroup: { code: 'InstanceLastSecurityGroup', status: 403, message: 'The instance or ENI must remain in at least one security group.' },
  notInSecurityGroup: {
    code: 'InvalidSecurityGroupAssociation.NotFound',
    status: 403,
    message: (sg: string) => `The resource is not in security group "${sg}".`,
  },
  alreadyInSecurityGroup: {
    code: 'InvalidInstanceId.AlreadyExists',
    status: 403,
    message: (sg: string) => `The resource is already in security group "${sg}".`,
  },
  securityGroupLimit: {
    code: 'InstanceSecurityGroupLimitExceeded',
    status: 403,
    message: (n: number) => `The resource is already in ${n} security groups, the most it can join.`,
  },
});

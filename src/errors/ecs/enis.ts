import { defineErrors } from '../api-error.ts';

/**
 * ECS codes for ENIs, private addresses and instances (ecs-eni-api.md §2-3), with the cloud's
 * message templates where they are known.
 */
export const EniErrors = defineErrors({
  eniNotFound: { code: 'InvalidEniId.NotFound', status: 404, message: (id: string) => `The specified EniId "${id}" is not found.` },
  ecsNotFound: { code: 'InvalidEcsId.NotFound', status: 404, message: (id: string) => `The specified ECS instance "${id}" is not found.` },
  instanceNotFound: { code: 'InvalidInstanceId.NotFound', status: 404, message: (id: string) => `The specified InstanceId "${id}" does not exist.` },
  vswitchNotFound: { code: 'InvalidVSwitchId.NotFound', status: 404, message: (id: string) => `The specified VSwitchId "${id}" is not found.` },
  securityGroupNotFound: {
    code: 'InvalidSecurityGroupId.NotFound',
    status: 404,
    message: (id: string) => `The specified SecurityGroupId "${id}" is not found.`,
  },
  invalidEniState: {
    code: 'InvalidOperation.InvalidEniState',
    status: 400,
    message: (expected: string, current: string) =>
      `The operation is not allowed in the current ENI state. Expecting status is "${expected}" while current status is "${current}".`,
  },
  invalidEcsState: {
    code: 'InvalidOperation.InvalidEcsState',
    status: 400,
    message: (why: string) => `The operation is not allowed in the current ECS instance state. ${why}`,
  },
  detachPrimary: { code: 'InvalidOperation.DetachPrimaryEniNotAllowed', status: 400, message: 'The primary ENI of an instance cannot be detached.' },
  eniTypeNotAllowed: {
    code: 'InvalidOperation.InvalidEniType',
    status: 403,
    message: (why: string) => `The operation is not allowed for this ENI type. ${why}`,
  },
  eniPerInstance: {
    code: 'EniPerInstanceLimitExceeded',
    status: 403,
    message: (limit: number, type: string) => `The instance already has ${limit} ENIs, the most instance type ${type} allows (the primary ENI included).`,
  },
  eniTotalPerInstance: {
    // chosen: the code of the EniQuantity quota, for the quota that counts trunk members too.
    code: 'EniPerInstanceLimitExceeded',
    status: 403,
    message: (limit: number, type: string) =>
      `The instance already holds ${limit} ENIs, trunk members included, the EniTotalQuantity of instance type ${type}.`,
    description: "A member ENI would take the instance past its type's EniTotalQuantity (primary + secondary + trunk + member ENIs).",
  },
  eniLinked: {
    code: 'InvalidOperation.EniLinked',
    status: 403,
    message: (why: string) => `The ENI is linked to another ENI: ${why}.`,
    description: 'A trunk ENI that still has member ENIs cannot be detached or deleted; detach the members first.',
  },
  zoneMismatch: {
    code: 'InvalidOperation.AvailabilityZoneMismatch',
    status: 403,
    message: (why: string) => `The ENI and the instance are not in the same zone${why ? `: ${why}` : ''}.`,
  },
  vswitchMismatch: {
    code: 'InvalidOperation.VSwitchMismatch',
    status: 403,
    message: (eniVSwitch: string, instanceVSwitch: string) =>
      `The ENI is in vSwitch "${eniVSwitch}" and the instance in vSwitch "${instanceVSwitch}": this server runs with --attach-locality vswitch, which requires the same vSwitch.`,
    description: "Only with `serve --attach-locality vswitch` (the seed document's rule; the cloud allows any vSwitch of the same zone).",
  },
  queueNumberInvalid: {
    code: 'InvalidParameter.InvalidEniQueueNumber',
    status: 403,
    message: (n: number) => `The specified QueueNumber "${n}" is not valid: it must be from 1 to 2048.`,
  },
  queueNumberExceeded: {
    code: 'InvalidOperation.ExceedInstanceTypeQueueNumber',
    status: 403,
    message: (n: number, limit: number, type: string) => `The ENI's QueueNumber ${n} exceeds ${limit}, the MaximumQueueNumberPerEni of instance type ${type}.`,
  },
  trafficModeNotSupported: {
    // DIVERGENCE: the cloud's code for this case is not documented; this one names it.
    code: 'InvalidOperation.HighPerformanceTrafficModeNotSupported',
    status: 403,
    message: (type: string) =>
      `Instance type ${type} does not support elastic RDMA interfaces (EriQuantity 0): an ENI in HighPerformance traffic mode cannot join it.`,
  },
  vpcMismatch: { code: 'InvalidOperation.VpcMismatch', status: 403, message: (why: string) => `The resources are not in the same VPC: ${why}.` },
  ipInvalid: {
    code: 'InvalidVSwitchId.IpInvalid',
    status: 403,
    message: (ip: string, cidr: string) => `The specified IpAddress "${ip}" is not valid in VSwitch CIDR block "${cidr}".`,
  },
  ipNotEnough: { code: 'InvalidVSwitchId.IpNotEnough', status: 403, message: 'The specified VSwitch does not have enough free IP addresses.' },
  ipAssigned: { code: 'InvalidIp.IpAssigned', status: 403, message: (ip: string) => `The specified IP "${ip}" is already assigned.` },
  ipDuplicated: {
    code: 'InvalidPrivateIpAddress.Duplicated',
    status: 400,
    message: (ip: string) => `The specified private IP address "${ip}" is already in use.`,
  },
  ipRepeated: { code: 'InvalidIp.IpRepeated', status: 403, message: (ip: string) => `The IP "${ip}" is given more than once.` },
  ipMalformed: { code: 'InvalidPrivateIpAddress.Malformed', status: 400, message: (ip: string) => `The specified private IP address "${ip}" is malformed.` },
  ipv4PrefixInvalid: {
    // chosen: the cloud's code for a malformed prefix is not documented; InvalidParameter names the parameter.
    code: 'InvalidParameter',
    status: 400,
    message: (prefix: string, why: string) => `The specified parameter "Ipv4Prefix.N" is not valid. "${prefix}" ${why}`,
    description: 'An IPv4 prefix that is not a standard /28 CIDR block (10.0.0.16/28; 10.0.0.17/28 is refused).',
  },
  ipUnassigned: { code: 'InvalidIp.IpUnassigned', status: 403, message: (ip: string) => `The specified IP "${ip}" is not assigned on this ENI.` },
  ipv4CountExceeded: {
    code: 'InvalidOperation.Ipv4CountExceeded',
    status: 403,
    message: (limit: number, why: string) => `The ENI would hold more than ${limit} private IPv4 addresses (${why}).`,
  },
  securityGroupIpQuota: {
    code: 'SecurityGroupInstanceLimitExceed',
    status: 403,
    message: (sg: string, limit: number) => `The security group "${sg}" already holds ${limit} private IP addresses, the most it can.`,
  },
  securityGroupCount: {
    code: 'InvalidSecurityGroupId.Malformed',
    status: 400,
    message: (limit: number) => `An ENI can be in 1 to ${limit} security groups.`,
  },
  securityGroupRepeated: {
    code: 'InvalidParameter',
    status: 400,
    message: (sg: string) => `The specified parameter "SecurityGroupIds" is not valid. Security group "${sg}" is given more than once.`,
    description: 'A security group ID is repeated in a list of groups.',
  },
  multiGroupType: {
    code: 'InvalidOperation.MultiGroupType',
    status: 400,
    message: "The specified instance can't join different types of security group.",
    description: 'Basic (normal) and advanced (enterprise) security groups mixed on one ENI or instance.',
  },
  regionIdRequired: { code: 'MissingParameter.RegionId', status: 400, message: 'The specified RegionId should not be null.' },
  eniAndInstanceConflict: {
    code: 'InvalidParam.EniIdAndInstanceId.Conflict',
    status: 403,
    message: 'The InstanceId and NetworkInterfaceId parameters are mutually exclusive and cannot be both specified.',
  },
  conflict: { code: 'InvalidParameter.Conflict', status: 400, message: (a: string, b: string) => `The parameters "${a}" and "${b}" cannot be given together.` },
  eniQuota: { code: 'MaxEniCountExceeded', status: 403, message: (limit: number) => `The account already has ${limit} ENIs in this region.` },
  nameMalformed: {
    code: 'InvalidNetworkInterfaceName.Malformed',
    status: 400,
    message: 'The name must be 2 to 128 characters, start with a letter or Chinese character, and contain only letters, digits, ":", "_", "." and "-".',
  },
  descriptionMalformed: {
    code: 'InvalidDescription.Malformed',
    status: 400,
    message: 'The description must be 2 to 256 characters and cannot start with http:// or https://.',
  },
});

import { defineErrors } from '../api-error.ts';

/**
 * ECS DescribeAvailableResource codes, verbatim from the operation's error table (Alibaba Cloud API
 * reference, DescribeAvailableResource, "Error codes"). A value the cloud accepts but that names
 * something eniplane does not sell (subscription, spot, dedicated hosts, standalone disks, reserved
 * instances) is refused with UnsupportedParameter, as RunInstances refuses it, rather than answered
 * with resources eniplane could not create.
 */
export const AvailableResourceErrors = defineErrors({
  destinationMissing: {
    code: 'Invalid.Param',
    status: 400,
    message: 'The input parameter DestinationResource that is mandatory for processing this request is not supplied.',
  },
  destinationInvalid: { code: 'Invalid.DestinationResource', status: 404, message: 'The specified DestinationResource is not valid.' },
  ioOptimizedInvalid: { code: 'Invalid.IoOptimized', status: 404, message: 'The specified IoOptimized is not valid.' },
  networkCategoryInvalid: { code: 'Invalid.NetworkCategory', status: 404, message: 'The specified NetworkCategory is not valid.' },
  resourceTypeInvalid: { code: 'Invalid.ResourceType', status: 404, message: 'The ResourceType provided does not exist in our records.' },
  chargeTypeInvalid: { code: 'Invalid.InstanceChargeType', status: 400, message: 'The specified InstanceChargeType is not valid.' },
  spotStrategyInvalid: { code: 'Invalid.SpotStrategy', status: 404, message: 'The specified SpotStrategy is not valid.' },
  coresNotForDestination: {
    code: 'InvalidParam.Cores',
    status: 403,
    message: "The specified parameter 'Cores' should be empty.",
    description: 'Cores is given while DestinationResource is not InstanceType.',
  },
  memoryNotForDestination: {
    code: 'InvalidParam.Memory',
    status: 403,
    message: "The specified parameter 'Memory' should be empty.",
    description: 'Memory is given while DestinationResource is not InstanceType.',
  },
  typeAndCpuMemConflict: {
    code: 'InvalidParam.TypeAndCpuMem.Conflict',
    status: 403,
    message: "The specified 'InstanceType' and 'Cores','Memory' are not blank at the same time.",
  },
  valueNotModelled: {
    code: 'UnsupportedParameter',
    status: 400,
    message: (param: string, value: string, why: string) =>
      `${param}=${value} is valid on the cloud, but eniplane does not model it (${why}); see docs/divergences.md.`,
    description:
      'DescribeAvailableResource asked about something eniplane cannot create: InstanceChargeType=PrePaid, a spot SpotStrategy, DestinationResource=ddh, ResourceType disk, reservedinstance or ddh.',
  },
});

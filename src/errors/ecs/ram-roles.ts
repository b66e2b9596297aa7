import { defineErrors } from '../api-error.ts';

/**
 * Instance RAM role codes (AttachInstanceRamRole, DetachInstanceRamRole, DescribeInstanceRamRole,
 * RunInstances RamRoleName), from the cloud's API pages.
 */
export const RamErrors = defineErrors({
  instanceIdsMalformed: { code: 'InvalidInstanceIds.Malformed', status: 400, message: 'The specified instanceIds are not valid.' },
  roleNotFound: {
    code: 'InvalidRamRole.NotFound',
    status: 404,
    message: 'The specified RAMRoleName does not exist.',
    description: 'eniplane has no RAM service: a role name that RAM could not hold (1 to 64 letters, digits, ".", "-", "_") is one that cannot exist.',
  },
  roleOrInstanceRequired: {
    code: 'MissingParameter',
    status: 400,
    message: 'At least one of the input parameters "InstanceIds" and "RamRoleName" must be supplied.',
    description: 'DescribeInstanceRamRole needs InstanceIds or RamRoleName.',
  },
});

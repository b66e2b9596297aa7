import { defineErrors } from '../api-error.ts';

/** VPC product codes (Version 2016-04-28), with the cloud's spellings, typos included. */
export const VpcErrors = defineErrors({
  vpcNotFound: { code: 'InvalidVpcId.NotFound', status: 404, message: 'Specified VPC does not exist.' },
  vswitchNotFound: { code: 'InvalidVSwitchId.NotFound', status: 404, message: 'Specified virtual switch does not exist.' },
  zoneNotFound: { code: 'InvalidZoneId.NotFound', status: 404, message: (zone: string) => `Specified zone "${zone}" does not exist in this region.` },
  cidrMalformed: {
    code: 'InvalidCidrBlock.Malformed',
    status: 400,
    message: (cidr: string, why: string) => `Specified CIDR block "${cidr}" is not valid. ${why}`,
    description: 'The CIDR block is not an IPv4 network in a.b.c.d/n form, has host bits set, or lies in a range the cloud reserves.',
  },
  vpcCidrInvalid: {
    code: 'InvalidParameter',
    status: 400,
    message: (cidr: string, why: string) => `Specified CIDR block "${cidr}" is not valid. ${why}`,
    description: 'CreateVpc: the CIDR block is not one the cloud accepts for a VPC.',
  },
  vswitchCidrNotInVpc: {
    code: 'InvalidParameter',
    status: 400,
    message: (cidr: string, vpcCidr: string) => `Specified CIDR block "${cidr}" is not valid in VPC (${vpcCidr}).`,
    description: "CreateVSwitch: the CIDR block is not inside the VPC's.",
  },
  cidrOverlapped: {
    code: 'InvalidCidrBlock.Overlapped',
    status: 400,
    message: (cidr: string, other: string) => `Specified CIDR block "${cidr}" overlapped with other subnets (${other}).`,
  },
  maskLength: {
    code: 'InvalidCirdrBlock.MaskLength',
    status: 400,
    message: (cidr: string) => `The mask length of CIDR block "${cidr}" must be between 16 and 29.`,
    description: 'vSwitch CIDR mask outside 16..29 (the cloud spells the code "Cirdr").',
  },
  vpcNameMalformed: {
    code: 'InvalidVpcName.Malformed',
    status: 400,
    message: 'The name must be 1 to 128 characters long and cannot start with http:// or https://.',
  },
  vpcDescriptionMalformed: {
    code: 'InvalidVpcDiscription.Malformed',
    status: 400,
    message: 'The description must be 1 to 256 characters long and cannot start with http:// or https://.',
    description: 'Bad VPC description (the cloud spells the code "Discription").',
  },
  vswitchNameMalformed: {
    code: 'InvalidVSwitchName.Malformed',
    status: 400,
    message: 'The name must be 1 to 128 characters long and cannot start with http:// or https://.',
  },
  vswitchDescriptionMalformed: {
    code: 'InvalidVSwitchDiscription.Malformed',
    status: 400,
    message: 'The description must be 1 to 256 characters long and cannot start with http:// or https://.',
    description: 'Bad vSwitch description (the cloud spells the code "Discription").',
  },
  incorrectVpcStatus: {
    code: 'IncorrectVpcStatus',
    status: 400,
    message: (status: string) => `Current VPC status (${status}) does not support this operation.`,
  },
  incorrectVSwitchStatus: {
    code: 'IncorrectVSwitchStatus',
    status: 400,
    message: (status: string) => `The current virtual switch status (${status}) does not support this operation.`,
  },
  vpcHasVSwitches: {
    code: 'DependencyViolation.VSwitch',
    status: 400,
    message: 'Specified object has dependent resources: the VPC still has vSwitches.',
  },
  vpcHasSecurityGroups: {
    code: 'DependencyViolation.SecurityGroup',
    status: 400,
    message: 'Specified object has dependent resources: the VPC still has security groups.',
  },
  vswitchInUse: {
    code: 'DependencyViolation',
    status: 400,
    message: 'Specified object has dependent resources: the vSwitch still has instances or ENIs.',
  },
  vpcQuota: { code: 'QuotaExceeded.Vpc', status: 400, message: (n: number) => `VPC quota exceeded: at most ${n} VPCs per region.` },
  vswitchQuota: {
    code: 'QuotaExceeded.VSwitch',
    status: 400,
    message: (n: number) => `VSwitch quota exceeded: at most ${n} vSwitches per VPC.`,
  },
  cidrAndMask: {
    code: 'InvalidParameter',
    status: 400,
    message: 'Exactly one of CidrBlock and CidrMask must be given.',
    description: 'CreateVSwitch: neither or both of CidrBlock and CidrMask.',
  },
  noFreeCidr: {
    code: 'InvalidCidrBlock.Overlapped',
    status: 400,
    message: (mask: number) => `No free /${mask} block is left in the VPC's CIDR.`,
    description: 'CreateVSwitch with CidrMask: no free block of that size remains.',
  },
});

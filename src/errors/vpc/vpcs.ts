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
  // chosen: the cloud's codes for these IPv6 refusals are not published; these follow its naming.
  vpcIpv6NotEnabled: {
    code: 'OperationFailed.VpcNotEnableIpv6',
    status: 400,
    message: (vpcId: string) => `The VPC "${vpcId}" has not enabled IPv6: enable it first (CreateVpc or ModifyVpcAttribute EnableIPv6=true).`,
    description: 'CreateVSwitch / ModifyVSwitchAttribute gave an IPv6 block in a VPC without IPv6.',
  },
  ipv6BlockOverlapped: {
    code: 'InvalidCidrBlock.Overlapped',
    status: 400,
    message: (block: string, other: string) => `Specified IPv6 CIDR block "${block}" overlapped with vSwitch ${other}.`,
    description: 'CreateVSwitch / ModifyVSwitchAttribute: another vSwitch of the VPC holds that /64.',
  },
  ipv6MaskInvalid: {
    code: 'InvalidParameter',
    status: 400,
    message: "Ipv6CidrMask must be 64: a vSwitch takes a /64 of its VPC's /56.",
  },
  ipv6DisableWithBlock: {
    code: 'InvalidParameter',
    status: 400,
    message: 'Ipv6CidrBlock cannot be given with EnableIPv6=false.',
  },
  ipv6BlockRequired: {
    code: 'MissingParameter',
    status: 400,
    message: 'The input parameter "Ipv6CidrBlock" that is mandatory for enabling IPv6 on a vSwitch is not supplied.',
  },
  ipv6AlreadyEnabled: {
    code: 'OperationFailed.Ipv6AlreadyEnabled',
    status: 400,
    message: (id: string, block: string) => `"${id}" already has the IPv6 CIDR block ${block}; it cannot be changed.`,
    description: 'An IPv6 block, once given, stays (the cloud: "After the IPv6 CIDR block is allocated, it cannot be changed").',
  },
  ipv6InUse: {
    code: 'DependencyViolation.Ipv6Address',
    status: 400,
    message: (id: string) => `IPv6 cannot be disabled on "${id}": IPv6 addresses or prefixes (or IPv6 vSwitches) are still in use.`,
  },
  ipv6PoolFull: {
    code: 'OperationFailed.Ipv6PoolExhausted',
    status: 400,
    message: (pool: string) => `No free IPv6 /56 is left in the pool ${pool} (serve --ipv6-pool).`,
  },
  ipv6IspInvalid: {
    code: 'InvalidParameter',
    status: 400,
    message: (isp: string) => `The specified Ipv6Isp "${isp}" is not valid: BGP, ChinaMobile, ChinaUnicom or ChinaTelecom.`,
  },
});

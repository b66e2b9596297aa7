import { defineErrors } from '../api-error.ts';

/**
 * EIP codes (VPC product, Version 2016-04-28), with the cloud's spellings, typos included
 * ("InvalidInstanId", "InvalidIAssociatedInstanceType"). Sources, by entry: [AL]
 * AllocateEipAddress, [AS] AssociateEipAddress, [UN] UnassociateEipAddress, [RE]
 * ReleaseEipAddress, [DE] DescribeEipAddresses, [MO] ModifyEipAddressAttribute: the error tables
 * of the API pages in AlibabaCloudDocs/eip (2021 snapshot); [LIM] the same repo's "Limits" page.
 */
export const EipErrors = defineErrors({
  allocationNotFound: {
    code: 'InvalidAllocationId.NotFound',
    status: 404,
    message: (id: string) => `Specified allocation ID is not found: "${id}".`,
    description: 'No EIP with this AllocationId in the account and region.', // AS, UN, RE, MO
  },
  incorrectEipStatus: {
    code: 'IncorrectEipStatus',
    status: 400,
    message: (status: string) => `Current elastic IP status (${status}) does not support this operation.`,
    description: 'The EIP is not in a state the operation accepts (Associate and Release need Available, Unassociate needs InUse, Modify Available or InUse).', // AS, UN, RE, MO
  },
  quota: {
    code: 'QuotaExceeded.Eip',
    status: 400,
    message: (n: number) => `Elastic IP address quota exceeded: at most ${n} EIPs per account in a region.`,
    description: 'AllocateEipAddress beyond the 20 EIPs an account may hold in a region ([LIM]).', // AL
  },
  reserveIpFail: {
    code: 'ReserveIpFail',
    status: 400,
    message: (pool: string) => `Reserve eip failed: no free public address is left in the pool ${pool} (serve --eip-pool).`,
    description: "AllocateEipAddress when every address of the server's EIP pool is allocated.", // AL
  },
  bandwidthInvalid: {
    code: 'InvalidParameter',
    status: 400,
    message: (why: string) => `Specified value of "Bandwidth" is not valid. ${why}`,
    description: 'Bandwidth not an integer in 1..500 (PayByBandwidth) or 1..200 (PayByTraffic).', // AL, MO
  },
  internetChargeTypeInvalid: {
    code: 'InvalidParameter',
    status: 400,
    message: 'Specified value of "InternetChargeType" is not valid; use PayByBandwidth or PayByTraffic.',
  },
  instanceChargeTypeInvalid: {
    code: 'InvalidParameter',
    status: 400,
    message: 'Specified value of "InstanceChargeType" is not valid; use PostPaid or PrePaid.',
  },
  prePaidNotModelled: {
    code: 'InvalidParameter',
    status: 400,
    message:
      'Specified value of "InstanceChargeType" is not supported by eniplane: subscription (PrePaid) EIPs need orders and payment, which eniplane does not model; allocate PostPaid (pay-as-you-go) EIPs.',
    description: 'InstanceChargeType=PrePaid: eniplane has no billing, so only pay-as-you-go EIPs exist.',
  },
  ispInvalid: {
    code: 'InvalidParameter',
    status: 400,
    message: (isp: string, why: string) => `Specified value of "ISP" (${isp}) is not valid. ${why}`,
    description: 'ISP other than BGP, or BGP_PRO outside the regions that offer it; single-line ISPs need a whitelist eniplane does not model.',
  },
  netmodeInvalid: { code: 'InvalidParameter', status: 400, message: 'Specified value of "Netmode" is not valid; the only value is public.' },
  nameMalformed: {
    code: 'InvalidParameter',
    status: 400,
    message: 'Specified value of "Name" is not valid: at most 128 characters, not starting with http:// or https://.',
  },
  descriptionMalformed: {
    code: 'InvalidParameter',
    status: 400,
    message: 'Specified value of "Description" is not valid: at most 256 characters, not starting with http:// or https://.',
  },
  instanceNotFound: {
    code: 'InvalidInstanId.NotFound',
    status: 404,
    message: (id: string) => `Specified instance does not exist: "${id}".`,
    description: 'AssociateEipAddress: no ECS instance or ENI with this ID for the caller (the cloud spells the code "InstanId").', // AS
  },
  regionMismatch: {
    code: 'InvalidParameter.Mismatch',
    status: 400,
    message: (what: string) => `Specified elastic IP address and ${what} are not in the same region.`,
    description: 'AssociateEipAddress: the instance or ENI is in another region than the EIP.', // AS
  },
  associationDuplicated: {
    code: 'InvalidAssociation.Duplicated',
    status: 400,
    message: (why: string) => `Specified instance already is associated: ${why}.`,
    description: 'AssociateEipAddress: the instance already has an EIP, or the private address already has one.', // AS
  },
  incorrectInstanceStatus: {
    code: 'IncorrectInstanceStatus',
    status: 400,
    message: (what: string, status: string, expected: string) =>
      `Current instance status does not support this operation: the ${what} is ${status}, it must be ${expected}.`,
    description: 'The instance is not Running or Stopped, or the ENI is not Available or InUse.', // AS, UN
  },
  instanceTypeNotSupported: {
    code: 'InvalidInstanceType.ValueNotSupported',
    status: 400,
    message: 'The specified value of InstanceType is not supported.',
    description: "InstanceType is not one of the cloud's values.", // AS, UN
  },
  instanceTypeNotModelled: {
    code: 'InvalidInstanceType.ValueNotSupported',
    status: 400,
    message: (type: string) => `The InstanceType "${type}" exists on the cloud, but eniplane does not model it; use EcsInstance or NetworkInterface.`,
    description: 'InstanceType Nat, SlbInstance, HaVip or IpAddress: resources eniplane does not model.',
  },
  modeInvalid: {
    code: 'InvalidParameter',
    status: 400,
    message: 'Specified value of "Mode" is not valid; use NAT, MULTI_BINDED or BINDED.',
  },
  modeNotModelled: {
    code: 'InvalidParameter',
    status: 400,
    message: (mode: string) =>
      `The association mode "${mode}" exists on the cloud, but eniplane associates EIPs in NAT mode only (the cloud no longer grants MULTI_BINDED; BINDED turns the ENI into a public-only interface, which eniplane's data plane does not model).`,
    description: 'Mode BINDED or MULTI_BINDED: eniplane models the NAT mode only.',
  },
  privateIpNotOnTarget: {
    code: 'InvalidParameter',
    status: 400,
    message: (ip: string, target: string) => `The specified parameter "PrivateIpAddress" is not valid: ${ip} is not a private address of ${target}.`,
    description: 'AssociateEipAddress: PrivateIpAddress is not an address of the ENI (or, for an instance, not its primary address).', // AS
  },
  bindingStatus: {
    code: 'InvalidBindingStatus',
    status: 400,
    message: (why: string) => `The eip binding status invalid: ${why}.`,
    description: "UnassociateEipAddress: InstanceId, InstanceType or PrivateIpAddress name another binding than the EIP's.", // UN
  },
  associatedInstanceTypeInvalid: {
    code: 'InvalidIAssociatedInstanceType.ValueNotSupported',
    status: 400,
    message: 'The specified AssociatedInstanceType is not supported.',
    description: 'DescribeEipAddresses: AssociatedInstanceType is not one of the cloud\'s values (the cloud spells the code "InvalidIAssociated...").', // DE
  },
  chargeTypeInvalid: {
    code: 'InvalidChargeType.ValueNotSupported',
    status: 400,
    message: 'The specified ChargeType is not supported; use PostPaid or PrePaid.',
  },
  lockReasonInvalid: {
    code: 'InvalidLockReason.NotFound',
    status: 404,
    message: 'The specified LockReason is not found; use financial or security.',
  },
  /**
   * ECS side: DeleteNetworkInterface / UnassignPrivateIpAddresses on an address that has an EIP.
   * The cloud documents no dedicated code; the ENI error table's state code is the closest.
   */
  eniHasEip: {
    code: 'InvalidOperation.InvalidEniState',
    status: 400,
    message: (eni: string, ip: string, eip: string) =>
      `The operation is not allowed in the current ENI state: the address ${ip} of ENI "${eni}" has the EIP ${eip} associated; unassociate it (UnassociateEipAddress) first.`,
    description: 'DeleteNetworkInterface or UnassignPrivateIpAddresses on an ENI address that has an EIP associated (code inferred: none is documented).',
  },
});

import { defineErrors } from '../api-error.ts';

/**
 * ECS codes of ENI IPv6 addresses and prefixes, with the cloud's messages (AssignIpv6Addresses'
 * and RunInstances' error tables).
 */
export const Ipv6Errors = defineErrors({
  vswitchIpv6Off: {
    code: 'InvalidVSwitch.Ipv6NotTurnOn',
    status: 403,
    message: (vswitchId: string) => `The specified VSwitch "${vswitchId}" ipv6 function not turn on.`,
    description: "The ENI's vSwitch has no IPv6 block (CreateVSwitch / ModifyVSwitchAttribute Ipv6CidrBlock).",
  },
  countExceeded: {
    code: 'InvalidOperation.Ipv6CountExceeded',
    status: 403,
    message: (eniId: string, limit: number, type: string, assigned: number, adding: number) =>
      `The number of eni ${eniId} ipv6 address exceeds the limit(${limit}). target instanceType ${type}. Assigned:${assigned}. Expecting assign:${adding}.`,
    description: "More IPv6 addresses and prefixes than the ENI may hold: 10 while unattached, the instance type's EniIpv6AddressQuantity when attached.",
  },
  notSupported: {
    code: 'InvalidOperation.Ipv6NotSupport',
    status: 403,
    message: (type: string) => `The instanceType of ${type} not support ipv6.`,
  },
  maxPerEniExceeded: {
    code: 'MaxEniIpv6IpsCountExceeded',
    status: 403,
    message: (limit: number, type: string) => `The ENI would hold more IPv6 addresses than instance type ${type} allows per ENI (${limit}).`,
    description: 'RunInstances / CreateInstance: an ENI of the new instance asks for more IPv6 addresses than its type allows.',
  },
  amountWithAddresses: {
    code: 'InvalidParam.Amount',
    status: 403,
    message: 'With Amount above 1, IPv6 addresses cannot be given by list (Ipv6Address.N): use Ipv6AddressCount.',
  },
  addressInvalid: {
    code: 'InvalidIp.Address',
    status: 403,
    message: (ip: string) => `The specified ipAddress "${ip}" is invalid.`,
    description: "Not an IPv6 address, outside the vSwitch's /64 or one it keeps; for a prefix, not a standard /80 inside it.",
  },
});

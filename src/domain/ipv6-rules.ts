import { Ipv6Errors } from '../errors/ecs/ipv6.ts';
import type { InstanceTypeSpec } from './instance-types.ts';

/**
 * How many IPv6 addresses an ENI may hold (AssignIpv6Addresses: "If the ENI is in the Available
 * state, you can allocate up to 10 IPv6 addresses … If the ENI is attached to an instance, the
 * number … is limited by the instance type", EniIpv6AddressQuantity).
 *
 * chosen: an IPv6 /80 prefix counts as one entry against the same limit, as the cloud sizes IPv4
 * prefixes against the per-ENI address count (Terway's prefix mode does the same arithmetic).
 */
const MAX_IPV6_AVAILABLE_ENI = 10;

function ipv6LimitFor(status: string, type: InstanceTypeSpec | undefined): number {
  if (status === 'Available' || !type) return MAX_IPV6_AVAILABLE_ENI;
  return type.eniIpv6AddressQuantity;
}

/** AssignIpv6Addresses (and CreateNetworkInterface): `held` entries already, `adding` more. */
export function assertIpv6Room(eniId: string, status: string, type: InstanceTypeSpec | undefined, held: number, adding: number): void {
  if (type && status !== 'Available' && type.eniIpv6AddressQuantity === 0) throw Ipv6Errors.notSupported(type.instanceTypeId);
  const limit = ipv6LimitFor(status, type);
  if (held + adding > limit) throw Ipv6Errors.countExceeded(eniId, limit, type?.instanceTypeId ?? '', held, adding);
}

/**
 * An ENI joining an instance (attach, launch) with `count` IPv6 entries: the type must take IPv6
 * at all, and that many per ENI. At launch the cloud answers MaxEniIpv6IpsCountExceeded; at attach
 * InvalidOperation.Ipv6CountExceeded.
 */
export function assertIpv6FitsType(eniId: string, count: number, type: InstanceTypeSpec, when: 'attach' | 'launch'): void {
  if (count === 0) return;
  if (type.eniIpv6AddressQuantity === 0) throw Ipv6Errors.notSupported(type.instanceTypeId);
  if (count <= type.eniIpv6AddressQuantity) return;
  if (when === 'launch') throw Ipv6Errors.maxPerEniExceeded(type.eniIpv6AddressQuantity, type.instanceTypeId);
  throw Ipv6Errors.countExceeded(eniId, type.eniIpv6AddressQuantity, type.instanceTypeId, count, 0);
}

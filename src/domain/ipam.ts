import type { Random } from '../lib/random.ts';
import { intToIpv4, ipv4ToInt, netContainsIp, vswitchReserved, type Ipv4Net } from './cidr.ts';

/**
 * Address management for a vSwitch, after Neutron's allocation pools: the vSwitch keeps its free
 * addresses as ranges; an automatic pick draws a uniform random point of the usable span and
 * takes the first free address at or after it (wrapping), so a pick costs two index lookups
 * whether the vSwitch is empty or nearly full. These functions are the pure part; the store
 * applies the operations they return.
 */

export interface FreeRange {
  first: number;
  last: number;
}

export type RangeOp = { kind: 'delete'; first: number } | { kind: 'update'; first: number; to: FreeRange } | { kind: 'insert'; range: FreeRange };

/** The whole usable span of a vSwitch: after the network address, before the last three. */
export function usableSpan(net: Ipv4Net): FreeRange {
  const r = vswitchReserved(net);
  return { first: r.firstUsable, last: r.lastUsable };
}

export function randomPoint(span: FreeRange, random: Random): number {
  return span.first + random.int(span.last - span.first + 1);
}

/** The operations that remove `address` from the free range holding it. */
export function takeFromRange(range: FreeRange, address: number): RangeOp[] {
  if (address < range.first || address > range.last) throw new Error(`address ${address} is not in range ${range.first}-${range.last}`);
  if (range.first === range.last) return [{ kind: 'delete', first: range.first }];
  if (address === range.first) return [{ kind: 'update', first: range.first, to: { first: address + 1, last: range.last } }];
  if (address === range.last) return [{ kind: 'update', first: range.first, to: { first: range.first, last: address - 1 } }];
  return [
    { kind: 'update', first: range.first, to: { first: range.first, last: address - 1 } },
    { kind: 'insert', range: { first: address + 1, last: range.last } },
  ];
}

/** The operations that give `address` back, merging with the free ranges just before and after it. */
export function releaseIntoRanges(address: number, before: FreeRange | undefined, after: FreeRange | undefined): RangeOp[] {
  const joinsBefore = before !== undefined && before.last === address - 1;
  const joinsAfter = after !== undefined && after.first === address + 1;
  if (joinsBefore && joinsAfter) {
    return [
      { kind: 'delete', first: after.first },
      { kind: 'update', first: before.first, to: { first: before.first, last: after.last } },
    ];
  }
  if (joinsBefore) return [{ kind: 'update', first: before.first, to: { first: before.first, last: address } }];
  if (joinsAfter) return [{ kind: 'update', first: after.first, to: { first: address, last: after.last } }];
  return [{ kind: 'insert', range: { first: address, last: address } }];
}

export type AddressProblem = 'malformed' | 'outside' | 'reserved';

/** Checks an address a caller asked for: IPv4, inside the vSwitch CIDR, not a reserved address. */
export function checkRequestedAddress(text: string, net: Ipv4Net): number | AddressProblem {
  const n = ipv4ToInt(text);
  if (n === null) return 'malformed';
  if (!netContainsIp(net, n)) return 'outside';
  const span = usableSpan(net);
  if (n < span.first || n > span.last) return 'reserved';
  return n;
}

export { intToIpv4 };

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

/** Removes the block `first`..`last` (inside `range`) from a free range: what carving an IPv4 prefix does. */
export function takeBlockFromRange(range: FreeRange, first: number, last: number): RangeOp[] {
  if (first > last || first < range.first || last > range.last) throw new Error(`block ${first}-${last} is not in range ${range.first}-${range.last}`);
  if (first === range.first && last === range.last) return [{ kind: 'delete', first: range.first }];
  if (first === range.first) return [{ kind: 'update', first: range.first, to: { first: last + 1, last: range.last } }];
  if (last === range.last) return [{ kind: 'update', first: range.first, to: { first: range.first, last: first - 1 } }];
  return [
    { kind: 'update', first: range.first, to: { first: range.first, last: first - 1 } },
    { kind: 'insert', range: { first: last + 1, last: range.last } },
  ];
}

/** The operations that give the block `first`..`last` back, merging with the free ranges just before and after it. */
export function releaseBlockIntoRanges(first: number, last: number, before: FreeRange | undefined, after: FreeRange | undefined): RangeOp[] {
  const joinsBefore = before !== undefined && before.last === first - 1;
  const joinsAfter = after !== undefined && after.first === last + 1;
  if (joinsBefore && joinsAfter) {
    return [
      { kind: 'delete', first: after.first },
      { kind: 'update', first: before.first, to: { first: before.first, last: after.last } },
    ];
  }
  if (joinsBefore) return [{ kind: 'update', first: before.first, to: { first: before.first, last } }];
  if (joinsAfter) return [{ kind: 'update', first: after.first, to: { first, last: after.last } }];
  return [{ kind: 'insert', range: { first, last } }];
}

// --- IPv4 prefixes ---

/**
 * An ENI's IPv4 prefix is a /28: 16 addresses whose first is divisible by 16 ("IP prefixes":
 * "The subnet mask for IPv4 prefixes is /28", "must be a standard CIDR block").
 */
export const IPV4_PREFIX_LENGTH = 28;
export const IPV4_PREFIX_SIZE = 16;

/** The first aligned block at or after `address`. */
export function alignUp(address: number): number {
  return Math.ceil(address / IPV4_PREFIX_SIZE) * IPV4_PREFIX_SIZE;
}

/**
 * The first aligned /28 lying wholly inside a free range, or null: kept beside each free range
 * (ip_free_ranges.block_start), so a prefix pick finds a range with room by an index lookup.
 */
export function firstBlockIn(range: FreeRange, from = range.first): number | null {
  const start = alignUp(Math.max(from, range.first));
  return start + IPV4_PREFIX_SIZE - 1 <= range.last ? start : null;
}

export function ipv4PrefixText(first: number): string {
  return `${intToIpv4(first)}/${IPV4_PREFIX_LENGTH}`;
}

export type PrefixProblem = 'malformed' | 'length' | 'unaligned' | 'outside' | 'reserved';

/**
 * Checks a prefix a caller asked for (Ipv4Prefix.N): CIDR notation, exactly /28, a standard CIDR
 * block (10.0.0.17/28 is not: its network address is 10.0.0.16), inside the vSwitch CIDR and
 * clear of its reserved addresses. Answers the prefix's first address.
 */
export function checkRequestedPrefix(text: string, net: Ipv4Net): number | PrefixProblem {
  const m = /^(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})$/.exec(text);
  if (!m) return 'malformed';
  const first = ipv4ToInt(m[1]!);
  if (first === null) return 'malformed';
  if (Number(m[2]) !== IPV4_PREFIX_LENGTH) return 'length';
  if (first % IPV4_PREFIX_SIZE !== 0) return 'unaligned';
  if (!netContainsIp(net, first) || !netContainsIp(net, first + IPV4_PREFIX_SIZE - 1)) return 'outside';
  const span = usableSpan(net);
  if (first < span.first || first + IPV4_PREFIX_SIZE - 1 > span.last) return 'reserved';
  return first;
}

/** A uniform random aligned block start in the usable span (or its first block, if the span holds none). */
export function randomBlockPoint(span: FreeRange, random: Random): number {
  const lowest = alignUp(span.first);
  const blocks = Math.floor((span.last + 1 - lowest) / IPV4_PREFIX_SIZE);
  return blocks <= 0 ? lowest : lowest + random.int(blocks) * IPV4_PREFIX_SIZE;
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

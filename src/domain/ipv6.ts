import ipaddr from 'ipaddr.js';
import type { Random } from '../lib/random.ts';

/**
 * IPv6 in a VPC, as the cloud lays it out: the VPC gets a /56 (from the server's pool, `serve
 * --ipv6-pool`), each vSwitch the /64 whose last eight bits of network part the caller chooses
 * (CreateVSwitch Ipv6CidrBlock 0-255), and an ENI takes addresses (and /80 prefixes) in its
 * vSwitch's /64. Addresses are 128-bit bigints here; the text form is RFC 5952's (lower case,
 * longest zero run compressed), so one address has one spelling in the store.
 */

export interface Ipv6Net {
  /** The network address. */
  base: bigint;
  prefixLength: number;
}

const ALL_ONES = (1n << 128n) - 1n;

/** The address a text names, or null when it is not a plain IPv6 address (a zone index is refused). */
export function parseIpv6(text: string): bigint | null {
  if (text.includes('%') || !ipaddr.IPv6.isValid(text)) return null;
  let n = 0n;
  for (const part of ipaddr.IPv6.parse(text).parts) n = (n << 16n) | BigInt(part);
  return n;
}

/** An address as the store spells it (RFC 5952), or the text itself when it is none (it then matches nothing). */
export function spelledIpv6(text: string): string {
  const n = parseIpv6(text);
  return n === null ? text : formatIpv6(n);
}

export function formatIpv6(n: bigint): string {
  const parts: number[] = [];
  for (let i = 7; i >= 0; i--) parts.push(Number((n >> BigInt(i * 16)) & 0xffffn));
  return new ipaddr.IPv6(parts).toRFC5952String();
}

/** A CIDR in IPv6, only when its address is the network address (the cloud's "standard CIDR block"). */
export function parseIpv6Cidr(text: string): Ipv6Net | null {
  const slash = text.indexOf('/');
  if (slash < 0) return null;
  const base = parseIpv6(text.slice(0, slash));
  const lenText = text.slice(slash + 1);
  if (base === null || !/^\d{1,3}$/.test(lenText)) return null;
  const prefixLength = Number(lenText);
  if (prefixLength > 128) return null;
  if ((base & hostMask(prefixLength)) !== 0n) return null;
  return { base, prefixLength };
}

export function formatIpv6Cidr(net: Ipv6Net): string {
  return `${formatIpv6(net.base)}/${net.prefixLength}`;
}

function hostMask(prefixLength: number): bigint {
  return ALL_ONES >> BigInt(prefixLength);
}

export function ipv6NetContains(net: Ipv6Net, address: bigint): boolean {
  return (address & ~hostMask(net.prefixLength) & ALL_ONES) === net.base;
}

/** A uniform bigint in [0, 2^bits) drawn from a Random that only draws below 2^31. */
function randomBits(random: Random, bits: number): bigint {
  let n = 0n;
  for (let left = bits; left > 0; left -= 24) {
    const take = Math.min(24, left);
    n = (n << BigInt(take)) | BigInt(random.int(2 ** take));
  }
  return n;
}

/** A VPC's IPv6 block: the /56 of the pool at a random position. */
export function randomVpcIpv6Block(pool: Ipv6Net, random: Random): Ipv6Net {
  const spare = VPC_IPV6_PREFIX - pool.prefixLength;
  return { base: pool.base | (randomBits(random, spare) << BigInt(128 - VPC_IPV6_PREFIX)), prefixLength: VPC_IPV6_PREFIX };
}

const VPC_IPV6_PREFIX = 56;

/** The server's IPv6 pool (`serve --ipv6-pool`): an IPv6 network of /56 or larger; VPC blocks are drawn from it. */
export function parseIpv6Pool(text: string): Ipv6Net {
  const net = parseIpv6Cidr(text);
  if (!net || net.prefixLength > VPC_IPV6_PREFIX || net.prefixLength < 8) {
    throw new Error(`bad IPv6 pool "${text}": give an IPv6 network from /8 to /56 with no host bits, such as 2001:db8::/32`);
  }
  return net;
}
const VSWITCH_IPV6_PREFIX = 64;
const IPV6_PREFIX_LENGTH = 80;

/** The vSwitch /64 whose last eight network bits are `index` (0-255) inside the VPC's /56. */
export function vswitchIpv6Block(vpcBlock: Ipv6Net, index: number): Ipv6Net {
  return { base: vpcBlock.base | (BigInt(index) << 64n), prefixLength: VSWITCH_IPV6_PREFIX };
}

/**
 * chosen: the cloud does not publish which IPv6 host addresses of a vSwitch it keeps; the metadata
 * service shows the gateway as the /64's last address minus 8 (…:ffff:ffff:ffff:fff7). eniplane
 * keeps host 0 (the subnet-router anycast address) and the last nine (the gateway and above).
 */
const RESERVED_AT_END = 9n;
const HOSTS = 1n << 64n;

export function ipv6Gateway(vswitchBlock: Ipv6Net): bigint {
  return vswitchBlock.base + HOSTS - 9n;
}

type Ipv6Problem = 'malformed' | 'outside' | 'reserved';

/** Checks an IPv6 address a caller asked for in a vSwitch's /64. */
export function checkRequestedIpv6(text: string, vswitchBlock: Ipv6Net): bigint | Ipv6Problem {
  const n = parseIpv6(text);
  if (n === null) return 'malformed';
  if (!ipv6NetContains(vswitchBlock, n)) return 'outside';
  const host = n - vswitchBlock.base;
  if (host === 0n || host >= HOSTS - RESERVED_AT_END) return 'reserved';
  return n;
}

/** A random usable address of a vSwitch's /64. */
export function randomIpv6Host(vswitchBlock: Ipv6Net, random: Random): bigint {
  for (;;) {
    const host = randomBits(random, 64);
    if (host !== 0n && host < HOSTS - RESERVED_AT_END) return vswitchBlock.base + host;
  }
}

/**
 * The /80 of a /64 an address falls in, as its index 0-65535 (the 16 bits after the /64's): an
 * ENI's /80 prefix and every address are kept apart by comparing these.
 */
export function block80Of(address: bigint): number {
  return Number((address >> 48n) & 0xffffn);
}

export function ipv6PrefixAt(vswitchBlock: Ipv6Net, block: number): Ipv6Net {
  return { base: vswitchBlock.base | (BigInt(block) << 48n), prefixLength: IPV6_PREFIX_LENGTH };
}

/**
 * chosen: the /80 holding the reserved addresses (the first, holding host 0, and the last, holding
 * the gateway) is never handed out as a prefix, so a prefix is always wholly usable.
 */
export function randomIpv6PrefixBlock(random: Random): number {
  return 1 + random.int(65534);
}

type Ipv6PrefixProblem = 'malformed' | 'outside' | 'reserved';

/** Checks an IPv6 /80 prefix a caller asked for: a standard /80 inside the vSwitch's /64. */
export function checkRequestedIpv6Prefix(text: string, vswitchBlock: Ipv6Net): number | Ipv6PrefixProblem {
  const net = parseIpv6Cidr(text);
  if (!net || net.prefixLength !== IPV6_PREFIX_LENGTH) return 'malformed';
  if (!ipv6NetContains(vswitchBlock, net.base)) return 'outside';
  const block = block80Of(net.base);
  if (block === 0 || block === 0xffff) return 'reserved';
  return block;
}

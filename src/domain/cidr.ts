import ipaddr from 'ipaddr.js';

/** An IPv4 network as numbers: `first` is the network address, `size` its address count. */
export interface Ipv4Net {
  text: string;
  first: number;
  prefix: number;
  size: number;
}

export function ipv4ToInt(ip: string): number | null {
  if (!ipaddr.IPv4.isValidFourPartDecimal(ip)) return null;
  const b = ipaddr.IPv4.parse(ip).octets;
  return ((b[0]! << 24) >>> 0) + (b[1]! << 16) + (b[2]! << 8) + b[3]!;
}

export function intToIpv4(n: number): string {
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
}

export type CidrProblem = 'syntax' | 'host-bits';

/** Parses `a.b.c.d/n`; the address must be the network address (no host bits). */
export function parseIpv4Cidr(text: string): Ipv4Net | CidrProblem {
  const m = /^(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,2})$/.exec(text.trim());
  if (!m) return 'syntax';
  const first = ipv4ToInt(m[1]!);
  const prefix = Number(m[2]);
  if (first === null || prefix > 32) return 'syntax';
  const size = 2 ** (32 - prefix);
  if (first % size !== 0) return 'host-bits';
  return { text: `${intToIpv4(first)}/${prefix}`, first, prefix, size };
}

export function netContains(outer: Ipv4Net, inner: Ipv4Net): boolean {
  return inner.first >= outer.first && inner.first + inner.size <= outer.first + outer.size;
}

export function netsOverlap(a: Ipv4Net, b: Ipv4Net): boolean {
  return a.first < b.first + b.size && b.first < a.first + a.size;
}

export function netContainsIp(net: Ipv4Net, ip: number): boolean {
  return ip >= net.first && ip < net.first + net.size;
}

function net(text: string): Ipv4Net {
  return parseIpv4Cidr(text) as Ipv4Net;
}

/** Ranges the cloud refuses for VPCs and vSwitches (VPC-SDK CreateVpc/CreateVSwitch remarks). */
export const FORBIDDEN_RANGES: readonly Ipv4Net[] = ['100.64.0.0/10', '224.0.0.0/4', '127.0.0.0/8', '169.254.0.0/16'].map(net);

/** The recommended private blocks; their subnets may be as large as the block itself. */
export const STANDARD_VPC_BLOCKS: readonly Ipv4Net[] = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16'].map(net);

/**
 * vSwitch addressing: the first address and the last three are reserved (the gateway is the
 * first of those three, x.x.x.253 in a /24), so a /24 offers 252 addresses.
 */
export function vswitchReserved(netw: Ipv4Net): { usable: number; firstUsable: number; lastUsable: number; gateway: number } {
  return { usable: netw.size - 4, firstUsable: netw.first + 1, lastUsable: netw.first + netw.size - 4, gateway: netw.first + netw.size - 3 };
}

/** The netmask of a prefix, e.g. 24 → 255.255.255.0. */
export function netmask(prefix: number): string {
  return intToIpv4(prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0);
}

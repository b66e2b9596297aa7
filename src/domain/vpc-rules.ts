import { VpcErrors } from '../errors/vpc/vpcs.ts';
import { FORBIDDEN_RANGES, STANDARD_VPC_BLOCKS, netContains, netsOverlap, parseIpv4Cidr, type Ipv4Net } from './cidr.ts';

/** The default when CreateVpc names no CIDR (the console's historical default). */
export const DEFAULT_VPC_CIDR = '172.16.0.0/12';

function parseOrThrow(text: string): Ipv4Net {
  const parsed = parseIpv4Cidr(text);
  if (parsed === 'syntax') throw VpcErrors.cidrMalformed(text, 'Use the form a.b.c.d/n.');
  if (parsed === 'host-bits') throw VpcErrors.cidrMalformed(text, 'The address must be the network address of the block.');
  const forbidden = FORBIDDEN_RANGES.find((r) => netsOverlap(r, parsed));
  if (forbidden) throw VpcErrors.cidrMalformed(text, `It overlaps ${forbidden.text}, which the cloud reserves.`);
  return parsed;
}

/**
 * A VPC CIDR: one of the standard private blocks or a subnet of one (mask up to /28), or a custom
 * block with a mask of 16 to 28, never in a reserved range.
 */
export function validateVpcCidr(text: string): Ipv4Net {
  const cidr = parseOrThrow(text);
  const inStandard = STANDARD_VPC_BLOCKS.some((b) => netContains(b, cidr));
  if (cidr.prefix > 28) throw VpcErrors.vpcCidrInvalid(text, 'The mask must be at most 28.');
  if (!inStandard && cidr.prefix < 16) throw VpcErrors.vpcCidrInvalid(text, 'A custom block needs a mask of 16 to 28.');
  return cidr;
}

/** A vSwitch CIDR: mask 16..29, inside the VPC, overlapping no sibling. */
export function validateVSwitchCidr(text: string, vpcCidr: Ipv4Net, siblings: readonly Ipv4Net[]): Ipv4Net {
  const cidr = parseOrThrow(text);
  if (cidr.prefix < 16 || cidr.prefix > 29) throw VpcErrors.maskLength(text);
  if (!netContains(vpcCidr, cidr)) throw VpcErrors.vswitchCidrNotInVpc(text, vpcCidr.text);
  const clash = siblings.find((s) => netsOverlap(s, cidr));
  if (clash) throw VpcErrors.cidrOverlapped(text, clash.text);
  return cidr;
}

/** CreateVSwitch with CidrMask: the lowest free block of that size in the VPC. */
export function pickVSwitchCidr(mask: number, vpcCidr: Ipv4Net, siblings: readonly Ipv4Net[]): Ipv4Net {
  if (mask < 16 || mask > 29 || mask < vpcCidr.prefix) throw VpcErrors.maskLength(`/${mask}`);
  const size = 2 ** (32 - mask);
  for (let first = vpcCidr.first; first + size <= vpcCidr.first + vpcCidr.size; first += size) {
    const candidate: Ipv4Net = { text: '', first, prefix: mask, size };
    if (!siblings.some((s) => netsOverlap(s, candidate))) {
      return parseIpv4Cidr(`${[first >>> 24, (first >>> 16) & 255, (first >>> 8) & 255, first & 255].join('.')}/${mask}`) as Ipv4Net;
    }
  }
  throw VpcErrors.noFreeCidr(mask);
}

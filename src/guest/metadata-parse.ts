import ipaddr from 'ipaddr.js';
import { parseIpv4Cidr } from '../domain/cidr.ts';
import { assignIndexes, type NicIndexes } from './index-state.ts';
import type { GuestEni, GuestModel } from './model.ts';

/**
 * Pure half of the metadata client: the text of metadata items -> a GuestModel. No I/O here, so
 * every malformed answer the service could give is tested without a server.
 */

/** The per-MAC items a guest needs (metadata-service.md §2), as the service answered them. */
export interface RawMacItems {
  'network-interface-id': string;
  'primary-ip-address': string;
  'private-ipv4s': string;
  netmask: string;
  gateway: string;
  'vswitch-id': string;
  'vswitch-cidr-block': string;
  'vpc-id': string;
  'vpc-cidr-block': string;
  // IPv6 and prefix items: HTTP 404 (absent here) means none (metadata-service.md §1-2).
  ipv6s?: string;
  'ipv6-gateway'?: string;
  'vswitch-ipv6-cidr-block'?: string;
  'vpc-ipv6-cidr-blocks'?: string;
  'ipv4-prefixes'?: string;
  'ipv6-prefixes'?: string;
}

export const MAC_ITEMS: readonly (keyof RawMacItems)[] = [
  'network-interface-id',
  'primary-ip-address',
  'private-ipv4s',
  'netmask',
  'gateway',
  'vswitch-id',
  'vswitch-cidr-block',
  'vpc-id',
  'vpc-cidr-block',
];

/**
 * Items an ENI may lack: the service answers 404 when the ENI has no IPv6 address, the vSwitch
 * or VPC no IPv6 CIDR block, or the ENI no prefix (Terway reads a 404 on `ipv6s` as "none").
 *
 * Formats parsed (parseMetadataList accepts all three shapes for every list item):
 * - `ipv6s`: bracketed, comma separated, unquoted: `[2408:4005:3a2:c704::1a2b,2408:4005:3a2:c704::3c4d]`
 *   (metadata-service.md; Terway strips the brackets and splits on `,`).
 * - `ipv6-gateway`: one address, `2408:4005:3a2:c704:ffff:ffff:ffff:fff7`.
 * - `vswitch-ipv6-cidr-block`: one CIDR, `2408:4005:3a2:c704::/64`.
 * - `vpc-ipv6-cidr-blocks`: bracketed, unquoted: `[2408:4005:3a2:c700::/56]`.
 * - `ipv4-prefixes`: chosen: a JSON array of quoted strings like its IPv4 sibling `private-ipv4s`:
 *   `["192.168.1.32/28","192.168.1.48/28"]`. The docs show only one bare value
 *   (`192.168.XX.XX/28`), which parses too.
 * - `ipv6-prefixes`: chosen: bracketed, unquoted like its IPv6 sibling `ipv6s`:
 *   `[2408:4005:3a2:c704:1a2b::/80,2408:4005:3a2:c704:3c4d::/80]`. The docs show one bare value
 *   (`2001:db8:1234:1a00:XXXX::/80`), which parses too.
 */
export const OPTIONAL_MAC_ITEMS = ['ipv6s', 'ipv6-gateway', 'vswitch-ipv6-cidr-block', 'vpc-ipv6-cidr-blocks', 'ipv4-prefixes', 'ipv6-prefixes'] as const;

/** The items holding lists, read whole (every other leaf is read up to its first line). */
export const LIST_ITEMS: ReadonlySet<string> = new Set(['private-ipv4s', 'ipv6s', 'vpc-ipv6-cidr-blocks', 'ipv4-prefixes', 'ipv6-prefixes']);

/** One instance's metadata, as read: top-level items plus the per-MAC directories. */
export interface RawInstanceMetadata {
  instanceId: string;
  regionId: string;
  zoneId: string;
  /** Top-level `mac`: the primary ENI. */
  primaryMac: string;
  imageId?: string;
  nameservers?: string;
  macs: Record<string, RawMacItems>;
}

const MAC_RE = /^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/;

/** A directory listing: one child per line, sub-directories with a trailing `/`. */
export function parseListing(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim().replace(/\/$/, ''))
    .filter((line) => line !== '');
}

/** Leaves are one line; Terway reads only the first (metadata-service.md §1). */
export function firstLine(text: string): string {
  return (text.split('\n')[0] ?? '').trim();
}

export function normalizeMac(text: string, what: string): string {
  const mac = text.trim().toLowerCase();
  if (!MAC_RE.test(mac)) throw new Error(`metadata ${what} "${text}" is not a MAC address`);
  return mac;
}

function ipv4(text: string, what: string): string {
  const v = text.trim();
  if (!ipaddr.IPv4.isValidFourPartDecimal(v)) throw new Error(`metadata ${what} "${text}" is not an IPv4 address`);
  return v;
}

/** `private-ipv4s` is a JSON array of strings (unlike the bracketed, unquoted `ipv6s`). */
export function parseIpv4List(text: string, what: string): string[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw new Error(`metadata ${what} is not a JSON array: ${JSON.stringify(text.slice(0, 80))}`);
  }
  if (!Array.isArray(doc) || doc.some((x) => typeof x !== 'string')) throw new Error(`metadata ${what} is not a JSON array of strings`);
  return (doc as string[]).map((ip) => ipv4(ip, what));
}

/**
 * A list item in any of the shapes the metadata service uses: JSON (`["a","b"]`), bracketed and
 * unquoted (`[a,b]`), or bare values one per line or comma separated (`a`). Empty (`[]`, ``) is
 * no element.
 */
export function parseMetadataList(text: string): string[] {
  let body = text.trim();
  if (body.startsWith('[') && body.endsWith(']')) body = body.slice(1, -1);
  return body
    .split(/[\s,]+/)
    .map((x) => x.replace(/^"(.*)"$/, '$1').trim())
    .filter((x) => x !== '');
}

function ipv6(text: string, what: string): string {
  const v = text.trim();
  if (!ipaddr.IPv6.isValid(v) || v.includes('%')) throw new Error(`metadata ${what} "${text}" is not an IPv6 address`);
  // RFC 5952 (compressed, lower case), the form `ip` prints and compares.
  return ipaddr.IPv6.parse(v).toString();
}

/** An IPv6 CIDR block with no host bits, in RFC 5952 form. */
function ipv6Cidr(text: string, what: string): string {
  const v = text.trim();
  if (!ipaddr.IPv6.isValidCIDR(v)) throw new Error(`metadata ${what} "${text}" is not an IPv6 CIDR block`);
  const [addr, len] = ipaddr.IPv6.parseCIDR(v);
  const network = ipaddr.IPv6.networkAddressFromCIDR(v).toString();
  if (network !== addr.toString()) throw new Error(`metadata ${what} "${text}" is not an IPv6 CIDR block (host bits set)`);
  return `${network}/${len}`;
}

/** `ipv6s`: the ENI's IPv6 addresses (bracketed, unquoted). */
export function parseIpv6List(text: string, what: string): string[] {
  return [...new Set(parseMetadataList(text).map((ip) => ipv6(ip, what)))];
}

/** Dotted netmask -> prefix length; refuses non-contiguous masks. */
export function netmaskToPrefix(mask: string, what = 'netmask'): number {
  const m = ipv4(mask, what);
  try {
    const prefix = ipaddr.IPv4.parse(m).prefixLengthFromSubnetMask();
    if (prefix === null) throw new Error('not contiguous');
    return prefix;
  } catch {
    throw new Error(`metadata ${what} "${mask}" is not a contiguous netmask`);
  }
}

function cidr(text: string, what: string): string {
  const parsed = parseIpv4Cidr(text.trim());
  if (typeof parsed === 'string') throw new Error(`metadata ${what} "${text}" is not an IPv4 CIDR block (${parsed})`);
  return parsed.text;
}

/** `dns-conf/nameservers`: one address per line. */
export function parseNameservers(text: string): string[] {
  return parseListing(text).map((ip) => ipv4(ip, 'dns-conf/nameservers'));
}

/** The optional per-MAC items; absent (404) is none. */
function ipv6AndPrefixes(items: RawMacItems, where: (item: string) => string) {
  const list = (item: keyof RawMacItems) => (items[item] === undefined ? [] : parseMetadataList(items[item]));
  const one = (item: keyof RawMacItems) => (items[item] === undefined || items[item].trim() === '' ? undefined : items[item]);
  const gateway = one('ipv6-gateway');
  const vswitch = one('vswitch-ipv6-cidr-block');
  return {
    ipv6s: items.ipv6s === undefined ? [] : parseIpv6List(items.ipv6s, where('ipv6s')),
    ...(gateway === undefined ? {} : { ipv6Gateway: ipv6(gateway, where('ipv6-gateway')) }),
    ...(vswitch === undefined ? {} : { vswitchIpv6Cidr: ipv6Cidr(vswitch, where('vswitch-ipv6-cidr-block')) }),
    vpcIpv6Cidrs: list('vpc-ipv6-cidr-blocks').map((c) => ipv6Cidr(c, where('vpc-ipv6-cidr-blocks'))),
    ipv4Prefixes: [...new Set(list('ipv4-prefixes').map((c) => cidr(c, where('ipv4-prefixes'))))],
    ipv6Prefixes: [...new Set(list('ipv6-prefixes').map((c) => ipv6Cidr(c, where('ipv6-prefixes'))))],
  };
}

function eniOf(mac: string, items: RawMacItems, index: number, primary: boolean): GuestEni {
  const where = (item: string) => `macs/${mac}/${item}`;
  const primaryIp = ipv4(items['primary-ip-address'], where('primary-ip-address'));
  const all = parseIpv4List(items['private-ipv4s'], where('private-ipv4s'));
  const vswitchCidr = cidr(items['vswitch-cidr-block'], where('vswitch-cidr-block'));
  const prefixLength = netmaskToPrefix(items.netmask, where('netmask'));
  if (Number(vswitchCidr.split('/')[1]) !== prefixLength) {
    throw new Error(`metadata ${where('netmask')} ${items.netmask} does not match vswitch-cidr-block ${vswitchCidr}`);
  }
  return {
    mac,
    eniId: items['network-interface-id'].trim(),
    primary,
    index,
    ifname: `eth${index}`,
    primaryIp,
    // The listing may or may not include the primary address; either way it is not secondary.
    secondaryIps: [...new Set(all.filter((ip) => ip !== primaryIp))],
    netmask: items.netmask.trim(),
    prefixLength,
    gateway: ipv4(items.gateway, where('gateway')),
    vswitchId: items['vswitch-id'].trim(),
    vswitchCidr,
    vpcId: items['vpc-id'].trim(),
    vpcCidr: cidr(items['vpc-cidr-block'], where('vpc-cidr-block')),
    ...ipv6AndPrefixes(items, where),
  };
}

/** Raw metadata + remembered indexes -> the model and the indexes to remember. */
export function buildGuestModel(raw: RawInstanceMetadata, previous: NicIndexes): { model: GuestModel; indexes: NicIndexes } {
  const macs = Object.keys(raw.macs);
  const indexes = assignIndexes(previous, macs, raw.primaryMac);
  const enis = macs.map((mac) => eniOf(mac, raw.macs[mac]!, indexes[mac]!, mac === raw.primaryMac)).sort((a, b) => a.index - b.index);
  const model: GuestModel = { instanceId: raw.instanceId, regionId: raw.regionId, zoneId: raw.zoneId, enis };
  if (raw.imageId) model.imageId = raw.imageId;
  if (raw.nameservers !== undefined) {
    const ns = parseNameservers(raw.nameservers);
    if (ns.length) model.nameservers = ns;
  }
  return { model, indexes };
}

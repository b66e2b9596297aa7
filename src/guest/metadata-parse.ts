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

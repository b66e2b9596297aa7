import { intToIpv4, netmask, parseIpv4Cidr, vswitchReserved, type Ipv4Net } from '../domain/cidr.ts';
import { formatIpv6, ipv6Gateway, parseIpv6Cidr } from '../domain/ipv6.ts';
import type { Tag } from '../domain/tags.ts';
import { dir, json, lines, text, type MetadataDir, type MetadataLeaf, type MetadataNode } from './tree.ts';

/** One ENI as the guest sees it: only ENIs attached to the instance (InUse) are given. */
export interface MetadataEni {
  id: string;
  mac: string;
  primary: boolean;
  primaryIp: string;
  /** Every private IPv4 of the ENI, its primary address first. */
  privateIps: string[];
  vswitchId: string;
  vswitchCidr: string;
  vpcId: string;
  vpcCidr: string;
  /** The vSwitch's and the VPC's IPv6 blocks, '' when IPv6 is off. */
  vswitchIpv6Cidr: string;
  vpcIpv6Cidr: string;
  /** The ENI's IPv6 addresses and /80 prefixes, and its IPv4 /28 prefixes. */
  ipv6s: string[];
  ipv6Prefixes: string[];
  ipv4Prefixes: string[];
}

/** Everything the metadata tree of one instance is built from. */
export interface MetadataInstance {
  id: string;
  accountId: string;
  regionId: string;
  zoneId: string;
  hostName: string;
  name: string;
  instanceType: string;
  imageId: string;
  /** RunInstances' UserData, base64 as given; '' when none. */
  userData: string;
  /** The EIP on the primary ENI's primary address, if any. */
  publicIp?: string;
  /** Shown under tags/instance/ only when InstanceMetadataTags is enabled. */
  tags: Tag[];
  tagsInMetadata: boolean;
  /** Primary first, then in attachment order. */
  enis: MetadataEni[];
  /** The instance RAM role and the credentials served for it now (ram/security-credentials/). */
  ram?: { roleName: string; credentials: string };
}

/** The resolvers of a VPC (metadata-service.md §2, cloud-init fixture). */
export const NAMESERVERS = ['100.100.2.136', '100.100.2.138'];

function cidr(textCidr: string): Ipv4Net {
  const parsed = parseIpv4Cidr(textCidr);
  if (typeof parsed === 'string') throw new Error(`stored CIDR "${textCidr}" is malformed (${parsed})`);
  return parsed;
}

/** `[a,b]`: the bracketed, comma-separated, unquoted lists of the IPv6 items (metadata-service.md); none: no item (404). */
function bracketed(values: readonly string[]): MetadataLeaf | undefined {
  return values.length ? text(`[${values.join(',')}]`) : undefined;
}

/**
 * The per-MAC directory (network/interfaces/macs/<mac>/). The IPv6 and prefix items exist only
 * when there is something to say: Terway reads a 404 on `ipv6s` as "no IPv6".
 */
function macDir(eni: MetadataEni): MetadataDir {
  const vsw = cidr(eni.vswitchCidr);
  const vsw6 = eni.vswitchIpv6Cidr ? parseIpv6Cidr(eni.vswitchIpv6Cidr) : null;
  return dir({
    gateway: text(intToIpv4(vswitchReserved(vsw).gateway)),
    'ipv4-prefixes': eni.ipv4Prefixes.length ? json(eni.ipv4Prefixes) : undefined,
    'ipv6-gateway': vsw6 ? text(formatIpv6(ipv6Gateway(vsw6))) : undefined,
    'ipv6-prefixes': bracketed(eni.ipv6Prefixes),
    ipv6s: bracketed(eni.ipv6s),
    netmask: text(netmask(vsw.prefix)),
    'network-interface-id': text(eni.id),
    'primary-ip-address': text(eni.primaryIp),
    // JSON-quoted, unlike the bracketed IPv6 lists: Terway json.Unmarshal()s it.
    'private-ipv4s': json(eni.privateIps),
    'vpc-cidr-block': text(eni.vpcCidr),
    'vpc-id': text(eni.vpcId),
    'vpc-ipv6-cidr-blocks': bracketed(eni.vpcIpv6Cidr ? [eni.vpcIpv6Cidr] : []),
    'vswitch-cidr-block': text(eni.vswitchCidr),
    'vswitch-id': text(eni.vswitchId),
    'vswitch-ipv6-cidr-block': text(eni.vswitchIpv6Cidr),
  });
}

/**
 * tags/instance/<key>: keys that cannot be one path segment ("." , "..", or containing "/") are
 * left out, as the cloud says they "cannot be accessed in the metadata" (ECS-SDK
 * ModifyInstanceMetadataOptions InstanceMetadataTags). Empty values are items too.
 */
function tagsDir(tags: readonly Tag[]): MetadataDir {
  const entries: Record<string, MetadataLeaf> = {};
  for (const t of tags) {
    if (t.key === '.' || t.key === '..' || t.key.includes('/')) continue;
    entries[t.key] = { kind: 'text', value: t.value };
  }
  return dir({ instance: dir(entries) });
}

/** The meta-data/ tree of one instance; top-level items describe its primary ENI. */
export function buildMetaData(inst: MetadataInstance): MetadataDir {
  const primary = inst.enis.find((e) => e.primary);
  const macs: Record<string, MetadataNode> = {};
  for (const eni of inst.enis) macs[eni.mac] = macDir(eni);
  return dir({
    'dns-conf': dir({ nameservers: lines(NAMESERVERS) }),
    eipv4: text(inst.publicIp),
    hostname: text(inst.hostName),
    'image-id': text(inst.imageId),
    instance: dir({ 'instance-name': text(inst.name), 'instance-type': text(inst.instanceType) }),
    'instance-id': text(inst.id),
    mac: text(primary?.mac),
    network: dir({ interfaces: dir({ macs: dir(macs) }) }),
    'network-type': text('vpc'),
    'owner-account-id': text(inst.accountId),
    'private-ipv4': text(primary?.primaryIp),
    ram: inst.ram ? dir({ 'security-credentials': dir({ [inst.ram.roleName]: { kind: 'text', value: inst.ram.credentials } }) }) : undefined,
    'public-ipv4': text(inst.publicIp),
    'region-id': text(inst.regionId),
    tags: inst.tagsInMetadata ? tagsDir(inst.tags) : undefined,
    'vpc-cidr-block': text(primary?.vpcCidr),
    'vpc-id': text(primary?.vpcId),
    'vswitch-cidr-block': text(primary?.vswitchCidr),
    'vswitch-id': text(primary?.vswitchId),
    'zone-id': text(inst.zoneId),
  });
}

/** What one version prefix (`/latest/`, `/2016-01-01/`) holds: meta-data/ and, when given, user-data. */
export function buildVersionTree(inst: MetadataInstance): MetadataDir {
  return dir({
    'meta-data': buildMetaData(inst),
    'user-data': inst.userData ? { kind: 'text', value: Buffer.from(inst.userData, 'base64').toString('utf8') } : undefined,
  });
}

import { effectiveStatus } from '../domain/async-state.ts';
import type { Store } from '../store/db.ts';
import { eipsOfEnis, enisOfInstance, instanceHoldingAddress, privateIpsOf } from '../store/repos/enis.ts';
import type { Instance } from '../domain/models/instance.ts';
import type { InstanceRamRole } from '../domain/models/ram-role.ts';
import { findInstanceById } from '../store/repos/instances.ts';
import { ramRoleOf } from '../store/repos/ram-roles.ts';
import { tagsOf } from '../store/repos/tags.ts';
import { findVpc } from '../store/repos/vpcs.ts';
import { findVSwitch } from '../store/repos/vswitches.ts';
import { ipv6AddressesOf, ipv6PrefixesOf } from '../store/repos/ipv6.ts';
import { ipv4PrefixesOf } from '../store/repos/ipv4-prefixes.ts';
import type { Tx } from '../store/schema.ts';
import { readerOf } from '../store/tx.ts';
import type { MetadataEni, MetadataInstance } from './build-tree.ts';

/**
 * Reads, never writes: plain statements on the store handle the server already has, so any
 * replica answers, on SQLite or PostgreSQL. Statuses are resolved at `now` like every API read.
 */
function reader(store: Store): Tx {
  return readerOf(store);
}

/** The instance, or undefined when there is none (never created, or deleted). */
export function findMetadataInstance(store: Store, id: string, now: number): Promise<Instance | undefined> {
  return findInstanceById(reader(store), id, now);
}

/** The instance whose ENI in the VPC holds this address at `now` (a data plane caller's source). */
export function findInstanceBySource(store: Store, vpcId: string, address: string, now: number): Promise<string | undefined> {
  return instanceHoldingAddress(reader(store), vpcId, address, now);
}

/**
 * What the tree of an instance is built from. Only ENIs InUse at `now` are the guest's: one
 * still Attaching is not there yet, one Detaching is already gone (the guest must stop using it
 * once the detach is accepted).
 */
export async function loadMetadataInstance(store: Store, inst: Instance, now: number): Promise<MetadataInstance> {
  const tx = reader(store);
  // chosen: trunk members are not NICs of the instance but VLAN sub-interfaces of its trunk, so
  // they get no macs/ entry (the guest would configure them as NICs); Terway configures them from
  // its own records (the member's Vid), not from metadata. The trunk itself is listed.
  const enis = (await enisOfInstance(tx, inst.id, now)).filter((e) => effectiveStatus(e, now) === 'InUse' && e.trunkEniId === null);
  enis.sort((a, b) => (a.type === 'Primary' ? 0 : 1) - (b.type === 'Primary' ? 0 : 1) || (a.deviceIndex ?? 0) - (b.deviceIndex ?? 0));
  const [ips, eips, tags] = await Promise.all([
    privateIpsOf(
      tx,
      enis.map((e) => e.id),
    ),
    eipsOfEnis(tx, enis, now),
    inst.instanceMetadataTags === 'enabled' ? tagsOf(tx, [inst.id]) : Promise.resolve(new Map<string, never[]>()),
  ]);
  const ids = enis.map((e) => e.id);
  const [ipv6s, ipv6Prefixes, ipv4Prefixes] = await Promise.all([ipv6AddressesOf(tx, ids), ipv6PrefixesOf(tx, ids), ipv4PrefixesOf(tx, ids)]);
  // ENIs of one instance share a VPC and usually a vSwitch: read each once.
  const vswitches = new Map<string, { cidr: string; ipv6: string }>();
  const vpcs = new Map<string, { cidr: string; ipv6: string }>();
  for (const e of enis) {
    if (!vswitches.has(e.vswitchId)) {
      const vsw = await findVSwitch(tx, inst.accountId, e.vswitchId, now);
      vswitches.set(e.vswitchId, { cidr: vsw?.cidrBlock ?? '', ipv6: vsw?.ipv6CidrBlock ?? '' });
    }
    if (!vpcs.has(e.vpcId)) {
      const vpc = await findVpc(tx, inst.accountId, e.vpcId, now);
      vpcs.set(e.vpcId, { cidr: vpc?.cidrBlock ?? '', ipv6: vpc?.ipv6CidrBlock ?? '' });
    }
  }
  const primary = enis.find((e) => e.type === 'Primary');
  // public-ipv4 / eipv4: the instance's own public IP, else the EIP on the primary ENI's primary address.
  const publicIp = inst.publicIp ?? (primary ? eips.get(primary.id)?.find((b) => b.privateIp === primary.primaryIp)?.publicIp : undefined);
  const views: MetadataEni[] = enis
    .filter((e) => vswitches.get(e.vswitchId)?.cidr)
    .map((e) => ({
      id: e.id,
      mac: e.macAddress,
      primary: e.type === 'Primary',
      primaryIp: e.primaryIp,
      privateIps: (ips.get(e.id) ?? []).map((ip) => ip.address),
      vswitchId: e.vswitchId,
      vswitchCidr: vswitches.get(e.vswitchId)!.cidr,
      vpcId: e.vpcId,
      vpcCidr: vpcs.get(e.vpcId)?.cidr ?? '',
      vswitchIpv6Cidr: vswitches.get(e.vswitchId)!.ipv6,
      vpcIpv6Cidr: vpcs.get(e.vpcId)?.ipv6 ?? '',
      ipv6s: ipv6s.get(e.id) ?? [],
      ipv6Prefixes: ipv6Prefixes.get(e.id) ?? [],
      ipv4Prefixes: ipv4Prefixes.get(e.id) ?? [],
    }));
  const userData = inst.attributes.UserData;
  return {
    id: inst.id,
    accountId: inst.accountId,
    regionId: inst.regionId,
    zoneId: inst.zoneId,
    hostName: inst.hostName,
    name: inst.name,
    instanceType: inst.instanceType,
    imageId: inst.imageId,
    userData: typeof userData === 'string' ? userData : '',
    publicIp,
    tags: tags.get(inst.id) ?? [],
    tagsInMetadata: inst.instanceMetadataTags === 'enabled',
    enis: views,
  };
}

/** The RAM role attached to the instance, read at the time of the request (a detach shows at once). */
export function loadRamRole(store: Store, instanceId: string): Promise<InstanceRamRole | undefined> {
  return ramRoleOf(reader(store), instanceId);
}

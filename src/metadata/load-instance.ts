import { effectiveStatus } from '../domain/async-state.ts';
import type { Store } from '../store/db.ts';
import { eipsOfEnis, enisOfInstance, privateIpsOf } from '../store/repos/enis.ts';
import { findInstanceById, type InstanceRow } from '../store/repos/instances.ts';
import { ramRoleOf, type InstanceRamRole } from '../store/repos/ram-roles.ts';
import { tagsOf } from '../store/repos/tags.ts';
import { findVpc } from '../store/repos/vpcs.ts';
import { findVSwitch } from '../store/repos/vswitches.ts';
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

/** The instance row, or undefined when there is none (never created, or deleted). */
export function findMetadataInstance(store: Store, id: string, now: number): Promise<InstanceRow | undefined> {
  return findInstanceById(reader(store), id, now);
}

/**
 * What the tree of an instance is built from. Only ENIs InUse at `now` are the guest's: one
 * still Attaching is not there yet, one Detaching is already gone (the guest must stop using it
 * once the detach is accepted).
 */
export async function loadMetadataInstance(store: Store, inst: InstanceRow, now: number): Promise<MetadataInstance> {
  const tx = reader(store);
  const enis = (await enisOfInstance(tx, inst.id, now)).filter((e) => effectiveStatus(e, now) === 'InUse');
  enis.sort((a, b) => (a.type === 'Primary' ? 0 : 1) - (b.type === 'Primary' ? 0 : 1) || (a.device_index ?? 0) - (b.device_index ?? 0));
  const [ips, eips, tags] = await Promise.all([
    privateIpsOf(
      tx,
      enis.map((e) => e.id),
    ),
    eipsOfEnis(
      tx,
      enis.map((e) => ({ id: e.id, instanceId: e.instance_id, type: e.type, primaryIp: e.primary_ip })),
      now,
    ),
    inst.instance_metadata_tags === 'enabled' ? tagsOf(tx, [inst.id]) : Promise.resolve(new Map<string, never[]>()),
  ]);
  // ENIs of one instance share a VPC and usually a vSwitch: read each once.
  const vswitchCidrs = new Map<string, string>();
  const vpcCidrs = new Map<string, string>();
  for (const e of enis) {
    if (!vswitchCidrs.has(e.vswitch_id)) vswitchCidrs.set(e.vswitch_id, (await findVSwitch(tx, inst.account_id, e.vswitch_id, now))?.cidrBlock ?? '');
    if (!vpcCidrs.has(e.vpc_id)) vpcCidrs.set(e.vpc_id, (await findVpc(tx, inst.account_id, e.vpc_id, now))?.cidrBlock ?? '');
  }
  const primary = enis.find((e) => e.type === 'Primary');
  // public-ipv4 / eipv4: the instance's own public IP, else the EIP on the primary ENI's primary address.
  const publicIp = inst.public_ip ?? (primary ? eips.get(primary.id)?.find((b) => b.privateIp === primary.primary_ip)?.publicIp : undefined);
  const views: MetadataEni[] = enis
    .filter((e) => vswitchCidrs.get(e.vswitch_id))
    .map((e) => ({
      id: e.id,
      mac: e.mac_address,
      primary: e.type === 'Primary',
      primaryIp: e.primary_ip,
      privateIps: (ips.get(e.id) ?? []).map((ip) => ip.address),
      vswitchId: e.vswitch_id,
      vswitchCidr: vswitchCidrs.get(e.vswitch_id)!,
      vpcId: e.vpc_id,
      vpcCidr: vpcCidrs.get(e.vpc_id) ?? '',
    }));
  const attrs = JSON.parse(inst.attributes) as { UserData?: unknown };
  return {
    id: inst.id,
    accountId: inst.account_id,
    regionId: inst.region_id,
    zoneId: inst.zone_id,
    hostName: inst.host_name,
    name: inst.name,
    instanceType: inst.instance_type,
    imageId: inst.image_id,
    userData: typeof attrs.UserData === 'string' ? attrs.UserData : '',
    publicIp,
    tags: tags.get(inst.id) ?? [],
    tagsInMetadata: inst.instance_metadata_tags === 'enabled',
    enis: views,
  };
}

/** The RAM role attached to the instance, read at the time of the request (a detach shows at once). */
export function loadRamRole(store: Store, instanceId: string): Promise<InstanceRamRole | undefined> {
  return ramRoleOf(reader(store), instanceId);
}

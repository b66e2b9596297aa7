import { instanceStatus } from '../domain/instance-lifecycle.ts';
import { eniNow } from '../services/enis.ts';
import type { Store } from '../store/db.ts';
import { eipsInUse } from '../store/repos/eips.ts';
import { enisOfInstances, privateIpsOf } from '../store/repos/enis.ts';
import { allInstances } from '../store/repos/instances.ts';
import { ipv4PrefixesOf } from '../store/repos/ipv4-prefixes.ts';
import { vswitchesByIds } from '../store/repos/vswitches.ts';
import { readConsistently } from '../store/tx.ts';
import type { SnapshotPublicAddress } from './desired-internet.ts';
import type { Snapshot, SnapshotEni } from './desired.ts';

/**
 * One consistent read of what the data plane realizes: every live instance with its status at
 * `now`, and its ENIs that are InUse on it (Attaching ones are not plugged yet; a detach removes
 * the NIC as soon as the ENI is no longer InUse). Member ENIs of a trunk ride the trunk's VLANs
 * and are not realized by this slice. Public addresses: every associated (InUse) EIP with its
 * private address, and each instance's own public IP on its primary ENI's primary address.
 */
export async function readSnapshot(store: Store, now: number): Promise<Snapshot> {
  return readConsistently(store, async (tx) => {
    const instances = await allInstances(tx, now);
    const enis = (
      await enisOfInstances(
        tx,
        instances.map((i) => i.id),
        now,
      )
    )
      .map((e) => eniNow(e, now))
      .filter((e) => e.status === 'InUse' && e.instanceId !== null && e.deviceIndex !== null && e.trunkEniId === null);
    const ids = enis.map((e) => e.id);
    const ips = await privateIpsOf(tx, ids);
    const prefixes = await ipv4PrefixesOf(tx, ids);
    const vswitches = new Map((await vswitchesByIds(tx, [...new Set(enis.map((e) => e.vswitchId))])).map((v) => [v.id, v]));
    const byInstance = new Map<string, SnapshotEni[]>();
    for (const e of enis) {
      const vsw = vswitches.get(e.vswitchId);
      if (!vsw) continue;
      const addresses = (ips.get(e.id) ?? []).slice().sort((a, b) => Number(b.isPrimary) - Number(a.isPrimary));
      const list = byInstance.get(e.instanceId!) ?? [];
      list.push({
        id: e.id,
        mac: e.macAddress,
        deviceIndex: e.deviceIndex!,
        primary: e.type === 'Primary',
        privateIps: addresses.map((a) => a.address),
        ipv4Prefixes: prefixes.get(e.id) ?? [],
        vswitchCidr: vsw.cidrBlock,
      });
      byInstance.set(e.instanceId!, list);
    }
    const publicAddresses: SnapshotPublicAddress[] = (await eipsInUse(tx, now)).map((e) => ({
      publicIp: e.ipAddress,
      privateIp: e.privateIp!,
      vpcId: e.vpcId!,
      kind: 'eip',
      owner: e.id,
    }));
    for (const i of instances) {
      const primary = i.publicIp ? enis.find((e) => e.instanceId === i.id && e.type === 'Primary') : undefined;
      if (primary) publicAddresses.push({ publicIp: i.publicIp!, privateIp: primary.primaryIp, vpcId: i.vpcId, kind: 'public-ip', owner: i.id });
    }
    return {
      instances: instances.map((i) => ({ id: i.id, vpcId: i.vpcId, status: instanceStatus(i, now), enis: byInstance.get(i.id) ?? [] })),
      publicAddresses,
    };
  });
}

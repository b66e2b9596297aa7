import { instanceTypeCatalog } from '../../catalog/index.ts';
import type { Store } from '../db.ts';
import { checkInvariants, type InstanceTypeLimits, type QuotaLimits } from './invariants.ts';
import { readStoreSnapshot } from './snapshot.ts';

/** Each catalog type's ENI and per-ENI address limits, as the checker takes them. */
export function instanceTypeLimits(): Map<string, InstanceTypeLimits> {
  return new Map(
    instanceTypeCatalog.map((t) => [
      t.instanceTypeId,
      {
        eniQuantity: t.eniQuantity,
        ipsPerEni: t.eniPrivateIpAddressQuantity,
        eniTotalQuantity: t.eniTotalQuantity,
        trunkSupported: t.eniTrunkSupported,
        ipv6PerEni: t.eniIpv6AddressQuantity,
      },
    ]),
  );
}

export interface StoreCheck {
  violations: string[];
  /** What was checked, for the report. */
  counted: { accounts: number; enis: number; addresses: number; vswitches: number; instances: number };
}

/** Reads one snapshot of the store and checks every invariant the database alone can show (`eniplane db check`). */
export async function checkStore(store: Store, opts: { now?: number; quotas?: Partial<QuotaLimits> } = {}): Promise<StoreCheck> {
  const snapshot = await readStoreSnapshot(store, opts.now ?? Date.now());
  const violations = checkInvariants({ snapshot, types: instanceTypeLimits(), quotas: opts.quotas });
  return {
    violations,
    counted: {
      accounts: snapshot.accounts.length,
      enis: snapshot.enis.length,
      addresses: snapshot.privateIps.length,
      vswitches: snapshot.vswitches.length,
      instances: snapshot.instances.length,
    },
  };
}

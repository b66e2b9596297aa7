import type { Clock } from '../lib/clock.ts';
import type { Store } from '../store/db.ts';
import { vpcOwner } from '../store/repos/vpcs.ts';
import { readConsistently } from '../store/tx.ts';
import type { VpcFilter } from './reconciler.ts';
import { applySecurityGroups, syncSecurityGroups } from './security-groups-nft.ts';
import { securityGroupRulesetForVpc } from './security-groups-store.ts';

/**
 * Security groups on the VPC routers (issue 15): every reconciler pass compiles each VPC's ruleset
 * from the store and applies it when it differs from what this process last applied there, so a
 * rule, membership or policy change reaches the kernel within one pass. On a full pass (after a
 * restart, on resync) the kernel's own digest is compared instead of the memory, so a ruleset
 * that is already in place costs one `nft list` and no change.
 */
export function securityGroupFilter(store: Store, clock: Clock): VpcFilter {
  const applied = new Map<string, string>();
  return {
    async applyFilter(vpcNs, vpc, full) {
      const ruleset = await readConsistently(store, async (tx) => {
        const owner = await vpcOwner(tx, vpc.vpcId);
        return owner ? securityGroupRulesetForVpc(tx, owner.accountId, owner.regionId, vpc.vpcId, clock.now()) : undefined;
      });
      if (ruleset === undefined) return;
      if (full) await syncSecurityGroups(vpcNs, ruleset);
      else if (applied.get(vpcNs) !== ruleset) await applySecurityGroups(vpcNs, ruleset);
      applied.set(vpcNs, ruleset);
    },
    forget(vpcNs) {
      applied.delete(vpcNs);
    },
  };
}

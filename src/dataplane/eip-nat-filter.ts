import type { VpcFilter } from './reconciler.ts';
import { compileEipNat, eipNatDigest, NAT_TABLE } from './eip-nat.ts';
import { failure, nft } from './security-groups-nft.ts';

/** Puts a compiled NAT table (eip-nat.ts) into a router namespace in one nft transaction. */
export async function applyEipNat(namespace: string, ruleset: string): Promise<void> {
  const r = await nft(namespace, ['-f', '-'], ruleset);
  if (r.code !== 0) throw failure(namespace, 'nft -f (EIP NAT)', r);
}

/** The digest of the NAT table in the namespace, or undefined when it has none. */
export async function appliedEipNatDigest(namespace: string): Promise<string | undefined> {
  const r = await nft(namespace, ['list', 'table', 'ip', NAT_TABLE]);
  if (r.code !== 0) {
    if (/No such file or directory/.test(r.stderr)) return undefined;
    throw failure(namespace, 'nft list table (EIP NAT)', r);
  }
  return eipNatDigest(r.stdout);
}

/**
 * The EIP NAT of every VPC router, from the desired state alone (an association changes the
 * desired state, so it comes with a full pass): applied when it differs from what this process
 * last applied; on a full pass the kernel's digest is compared instead, so a restart with nothing
 * changed costs one `nft list` per router and no change.
 */
export function eipNatFilter(): VpcFilter {
  const applied = new Map<string, string>();
  return {
    async applyFilter(vpcNs, vpc, full) {
      const ruleset = compileEipNat(vpc);
      if (!full && applied.get(vpcNs) === ruleset) return;
      if (!full || (await appliedEipNatDigest(vpcNs)) !== eipNatDigest(ruleset)) await applyEipNat(vpcNs, ruleset);
      applied.set(vpcNs, ruleset);
    },
    forget(vpcNs) {
      applied.delete(vpcNs);
    },
  };
}

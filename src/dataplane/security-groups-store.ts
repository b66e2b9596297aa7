import type { Tx } from '../store/schema.ts';
import { enisOfVpc, privateIpsOf, securityGroupsOf } from '../store/repos/enis.ts';
import { ipv4PrefixesOf } from '../store/repos/ipv4-prefixes.ts';
import { rulesOfGroups, securityGroupsByIds } from '../store/repos/security-groups.ts';
import { eniRouterLink } from './names.ts';
import { compileSecurityGroups, type SgGroupInput, type SgVpcInput } from './security-groups.ts';

/**
 * The security group compiler's input for one VPC, read from the store. Call it inside one
 * transaction (readConsistently) so that ENIs, memberships, addresses and rules agree.
 *
 * Covered: every ENI of the VPC that exists at `now` (an ENI without a link yet costs two empty
 * chains and matches no packet), with its IPv4 addresses and IPv4 prefixes, its SourceDestCheck
 * and its groups in order; every group they are in, with its rules; every group those rules
 * reference (its members here are the VPC's ENIs in it: another VPC's addresses never reach this
 * router and may overlap this VPC's).
 */
export async function securityGroupInputForVpc(tx: Tx, accountId: string, regionId: string, vpcId: string, now: number): Promise<SgVpcInput> {
  const enis = await enisOfVpc(tx, { accountId, regionId }, vpcId, now);
  const ids = enis.map((e) => e.id);
  const [memberships, addresses, prefixes] = [await securityGroupsOf(tx, ids), await privateIpsOf(tx, ids), await ipv4PrefixesOf(tx, ids)];

  const memberOf = [...new Set([...memberships.values()].flat())].sort();
  const rules = await rulesOfGroups(tx, memberOf);
  const referenced = [...rules.values()].flat().flatMap((r) => [r.sourceGroupId, r.destGroupId].filter((id) => id !== ''));
  const groups = await securityGroupsByIds(tx, [...new Set([...memberOf, ...referenced])].sort());

  return {
    enis: enis.map((e) => ({
      id: e.id,
      routerLink: eniRouterLink(e.id),
      addresses: [...(addresses.get(e.id) ?? []).map((ip) => ip.address), ...(prefixes.get(e.id) ?? [])],
      sourceDestCheck: e.sourceDestCheck,
      securityGroupIds: memberships.get(e.id) ?? [],
    })),
    groups: groups.map((g): SgGroupInput => ({
      id: g.id,
      type: g.type,
      innerAccessPolicy: g.innerAccessPolicy,
      rules: rules.get(g.id) ?? [],
    })),
  };
}

/**
 * The complete nft ruleset of a VPC's router namespace (vpcNamespace(vpcId)), for
 * applySecurityGroups / syncSecurityGroups (security-groups-nft.ts).
 */
export async function securityGroupRulesetForVpc(tx: Tx, accountId: string, regionId: string, vpcId: string, now: number): Promise<string> {
  return compileSecurityGroups(await securityGroupInputForVpc(tx, accountId, regionId, vpcId, now));
}

/**
 * Security groups on real packets (issue 15): a pure compiler from a VPC's ENIs, their groups and
 * rules to one nftables ruleset for the VPC's router namespace.
 *
 * Every packet to or from an ENI crosses the router's forward path: leaving an ENI it arrives
 * with `iifname = eniRouterLink(eni)`, going to an ENI it leaves with `oifname = …`. The ruleset
 * (one `inet` table, replaced atomically by `nft -f`) has:
 *
 * - a `forward` base chain: the source/destination check of ENIs that have it on (before anything,
 *   so an established flow cannot carry a spoofed source either); then `ct state
 *   established,related accept` (security groups are stateful); then the sender's egress chain
 *   (`iifname` vmap) and the receiver's ingress chain (`oifname` vmap). Traffic neither from nor
 *   to an ENI (the router's own addresses: gateway, metadata) goes through the input/output path and
 *   is never filtered, as on the cloud.
 * - per ENI an egress chain, whose "accept" is `return` (the packet must still pass the receiver's
 *   ingress chain) and whose end is the group type's default (basic: accept; enterprise: drop), and
 *   an ingress chain ending in drop.
 * - per referenced group a named set of its members' addresses (group-source/destination rules and
 *   internal access).
 *
 * Cloud semantics followed (reference/ecs-eni-api.md §4; the ECS "Security group rules", "Basic and
 * advanced security groups" and "internal access control policy" documents):
 * - the rules of all the ENI's groups are merged and ordered by priority (1 first); on a tie, drop
 *   before accept;
 * - no matching rule: inbound dropped; outbound accepted for basic groups, dropped for enterprise
 *   (advanced) groups ("Enterprise security groups deny both inbound and outbound traffic by
 *   default");
 * - a basic group with InnerAccessPolicy Accept: its members reach each other "regardless of
 *   whether custom rules exist" (checked before the rules, both directions); Drop (and every
 *   enterprise group) isolates them at the lowest priority, i.e. only the rules decide;
 * - SourceDestCheck on: a packet from the ENI whose source is not one of its addresses, or to the
 *   ENI whose destination is not, is dropped; off: both pass (what Terway sets).
 */

import { createHash } from 'node:crypto';

export interface SgRuleInput {
  direction: string; // ingress | egress
  ipProtocol: string; // TCP | UDP | ICMP | GRE | ALL
  portRange: string; // "a/b" or "-1/-1"
  sourcePortRange?: string;
  sourceCidrIp?: string;
  ipv6SourceCidrIp?: string;
  sourceGroupId?: string;
  destCidrIp?: string;
  ipv6DestCidrIp?: string;
  destGroupId?: string;
  sourcePrefixListId?: string;
  destPrefixListId?: string;
  policy: string; // Accept | Drop (any case)
  priority: number;
  nicType?: string;
}

export interface SgGroupInput {
  id: string;
  type: string;
  /** Accept | Drop; enterprise groups are always Drop whatever is stored. */
  innerAccessPolicy: string;
  rules: readonly SgRuleInput[];
}

export interface SgEniInput {
  id: string;
  /** The router-side end of its veth: eniRouterLink(id). */
  routerLink: string;
  /** IPv4 addresses (primary and secondary) and IPv4 prefixes (CIDRs) it holds. */
  addresses: readonly string[];
  ipv6Addresses?: readonly string[];
  sourceDestCheck: boolean;
  /** Its security group IDs, in order. */
  securityGroupIds: readonly string[];
}

export interface SgVpcInput {
  enis: readonly SgEniInput[];
  /** Every group an ENI is in or a rule references (a missing referenced group matches nothing). */
  groups: readonly SgGroupInput[];
}

export const SG_TABLE = 'eniplane';

const IPV4_CIDR = /^(\d{1,3})(\.\d{1,3}){3}(\/\d{1,2})?$/;
const IPV6_CIDR = /^[0-9a-fA-F:.]+(\/\d{1,3})?$/;

function v4(text: string): string {
  if (!IPV4_CIDR.test(text)) throw new Error(`not an IPv4 address or CIDR: ${JSON.stringify(text)}`);
  return text;
}

function v6(text: string): string {
  if (!IPV6_CIDR.test(text) || !text.includes(':')) throw new Error(`not an IPv6 address or CIDR: ${JSON.stringify(text)}`);
  return text;
}

function linkName(name: string): string {
  if (!/^[A-Za-z0-9_.-]{1,15}$/.test(name)) throw new Error(`not an interface name: ${JSON.stringify(name)}`);
  return name;
}

/** nft names: letters, digits, `_`; group IDs are `sg-…`. */
function setName(groupId: string): string {
  return `g_${groupId.replace(/[^A-Za-z0-9]/g, '_')}`;
}

function portMatch(range: string | undefined, what: 'dport' | 'sport'): string | undefined {
  if (!range || range === '-1/-1') return undefined;
  const m = /^(\d{1,5})\/(\d{1,5})$/.exec(range);
  if (!m) throw new Error(`not a port range: ${JSON.stringify(range)}`);
  const [a, b] = [Number(m[1]), Number(m[2])];
  return `th ${what} ${a === b ? a : `${a}-${b}`}`;
}

function protocolMatch(protocol: string): string | undefined {
  switch (protocol.toUpperCase()) {
    case 'TCP':
      return 'meta l4proto tcp';
    case 'UDP':
      return 'meta l4proto udp';
    case 'ICMP':
      return 'meta l4proto icmp';
    case 'GRE':
      return 'meta l4proto gre';
    case 'ALL':
      return undefined;
    default:
      // IANA numbers some regions accept.
      if (/^\d{1,3}$/.test(protocol) && Number(protocol) <= 255) return `meta l4proto ${Number(protocol)}`;
      throw new Error(`unknown protocol ${JSON.stringify(protocol)}`);
  }
}

function isDrop(rule: SgRuleInput): boolean {
  return rule.policy.toLowerCase() === 'drop';
}

/**
 * The nft match of one rule, seen from the ENI: for ingress the remote end is the source and the
 * local end the destination, for egress the other way round. Undefined: the rule can match
 * nothing here (a prefix list, which the store does not resolve).
 */
function ruleMatch(rule: SgRuleInput, knownGroups: ReadonlySet<string>): string | undefined {
  const parts: string[] = [];
  const proto = protocolMatch(rule.ipProtocol);
  const ports = proto === 'meta l4proto tcp' || proto === 'meta l4proto udp';
  if (proto) parts.push(proto);
  if (rule.sourceCidrIp) parts.push(`ip saddr ${v4(rule.sourceCidrIp)}`);
  else if (rule.ipv6SourceCidrIp) parts.push(`ip6 saddr ${v6(rule.ipv6SourceCidrIp)}`);
  else if (rule.sourceGroupId) {
    if (!knownGroups.has(rule.sourceGroupId)) return undefined;
    parts.push(`ip saddr @${setName(rule.sourceGroupId)}`);
  } else if (rule.sourcePrefixListId) return undefined;
  if (rule.destCidrIp) parts.push(`ip daddr ${v4(rule.destCidrIp)}`);
  else if (rule.ipv6DestCidrIp) parts.push(`ip6 daddr ${v6(rule.ipv6DestCidrIp)}`);
  else if (rule.destGroupId) {
    if (!knownGroups.has(rule.destGroupId)) return undefined;
    parts.push(`ip daddr @${setName(rule.destGroupId)}`);
  } else if (rule.destPrefixListId) return undefined;
  if (ports) {
    const sport = portMatch(rule.sourcePortRange, 'sport');
    const dport = portMatch(rule.portRange, 'dport');
    if (sport) parts.push(sport);
    if (dport) parts.push(dport);
  }
  return parts.join(' ');
}

/** Rules of one direction of all the groups, in the order the cloud evaluates them. */
export function orderedRules(groups: readonly SgGroupInput[], direction: 'ingress' | 'egress'): SgRuleInput[] {
  const all = groups.flatMap((g) => g.rules.filter((r) => r.direction.toLowerCase() === direction));
  return all
    .map((rule, index) => ({ rule, index }))
    .sort((a, b) => a.rule.priority - b.rule.priority || Number(isDrop(b.rule)) - Number(isDrop(a.rule)) || a.index - b.index)
    .map((x) => x.rule);
}

function innerAccepts(group: SgGroupInput): boolean {
  return group.type !== 'enterprise' && group.innerAccessPolicy.toLowerCase() === 'accept';
}

function elements(list: readonly string[]): string {
  return `{ ${list.join(', ')} }`;
}

/** The chain names of one ENI (nft chain names: up to 255 characters; links are ≤ 15). */
export function eniChains(routerLink: string): { ingress: string; egress: string; check: string } {
  return { ingress: `in_${routerLink}`, egress: `out_${routerLink}`, check: `sdc_${routerLink}` };
}

/**
 * The complete nft script for a VPC's router namespace: create-if-missing, delete and redefine the
 * table, all in the one transaction `nft -f` makes of a file (no moment without rules; conntrack
 * entries, hence established connections, survive it).
 */
export function compileSecurityGroups(input: SgVpcInput): string {
  const groupsById = new Map(input.groups.map((g) => [g.id, g]));
  const enis = [...input.enis].sort((a, b) => (a.routerLink < b.routerLink ? -1 : a.routerLink > b.routerLink ? 1 : 0));
  const links = new Set<string>();
  for (const e of enis) {
    linkName(e.routerLink);
    if (links.has(e.routerLink)) throw new Error(`two ENIs with router link ${e.routerLink}`);
    links.add(e.routerLink);
  }

  // Members of every known group, from the ENIs of this VPC only (another VPC's addresses may
  // overlap these and never reach here).
  const members = new Map<string, Set<string>>();
  for (const g of input.groups) members.set(g.id, new Set());
  for (const e of enis) {
    for (const id of e.securityGroupIds) for (const a of e.addresses) members.get(id)?.add(v4(a));
  }
  const knownGroups = new Set(members.keys());

  const out: string[] = [];
  out.push(`table inet ${SG_TABLE}`, `delete table inet ${SG_TABLE}`, `table inet ${SG_TABLE} {`);

  for (const [id, addrs] of [...members].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    out.push(`\tset ${setName(id)} {`, '\t\ttype ipv4_addr', '\t\tflags interval', '\t\tauto-merge');
    const list = [...addrs].sort();
    if (list.length) out.push(`\t\telements = ${elements(list)}`);
    out.push('\t}');
  }

  const checked = enis.filter((e) => e.sourceDestCheck);
  out.push('\tchain forward {', '\t\ttype filter hook forward priority filter; policy accept;');
  if (checked.length) {
    out.push(`\t\tiifname vmap ${elements(checked.map((e) => `"${e.routerLink}" : jump ${eniChains(e.routerLink).check}_out`))}`);
    out.push(`\t\toifname vmap ${elements(checked.map((e) => `"${e.routerLink}" : jump ${eniChains(e.routerLink).check}_in`))}`);
  }
  out.push('\t\tct state established,related accept');
  if (enis.length) {
    out.push(`\t\tiifname vmap ${elements(enis.map((e) => `"${e.routerLink}" : jump ${eniChains(e.routerLink).egress}`))}`);
    out.push(`\t\toifname vmap ${elements(enis.map((e) => `"${e.routerLink}" : jump ${eniChains(e.routerLink).ingress}`))}`);
  }
  out.push('\t}');

  for (const e of enis) {
    const chains = eniChains(e.routerLink);
    const groups = e.securityGroupIds.map((id) => groupsById.get(id)).filter((g): g is SgGroupInput => g !== undefined);
    const enterprise = groups.length > 0 && groups.every((g) => g.type === 'enterprise');
    const inner = groups.filter(innerAccepts).map((g) => `@${setName(g.id)}`);

    if (e.sourceDestCheck) {
      const v4s = e.addresses.map(v4);
      const v6s = (e.ipv6Addresses ?? []).map(v6);
      for (const [dir, field] of [
        ['out', 'saddr'],
        ['in', 'daddr'],
      ] as const) {
        out.push(`\tchain ${chains.check}_${dir} {`);
        if (v4s.length) out.push(`\t\tip ${field} ${elements(v4s)} return`);
        if (v6s.length) out.push(`\t\tip6 ${field} ${elements(v6s)} return`);
        out.push('\t\tdrop', '\t}');
      }
    }

    out.push(`\tchain ${chains.egress} {`);
    for (const set of inner) out.push(`\t\tip daddr ${set} return`);
    for (const rule of orderedRules(groups, 'egress')) {
      const match = ruleMatch(rule, knownGroups);
      if (match === undefined) continue;
      out.push(`\t\t${match ? `${match} ` : ''}${isDrop(rule) ? 'drop' : 'return'}`);
    }
    if (enterprise) out.push('\t\tdrop');
    out.push('\t}');

    out.push(`\tchain ${chains.ingress} {`);
    for (const set of inner) out.push(`\t\tip saddr ${set} accept`);
    for (const rule of orderedRules(groups, 'ingress')) {
      const match = ruleMatch(rule, knownGroups);
      if (match === undefined) continue;
      out.push(`\t\t${match ? `${match} ` : ''}${isDrop(rule) ? 'drop' : 'accept'}`);
    }
    out.push('\t\tdrop', '\t}');
  }

  out.push('}');
  // The table carries the digest of its own definition: a restarted reconciler reads it back
  // (appliedSecurityGroupsDigest) instead of re-applying an unchanged ruleset.
  const digest = createHash('sha256').update(out.join('\n')).digest('hex');
  out.splice(3, 0, `\tcomment "${DIGEST_PREFIX}${digest}"`);
  return `${out.join('\n')}\n`;
}

const DIGEST_PREFIX = 'eniplane-sg sha256:';
const DIGEST_LINE = /^\s*comment "eniplane-sg sha256:([0-9a-f]{64})"\s*$/m;

/** The digest a compiled ruleset, or `nft list table inet eniplane`'s output, carries; undefined if none. */
export function securityGroupsDigest(text: string): string | undefined {
  return DIGEST_LINE.exec(text)?.[1];
}

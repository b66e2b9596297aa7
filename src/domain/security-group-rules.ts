import ipaddr from 'ipaddr.js';
import { CommonErrors } from '../errors/common.ts';
import { SecurityGroupErrors } from '../errors/ecs/security-groups.ts';
import { parseIpv4Cidr, ipv4ToInt, intToIpv4 } from './cidr.ts';

/**
 * Security group rules: validation and normalisation of one rule as AuthorizeSecurityGroup(Egress)
 * and RevokeSecurityGroup(Egress) take it, and the cloud's notion of "the same rule".
 * Sources: ECS-SDK request remarks and operation notes; the AuthorizeSecurityGroup (2021),
 * AuthorizeSecurityGroupEgress and RevokeSecurityGroup (2025) API pages (src/errors/ecs.ts).
 */

export type RuleDirection = 'ingress' | 'egress';
export type IpProtocol = 'TCP' | 'UDP' | 'ICMP' | 'GRE' | 'ALL';
export type RulePolicy = 'Accept' | 'Drop';

/** Limits of rules (limits-and-rules.md §4; SDK AuthorizeSecurityGroup note). */
export const RULE_LIMITS = {
  /** Rules of a basic group that reference another security group. */
  groupRulesPerGroup: 20,
  /** Permissions.N and SecurityGroupRuleId.N per request. */
  perRequest: 100,
};

/** One rule as the caller states it, every field optional and unchecked. */
export interface RuleInput {
  ipProtocol?: string;
  portRange?: string;
  sourcePortRange?: string;
  sourceCidrIp?: string;
  ipv6SourceCidrIp?: string;
  /** Inbound rules only. */
  sourceGroupId?: string;
  destCidrIp?: string;
  ipv6DestCidrIp?: string;
  /** Outbound rules only. */
  destGroupId?: string;
  policy?: string;
  priority?: string;
  nicType?: string;
  description?: string;
}

/** A valid rule in the form it is stored and returned: absent fields are empty strings. */
export interface Rule {
  direction: RuleDirection;
  /** Upper-case, as DescribeSecurityGroupAttribute returns it ("TCP"). */
  ipProtocol: IpProtocol;
  portRange: string;
  sourcePortRange: string;
  sourceCidrIp: string;
  ipv6SourceCidrIp: string;
  sourceGroupId: string;
  destCidrIp: string;
  ipv6DestCidrIp: string;
  destGroupId: string;
  /** Capitalised, as DescribeSecurityGroupAttribute returns it ("Accept"). */
  policy: RulePolicy;
  priority: number;
  nicType: 'intranet';
  description: string;
}

/** The fields that make a rule the rule it is. */
export type RuleIdentity = Pick<
  Rule,
  | 'direction'
  | 'ipProtocol'
  | 'portRange'
  | 'sourcePortRange'
  | 'sourceCidrIp'
  | 'ipv6SourceCidrIp'
  | 'sourceGroupId'
  | 'destCidrIp'
  | 'ipv6DestCidrIp'
  | 'destGroupId'
  | 'policy'
  | 'nicType'
>;

const PROTOCOLS: readonly IpProtocol[] = ['TCP', 'UDP', 'ICMP', 'GRE', 'ALL'];

function given(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  return v === '' ? undefined : v;
}

function parseRange(text: string): [number, number] | undefined {
  const m = /^(-?\d{1,5})\/(-?\d{1,5})$/.exec(text);
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

/**
 * PortRange: TCP and UDP take `start/end` within 1..65535; ICMP, GRE and ALL take `-1/-1`
 * (SDK PortRange remarks). A well-formed range that does not suit the protocol is the cloud's
 * "IpProtocol and PortRange do not match" (OperationDenied).
 */
function checkPortRange(protocol: IpProtocol, text: string, name: string): string {
  const range = parseRange(text);
  if (!range) throw SecurityGroupErrors.portRangeInvalid(name);
  const [start, end] = range;
  const wildcard = start === -1 && end === -1;
  if (protocol === 'TCP' || protocol === 'UDP') {
    if (wildcard) throw SecurityGroupErrors.protocolPortMismatch(name);
    if (start < 1 || end > 65535 || start > end) throw SecurityGroupErrors.portRangeInvalid(name);
  } else if (!wildcard) {
    if (start >= 1 && end <= 65535 && start <= end) throw SecurityGroupErrors.protocolPortMismatch(name);
    throw SecurityGroupErrors.portRangeInvalid(name);
  }
  return `${start}/${end}`;
}

/** SourcePortRange follows the same rules as PortRange, with its own code. */
function checkSourcePortRange(protocol: IpProtocol, text: string, name: string): string {
  try {
    return checkPortRange(protocol, text, name);
  } catch {
    throw SecurityGroupErrors.sourcePortRangeInvalid(name);
  }
}

/**
 * "CIDR blocks and IPv4 addresses are supported" (SDK SourceCidrIp/DestCidrIp remarks). A CIDR
 * block must be a network address (no host bits). The value is kept in the form given, with the
 * numbers in canonical decimal.
 */
export function parseIpv4Source(text: string): string | undefined {
  if (text.includes('/')) {
    const net = parseIpv4Cidr(text);
    return typeof net === 'string' ? undefined : net.text;
  }
  const n = ipv4ToInt(text);
  return n === null ? undefined : intToIpv4(n);
}

/** IPv6 addresses or CIDR blocks, in RFC 5952 (compressed, lower-case) form. */
export function parseIpv6Source(text: string): string | undefined {
  if (text.includes('%')) return undefined;
  try {
    if (text.includes('/')) {
      if (!ipaddr.IPv6.isValidCIDR(text)) return undefined;
      const [addr, prefix] = ipaddr.IPv6.parseCIDR(text);
      const network = ipaddr.IPv6.networkAddressFromCIDR(text);
      if (network.toNormalizedString() !== addr.toNormalizedString()) return undefined;
      return `${addr.toString()}/${prefix}`;
    }
    if (!ipaddr.IPv6.isValid(text)) return undefined;
    return ipaddr.IPv6.parse(text).toString();
  } catch {
    return undefined;
  }
}

/** `10.0.0.1` and `10.0.0.1/32` name the same addresses: compare in CIDR form. */
function asNetwork(text: string, bits: 32 | 128): string {
  return text === '' || text.includes('/') ? text : `${text}/${bits}`;
}

/**
 * Validates one rule and returns it normalised. `prefix` is the wire prefix of its fields
 * (`Permissions.2.` or `` for the deprecated top-level form), used in messages.
 */
export function normalizeRule(direction: RuleDirection, input: RuleInput, prefix = ''): Rule {
  const name = (field: string) => `${prefix}${field}`;
  const where = prefix ? prefix.replace(/\.$/, '') : 'the request';
  if (direction === 'ingress' && input.destGroupId !== undefined) throw new Error('an inbound rule has no DestGroupId');
  if (direction === 'egress' && input.sourceGroupId !== undefined) throw new Error('an outbound rule has no SourceGroupId');

  const protocolText = given(input.ipProtocol);
  if (protocolText === undefined) throw CommonErrors.missingParameter(name('IpProtocol'));
  const ipProtocol = protocolText.toUpperCase() as IpProtocol;
  if (!PROTOCOLS.includes(ipProtocol)) throw SecurityGroupErrors.ipProtocolInvalid(name('IpProtocol'));

  const portText = given(input.portRange);
  if (portText === undefined) throw SecurityGroupErrors.portRangeMissing(name('PortRange'));
  const portRange = checkPortRange(ipProtocol, portText, name('PortRange'));
  const sourcePortText = given(input.sourcePortRange);
  const sourcePortRange = sourcePortText === undefined ? '' : checkSourcePortRange(ipProtocol, sourcePortText, name('SourcePortRange'));

  const policyText = (given(input.policy) ?? 'accept').toLowerCase();
  if (policyText !== 'accept' && policyText !== 'drop') throw SecurityGroupErrors.policyInvalid(name('Policy'));
  const policy: RulePolicy = policyText === 'accept' ? 'Accept' : 'Drop';

  const priorityText = given(input.priority) ?? '1';
  if (!/^-?\d+$/.test(priorityText)) throw SecurityGroupErrors.priorityMalformed(name('Priority'));
  const priority = Number(priorityText);
  if (priority < 1 || priority > 100) throw SecurityGroupErrors.priorityOutOfRange(name('Priority'));

  const description = input.description ?? '';
  if (description.length > 512) throw SecurityGroupErrors.ruleDescriptionMalformed(name('Description'));

  // Addresses: one IPv4 or one IPv6 CIDR per end, never both.
  const src4 = given(input.sourceCidrIp);
  const src6 = given(input.ipv6SourceCidrIp);
  const dst4 = given(input.destCidrIp);
  const dst6 = given(input.ipv6DestCidrIp);
  if (src4 !== undefined && src6 !== undefined) throw SecurityGroupErrors.sourceIpConflict(where);
  if (dst4 !== undefined && dst6 !== undefined) throw SecurityGroupErrors.destIpConflict(where);
  const sourceCidrIp = src4 === undefined ? '' : (parseIpv4Source(src4) ?? fail(SecurityGroupErrors.sourceCidrMalformed(name('SourceCidrIp'))));
  const ipv6SourceCidrIp = src6 === undefined ? '' : (parseIpv6Source(src6) ?? fail(SecurityGroupErrors.ipv6SourceCidrMalformed(name('Ipv6SourceCidrIp'))));
  const destCidrIp = dst4 === undefined ? '' : (parseIpv4Source(dst4) ?? fail(SecurityGroupErrors.destCidrMalformed(name('DestCidrIp'))));
  const ipv6DestCidrIp = dst6 === undefined ? '' : (parseIpv6Source(dst6) ?? fail(SecurityGroupErrors.ipv6DestCidrMalformed(name('Ipv6DestCidrIp'))));
  if ((sourceCidrIp || destCidrIp) && (ipv6SourceCidrIp || ipv6DestCidrIp)) throw SecurityGroupErrors.addressFamilyConflict(where);
  if (ipProtocol === 'ICMP' && (ipv6SourceCidrIp || ipv6DestCidrIp)) throw SecurityGroupErrors.icmpWithIpv6();
  if (sourceCidrIp && destCidrIp && asNetwork(sourceCidrIp, 32) === asNetwork(destCidrIp, 32)) throw SecurityGroupErrors.sameSourceAndDestCidr();

  // The group on the remote end. "If both SourceGroupId and SourceCidrIp are specified,
  // SourceCidrIp takes precedence" (SDK SourceGroupId remarks; DestGroupId likewise): the group
  // is then not part of the rule.
  let sourceGroupId = '';
  let destGroupId = '';
  if (direction === 'ingress') {
    const group = given(input.sourceGroupId);
    if (group !== undefined && !sourceCidrIp && !ipv6SourceCidrIp) sourceGroupId = group;
    if (!sourceCidrIp && !ipv6SourceCidrIp && !sourceGroupId) throw SecurityGroupErrors.sourceMissing(where);
  } else {
    const group = given(input.destGroupId);
    if (group !== undefined && !destCidrIp && !ipv6DestCidrIp) destGroupId = group;
    if (!destCidrIp && !ipv6DestCidrIp && !destGroupId) throw SecurityGroupErrors.destMissing(where);
  }

  // VPC groups support only intranet rules (SDK NicType remarks); a group reference with
  // internet has its own code.
  const nicText = (given(input.nicType) ?? 'intranet').toLowerCase();
  if (nicText !== 'intranet') {
    if (nicText === 'internet' && sourceGroupId) throw SecurityGroupErrors.sourceGroupNicMismatch();
    if (nicText === 'internet' && destGroupId) throw SecurityGroupErrors.destGroupNicMismatch();
    throw SecurityGroupErrors.nicTypeInvalid(name('NicType'));
  }

  return {
    direction,
    ipProtocol,
    portRange,
    sourcePortRange,
    sourceCidrIp,
    ipv6SourceCidrIp,
    sourceGroupId,
    destCidrIp,
    ipv6DestCidrIp,
    destGroupId,
    policy,
    priority,
    nicType: 'intranet',
    description,
  };
}

function fail(error: Error): never {
  throw error;
}

/** The security group a rule references, or '' (inbound: its source; outbound: its destination). */
export function referencedGroupId(rule: Pick<Rule, 'sourceGroupId' | 'destGroupId'>): string {
  return rule.sourceGroupId || rule.destGroupId;
}

/**
 * The identity of a rule. The cloud determines a rule by its remote end (CIDR, IPv6 CIDR or
 * group), PortRange, IpProtocol and Policy (SDK AuthorizeSecurityGroup note, "How to determine a
 * rule"), plus NicType, SourcePortRange and the quintuple's other end (AuthorizeSecurityGroup
 * page, 2021). Priority and Description are attributes of a rule, not part of what it is: adding
 * the same rule with another priority changes nothing.
 */
export function ruleKey(r: RuleIdentity): string {
  return [
    r.direction,
    r.ipProtocol,
    r.portRange,
    r.sourcePortRange,
    asNetwork(r.sourceCidrIp, 32),
    asNetwork(r.ipv6SourceCidrIp, 128),
    r.sourceGroupId,
    asNetwork(r.destCidrIp, 32),
    asNetwork(r.ipv6DestCidrIp, 128),
    r.destGroupId,
    r.policy,
    r.nicType,
  ].join('|');
}

/** Whether two rules are "the same rule": idempotent Authorize, Revoke by Permissions. */
export function sameRule(a: RuleIdentity, b: RuleIdentity): boolean {
  return ruleKey(a) === ruleKey(b);
}

/** The index of the first rule that repeats an earlier one in the same request, or -1. */
export function firstDuplicate(rules: readonly RuleIdentity[]): number {
  const seen = new Set<string>();
  for (let i = 0; i < rules.length; i++) {
    const key = ruleKey(rules[i]!);
    if (seen.has(key)) return i;
    seen.add(key);
  }
  return -1;
}

/** The kinds of authorization object a rule has (its remote end: the source inbound, the destination outbound). */
export type AuthorizationKind = 'an IPv4 CIDR block' | 'an IPv6 CIDR block' | 'a security group';

/** The wire fields of a rule's remote end, by direction. */
const REMOTE_FIELDS = {
  ingress: { ipv4: 'sourceCidrIp', ipv6: 'ipv6SourceCidrIp', group: 'sourceGroupId' },
  egress: { ipv4: 'destCidrIp', ipv6: 'ipv6DestCidrIp', group: 'destGroupId' },
} as const;

/** The kind of a rule's authorization object. */
export function authorizationKind(rule: Rule): AuthorizationKind {
  const f = REMOTE_FIELDS[rule.direction];
  if (rule[f.ipv4]) return 'an IPv4 CIDR block';
  if (rule[f.ipv6]) return 'an IPv6 CIDR block';
  return 'a security group';
}

/**
 * ModifySecurityGroupRule(Egress) by SecurityGroupRuleId: the rule as it becomes. Every field the
 * request gives replaces the rule's; a field left out, or given empty, keeps its value ("you cannot
 * change a field from a non-empty value to an empty value", SDK note). The authorization object
 * keeps its kind (an IPv4 CIDR stays an IPv4 CIDR or address, a group another group), and NicType
 * cannot change (SDK NicType remarks; the ModifySecurityGroupRule page's
 * InvalidOperation.ModifySgRuleEntityType and InvalidOperation.ModifyNicType). As on Authorize, a
 * CIDR given with a group wins and the group is not part of the rule. The result is validated as
 * a new rule is (normalizeRule), so every code a malformed rule answers applies.
 */
export function applyRuleChanges(current: Rule, changes: RuleInput): Rule {
  const direction = current.direction;
  const f = REMOTE_FIELDS[direction];
  if (direction === 'ingress' && changes.destGroupId !== undefined) throw new Error('an inbound rule has no DestGroupId');
  if (direction === 'egress' && changes.sourceGroupId !== undefined) throw new Error('an outbound rule has no SourceGroupId');

  const nic = given(changes.nicType)?.toLowerCase();
  if (nic !== undefined && nic !== 'intranet') {
    if (nic === 'internet') throw SecurityGroupErrors.nicTypeFixed();
    throw SecurityGroupErrors.nicTypeInvalid('NicType');
  }

  // The remote end the request gives, if any: a CIDR of either family wins over a group.
  const v4 = given(changes[f.ipv4]);
  const v6 = given(changes[f.ipv6]);
  const group = given(changes[f.group]);
  if (v4 !== undefined && v6 !== undefined) {
    throw direction === 'ingress' ? SecurityGroupErrors.sourceIpConflict('the request') : SecurityGroupErrors.destIpConflict('the request');
  }
  const kind: AuthorizationKind | undefined =
    v4 !== undefined ? 'an IPv4 CIDR block' : v6 !== undefined ? 'an IPv6 CIDR block' : group !== undefined ? 'a security group' : undefined;
  const was = authorizationKind(current);
  if (kind !== undefined && kind !== was) throw SecurityGroupErrors.ruleEntityTypeFixed(was, kind);

  // DIVERGENCE: the cloud says a field cannot go from a value to empty, not what an empty value
  // does; here it changes nothing (docs/divergences.md, Security groups).
  const keep = (value: string | undefined, old: string): string | undefined => given(value) ?? (old === '' ? undefined : old);
  const remote =
    kind === undefined ? { ipv4: current[f.ipv4], ipv6: current[f.ipv6], group: current[f.group] } : { ipv4: v4 ?? '', ipv6: v6 ?? '', group: group ?? '' };
  // Both ends: the remote one as decided above, the other (the destination inbound, the source
  // outbound) kept or replaced field by field.
  const ends =
    direction === 'ingress'
      ? {
          sourceCidrIp: remote.ipv4,
          ipv6SourceCidrIp: remote.ipv6,
          destCidrIp: keep(changes.destCidrIp, current.destCidrIp),
          ipv6DestCidrIp: keep(changes.ipv6DestCidrIp, current.ipv6DestCidrIp),
        }
      : {
          destCidrIp: remote.ipv4,
          ipv6DestCidrIp: remote.ipv6,
          sourceCidrIp: keep(changes.sourceCidrIp, current.sourceCidrIp),
          ipv6SourceCidrIp: keep(changes.ipv6SourceCidrIp, current.ipv6SourceCidrIp),
        };
  const merged: RuleInput = {
    ipProtocol: keep(changes.ipProtocol, current.ipProtocol),
    portRange: keep(changes.portRange, current.portRange),
    sourcePortRange: keep(changes.sourcePortRange, current.sourcePortRange),
    sourceCidrIp: ends.sourceCidrIp || undefined,
    ipv6SourceCidrIp: ends.ipv6SourceCidrIp || undefined,
    destCidrIp: ends.destCidrIp || undefined,
    ipv6DestCidrIp: ends.ipv6DestCidrIp || undefined,
    ...(direction === 'ingress' ? { sourceGroupId: remote.group || undefined } : { destGroupId: remote.group || undefined }),
    policy: keep(changes.policy, current.policy),
    priority: keep(changes.priority, String(current.priority)),
    nicType: 'intranet',
    description: keep(changes.description, current.description),
  };
  return normalizeRule(direction, merged);
}

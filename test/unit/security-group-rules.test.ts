import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  applyRuleChanges,
  authorizationKind,
  firstDuplicate,
  normalizeRule,
  parseIpv4Source,
  parseIpv6Source,
  referencedGroupId,
  sameRule,
  type RuleInput,
} from '../../src/domain/security-group-rules.ts';
import { ApiError } from '../../src/errors/api-error.ts';

function code(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ApiError, `expected an ApiError, got ${String(err)}`);
    return `${err.httpStatus} ${err.code}`;
  }
  assert.fail('expected an error');
}

const tcp22: RuleInput = { ipProtocol: 'tcp', portRange: '22/22', sourceCidrIp: '10.0.0.0/8' };
const ingress = (input: RuleInput) => normalizeRule('ingress', input, 'Permissions.1.');
const egress = (input: RuleInput) => normalizeRule('egress', input, 'Permissions.1.');

test('security group rules: defaults and the forms the cloud returns (TCP upper-case, Accept, priority 1, intranet)', () => {
  assert.deepEqual(ingress(tcp22), {
    direction: 'ingress',
    ipProtocol: 'TCP',
    portRange: '22/22',
    sourcePortRange: '',
    sourceCidrIp: '10.0.0.0/8',
    ipv6SourceCidrIp: '',
    sourceGroupId: '',
    destCidrIp: '',
    ipv6DestCidrIp: '',
    destGroupId: '',
    policy: 'Accept',
    priority: 1,
    nicType: 'intranet',
    description: '',
  });
  const r = ingress({
    ipProtocol: 'All',
    portRange: '-1/-1',
    sourceCidrIp: '0.0.0.0/0',
    policy: 'DROP',
    priority: '100',
    nicType: 'Intranet',
    description: 'x',
  });
  assert.equal(r.ipProtocol, 'ALL');
  assert.equal(r.policy, 'Drop');
  assert.equal(r.priority, 100);
  assert.equal(r.description, 'x');
});

test('security group rules: IpProtocol must be TCP, UDP, ICMP, GRE or ALL, in any case, and is required', () => {
  for (const p of ['tcp', 'UDP', 'Icmp', 'gre', 'all']) {
    const ports = /tcp|udp/i.test(p) ? '1/65535' : '-1/-1';
    assert.doesNotThrow(() => ingress({ ...tcp22, ipProtocol: p, portRange: ports }));
  }
  assert.equal(
    code(() => ingress({ ...tcp22, ipProtocol: 'sctp' })),
    '400 InvalidIpProtocol.ValueNotSupported',
  );
  assert.equal(
    code(() => ingress({ ...tcp22, ipProtocol: '6' })),
    '400 InvalidIpProtocol.ValueNotSupported',
  );
  assert.equal(
    code(() => ingress({ ...tcp22, ipProtocol: undefined })),
    '400 MissingParameter',
  );
});

test('security group rules: PortRange is start/end in 1..65535 for TCP/UDP and -1/-1 for ICMP, GRE and ALL', () => {
  assert.equal(ingress({ ...tcp22, portRange: '1/65535' }).portRange, '1/65535');
  assert.equal(ingress({ ...tcp22, portRange: '080/0443' }).portRange, '80/443');
  assert.equal(
    code(() => ingress({ ...tcp22, portRange: undefined })),
    '400 InvalidPortRange.Malformed',
  );
  assert.equal(
    code(() => ingress({ ...tcp22, portRange: '22' })),
    '400 InvalidParam.PortRange',
  );
  assert.equal(
    code(() => ingress({ ...tcp22, portRange: '0/22' })),
    '400 InvalidParam.PortRange',
  );
  assert.equal(
    code(() => ingress({ ...tcp22, portRange: '1/65536' })),
    '400 InvalidParam.PortRange',
  );
  assert.equal(
    code(() => ingress({ ...tcp22, portRange: '443/80' })),
    '400 InvalidParam.PortRange',
  );
  assert.equal(
    code(() => ingress({ ...tcp22, portRange: '-1/-1' })),
    '400 OperationDenied',
  );
  assert.equal(
    code(() => ingress({ ...tcp22, ipProtocol: 'ICMP', portRange: '22/22' })),
    '400 OperationDenied',
  );
  assert.equal(
    code(() => ingress({ ...tcp22, ipProtocol: 'GRE', portRange: '-2/-1' })),
    '400 InvalidParam.PortRange',
  );
  assert.equal(ingress({ ...tcp22, sourcePortRange: '1000/2000' }).sourcePortRange, '1000/2000');
  assert.equal(
    code(() => ingress({ ...tcp22, sourcePortRange: '-1/-1' })),
    '400 InvalidSourcePortRange.Malformed',
  );
});

test('security group rules: Policy accept|drop, Priority 1..100, NicType intranet only, Description up to 512', () => {
  assert.equal(
    code(() => ingress({ ...tcp22, policy: 'reject' })),
    '400 InvalidPolicy.Malformed',
  );
  assert.equal(
    code(() => ingress({ ...tcp22, priority: 'high' })),
    '400 InvalidPriority.Malformed',
  );
  assert.equal(
    code(() => ingress({ ...tcp22, priority: '0' })),
    '400 InvalidPriority.ValueNotSupported',
  );
  assert.equal(
    code(() => ingress({ ...tcp22, priority: '101' })),
    '400 InvalidPriority.ValueNotSupported',
  );
  assert.equal(
    code(() => ingress({ ...tcp22, nicType: 'internet' })),
    '400 InvalidNicType.ValueNotSupported',
  );
  assert.equal(
    code(() => ingress({ ...tcp22, nicType: 'public' })),
    '400 InvalidNicType.ValueNotSupported',
  );
  assert.equal(
    code(() => ingress({ ipProtocol: 'tcp', portRange: '22/22', sourceGroupId: 'sg-x', nicType: 'internet' })),
    '403 InvalidSourceGroupId.Mismatch',
  );
  assert.equal(
    code(() => egress({ ipProtocol: 'tcp', portRange: '22/22', destGroupId: 'sg-x', nicType: 'internet' })),
    '403 InvalidDestGroupId.Mismatch',
  );
  assert.equal(ingress({ ...tcp22, description: 'd'.repeat(512) }).description.length, 512);
  assert.equal(
    code(() => ingress({ ...tcp22, description: 'd'.repeat(513) })),
    '400 InvalidSecurityGroupDiscription.Malformed',
  );
});

test('security group rules: an inbound rule needs a source, an outbound rule a destination', () => {
  assert.equal(
    code(() => ingress({ ipProtocol: 'tcp', portRange: '22/22' })),
    '400 MissingParameter.Source',
  );
  assert.equal(
    code(() => ingress({ ipProtocol: 'tcp', portRange: '22/22', destCidrIp: '10.0.0.0/8' })),
    '400 MissingParameter.Source',
  );
  assert.equal(
    code(() => egress({ ipProtocol: 'tcp', portRange: '22/22', sourceCidrIp: '10.0.0.0/8' })),
    '400 MissingParameter.Dest',
  );
  assert.equal(egress({ ipProtocol: 'tcp', portRange: '22/22', destGroupId: 'sg-b' }).destGroupId, 'sg-b');
  assert.equal(referencedGroupId(ingress({ ipProtocol: 'tcp', portRange: '22/22', sourceGroupId: 'sg-a' })), 'sg-a');
});

test('security group rules: a CIDR given with a group takes precedence, the group is not part of the rule', () => {
  const r = ingress({ ...tcp22, sourceGroupId: 'sg-a' });
  assert.equal(r.sourceGroupId, '');
  assert.equal(r.sourceCidrIp, '10.0.0.0/8');
  assert.equal(egress({ ipProtocol: 'tcp', portRange: '22/22', destGroupId: 'sg-b', ipv6DestCidrIp: '2001:db8::/32' }).destGroupId, '');
});

test('security group rules: CIDRs and addresses are validated per family, one family per rule', () => {
  assert.equal(parseIpv4Source('10.0.0.1'), '10.0.0.1');
  assert.equal(parseIpv4Source('0.0.0.0/0'), '0.0.0.0/0');
  assert.equal(parseIpv4Source('10.0.0.1/8'), undefined);
  assert.equal(parseIpv4Source('10.0.0.0/33'), undefined);
  assert.equal(parseIpv4Source('256.0.0.0/8'), undefined);
  assert.equal(parseIpv6Source('2001:DB8:0::/32'), '2001:db8::/32');
  assert.equal(parseIpv6Source('2001:db8::1'), '2001:db8::1');
  assert.equal(parseIpv6Source('2001:db8::1/32'), undefined);
  assert.equal(parseIpv6Source('10.0.0.0/8'), undefined);
  assert.equal(
    code(() => ingress({ ...tcp22, sourceCidrIp: '10.0.0.300' })),
    '400 InvalidSourceCidrIp.Malformed',
  );
  assert.equal(
    code(() => ingress({ ...tcp22, destCidrIp: 'x' })),
    '400 InvalidDestCidrIp.Malformed',
  );
  assert.equal(
    code(() => ingress({ ipProtocol: 'tcp', portRange: '22/22', ipv6SourceCidrIp: 'zz::1' })),
    '400 InvalidParam.Ipv6SourceCidrIp',
  );
  assert.equal(
    code(() => egress({ ipProtocol: 'tcp', portRange: '22/22', ipv6DestCidrIp: '10.0.0.0/8' })),
    '400 InvalidParam.Ipv6DestCidrIp',
  );
  assert.equal(
    code(() => ingress({ ...tcp22, ipv6SourceCidrIp: '::/0' })),
    '400 InvalidParam.SourceIp',
  );
  assert.equal(
    code(() => egress({ ipProtocol: 'tcp', portRange: '22/22', destCidrIp: '10.0.0.0/8', ipv6DestCidrIp: '::/0' })),
    '400 InvalidParam.DestIp',
  );
  assert.equal(
    code(() => ingress({ ...tcp22, ipv6DestCidrIp: '::/0' })),
    '400 InvalidParameter.Conflict',
  );
  assert.equal(
    code(() => ingress({ ipProtocol: 'icmp', portRange: '-1/-1', ipv6SourceCidrIp: '::/0' })),
    '400 InvalidParam.Ipv4ProtocolConflictWithIpv6Address',
  );
  assert.equal(
    code(() => ingress({ ...tcp22, destCidrIp: '10.0.0.0/8' })),
    '400 InvalidParamter.Conflict',
  );
});

test('security group rules: the same rule is the same remote end, ports, protocol and policy, whatever its priority or description', () => {
  const a = ingress(tcp22);
  assert.ok(sameRule(a, ingress({ ...tcp22, ipProtocol: 'TCP', priority: '5', description: 'other', policy: 'Accept', nicType: 'intranet' })));
  assert.ok(sameRule(ingress({ ...tcp22, sourceCidrIp: '10.0.0.1' }), ingress({ ...tcp22, sourceCidrIp: '10.0.0.1/32' })));
  assert.ok(!sameRule(a, ingress({ ...tcp22, policy: 'drop' })));
  assert.ok(!sameRule(a, ingress({ ...tcp22, portRange: '22/23' })));
  assert.ok(!sameRule(a, ingress({ ...tcp22, sourceCidrIp: '10.0.0.0/9' })));
  assert.ok(!sameRule(a, ingress({ ...tcp22, sourcePortRange: '1/2' })));
  assert.ok(!sameRule(a, ingress({ ...tcp22, ipProtocol: 'udp' })));
  assert.ok(!sameRule(a, { ...a, direction: 'egress' }));
  assert.equal(firstDuplicate([a, ingress({ ...tcp22, portRange: '80/80' }), ingress({ ...tcp22, priority: '9' })]), 2);
  assert.equal(firstDuplicate([a, ingress({ ...tcp22, portRange: '80/80' })]), -1);
});

test('security group rules: messages name the wire parameter at fault', () => {
  try {
    normalizeRule('ingress', { ...tcp22, portRange: 'x' }, 'Permissions.3.');
    assert.fail('expected an error');
  } catch (err) {
    assert.match((err as Error).message, /Permissions\.3\.PortRange/);
  }
  try {
    normalizeRule('ingress', { ipProtocol: 'tcp', portRange: '22/22' });
    assert.fail('expected an error');
  } catch (err) {
    assert.match((err as Error).message, /in the request must be specified/);
  }
});

test("ModifySecurityGroupRule by ID: the fields given replace the rule's; those left out, or given empty, stay", () => {
  const rule = ingress({ ...tcp22, destCidrIp: '10.1.0.0/16', sourcePortRange: '1024/65535', priority: '5', description: 'ssh' });
  assert.deepEqual(applyRuleChanges(rule, {}), rule);
  assert.deepEqual(applyRuleChanges(rule, { sourceCidrIp: '', description: '', portRange: ' ', priority: '', sourcePortRange: '' }), rule);
  assert.deepEqual(applyRuleChanges(rule, { portRange: '2222/2222', policy: 'drop', priority: '50', description: 'moved', nicType: 'Intranet' }), {
    ...rule,
    portRange: '2222/2222',
    policy: 'Drop',
    priority: 50,
    description: 'moved',
  });
  // Another IPv4 CIDR block or address for the source; another destination.
  assert.equal(applyRuleChanges(rule, { sourceCidrIp: '192.168.1.7' }).sourceCidrIp, '192.168.1.7');
  assert.equal(applyRuleChanges(rule, { destCidrIp: '10.2.0.0/16' }).destCidrIp, '10.2.0.0/16');
  // The protocol may change when the ports (both ranges) suit it.
  const all = applyRuleChanges(ingress(tcp22), { ipProtocol: 'all', portRange: '-1/-1' });
  assert.deepEqual([all.ipProtocol, all.portRange], ['ALL', '-1/-1']);
  assert.equal(
    code(() => applyRuleChanges(rule, { ipProtocol: 'all' })),
    '400 OperationDenied',
  );
  assert.equal(
    code(() => applyRuleChanges(rule, { ipProtocol: 'all', portRange: '-1/-1' })),
    '400 InvalidSourcePortRange.Malformed',
    'the kept source port range does not suit ALL, and cannot be emptied',
  );
  // The changed rule is checked as a new one.
  assert.equal(
    code(() => applyRuleChanges(rule, { priority: '101' })),
    '400 InvalidPriority.ValueNotSupported',
  );
  assert.equal(
    code(() => applyRuleChanges(rule, { sourceCidrIp: '10.0.0.1/8' })),
    '400 InvalidSourceCidrIp.Malformed',
  );
  assert.equal(
    code(() => applyRuleChanges(rule, { description: 'd'.repeat(513) })),
    '400 InvalidSecurityGroupDiscription.Malformed',
  );
});

test('ModifySecurityGroupRule by ID: the authorization object keeps its kind and NicType stays intranet', () => {
  const cidr = ingress(tcp22);
  const v6 = ingress({ ipProtocol: 'tcp', portRange: '22/22', ipv6SourceCidrIp: '2001:db8::/32' });
  const group = ingress({ ipProtocol: 'tcp', portRange: '22/22', sourceGroupId: 'sg-a' });
  const out = egress({ ipProtocol: 'tcp', portRange: '443/443', destGroupId: 'sg-b' });
  assert.deepEqual([cidr, v6, group, out].map(authorizationKind), ['an IPv4 CIDR block', 'an IPv6 CIDR block', 'a security group', 'a security group']);
  assert.equal(applyRuleChanges(v6, { ipv6SourceCidrIp: '2001:DB8:1::/48' }).ipv6SourceCidrIp, '2001:db8:1::/48');
  assert.equal(applyRuleChanges(group, { sourceGroupId: 'sg-c' }).sourceGroupId, 'sg-c');
  assert.equal(applyRuleChanges(out, { destGroupId: 'sg-c' }).destGroupId, 'sg-c');
  // A group given with a CIDR: the CIDR wins (as on Authorize), so the kind is the CIDR's.
  assert.equal(applyRuleChanges(cidr, { sourceCidrIp: '10.9.0.0/16', sourceGroupId: 'sg-x' }).sourceGroupId, '');
  for (const [rule, changes] of [
    [cidr, { sourceGroupId: 'sg-a' }],
    [cidr, { ipv6SourceCidrIp: '::/0' }],
    [v6, { sourceCidrIp: '0.0.0.0/0' }],
    [group, { sourceCidrIp: '0.0.0.0/0', sourceGroupId: 'sg-a' }],
    [out, { destCidrIp: '0.0.0.0/0' }],
  ] as const) {
    assert.equal(
      code(() => applyRuleChanges(rule, changes)),
      '400 InvalidOperation.ModifySgRuleEntityType',
      JSON.stringify(changes),
    );
  }
  assert.equal(
    code(() => applyRuleChanges(cidr, { sourceCidrIp: '0.0.0.0/0', ipv6SourceCidrIp: '::/0' })),
    '400 InvalidParam.SourceIp',
  );
  assert.equal(
    code(() => applyRuleChanges(cidr, { nicType: 'internet' })),
    '400 InvalidOperation.ModifyNicType',
  );
  assert.equal(
    code(() => applyRuleChanges(cidr, { nicType: 'public' })),
    '400 InvalidNicType.ValueNotSupported',
  );
  // The other end cannot take the other address family.
  assert.equal(
    code(() => applyRuleChanges(cidr, { ipv6DestCidrIp: '2001:db8::1' })),
    '400 InvalidParameter.Conflict',
  );
});

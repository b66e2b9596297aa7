import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compileSecurityGroups, orderedRules, securityGroupsDigest, type SgRuleInput, type SgVpcInput } from '../../src/dataplane/security-groups.ts';

// The security group compiler, without root: what the nft text says. The packets are checked in
// test/dataplane/security-groups-netns.test.ts.

const rule = (over: Partial<SgRuleInput>): SgRuleInput => ({
  direction: 'ingress',
  ipProtocol: 'TCP',
  portRange: '22/22',
  sourceCidrIp: '0.0.0.0/0',
  policy: 'Accept',
  priority: 1,
  ...over,
});

function input(over: Partial<SgVpcInput> = {}): SgVpcInput {
  return {
    enis: [
      { id: 'eni-1', routerLink: 'epaaaa', addresses: ['10.0.0.5', '10.0.0.6'], sourceDestCheck: false, securityGroupIds: ['sg-1'] },
      { id: 'eni-2', routerLink: 'epbbbb', addresses: ['10.0.0.7', '10.0.0.16/28'], sourceDestCheck: true, securityGroupIds: ['sg-2'] },
    ],
    groups: [
      { id: 'sg-1', type: 'normal', innerAccessPolicy: 'Accept', rules: [] },
      { id: 'sg-2', type: 'normal', innerAccessPolicy: 'Drop', rules: [] },
    ],
    ...over,
  };
}

/** The rule lines of one chain. */
function chain(text: string, name: string): string[] {
  const m = new RegExp(`\\tchain ${name} \\{\\n([\\s\\S]*?)\\t\\}\\n`).exec(text);
  assert.ok(m, `chain ${name} in\n${text}`);
  return m[1]!
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

describe('security group compiler', () => {
  test('rules of all groups: by priority, drop before accept on a tie, then in order', () => {
    const rules = [
      rule({ portRange: '1/1', priority: 5 }),
      rule({ portRange: '2/2', priority: 1 }),
      rule({ portRange: '3/3', priority: 5, policy: 'Drop' }),
      rule({ portRange: '4/4', priority: 100, policy: 'drop' }),
      rule({ portRange: '5/5', priority: 1 }),
      rule({ portRange: '6/6', direction: 'egress' }),
    ];
    assert.deepEqual(
      orderedRules(
        [
          { id: 'a', type: 'normal', innerAccessPolicy: 'Accept', rules: rules.slice(0, 3) },
          { id: 'b', type: 'normal', innerAccessPolicy: 'Accept', rules: rules.slice(3) },
        ],
        'ingress',
      ).map((r) => r.portRange),
      ['2/2', '5/5', '3/3', '1/1', '4/4'],
    );
  });

  test('the forward chain: source/destination check first, then conntrack, then egress and ingress by link', () => {
    const text = compileSecurityGroups(input());
    assert.deepEqual(chain(text, 'forward'), [
      'type filter hook forward priority filter; policy accept;',
      'iifname vmap { "epbbbb" : jump sdc_epbbbb_out }',
      'oifname vmap { "epbbbb" : jump sdc_epbbbb_in }',
      'ct state established,related accept',
      'iifname vmap { "epaaaa" : jump out_epaaaa, "epbbbb" : jump out_epbbbb }',
      'oifname vmap { "epaaaa" : jump in_epaaaa, "epbbbb" : jump in_epbbbb }',
    ]);
    assert.deepEqual(chain(text, 'sdc_epbbbb_out'), ['ip saddr { 10.0.0.7, 10.0.0.16/28 } return', 'drop']);
    assert.deepEqual(chain(text, 'sdc_epbbbb_in'), ['ip daddr { 10.0.0.7, 10.0.0.16/28 } return', 'drop']);
    assert.ok(!text.includes('sdc_epaaaa'));
    assert.match(text, /^table inet eniplane\ndelete table inet eniplane\ntable inet eniplane \{\n\tcomment "eniplane-sg sha256:[0-9a-f]{64}"\n/);
  });

  test('a basic group with inner access Accept lets its members in before any rule; Drop leaves it to the rules', () => {
    const text = compileSecurityGroups(
      input({
        groups: [
          {
            id: 'sg-1',
            type: 'normal',
            innerAccessPolicy: 'Accept',
            rules: [
              rule({ policy: 'Drop' }),
              rule({ direction: 'egress', destCidrIp: '10.0.0.0/8', sourceCidrIp: '', policy: 'Drop', ipProtocol: 'ALL', portRange: '-1/-1' }),
            ],
          },
          { id: 'sg-2', type: 'normal', innerAccessPolicy: 'Drop', rules: [] },
        ],
      }),
    );
    assert.deepEqual(chain(text, 'in_epaaaa'), ['ip saddr @g_sg_1 accept', 'meta l4proto tcp ip saddr 0.0.0.0/0 th dport 22 drop', 'drop']);
    assert.deepEqual(chain(text, 'out_epaaaa'), ['ip daddr @g_sg_1 return', 'ip daddr 10.0.0.0/8 drop']);
    assert.deepEqual(chain(text, 'in_epbbbb'), ['drop']);
    assert.deepEqual(chain(text, 'out_epbbbb'), []);
  });

  test('protocols, port ranges, source ports, group sources and destinations, quintuple ends', () => {
    const rules: SgRuleInput[] = [
      rule({ ipProtocol: 'udp', portRange: '53/53', sourcePortRange: '1024/65535' }),
      rule({ ipProtocol: 'ICMP', portRange: '-1/-1', sourceCidrIp: '10.0.0.7' }),
      rule({ ipProtocol: 'GRE', portRange: '-1/-1' }),
      rule({ ipProtocol: 'ALL', portRange: '-1/-1', sourceCidrIp: '', sourceGroupId: 'sg-2', destCidrIp: '10.0.0.5' }),
      rule({ ipProtocol: 'TCP', portRange: '8000/8999', sourceCidrIp: '', ipv6SourceCidrIp: '2408::/64' }),
      rule({ sourceCidrIp: '', sourceGroupId: 'sg-unknown' }),
      rule({ sourceCidrIp: '', sourcePrefixListId: 'pl-1' }),
      rule({ direction: 'egress', sourceCidrIp: '', destGroupId: 'sg-2', portRange: '443/443' }),
    ];
    const text = compileSecurityGroups(
      input({
        groups: [
          { id: 'sg-1', type: 'normal', innerAccessPolicy: 'Drop', rules },
          { id: 'sg-2', type: 'normal', innerAccessPolicy: 'Drop', rules: [] },
        ],
      }),
    );
    assert.deepEqual(chain(text, 'in_epaaaa'), [
      'meta l4proto udp ip saddr 0.0.0.0/0 th sport 1024-65535 th dport 53 accept',
      'meta l4proto icmp ip saddr 10.0.0.7 accept',
      'meta l4proto gre ip saddr 0.0.0.0/0 accept',
      'ip saddr @g_sg_2 ip daddr 10.0.0.5 accept',
      'meta l4proto tcp ip6 saddr 2408::/64 th dport 8000-8999 accept',
      'drop',
    ]);
    assert.deepEqual(chain(text, 'out_epaaaa'), ['meta l4proto tcp ip daddr @g_sg_2 th dport 443 return']);
    assert.match(text, /set g_sg_2 \{\n\t\ttype ipv4_addr\n\t\tflags interval\n\t\tauto-merge\n\t\telements = \{ 10\.0\.0\.16\/28, 10\.0\.0\.7 \}\n\t\}/);
  });

  test('enterprise groups: no inner access, outbound dropped when no rule accepts it', () => {
    const text = compileSecurityGroups(
      input({
        groups: [
          {
            id: 'sg-1',
            type: 'enterprise',
            innerAccessPolicy: 'Accept',
            rules: [rule({ direction: 'egress', sourceCidrIp: '', destCidrIp: '0.0.0.0/0', portRange: '80/80' })],
          },
          { id: 'sg-2', type: 'normal', innerAccessPolicy: 'Accept', rules: [] },
        ],
      }),
    );
    assert.deepEqual(chain(text, 'out_epaaaa'), ['meta l4proto tcp ip daddr 0.0.0.0/0 th dport 80 return', 'drop']);
    assert.deepEqual(chain(text, 'in_epaaaa'), ['drop']);
  });

  test('no ENI: a table with an empty forward chain; the same input, the same text and digest', () => {
    const empty = compileSecurityGroups({ enis: [], groups: [] });
    assert.deepEqual(chain(empty, 'forward'), ['type filter hook forward priority filter; policy accept;', 'ct state established,related accept']);
    const a = compileSecurityGroups(input());
    const reordered = input();
    const b = compileSecurityGroups({ ...reordered, enis: [...reordered.enis].reverse() });
    assert.equal(a, b);
    assert.equal(securityGroupsDigest(a)?.length, 64);
    assert.notEqual(securityGroupsDigest(a), securityGroupsDigest(empty));
  });

  test('refuses what would not be a valid name or address in nft', () => {
    assert.throws(
      () =>
        compileSecurityGroups(input({ enis: [{ id: 'e', routerLink: 'ep"; flush ruleset', addresses: [], sourceDestCheck: false, securityGroupIds: [] }] })),
      /not an interface name/,
    );
    assert.throws(
      () =>
        compileSecurityGroups(
          input({ groups: [{ id: 'sg-1', type: 'normal', innerAccessPolicy: 'Accept', rules: [rule({ sourceCidrIp: '10.0.0.0/8 accept' })] }] }),
        ),
      /not an IPv4/,
    );
    assert.throws(
      () => compileSecurityGroups(input({ groups: [{ id: 'sg-1', type: 'normal', innerAccessPolicy: 'Accept', rules: [rule({ ipProtocol: 'SCTP' })] }] })),
      /unknown protocol/,
    );
    const dup = input();
    assert.throws(() => compileSecurityGroups({ ...dup, enis: [dup.enis[0]!, { ...dup.enis[1]!, routerLink: 'epaaaa' }] }), /two ENIs/);
  });
});

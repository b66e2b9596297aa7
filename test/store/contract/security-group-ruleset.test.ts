import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eniRouterLink } from '../../../src/dataplane/names.ts';
import { securityGroupInputForVpc, securityGroupRulesetForVpc } from '../../../src/dataplane/security-groups-store.ts';
import { setEniSecurityGroups, updateEni } from '../../../src/store/repos/enis.ts';
import { insertRules, insertSecurityGroup } from '../../../src/store/repos/security-groups.ts';
import { insertVpc } from '../../../src/store/repos/vpcs.ts';
import { insertVSwitch } from '../../../src/store/repos/vswitches.ts';
import { ACCOUNT_ID, REGION_ID, forEachBackend } from './backends.ts';
import { eniFixture, ruleFixture, securityGroupFixture, vpcFixture, vswitchFixture } from './fixtures.ts';

// The data plane's read of one VPC for its security group ruleset (dataplane/security-groups-store.ts).

forEachBackend('store contract: the security group ruleset of a VPC', ({ write, read }) => {
  test('ENIs, addresses, memberships and rules of one VPC; referenced groups with their members in this VPC only', async () => {
    await write(async (tx) => {
      for (const vpc of ['vpc-r1', 'vpc-r2']) await insertVpc(tx, vpcFixture(vpc));
      const vsw1 = vswitchFixture('vsw-r1', 'vpc-r1', { cidrBlock: '10.1.0.0/24' });
      const vsw2 = vswitchFixture('vsw-r2', 'vpc-r2', { cidrBlock: '10.1.0.0/24' });
      await insertVSwitch(tx, vsw1);
      await insertVSwitch(tx, vsw2);
      await insertSecurityGroup(tx, securityGroupFixture('sg-r1', 'vpc-r1'));
      await insertSecurityGroup(tx, securityGroupFixture('sg-r2', 'vpc-r1', { innerAccessPolicy: 'Drop' }));
      await insertSecurityGroup(tx, securityGroupFixture('sg-r3', 'vpc-r2'));
      await eniFixture(tx, 'eni-r1', vsw1, ['10.1.0.10', '10.1.0.11']);
      await eniFixture(tx, 'eni-r2', vsw1, ['10.1.0.20']);
      // Another VPC, the same addresses: never in this VPC's sets.
      await eniFixture(tx, 'eni-r3', vsw2, ['10.1.0.20', '10.1.0.30']);
      await updateEni(tx, 'eni-r2', { sourceDestCheck: true });
      await setEniSecurityGroups(tx, 'eni-r1', ['sg-r1', 'sg-r2'], true);
      await setEniSecurityGroups(tx, 'eni-r2', ['sg-r2'], true);
      await setEniSecurityGroups(tx, 'eni-r3', ['sg-r3'], true);
      await insertRules(tx, [
        ruleFixture('sgr-r1', 'sg-r1', { portRange: '80/80', priority: 5 }),
        ruleFixture('sgr-r2', 'sg-r1', { sourceCidrIp: '', sourceGroupId: 'sg-r3', priority: 2 }),
        ruleFixture('sgr-r3', 'sg-r2', { direction: 'egress', sourceCidrIp: '', destCidrIp: '10.0.0.0/8', policy: 'Drop' }),
        ruleFixture('sgr-r4', 'sg-r3', { portRange: '443/443' }),
      ]);
    });

    const input = await securityGroupInputForVpc(read(), ACCOUNT_ID, REGION_ID, 'vpc-r1', 0);
    assert.deepEqual(
      input.enis.map((e) => [e.id, e.routerLink, e.addresses, e.sourceDestCheck, e.securityGroupIds]),
      [
        ['eni-r1', eniRouterLink('eni-r1'), ['10.1.0.10', '10.1.0.11'], false, ['sg-r1', 'sg-r2']],
        ['eni-r2', eniRouterLink('eni-r2'), ['10.1.0.20'], true, ['sg-r2']],
      ],
    );
    assert.deepEqual(
      input.groups.map((g) => [g.id, g.type, g.innerAccessPolicy, g.rules.map((r) => `${r.direction} ${r.portRange} ${r.policy} ${r.priority}`)]),
      [
        ['sg-r1', 'normal', 'Accept', ['ingress 80/80 Accept 5', 'ingress 22/22 Accept 2']],
        ['sg-r2', 'normal', 'Drop', ['egress 22/22 Drop 1']],
        // Referenced only: its members live in another VPC, its rules are not this VPC's.
        ['sg-r3', 'normal', 'Accept', []],
      ],
    );

    const text = await securityGroupRulesetForVpc(read(), ACCOUNT_ID, REGION_ID, 'vpc-r1', 0);
    assert.match(text, /set g_sg_r1 \{[^}]*elements = \{ 10\.1\.0\.10, 10\.1\.0\.11 \}/);
    assert.match(text, /set g_sg_r2 \{[^}]*elements = \{ 10\.1\.0\.10, 10\.1\.0\.11, 10\.1\.0\.20 \}/);
    assert.match(text, /set g_sg_r3 \{\s*type ipv4_addr\s*flags interval\s*auto-merge\s*\}/, 'no member of sg-r3 in this VPC');
    assert.ok(text.includes(`chain sdc_${eniRouterLink('eni-r2')}_out`));
    assert.ok(!text.includes(`sdc_${eniRouterLink('eni-r1')}`));
    assert.ok(!text.includes(eniRouterLink('eni-r3')));
    assert.equal(await securityGroupRulesetForVpc(read(), ACCOUNT_ID, REGION_ID, 'vpc-r1', 0), text, 'the same store, the same text');

    const other = await securityGroupInputForVpc(read(), ACCOUNT_ID, REGION_ID, 'vpc-r2', 0);
    assert.deepEqual(
      other.enis.map((e) => e.id),
      ['eni-r3'],
    );
  });
});

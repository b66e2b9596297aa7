import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  countRulesReferencing,
  countSecurityGroupsInRegion,
  countSecurityGroupsInVpc,
  deleteRules,
  deleteSecurityGroupRow,
  findSecurityGroup,
  insertRules,
  insertSecurityGroup,
  listSecurityGroups,
  ruleCountsOf,
  rulesOfGroup,
  securityGroupCapacityOf,
  securityGroupMemberCount,
  securityGroupNamesOf,
  updateSecurityGroup,
} from '../../../src/store/repos/security-groups.ts';
import { upsertTags } from '../../../src/store/repos/tags.ts';
import { insertVpc } from '../../../src/store/repos/vpcs.ts';
import { insertVSwitch } from '../../../src/store/repos/vswitches.ts';
import { ACCOUNT_ID, OTHER_ACCOUNT_ID, REGION_ID, forEachBackend } from './backends.ts';
import { eniFixture, ruleFixture, securityGroupFixture, vpcFixture, vswitchFixture } from './fixtures.ts';

const owner = { accountId: ACCOUNT_ID, regionId: REGION_ID };
const ALL = { offset: 0, limit: 100 };

forEachBackend('store contract: security groups', ({ write, read }) => {
  test('a stored group comes back as the same model; another account or region finds nothing', async () => {
    await write((tx) => insertVpc(tx, vpcFixture('vpc-sg')));
    const group = securityGroupFixture('sg-round', 'vpc-sg', { name: 'web', type: 'enterprise', innerAccessPolicy: 'Drop', createdAt: 1_700_000_000_789 });
    await write((tx) => insertSecurityGroup(tx, group));
    assert.deepEqual(await findSecurityGroup(read(), owner, 'sg-round'), group);
    assert.deepEqual(await write((tx) => findSecurityGroup(tx, owner, 'sg-round', true)), group);
    assert.equal(await findSecurityGroup(read(), { accountId: OTHER_ACCOUNT_ID, regionId: REGION_ID }, 'sg-round'), undefined);
    assert.equal(await findSecurityGroup(read(), { accountId: ACCOUNT_ID, regionId: 'cn-beijing' }, 'sg-round'), undefined);
  });

  test('the same group ID twice is refused by the database', async () => {
    await assert.rejects(() => write((tx) => insertSecurityGroup(tx, securityGroupFixture('sg-round', 'vpc-sg'))));
  });

  test('listing filters by IDs, VPC, name, type, group and tags; counts per VPC and per region', async () => {
    await write(async (tx) => {
      await insertVpc(tx, vpcFixture('vpc-sl'));
      await insertSecurityGroup(tx, securityGroupFixture('sg-l2', 'vpc-sl', { createdAt: 2, name: 'b' }));
      await insertSecurityGroup(tx, securityGroupFixture('sg-l1', 'vpc-sl', { createdAt: 1, name: 'a', resourceGroupId: 'rg-q' }));
      await insertSecurityGroup(tx, securityGroupFixture('sg-l3', 'vpc-sl', { createdAt: 3, name: 'a', type: 'enterprise' }));
      await insertSecurityGroup(tx, securityGroupFixture('sg-l4', 'vpc-sl', { createdAt: 3, regionId: 'cn-beijing' }));
      await upsertTags(tx, owner, 'securitygroup', 'sg-l3', [{ key: 'team', value: 'x' }], 1);
    });
    const ids = (q: Omit<Parameters<typeof listSecurityGroups>[1], 'accountId' | 'regionId'>) =>
      listSecurityGroups(read(), { ...owner, ...q }, ALL).then((r) => [r.groups.map((g) => g.id), r.total]);
    assert.deepEqual(await ids({ vpcId: 'vpc-sl' }), [['sg-l1', 'sg-l2', 'sg-l3'], 3]);
    assert.deepEqual(await ids({ ids: ['sg-l3', 'sg-l1', 'sg-round'] }), [['sg-l1', 'sg-l3', 'sg-round'], 3]);
    assert.deepEqual(await ids({ vpcId: 'vpc-sl', name: 'a' }), [['sg-l1', 'sg-l3'], 2]);
    assert.deepEqual(await ids({ vpcId: 'vpc-sl', type: 'enterprise' }), [['sg-l3'], 1]);
    assert.deepEqual(await ids({ resourceGroupId: 'rg-q' }), [['sg-l1'], 1]);
    assert.deepEqual(await ids({ tags: [{ key: 'team' }] }), [['sg-l3'], 1]);
    assert.deepEqual(await ids({ ids: [] }), [[], 0]);
    const page = await listSecurityGroups(read(), { ...owner, vpcId: 'vpc-sl' }, { offset: 1, limit: 1 });
    assert.deepEqual([page.groups.map((g) => g.id), page.total], [['sg-l2'], 3]);
    assert.equal(await countSecurityGroupsInVpc(read(), 'vpc-sl'), 4);
    assert.equal(await countSecurityGroupsInRegion(read(), ACCOUNT_ID, 'cn-beijing'), 1);
    assert.deepEqual([...(await securityGroupNamesOf(read(), ['sg-l1', 'sg-l2', 'sg-none']))].sort(), [
      ['sg-l1', 'a'],
      ['sg-l2', 'b'],
    ]);
  });

  test('an update changes only the fields it names', async () => {
    const group = securityGroupFixture('sg-upd', 'vpc-sg', { name: 'old', description: 'keep' });
    await write((tx) => insertSecurityGroup(tx, group));
    await write((tx) => updateSecurityGroup(tx, 'sg-upd', { innerAccessPolicy: 'Drop' }));
    await write((tx) => updateSecurityGroup(tx, 'sg-upd', {}));
    assert.deepEqual(await findSecurityGroup(read(), owner, 'sg-upd'), { ...group, innerAccessPolicy: 'Drop' });
    await write((tx) => updateSecurityGroup(tx, 'sg-upd', { name: 'new' }));
    assert.deepEqual(await findSecurityGroup(read(), owner, 'sg-upd'), { ...group, name: 'new', innerAccessPolicy: 'Drop' });
  });

  test('rules come back as stored, in creation order then ID, optionally of one direction', async () => {
    await write((tx) => insertSecurityGroup(tx, securityGroupFixture('sg-rules', 'vpc-sg')));
    const r1 = ruleFixture('sgr-2', 'sg-rules', { createdAt: 10, priority: 100, description: 'ssh' });
    const r2 = ruleFixture('sgr-1', 'sg-rules', { createdAt: 10, ipProtocol: 'ALL', portRange: '-1/-1' });
    const r3 = ruleFixture('sgr-3', 'sg-rules', { createdAt: 9, direction: 'egress', sourceCidrIp: '', destCidrIp: '10.0.0.0/8', policy: 'Drop' });
    await write((tx) => insertRules(tx, [r1, r2, r3]));
    await write((tx) => insertRules(tx, []));
    assert.deepEqual(await rulesOfGroup(read(), 'sg-rules'), [r3, r2, r1]);
    assert.deepEqual(await rulesOfGroup(read(), 'sg-rules', 'ingress'), [r2, r1]);
    assert.equal(typeof (await rulesOfGroup(read(), 'sg-rules', 'egress'))[0]?.priority, 'number');
  });

  test('a rule ID twice is refused by the database, and none of its batch is kept', async () => {
    await assert.rejects(() => write((tx) => insertRules(tx, [ruleFixture('sgr-new', 'sg-rules'), ruleFixture('sgr-1', 'sg-rules')])));
    assert.deepEqual(
      (await rulesOfGroup(read(), 'sg-rules')).map((r) => r.id),
      ['sgr-3', 'sgr-1', 'sgr-2'],
    );
  });

  test('rule counts, group-to-group rules, references from other groups, deletion by ID', async () => {
    await write(async (tx) => {
      await insertSecurityGroup(tx, securityGroupFixture('sg-ref', 'vpc-sg'));
      await insertRules(tx, [
        ruleFixture('sgr-ref-1', 'sg-ref', { sourceCidrIp: '', sourceGroupId: 'sg-rules', sourceGroupOwnerAccount: ACCOUNT_ID }),
        ruleFixture('sgr-ref-2', 'sg-ref', { direction: 'egress', sourceCidrIp: '', destGroupId: 'sg-rules', destGroupOwnerAccount: ACCOUNT_ID }),
        ruleFixture('sgr-ref-3', 'sg-ref'),
      ]);
    });
    const counts = await ruleCountsOf(read(), ['sg-ref', 'sg-rules', 'sg-round']);
    assert.deepEqual(counts.get('sg-ref'), { rules: 3, groupRules: 2 });
    assert.deepEqual(counts.get('sg-rules'), { rules: 3, groupRules: 0 });
    assert.equal(counts.has('sg-round'), false);
    assert.equal(await countRulesReferencing(read(), 'sg-rules'), 2);
    assert.equal(await countRulesReferencing(read(), 'sg-ref'), 0);
    assert.equal((await rulesOfGroup(read(), 'sg-ref'))[0]?.sourceGroupOwnerAccount, ACCOUNT_ID);
    await write((tx) => deleteRules(tx, ['sgr-ref-1', 'sgr-ref-2']));
    assert.equal(await countRulesReferencing(read(), 'sg-rules'), 0);
    assert.deepEqual(
      (await rulesOfGroup(read(), 'sg-ref')).map((r) => r.id),
      ['sgr-ref-3'],
    );
  });

  test('membership: members are counted, their private addresses make EcsCount; a member joins a group once', async () => {
    const vsw = vswitchFixture('vsw-sg', 'vpc-sg');
    await write(async (tx) => {
      await insertVSwitch(tx, vsw);
      await insertSecurityGroup(tx, securityGroupFixture('sg-mem', 'vpc-sg'));
      await eniFixture(tx, 'eni-m1', vsw, ['10.0.1.1', '10.0.1.2']);
      await eniFixture(tx, 'eni-m2', vsw, ['10.0.1.3']);
      await tx.db
        .insertInto('eni_security_groups')
        .values([
          { eni_id: 'eni-m1', security_group_id: 'sg-mem', position: 0 },
          { eni_id: 'eni-m2', security_group_id: 'sg-mem', position: 0 },
          { eni_id: 'eni-m2', security_group_id: 'sg-rules', position: 1 },
        ])
        .execute();
    });
    assert.equal(await securityGroupMemberCount(read(), 'sg-mem'), 2);
    assert.equal(await securityGroupMemberCount(read(), 'sg-round'), 0);
    const capacity = await securityGroupCapacityOf(read(), ['sg-mem', 'sg-rules', 'sg-round']);
    assert.deepEqual(capacity.get('sg-mem'), { ecsCount: 3, availableInstanceAmount: 0 });
    assert.deepEqual(capacity.get('sg-rules'), { ecsCount: 1, availableInstanceAmount: 0 });
    assert.deepEqual(capacity.get('sg-round'), { ecsCount: 0, availableInstanceAmount: 0 });
    await assert.rejects(() =>
      write((tx) => tx.db.insertInto('eni_security_groups').values({ eni_id: 'eni-m1', security_group_id: 'sg-mem', position: 1 }).execute()),
    );
  });

  test('deleting a group removes it with its rules and tags; the database refuses to delete a group with members', async () => {
    await write((tx) => upsertTags(tx, owner, 'securitygroup', 'sg-ref', [{ key: 'k', value: 'v' }], 1));
    await write((tx) => deleteSecurityGroupRow(tx, 'sg-ref'));
    assert.equal(await findSecurityGroup(read(), owner, 'sg-ref'), undefined);
    assert.deepEqual(await rulesOfGroup(read(), 'sg-ref'), []);
    assert.equal((await read().db.selectFrom('tags').select('tag_key').where('resource_id', '=', 'sg-ref').execute()).length, 0);
    // eni_security_groups references the group: a member keeps it (and, the transaction rolling back, its rules).
    await assert.rejects(() => write((tx) => deleteSecurityGroupRow(tx, 'sg-mem')));
    await assert.rejects(() => write((tx) => deleteSecurityGroupRow(tx, 'sg-rules')));
    assert.equal((await rulesOfGroup(read(), 'sg-rules')).length, 3);
  });

  test('the database refuses a group in a VPC that does not exist, and a rule of a group that does not exist', async () => {
    await assert.rejects(() => write((tx) => insertSecurityGroup(tx, securityGroupFixture('sg-orphan', 'vpc-none'))));
    await assert.rejects(() => write((tx) => insertRules(tx, [ruleFixture('sgr-orphan', 'sg-none')])));
  });
});

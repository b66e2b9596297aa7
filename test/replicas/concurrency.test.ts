import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readApiView } from './api-view.ts';
import { startFleet, type Fleet } from './fleet.ts';
import { instanceTypeLimits } from '../../src/store/check/check-store.ts';
import { checkInvariants } from '../../src/store/check/invariants.ts';
import { runScenario, type ScenarioFacts } from './scenario.ts';
import { readSnapshot } from './snapshot.ts';
import { Traffic } from './traffic.ts';

/**
 * Several replicas on one PostgreSQL database (ENIPLANE_TEST_PG). Without one, these tests skip
 * with a notice, except in CI (CI=true), where they fail: a skipped concurrency test proves nothing.
 */
const PG = process.env.ENIPLANE_TEST_PG;
const skip = !PG && process.env.CI !== 'true' ? 'needs PostgreSQL: set ENIPLANE_TEST_PG=postgres://USER@HOST:PORT (npm test does)' : false;
if (skip) console.error(`\n*** SKIPPED: test/replicas (${skip}). CI fails here. ***\n`);

/** Each catalog type's ENI and per-ENI address limits, as the checker takes them. */
const TYPES = instanceTypeLimits();

/** Reads the database and a surviving replica's API, runs the checker, and fails with every violation it finds. */
async function assertInvariants(fleet: Fleet, t: Traffic, facts: ScenarioFacts) {
  const snapshot = await readSnapshot(fleet.dbUrl, Date.now());
  const api = await readApiView(fleet.replicas[fleet.live()[0]!]!, facts.keys);
  const violations = checkInvariants({ snapshot, api, acks: t.acks, types: TYPES });
  assert.deepEqual(violations, [], `invariants violated:\n  ${violations.join('\n  ')}`);
  // Deleting ENIs keep their addresses until gone: no listing during the race showed one twice,
  // and deletions did give addresses back to new ENIs.
  assert.deepEqual(facts.churn.doubleListings, [], 'an address was listed on two ENIs');
  assert.ok(facts.churn.deleted > 0 && facts.churn.recreated > 0, `churn: ${JSON.stringify(facts.churn)}`);
  return snapshot;
}

/** The race reached every limit it raced for: otherwise the invariants were not put to the test. */
function assertLimitsReached(facts: ScenarioFacts, snapshot: Awaited<ReturnType<typeof readSnapshot>>) {
  const small = snapshot.vswitches.find((v) => v.id === facts.smallVSwitchId)!;
  assert.equal(small.used, small.capacity, 'the small vSwitch was raced until full');
  assert.ok(facts.reached.smallFull, 'a request was refused for want of addresses');
  assert.ok(
    (snapshot.ipv4Prefixes ?? []).some((p) => p.vswitchId === facts.prefixVSwitchId),
    'IPv4 prefixes were carved while addresses were picked in the same vSwitch',
  );
  assert.ok(
    snapshot.ipv6!.addresses.some((a) => a.vswitchId === facts.ipv6VSwitchId) && snapshot.ipv6!.prefixes.some((p) => p.vswitchId === facts.ipv6VSwitchId),
    'IPv6 addresses and /80 prefixes were assigned in the IPv6 vSwitch',
  );
  assert.ok(facts.reached.ipv6Contended, 'a named IPv6 address or prefix was refused because another ENI holds it');
  const onTarget = snapshot.enis.filter((e) => e.instanceId === facts.attachInstanceId);
  assert.equal(onTarget.length, 3, "the instance holds exactly its type's 3 ENIs");
  for (const id of facts.doubleAttachEnis) {
    assert.ok(snapshot.enis.find((e) => e.id === id)?.instanceId, `ENI ${id}, wanted by two instances, is on one`);
  }
  // ecs.g8a.xlarge: EniTotalQuantity 5 = the primary, the trunk and three members; one trunk per instance.
  const members = snapshot.enis.filter((e) => e.trunkEniId === facts.trunkRace.trunkId && e.instanceId === facts.trunkRace.node);
  assert.equal(members.length, 3, 'the trunk holds exactly the 3 members its instance type leaves room for');
  assert.equal(new Set(members.map((m) => m.deviceIndex)).size, 3, 'each member has its own VLAN ID');
  const rivals = snapshot.enis.filter((e) => facts.trunkRace.rivalTrunks.includes(e.id) && e.instanceId === facts.trunkRace.rivalNode);
  assert.equal(rivals.length, 1, 'exactly one of the rival trunks is on the second node');
  for (const name of facts.tokenNames) assert.equal(snapshot.enis.filter((e) => e.name === name).length, 1, `ClientToken family ${name} created one ENI`);
  const accountA = snapshot.enis.find((e) => e.name === facts.tokenNames[0])!.accountId;
  assert.ok(facts.reached.vpcQuota && facts.reached.groupQuota, 'the VPC and security group quotas were reached');
  assert.equal(snapshot.vpcs.filter((v) => v.accountId === accountA).length, 10, 'exactly 10 VPCs');
  assert.equal(snapshot.groups.filter((g) => g.accountId === accountA).length, 100, 'exactly 100 security groups');
}

test(
  'replicas: 3 replicas, 64 racing clients and a SIGKILL midway keep every invariant; attaches settle on the survivors',
  { skip, timeout: 180_000 },
  async () => {
    const attachDelayMs = 300;
    // Started together on a fresh database: their migrations and root-account creation race.
    // Deletions take 200 ms: Deleting ENIs hold their addresses while the churn worker races for them.
    const fleet = await startFleet(3, { delays: `none,eniAttach=${attachDelayMs},eniDelete=200` });
    try {
      const t = new Traffic(fleet);
      const facts = await runScenario(fleet, t, { quotaRace: true, victim: 2, attachDelayMs });
      const snapshot = await assertInvariants(fleet, t, facts);
      assertLimitsReached(facts, snapshot);

      const groupIps = snapshot.eniGroups
        .filter((m) => m.groupId === facts.quotaGroupId)
        .reduce((n, m) => n + snapshot.privateIps.filter((ip) => ip.eniId === m.eniId).length, 0);
      assert.ok(facts.reached.groupIpQuota, "an assignment of one address was refused for the group's quota");
      assert.equal(groupIps, 2000, 'the security group holds exactly 2,000 addresses');
      assert.ok(facts.reached.eniQuota, "an ENI was refused for the account's quota");
      const accountB = snapshot.enis.find(
        (e) => e.vswitchId !== facts.smallVSwitchId && snapshot.eniGroups.some((m) => m.eniId === e.id && m.groupId === facts.quotaGroupId),
      )!.accountId;
      assert.equal(snapshot.enis.filter((e) => e.accountId === accountB && e.type === 'Secondary').length, 100, 'exactly 100 secondary ENIs');

      // The attach the killed replica accepted: Attaching or already InUse on every survivor right
      // after the kill, and InUse on its instance on every survivor once due.
      const orphan = facts.orphanAttach!;
      assert.ok(orphan, 'the victim accepted an attach before it was killed');
      for (const s of orphan.rightAfterKill) assert.ok(s === 'Attaching' || s === 'InUse', `right after the kill a survivor shows ${s}`);
      assert.equal(orphan.settled.length, 2);
      for (const s of orphan.settled) assert.deepEqual(s, { status: 'InUse', instanceId: orphan.instanceId });
    } finally {
      await fleet.dispose();
    }
  },
);

test('replicas: with no delays, 2 replicas and 64 racing clients keep every invariant; attaches are InUse at once', { skip, timeout: 120_000 }, async () => {
  const fleet = await startFleet(2, { delays: 'none' });
  try {
    const t = new Traffic(fleet);
    const facts = await runScenario(fleet, t, { quotaRace: false, attachDelayMs: 0 });
    const snapshot = await assertInvariants(fleet, t, facts);
    assertLimitsReached(facts, snapshot);
    assert.deepEqual(t.acks.unknown, [], 'every call was answered');
  } finally {
    await fleet.dispose();
  }
});

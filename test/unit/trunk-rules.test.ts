import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { assertMayJoin, type JoinCheck, type JoinedInstance, type JoiningEni } from '../../src/domain/eni-rules.ts';
import type { InstanceTypeSpec } from '../../src/domain/instance-types.ts';
import {
  assertDetachTrunkMatches,
  assertMayHostTrunk,
  assertNoMembers,
  assertTotalQuota,
  assertTrunkOf,
  assertTypeFitsRole,
  instanceEniCounts,
  MAX_VLAN_ID,
  nextVlanId,
  shownEniType,
} from '../../src/domain/trunk-rules.ts';
import { ApiError } from '../../src/errors/api-error.ts';

/** The answer a refused check gives: status and code, as the wire would carry them. */
function refusal(fn: () => unknown): { status: number; code: string } {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ApiError, `expected an ApiError, got ${String(err)}`);
    return { status: err.httpStatus, code: err.code };
  }
  assert.fail('expected a refusal');
}

/** A made-up trunk type: 3 ENIs of its own, 6 in all. */
const TRUNK_TYPE: InstanceTypeSpec = {
  instanceTypeId: 'ecs.test.trunk',
  family: 'ecs.test',
  category: 'General-purpose',
  familyLevel: 'EnterpriseLevel',
  generation: 'ecs-7',
  cpuCoreCount: 4,
  memorySize: 16,
  cpuArchitecture: 'X86',
  eniQuantity: 3,
  eniPrivateIpAddressQuantity: 6,
  eniIpv6AddressQuantity: 6,
  hotPlug: true,
  primaryEniQueueNumber: 2,
  secondaryEniQueueNumber: 2,
  maximumQueueNumberPerEni: 4,
  eniTotalQuantity: 6,
  eniTrunkSupported: true,
  source: 'unit test',
};
const PLAIN_TYPE: InstanceTypeSpec = { ...TRUNK_TYPE, instanceTypeId: 'ecs.test.plain', eniTotalQuantity: 3, eniTrunkSupported: false };

const HERE = { vpcId: 'vpc-1', vswitchId: 'vsw-1', zoneId: 'cn-hangzhou-i' };
const secondary: JoiningEni = { ...HERE, status: 'Available', type: 'Secondary', ipCount: 1, queueNumber: null, trafficMode: 'Standard' };
const trunk: JoiningEni = { ...secondary, type: 'Trunk' };
/** Primary + trunk, and two members. */
const node: JoinedInstance = { ...HERE, status: 'Running', type: TRUNK_TYPE, eniCount: 2, totalCount: 4, trunkCount: 1 };

function join(over: Partial<JoinCheck>): JoinCheck {
  return { eni: secondary, instance: node, role: 'member', when: 'attach', locality: 'zone', ...over };
}

const ERR = {
  type: { status: 403, code: 'InvalidOperation.InvalidEniType' },
  state: { status: 400, code: 'InvalidOperation.InvalidEniState' },
  quota: { status: 403, code: 'EniPerInstanceLimitExceeded' },
  linked: { status: 403, code: 'InvalidOperation.EniLinked' },
};

describe('trunk rules', () => {
  test('shownEniType: a secondary ENI on a trunk is a Member; every other ENI shows its own type', () => {
    assert.equal(shownEniType({ type: 'Secondary', trunkEniId: 'eni-t' }), 'Member');
    assert.equal(shownEniType({ type: 'Secondary', trunkEniId: null }), 'Secondary');
    assert.equal(shownEniType({ type: 'Trunk', trunkEniId: null }), 'Trunk');
    assert.equal(shownEniType({ type: 'Primary', trunkEniId: null }), 'Primary');
  });

  test('instanceEniCounts: EniQuantity counts primary, secondary and trunk ENIs; EniTotalQuantity every one; members only in the total', () => {
    const attached = [
      { type: 'Primary', trunkEniId: null },
      { type: 'Trunk', trunkEniId: null },
      { type: 'Secondary', trunkEniId: null },
      { type: 'Secondary', trunkEniId: 'eni-t' },
      { type: 'Secondary', trunkEniId: 'eni-t' },
    ];
    assert.deepEqual(instanceEniCounts(attached), { eniCount: 3, totalCount: 5, trunkCount: 1 });
    assert.deepEqual(instanceEniCounts([]), { eniCount: 0, totalCount: 0, trunkCount: 0 });
  });

  test('assertTypeFitsRole: attach takes secondary and trunk ENIs, launch secondary ones, a member is secondary, a trunk is never primary', () => {
    assertTypeFitsRole('Secondary', 'secondary', 'attach');
    assertTypeFitsRole('Trunk', 'secondary', 'attach');
    assertTypeFitsRole('Secondary', 'secondary', 'launch');
    assertTypeFitsRole('Secondary', 'member', 'attach');
    assertTypeFitsRole('Secondary', 'primary', 'launch');
    assert.deepEqual(
      refusal(() => assertTypeFitsRole('Trunk', 'secondary', 'launch')),
      ERR.type,
    );
    assert.deepEqual(
      refusal(() => assertTypeFitsRole('Trunk', 'member', 'attach')),
      ERR.type,
    );
    assert.deepEqual(
      refusal(() => assertTypeFitsRole('Primary', 'member', 'attach')),
      ERR.type,
    );
    assert.deepEqual(
      refusal(() => assertTypeFitsRole('Primary', 'secondary', 'attach')),
      ERR.type,
    );
    assert.deepEqual(
      refusal(() => assertTypeFitsRole('Trunk', 'primary', 'launch')),
      ERR.type,
    );
  });

  test('assertMayHostTrunk: only where EniTrunkSupported, and one trunk per instance', () => {
    assertMayHostTrunk(TRUNK_TYPE, 0);
    assert.deepEqual(
      refusal(() => assertMayHostTrunk(PLAIN_TYPE, 0)),
      ERR.type,
    );
    assert.deepEqual(
      refusal(() => assertMayHostTrunk(TRUNK_TYPE, 1)),
      ERR.type,
    );
  });

  test('assertTotalQuota: EniTotalQuantity bounds what is there plus what is added', () => {
    assertTotalQuota(TRUNK_TYPE, 5, 1);
    assert.deepEqual(
      refusal(() => assertTotalQuota(TRUNK_TYPE, 6, 1)),
      ERR.quota,
    );
    assert.deepEqual(
      refusal(() => assertTotalQuota(TRUNK_TYPE, 4, 3)),
      ERR.quota,
    );
  });

  test('assertTrunkOf: a trunk ENI InUse on the instance the member joins', () => {
    const ok = { id: 'eni-t', type: 'Trunk', status: 'InUse', instanceId: 'i-1' };
    assertTrunkOf(ok, 'i-1');
    assert.deepEqual(
      refusal(() => assertTrunkOf({ ...ok, type: 'Secondary' }, 'i-1')),
      ERR.type,
    );
    assert.deepEqual(
      refusal(() => assertTrunkOf(ok, 'i-2')),
      ERR.state,
    );
    assert.deepEqual(
      refusal(() => assertTrunkOf({ ...ok, status: 'Available', instanceId: null }, 'i-1')),
      ERR.state,
    );
    assert.deepEqual(
      refusal(() => assertTrunkOf({ ...ok, status: 'Attaching' }, 'i-1')),
      ERR.state,
    );
    assert.deepEqual(
      refusal(() => assertTrunkOf({ ...ok, status: 'Detaching' }, 'i-1')),
      ERR.state,
    );
  });

  test('nextVlanId: the lowest VLAN ID the trunk does not use, from 1; none past 4094', () => {
    assert.equal(nextVlanId([]), 1);
    assert.equal(nextVlanId([1, 2, 4]), 3);
    assert.equal(nextVlanId([2, null]), 1);
    const full = Array.from({ length: MAX_VLAN_ID }, (_, i) => i + 1);
    assert.deepEqual(
      refusal(() => nextVlanId(full)),
      ERR.linked,
    );
  });

  test("assertDetachTrunkMatches: a given trunk must be the member's; none given detaches any ENI", () => {
    const member = { id: 'eni-m', status: 'InUse', trunkEniId: 'eni-t' };
    assertDetachTrunkMatches(member, 'eni-t');
    assertDetachTrunkMatches(member, undefined);
    assertDetachTrunkMatches(member, '');
    assertDetachTrunkMatches({ ...member, trunkEniId: null }, undefined);
    assert.deepEqual(
      refusal(() => assertDetachTrunkMatches(member, 'eni-other')),
      ERR.state,
    );
    assert.deepEqual(
      refusal(() => assertDetachTrunkMatches({ ...member, trunkEniId: null }, 'eni-t')),
      ERR.state,
    );
  });

  test('assertNoMembers: a trunk with members is linked (InvalidOperation.EniLinked)', () => {
    assertNoMembers('eni-t', 0);
    assert.deepEqual(
      refusal(() => assertNoMembers('eni-t', 1)),
      ERR.linked,
    );
  });
});

describe('assertMayJoin with trunks and members', () => {
  test('a member joins by EniTotalQuantity, not EniQuantity, where the instance is', () => {
    // EniQuantity is full (3 of 3 with a secondary ENI), the total is not (5 of 6): a member still fits.
    assertMayJoin(join({ instance: { ...node, eniCount: 3, totalCount: 5 } }));
    assert.deepEqual(
      refusal(() => assertMayJoin(join({ instance: { ...node, totalCount: 6 } }))),
      ERR.quota,
    );
    assert.deepEqual(refusal(() => assertMayJoin(join({ eni: { ...secondary, vpcId: 'vpc-2' } }))).code, 'InvalidOperation.VpcMismatch');
    assert.deepEqual(refusal(() => assertMayJoin(join({ eni: { ...secondary, zoneId: 'cn-hangzhou-j' } }))).code, 'InvalidOperation.AvailabilityZoneMismatch');
    assert.deepEqual(
      refusal(() => assertMayJoin(join({ eni: { ...secondary, status: 'InUse' } }))),
      ERR.state,
    );
    assert.deepEqual(
      refusal(() => assertMayJoin(join({ eni: trunk }))),
      ERR.type,
    );
    assert.deepEqual(refusal(() => assertMayJoin(join({ instance: { ...node, status: 'Starting' } }))).code, 'InvalidOperation.InvalidEcsState');
  });

  test('a trunk joins as a secondary ENI: EniQuantity, EniTotalQuantity, EniTrunkSupported and one per instance', () => {
    const bare: JoinedInstance = { ...node, eniCount: 1, totalCount: 1, trunkCount: 0 };
    assertMayJoin(join({ eni: trunk, role: 'secondary', instance: bare }));
    assert.deepEqual(
      refusal(() => assertMayJoin(join({ eni: trunk, role: 'secondary', instance: { ...bare, trunkCount: 1 } }))),
      ERR.type,
    );
    assert.deepEqual(
      refusal(() => assertMayJoin(join({ eni: trunk, role: 'secondary', instance: { ...bare, type: PLAIN_TYPE } }))),
      ERR.type,
    );
    assert.deepEqual(
      refusal(() => assertMayJoin(join({ eni: trunk, role: 'secondary', instance: { ...bare, eniCount: 3, totalCount: 3 } }))),
      ERR.quota,
    );
    assert.deepEqual(
      refusal(() => assertMayJoin(join({ eni: trunk, role: 'secondary', when: 'launch', instance: { ...bare, status: undefined } }))),
      ERR.type,
    );
  });

  test('a secondary ENI counts in both quotas: members filling EniTotalQuantity leave it no room', () => {
    assertMayJoin(join({ role: 'secondary', instance: { ...node, eniCount: 2, totalCount: 5 } }));
    assert.deepEqual(
      refusal(() => assertMayJoin(join({ role: 'secondary', instance: { ...node, eniCount: 2, totalCount: 6 } }))),
      ERR.quota,
    );
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  assertEniQuota,
  assertMayJoin,
  assertSecondaryEnisNow,
  perEniIpLimit,
  type JoinCheck,
  type JoinedInstance,
  type JoiningEni,
} from '../../src/domain/eni-rules.ts';
import type { InstanceTypeSpec } from '../../src/domain/instance-types.ts';
import { ApiError } from '../../src/errors/api-error.ts';

/** The answer a refused check gives: status, code and message, as the wire would carry them. */
function refusal(fn: () => unknown): { status: number; code: string; message: string } {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ApiError, `expected an ApiError, got ${String(err)}`);
    return { status: err.httpStatus, code: err.code, message: err.message };
  }
  assert.fail('expected a refusal');
}

/** A made-up type with round figures: 3 ENIs, 6 addresses each, 4 queues, hot-plug, no eRDMA. */
const TYPE: InstanceTypeSpec = {
  instanceTypeId: 'ecs.test.large',
  family: 'ecs.test',
  category: 'General-purpose',
  familyLevel: 'EnterpriseLevel',
  generation: 'ecs-6',
  cpuCoreCount: 2,
  memorySize: 8,
  cpuArchitecture: 'X86',
  eniQuantity: 3,
  eniPrivateIpAddressQuantity: 6,
  eniIpv6AddressQuantity: 6,
  hotPlug: true,
  primaryEniQueueNumber: 2,
  secondaryEniQueueNumber: 1,
  maximumQueueNumberPerEni: 4,
  eniTotalQuantity: 3,
  eniTrunkSupported: false,
  source: 'unit test',
};
const COLD: InstanceTypeSpec = { ...TYPE, instanceTypeId: 'ecs.test.cold', hotPlug: false };
const ERDMA: InstanceTypeSpec = { ...TYPE, instanceTypeId: 'ecs.test.erdma', eriQuantity: 1 };

const HERE = { vpcId: 'vpc-1', vswitchId: 'vsw-1', zoneId: 'cn-hangzhou-i' };

const existingEni: JoiningEni = { ...HERE, status: 'Available', type: 'Secondary', ipCount: 1, queueNumber: null, trafficMode: 'Standard' };
const newEni: JoiningEni = { ...existingEni, status: undefined };
const running: JoinedInstance = { ...HERE, status: 'Running', type: TYPE, eniCount: 1 };
const launching: JoinedInstance = { ...running, status: undefined };

/** The four ways an ENI joins, each with the instance as that path sees it. */
const PATHS: Pick<JoinCheck, 'role' | 'when' | 'instance'>[] = [
  { role: 'secondary', when: 'attach', instance: running },
  { role: 'secondary', when: 'launch', instance: launching },
  { role: 'primary', when: 'launch', instance: { ...launching, eniCount: 0 } },
];

function check(overrides: Partial<JoinCheck> & Pick<JoinCheck, 'role' | 'when' | 'instance'>): JoinCheck {
  return { eni: existingEni, locality: 'zone', ...overrides };
}

describe('assertMayJoin: an ENI joining an instance', () => {
  test('a fitting ENI joins on every path: attach, and launch as the primary or a secondary ENI, new or existing', () => {
    for (const path of PATHS) {
      assertMayJoin(check(path));
      if (path.when === 'launch') assertMayJoin(check({ ...path, eni: newEni }));
    }
    // Any Available ENI may become a new instance's primary one; the attach-time rules of the instance do not apply at launch.
    assertMayJoin(check({ ...PATHS[2]!, eni: { ...existingEni, type: 'Primary' } }));
    // A Stopped instance takes secondary ENIs; without hot-plug, only then.
    assertMayJoin(check({ role: 'secondary', when: 'attach', instance: { ...running, status: 'Stopped', type: COLD } }));
    // The primary ENI needs no hot-plug, even at launch.
    assertMayJoin(check({ role: 'primary', when: 'launch', instance: { ...launching, type: COLD, eniCount: 0 } }));
  });

  test('an existing ENI that is not Available is refused on every path; a new ENI has no status to refuse', () => {
    for (const status of ['InUse', 'Attaching', 'Detaching', 'Deleting']) {
      for (const path of PATHS) {
        const answer = refusal(() => assertMayJoin(check({ ...path, eni: { ...existingEni, status } })));
        assert.equal(`${answer.status} ${answer.code}`, '400 InvalidOperation.InvalidEniState');
        assert.match(answer.message, new RegExp(status));
      }
    }
  });

  test('a primary ENI cannot join as a secondary one, with the message of each moment; it can become a new primary one', () => {
    const primaryEni = { ...existingEni, type: 'Primary' };
    assert.deepEqual(
      refusal(() => assertMayJoin(check({ ...PATHS[0]!, eni: primaryEni }))),
      {
        status: 403,
        code: 'InvalidOperation.InvalidEniType',
        message: 'The operation is not allowed for this ENI type. Only a secondary or trunk ENI can be attached to an existing instance.',
      },
    );
    assert.deepEqual(
      refusal(() => assertMayJoin(check({ ...PATHS[1]!, eni: primaryEni }))),
      {
        status: 403,
        code: 'InvalidOperation.InvalidEniType',
        message: 'The operation is not allowed for this ENI type. Only a secondary ENI can be attached as one.',
      },
    );
    assertMayJoin(check({ ...PATHS[2]!, eni: primaryEni }));
  });

  test('attach needs a Running or Stopped instance; at launch the instance has no status yet', () => {
    for (const status of ['Pending', 'Starting', 'Stopping']) {
      const answer = refusal(() => assertMayJoin(check({ ...PATHS[0]!, instance: { ...running, status } })));
      assert.equal(answer.code, 'InvalidOperation.InvalidEcsState');
      assert.equal(answer.status, 400);
      assert.match(answer.message, new RegExp(`The instance must be Running or Stopped, not ${status}\\.`));
    }
  });

  test('without hot-plug: attach only to a Stopped instance, and no secondary ENI at launch (its own code)', () => {
    assert.deepEqual(
      refusal(() => assertMayJoin(check({ ...PATHS[0]!, instance: { ...running, type: COLD } }))),
      {
        status: 400,
        code: 'InvalidOperation.InvalidEcsState',
        message:
          'The operation is not allowed in the current ECS instance state. Instance type ecs.test.cold does not support hot-plugging ENIs; stop the instance first.',
      },
    );
    for (const eni of [existingEni, newEni]) {
      const answer = refusal(() => assertMayJoin(check({ ...PATHS[1]!, eni, instance: { ...launching, type: COLD } })));
      assert.equal(answer.code, 'InvalidInstanceType.ElasticNetworkInterfaceNotSupported');
      assert.equal(answer.status, 400);
    }
  });

  test('a secondary ENI must be in the instance VPC and zone; with locality vswitch, in its vSwitch; the primary ENI decides the place', () => {
    for (const path of PATHS.slice(0, 2)) {
      for (const eni of path.when === 'launch' ? [existingEni, newEni] : [existingEni]) {
        assert.equal(refusal(() => assertMayJoin(check({ ...path, eni: { ...eni, vpcId: 'vpc-2' } }))).code, 'InvalidOperation.VpcMismatch');
        assert.equal(
          refusal(() => assertMayJoin(check({ ...path, eni: { ...eni, zoneId: 'cn-hangzhou-j' } }))).code,
          'InvalidOperation.AvailabilityZoneMismatch',
        );
        // Another vSwitch of the zone: fine by default (Terway's pod ENIs), refused under --attach-locality vswitch.
        const elsewhere = { ...eni, vswitchId: 'vsw-2' };
        assertMayJoin(check({ ...path, eni: elsewhere }));
        const answer = refusal(() => assertMayJoin(check({ ...path, eni: elsewhere, locality: 'vswitch' })));
        assert.equal(answer.code, 'InvalidOperation.VSwitchMismatch');
        assert.match(answer.message, /vsw-2/);
      }
    }
    // The primary ENI is where the new instance will be: nothing to compare.
    assertMayJoin(check({ ...PATHS[2]!, eni: { ...existingEni, vpcId: 'vpc-2', zoneId: 'cn-hangzhou-j', vswitchId: 'vsw-2' }, locality: 'vswitch' }));
  });

  test("a secondary ENI beyond the type's ENI quota (the primary counted) is refused, attached or at launch", () => {
    for (const path of PATHS.slice(0, 2)) {
      assertMayJoin(check({ ...path, instance: { ...path.instance, eniCount: 2 } }));
      assert.deepEqual(
        refusal(() => assertMayJoin(check({ ...path, instance: { ...path.instance, eniCount: 3 } }))),
        {
          status: 403,
          code: 'EniPerInstanceLimitExceeded',
          message: 'The instance already has 3 ENIs, the most instance type ecs.test.large allows (the primary ENI included).',
        },
      );
    }
  });

  test('more addresses than the type allows per ENI are refused on every path, new ENIs counted with the ones they will be created with', () => {
    for (const path of PATHS) {
      for (const eni of path.when === 'launch' ? [existingEni, newEni] : [existingEni]) {
        assertMayJoin(check({ ...path, eni: { ...eni, ipCount: 6 } }));
        assert.deepEqual(
          refusal(() => assertMayJoin(check({ ...path, eni: { ...eni, ipCount: 7 } }))),
          {
            status: 403,
            code: 'InvalidOperation.Ipv4CountExceeded',
            message: 'The ENI would hold more than 6 private IPv4 addresses (instance type ecs.test.large allows 6 per ENI).',
          },
        );
      }
    }
  });

  test('queues beyond the type, and HighPerformance on a type without eRDMA, are refused on every path', () => {
    for (const path of PATHS) {
      for (const eni of path.when === 'launch' ? [existingEni, newEni] : [existingEni]) {
        assertMayJoin(check({ ...path, eni: { ...eni, queueNumber: 4 } }));
        assert.deepEqual(
          refusal(() => assertMayJoin(check({ ...path, eni: { ...eni, queueNumber: 5 } }))),
          {
            status: 403,
            code: 'InvalidOperation.ExceedInstanceTypeQueueNumber',
            message: "The ENI's QueueNumber 5 exceeds 4, the MaximumQueueNumberPerEni of instance type ecs.test.large.",
          },
        );
        const rdma = { ...eni, trafficMode: 'HighPerformance' };
        assert.equal(refusal(() => assertMayJoin(check({ ...path, eni: rdma }))).code, 'InvalidOperation.HighPerformanceTrafficModeNotSupported');
        assertMayJoin(check({ ...path, eni: rdma, instance: { ...path.instance, type: ERDMA } }));
      }
    }
  });

  test('the checks answer in order: ENI state, ENI type, instance state, hot-plug, place, quota, addresses, traffic', () => {
    const everythingWrong: JoiningEni = {
      status: 'InUse',
      type: 'Primary',
      vpcId: 'vpc-2',
      vswitchId: 'vsw-2',
      zoneId: 'cn-hangzhou-j',
      ipCount: 99,
      queueNumber: 99,
      trafficMode: 'HighPerformance',
    };
    const badInstance: JoinedInstance = { ...running, status: 'Pending', type: COLD, eniCount: 3 };
    const steps: [Partial<JoiningEni>, Partial<JoinedInstance>, string][] = [
      [{}, {}, 'InvalidOperation.InvalidEniState'],
      [{ status: 'Available' }, {}, 'InvalidOperation.InvalidEniType'],
      [{ status: 'Available', type: 'Secondary' }, {}, 'InvalidOperation.InvalidEcsState'],
      [{ status: 'Available', type: 'Secondary' }, { status: 'Running' }, 'InvalidOperation.InvalidEcsState'],
      [{ status: 'Available', type: 'Secondary' }, { status: 'Running', type: TYPE }, 'InvalidOperation.VpcMismatch'],
      [{ status: 'Available', type: 'Secondary', ...HERE }, { status: 'Running', type: TYPE }, 'EniPerInstanceLimitExceeded'],
      [{ status: 'Available', type: 'Secondary', ...HERE }, { status: 'Running', type: TYPE, eniCount: 1 }, 'InvalidOperation.Ipv4CountExceeded'],
      [
        { status: 'Available', type: 'Secondary', ...HERE, ipCount: 1 },
        { status: 'Running', type: TYPE, eniCount: 1 },
        'InvalidOperation.ExceedInstanceTypeQueueNumber',
      ],
    ];
    for (const [eni, instance, code] of steps) {
      assert.equal(
        refusal(() =>
          assertMayJoin(check({ role: 'secondary', when: 'attach', eni: { ...everythingWrong, ...eni }, instance: { ...badInstance, ...instance } })),
        ).code,
        code,
      );
    }
  });
});

describe('the parts RunInstances also asks before it creates anything', () => {
  test("perEniIpLimit: the type's figure, never above 20", () => {
    assert.equal(perEniIpLimit(TYPE), 6);
    assert.equal(perEniIpLimit({ ...TYPE, eniPrivateIpAddressQuantity: 30 }), 20);
  });

  test('assertEniQuota counts the ENIs there and those being added', () => {
    assertEniQuota(TYPE, 1, 2);
    assert.equal(refusal(() => assertEniQuota(TYPE, 1, 3)).code, 'EniPerInstanceLimitExceeded');
  });

  test('assertSecondaryEnisNow: hot-plug types always; others only Stopped, never at launch', () => {
    assertSecondaryEnisNow(TYPE, undefined, 'launch');
    assertSecondaryEnisNow(TYPE, 'Running', 'attach');
    assertSecondaryEnisNow(COLD, 'Stopped', 'attach');
    assert.equal(refusal(() => assertSecondaryEnisNow(COLD, 'Running', 'attach')).code, 'InvalidOperation.InvalidEcsState');
    assert.equal(refusal(() => assertSecondaryEnisNow(COLD, undefined, 'launch')).code, 'InvalidInstanceType.ElasticNetworkInterfaceNotSupported');
  });
});

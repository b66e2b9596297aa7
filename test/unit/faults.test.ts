import assert from 'node:assert/strict';
import { test } from 'node:test';
import { answerableCodes, faultError, faultRuleFrom, resolveFaultAction } from '../../src/api/eniplane/fault-rules.ts';
import { resolveAction } from '../../src/api/registry.ts';
import { asyncOutcome, candidateRules, draw, fires, parseActionRef, paramStrings, requestHasTag, type FaultRule } from '../../src/domain/faults.ts';
import { ApiError } from '../../src/errors/api-error.ts';

function rule(over: Partial<FaultRule>): FaultRule {
  return {
    id: 'fault-1',
    accountId: '1',
    product: 'Ecs',
    action: 'AttachNetworkInterface',
    resourceId: null,
    tag: null,
    probability: null,
    seed: 'seed',
    maxCount: null,
    code: 'InternalError',
    latencyMs: 0,
    asyncFail: false,
    asyncDelayMs: 0,
    matched: 0,
    injected: 0,
    createdAt: 0,
    ...over,
  };
}

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    assert.ok(err instanceof ApiError, String(err));
    return err.code;
  }
  return 'no error';
}

test('faults: an action is named Product:Action or Action', () => {
  assert.deepEqual(parseActionRef('Ecs:AttachNetworkInterface'), { product: 'Ecs', action: 'AttachNetworkInterface' });
  assert.deepEqual(parseActionRef(' DescribeVpcs '), { product: undefined, action: 'DescribeVpcs' });
  assert.equal(parseActionRef('Ecs:'), undefined);
  assert.equal(parseActionRef('a b'), undefined);
  assert.equal(resolveFaultAction('CreateVpc').product, 'Vpc');
  assert.equal(resolveFaultAction('ecs:DescribeRegions').product, 'Ecs');
  assert.equal(
    codeOf(() => resolveFaultAction('DescribeRegions')),
    'InvalidParameter.Action',
    'two products have it',
  );
  assert.equal(
    codeOf(() => resolveFaultAction('Eniplane:ResetAccount')),
    'InvalidParameter.Action',
  );
  assert.equal(
    codeOf(() => resolveFaultAction('ResetAccount')),
    'InvalidParameter.Action',
  );
  assert.equal(
    codeOf(() => resolveFaultAction('DescribeSnapshots')),
    'InvalidParameter.Action',
    'a real action eniplane does not implement',
  );
});

test("faults: a rule may answer the action's own codes, InternalError, ServiceUnavailable and the product's conflict code, nothing else", () => {
  const attach = resolveAction('AttachNetworkInterface', '2014-05-26');
  assert.equal(attach.kind, 'found');
  const codes = answerableCodes(attach.kind === 'found' ? attach.action.def : resolveFaultAction('AttachNetworkInterface')).map((s) => s.code);
  for (const c of ['InvalidEniId.NotFound', 'InternalError', 'ServiceUnavailable', 'Operation.Conflict']) assert.ok(codes.includes(c), c);
  assert.ok(!codes.includes('OperationConflict'), "VPC's conflict code is not ECS's");
  const vpcCodes = answerableCodes(resolveFaultAction('CreateVSwitch')).map((s) => s.code);
  assert.ok(vpcCodes.includes('OperationConflict'));
  assert.equal(
    codeOf(() => faultRuleFrom({ targetAction: 'Ecs:AttachNetworkInterface', code: 'InvalidVpcId.NotFound' })),
    'InvalidParameter.Code',
  );
  assert.equal(
    codeOf(() => faultRuleFrom({ targetAction: 'Ecs:AttachNetworkInterface' })),
    'MissingParameter.Effect',
  );
  assert.equal(
    codeOf(() => faultRuleFrom({ targetAction: 'CreateVpc', asyncResult: 'Fail' })),
    'InvalidParameter.AsyncResult',
  );
  assert.equal(
    codeOf(() => faultRuleFrom({ targetAction: 'Ecs:AttachNetworkInterface', asyncResult: 'Fail', code: 'InternalError' })),
    'InvalidParameter.Conflict',
  );
  assert.equal(
    codeOf(() => faultRuleFrom({ targetAction: 'Ecs:AttachNetworkInterface', code: 'InternalError', tagValue: 'x' })),
    'InvalidParameter.Conflict',
  );
  const ok = faultRuleFrom({ targetAction: 'AttachNetworkInterface', asyncDelayMs: 500, tagKey: 'team' });
  assert.deepEqual([ok.product, ok.action, ok.asyncFail, ok.asyncDelayMs, ok.tag], ['Ecs', 'AttachNetworkInterface', false, 500, { key: 'team', value: null }]);
});

test("faults: an injected error carries the code's status and a message without the call's values", () => {
  const def = resolveFaultAction('Ecs:AttachNetworkInterface');
  const e = faultError({ code: 'InvalidEniId.NotFound', product: 'Ecs' }, def);
  assert.equal(e.httpStatus, 404);
  assert.ok(!e.message.includes('undefined'), e.message);
  assert.equal(faultError({ code: 'ServiceUnavailable', product: 'Ecs' }, def).httpStatus, 503);
  assert.equal(faultError({ code: 'Operation.Conflict', product: 'Ecs' }, def).httpStatus, 403);
});

test('faults: a rule matches its action, and the resource ID among any of the call’s values', () => {
  const byId = rule({ resourceId: 'eni-2' });
  const other = rule({ action: 'DetachNetworkInterface' });
  const call = (params: Record<string, unknown>) => ({ product: 'Ecs', action: 'AttachNetworkInterface', params });
  assert.deepEqual(candidateRules([byId, other], call({ NetworkInterfaceId: 'eni-1' })), []);
  assert.deepEqual(candidateRules([byId, other], call({ NetworkInterfaceId: 'eni-2' })), [byId]);
  assert.deepEqual(candidateRules([byId], { ...call({ Ids: [{ Id: 'eni-2' }] }), product: 'Vpc' }), [], 'another product');
  assert.deepEqual([...paramStrings({ A: 'x', B: ['y', { C: 'z' }], D: 3 })].sort(), ['x', 'y', 'z']);
  const tagged = rule({ tag: { key: 'team', value: 'red' } });
  assert.ok(requestHasTag(tagged, { Tag: [{ Key: 'team', Value: 'red' }] }));
  assert.ok(!requestHasTag(tagged, { Tag: [{ Key: 'team', Value: 'blue' }] }));
  assert.ok(requestHasTag(rule({ tag: { key: 'team', value: null } }), { Tag: [{ Key: 'team', Value: 'blue' }] }));
});

test('faults: Count fires on the first N matches; Probability draws the same sequence from the same seed', () => {
  const first2 = rule({ maxCount: 2 });
  assert.deepEqual(
    [1, 2, 3].map((n) => fires(first2, n, Math.min(n - 1, 2))),
    [true, true, false],
  );
  const half = rule({ probability: 0.5, seed: 'fixed' });
  const pattern = Array.from({ length: 200 }, (_, i) => fires(half, i + 1, 0));
  assert.deepEqual(
    pattern,
    Array.from({ length: 200 }, (_, i) => fires(rule({ probability: 0.5, seed: 'fixed' }), i + 1, 0)),
  );
  const hits = pattern.filter(Boolean).length;
  assert.ok(hits > 70 && hits < 130, `about half of 200 draws fire: ${hits}`);
  assert.notDeepEqual(
    pattern,
    Array.from({ length: 200 }, (_, i) => fires(rule({ probability: 0.5, seed: 'other' }), i + 1, 0)),
  );
  for (let n = 1; n < 1000; n++) assert.ok(draw('s', n) >= 0 && draw('s', n) < 1);
  assert.ok(!fires(rule({ probability: 1, maxCount: 1 }), 5, 1), 'a spent Count stops a probability too');
});

test('faults: an asynchronous fault ends the transition back where it started, or later', () => {
  assert.deepEqual(asyncOutcome(undefined, 'InUse', 'Available', 300), { to: 'InUse', delayMs: 300 });
  assert.deepEqual(asyncOutcome({ fail: true, extraDelayMs: 0 }, 'InUse', 'Available', 300), { to: 'Available', delayMs: 300 });
  assert.deepEqual(asyncOutcome({ fail: false, extraDelayMs: 700 }, 'Available', 'InUse', 300), { to: 'Available', delayMs: 1000 });
  assert.equal(asyncOutcome({ fail: true, extraDelayMs: 0 }, 'InUse', 'Available', 0), undefined, 'with no delay a failed attach never starts');
  assert.deepEqual(asyncOutcome({ fail: true, extraDelayMs: 200 }, 'InUse', 'Available', 0), { to: 'Available', delayMs: 200 });
});

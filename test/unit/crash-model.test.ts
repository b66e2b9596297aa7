import assert from 'node:assert/strict';
import { test } from 'node:test';
import { reconcile, sameState, type EniState, type ModelEni } from '../crash/model.ts';

/** The crash harness's check (test/crash/model.ts) must be able to fail: each way a crash could betray a client is reported. */
const available: EniState = { status: 'Available', instanceId: '', ips: ['10.0.0.1'], tags: {} };
const eni = (id: string, state: EniState, pending?: ModelEni['pending']): ModelEni => ({
  id,
  owner: 0,
  primaryIp: '10.0.0.1',
  state,
  ...(pending ? { pending } : {}),
});
const withTag = { ...available, tags: { k0: 'v' } };
const tagging = { label: 'TagResources k0=v', expected: 'tagged', after: (a: EniState | undefined) => sameState(a, withTag) };

test('crash model: a server showing exactly what was acknowledged passes; an unanswered call is adopted whole, before or after', () => {
  assert.deepEqual(reconcile([eni('eni-1', available)], new Map([['eni-1', { ...available, ips: [...available.ips] }]])).violations, []);
  for (const shown of [available, withTag]) {
    const r = reconcile([eni('eni-1', available, tagging)], new Map([['eni-1', shown]]));
    assert.deepEqual(r.violations, []);
    assert.deepEqual(r.enis, [eni('eni-1', shown)], 'the outcome read back becomes the known state');
  }
  const deleting = { label: 'DeleteNetworkInterface', expected: 'deleted', after: (a: EniState | undefined) => a === undefined };
  assert.deepEqual(reconcile([eni('eni-1', available, deleting)], new Map()).enis, []);
});

test('crash model: a lost acknowledged write, a half-applied call, a phantom ENI and a lost ENI are each reported', () => {
  const lost = reconcile([eni('eni-1', withTag)], new Map([['eni-1', available]])).violations;
  assert.match(lost.join(), /eni-1: acknowledged as Available \[10\.0\.0\.1\] \{k0=v\}, the restarted server shows Available \[10\.0\.0\.1\]/);
  const half = reconcile([eni('eni-1', available, tagging)], new Map([['eni-1', { ...withTag, ips: ['10.0.0.1', '10.0.0.2'] }]])).violations;
  assert.match(half.join(), /eni-1: after an unanswered TagResources k0=v it shows .*, neither .* \(before\) nor tagged \(after\)/);
  assert.match(reconcile([], new Map([['eni-9', available]])).violations.join(), /eni-9 \(Available \[10\.0\.0\.1\]\) was made by no client/);
  assert.match(reconcile([eni('eni-1', available)], new Map()).violations.join(), /eni-1: acknowledged as Available .*, the restarted server shows deleted/);
});

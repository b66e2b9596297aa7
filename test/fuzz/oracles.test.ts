/**
 * The fuzz suite's oracles catch what they are meant to catch: a harness whose checks could not
 * fail would report zero 5xx for nothing.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { buildMetadataRequest, checkMetadataAnswer, type MetadataCase } from './metadata-paths.ts';
import { judgeRpcAnswer } from './oracles.ts';
import { buildRpcRequest, plainRpcCall } from './rpc-requests.ts';
import { baseCalls, buildSignatureRequest, type SignatureCase } from './signature-inputs.ts';
import { changedTables, foreignValues, startFuzzTarget, type FuzzTarget } from './target.ts';

let target: FuzzTarget;
let sent = 0;
before(async () => {
  target = await startFuzzTarget('oracles');
});
after(() => target.close());

const JSON_TYPE = 'application/json;charset=utf-8';
const ID = '0B4E9A5C-2F4D-4E3A-9C1B-7D2E5F6A8B9C';
const envelope = (code: string) =>
  JSON.stringify({
    RequestId: ID,
    HostId: 'h',
    Code: code,
    Message: 'm',
    Recommend: `https://api.aliyun.com/troubleshoot?q=${code}&product=Ecs&requestId=${ID}`,
  });

test('judgeRpcAnswer: a 5xx, a body that is not the envelope, a success carrying Code are all failures', () => {
  assert.deepEqual(judgeRpcAnswer({ status: 400, contentType: JSON_TYPE, body: envelope('InvalidParameter') }, ''), {
    kind: 'refused',
    status: 400,
    code: 'InvalidParameter',
  });
  assert.deepEqual(judgeRpcAnswer({ status: 200, contentType: JSON_TYPE, body: JSON.stringify({ RequestId: ID }) }, ''), { kind: 'success' });
  assert.throws(() => judgeRpcAnswer({ status: 500, contentType: JSON_TYPE, body: envelope('InternalError') }, ''), /a client's mistake is a 4xx/);
  assert.throws(() => judgeRpcAnswer({ status: 503, contentType: JSON_TYPE, body: envelope('ServiceUnavailable') }, ''), /4xx/);
  assert.throws(() => judgeRpcAnswer({ status: 400, contentType: 'text/html', body: '<h1>Bad</h1>' }, ''), /not JSON or XML/);
  assert.throws(() => judgeRpcAnswer({ status: 400, contentType: JSON_TYPE, body: JSON.stringify({ Code: 'X', Message: 'm' }) }, ''), /RequestId/);
  assert.throws(() => judgeRpcAnswer({ status: 200, contentType: JSON_TYPE, body: JSON.stringify({ RequestId: ID, Code: 'X' }) }, ''), /Code/);
  assert.throws(() => judgeRpcAnswer({ status: 400, contentType: JSON_TYPE, body: '{"statusCode":400,"error":"Bad Request"}' }, ''), /RequestId/);
  assert.throws(() =>
    judgeRpcAnswer({ status: 400, contentType: 'text/xml;charset=utf-8', body: '<?xml version="1.0" encoding="UTF-8"?><Error></Error>' }, ''),
  );
});

async function call(action: string, product: 'Ecs' | 'Vpc', params: Record<string, string>) {
  target.clock.advance(1000);
  const req = buildRpcRequest(plainRpcCall(product, action, params, 'v1-get'), {
    key: target.fixture.main.key,
    now: target.clock.now(),
    nonce: `oracle-${++sent}`,
    host: 'localhost:80',
  });
  return target.api.inject(req);
}

test('the write counters count a committed write, not a rolled-back one; the snapshots see the same change', async () => {
  const region = { RegionId: target.fixture.regionId };
  const before = await target.writes();
  const snapshot = await target.snapshot();
  const dryRun = await call('CreateSecurityGroup', 'Ecs', { ...region, VpcId: target.fixture.main.vpcId, DryRun: 'true' });
  assert.equal(dryRun.statusCode, 400, dryRun.body);
  assert.equal((await target.writes()).state, before.state, 'a DryRun (rolled back) is not counted');
  assert.deepEqual(changedTables(snapshot, await target.snapshot(), false), []);
  const created = await call('CreateSecurityGroup', 'Ecs', { ...region, VpcId: target.fixture.main.vpcId });
  assert.equal(created.statusCode, 200, created.body);
  const after = await target.writes();
  assert.ok(after.state > before.state, 'a created security group is counted');
  assert.ok(after.nonces > before.nonces, 'its nonce is counted apart');
  assert.ok(changedTables(snapshot, await target.snapshot(), false).includes('security_groups'));
});

test('the signature builder tells a request tampered with after signing from one that is not', () => {
  const calls = baseCalls(target.fixture);
  const base: SignatureCase = { call: 1, scheme: 'v1', v1Method: 'GET', v1Form: false, key: 'main', before: [], after: [], hostile: '' };
  const ctx = {
    fixture: target.fixture,
    temporary: { ...target.fixture.main.key, securityToken: 'x' },
    now: target.clock.now(),
    nonce: 'n',
    spentNonce: 'm',
    host: 'localhost:80',
  };
  assert.equal(buildSignatureRequest(base, calls, ctx).tampered, false);
  assert.equal(buildSignatureRequest({ ...base, after: [{ kind: 'set', where: 'query', name: 'RegionId', value: 'cn-beijing' }] }, calls, ctx).tampered, true);
  // A repeated query name keeps its first value on the server: appending one changes nothing it reads.
  assert.equal(
    buildSignatureRequest({ ...base, after: [{ kind: 'repeat', where: 'query', name: 'RegionId', value: 'cn-beijing' }] }, calls, ctx).tampered,
    false,
  );
  const v3: SignatureCase = { ...base, scheme: 'v3' };
  assert.equal(buildSignatureRequest(v3, calls, ctx).tampered, false);
  assert.equal(buildSignatureRequest({ ...v3, after: [{ kind: 'authorization', edit: 'signature-flipped' }] }, calls, ctx).tampered, true);
  assert.equal(buildSignatureRequest({ ...v3, after: [{ kind: 'set', where: 'header', name: 'x-acs-foo', value: '1' }] }, calls, ctx).tampered, true);
  assert.equal(buildSignatureRequest({ ...v3, after: [{ kind: 'set', where: 'header', name: 'user-agent', value: 'z' }] }, calls, ctx).tampered, false);
});

test('checkMetadataAnswer: another instance shown, or an item served with a bad token, is a failure', () => {
  const { main, other } = target.fixture;
  const world = {
    mainInstance: main.instanceId,
    otherInstance: other.instanceId,
    paths: [['meta-data', 'instance-id']],
    tokens: { main: 't', other: 'u', expired: 'v' },
    foreign: foreignValues(target.fixture),
  };
  const item: MetadataCase = {
    method: 'GET',
    prefix: 'main',
    header: 'none',
    headerTwice: false,
    version: 'latest',
    segments: [{ text: 'meta-data', encoding: 'percent' }],
    tail: '',
    token: 'none',
    ttl: undefined,
    forwardedFor: false,
  };
  const text = 'text/plain; charset=utf-8';
  const check = (c: MetadataCase, status: number, body: string) =>
    checkMetadataAnswer(c, buildMetadataRequest(c, world), { status, contentType: text, body }, world, '');
  check(item, 200, main.instanceId);
  assert.throws(() => check(item, 200, `x ${other.instanceId}`), /shows/);
  assert.throws(() => check({ ...item, token: 'forged' }, 200, 'x'), /token/);
  assert.throws(() => check(item, 500, 'x'), /status 500/);
});

/**
 * Bugs the fuzz suite found, each pinned by the request that showed it (in-process, through
 * app.inject and the same signing as the fuzzers): the answer the cloud would give, and nothing
 * logged as an unexpected error.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { PRODUCT_VERSION } from '../../src/api/define-action.ts';
import { resolveAction } from '../../src/api/registry.ts';
import type { ApiError } from '../../src/errors/api-error.ts';
import { decodeFlatParams } from '../../src/wire/flat-params.ts';
import { judgeRpcAnswer } from './oracles.ts';
import { buildRpcRequest, plainRpcCall } from './rpc-requests.ts';
import { startFuzzTarget, type FuzzTarget } from './target.ts';

let target: FuzzTarget;
let sent = 0;
before(async () => {
  target = await startFuzzTarget('regressions');
});
after(() => target.close());

/** A signed V1 GET of `action` with these wire parameters; its status and Code. */
async function call(product: 'Ecs' | 'Vpc', action: string, params: Record<string, string>): Promise<{ status: number; code: string | undefined }> {
  target.clock.advance(1000);
  const req = buildRpcRequest(plainRpcCall(product, action, params, 'v1-get'), {
    key: target.fixture.main.key,
    now: target.clock.now(),
    nonce: `regression-${++sent}`,
    host: 'localhost:80',
  });
  const res = await target.api.inject(req);
  const verdict = judgeRpcAnswer({ status: res.statusCode, contentType: String(res.headers['content-type']), body: res.body }, `${action} ${req.url}`);
  assert.deepEqual(target.errorLog.splice(0), [], `${action}: logged an unexpected error`);
  return { status: res.statusCode, code: verdict.kind === 'refused' ? verdict.code : undefined };
}

test('a PageNumber past the 32-bit range is InvalidParameter, not a 500 (the offset left SQLite\'s 64-bit range: "datatype mismatch")', async () => {
  const region = { RegionId: target.fixture.regionId };
  for (const [product, action] of [
    ['Ecs', 'DescribeInstances'],
    ['Ecs', 'DescribeDisks'],
    ['Ecs', 'DescribeInstanceStatus'],
    ['Ecs', 'DescribeSecurityGroups'],
    ['Ecs', 'DescribeNetworkInterfaces'],
    ['Vpc', 'DescribeVpcs'],
    ['Vpc', 'DescribeVSwitches'],
  ] as const) {
    for (const pageNumber of ['99999999999999999999', '9007199254740993', '2147483648']) {
      assert.deepEqual(
        await call(product, action, { ...region, PageNumber: pageNumber }),
        { status: 400, code: 'InvalidParameter' },
        `${action} PageNumber=${pageNumber}`,
      );
    }
    // The largest 32-bit page is served (empty, past the data).
    assert.equal((await call(product, action, { ...region, PageNumber: '2147483647' })).status, 200, action);
  }
});

test('a NextToken holding an offset past 15 digits is InvalidParameter, not a 500', async () => {
  const huge = Buffer.from('AAAA99999999999999999999').toString('base64url');
  for (const action of ['DescribeInstances', 'DescribeSecurityGroups', 'DescribeInstanceTypes']) {
    assert.deepEqual(await call('Ecs', action, { RegionId: target.fixture.regionId, NextToken: huge }), { status: 400, code: 'InvalidParameter' }, action);
  }
});

test('lists inside lists decode from one index of the keys (a scan of every key per list was quadratic: over a second of CPU for 900 NetworkInterface.N.SecurityGroupIds.M)', () => {
  const runInstances = resolveAction('RunInstances', PRODUCT_VERSION.Ecs);
  assert.equal(runInstances.kind, 'found');
  if (runInstances.kind !== 'found') return;
  const raw: Record<string, string> = { RegionId: 'cn-hangzhou' };
  for (let i = 1; i <= 900; i++) {
    raw[`NetworkInterface.${i}.SecurityGroupIds.${i}`] = `sg-${i}`;
    raw[`NetworkInterface.${i}.SecurityGroupIds.${i + 1}`] = `sg-${i}b`;
  }
  const { value, unknown } = decodeFlatParams(runInstances.action.def.params, raw, new Set());
  assert.deepEqual(unknown, []);
  const interfaces = value.NetworkInterface as { SecurityGroupIds: string[] }[];
  assert.equal(interfaces.length, 900);
  assert.deepEqual(interfaces[0], { SecurityGroupIds: ['sg-1', 'sg-1b'] });
  assert.deepEqual(interfaces[899], { SecurityGroupIds: ['sg-900', 'sg-900b'] });
  // An index below 1 still names its key, in an inner list as in an outer one.
  assert.throws(
    () => decodeFlatParams(runInstances.action.def.params, { 'NetworkInterface.1.SecurityGroupIds.0': 'x' }, new Set()),
    (err: ApiError) => {
      assert.equal(err.code, 'InvalidParameter');
      assert.match(err.message, /"NetworkInterface\.1\.SecurityGroupIds\.0"/);
      return true;
    },
  );
  assert.throws(
    () => decodeFlatParams(runInstances.action.def.params, { 'NetworkInterface.00.SecurityGroupIds.1': 'x' }, new Set()),
    /NetworkInterface\.00\.SecurityGroupIds\.1/,
  );
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dispatch, type DispatchDeps } from '../../src/api/dispatch.ts';
import { allActions } from '../../src/api/registry.ts';
import { PureResults } from '../../src/api/pure-results.ts';
import { defaultServerConfig } from '../../src/config.ts';
import { ApiError } from '../../src/errors/api-error.ts';
import { systemClock } from '../../src/lib/clock.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { seededRandom } from '../../src/lib/random.ts';
import { migrateToLatest, openStore, type Store } from '../../src/store/db.ts';
import type { AuthenticatedRequest } from '../../src/wire/authenticate.ts';

const ECS = '2014-05-26';

async function withDeps(fn: (deps: DispatchDeps) => Promise<void>): Promise<void> {
  const store: Store = await openStore({ kind: 'memory' });
  try {
    await migrateToLatest(store);
    await fn({ store, config: { ...defaultServerConfig, checkResults: true }, clock: systemClock, random: seededRandom(1), log: createLogger('silent') });
  } finally {
    await store.close();
  }
}

function call(action: string, params: Record<string, string>): AuthenticatedRequest {
  return { accessKeyId: 'k', accountId: 'acct-1', action, version: ECS, format: 'JSON', signatureVersion: 'v3', params };
}

test('pure actions: the same call reuses one frozen result; other parameters or regions get their own', async () => {
  await withDeps(async (deps) => {
    const first = await dispatch(call('DescribeRegions', {}), 'r1', deps);
    const again = await dispatch(call('DescribeRegions', {}), 'r2', deps);
    assert.equal(first.shared, true);
    assert.equal(again.body, first.body, 'one object for equal calls');
    assert.ok(Object.isFrozen(first.body) && Object.isFrozen((first.body.Regions as { Region: object[] }).Region[0]), 'frozen, deeply');

    const english = await dispatch(call('DescribeRegions', { AcceptLanguage: 'en-US' }), 'r3', deps);
    assert.notEqual(english.body, first.body);
    assert.notDeepEqual(english.body, first.body);
    // Decoded parameters are the key: the same values in another order are the same call.
    const a = await dispatch(call('DescribeZones', { RegionId: 'cn-hangzhou', Verbose: 'false', AcceptLanguage: 'en-US' }), 'r4', deps);
    const b = await dispatch(call('DescribeZones', { AcceptLanguage: 'en-US', Verbose: 'false', RegionId: 'cn-hangzhou' }), 'r5', deps);
    assert.equal(a.body, b.body);
    const otherRegion = await dispatch(call('DescribeZones', { RegionId: 'cn-beijing', Verbose: 'false', AcceptLanguage: 'en-US' }), 'r6', deps);
    assert.notDeepEqual(otherRegion.body, a.body);
  });
});

test('pure actions: errors are never kept, and DryRun still goes through the handler', async () => {
  await withDeps(async (deps) => {
    for (let i = 0; i < 2; i++) {
      await assert.rejects(
        dispatch(call('DescribeRegions', { AcceptLanguage: 'xx' }), `e${i}`, deps),
        (err: unknown) => err instanceof ApiError && err.code === 'InvalidAcceptLanguage.NotFound',
      );
    }
    const params = { RegionId: 'cn-hangzhou' };
    const kept = await dispatch(call('DescribeImages', params), 'i1', deps);
    assert.equal(kept.shared, true);
    await assert.rejects(
      dispatch(call('DescribeImages', { ...params, DryRun: 'true' }), 'i2', deps),
      (err: unknown) => err instanceof ApiError && err.code === 'DryRunOperation',
    );
  });
});

test('pure actions: actions that read the store are not shared', async () => {
  await withDeps(async (deps) => {
    const vpcs = await dispatch({ ...call('DescribeVpcs', { RegionId: 'cn-hangzhou' }), version: '2016-04-28' }, 'v1', deps);
    assert.equal(vpcs.shared, false);
  });
});

test('pure actions: every one is read-only and takes no ClientToken', () => {
  const pure = allActions().filter((a) => a.def.pure);
  assert.ok(pure.length >= 2);
  for (const a of pure) {
    assert.ok(a.def.readOnly && !a.def.idempotent, a.def.name);
    assert.ok(a.pureResults instanceof PureResults, a.def.name);
  }
});

test('PureResults: bounded, the oldest call goes first', () => {
  const results = new PureResults(2);
  for (const k of ['a', 'b', 'c']) results.remember(k, { k });
  assert.equal(results.size, 2);
  assert.equal(results.get('a'), undefined);
  assert.deepEqual(results.get('c'), { k: 'c' });
});

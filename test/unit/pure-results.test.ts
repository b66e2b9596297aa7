import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createInvoker, type Invoker } from '../../src/api/invoke.ts';
import { allActions } from '../../src/api/registry.ts';
import { PureResults } from '../../src/api/pure-results.ts';
import { defaultServerConfig } from '../../src/config.ts';
import { ApiError } from '../../src/errors/api-error.ts';
import { systemClock } from '../../src/lib/clock.ts';
import { seededRandom } from '../../src/lib/random.ts';
import { migrateToLatest, openStore, type Store } from '../../src/store/db.ts';

const caller = { accountId: 'acct-1' };

async function withInvoker(fn: (api: Invoker) => Promise<void>): Promise<void> {
  const store: Store = await openStore({ kind: 'memory' }, { checkQueries: true });
  try {
    await migrateToLatest(store);
    await fn(createInvoker({ store, settings: { ...defaultServerConfig, checkResults: true }, clock: systemClock, random: seededRandom(1) }));
  } finally {
    await store.close();
  }
}

test('pure actions: the same call reuses one frozen result; other parameters or regions get their own', async () => {
  await withInvoker(async (api) => {
    const first = await api.invoke('Ecs', 'DescribeRegions', {}, caller);
    const again = await api.invoke('Ecs', 'DescribeRegions', {}, caller);
    assert.equal(first.shared, true);
    assert.equal(again.body, first.body, 'one object for equal calls');
    assert.ok(Object.isFrozen(first.body) && Object.isFrozen((first.body.Regions as { Region: object[] }).Region[0]), 'frozen, deeply');

    const english = await api.invoke('Ecs', 'DescribeRegions', { AcceptLanguage: 'en-US' }, caller);
    assert.notEqual(english.body, first.body);
    assert.notDeepEqual(english.body, first.body);
    // The parameters are the key: the same values in another order are the same call.
    const a = await api.invoke('Ecs', 'DescribeZones', { RegionId: 'cn-hangzhou', Verbose: false, AcceptLanguage: 'en-US' }, caller);
    const b = await api.invoke('Ecs', 'DescribeZones', { AcceptLanguage: 'en-US', Verbose: false, RegionId: 'cn-hangzhou' }, caller);
    assert.equal(a.body, b.body);
    const otherRegion = await api.invoke('Ecs', 'DescribeZones', { RegionId: 'cn-beijing', Verbose: false, AcceptLanguage: 'en-US' }, caller);
    assert.notDeepEqual(otherRegion.body, a.body);
  });
});

test('pure actions: errors are never kept, and DryRun still goes through the handler', async () => {
  await withInvoker(async (api) => {
    for (let i = 0; i < 2; i++) {
      await assert.rejects(
        api.invoke('Ecs', 'DescribeRegions', { AcceptLanguage: 'xx' }, caller),
        (err: unknown) => err instanceof ApiError && err.code === 'InvalidAcceptLanguage.NotFound',
      );
    }
    const params = { RegionId: 'cn-hangzhou' };
    const kept = await api.invoke('Ecs', 'DescribeImages', params, caller);
    assert.equal(kept.shared, true);
    await assert.rejects(
      api.invoke('Ecs', 'DescribeImages', { ...params, DryRun: true }, caller),
      (err: unknown) => err instanceof ApiError && err.code === 'DryRunOperation',
    );
  });
});

test('pure actions: actions that read the store are not shared', async () => {
  await withInvoker(async (api) => {
    const vpcs = await api.invoke('Vpc', 'DescribeVpcs', { RegionId: 'cn-hangzhou' }, caller);
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

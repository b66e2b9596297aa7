import assert from 'node:assert/strict';
import { test } from 'node:test';
import { throttlePolicyOf } from '../../src/api/throttle-policy.ts';
import { allActions } from '../../src/api/registry.ts';
import { throttleRateCatalog } from '../../src/catalog/index.ts';
import {
  THROTTLED_PRODUCTS,
  formatRate,
  parseRate,
  parseThrottleSpec,
  rateFor,
  realisticRules,
  verdict,
  windowAt,
  type ThrottleSpecContext,
} from '../../src/domain/throttle.ts';
import { createThrottle, RETRY_AFTER_HEADER } from '../../src/services/throttle.ts';
import { singleProcessThrottleCounter } from '../../src/store/repos/throttle.ts';
import { ApiError } from '../../src/errors/api-error.ts';

const CTX: ThrottleSpecContext = {
  actions: {
    Ecs: ['CreateNetworkInterface', 'DescribeNetworkInterfaces', 'DescribeRegions'],
    Vpc: ['CreateVpc', 'DescribeRegions'],
    ResourceManager: ['ListResourceGroups'],
  },
  realistic: [
    { product: 'Ecs', action: '*', limit: 1500, windowMs: 60_000 },
    { product: 'Vpc', action: 'CreateVpc', limit: 300, windowMs: 60_000 },
  ],
};

const parse = (spec: string) => parseThrottleSpec(spec, CTX);

test("parseRate: the short forms and the cloud's N/60(s) notation; nothing else", () => {
  assert.deepEqual(parseRate('100/min'), { limit: 100, windowMs: 60_000 });
  assert.deepEqual(parseRate('20/s'), { limit: 20, windowMs: 1000 });
  assert.deepEqual(parseRate('5/10s'), { limit: 5, windowMs: 10_000 });
  assert.deepEqual(parseRate('1000/h'), { limit: 1000, windowMs: 3_600_000 });
  assert.deepEqual(parseRate('300/60(s)'), { limit: 300, windowMs: 60_000 });
  assert.deepEqual(parseRate('0/min'), { limit: 0, windowMs: 60_000 });
  for (const bad of [
    '',
    '100',
    '100/',
    '/min',
    '-1/s',
    '1.5/s',
    '100/m',
    '100/minutes',
    '1/0s',
    '1/0(s)',
    '1/25h',
    '1/ s',
    '1 /s',
    '99999999999/s',
    '1/86401s',
  ])
    assert.throws(() => parseRate(bad), /rate|window|at most/, bad);
  assert.equal(formatRate(parseRate('300/60(s)')), '300/60s');
  assert.equal(formatRate(parseRate('2/s')), '2/s');
});

test('parseThrottleSpec: none and empty are no throttling; rules keyed by product and action', () => {
  assert.equal(parse('none'), undefined);
  assert.equal(parse(''), undefined);
  assert.equal(parse('  none '), undefined);
  const policy = parse('CreateNetworkInterface=100/min, Ecs:DescribeNetworkInterfaces=20/s,*=1000/min,Vpc:*=7/s')!;
  assert.deepEqual(
    [...policy.rules],
    [
      ['*:CreateNetworkInterface', { limit: 100, windowMs: 60_000 }],
      ['Ecs:DescribeNetworkInterfaces', { limit: 20, windowMs: 1000 }],
      ['*:*', { limit: 1000, windowMs: 60_000 }],
      ['Vpc:*', { limit: 7, windowMs: 1000 }],
    ],
  );
});

test("rateFor: Product:Action, then Action, then Product:*, then *; products that are not the cloud's are never throttled", () => {
  const policy = parse('DescribeRegions=1/s,Vpc:DescribeRegions=2/s,Vpc:*=3/s,*=4/s')!;
  assert.deepEqual(rateFor(policy, 'Vpc', 'DescribeRegions'), { limit: 2, windowMs: 1000 });
  assert.deepEqual(rateFor(policy, 'Ecs', 'DescribeRegions'), { limit: 1, windowMs: 1000 });
  assert.deepEqual(rateFor(policy, 'Vpc', 'CreateVpc'), { limit: 3, windowMs: 1000 });
  assert.deepEqual(rateFor(policy, 'Ecs', 'CreateNetworkInterface'), { limit: 4, windowMs: 1000 });
  assert.equal(rateFor(policy, 'Eniplane', 'Reset'), undefined);
  assert.equal(rateFor(parse('CreateVpc=1/s')!, 'Ecs', 'CreateNetworkInterface'), undefined);
});

test('parseThrottleSpec: realistic first, and rules after it replace its rates', () => {
  const realistic = parse('realistic')!;
  assert.deepEqual(rateFor(realistic, 'Ecs', 'DescribeRegions'), { limit: 1500, windowMs: 60_000 });
  assert.deepEqual(rateFor(realistic, 'Vpc', 'CreateVpc'), { limit: 300, windowMs: 60_000 });
  assert.equal(rateFor(realistic, 'ResourceManager', 'ListResourceGroups'), undefined);
  const overridden = parse('realistic,Vpc:CreateVpc=5/min,Ecs:*=9/s')!;
  assert.deepEqual(rateFor(overridden, 'Vpc', 'CreateVpc'), { limit: 5, windowMs: 60_000 });
  assert.deepEqual(rateFor(overridden, 'Ecs', 'DescribeRegions'), { limit: 9, windowMs: 1000 });
});

test('parseThrottleSpec: strict, a bad rule refuses the whole spec and names itself', () => {
  const refusals: [string, RegExp][] = [
    ['CreateNetworkInterface', /"CreateNetworkInterface": a rule is \[Product:\]Action=RATE/],
    ['CreateNetworkInterface=100', /is not a rate/],
    ['Nope=1/s', /"Nope" is not an action eniplane serves in Ecs, Vpc, ResourceManager/],
    ['Ecs:CreateVpc=1/s', /"CreateVpc" is not an action eniplane serves in Ecs/],
    ['ecs:CreateNetworkInterface=1/s', /"ecs" is not a throttled product/],
    ['Eniplane:*=1/s', /"Eniplane" is not a throttled product/],
    ['CreateVpc=1/s,CreateVpc=2/s', /"CreateVpc=2\/s": CreateVpc has a rule already/],
    ['*=1/s,*=2/s', /\* has a rule already/],
    ['CreateVpc=1/s,,*=1/s', /an empty rule/],
    ['CreateVpc=1/s,', /an empty rule/],
    ['none,CreateVpc=1/s', /none stands alone/],
    ['CreateVpc=1/s,realistic', /realistic comes first/],
    ['realistic,realistic', /realistic comes first/],
    ['Create*=1/s', /a rule is/],
    ['CreateVpc = 1/s', /a rule is|not an action|not a rate/],
  ];
  for (const [spec, message] of refusals) assert.throws(() => parse(spec), message, spec);
  assert.throws(() => parse('x'), /--throttle takes none, realistic, or rules like/);
});

test('windowAt: fixed windows aligned to multiples of their size, so a minute window is a clock minute', () => {
  const t = Date.UTC(2026, 0, 1, 12, 34, 56, 789);
  assert.deepEqual(windowAt(t, 60_000), { start: Date.UTC(2026, 0, 1, 12, 34), end: Date.UTC(2026, 0, 1, 12, 35) });
  assert.deepEqual(windowAt(t, 1000), { start: t - 789, end: t - 789 + 1000 });
  assert.deepEqual(windowAt(Date.UTC(2026, 0, 1, 12, 35), 60_000).start, Date.UTC(2026, 0, 1, 12, 35));
});

test('verdict: within the limit passes; past it, retry when the window ends (at least 1 ms)', () => {
  const rate = { limit: 3, windowMs: 60_000 };
  const w = { start: 60_000, end: 120_000 };
  assert.deepEqual(verdict(3, rate, w, 70_000), { throttled: false });
  assert.deepEqual(verdict(4, rate, w, 70_000), { throttled: true, retryAfterMs: 50_000 });
  assert.deepEqual(verdict(1, { limit: 0, windowMs: 60_000 }, w, 119_999.5), { throttled: true, retryAfterMs: 1 });
});

test('the realistic table: every rate parses, every action is one eniplane serves, every entry has a source', () => {
  const rules = realisticRules(throttleRateCatalog);
  const sources = (throttleRateCatalog as unknown as { sources: Record<string, string> }).sources;
  const served = new Set(allActions().map((a) => `${a.def.product}:${a.def.name}`));
  for (const r of throttleRateCatalog.rates) assert.ok(served.has(`${r.product}:${r.action}`), `${r.product}:${r.action}`);
  for (const e of [...throttleRateCatalog.rates, ...throttleRateCatalog.defaults] as unknown as { source: string }[]) assert.ok(sources[e.source], e.source);
  assert.equal(rules.length, throttleRateCatalog.rates.length + throttleRateCatalog.defaults.length);
  const policy = throttlePolicyOf('realistic')!;
  assert.deepEqual(rateFor(policy, 'Ecs', 'CreateNetworkInterface'), { limit: 1500, windowMs: 60_000 });
  assert.deepEqual(rateFor(policy, 'Vpc', 'AllocateEipAddress'), { limit: 120, windowMs: 60_000 });
  assert.deepEqual(rateFor(policy, 'ResourceManager', 'CreateResourceGroup'), { limit: 20, windowMs: 1000 });
  // Every served action of a throttled product has a rate under realistic (eniplane's own product is never throttled).
  const throttled = new Set<string>(THROTTLED_PRODUCTS);
  for (const a of allActions().filter((x) => throttled.has(x.def.product)))
    assert.ok(rateFor(policy, a.def.product, a.def.name), `${a.def.product}:${a.def.name}`);
});

test('the throttle: per account, region and API; Throttling.User with the milliseconds left in x-acs-retry-after; the next window passes', () => {
  let now = 1_000_000_000_500;
  const throttle = createThrottle(parse('CreateNetworkInterface=2/s')!, singleProcessThrottleCounter(), { now: () => now });
  const call = { accountId: 'a', regionId: 'cn-hangzhou', product: 'Ecs', action: 'CreateNetworkInterface' };
  throttle.admit(call);
  throttle.admit(call);
  assert.throws(
    () => throttle.admit(call),
    (err: unknown) => {
      assert.ok(err instanceof ApiError);
      assert.equal(err.code, 'Throttling.User');
      assert.equal(err.httpStatus, 400);
      assert.equal(err.message, 'Request was denied due to user flow control.');
      assert.deepEqual(err.headers, { [RETRY_AFTER_HEADER]: '500' });
      return true;
    },
  );
  // Other accounts, regions and actions have their own counts; unruled actions are not counted.
  throttle.admit({ ...call, accountId: 'b' });
  throttle.admit({ ...call, regionId: 'cn-beijing' });
  throttle.admit({ ...call, product: 'Vpc', action: 'CreateVpc' });
  for (let i = 0; i < 10; i++) throttle.admit({ ...call, product: 'Eniplane', action: 'Reset' });
  now += 500;
  throttle.admit(call);
  throttle.admit(call);
  assert.throws(() => throttle.admit(call), /user flow control/);
});

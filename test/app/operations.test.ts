/**
 * The operations routes of the API listener (src/app/health.ts, src/app/metrics.ts) and its
 * limits (src/app/listener-limits.ts, wire/authenticate.ts), through buildApp and app.inject: no
 * port, no process. What needs a real server (SIGTERM, TLS, slow sockets, the SDKs' own HTTP) is
 * in test/api/operations.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createInvoker } from '../../src/api/invoke.ts';
import { buildApp, type BuildAppOptions } from '../../src/app/build-app.ts';
import { defaultServerConfig, parseDelays } from '../../src/config.ts';
import { systemClock } from '../../src/lib/clock.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { seededRandom } from '../../src/lib/random.ts';
import { ensureRootAccount } from '../../src/services/accounts.ts';
import { migrateToLatest, openStore, type Store } from '../../src/store/db.ts';
import { findAccessKey } from '../../src/store/repos/accounts.ts';
import { readerOf } from '../../src/store/tx.ts';
import { sampleValue } from '../helpers/prometheus.ts';
import { signV1 } from '../helpers/raw-client.ts';
import { TEST_KEY } from '../helpers/server.ts';

const ECS = '2014-05-26';
const VPC = '2016-04-28';
const log = createLogger('silent');

async function migratedStore(): Promise<{ store: Store; accountId: string }> {
  const store = await openStore({ kind: 'memory' }, { checkQueries: true });
  await migrateToLatest(store);
  await ensureRootAccount(store, TEST_KEY, systemClock, seededRandom('ops'));
  const key = await findAccessKey(readerOf(store), TEST_KEY.accessKeyId);
  return { store, accountId: key!.accountId };
}

function appOn(store: Store, options: BuildAppOptions = {}): FastifyInstance {
  return buildApp({ store, config: { ...defaultServerConfig, checkResults: true }, clock: systemClock, random: seededRandom('ops-requests'), log }, options);
}

function json(body: string): Record<string, unknown> {
  return JSON.parse(body) as Record<string, unknown>;
}

/** A signed V1 GET of `action`, through inject. */
function call(app: FastifyInstance, action: string, version: string, params: Record<string, string> = {}, opts: Parameters<typeof signV1>[3] = {}) {
  return app.inject({ method: 'GET', url: `/?${new URLSearchParams(signV1(action, version, params, opts)).toString()}` });
}

async function scrape(app: FastifyInstance): Promise<string> {
  const res = await app.inject({ method: 'GET', url: '/metrics' });
  assert.equal(res.statusCode, 200, res.body);
  assert.match(res.headers['content-type'] as string, /^text\/plain; version=0\.0\.4/);
  return res.body;
}

describe('health and readiness', () => {
  let store: Store;
  let app: FastifyInstance;
  before(async () => {
    ({ store } = await migratedStore());
    app = appOn(store);
    await app.ready();
  });
  after(async () => {
    await app.close();
    await store.close();
  });

  test('GET /healthz answers while the process serves; /_eniplane/health is kept, naming the store', async () => {
    const live = await app.inject({ method: 'GET', url: '/healthz' });
    assert.equal(live.statusCode, 200);
    assert.deepEqual(json(live.body), { status: 'ok' });
    const old = await app.inject({ method: 'GET', url: '/_eniplane/health' });
    assert.deepEqual(json(old.body), { status: 'ok', store: 'sqlite' });
  });

  test('GET /readyz: ready on a migrated store that answers', async () => {
    const res = await app.inject({ method: 'GET', url: '/readyz' });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(json(res.body), { status: 'ready', store: 'sqlite' });
  });

  test('GET /readyz: 503 naming the pending migrations on a store not migrated yet', async () => {
    const bare = await openStore({ kind: 'memory' });
    const early = appOn(bare, { metrics: false });
    try {
      const res = await early.inject({ method: 'GET', url: '/readyz' });
      assert.equal(res.statusCode, 503);
      assert.equal(json(res.body).status, 'not ready');
      assert.match(json(res.body).reason as string, /^migrations not applied: 0001-foundation, 0002-instances-enis, .*0016-console-sessions/);
      // Liveness does not depend on the store.
      assert.equal((await early.inject({ method: 'GET', url: '/healthz' })).statusCode, 200);
    } finally {
      await early.close();
      await bare.close();
    }
  });

  test('GET /readyz: 503 when the database does not answer', async () => {
    const { store: gone } = await migratedStore();
    const orphan = appOn(gone, { metrics: false });
    try {
      await gone.close();
      const res = await orphan.inject({ method: 'GET', url: '/readyz' });
      assert.equal(res.statusCode, 503);
      assert.match(json(res.body).reason as string, /^the database does not answer: /);
    } finally {
      await orphan.close();
    }
  });
});

describe('metrics', () => {
  let store: Store;
  let accountId: string;
  let app: FastifyInstance;
  before(async () => {
    ({ store, accountId } = await migratedStore());
    app = appOn(store, { metrics: { replicaId: 'replica-a' } });
    await app.ready();
  });
  after(async () => {
    await app.close();
    await store.close();
  });

  test('requests are counted by product, action, code and status; unresolved actions never become labels', async () => {
    for (let i = 0; i < 2; i++) assert.equal((await call(app, 'DescribeRegions', ECS)).statusCode, 200);
    assert.equal((await call(app, 'CreateVpc', VPC, { RegionId: 'cn-hangzhou', CidrBlock: '10.0.0.0/8', ClientToken: 'ops-1' })).statusCode, 200);
    assert.equal((await call(app, 'DescribeRegions', ECS, { Bogus: '1' })).statusCode, 400);
    assert.equal((await call(app, `NoSuchAction${Date.now()}`, VPC)).statusCode, 404);
    const forged = await call(app, 'DescribeRegions', ECS, {}, { tamper: (p) => (p.Signature = 'x') });
    assert.equal(json(forged.body).Code, 'SignatureDoesNotMatch');

    const text = await scrape(app);
    const requests = (labels: Record<string, string>) => sampleValue(text, 'eniplane_requests_total', labels);
    assert.equal(requests({ product: 'Ecs', action: 'DescribeRegions', code: '', status: '200' }), 2);
    assert.equal(requests({ product: 'Vpc', action: 'CreateVpc', code: '', status: '200' }), 1);
    assert.equal(requests({ product: 'Ecs', action: 'DescribeRegions', code: 'UnsupportedParameter', status: '400' }), 1);
    assert.equal(requests({ product: 'Vpc', action: '', code: 'InvalidAction.NotFound', status: '404' }), 1);
    assert.equal(requests({ product: 'Ecs', action: '', code: 'SignatureDoesNotMatch', status: '400' }), 1);
    assert.doesNotMatch(text, /NoSuchAction/);
    // Every answered request is in the latency histogram of its action.
    assert.equal(sampleValue(text, 'eniplane_request_duration_seconds_count', { product: 'Ecs', action: 'DescribeRegions' }), 3);
    assert.equal(sampleValue(text, 'eniplane_request_duration_seconds_bucket', { product: 'Ecs', action: 'DescribeRegions', le: '+Inf' }), 3);
    // CreateVpc's transaction committed; the ClientToken and the valid signatures' nonces are in their tables.
    assert.ok(sampleValue(text, 'eniplane_store_transaction_duration_seconds_count', { kind: 'write', outcome: 'commit' })! >= 1);
    assert.equal(sampleValue(text, 'eniplane_store_table_rows', { table: 'client_tokens' }), 1);
    assert.equal(sampleValue(text, 'eniplane_store_table_rows', { table: 'signature_nonce_log' }), 5);
    assert.equal(sampleValue(text, 'eniplane_store_table_rows', { table: 'signature_nonces' }), 0);
    assert.equal(sampleValue(text, 'eniplane_store_up'), 1);
    assert.equal(sampleValue(text, 'eniplane_replica_info', { replica: 'replica-a', store: 'sqlite', version: '0.1.0' }), 1);
  });

  test('asynchronous states in flight: an ENI Attaching and an instance Stopping, read at scrape time', async () => {
    const slow = createInvoker({
      store,
      settings: { ...defaultServerConfig, delays: { ...parseDelays('none'), eniAttach: 600_000, instanceStop: 600_000 } },
      clock: systemClock,
      random: seededRandom('ops-in-flight'),
    });
    const run = async (product: 'Ecs' | 'Vpc', action: string, params: Record<string, unknown>) =>
      (await slow.invoke(product, action, { RegionId: 'cn-hangzhou', ...params }, { accountId })).body;
    const { VpcId } = await run('Vpc', 'CreateVpc', { CidrBlock: '192.168.0.0/16' });
    const { VSwitchId } = await run('Vpc', 'CreateVSwitch', { VpcId, ZoneId: 'cn-hangzhou-h', CidrBlock: '192.168.1.0/24' });
    const { SecurityGroupId } = await run('Ecs', 'CreateSecurityGroup', { VpcId });
    const instances = await run('Ecs', 'RunInstances', {
      InstanceType: 'ecs.g7.large',
      ImageId: 'aliyun_3_x64_20G_alibase_20240819.vhd',
      VSwitchId,
      SecurityGroupId,
      Amount: 2,
    });
    const [first, second] = (instances.InstanceIdSets as { InstanceIdSet: string[] }).InstanceIdSet;
    const { NetworkInterfaceId } = await run('Ecs', 'CreateNetworkInterface', { VSwitchId, SecurityGroupId });
    await run('Ecs', 'AttachNetworkInterface', { NetworkInterfaceId, InstanceId: first });
    await run('Ecs', 'StopInstance', { InstanceId: second });

    const text = await scrape(app);
    const inFlight = (resource: string, status: string) => sampleValue(text, 'eniplane_async_in_flight', { resource, status });
    assert.equal(inFlight('eni', 'Attaching'), 1);
    assert.equal(inFlight('eni', 'Detaching'), 0);
    assert.equal(inFlight('instance', 'Stopping'), 1);
    assert.equal(inFlight('instance', 'Starting'), 0);
  });

  test('each app has its own registry: a second app on the same store counts only its own requests', async () => {
    const other = appOn(store, { metrics: { replicaId: 'replica-b' } });
    try {
      assert.equal((await call(other, 'DescribeRegions', ECS)).statusCode, 200);
      const text = await scrape(other);
      assert.equal(sampleValue(text, 'eniplane_requests_total', { action: 'DescribeRegions', code: '' }), 1);
      assert.equal(sampleValue(text, 'eniplane_replica_info', { replica: 'replica-a' }), undefined);
      assert.equal(sampleValue(text, 'eniplane_replica_info', { replica: 'replica-b' }), 1);
      // Node's process metrics only when asked for (serve asks).
      assert.equal(sampleValue(text, 'process_cpu_user_seconds_total'), undefined);
    } finally {
      await other.close();
    }
    // The first app still sees its store's transactions after the second closed.
    const before = sampleValue(await scrape(app), 'eniplane_store_transaction_duration_seconds_count', { kind: 'write', outcome: 'commit' })!;
    await call(app, 'CreateVpc', VPC, { RegionId: 'cn-hangzhou', CidrBlock: '172.16.0.0/12' });
    assert.equal(sampleValue(await scrape(app), 'eniplane_store_transaction_duration_seconds_count', { kind: 'write', outcome: 'commit' }), before + 1);
  });

  test('metrics off: GET /metrics is not served (the cloud envelope of an unknown path)', async () => {
    const off = appOn(store, { metrics: false });
    try {
      const res = await off.inject({ method: 'GET', url: '/metrics' });
      assert.equal(res.statusCode, 404);
      assert.equal(json(res.body).Code, 'InvalidAction.NotFound');
    } finally {
      await off.close();
    }
  });
});

describe('limits', () => {
  let store: Store;
  let app: FastifyInstance;
  before(async () => {
    ({ store } = await migratedStore());
    app = appOn(store);
    await app.ready();
  });
  after(async () => {
    await app.close();
    await store.close();
  });

  test('a body over 1 MiB answers RequestEntityTooLarge (413) in the envelope, never a 500', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-acs-version': VPC },
      payload: 'a'.repeat(1024 * 1024 + 1),
    });
    assert.equal(res.statusCode, 413);
    const body = json(res.body);
    assert.equal(body.Code, 'RequestEntityTooLarge');
    assert.equal(body.Message, 'The request body is larger than 1048576 bytes, the most eniplane accepts.');
    assert.match(body.Recommend as string, /product=Vpc/);
  });

  test('more than 1,000 parameters (query and form body together) answer TooManyParameters (400) before any is decoded', async () => {
    const pairs = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => `${prefix}${i}=1`).join('&');
    const query = await app.inject({ method: 'GET', url: `/?${pairs(1001, 'Q')}` });
    assert.equal(query.statusCode, 400);
    assert.equal(json(query.body).Code, 'TooManyParameters');
    assert.equal(json(query.body).Message, 'The request has 1001 parameters; eniplane accepts at most 1000.');
    const split = await app.inject({
      method: 'POST',
      url: `/?${pairs(600, 'Q')}`,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: pairs(401, 'F'),
    });
    assert.equal(json(split.body).Code, 'TooManyParameters');
    // 1,000 pass the count, and meet the ordinary checks (here: no Action).
    const atLimit = await app.inject({ method: 'GET', url: `/?${pairs(1000, 'Q')}` });
    assert.equal(json(atLimit.body).Code, 'MissingParameter');
  });
});

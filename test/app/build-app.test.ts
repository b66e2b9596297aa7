/**
 * The API listener as buildApp composes it (src/app/build-app.ts), through app.inject(): no port,
 * no process. What a real server adds (listening, signals, the SDKs' own HTTP) stays in test/api.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import { buildApp, type AppPluginOptions } from '../../src/app/build-app.ts';
import { defaultServerConfig } from '../../src/config.ts';
import { systemClock } from '../../src/lib/clock.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { seededRandom } from '../../src/lib/random.ts';
import { ensureRootAccount } from '../../src/services/accounts.ts';
import { migrateToLatest, openStore, type Store } from '../../src/store/db.ts';
import { signV1 } from '../helpers/raw-client.ts';
import { TEST_KEY } from '../helpers/server.ts';

const ECS = '2014-05-26';
const VPC = '2016-04-28';

/** Stands in for the console: a route of its own that calls an action through the shared invoker. */
const consoleLike: FastifyPluginAsync<AppPluginOptions> = async (app, { invoker }) => {
  app.get('/api/regions', async () => {
    const { body } = await invoker.invoke('Ecs', 'DescribeRegions', {}, { accountId: 'console' });
    return { count: (body.Regions as { Region: unknown[] }).Region.length };
  });
};

let store: Store;
let app: FastifyInstance;

before(async () => {
  store = await openStore({ kind: 'memory' }, { checkQueries: true });
  await migrateToLatest(store);
  await ensureRootAccount(store, TEST_KEY, systemClock, seededRandom('app'));
  app = buildApp(
    { store, config: { ...defaultServerConfig, checkResults: true }, clock: systemClock, random: seededRandom('app-requests'), log: createLogger('silent') },
    { extraPlugins: [{ prefix: '/console', plugin: consoleLike }] },
  );
  await app.ready();
});
after(async () => {
  await app.close();
  await store.close();
});

function json(body: string): Record<string, unknown> {
  return JSON.parse(body) as Record<string, unknown>;
}

/** The cloud's error envelope, with a request ID and a Recommend link naming the code and product. */
function assertEnvelope(body: Record<string, unknown>, code: string, message: string, product: string): void {
  assert.deepEqual(Object.keys(body).sort(), ['Code', 'HostId', 'Message', 'Recommend', 'RequestId']);
  assert.equal(body.Code, code);
  assert.equal(body.Message, message);
  assert.match(body.RequestId as string, /^[0-9A-F-]{36}$/i);
  assert.equal(body.Recommend, `https://api.aliyun.com/troubleshoot?q=${encodeURIComponent(code)}&product=${product}&requestId=${body.RequestId}`);
}

test('an unknown path answers InvalidAction.NotFound (404) in the envelope, whatever its method or body', async () => {
  for (const request of [
    { method: 'GET' as const, url: '/nope' },
    { method: 'POST' as const, url: '/nope?x=1', headers: { 'content-type': 'application/json' }, payload: '{not json' },
  ]) {
    const res = await app.inject(request);
    assert.equal(res.statusCode, 404, request.url);
    assert.match(res.headers['content-type'] as string, /^application\/json;charset=utf-8/);
    assertEnvelope(json(res.body), 'InvalidAction.NotFound', 'Specified api is not found, please check your url and method.', 'Ecs');
  }
  const vpc = await app.inject({ method: 'GET', url: '/nope', headers: { 'x-acs-version': VPC } });
  assertEnvelope(json(vpc.body), 'InvalidAction.NotFound', 'Specified api is not found, please check your url and method.', 'Vpc');
  const xml = await app.inject({ method: 'GET', url: '/nope?Format=XML' });
  assert.match(xml.headers['content-type'] as string, /^text\/xml;charset=utf-8/);
  assert.match(xml.body, /^<\?xml version="1.0" encoding="UTF-8"\?><Error><RequestId>/);
});

test('another method on the RPC path answers UnsupportedHTTPMethod (403); HEAD too, without a body', async () => {
  for (const method of ['PUT', 'DELETE', 'PATCH'] as const) {
    const res = await app.inject({ method, url: '/', payload: 'x' });
    assert.equal(res.statusCode, 403, method);
    assertEnvelope(json(res.body), 'UnsupportedHTTPMethod', 'This HTTP method is not supported.', 'Ecs');
  }
  const head = await app.inject({ method: 'HEAD', url: '/' });
  assert.equal(head.statusCode, 403);
  assert.equal(head.body, '');
});

test('a signed call, in the query (GET) or in a form body (POST, signed over the raw bytes), reaches its action', async () => {
  const signed = new URLSearchParams(signV1('DescribeRegions', ECS, {})).toString();
  const get = await app.inject({ method: 'GET', url: `/?${signed}` });
  assert.equal(get.statusCode, 200, get.body);
  assert.match(get.headers['content-type'] as string, /^application\/json;charset=utf-8/);
  const body = json(get.body);
  assert.match(body.RequestId as string, /^[0-9A-F-]{36}$/i);
  assert.ok((body.Regions as { Region: unknown[] }).Region.length > 0);

  const form = new URLSearchParams(signV1('DescribeVpcs', VPC, { RegionId: 'cn-hangzhou' }, { method: 'POST' })).toString();
  const post = await app.inject({ method: 'POST', url: '/', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: form });
  assert.equal(post.statusCode, 200, post.body);
  assert.equal(json(post.body).TotalCount, 0);
});

test('a signed call with a parameter its action does not declare is refused by name (strict by default)', async () => {
  const signed = new URLSearchParams(signV1('DescribeRegions', ECS, { Bogus: '1' })).toString();
  const res = await app.inject({ method: 'GET', url: `/?${signed}` });
  assert.equal(res.statusCode, 400);
  assert.equal(json(res.body).Code, 'UnsupportedParameter');
});

test('an unsigned call is refused by the gateway checks, before any action runs', async () => {
  const res = await app.inject({ method: 'GET', url: '/?Action=DescribeRegions&Version=2014-05-26' });
  assert.equal(res.statusCode, 400);
  assert.equal(typeof json(res.body).Code, 'string');
});

test('a body over 1 MiB is refused in the envelope (RequestEntityTooLarge)', async () => {
  const res = await app.inject({
    method: 'POST',
    url: '/',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    payload: 'a'.repeat(1024 * 1024 + 1),
  });
  assert.equal(res.statusCode, 413);
  assert.equal(json(res.body).Code, 'RequestEntityTooLarge');
});

test('the health route names the store', async () => {
  const res = await app.inject({ method: 'GET', url: '/_eniplane/health' });
  assert.equal(res.statusCode, 200);
  assert.deepEqual(json(res.body), { status: 'ok', store: 'sqlite' });
});

test('an extra plugin serves under its prefix with the shared invoker; what it does not serve answers in the envelope', async () => {
  const res = await app.inject({ method: 'GET', url: '/console/api/regions' });
  assert.equal(res.statusCode, 200, res.body);
  assert.ok((json(res.body).count as number) > 0);
  const missing = await app.inject({ method: 'GET', url: '/console/nothing-here' });
  assert.equal(missing.statusCode, 404);
  assert.equal(json(missing.body).Code, 'InvalidAction.NotFound');
});

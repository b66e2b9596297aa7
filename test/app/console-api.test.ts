/**
 * The console's API (src/console) through app.inject(): sign-in, sessions, CSRF, the call route
 * and its refusals, with no browser. The browser flows are in test/console.
 */
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app/build-app.ts';
import { defaultServerConfig } from '../../src/config.ts';
import { consoleExtra } from '../../src/console/plugin.ts';
import type { Clock } from '../../src/lib/clock.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { seededRandom } from '../../src/lib/random.ts';
import { ensureRootAccount } from '../../src/services/accounts.ts';
import { migrateToLatest, openStore, type Store } from '../../src/store/db.ts';
import { TEST_KEY } from '../helpers/server.ts';

const TTL_MS = 60_000;
let now = Date.parse('2026-12-06T00:00:00Z');
const clock: Clock = { now: () => now };
let store: Store;
let app: FastifyInstance;

before(async () => {
  store = await openStore({ kind: 'memory' }, { checkQueries: true });
  await migrateToLatest(store);
  await ensureRootAccount(store, TEST_KEY, clock, seededRandom('console-api'));
  // An empty folder stands for a console that was never built.
  const unbuilt = mkdtempSync(join(tmpdir(), 'eniplane-unbuilt-console-'));
  app = buildApp(
    {
      store,
      config: { ...defaultServerConfig, checkResults: true, delays: { ...defaultServerConfig.delays, vpcCreate: 0 } },
      clock,
      random: seededRandom('r'),
      log: createLogger('silent'),
    },
    { extraPlugins: [consoleExtra(TTL_MS, unbuilt)] },
  );
  await app.ready();
});
after(async () => {
  await app.close();
  await store.close();
});

async function signIn(): Promise<{ cookie: string; csrf: string }> {
  const res = await app.inject({
    method: 'POST',
    url: '/console/api/session',
    payload: { AccessKeyId: TEST_KEY.accessKeyId, AccessKeySecret: TEST_KEY.accessKeySecret },
  });
  assert.equal(res.statusCode, 200, res.body);
  const cookie = res.cookies.find((c) => c.name === 'eniplane_console');
  assert.ok(cookie);
  return { cookie: `eniplane_console=${cookie.value}`, csrf: (res.json() as { CsrfToken: string }).CsrfToken };
}

function call(s: { cookie: string; csrf: string }, body: unknown, headers: Record<string, string> = {}) {
  return app.inject({
    method: 'POST',
    url: '/console/api/call',
    headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': 'application/json', ...headers },
    payload: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

test('an unbuilt console answers 503 with what to run; the API still works', async () => {
  const page = await app.inject({ method: 'GET', url: '/console/enis' });
  assert.equal(page.statusCode, 503);
  assert.match(page.body, /npm run build:console/);
  const missing = await app.inject({ method: 'GET', url: '/console/api/nothing' });
  assert.equal(missing.statusCode, 404);
});

test('sign-in refusals: missing fields, an unknown key, a wrong secret, a temporary key', async () => {
  const cases: [unknown, number, string][] = [
    [{}, 400, 'Console.BadRequest'],
    [{ AccessKeyId: 'LTAInone', AccessKeySecret: 'x' }, 404, 'InvalidAccessKeyId.NotFound'],
    [{ AccessKeyId: TEST_KEY.accessKeyId, AccessKeySecret: 'wrong' }, 400, 'SignatureDoesNotMatch'],
    [{ AccessKeyId: 'STS.something', AccessKeySecret: 'x' }, 404, 'InvalidAccessKeyId.NotFound'],
  ];
  for (const [payload, status, code] of cases) {
    const res = await app.inject({ method: 'POST', url: '/console/api/session', payload: payload as Record<string, unknown> });
    assert.equal(res.statusCode, status, JSON.stringify(payload));
    const body = res.json() as { Code: string; RequestId: string; HttpStatus: number };
    assert.equal(body.Code, code);
    assert.equal(body.HttpStatus, status);
    assert.ok(body.RequestId);
    assert.equal(res.cookies.length, 0);
  }
});

test('the call route: CSRF, malformed bodies and bad parameters are client errors that change nothing', async () => {
  const s = await signIn();
  const noCsrf = await call(s, { Product: 'Vpc', Action: 'CreateVpc', Params: {} }, { 'x-csrf-token': 'forged' });
  assert.equal(noCsrf.statusCode, 403);
  assert.equal((noCsrf.json() as { Code: string }).Code, 'Console.InvalidCsrfToken');
  const refusals: [unknown, Record<string, string>, number, string][] = [
    ['{not json', {}, 400, 'Console.BadRequest'],
    ['<x/>', { 'content-type': 'application/xml' }, 415, 'Console.BadRequest'],
    [{ Product: 'Rds', Action: 'CreateDBInstance' }, {}, 400, 'Console.BadRequest'],
    [{ Product: 'Vpc', Action: 'NoSuchAction' }, {}, 404, 'InvalidAction.NotFound'],
    [{ Product: 'Vpc', Action: 'CreateVpc', Params: [] }, {}, 400, 'Console.BadRequest'],
    [{ Product: 'Vpc', Action: 'CreateVpc', Params: { CidrBlock: '10.0.0.1/8' } }, {}, 400, 'InvalidCidrBlock.Malformed'],
    [{ Product: 'Vpc', Action: 'CreateVpc', Params: { VpcName: 'x'.repeat(200) } }, {}, 400, 'InvalidVpcName.Malformed'],
  ];
  for (const [body, headers, status, code] of refusals) {
    const res = await call(s, body, headers);
    assert.equal(res.statusCode, status, `${JSON.stringify(body)}: ${res.body}`);
    assert.equal((res.json() as { Code: string }).Code, code, res.body);
  }
  const listed = await call(s, { Product: 'Vpc', Action: 'DescribeVpcs' });
  assert.equal((listed.json() as { TotalCount: number }).TotalCount, 0, 'no refusal created anything');
  const created = await call(s, { Product: 'Vpc', Action: 'CreateVpc', Params: { CidrBlock: '10.0.0.0/8' }, RegionId: 'cn-shanghai' });
  assert.equal(created.statusCode, 200, created.body);
  const inShanghai = await call(s, { Product: 'Vpc', Action: 'DescribeVpcs', RegionId: 'cn-shanghai' });
  assert.equal((inShanghai.json() as { TotalCount: number }).TotalCount, 1, 'RegionId picks the region');
});

test('declarations for the forms: JSON Schema of the parameters', async () => {
  const s = await signIn();
  const res = await app.inject({ method: 'GET', url: '/console/api/actions?names=Ecs:CreateNetworkInterface,Vpc:CreateVpc', headers: { cookie: s.cookie } });
  assert.equal(res.statusCode, 200);
  const { Actions } = res.json() as { Actions: { Name: string; Params: { properties: Record<string, { maximum?: number }> } }[] };
  assert.deepEqual(
    Actions.map((a) => a.Name),
    ['CreateNetworkInterface', 'CreateVpc'],
  );
  assert.ok(Actions[0]!.Params.properties.SecondaryPrivateIpAddressCount);
  const unknown = await app.inject({ method: 'GET', url: '/console/api/actions?names=Ecs:Nope', headers: { cookie: s.cookie } });
  assert.equal(unknown.statusCode, 400);
});

test('sessions expire on the server and sign-out ends them', async () => {
  const s = await signIn();
  assert.equal((await app.inject({ method: 'GET', url: '/console/api/session', headers: { cookie: s.cookie } })).statusCode, 200);
  now += TTL_MS;
  const expired = await app.inject({ method: 'GET', url: '/console/api/session', headers: { cookie: s.cookie } });
  assert.equal(expired.statusCode, 401);
  assert.equal((expired.json() as { Code: string }).Code, 'Console.SessionExpired');
  assert.equal((await call(s, { Product: 'Vpc', Action: 'DescribeVpcs' })).statusCode, 401);

  const t = await signIn();
  const out = await app.inject({ method: 'DELETE', url: '/console/api/session', headers: { cookie: t.cookie, 'x-csrf-token': t.csrf } });
  assert.equal(out.statusCode, 200);
  const after = await app.inject({ method: 'GET', url: '/console/api/session', headers: { cookie: t.cookie } });
  assert.equal((after.json() as { Code: string }).Code, 'Console.SignInRequired');
});

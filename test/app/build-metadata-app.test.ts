/**
 * The metadata listener as buildMetadataApp composes it (src/app/build-metadata-app.ts), through
 * app.inject(), with its instance made through invoke on the same store: no process, no port.
 * The full metadata behaviour (tokens, lag, RAM roles, every item) is test/api/metadata.test.ts.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { createServer, type AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { createInvoker } from '../../src/api/invoke.ts';
import { buildMetadataApp } from '../../src/app/build-metadata-app.ts';
import { acceptDataplaneConnection } from '../../src/metadata/dataplane-connections.ts';
import { defaultServerConfig, parseDelays } from '../../src/config.ts';
import { systemClock } from '../../src/lib/clock.ts';
import { createLogger } from '../../src/lib/logger.ts';
import { seededRandom } from '../../src/lib/random.ts';
import { createAccount } from '../../src/services/accounts.ts';
import { migrateToLatest, openStore, type Store } from '../../src/store/db.ts';

let store: Store;
let app: FastifyInstance;
let instanceId: string;

before(async () => {
  store = await openStore({ kind: 'memory' }, { checkQueries: true });
  await migrateToLatest(store);
  const caller = { accountId: (await createAccount(store, 'metadata-app', systemClock, seededRandom('md'))).accountId };
  const api = createInvoker({
    store,
    settings: { ...defaultServerConfig, delays: parseDelays('none'), checkResults: true },
    clock: systemClock,
    random: seededRandom('md-calls'),
  });
  const region = { RegionId: 'cn-hangzhou' };
  const { body: vpc } = await api.invoke('Vpc', 'CreateVpc', { ...region, CidrBlock: '192.168.0.0/16' }, caller);
  const { body: vsw } = await api.invoke('Vpc', 'CreateVSwitch', { ...region, VpcId: vpc.VpcId, ZoneId: 'cn-hangzhou-h', CidrBlock: '192.168.1.0/24' }, caller);
  const { body: sg } = await api.invoke('Ecs', 'CreateSecurityGroup', { ...region, VpcId: vpc.VpcId }, caller);
  const { body: run } = await api.invoke(
    'Ecs',
    'RunInstances',
    {
      ...region,
      InstanceType: 'ecs.g7.large',
      ImageId: 'aliyun_3_x64_20G_alibase_20240819.vhd',
      VSwitchId: vsw.VSwitchId,
      SecurityGroupId: sg.SecurityGroupId,
    },
    caller,
  );
  instanceId = (run.InstanceIdSets as { InstanceIdSet: string[] }).InstanceIdSet[0]!;
  app = buildMetadataApp({ store, clock: systemClock, log: createLogger('silent'), lagMs: 0 });
  await app.ready();
});
after(async () => {
  await app.close();
  await store.close();
});

test('metadata: the root lists the versions; an item of an instance named by the path or the header', async () => {
  const root = await app.inject({ method: 'GET', url: '/' });
  assert.equal(root.statusCode, 200);
  assert.ok(root.body.split('\n').includes('latest/'), root.body);

  const byPath = await app.inject({ method: 'GET', url: `/${instanceId}/latest/meta-data/instance-id` });
  assert.equal(byPath.statusCode, 200, byPath.body);
  assert.equal(byPath.body, instanceId);
  assert.match(byPath.headers['content-type'] as string, /^text\/plain; charset=utf-8/);
  const byHeader = await app.inject({ method: 'GET', url: '/latest/meta-data/instance-id', headers: { 'x-eniplane-instance-id': instanceId } });
  assert.equal(byHeader.body, instanceId);
});

test('metadata: refusals are plain text with their status: no instance named, unknown item, wrong method', async () => {
  const unnamed = await app.inject({ method: 'GET', url: '/latest/meta-data/instance-id' });
  assert.equal(unnamed.statusCode, 404);
  assert.match(unnamed.body, /^No instance named\./);
  const unknown = await app.inject({ method: 'GET', url: `/${instanceId}/latest/meta-data/no-such-item` });
  assert.deepEqual([unknown.statusCode, unknown.body], [404, 'Not Found']);
  const put = await app.inject({ method: 'PUT', url: `/${instanceId}/latest/meta-data/instance-id`, payload: 'ignored' });
  assert.deepEqual([put.statusCode, put.body, put.headers.allow], [405, 'Method Not Allowed', 'GET']);
});

test('metadata: a data plane connection is known by its source address, never by what it names, even from 127.0.0.1', async () => {
  // What dataplane/metadata-listeners.ts does with a connection accepted in a VPC router.
  const front = createServer((socket) => acceptDataplaneConnection(app.server, socket, 'vpc-test'));
  await new Promise<void>((r) => front.listen(0, '127.0.0.1', r));
  try {
    const get = (path: string, headers: Record<string, string> = {}) =>
      new Promise<{ status: number; body: string }>((resolve, reject) => {
        const req = request({ host: '127.0.0.1', port: (front.address() as AddressInfo).port, path, headers }, (res) => {
          let body = '';
          res.setEncoding('utf8');
          res.on('data', (d: string) => (body += d));
          res.on('end', () => resolve({ status: res.statusCode!, body }));
        });
        req.on('error', reject);
        req.end();
      });
    const named = await get('/latest/meta-data/instance-id', { 'X-Eniplane-Instance-Id': instanceId });
    assert.deepEqual(named, { status: 403, body: 'Forbidden: no instance in vpc-test holds the source address 127.0.0.1.' });
    assert.equal((await get(`/${instanceId}/latest/meta-data/instance-id`)).status, 403);
    assert.equal((await get('/')).status, 200, 'the version list needs no caller');
  } finally {
    front.close();
  }
});

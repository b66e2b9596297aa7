/**
 * invoke (src/api/invoke.ts) without HTTP: actions called by product and name with decoded
 * parameters, on a real store (a SQLite file; in the PostgreSQL pass, a fresh PostgreSQL
 * database), as a surface other than the RPC wire calls them.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { createInvoker, type Invoker } from '../../src/api/invoke.ts';
import { defaultServerConfig, parseDelays } from '../../src/config.ts';
import { ApiError } from '../../src/errors/api-error.ts';
import { systemClock } from '../../src/lib/clock.ts';
import { seededRandom } from '../../src/lib/random.ts';
import { createAccount } from '../../src/services/accounts.ts';
import { migrateToLatest, openStore, sqliteFileIn, type Store } from '../../src/store/db.ts';
import { freshPostgresDatabase } from '../helpers/server.ts';

const settings = { ...defaultServerConfig, delays: parseDelays('none'), checkResults: true };
let store: Store;
let dispose: () => Promise<void>;
let api: Invoker;
let caller: { accountId: string };

before(async () => {
  if (process.env.ENIPLANE_TEST_PG) {
    const database = await freshPostgresDatabase();
    store = await openStore({ kind: 'postgres', url: database.url }, { checkQueries: true });
    dispose = async () => {
      await store.close();
      await database.drop();
    };
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'eniplane-invoke-'));
    store = await openStore({ kind: 'sqlite', file: sqliteFileIn(dir) }, { checkQueries: true });
    dispose = async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    };
  }
  await migrateToLatest(store);
  caller = { accountId: (await createAccount(store, 'invoke-test', systemClock, seededRandom('invoke'))).accountId };
  api = createInvoker({ store, settings, clock: systemClock, random: seededRandom('invoke-calls') });
});
after(() => dispose());

/** The ApiError a call answers with. */
async function refusal(call: Promise<unknown>): Promise<ApiError> {
  const err = await call.then(
    () => assert.fail('the call succeeded'),
    (e: unknown) => e,
  );
  assert.ok(err instanceof ApiError, `expected an ApiError, got ${String(err)}`);
  return err;
}

const region = { RegionId: 'cn-hangzhou' };

/** A VPC, a vSwitch and a security group to put ENIs in. */
async function network(): Promise<{ VSwitchId: string; SecurityGroupId: string }> {
  const { body: vpc } = await api.invoke('Vpc', 'CreateVpc', { ...region, CidrBlock: '192.168.0.0/16' }, caller);
  const { body: vsw } = await api.invoke('Vpc', 'CreateVSwitch', { ...region, VpcId: vpc.VpcId, ZoneId: 'cn-hangzhou-h', CidrBlock: '192.168.1.0/24' }, caller);
  const { body: sg } = await api.invoke('Ecs', 'CreateSecurityGroup', { ...region, VpcId: vpc.VpcId }, caller);
  return { VSwitchId: vsw.VSwitchId as string, SecurityGroupId: sg.SecurityGroupId as string };
}

async function eniCount(): Promise<number> {
  const { body } = await api.invoke('Ecs', 'DescribeNetworkInterfaces', { ...region, PageSize: 100 }, caller);
  return (body.NetworkInterfaceSets as { NetworkInterfaceSet: unknown[] }).NetworkInterfaceSet.length;
}

test('invoke: a VPC, vSwitch, security group and ENI made by product and action name, then listed', async () => {
  const { VSwitchId, SecurityGroupId } = await network();
  const created = await api.invoke('Ecs', 'CreateNetworkInterface', { ...region, VSwitchId, SecurityGroupId }, caller);
  assert.equal(created.product, 'Ecs');
  assert.equal(created.action, 'CreateNetworkInterface');
  assert.equal(created.shared, false);
  const eniId = created.body.NetworkInterfaceId as string;
  assert.match(eniId, /^eni-/);
  assert.equal(created.body.VSwitchId, VSwitchId);

  const { body } = await api.invoke('Ecs', 'DescribeNetworkInterfaces', { ...region, NetworkInterfaceId: [eniId] }, caller);
  const listed = (body.NetworkInterfaceSets as { NetworkInterfaceSet: { NetworkInterfaceId: string; SecurityGroupIds: { SecurityGroupId: string[] } }[] })
    .NetworkInterfaceSet;
  assert.deepEqual(
    listed.map((e) => e.NetworkInterfaceId),
    [eniId],
  );
  assert.deepEqual(listed[0]!.SecurityGroupIds.SecurityGroupId, [SecurityGroupId]);
});

test('invoke: DryRun answers DryRunOperation after every check, and keeps nothing', async () => {
  const { VSwitchId, SecurityGroupId } = await network();
  const before = await eniCount();
  const err = await refusal(api.invoke('Ecs', 'CreateNetworkInterface', { ...region, VSwitchId, SecurityGroupId, DryRun: true }, caller));
  assert.equal(err.code, 'DryRunOperation');
  assert.equal(err.httpStatus, 400);
  assert.equal(await eniCount(), before, 'the transaction was rolled back');
  // The checks still run: a DryRun with a vSwitch that does not exist is refused for that.
  const missing = await refusal(api.invoke('Ecs', 'CreateNetworkInterface', { ...region, VSwitchId: 'vsw-none', SecurityGroupId, DryRun: true }, caller));
  assert.notEqual(missing.code, 'DryRunOperation');
});

test('invoke: a ClientToken replays the first result; the same token with other parameters is refused', async () => {
  const { VSwitchId, SecurityGroupId } = await network();
  const before = await eniCount();
  const params = { ...region, VSwitchId, SecurityGroupId, ClientToken: 'invoke-token-1' };
  const first = await api.invoke('Ecs', 'CreateNetworkInterface', params, caller);
  const again = await api.invoke('Ecs', 'CreateNetworkInterface', params, caller);
  assert.deepEqual(again.body, first.body);
  assert.equal(await eniCount(), before + 1, 'one ENI for both calls');
  const err = await refusal(api.invoke('Ecs', 'CreateNetworkInterface', { ...params, Description: 'other' }, caller));
  assert.equal(err.code, 'IdempotentParameterMismatch');
});

test("invoke: parameters are validated against the action's schema, problems named as on the wire", async () => {
  const missing = await refusal(api.invoke('Ecs', 'CreateNetworkInterface', { ...region }, caller));
  assert.equal(missing.code, 'MissingParameter');
  assert.equal(missing.httpStatus, 400);
  assert.equal(missing.message, 'The input parameter "VSwitchId" that is mandatory for processing this request is not supplied.');

  const wrongType = await refusal(api.invoke('Ecs', 'CreateNetworkInterface', { ...region, VSwitchId: 'vsw-1', SecurityGroupIds: ['sg-1', 7] }, caller));
  assert.equal(wrongType.code, 'InvalidParameter');
  assert.equal(wrongType.message, 'The specified parameter "SecurityGroupIds.2" is not valid. Expected string.');

  const badRegion = await refusal(api.invoke('Vpc', 'DescribeVpcs', { RegionId: 'xx-nowhere-1' }, caller));
  assert.equal(badRegion.code, 'InvalidRegionId.NotFound');
});

test('invoke: unknown and unimplemented actions answer as the gateway does', async () => {
  assert.equal((await refusal(api.invoke('Ecs', 'NoSuchAction', {}, caller))).code, 'InvalidAction.NotFound');
  // The product names where to look: ECS's own (older) CreateVpc is the cloud's but not served; VPC's is.
  assert.equal((await refusal(api.invoke('Ecs', 'CreateVpc', region, caller))).code, 'NotImplemented');
  const notImplemented = await refusal(api.invoke('Ecs', 'DescribeDedicatedHosts', region, caller));
  assert.equal(notImplemented.code, 'NotImplemented');
  assert.equal(notImplemented.httpStatus, 501);
});

test("invoke: an action that declares no RegionId runs in the caller's region, else the default one", async () => {
  const elsewhere = await api.invoke('Ecs', 'DescribeRegions', {}, { ...caller, regionId: 'xx-nowhere-1' }).catch((e: unknown) => e);
  assert.ok(elsewhere instanceof ApiError && elsewhere.code === 'InvalidRegionId.NotFound', 'the caller-named region is the one checked');
  const byDefault = await api.invoke('Ecs', 'DescribeRegions', {}, caller);
  assert.ok(Array.isArray((byDefault.body.Regions as { Region: unknown[] }).Region));
});

test("invoke: a conflict the store's retries do not clear answers the product's conflict code", async () => {
  // A store whose every transaction conflicts, as a PostgreSQL serialization failure would.
  const conflicting = {
    ...store,
    db: {
      transaction: () => ({ execute: () => Promise.reject(Object.assign(new Error('could not serialize access'), { code: '40001' })) }),
    },
  } as unknown as Store;
  const busy = createInvoker({ store: conflicting, settings, clock: systemClock, random: seededRandom('conflict') });
  const ecs = await refusal(busy.invoke('Ecs', 'CreateSecurityGroup', region, caller));
  assert.equal(ecs.code, 'Operation.Conflict');
  assert.equal(ecs.httpStatus, 403);
  const vpc = await refusal(busy.invoke('Vpc', 'CreateVpc', region, caller));
  assert.equal(vpc.code, 'OperationConflict');
  assert.equal(vpc.httpStatus, 409);
  assert.equal(vpc.message, 'Request was denied due to conflict with a previous request, please try again later.');
});

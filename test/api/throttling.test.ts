import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as $Ecs from '@alicloud/ecs20140526';
import * as $Vpc from '@alicloud/vpc20160428';
import { createAccount } from '../helpers/cli.ts';
import { ecsClient, popClient, vpcClient, type Key } from '../helpers/clients.ts';
import { callV1 } from '../helpers/raw-client.ts';
import { freshPostgresDatabase, startServer, type RunningServer } from '../helpers/server.ts';

const regionId = 'cn-hangzhou';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What the official SDK raises for a throttled call (openapi-core ThrottlingError). */
interface Thrown {
  name: string;
  code: string;
  statusCode: number;
  retryAfter?: number;
  data?: { Code?: string; Message?: string; RequestId?: string };
}

async function thrown(call: Promise<unknown>): Promise<Thrown> {
  try {
    await call;
  } catch (err) {
    return err as Thrown;
  }
  assert.fail('expected the call to be throttled, but it succeeded');
}

function assertThrottled(e: Thrown, windowMs: number): void {
  assert.equal(e.name, 'ThrottlingError', `${e.name}: ${e.code}`);
  assert.equal(e.code, 'Throttling.User');
  assert.equal(e.statusCode, 400);
  assert.equal(e.data?.Message, 'Request was denied due to user flow control.');
  assert.match(e.data?.RequestId ?? '', /^[0-9A-F-]{36}$/i);
  // x-acs-retry-after: the milliseconds left in the window.
  assert.ok(Number.isInteger(e.retryAfter) && e.retryAfter! >= 1 && e.retryAfter! <= windowMs, `retryAfter ${e.retryAfter}`);
}

/**
 * Fixed windows are aligned to their size (a minute window is a clock minute): a test that must
 * stay inside one window starts early enough in it.
 */
async function earlyInWindow(windowMs: number, marginMs: number): Promise<void> {
  const left = windowMs - (Date.now() % windowMs);
  if (left < marginMs) await sleep(left + 20);
}

/** A VPC, a vSwitch and a security group (VPC and ECS actions this server does not throttle). */
async function network(ecs: ReturnType<typeof ecsClient>, vpc: ReturnType<typeof vpcClient>) {
  const vpcId = (await vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId, cidrBlock: '10.0.0.0/16' }))).body!.vpcId!;
  const vSwitchId = (await vpc.createVSwitch(new $Vpc.CreateVSwitchRequest({ regionId, vpcId, zoneId: 'cn-hangzhou-i', cidrBlock: '10.0.0.0/24' }))).body!
    .vSwitchId!;
  const securityGroupId = (await ecs.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ regionId, vpcId }))).body!.securityGroupId!;
  return { vSwitchId, securityGroupId };
}

const createEni = (ecs: ReturnType<typeof ecsClient>, n: { vSwitchId: string; securityGroupId: string }, clientToken?: string) =>
  ecs.createNetworkInterface(new $Ecs.CreateNetworkInterfaceRequest({ regionId, vSwitchId: n.vSwitchId, securityGroupIds: [n.securityGroupId], clientToken }));

async function eniCount(ecs: ReturnType<typeof ecsClient>): Promise<number> {
  const r = await ecs.describeNetworkInterfaces(new $Ecs.DescribeNetworkInterfacesRequest({ regionId, maxResults: 100 }));
  return r.body!.networkInterfaceSets!.networkInterfaceSet!.length;
}

describe('Throttling: per account, region and API, in fixed windows (serve --throttle)', () => {
  let server: RunningServer;
  let ecs: ReturnType<typeof ecsClient>;
  let vpc: ReturnType<typeof vpcClient>;
  let other: Key;
  before(async () => {
    server = await startServer({
      args: ['--throttle', 'CreateNetworkInterface=3/min,AllocateEipAddress=2/s,Ecs:DescribeZones=1/min'],
    });
    ecs = ecsClient(server);
    vpc = vpcClient(server);
    other = createAccount(server, 'throttle-other');
  });
  after(() => server.dispose());

  test('CreateNetworkInterface=3/min: the 4th call in the minute is Throttling.User (400, ThrottlingError, retryAfter); it created nothing; other actions and accounts pass', async () => {
    const n = await network(ecs, vpc);
    await earlyInWindow(60_000, 15_000);
    for (let i = 0; i < 3; i++) await createEni(ecs, n);
    assertThrottled(await thrown(createEni(ecs, n)), 60_000);
    // V1 signatures and the legacy pop-core client are counted in the same window.
    assertThrottled(await thrown(createEni(ecsClient(server, { v1: true }), n)), 60_000);
    const pop = await thrown(
      popClient(server, 'ecs').request(
        'CreateNetworkInterface',
        { RegionId: regionId, VSwitchId: n.vSwitchId, SecurityGroupId: n.securityGroupId },
        { method: 'POST' },
      ),
    );
    assert.equal(pop.code, 'Throttling.User');
    assert.equal(pop.data?.Code, 'Throttling.User');
    // Nothing was created by the throttled calls; an action without a rule is not throttled.
    assert.equal(await eniCount(ecs), 3);
    // Another account has its own count.
    const otherEcs = ecsClient(server, { key: other });
    const otherNet = await network(otherEcs, vpcClient(server, { key: other }));
    for (let i = 0; i < 3; i++) await createEni(otherEcs, otherNet);
    assertThrottled(await thrown(createEni(otherEcs, otherNet)), 60_000);
  });

  test("Ecs:DescribeZones=1/min: counted per region; the VPC product's DescribeZones is another API", async () => {
    await earlyInWindow(60_000, 15_000);
    const zones = (r: string) => ecs.describeZones(new $Ecs.DescribeZonesRequest({ regionId: r }));
    await zones(regionId);
    assertThrottled(await thrown(zones(regionId)), 60_000);
    await zones('cn-beijing');
    assertThrottled(await thrown(zones('cn-beijing')), 60_000);
    await vpc.describeZones(new $Vpc.DescribeZonesRequest({ regionId }));
    await vpc.describeZones(new $Vpc.DescribeZonesRequest({ regionId }));
  });

  test('AllocateEipAddress=2/s: after retryAfter the next window allows again; a throttled call did not spend its ClientToken', async () => {
    const allocate = (clientToken?: string) => vpc.allocateEipAddress(new $Vpc.AllocateEipAddressRequest({ regionId, clientToken }));
    await earlyInWindow(1000, 400);
    await allocate();
    await allocate();
    const e = await thrown(allocate('token-after-throttle'));
    assertThrottled(e, 1000);
    await sleep(e.retryAfter!);
    const first = (await allocate('token-after-throttle')).body!.allocationId!;
    const again = (await allocate('token-after-throttle')).body!.allocationId!;
    assert.equal(again, first);
    const eips = await vpc.describeEipAddresses(new $Vpc.DescribeEipAddressesRequest({ regionId, pageSize: 100 }));
    assert.equal(eips.body!.eipAddresses!.eipAddress!.length, 3);
  });

  test('the answer carries x-acs-retry-after; a throttled request spent its SignatureNonce, as the gateway checks the signature first', async () => {
    const params = { RegionId: regionId };
    let nonce: string;
    let r: Awaited<ReturnType<typeof callV1>>;
    // Three calls in one 1 s window; on a loaded machine they can straddle a window's end, and the
    // third is then rightly allowed: try again in the next window (a few times at most).
    for (let attempt = 1; ; attempt++) {
      await earlyInWindow(1000, 400);
      const window = Math.floor(Date.now() / 1000);
      nonce = `throttled-nonce-${Date.now()}-${attempt}`;
      await callV1(server.endpoint, 'AllocateEipAddress', '2016-04-28', params);
      await callV1(server.endpoint, 'AllocateEipAddress', '2016-04-28', params);
      r = await callV1(server.endpoint, 'AllocateEipAddress', '2016-04-28', params, { nonce });
      if (Math.floor(Date.now() / 1000) === window || attempt === 5) break;
    }
    assert.equal(r.status, 400);
    assert.equal(r.json().Code, 'Throttling.User');
    const retryAfter = Number(r.headers.get('x-acs-retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= 1000, `x-acs-retry-after ${retryAfter}`);
    await sleep(retryAfter);
    const replay = await callV1(server.endpoint, 'AllocateEipAddress', '2016-04-28', params, { nonce });
    assert.equal(replay.json().Code, 'SignatureNonceUsed');
  });
});

describe('Throttling: serve refuses a bad --throttle', () => {
  test('a bad rule refuses to start, naming the rule', async () => {
    await assert.rejects(
      startServer({ args: ['--throttle', 'CreateNetworkInterface=3/min,CreateNetworkInterfaces=1/s'] }),
      /bad throttle rule "CreateNetworkInterfaces=1\/s": "CreateNetworkInterfaces" is not an action eniplane serves/,
    );
    await assert.rejects(startServer({ env: { ENIPLANE_THROTTLE: 'CreateVpc=often' } }), /bad throttle rule "CreateVpc=often": "often" is not a rate/);
  });
});

const PG = process.env.ENIPLANE_TEST_PG;

describe(
  'Throttling: two replicas on one PostgreSQL database share the counts',
  { skip: PG ? false : 'needs PostgreSQL (ENIPLANE_TEST_PG): SQLite is one process' },
  () => {
    test('CreateVpc=3/min across two replicas: three calls pass between them, the 4th is throttled on either', async () => {
      const db = await freshPostgresDatabase(PG);
      const replicas = await Promise.all(
        [0, 1].map((i) => startServer({ dbUrl: db.url, args: ['--throttle', 'CreateVpc=3/min', '--seed', `throttle-replica-${i}`] })),
      );
      try {
        const clients = replicas.map((r) => vpcClient(r));
        const create = (i: number) => clients[i % 2]!.createVpc(new $Vpc.CreateVpcRequest({ regionId, cidrBlock: '10.0.0.0/16' }));
        await earlyInWindow(60_000, 15_000);
        for (let i = 0; i < 3; i++) await create(i);
        assertThrottled(await thrown(create(3)), 60_000);
        assertThrottled(await thrown(create(4)), 60_000);
        const vpcs = await clients[0]!.describeVpcs(new $Vpc.DescribeVpcsRequest({ regionId, pageSize: 50 }));
        assert.equal(vpcs.body!.vpcs!.vpc!.length, 3);
      } finally {
        await Promise.all(replicas.map((r) => r.stop()));
        await db.drop();
      }
    });
  },
);

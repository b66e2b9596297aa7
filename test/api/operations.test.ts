/**
 * Running eniplane in production, against real `eniplane serve` processes: readiness of a real
 * store, metrics counting the official SDKs' calls, SIGTERM with writes in flight (nothing
 * acknowledged is lost), TLS with the official SDK, and the listener's limits over real sockets.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { createRequire } from 'node:module';
import * as $Ecs from '@alicloud/ecs20140526';
import * as $Vpc from '@alicloud/vpc20160428';
import type * as EcsSdk from '@alicloud/ecs20140526';
import { ecsClient, popClient, vpcClient } from '../helpers/clients.ts';
import { expectApiError } from '../helpers/expect-error.ts';
import { sampleValue } from '../helpers/prometheus.ts';
import { freshPostgresDatabase, startServer, TEST_KEY, type RunningServer } from '../helpers/server.ts';
import { selfSignedCertificate } from '../helpers/tls.ts';

const REGION = 'cn-hangzhou';
const require = createRequire(import.meta.url);
const EcsClient = require('@alicloud/ecs20140526').default as typeof EcsSdk.default.default;
const { Config } = require('@alicloud/openapi-core').$OpenApiUtil as typeof import('@alicloud/openapi-core').$OpenApiUtil;

const dirs: string[] = [];
function freshDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'eniplane-ops-'));
  dirs.push(d);
  return d;
}
after(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

async function get(server: RunningServer, path: string): Promise<{ status: number; text: string }> {
  const res = await fetch(`http://${server.endpoint}${path}`);
  return { status: res.status, text: await res.text() };
}

/** Resolves once the server's output matches `pattern`. */
async function outputMatches(server: RunningServer, pattern: RegExp): Promise<void> {
  for (let i = 0; i < 200 && !pattern.test(server.output()); i++) await new Promise((r) => setTimeout(r, 50));
  assert.match(server.output(), pattern);
}

/** A raw connection to the server, collecting what it answers. */
async function rawConnection(server: RunningServer): Promise<{ socket: Socket; received: () => string; closed: Promise<void> }> {
  const socket = connect(server.port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  let data = '';
  socket.on('data', (d: Buffer) => (data += d.toString()));
  socket.on('error', () => {});
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return { socket, received: () => data, closed };
}

/** The JSON body of the one HTTP answer in `raw`, with its status line and headers. */
function parseAnswer(raw: string): { status: number; headers: string; body: Record<string, unknown> } {
  const split = raw.indexOf('\r\n\r\n');
  const head = raw.slice(0, split);
  return {
    status: Number(/^HTTP\/1\.1 (\d+)/.exec(head)?.[1]),
    headers: head.toLowerCase(),
    body: JSON.parse(raw.slice(split + 4)) as Record<string, unknown>,
  };
}

describe('health, readiness and metrics of a real server', () => {
  test('healthz and readyz answer; metrics count the official SDKs calls by action, code and status, with the replica named', async () => {
    const server = await startServer({ args: ['--replica-id', 'ops-replica-1', '--delays', 'none,eniAttach=600000,instanceStop=600000'] });
    try {
      assert.deepEqual(JSON.parse((await get(server, '/healthz')).text), { status: 'ok' });
      const ready = await get(server, '/readyz');
      assert.equal(ready.status, 200);
      assert.equal(JSON.parse(ready.text).status, 'ready');

      const ecs = ecsClient(server);
      for (let i = 0; i < 3; i++) await ecs.describeRegions(new $Ecs.DescribeRegionsRequest({}));
      const vpcV1 = vpcClient(server, { v1: true });
      await vpcV1.createVpc(new $Vpc.CreateVpcRequest({ regionId: REGION, cidrBlock: '10.0.0.0/8' }));
      const refused = await expectApiError(vpcV1.describeVpcs(new $Vpc.DescribeVpcsRequest({ regionId: 'nowhere-1' })), 'InvalidRegionId.NotFound', 404);

      const metrics = await get(server, '/metrics');
      assert.equal(metrics.status, 200);
      const count = (labels: Record<string, string>) => sampleValue(metrics.text, 'eniplane_requests_total', labels);
      assert.equal(count({ product: 'Ecs', action: 'DescribeRegions', code: '', status: '200' }), 3);
      assert.equal(count({ product: 'Vpc', action: 'CreateVpc', code: '', status: '200' }), 1);
      assert.equal(count({ product: 'Vpc', action: 'DescribeVpcs', code: refused.code, status: '404' }), 1);
      assert.equal(sampleValue(metrics.text, 'eniplane_request_duration_seconds_count', { product: 'Ecs', action: 'DescribeRegions' }), 3);
      const store = server.storeArgs[0] === '--db' ? 'postgres' : 'sqlite';
      assert.equal(sampleValue(metrics.text, 'eniplane_replica_info', { replica: 'ops-replica-1', store }), 1);
      // The five signed calls spent five nonces (SQLite logs them; PostgreSQL replicas share the keyed table).
      const nonces = sampleValue(metrics.text, 'eniplane_store_table_rows', { table: store === 'sqlite' ? 'signature_nonce_log' : 'signature_nonces' });
      assert.equal(nonces, 5);
      // serve adds Node's process metrics.
      assert.ok(sampleValue(metrics.text, 'process_cpu_user_seconds_total')! > 0);
      assert.ok(sampleValue(metrics.text, 'nodejs_eventloop_lag_p99_seconds') !== undefined);
      assert.equal(sampleValue(metrics.text, 'eniplane_store_up'), 1);

      // Asynchronous states in flight, on this server's store (SQLite, or PostgreSQL in that pass).
      const vpc = vpcClient(server);
      const vpcId = (await vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId: REGION, cidrBlock: '192.168.0.0/16' }))).body!.vpcId!;
      const vSwitchId = (await vpc.createVSwitch(new $Vpc.CreateVSwitchRequest({ vpcId, zoneId: 'cn-hangzhou-h', cidrBlock: '192.168.1.0/24' }))).body!
        .vSwitchId!;
      const securityGroupId = (await ecs.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ regionId: REGION, vpcId }))).body!.securityGroupId!;
      const run = new $Ecs.RunInstancesRequest({
        regionId: REGION,
        instanceType: 'ecs.g7.large',
        imageId: 'aliyun_3_x64_20G_alibase_20240819.vhd',
        vSwitchId,
        securityGroupId,
        amount: 2,
      });
      const [first, second] = (await ecs.runInstances(run)).body!.instanceIdSets!.instanceIdSet!;
      const eni = (await ecs.createNetworkInterface(new $Ecs.CreateNetworkInterfaceRequest({ regionId: REGION, vSwitchId, securityGroupId }))).body!
        .networkInterfaceId!;
      await ecs.attachNetworkInterface(new $Ecs.AttachNetworkInterfaceRequest({ regionId: REGION, networkInterfaceId: eni, instanceId: first }));
      await ecs.stopInstance(new $Ecs.StopInstanceRequest({ instanceId: second }));
      const later = (await get(server, '/metrics')).text;
      assert.equal(sampleValue(later, 'eniplane_async_in_flight', { resource: 'eni', status: 'Attaching' }), 1);
      assert.equal(sampleValue(later, 'eniplane_async_in_flight', { resource: 'instance', status: 'Stopping' }), 1);
      assert.equal(sampleValue(later, 'eniplane_async_in_flight', { resource: 'instance', status: 'Pending' }), 0);
    } finally {
      await server.dispose();
    }
  });

  test('--metrics off: no /metrics route (the envelope of an unknown path); the API is unchanged', async () => {
    const server = await startServer({ args: ['--metrics', 'off'] });
    try {
      const res = await get(server, '/metrics');
      assert.equal(res.status, 404);
      assert.equal(JSON.parse(res.text).Code, 'InvalidAction.NotFound');
      await ecsClient(server).describeRegions(new $Ecs.DescribeRegionsRequest({}));
    } finally {
      await server.dispose();
    }
  });

  test(
    'readyz: 503 with the reason once the PostgreSQL database is gone; healthz still answers',
    { skip: !process.env.ENIPLANE_TEST_PG && 'needs PostgreSQL (runs in the PostgreSQL pass)' },
    async () => {
      const db = await freshPostgresDatabase();
      const server = await startServer({ dbUrl: db.url });
      try {
        assert.equal((await get(server, '/readyz')).status, 200);
        await db.drop();
        const res = await get(server, '/readyz');
        assert.equal(res.status, 503);
        const body = JSON.parse(res.text) as { status: string; reason: string };
        assert.equal(body.status, 'not ready');
        assert.match(body.reason, /^the database does not answer: /);
        assert.equal((await get(server, '/healthz')).status, 200);
        // The metrics still answer, saying the store is down.
        assert.equal(sampleValue((await get(server, '/metrics')).text, 'eniplane_store_up'), 0);
      } finally {
        await server.stop('SIGKILL');
        await db.drop();
      }
    },
  );
});

describe('graceful shutdown on SIGTERM', () => {
  test('SIGTERM: new connections are refused, a request in flight is answered, readiness says "shutting down", exit 0', async () => {
    const server = await startServer({ dataDir: freshDir() });
    // A request in flight: its headers sent, its body not yet.
    const slow = await rawConnection(server);
    const body = 'Action=DescribeRegions';
    slow.socket.write(
      `POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 6)}`,
    );
    // A readiness probe in flight too, its headers not finished.
    const probe = await rawConnection(server);
    probe.socket.write('GET /readyz HTTP/1.1\r\nHost: x\r\n');
    await new Promise((r) => setTimeout(r, 200));

    server.process.kill('SIGTERM');
    await outputMatches(server, /SIGTERM: draining/);
    await assert.rejects(fetch(`http://${server.endpoint}/healthz`), 'a new connection is refused while draining');

    probe.socket.write('\r\n');
    await probe.closed;
    const readiness = parseAnswer(probe.received());
    assert.equal(readiness.status, 503);
    assert.deepEqual(readiness.body, { status: 'not ready', reason: 'shutting down' });
    assert.match(readiness.headers, /\r\nconnection: close/);

    assert.equal(server.process.exitCode, null, 'the server waits for the request in flight');
    slow.socket.write(body.slice(6));
    await slow.closed;
    const answer = parseAnswer(slow.received());
    // Unsigned: the gateway's refusal, in the envelope: the request was answered, not dropped.
    assert.equal(answer.status, 400);
    assert.equal(answer.body.Code, 'MissingParameter');
    assert.match(answer.headers, /\r\nconnection: close/);
    assert.equal(await server.stop(), 0, 'another SIGTERM while draining changes nothing');
    assert.match(server.output(), /eniplane: stopped\n/);
  });

  for (const store of ['sqlite', 'postgres'] as const) {
    const skip = store === 'postgres' && !process.env.ENIPLANE_TEST_PG && 'needs PostgreSQL (runs in the PostgreSQL pass)';
    test(
      `SIGTERM under 16 SDK clients writing (${store}): exit 0 without waiting for idle keep-alive connections; every acknowledged write is there after a restart`,
      { skip },
      async () => {
        const db = store === 'postgres' ? await freshPostgresDatabase() : undefined;
        const where = db ? { dbUrl: db.url } : { dataDir: freshDir() };
        const args = ['--quotas', 'max-security-groups=100000'];
        const first = await startServer({ ...where, args });
        const acknowledged: string[] = [];
        let signalledAt = 0;
        let afterSignal = 0;
        try {
          const vpcId = (await vpcClient(first).createVpc(new $Vpc.CreateVpcRequest({ regionId: REGION, cidrBlock: '10.0.0.0/8' }))).body!.vpcId!;
          const worker = async (w: number) => {
            const ecs = ecsClient(first);
            for (let i = 0; ; i++) {
              try {
                const res = await ecs.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ regionId: REGION, vpcId, securityGroupName: `w${w}-${i}` }));
                acknowledged.push(res.body!.securityGroupId!);
                if (signalledAt) afterSignal++;
              } catch (err) {
                // Only once the server is going away, and only a refused or closed connection, never an API error.
                const e = err as { code?: string; statusCode?: number; message: string };
                assert.ok(signalledAt > 0, `a write failed before SIGTERM: ${e.message}`);
                assert.equal(e.statusCode, undefined, `an API error while draining: ${e.code} ${e.message}`);
                return;
              }
            }
          };
          const workers = Array.from({ length: 16 }, (_, w) => worker(w));
          while (acknowledged.length < 200) await new Promise((r) => setTimeout(r, 20));
          signalledAt = Date.now();
          assert.equal(await first.stop('SIGTERM'), 0);
          const drainMs = Date.now() - signalledAt;
          await Promise.all(workers);
          // Idle keep-alive connections are closed and answers carry Connection: close: the drain does not sit out the 65 s keep-alive timeout.
          assert.ok(drainMs < 20_000, `the drain took ${drainMs} ms`);
          console.log(`# ${store}: ${acknowledged.length} writes acknowledged, ${afterSignal} of them after SIGTERM; drained in ${drainMs} ms`);
        } finally {
          await first.stop('SIGKILL');
        }

        const second = await startServer({ ...where, args });
        try {
          const stored = new Set<string>();
          const ecs = ecsClient(second);
          for (let page = 1; ; page++) {
            const res = await ecs.describeSecurityGroups(new $Ecs.DescribeSecurityGroupsRequest({ regionId: REGION, pageSize: 50, pageNumber: page }));
            const groups = res.body!.securityGroups!.securityGroup!;
            for (const g of groups) stored.add(g.securityGroupId!);
            if (groups.length < 50) break;
          }
          const lost = acknowledged.filter((id) => !stored.has(id));
          assert.deepEqual(lost, [], `${lost.length} of ${acknowledged.length} acknowledged writes are missing`);
        } finally {
          await second.dispose();
          await db?.drop();
        }
      },
    );
  }
});

describe('TLS', () => {
  const selfSigned = () => selfSignedCertificate(freshDir());

  test('--tls-cert/--tls-key: the official ECS SDK over https (trusting the certificate) works; plain http and untrusting clients do not', async () => {
    const tls = selfSigned();
    const server = await startServer({ args: ['--tls-cert', tls.cert, '--tls-key', tls.key] });
    try {
      assert.match(server.output(), /API listening on https:\/\/127\.0\.0\.1:\d+/);
      await outputMatches(server, /console at https:\/\//);
      const config = (ca?: string) =>
        new Config({ ...TEST_KEY, endpoint: server.endpoint, protocol: 'https', regionId: REGION, ...(ca !== undefined ? { ca } : {}) });
      const regions = await new EcsClient(config(tls.pem)).describeRegions(new $Ecs.DescribeRegionsRequest({}));
      assert.ok(regions.body!.regions!.region!.length > 0);
      // The certificate is really checked: without the CA the SDK refuses it.
      await assert.rejects(new EcsClient(config()).describeRegions(new $Ecs.DescribeRegionsRequest({})), /self[- ]signed|certificate/i);
      // Plain HTTP on the TLS port gets no answer.
      await assert.rejects(fetch(`http://${server.endpoint}/healthz`));
      // The health routes are on the same listener, over https.
      const status = await new Promise<number>((resolve, reject) =>
        httpsRequest({ host: '127.0.0.1', port: server.port, path: '/readyz', ca: tls.pem }, (res) => {
          res.resume();
          resolve(res.statusCode!);
        })
          .on('error', reject)
          .end(),
      );
      assert.equal(status, 200);
      // The console is on the same listener: over https its session cookie is Secure.
      const cookie = await new Promise<string>((resolve, reject) => {
        const body = JSON.stringify({ AccessKeyId: TEST_KEY.accessKeyId, AccessKeySecret: TEST_KEY.accessKeySecret });
        httpsRequest(
          { host: '127.0.0.1', port: server.port, path: '/console/api/session', method: 'POST', ca: tls.pem, headers: { 'content-type': 'application/json' } },
          (res) => {
            res.resume();
            resolve(String(res.headers['set-cookie'] ?? ''));
          },
        )
          .on('error', reject)
          .end(body);
      });
      assert.match(cookie, /; Secure/);
      assert.match(cookie, /; HttpOnly/);
    } finally {
      await server.dispose();
    }
  });

  test('--tls-cert without --tls-key, or an unreadable file, refuses to start', async () => {
    const tls = selfSigned();
    await assert.rejects(startServer({ args: ['--tls-cert', tls.cert] }), /--tls-cert and --tls-key go together/);
    await assert.rejects(startServer({ args: ['--tls-cert', tls.cert, '--tls-key', join(freshDir(), 'missing.pem')] }), /cannot read --tls-key/);
  });
});

describe('limits', () => {
  test('a request slower than --request-timeout is answered ClientTimeout (408) in the envelope and its connection closed', async () => {
    const server = await startServer({ args: ['--request-timeout', '1'] });
    try {
      const conn = await rawConnection(server);
      conn.socket.write('POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nAction=');
      await conn.closed;
      const answer = parseAnswer(conn.received());
      assert.equal(answer.status, 408);
      assert.equal(answer.body.Code, 'ClientTimeout');
      assert.equal(answer.body.Message, 'The request was not received in full within 1 seconds of its first byte.');
      assert.match(answer.body.RequestId as string, /^[0-9A-F-]{36}$/i);
      // A kept-alive connection idle between requests is not a slow request.
      const idle = await rawConnection(server);
      idle.socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
      await new Promise((r) => setTimeout(r, 2500));
      idle.socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n');
      await new Promise((r) => setTimeout(r, 300));
      assert.equal(idle.received().match(/HTTP\/1\.1 200/g)?.length, 2);
      idle.socket.destroy();
    } finally {
      await server.dispose();
    }
  });

  test('oversized requests over real HTTP: a 2 MiB body answers RequestEntityTooLarge (413); the SDK sending 1,001 parameters gets TooManyParameters (400)', async () => {
    const server = await startServer();
    try {
      const res = await fetch(`http://${server.endpoint}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'a'.repeat(2 * 1024 * 1024),
      });
      assert.equal(res.status, 413);
      assert.equal(((await res.json()) as { Code: string }).Code, 'RequestEntityTooLarge');

      // pop-core POSTs its parameters as a form body: the count is checked there.
      const params: Record<string, string> = { RegionId: REGION };
      for (let i = 1; i <= 1001; i++) params[`NetworkInterfaceId.${i}`] = `eni-bp1${String(i).padStart(17, '0')}`;
      const err = await expectApiError(popClient(server, 'ecs').request('DescribeNetworkInterfaces', params, { method: 'POST' }), 'TooManyParameters');
      assert.equal((err as unknown as { entry: { response: { statusCode: number } } }).entry.response.statusCode, 400);
      assert.match(err.message, /eniplane accepts at most 1000/);
      // The V3 SDK puts them in the URL: 40 KB of request line is over node's 16 KiB for a request's head, refused as such.
      const ids = Object.entries(params)
        .filter(([k]) => k.startsWith('NetworkInterfaceId.'))
        .map(([, v]) => v);
      const tooLong = await expectApiError(
        ecsClient(server).describeNetworkInterfaces(new $Ecs.DescribeNetworkInterfacesRequest({ regionId: REGION, networkInterfaceId: ids })),
        'MalformedRequest',
        400,
      );
      assert.match(tooLong.message, /headers are too large/);
      // The server is unharmed.
      await ecsClient(server).describeRegions(new $Ecs.DescribeRegionsRequest({}));
    } finally {
      await server.dispose();
    }
  });
});

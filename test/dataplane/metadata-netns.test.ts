import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import * as $Ecs from '@alicloud/ecs20140526';
import * as $Vpc from '@alicloud/vpc20160428';
import { instanceNamespace, vpcNamespace } from '../../src/dataplane/names.ts';
import { IMAGE, inet, ipJson, linksOf, listensIn, netnsSkip, ownNamespaces, ownPrefix, regionId, SERVER_ARGS, until, zoneId } from './kit.ts';
import { ecsClient, vpcClient } from '../helpers/clients.ts';
import { runCli } from '../helpers/cli.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

// The metadata service at 100.100.100.200 inside every instance namespace (issue 15, test 5): a
// server with --dataplane netns, the official SDK driving it, and HTTP requests made from inside
// the namespaces it made (a small node client: no curl assumed). The caller is known by its source
// address, as on the cloud. Connections have a 2 s timeout. Needs root and ip netns; without them
// the suite is skipped loudly, and in CI (CI=true) it fails instead.

ownPrefix('md-');
const skip = netnsSkip();

/** One HTTP request to 100.100.100.200:80, optionally from a given local address; prints the answer or the error code. */
const CLIENT = `const [method, path, headers, localAddress] = process.argv.slice(1);
const out = (o) => { console.log(JSON.stringify(o)); process.exit(0); };
const req = require('http').request({ host: '100.100.100.200', port: 80, method, path, headers: JSON.parse(headers), timeout: 2000, ...(localAddress ? { localAddress } : {}) }, (res) => {
  let body = ''; res.setEncoding('utf8'); res.on('data', (d) => (body += d)); res.on('end', () => out({ status: res.statusCode, body }));
});
req.on('timeout', () => out({ error: 'timeout' }));
req.on('error', (e) => out({ error: e.code || e.message }));
req.end();`;

interface Answer {
  status?: number;
  body?: string;
  error?: string;
}

function askIn(ns: string, path: string, opts: { method?: string; headers?: Record<string, string>; from?: string } = {}): Answer {
  const r = spawnSync(
    'ip',
    ['netns', 'exec', ns, process.execPath, '-e', CLIENT, opts.method ?? 'GET', path, JSON.stringify(opts.headers ?? {}), opts.from ?? ''],
    {
      encoding: 'utf8',
      timeout: 10_000,
    },
  );
  if (r.status !== 0) return { error: `client exit ${r.status}: ${r.stderr}` };
  return JSON.parse(r.stdout) as Answer;
}
const ask = (instanceId: string, path: string, opts: Parameters<typeof askIn>[2] = {}) => askIn(instanceNamespace(instanceId), path, opts);
const INSTANCE_ID = '/latest/meta-data/instance-id';
const BIN = fileURLToPath(new URL('../../bin/eniplane.js', import.meta.url));

/** The router's ENI links (`ep` + 13 hex digits), none when the namespace is missing. */
function routerLinks(ns: string): number {
  if (!ownNamespaces().includes(ns)) return 0;
  return ipJson<{ ifname: string }[]>(['-n', ns, '-j', 'link', 'show']).filter((l) => /^ep[0-9a-f]{13}$/.test(l.ifname)).length;
}

describe('data plane: the metadata service at 100.100.100.200 knows the instance by its source address', { skip }, () => {
  const dataDir = skip ? '' : mkdtempSync(join(tmpdir(), 'eniplane-md-'));
  const stateDir = skip ? '' : mkdtempSync(join(tmpdir(), 'eniplane-md-guest-'));
  let server: RunningServer | undefined;
  let ecs: ReturnType<typeof ecsClient>;
  let vpcId: string;
  let vsw: string;
  let sg: string;
  let a: { id: string; ip: string };
  let b: { id: string; ip: string };
  let other: { id: string; ip: string };
  let otherVpc: string;

  const launch = async (vSwitchId: string, securityGroupId: string) => {
    const run = await ecs.runInstances(new $Ecs.RunInstancesRequest({ regionId, instanceType: 'ecs.g7.large', imageId: IMAGE, vSwitchId, securityGroupId }));
    const id = run.body!.instanceIdSets!.instanceIdSet![0]!;
    const inst = (await ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId, instanceIds: JSON.stringify([id]) }))).body!.instances!
      .instance![0]!;
    return { id, ip: inst.vpcAttributes!.privateIpAddress!.ipAddress![0]! };
  };
  const start = async () => {
    server = await startServer({ dataDir, args: SERVER_ARGS });
    ecs = ecsClient(server);
  };
  const answersFor = (instanceId: string) =>
    until(
      `metadata from ${instanceId}`,
      () => ask(instanceId, INSTANCE_ID),
      (r) => r.status === 200,
      20_000,
      200,
    );

  before(async () => {
    await start();
    const vpc = vpcClient(server!);
    vpcId = (await vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId, cidrBlock: '10.1.0.0/16' }))).body!.vpcId!;
    vsw = (await vpc.createVSwitch(new $Vpc.CreateVSwitchRequest({ regionId, vpcId, cidrBlock: '10.1.0.0/24', zoneId }))).body!.vSwitchId!;
    sg = (await ecs.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ regionId, vpcId }))).body!.securityGroupId!;
    a = await launch(vsw, sg);
    b = await launch(vsw, sg);
    // Another VPC with the same CIDR: its addresses may repeat the first one's, and still name its own instances.
    otherVpc = (await vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId, cidrBlock: '10.1.0.0/16' }))).body!.vpcId!;
    const vsw2 = (await vpc.createVSwitch(new $Vpc.CreateVSwitchRequest({ regionId, vpcId: otherVpc, cidrBlock: '10.1.0.0/24', zoneId }))).body!.vSwitchId!;
    const sg2 = (await ecs.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ regionId, vpcId: otherVpc }))).body!.securityGroupId!;
    other = await launch(vsw2, sg2);
    for (const i of [a, b, other]) {
      await until(
        `eth0 of ${i.id}`,
        () => inet(linksOf(i.id).find((l) => l.ifname === 'eth0')),
        (v) => v.includes(`${i.ip}/24`),
      );
    }
  });

  after(async () => {
    // The server first, or it would make the namespaces again.
    await server?.stop();
    runCli(['dataplane', 'down']);
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  });

  test('from inside each namespace, GET http://100.100.100.200/latest/meta-data/instance-id names that instance, in either VPC', async () => {
    for (const i of [a, b, other]) {
      const r = await answersFor(i.id);
      assert.equal(r.body, i.id, `${i.id}: ${JSON.stringify(r)}`);
      assert.equal(ask(i.id, '/latest/meta-data/private-ipv4').body, i.ip);
    }
    assert.equal(ask(other.id, '/latest/meta-data/vpc-id').body, otherVpc);
    // The same tree as the loopback listener: the root lists the versions.
    assert.match(ask(a.id, '/').body ?? '', /^latest\/$/m);
  });

  test('with a token (IMDSv2): PUT /latest/api/token, then GET with it; required tokens are enforced; a token is bound to its instance', async () => {
    const put = ask(a.id, '/latest/api/token', { method: 'PUT', headers: { 'X-aliyun-ecs-metadata-token-ttl-seconds': '60' } });
    assert.equal(put.status, 200, JSON.stringify(put));
    const token = put.body!;
    const withToken = ask(a.id, INSTANCE_ID, { headers: { 'X-aliyun-ecs-metadata-token': token } });
    assert.deepEqual([withToken.status, withToken.body], [200, a.id]);
    await ecs.modifyInstanceMetadataOptions(new $Ecs.ModifyInstanceMetadataOptionsRequest({ regionId, instanceId: a.id, httpTokens: 'required' }));
    try {
      const without = ask(a.id, INSTANCE_ID);
      assert.equal(without.status, 403, JSON.stringify(without));
      assert.match(without.body!, /requires a token/);
      assert.equal(ask(a.id, INSTANCE_ID, { headers: { 'X-aliyun-ecs-metadata-token': token } }).body, a.id);
      // a's token, presented from b's address: b is the caller, and the token is not b's.
      assert.equal(ask(b.id, INSTANCE_ID, { headers: { 'X-aliyun-ecs-metadata-token': token } }).status, 401);
    } finally {
      await ecs.modifyInstanceMetadataOptions(new $Ecs.ModifyInstanceMetadataOptionsRequest({ regionId, instanceId: a.id, httpTokens: 'optional' }));
    }
  });

  test('the source decides: a header or path naming another instance is refused; naming itself is fine; an unknown source is refused', () => {
    const byHeader = ask(a.id, INSTANCE_ID, { headers: { 'X-Eniplane-Instance-Id': b.id } });
    assert.equal(byHeader.status, 403, JSON.stringify(byHeader));
    assert.match(byHeader.body!, new RegExp(`comes from ${a.id}.*may not read the metadata of ${b.id}`));
    const byPath = ask(a.id, `/${b.id}/latest/meta-data/instance-id`);
    assert.equal(byPath.status, 403, JSON.stringify(byPath));
    assert.equal(ask(a.id, INSTANCE_ID, { headers: { 'X-Eniplane-Instance-Id': a.id } }).body, a.id);
    assert.equal(ask(a.id, `/${a.id}/latest/meta-data/instance-id`).body, a.id);
    // From the router itself: its source is 100.100.100.200, which no ENI holds.
    const unknown = askIn(vpcNamespace(vpcId), INSTANCE_ID);
    assert.equal(unknown.status, 403, JSON.stringify(unknown));
    assert.match(unknown.body!, new RegExp(`no instance in ${vpcId} holds the source address 100\\.100\\.100\\.200`));
  });

  test("a spoofed source does not get another instance's data: with b's address added in a, the connection never completes", () => {
    const ns = instanceNamespace(a.id);
    const add = spawnSync('ip', ['-n', ns, 'addr', 'add', `${b.ip}/32`, 'dev', 'eth0'], { encoding: 'utf8' });
    assert.equal(add.status, 0, add.stderr);
    try {
      // The router answers b's address through b's link; b knows no such connection and resets it.
      const spoofed = ask(a.id, INSTANCE_ID, { from: b.ip });
      assert.deepEqual(spoofed, { error: 'timeout' });
      assert.equal(ask(a.id, INSTANCE_ID, { from: a.ip }).body, a.id, 'its own address still works');
    } finally {
      spawnSync('ip', ['-n', ns, 'addr', 'del', `${b.ip}/32`, 'dev', 'eth0']);
    }
    assert.equal(ask(b.id, INSTANCE_ID).body, b.id, 'b is undisturbed');
  });

  test('RAM credentials go to the instance known by its source address, and only to it', async () => {
    await ecs.attachInstanceRamRole(new $Ecs.AttachInstanceRamRoleRequest({ regionId, instanceIds: JSON.stringify([a.id]), ramRoleName: 'NodeRole' }));
    const list = ask(a.id, '/latest/meta-data/ram/security-credentials/');
    assert.deepEqual([list.status, list.body], [200, 'NodeRole']);
    const creds = ask(a.id, '/latest/meta-data/ram/security-credentials/NodeRole');
    assert.equal(creds.status, 200, JSON.stringify(creds));
    const parsed = JSON.parse(creds.body!) as { AccessKeyId: string; Code: string };
    assert.match(parsed.AccessKeyId, /^STS\./);
    assert.equal(parsed.Code, 'Success');
    // b has no role, and may not name a.
    assert.equal(ask(b.id, '/latest/meta-data/ram/security-credentials/NodeRole').status, 404);
    assert.equal(ask(b.id, '/latest/meta-data/ram/security-credentials/NodeRole', { headers: { 'X-Eniplane-Instance-Id': a.id } }).status, 403);
  });

  test('guest apply inside the instance reads 100.100.100.200 and configures a secondary ENI, whose addresses then identify the instance', async () => {
    const eniId = (
      await ecs.createNetworkInterface(
        new $Ecs.CreateNetworkInterfaceRequest({ regionId, vSwitchId: vsw, securityGroupId: sg, secondaryPrivateIpAddressCount: 1 }),
      )
    ).body!.networkInterfaceId!;
    await ecs.attachNetworkInterface(new $Ecs.AttachNetworkInterfaceRequest({ regionId, instanceId: a.id, networkInterfaceId: eniId }));
    const eni = (await ecs.describeNetworkInterfaceAttribute(new $Ecs.DescribeNetworkInterfaceAttributeRequest({ regionId, networkInterfaceId: eniId }))).body!;
    const mac = eni.macAddress!;
    const ips = eni.privateIpSets!.privateIpSet!.map((p) => p.privateIpAddress!);
    assert.equal(ips.length, 2);
    await until(
      'the hot-plugged NIC',
      () => linksOf(a.id).some((l) => l.address === mac),
      (v) => v,
    );
    // The guest tool as a guest runs it: inside the instance, reading http://100.100.100.200.
    const r = runCli([
      'dataplane',
      'exec',
      a.id,
      '--',
      process.execPath,
      BIN,
      'guest',
      'apply',
      '--netns',
      instanceNamespace(a.id),
      '--instance',
      a.id,
      '--metadata',
      'http://100.100.100.200',
      '--state-dir',
      stateDir,
      '--wait-seconds',
      '3',
    ]);
    assert.equal(r.status, 0, r.stderr);
    for (const ip of ips) {
      const answer = ask(a.id, INSTANCE_ID, { from: ip });
      assert.deepEqual([answer.status, answer.body], [200, a.id], `from ${ip}: ${JSON.stringify(answer)}`);
    }
  });

  test('a router namespace deleted behind the server is made anew at once, with its links and its metadata listener', async () => {
    const router = vpcNamespace(vpcId);
    assert.ok(listensIn(router), 'listening before');
    const del = spawnSync('ip', ['netns', 'del', router], { encoding: 'utf8' });
    assert.equal(del.status, 0, del.stderr);
    // Our listener kept the old namespace alive (ip netns del only unmounts it): it must let go,
    // so the old namespace and its veth ends go, and the new one gets every ENI's link again,
    // well before the 10 s resync.
    await until(
      "the new router's ENI links (a, b, a's secondary ENI)",
      () => routerLinks(router),
      (n) => n === 3,
      5_000,
    );
    await until('a listener in the new router', () => listensIn(router), Boolean, 5_000);
    assert.equal((await answersFor(a.id)).body, a.id);
    assert.equal((await answersFor(b.id)).body, b.id);
    assert.equal(ask(other.id, INSTANCE_ID).body, other.id, 'the other VPC untouched');
  });

  test('stopped, the server closes its listeners; restarted, it listens again in the namespaces it adopts', async () => {
    await server!.stop();
    const closed = ask(a.id, INSTANCE_ID);
    assert.equal(closed.error, 'ECONNREFUSED', JSON.stringify(closed));
    await start();
    assert.equal((await answersFor(a.id)).body, a.id);
    assert.equal((await answersFor(other.id)).body, other.id);
  });

  test("a VPC's last instance released: its router and listener go", async () => {
    await ecs.deleteInstance(new $Ecs.DeleteInstanceRequest({ instanceId: other.id, force: true }));
    await until(
      'the router namespace removed',
      () => ownNamespaces().includes(vpcNamespace(otherVpc)),
      (v) => !v,
    );
    // Closed before the namespace was deleted, or the socket would keep it alive unnamed.
    const log = server!.output();
    assert.ok(log.includes(`"ns":"${vpcNamespace(otherVpc)}","why":"VPC gone"`), log.slice(-3000));
    assert.equal(ask(a.id, INSTANCE_ID).body, a.id, 'the first VPC still answers');
  });
});

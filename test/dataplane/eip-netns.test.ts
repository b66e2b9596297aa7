import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as $Ecs from '@alicloud/ecs20140526';
import * as $Vpc from '@alicloud/vpc20160428';
import { INTERNET_CLIENT_IP } from '../../src/dataplane/desired-internet.ts';
import { instanceNamespace, internetNamespace, vpcNamespace } from '../../src/dataplane/names.ts';
import { ecsClient, vpcClient } from '../helpers/clients.ts';
import { runCli } from '../helpers/cli.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { IMAGE, inet, ipJson, linksOf, netnsSkip, ownNamespaces, ownPrefix, reaches, regionId, SERVER_ARGS, until, zoneId, type Link } from './kit.ts';

// EIPs on real packets (issue 15, test 6): a server with --dataplane netns, the official SDKs
// allocating and associating EIPs, and TCP connections between the internet namespace (the
// client address INTERNET_CLIENT_IP) and the instances' namespaces. Listeners print the peer and
// the local address of each connection they accept, so the test sees the 1:1 translation itself:
// the EIP's private address is the one connected to, and the client is the peer (no SNAT of
// inbound); the internet's listener sees the EIP as the source of the instance's connection.
// Connections time out after 1 s; a dropped SYN is a timeout.

ownPrefix('eip-');
const skip = netnsSkip();

/** Listens on argv[1]:argv[2]; per accepted connection prints "peer <remote> at <local>". */
const LISTENER = `
const net = require('node:net');
const server = net.createServer((s) => {
  console.log('peer ' + s.remoteAddress + ' at ' + s.localAddress);
  s.on('error', () => {});
  s.end();
});
server.listen(Number(process.argv[2]), process.argv[1], () => console.log('listening'));
`;

/** Exit 0 when a TCP connection to argv[1]:argv[2] (from argv[3] if given) opens within 1 s. */
const CONNECT = `
const net = require('node:net');
const [host, port, localAddress] = process.argv.slice(1);
const s = net.connect({ host, port: Number(port), localAddress: localAddress || undefined, timeout: 1000 });
s.on('connect', () => { s.destroy(); process.exit(0); });
s.on('timeout', () => process.exit(1));
s.on('error', () => process.exit(2));
`;

const children: ChildProcessWithoutNullStreams[] = [];

/** A listener inside `ns`; `peers()` is every line it printed about a connection so far. */
async function listen(ns: string, host: string, port: number): Promise<{ peers: () => string[] }> {
  const child = spawn('ip', ['netns', 'exec', ns, process.execPath, '-e', LISTENER, host, String(port)]);
  children.push(child);
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  await until(
    `a listener in ${ns} on ${host}:${port}`,
    () => out,
    (v) => v.includes('listening'),
    10_000,
    20,
  );
  return { peers: () => out.split('\n').filter((l) => l.startsWith('peer ')) };
}

function connects(ns: string, host: string, port: number, localAddress = ''): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn('ip', ['netns', 'exec', ns, process.execPath, '-e', CONNECT, host, String(port), localAddress], { stdio: 'ignore' });
    const guard = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.on('close', (code) => {
      clearTimeout(guard);
      resolve(code === 0);
    });
  });
}

/** Waits (at most 3 s) until the listener has printed `line`: its output arrives after the client is gone. */
const sees = (listener: { peers: () => string[] }, line: string) =>
  until(
    `a listener printing "${line}"`,
    () => listener.peers(),
    (v) => v.includes(line),
    3_000,
    20,
  );

const fromInternet = (host: string, port: number) => connects(internetNamespace(), host, port);

/** Polls an async probe until it gives `want` (at most 5 s: a pass is 100 ms here). */
async function becomes(what: string, probe: () => Promise<boolean>, want: boolean, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if ((await probe()) === want) return;
    if (Date.now() > deadline) assert.fail(`${what}: still ${!want} after ${ms / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const internetRoutes = () => ipJson<{ dst: string; dev?: string; gateway?: string; prefsrc?: string }[]>(['-n', internetNamespace(), '-j', 'route']);

describe('data plane: EIPs reachable from the internet namespace, translated 1:1', { skip }, () => {
  const dataDir = skip ? '' : mkdtempSync(join(tmpdir(), 'eniplane-dp-eip-'));
  const stateDir = skip ? '' : mkdtempSync(join(tmpdir(), 'eniplane-dp-eip-guest-'));
  let server: RunningServer | undefined;
  let ecs: ReturnType<typeof ecsClient>;
  let vpc: ReturnType<typeof vpcClient>;
  let vpcId: string;
  let closedGroup: string;
  let a: { id: string; ip: string };
  let b: { id: string; ip: string };
  let eniId: string;
  let secondaryIp: string;
  let onA: { peers: () => string[] };
  let onB: { peers: () => string[] };
  let onInternet: { peers: () => string[] };
  const eips: Record<string, { id: string; ip: string }> = {};

  const launch = async (vSwitchId: string, securityGroupId: string) => {
    const run = await ecs.runInstances(new $Ecs.RunInstancesRequest({ regionId, instanceType: 'ecs.g7.large', imageId: IMAGE, vSwitchId, securityGroupId }));
    const id = run.body!.instanceIdSets!.instanceIdSet![0]!;
    const inst = (await ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId, instanceIds: JSON.stringify([id]) }))).body!.instances!
      .instance![0]!;
    return { id, ip: inst.vpcAttributes!.privateIpAddress!.ipAddress![0]! };
  };
  const allocate = async () => {
    const body = (await vpc.allocateEipAddress(new $Vpc.AllocateEipAddressRequest({ regionId }))).body!;
    return { id: body.allocationId!, ip: body.eipAddress! };
  };
  const eipStatus = async (allocationId: string) =>
    (await vpc.describeEipAddresses(new $Vpc.DescribeEipAddressesRequest({ regionId, allocationId }))).body!.eipAddresses!.eipAddress![0]!;
  const allowPort = (securityGroupId: string, port: number) =>
    ecs.authorizeSecurityGroup(
      new $Ecs.AuthorizeSecurityGroupRequest({
        regionId,
        securityGroupId,
        permissions: [new $Ecs.AuthorizeSecurityGroupRequestPermissions({ ipProtocol: 'TCP', portRange: `${port}/${port}`, sourceCidrIp: '0.0.0.0/0' })],
      }),
    );
  /** The router's NAT table as nft lists it ('' while there is none). */
  const natTable = () => spawnSync('ip', ['netns', 'exec', vpcNamespace(vpcId), 'nft', 'list', 'table', 'ip', 'eniplane_nat'], { encoding: 'utf8' }).stdout;

  before(async () => {
    server = await startServer({ dataDir, args: SERVER_ARGS });
    ecs = ecsClient(server);
    vpc = vpcClient(server);
    vpcId = (await vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId, cidrBlock: '10.5.0.0/16' }))).body!.vpcId!;
    const vsw = (await vpc.createVSwitch(new $Vpc.CreateVSwitchRequest({ regionId, vpcId, cidrBlock: '10.5.0.0/24', zoneId }))).body!.vSwitchId!;
    const openGroup = (await ecs.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ regionId, vpcId, securityGroupName: 'web' }))).body!
      .securityGroupId!;
    closedGroup = (await ecs.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ regionId, vpcId, securityGroupName: 'closed' }))).body!.securityGroupId!;
    await allowPort(openGroup, 8080);
    a = await launch(vsw, openGroup);
    b = await launch(vsw, closedGroup);
    await until(
      'a is up (it reaches its gateway)',
      () => reaches(a.id, '10.5.0.253'),
      (v) => v,
      20_000,
    );
    await until(
      'b is up',
      () => reaches(b.id, '10.5.0.253'),
      (v) => v,
      20_000,
    );

    // A secondary ENI with a secondary private IP, hot-plugged into a and configured by the guest.
    eniId = (
      await ecs.createNetworkInterface(
        new $Ecs.CreateNetworkInterfaceRequest({ regionId, vSwitchId: vsw, securityGroupId: openGroup, secondaryPrivateIpAddressCount: 1 }),
      )
    ).body!.networkInterfaceId!;
    await ecs.attachNetworkInterface(new $Ecs.AttachNetworkInterfaceRequest({ regionId, instanceId: a.id, networkInterfaceId: eniId }));
    const eni = (await ecs.describeNetworkInterfaceAttribute(new $Ecs.DescribeNetworkInterfaceAttributeRequest({ regionId, networkInterfaceId: eniId }))).body!;
    secondaryIp = eni.privateIpSets!.privateIpSet!.find((p) => !p.primary)!.privateIpAddress!;
    await until(
      'the secondary NIC in a',
      () => linksOf(a.id).some((l) => l.address === eni.macAddress),
      (v) => v,
    );
    const applied = runCli([
      'guest',
      'apply',
      '--netns',
      instanceNamespace(a.id),
      '--instance',
      a.id,
      '--metadata',
      server.metadataUrl,
      '--state-dir',
      stateDir,
      '--wait-seconds',
      '3',
    ]);
    assert.equal(applied.status, 0, applied.stderr);
    assert.ok(reaches(b.id, secondaryIp, 8080), 'the secondary IP answers inside the VPC (refused: no listener yet)');

    onA = await listen(instanceNamespace(a.id), '0.0.0.0', 8080);
    onB = await listen(instanceNamespace(b.id), '0.0.0.0', 8080);
    await until(
      'the internet namespace',
      () => ownNamespaces().includes(internetNamespace()),
      (v) => v,
    );
    onInternet = await listen(internetNamespace(), INTERNET_CLIENT_IP, 9090);
  });

  after(async () => {
    for (const c of children) c.kill();
    // The server first, or it would make the namespaces again.
    await server?.stop();
    runCli(['dataplane', 'down']);
    assert.deepEqual(ownNamespaces(), [], 'no eip- namespace is left, the internet included');
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  });

  test('the internet namespace: the client address on its lo (dataplane exec --internet); the router’s default route leads there; no EIP, no internet', async () => {
    const r = runCli(['dataplane', 'exec', '--internet', '--', 'ip', '-j', 'addr']);
    assert.equal(r.status, 0, r.stderr);
    const lo = (JSON.parse(r.stdout) as Link[]).find((l) => l.ifname === 'lo');
    assert.ok(inet(lo).includes(`${INTERNET_CLIENT_IP}/32`), r.stdout);
    assert.equal(runCli(['dataplane', 'exec', '--internet', '--', 'false']).status, 1, 'the exit code passes through');
    const routes = ipJson<{ dst: string; gateway?: string; dev: string }[]>(['-n', vpcNamespace(vpcId), '-j', 'route']);
    assert.ok(
      routes.some((x) => x.dst === 'default' && x.gateway === '169.254.0.2' && /^ei[0-9a-f]{13}$/.test(x.dev)),
      JSON.stringify(routes),
    );
    // Without a public address an instance has no path to the internet (its packets are dropped).
    assert.equal(await connects(instanceNamespace(a.id), INTERNET_CLIENT_IP, 9090), false, 'a (no EIP) → the internet');
    assert.deepEqual(onInternet.peers(), [], 'nothing arrived');
  });

  test('an EIP on a secondary private IP of an ENI: reached from the internet; the instance sees the client; its own connections leave with the EIP', async () => {
    eips.secondary = await allocate();
    const eip = eips.secondary;
    await vpc.associateEipAddress(
      new $Vpc.AssociateEipAddressRequest({
        regionId,
        allocationId: eip.id,
        instanceId: eniId,
        instanceType: 'NetworkInterface',
        privateIpAddress: secondaryIp,
      }),
    );
    assert.equal((await eipStatus(eip.id)).status, 'InUse');
    await becomes(`the internet → ${eip.ip}:8080`, () => fromInternet(eip.ip, 8080), true);
    await sees(onA, `peer ${INTERNET_CLIENT_IP} at ${secondaryIp}`);
    const route = internetRoutes().find((x) => x.dst === eip.ip);
    assert.equal(route?.prefsrc, INTERNET_CLIENT_IP, JSON.stringify(route));

    assert.equal(await connects(instanceNamespace(a.id), INTERNET_CLIENT_IP, 9090, secondaryIp), true, 'a, from the secondary IP → the internet');
    await sees(onInternet, `peer ${eip.ip} at ${INTERNET_CLIENT_IP}`);
    assert.equal(onInternet.peers().length, 1, 'it arrives from the EIP, once');
    assert.equal(await connects(instanceNamespace(a.id), INTERNET_CLIENT_IP, 9090, a.ip), false, 'the primary IP has no EIP yet');
    assert.equal(await fromInternet(eip.ip, 8081), false, 'a port its security group does not allow');
    assert.equal(onInternet.peers().length, 1);
  });

  test('an EIP on the instance lands on its primary ENI’s primary IP', async () => {
    eips.instance = await allocate();
    const eip = eips.instance;
    await vpc.associateEipAddress(new $Vpc.AssociateEipAddressRequest({ regionId, allocationId: eip.id, instanceId: a.id }));
    await becomes(`the internet → ${eip.ip}:8080`, () => fromInternet(eip.ip, 8080), true);
    await sees(onA, `peer ${INTERNET_CLIENT_IP} at ${a.ip}`);
    assert.equal(await connects(instanceNamespace(a.id), INTERNET_CLIENT_IP, 9090, a.ip), true, 'a, from its primary IP → the internet');
    await sees(onInternet, `peer ${eip.ip} at ${INTERNET_CLIENT_IP}`);
  });

  test('a security group that does not allow the port blocks the EIP’s traffic; a rule that allows it lets it through', async () => {
    eips.closed = await allocate();
    const eip = eips.closed;
    await vpc.associateEipAddress(new $Vpc.AssociateEipAddressRequest({ regionId, allocationId: eip.id, instanceId: b.id }));
    // Translated (its route and NAT entry in place), yet dropped by b's security group.
    await until(
      'the route and the NAT entry of the EIP',
      () => natTable().includes(`${eip.ip} : ${b.ip}`) && internetRoutes().some((x) => x.dst === eip.ip),
      (v) => v,
    );
    for (let i = 0; i < 3; i++) assert.equal(await fromInternet(eip.ip, 8080), false, `the internet → ${eip.ip}:8080, try ${i + 1}`);
    assert.deepEqual(onB.peers(), []);
    await allowPort(closedGroup, 8080);
    await becomes(`the internet → ${eip.ip}:8080 once allowed`, () => fromInternet(eip.ip, 8080), true);
    await sees(onB, `peer ${INTERNET_CLIENT_IP} at ${b.ip}`);
  });

  test('UnassociateEipAddress: the EIP reaches nothing any more and its private IP loses the internet; the other EIPs still work', async () => {
    const eip = eips.secondary!;
    await vpc.unassociateEipAddress(new $Vpc.UnassociateEipAddressRequest({ regionId, allocationId: eip.id }));
    await becomes(`the internet → ${eip.ip}:8080 after unassociation`, () => fromInternet(eip.ip, 8080), false);
    assert.ok(!internetRoutes().some((x) => x.dst === eip.ip), 'its route is gone');
    assert.equal(await connects(instanceNamespace(a.id), INTERNET_CLIENT_IP, 9090, secondaryIp), false, 'the secondary IP has no EIP any more');
    assert.equal(await fromInternet(eips.instance!.ip, 8080), true, 'the instance’s EIP still answers');
  });

  test('a restart with nothing changed adopts the internet namespace, its links, routes and NAT: its first pass runs no command', async () => {
    await server!.stop();
    server = await startServer({ dataDir, args: SERVER_ARGS });
    const m = await until(
      'the first reconciler pass',
      () => /"commands":(\d+),"failed":(\d+),"ms":\d+,"msg":"dataplane: first pass done"/.exec(server!.output()),
      (v) => v !== null,
    );
    assert.equal(m![1], '0', server!.output());
    assert.equal(m![2], '0');
    assert.equal(await fromInternet(eips.instance!.ip, 8080), true, 'the instance’s EIP answers after the restart');
  });

  test('dataplane status lists the internet namespace and its EIP routes, in sync', () => {
    const r = runCli(['dataplane', 'status', '--data-dir', dataDir]);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, new RegExp(`${internetNamespace()}  the internet, client ${INTERNET_CLIENT_IP.replaceAll('.', '\\.')}: present, linked to 1 VPC`));
    assert.ok(r.stdout.includes(`${eips.instance!.ip}/32 → ${vpcId} → ${a.ip}  (EIP ${eips.instance!.id})`), r.stdout);
    assert.ok(!r.stdout.includes(`${eips.secondary!.ip}/32`), 'not the unassociated one');
    assert.match(r.stdout, /EIP NAT \(2 address\(es\)\): in place/);
    assert.match(r.stdout, /in sync with the store/);
  });
});

import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, test } from 'node:test';
import * as $Ecs from '@alicloud/ecs20140526';
import * as $Vpc from '@alicloud/vpc20160428';
import { ecsClient, vpcClient } from '../helpers/clients.ts';
import { runCli } from '../helpers/cli.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { DUAL_STACK_MODEL, modelTree, serveMetadataTree, type MetadataTree } from './fixture.ts';

// `eniplane guest apply` for real: a namespace made here stands in for the guest, veth devices
// carrying the ENIs' MACs for the NICs the hypervisor would plug, a real server (API + metadata)
// for the cloud. Needs root and `ip netns`; without them the suite is skipped loudly, and in CI
// (CI=true) it fails instead.

const BIN = fileURLToPath(new URL('../../bin/eniplane.js', import.meta.url));
const regionId = 'cn-hangzhou';
const IMAGE = 'aliyun_3_x64_20G_alibase_20240819.vhd';

function netnsSkip(): string | false {
  const probe = `epprobe${process.pid}`;
  const root = process.getuid?.() === 0;
  const works = root && spawnSync('ip', ['netns', 'add', probe]).status === 0 && spawnSync('ip', ['netns', 'del', probe]).status === 0;
  if (works) return false;
  const why = root ? '`ip netns add` does not work here (iproute2 missing, or no network namespaces)' : 'not root';
  if (process.env.CI === 'true') throw new Error(`guest apply tests need root and ip netns, required in CI (CI=true): ${why}`);
  const msg = `*** SKIPPED: guest apply netns tests: ${why}; CI fails here ***`;
  console.error(msg);
  return msg;
}

function sh(args: string[]): string {
  const r = spawnSync('ip', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ip ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

const skip = netnsSkip();
const tag = `${process.pid.toString(36)}${Math.floor(Math.random() * 1296).toString(36)}`;
/** The guest, and the "hypervisor" side holding the veth peers (nothing touches the host's namespace). */
const NS = `epguest${tag}`;
const HOST_NS = `ephost${tag}`;

type AddrInfo = { family: string; local: string; prefixlen: number; noprefixroute?: boolean };
type Link = { ifname: string; address: string; flags: string[]; addr_info: AddrInfo[] };
type Rule = { priority: number; src: string; table?: string; protocol?: string };
type Route = { dst: string; gateway?: string; dev?: string; table?: string; protocol?: string };

const links = () => JSON.parse(sh(['-n', NS, '-j', 'addr', 'show'])) as Link[];
const linkByMac = (mac: string) => links().find((l) => l.address === mac);
const inet = (l: Link | undefined) =>
  (l?.addr_info ?? [])
    .filter((a) => a.family === 'inet')
    .map((a) => a.local)
    .sort();
const rules = () => JSON.parse(sh(['-n', NS, '-N', '-j', 'rule', 'show'])) as Rule[];
const rulesTo = (table: number) =>
  rules()
    .filter((r) => r.table === String(table))
    .map((r) => `${r.priority} ${r.src} ${r.protocol}`)
    .sort();
const routesIn = (table: number) =>
  (JSON.parse(sh(['-n', NS, '-N', '-4', '-j', 'route', 'show', 'table', 'all'])) as Route[]).filter((r) => (r.table ?? '254') === String(table));
const rpFilter = (ifname: string) =>
  spawnSync('ip', ['netns', 'exec', NS, 'cat', `/proc/sys/net/ipv4/conf/${ifname}/rp_filter`], { encoding: 'utf8' }).stdout.trim();

/** Plugs a NIC: a veth whose guest end carries the ENI's MAC, down, under a name the kernel might give. */
function plug(mac: string, name: string, peer: string): void {
  sh(['-n', NS, 'link', 'add', name, 'address', mac, 'type', 'veth', 'peer', 'name', peer, 'netns', HOST_NS]);
  sh(['-n', HOST_NS, 'link', 'set', peer, 'up']);
}

async function until<T>(what: string, read: () => T, ok: (v: T) => boolean, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = read();
    if (ok(v)) return v;
    if (Date.now() > deadline) assert.fail(`${what}: still ${JSON.stringify(v)} after ${ms / 1000} s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('guest apply in a real network namespace', { skip }, () => {
  let server: RunningServer;
  let ecs: ReturnType<typeof ecsClient>;
  let stateDir: string;
  let instanceId: string;
  let vSwitchId: string;
  let sg: string;
  let primary: { id: string; mac: string; ip: string; secondary: string };
  let second: { id: string; mac: string; ip: string; secondaries: string[] };

  const attr = async (networkInterfaceId: string) =>
    (await ecs.describeNetworkInterfaceAttribute(new $Ecs.DescribeNetworkInterfaceAttributeRequest({ regionId, networkInterfaceId }))).body!;
  const ipsOf = async (id: string) => (await attr(id)).privateIpSets!.privateIpSet!.map((p) => ({ ip: p.privateIpAddress!, primary: p.primary! }));
  const apply = (...extra: string[]) =>
    runCli([
      'guest',
      'apply',
      '--netns',
      NS,
      '--instance',
      instanceId,
      '--metadata',
      server.metadataUrl,
      '--state-dir',
      stateDir,
      '--wait-seconds',
      '3',
      ...extra,
    ]);
  const newEni = async (extra: Partial<$Ecs.CreateNetworkInterfaceRequest> = {}) => {
    const id = (await ecs.createNetworkInterface(new $Ecs.CreateNetworkInterfaceRequest({ regionId, vSwitchId, securityGroupId: sg, ...extra }))).body!
      .networkInterfaceId!;
    await ecs.attachNetworkInterface(new $Ecs.AttachNetworkInterfaceRequest({ regionId, instanceId, networkInterfaceId: id }));
    const a = await attr(id);
    assert.equal(a.status, 'InUse');
    return { id, mac: a.macAddress!, ip: a.privateIpAddress! };
  };

  before(async () => {
    server = await startServer();
    ecs = ecsClient(server);
    const vpc = vpcClient(server);
    stateDir = mkdtempSync(join(tmpdir(), 'eniplane-apply-state-'));
    const vpcId = (await vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId, cidrBlock: '10.1.0.0/16' }))).body!.vpcId!;
    vSwitchId = (await vpc.createVSwitch(new $Vpc.CreateVSwitchRequest({ regionId, vpcId, cidrBlock: '10.1.0.0/24', zoneId: 'cn-hangzhou-i' }))).body!
      .vSwitchId!;
    sg = (await ecs.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ regionId, vpcId }))).body!.securityGroupId!;
    const run = await ecs.runInstances(
      new $Ecs.RunInstancesRequest({ regionId, instanceType: 'ecs.g7.large', imageId: IMAGE, vSwitchId, securityGroupId: sg }),
    );
    instanceId = run.body!.instanceIdSets!.instanceIdSet![0]!;
    const inst = (await ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId, instanceIds: JSON.stringify([instanceId]) }))).body!.instances!
      .instance![0]!;
    const primaryId = inst.networkInterfaces!.networkInterface!.find((n) => n.type === 'Primary')!.networkInterfaceId!;
    await ecs.assignPrivateIpAddresses(
      new $Ecs.AssignPrivateIpAddressesRequest({ regionId, networkInterfaceId: primaryId, secondaryPrivateIpAddressCount: 1 }),
    );
    const pa = await attr(primaryId);
    primary = { id: primaryId, mac: pa.macAddress!, ip: pa.privateIpAddress!, secondary: (await ipsOf(primaryId)).find((p) => !p.primary)!.ip };
    const s = await newEni({ secondaryPrivateIpAddressCount: 2 });
    second = { ...s, secondaries: (await ipsOf(s.id)).filter((p) => !p.primary).map((p) => p.ip) };
    assert.equal(second.secondaries.length, 2);

    sh(['netns', 'add', NS]);
    sh(['netns', 'add', HOST_NS]);
    // eth0 is up already, as a booted guest's primary NIC is; the secondary NIC arrives down, as ens6.
    plug(primary.mac, 'eth0', 'hv0');
    sh(['-n', NS, 'link', 'set', 'eth0', 'up']);
    plug(second.mac, 'ens6', 'hv1');
  });

  after(async () => {
    spawnSync('ip', ['netns', 'del', NS]);
    spawnSync('ip', ['netns', 'del', HOST_NS]);
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
    await server?.dispose();
  });

  test('guest apply --dry-run: prints the commands and changes nothing', () => {
    const r = apply('--dry-run');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`ip -n ${NS} rule add from ${second.ip.replace(/\./g, '\\.')} lookup 1001 priority 1001 protocol 77`));
    assert.deepEqual(rulesTo(1001), []);
    assert.deepEqual(inet(linkByMac(second.mac)), []);
  });

  test('guest apply: both ENIs configured by MAC; table 1001 and one rule per address for the secondary ENI only', () => {
    const r = apply();
    assert.equal(r.status, 0, r.stderr);
    const eth0 = linkByMac(primary.mac)!;
    const eth1 = linkByMac(second.mac)!;
    assert.equal(eth0.ifname, 'eth0');
    assert.equal(eth1.ifname, 'eth1', 'the down NIC is renamed to eth<index>');
    assert.ok(eth1.flags.includes('UP'));
    assert.deepEqual(inet(eth0), [primary.ip, primary.secondary].sort());
    assert.deepEqual(inet(eth1), [second.ip, ...second.secondaries].sort());
    assert.ok(
      eth1.addr_info.filter((a) => a.family === 'inet').every((a) => a.prefixlen === 24 && a.noprefixroute),
      'secondary ENI addresses: vSwitch prefix, noprefixroute',
    );

    const table = routesIn(1001);
    assert.deepEqual(table.map((t) => `${t.dst} ${t.gateway ?? '-'} ${t.dev} ${t.protocol}`).sort(), ['10.1.0.0/24 - eth1 77', 'default 10.1.0.253 eth1 77']);
    assert.deepEqual(rulesTo(1001), [second.ip, ...second.secondaries].map((ip) => `1001 ${ip} 77`).sort());
    // No rule for any address of the primary ENI; the secondary ENI's default route never in main.
    assert.ok(!rules().some((x) => x.src === primary.ip || x.src === primary.secondary));
    assert.deepEqual(
      routesIn(254)
        .filter((x) => x.dst === 'default')
        .map((x) => `${x.gateway} ${x.dev}`),
      ['10.1.0.253 eth0'],
    );
    assert.equal(rpFilter('eth1'), '2');
    assert.match(sh(['-n', NS, 'route', 'show', 'table', '1001']), /default via 10\.1\.0\.253 dev eth1 proto 77/);
  });

  test('guest apply: a second apply with nothing changed runs no command', () => {
    const r = apply();
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /nothing to do/);
  });

  test('guest apply: a secondary IP assigned and one unassigned through the API: addresses and rules follow', async () => {
    const [gone, kept] = second.secondaries as [string, string];
    await ecs.unassignPrivateIpAddresses(new $Ecs.UnassignPrivateIpAddressesRequest({ regionId, networkInterfaceId: second.id, privateIpAddress: [gone] }));
    await ecs.assignPrivateIpAddresses(
      new $Ecs.AssignPrivateIpAddressesRequest({ regionId, networkInterfaceId: second.id, secondaryPrivateIpAddressCount: 1 }),
    );
    const added = (await ipsOf(second.id)).map((p) => p.ip).find((ip) => ![second.ip, ...second.secondaries].includes(ip))!;
    const r = apply();
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(r.stdout.trim().split('\n').length, 4, r.stdout); // one address and one rule, each way
    assert.deepEqual(inet(linkByMac(second.mac)), [second.ip, kept, added].sort());
    assert.deepEqual(rulesTo(1001), [second.ip, kept, added].map((ip) => `1001 ${ip} 77`).sort());
    second.secondaries = [kept, added];
  });

  test('guest apply: what eniplane did not make stays (an unmarked rule, a HAVIP-style address)', () => {
    sh(['-n', NS, 'addr', 'add', '10.1.0.200/24', 'dev', 'eth1', 'noprefixroute']);
    sh(['-n', NS, 'rule', 'add', 'from', '10.1.0.200', 'lookup', '1001', 'priority', '1001']);
    const r = apply();
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '');
    sh(['-n', NS, 'rule', 'del', 'from', '10.1.0.200', 'lookup', '1001', 'priority', '1001']);
    sh(['-n', NS, 'addr', 'del', '10.1.0.200/24', 'dev', 'eth1']);
  });

  test("guest apply: after a detach, re-apply removes the ENI's addresses, rules and table; then its NIC is unplugged", async () => {
    await ecs.detachNetworkInterface(new $Ecs.DetachNetworkInterfaceRequest({ regionId, instanceId, networkInterfaceId: second.id }));
    assert.equal((await attr(second.id)).status, 'Available');
    // The NIC is still plugged (the hypervisor has not taken it away yet): ours comes off it.
    let r = apply();
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(inet(linkByMac(second.mac)), []);
    assert.deepEqual(rulesTo(1001), []);
    assert.deepEqual(routesIn(1001), []);
    assert.ok(!rules().some((x) => x.protocol === '77'));
    sh(['-n', NS, 'link', 'del', 'eth1']);
    r = apply();
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '', 'nothing left to remove');
    assert.deepEqual(inet(linkByMac(primary.mac)), [primary.ip, primary.secondary].sort(), 'the primary ENI untouched');
  });

  test('guest apply: detached while its NIC is gone at once: the rules go too', async () => {
    const e = await newEni();
    plug(e.mac, 'ens7', 'hv2');
    let r = apply();
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(rulesTo(1001), [`1001 ${e.ip} 77`], 'the freed index 1 is reused');
    await ecs.detachNetworkInterface(new $Ecs.DetachNetworkInterfaceRequest({ regionId, instanceId, networkInterfaceId: e.id }));
    sh(['-n', NS, 'link', 'del', 'eth1']);
    r = apply();
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(rulesTo(1001), []);
    assert.deepEqual(routesIn(1001), []);
    assert.equal(apply().stdout, '', 'and a further apply is a no-op');
  });

  test('guest apply: a listed ENI whose NIC never appears is reported after --wait-seconds, exit 2, the rest applied', async () => {
    const e = await newEni();
    const r = runCli([
      'guest',
      'apply',
      '--netns',
      NS,
      '--instance',
      instanceId,
      '--metadata',
      server.metadataUrl,
      '--state-dir',
      stateDir,
      '--wait-seconds',
      '1',
    ]);
    assert.equal(r.status, 2, r.stderr);
    assert.match(r.stderr, new RegExp(`${e.id} \\(MAC ${e.mac}\\) is in the metadata, but no device in netns ${NS} carries that MAC after 1 s`));
    await ecs.detachNetworkInterface(new $Ecs.DetachNetworkInterfaceRequest({ regionId, instanceId, networkInterfaceId: e.id }));
  });

  test('guest apply --watch: a hot-plugged ENI is configured within seconds; SIGTERM stops it cleanly', async () => {
    const watcher = spawn(
      process.execPath,
      [
        BIN,
        'guest',
        'apply',
        '--watch',
        '--interval',
        '0.5',
        '--netns',
        NS,
        '--instance',
        instanceId,
        '--metadata',
        server.metadataUrl,
        '--state-dir',
        stateDir,
        '--wait-seconds',
        '5',
      ],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    watcher.stdout.on('data', (d: Buffer) => (out += d.toString()));
    watcher.stderr.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((resolve) => watcher.once('exit', (code) => resolve(code)));
    try {
      await until(
        'watcher started',
        () => out,
        (o) => o.includes('watching instance'),
      );
      // The NIC shows up before the metadata knows its ENI (os-config.md §6.4), then the attach.
      const id = (await ecs.createNetworkInterface(new $Ecs.CreateNetworkInterfaceRequest({ regionId, vSwitchId, securityGroupId: sg }))).body!
        .networkInterfaceId!;
      const a = await attr(id);
      plug(a.macAddress!, 'ens8', 'hv3');
      await ecs.attachNetworkInterface(new $Ecs.AttachNetworkInterfaceRequest({ regionId, instanceId, networkInterfaceId: id }));
      const seen = await until(
        'rules of the hot-plugged ENI',
        () => rulesTo(1001),
        (r) => r.length === 1,
      );
      assert.deepEqual(seen, [`1001 ${a.privateIpAddress!} 77`]);
      await until(
        'its table',
        () => routesIn(1001).length,
        (n) => n === 2,
      );
      assert.deepEqual(inet(linkByMac(a.macAddress!)), [a.privateIpAddress!]);
    } finally {
      watcher.kill('SIGTERM');
    }
    assert.equal(await exited, 0, out);
    assert.match(out, /stopped/);
  });

  test('guest apply: bad input gets a clear message and a non-zero exit, no stack trace', async () => {
    // A loopback port that was just free: nothing listens there.
    const closed = createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((r) => closed.close(r));
    const cases: [string[], RegExp][] = [
      [['--netns', `${NS}nope`, '--instance', instanceId, '--metadata', server.metadataUrl], /no network namespace named/],
      [['--netns', NS, '--instance', 'i-doesnotexist000000', '--metadata', server.metadataUrl], /knows no instance i-doesnotexist000000/],
      [['--netns', NS, '--instance', instanceId, '--metadata', `http://127.0.0.1:${port}`], /metadata service unreachable at .*ECONNREFUSED/],
    ];
    for (const [args, message] of cases) {
      const r = runCli(['guest', 'apply', ...args, '--state-dir', stateDir, '--wait-seconds', '1']);
      assert.equal(r.status, 1, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, message);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
    }
  });
});

// Dual stack: the metadata comes from a fixture tree (test/guest/fixture.ts) carrying the IPv6
// and prefix items in the formats metadata-parse.ts documents, until the server serves them.
const NS6 = `epguest6${tag}`;
const HOST6 = `ephost6${tag}`;

describe('guest apply in a real network namespace: IPv6 and delegated prefixes', { skip }, () => {
  const model = DUAL_STACK_MODEL;
  const [p, s] = model.enis as [(typeof model.enis)[0], (typeof model.enis)[0]];
  const gw6 = p.ipv6Gateway!;
  let md: MetadataTree;
  let stateDir: string;
  const ip6 = (...args: string[]) => sh(['-n', NS6, ...args]);
  // Asynchronous: the fixture metadata service runs in this process, so a spawnSync would starve it.
  const apply = () =>
    new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
      const args = ['guest', 'apply', '--netns', NS6, '--instance', model.instanceId, '--metadata', md.url, '--state-dir', stateDir, '--wait-seconds', '3'];
      const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.once('close', (status) => resolve({ status, stdout, stderr }));
    });
  type Addr6 = { family: string; local: string; prefixlen: number; scope: string; noprefixroute?: boolean; tentative?: boolean };
  const inet6 = (mac: string) =>
    ((JSON.parse(ip6('-j', 'addr', 'show')) as { address: string; addr_info: Addr6[] }[]).find((l) => l.address === mac)?.addr_info ?? []).filter(
      (a) => a.family === 'inet6' && a.scope === 'global',
    );
  const rules6 = (table: number) =>
    (JSON.parse(ip6('-6', '-N', '-j', 'rule', 'show')) as (Rule & { srclen?: number })[])
      .filter((r) => r.table === String(table))
      .map((r) => `${r.priority} ${r.src}${r.srclen ? `/${r.srclen}` : ''} ${r.protocol}`)
      .sort();
  const rules4 = (table: number) =>
    (JSON.parse(ip6('-4', '-N', '-j', 'rule', 'show')) as (Rule & { srclen?: number })[])
      .filter((r) => r.table === String(table))
      .map((r) => `${r.priority} ${r.src}${r.srclen ? `/${r.srclen}` : ''} ${r.protocol}`)
      .sort();
  const routes6 = (table: number) =>
    (JSON.parse(ip6('-6', '-N', '-j', 'route', 'show', 'table', String(table))) as Route[])
      .filter((r) => r.protocol === '77')
      .map((r) => `${r.dst} ${r.gateway ?? '-'} ${r.dev}`)
      .sort();

  before(async () => {
    md = await serveMetadataTree(model.instanceId, modelTree(model));
    stateDir = mkdtempSync(join(tmpdir(), 'eniplane-apply6-state-'));
    sh(['netns', 'add', NS6]);
    sh(['netns', 'add', HOST6]);
    for (const [mac, name, peer] of [
      [p.mac, 'eth0', 'hv0'],
      [s.mac, 'ens6', 'hv1'],
    ] as const) {
      sh(['-n', NS6, 'link', 'add', name, 'address', mac, 'type', 'veth', 'peer', 'name', peer, 'netns', HOST6]);
      sh(['-n', HOST6, 'link', 'set', peer, 'up']);
    }
    sh(['-n', NS6, 'link', 'set', 'eth0', 'up']);
    // An image that ships with IPv6 off on its NICs: apply must switch it on for the ENI that has IPv6.
    const off = spawnSync('ip', ['netns', 'exec', NS6, 'sysctl', '-q', '-w', 'net.ipv6.conf.ens6.disable_ipv6=1'], { encoding: 'utf8' });
    assert.equal(off.status, 0, off.stderr);
  });

  after(async () => {
    spawnSync('ip', ['netns', 'del', NS6]);
    spawnSync('ip', ['netns', 'del', HOST6]);
    if (stateDir) rmSync(stateDir, { recursive: true, force: true });
    await md?.close();
  });

  test('guest apply: IPv6 addresses (not tentative), the IPv6 default routes, ip -6 rules per address, rules for both prefixes', async () => {
    const r = await apply();
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`ip netns exec ${NS6} sysctl -w net\\.ipv6\\.conf\\.eth1\\.disable_ipv6=0`));
    assert.deepEqual(
      inet6(p.mac).map((a) => `${a.local}/${a.prefixlen}${a.noprefixroute ? ' noprefixroute' : ''}${a.tentative ? ' tentative' : ''}`),
      ['2408:4005:3a2:c704::10/64'],
    );
    assert.deepEqual(
      inet6(s.mac)
        .map((a) => `${a.local}/${a.prefixlen}${a.noprefixroute ? ' noprefixroute' : ''}${a.tentative ? ' tentative' : ''}`)
        .sort(),
      ['2408:4005:3a2:c704::20/64 noprefixroute', '2408:4005:3a2:c704::21/64 noprefixroute'],
    );
    // The primary ENI: its IPv6 default in main, no rules. eth1: the /64 and the default in table 1001.
    assert.match(ip6('-6', 'route', 'show', 'default'), new RegExp(`^default via ${gw6} dev eth0 proto 77`, 'm'));
    assert.ok(!/dev eth1/.test(ip6('-6', 'route', 'show', 'default')), 'no IPv6 default via eth1 in main');
    assert.deepEqual(routes6(1001), ['2408:4005:3a2:c704::/64 - eth1', `default ${gw6} eth1`]);
    assert.deepEqual(rules6(1001), ['1001 2408:4005:3a2:c704:1a2b::/80 77', '1001 2408:4005:3a2:c704::20 77', '1001 2408:4005:3a2:c704::21 77']);
    assert.deepEqual(rules4(1001), ['1001 192.168.1.20 77', '1001 192.168.1.21 77', '1001 192.168.1.22 77', '1001 192.168.1.32/28 77']);
    // A delegated prefix is routed, not assigned.
    assert.ok(!ip6('addr', 'show').includes('192.168.1.32'));
    assert.ok(!ip6('addr', 'show').includes('1a2b::'));
    // The kernel agrees: traffic from the second IPv6 address and from inside the /80 leaves by eth1.
    assert.match(ip6('-6', 'route', 'get', '2001:db8::1', 'from', '2408:4005:3a2:c704::21'), new RegExp(`via ${gw6} dev eth1 table 1001`));
    assert.match(ip6('-6', 'route', 'get', '2001:db8::1', 'from', '2408:4005:3a2:c704:1a2b::99'), /dev eth1 table 1001/);
    assert.match(ip6('route', 'get', '8.8.8.8', 'from', '192.168.1.21'), /via 192\.168\.1\.253 dev eth1 table 1001/);
  });

  test('guest apply: a second dual-stack apply runs no command', async () => {
    const r = await apply();
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout, '');
  });

  test('guest apply: an IPv6 address and the prefixes gone from the metadata: their address and rules go, the rest stays', async () => {
    const tree = { ...md.tree };
    const dir = `network/interfaces/macs/${s.mac}`;
    tree[`${dir}/ipv6s`] = '[2408:4005:3a2:c704::20]';
    delete tree[`${dir}/ipv4-prefixes`];
    delete tree[`${dir}/ipv6-prefixes`];
    md.tree = tree;
    const r = await apply();
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(
      inet6(s.mac).map((a) => a.local),
      ['2408:4005:3a2:c704::20'],
    );
    assert.deepEqual(rules6(1001), ['1001 2408:4005:3a2:c704::20 77']);
    assert.deepEqual(rules4(1001), ['1001 192.168.1.20 77', '1001 192.168.1.21 77', '1001 192.168.1.22 77']);
    assert.deepEqual(routes6(1001), ['2408:4005:3a2:c704::/64 - eth1', `default ${gw6} eth1`]);
  });

  test('guest apply: the ENI loses IPv6 altogether (404s): its IPv6 table routes and rules go too', async () => {
    const dir = `network/interfaces/macs/${s.mac}`;
    md.tree = Object.fromEntries(Object.entries(md.tree).filter(([k]) => !(k.startsWith(dir) && /ipv6/.test(k))));
    const r = await apply();
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(inet6(s.mac), []);
    assert.deepEqual(rules6(1001), []);
    assert.deepEqual(routes6(1001), []);
    assert.equal(inet6(p.mac).length, 1, "the primary ENI's IPv6 untouched");
  });
});

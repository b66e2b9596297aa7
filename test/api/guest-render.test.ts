import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as $Ecs from '@alicloud/ecs20140526';
import * as $Vpc from '@alicloud/vpc20160428';
import { runCli } from '../helpers/cli.ts';
import { ecsClient, vpcClient } from '../helpers/clients.ts';
import { pollUntil } from '../helpers/poll.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { toolSkip } from '../guest/tools.ts';

const regionId = 'cn-hangzhou';
const zoneId = 'cn-hangzhou-i';
// Alibaba Cloud Linux 3 in the image catalog: alinux:3, so ifcfg files when --distro is left out.
const IMAGE = 'aliyun_3_x64_20G_alibase_20240819.vhd';

interface Eni {
  id: string;
  mac: string;
  ips: string[];
}

function emptyDir(): string {
  return mkdtempSync(join(tmpdir(), 'eniplane-render-'));
}

function files(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string, rel: string) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) walk(p, `${rel}${name}/`);
      else out.push(`${rel}${name}`);
    }
  };
  walk(root, '');
  return out.sort();
}

describe('eniplane guest render against a real server and its metadata service', () => {
  let server: RunningServer;
  let instanceId: string;
  let primary: Eni;
  let secondary: Eni;
  let net: { vSwitchId: string; securityGroupId: string };
  let ecs: ReturnType<typeof ecsClient>;
  const roots: string[] = [];
  const root = () => {
    const r = emptyDir();
    roots.push(r);
    return r;
  };

  before(async () => {
    server = await startServer();
    ecs = ecsClient(server);
    const vpc = vpcClient(server);
    const vpcId = (await vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId, cidrBlock: '10.7.0.0/16' }))).body!.vpcId!;
    const vSwitchId = (await vpc.createVSwitch(new $Vpc.CreateVSwitchRequest({ regionId, vpcId, zoneId, cidrBlock: '10.7.1.0/24' }))).body!.vSwitchId!;
    const securityGroupId = (await ecs.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ regionId, vpcId }))).body!.securityGroupId!;
    net = { vSwitchId, securityGroupId };
    const run = await ecs.runInstances(new $Ecs.RunInstancesRequest({ regionId, instanceType: 'ecs.g7.large', imageId: IMAGE, vSwitchId, securityGroupId }));
    instanceId = run.body!.instanceIdSets!.instanceIdSet![0]!;
    const primaryId = (
      await ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId, instanceIds: JSON.stringify([instanceId]) }))
    ).body!.instances!.instance![0]!.networkInterfaces!.networkInterface!.find((e) => e.type === 'Primary')!.networkInterfaceId!;
    const secondaryId = (await ecs.createNetworkInterface(new $Ecs.CreateNetworkInterfaceRequest({ regionId, vSwitchId, securityGroupId }))).body!
      .networkInterfaceId!;
    await ecs.attachNetworkInterface(new $Ecs.AttachNetworkInterfaceRequest({ regionId, instanceId, networkInterfaceId: secondaryId }));
    const attr = (id: string) =>
      ecs.describeNetworkInterfaceAttribute(new $Ecs.DescribeNetworkInterfaceAttributeRequest({ regionId, networkInterfaceId: id })).then((r) => r.body!);
    await pollUntil(async () => (await attr(secondaryId)).status, 'InUse');
    for (const id of [primaryId, secondaryId]) {
      await ecs.assignPrivateIpAddresses(new $Ecs.AssignPrivateIpAddressesRequest({ regionId, networkInterfaceId: id, secondaryPrivateIpAddressCount: 2 }));
    }
    const eni = async (id: string): Promise<Eni> => {
      const a = await attr(id);
      const ips = a.privateIpSets!.privateIpSet!.sort((x, y) => Number(y.primary) - Number(x.primary)).map((p) => p.privateIpAddress!);
      return { id, mac: a.macAddress!, ips };
    };
    primary = await eni(primaryId);
    secondary = await eni(secondaryId);
    assert.equal(primary.ips.length, 3);
    assert.equal(secondary.ips.length, 3);
  });
  after(async () => {
    await server?.dispose();
    for (const r of roots) rmSync(r, { recursive: true, force: true });
  });

  const render = (dir: string, ...extra: string[]) =>
    runCli(['guest', 'render', '--instance', instanceId, '--metadata', server.metadataUrl, '--root', dir, ...extra]);

  test('guest render: without --distro follows the image (alinux:3) and writes ifcfg files with policy routing', () => {
    const dir = root();
    const r = render(dir);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /alinux:3, format rhel-ifcfg/);
    assert.match(r.stdout, /^restart: sudo systemctl restart NetworkManager/m);
    const scripts = 'etc/sysconfig/network-scripts';
    assert.deepEqual(files(dir), [
      ...['ifcfg-eth0', 'ifcfg-eth0:0', 'ifcfg-eth0:1', 'ifcfg-eth1', 'ifcfg-eth1:0', 'ifcfg-eth1:1', 'route-eth1', 'rule-eth1'].map((f) => `${scripts}/${f}`),
      'etc/sysctl.d/90-eniplane-rp-filter.conf',
      'var/lib/eniplane-guest/nic-index.json',
      'var/lib/eniplane-guest/rendered-files.json',
    ]);
    for (const f of files(dir)) assert.ok(r.stdout.includes(`wrote ${join(dir, f)}`), `printed ${f}`);
    const read = (f: string) => readFileSync(join(dir, scripts, f), 'utf8');
    assert.match(read('ifcfg-eth0'), new RegExp(`^IPADDR=${primary.ips[0]}$[\\s\\S]*^GATEWAY=10\\.7\\.1\\.253$`, 'm'));
    assert.match(read('ifcfg-eth0'), new RegExp(`^HWADDR=${secondary.mac === primary.mac ? 'x' : primary.mac}$`, 'm'));
    assert.match(read('ifcfg-eth1'), new RegExp(`^IPADDR=${secondary.ips[0]}$[\\s\\S]*^DEFROUTE=no$`, 'm'));
    assert.match(read('ifcfg-eth0:1'), new RegExp(`^IPADDR=${primary.ips[2]}$`, 'm'));
    assert.match(read('ifcfg-eth1:0'), new RegExp(`^IPADDR=${secondary.ips[1]}$`, 'm'));
    assert.match(read('route-eth1'), /^default via 10\.7\.1\.253 dev eth1 table 1001$/m);
    for (const ip of secondary.ips) assert.match(read('rule-eth1'), new RegExp(`^from ${ip} table 1001 priority 1001$`, 'm'));
    assert.deepEqual(JSON.parse(readFileSync(join(dir, 'var/lib/eniplane-guest/nic-index.json'), 'utf8')).indexes, { [primary.mac]: 0, [secondary.mac]: 1 });
  });

  test('guest render: --distro ubuntu:22.04 writes netplan that netplan itself accepts', { skip: toolSkip('netplan', 'netplan.io') }, () => {
    const dir = root();
    const r = render(dir, '--distro', 'ubuntu:22.04');
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, /^restart: sudo netplan apply$/m);
    const yaml = readFileSync(join(dir, 'etc/netplan/90-eniplane.yaml'), 'utf8');
    assert.match(yaml, new RegExp(`macaddress: "${secondary.mac}"`));
    assert.equal(statSync(join(dir, 'etc/netplan/90-eniplane.yaml')).mode & 0o777, 0o600);
    const gen = spawnSync('netplan', ['generate', '--root-dir', dir], { encoding: 'utf8' });
    assert.equal(gen.status, 0, gen.stderr);
    const eth1 = readdirSync(join(dir, 'run/systemd/network')).find((n) => n.endsWith('-eth1.network'))!;
    const net = readFileSync(join(dir, 'run/systemd/network', eth1), 'utf8');
    for (const ip of secondary.ips) assert.match(net, new RegExp(`From=${ip}\\nTable=1001`));
  });

  test('guest render: --format nm-keyfile on rhel:9 writes 0600 keyfiles', () => {
    const dir = root();
    const r = render(dir, '--distro', 'rhel:9.2', '--format', 'nm-keyfile');
    assert.equal(r.status, 0, r.stderr);
    const keyfile = join(dir, 'etc/NetworkManager/system-connections/eniplane-eth1.nmconnection');
    assert.equal(statSync(keyfile).mode & 0o777, 0o600);
    assert.match(readFileSync(keyfile, 'utf8'), new RegExp(`^routing-rule3=priority 1001 from ${secondary.ips[2]} table 1001$`, 'm'));
  });

  test('guest render: a second render keeps the remembered indexes and rewrites files in place', () => {
    const dir = root();
    assert.equal(render(dir, '--distro', 'debian:11').status, 0);
    const first = readFileSync(join(dir, 'etc/network/interfaces'), 'utf8');
    const again = render(dir, '--distro', 'debian:11');
    assert.equal(again.status, 0, again.stderr);
    assert.equal(readFileSync(join(dir, 'etc/network/interfaces'), 'utf8'), first);
    assert.ok(!files(dir).some((f) => f.includes('eniplane-tmp')), 'no temporary files left');
  });

  test('guest render: bad input exits non-zero with a clear message and leaves the directory empty', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const s = createServer().listen(0, '127.0.0.1', () => {
        const port = (s.address() as { port: number }).port;
        s.close(() => resolve(port));
      });
    });
    const cases: [string[], RegExp][] = [
      [['--distro', 'plan9:4'], /unknown distro "plan9:4".*known: .*ubuntu:22\.04/],
      [['--distro', 'ubuntu:16.04', '--format', 'netplan'], /format netplan is not offered for ubuntu:16\.04/],
      [['--instance', 'i-bp1doesnotexist00000'], /knows no instance i-bp1doesnotexist00000/],
      [['--metadata', `http://127.0.0.1:${closedPort}`], /metadata service unreachable at http:\/\/127\.0\.0\.1:\d+/],
      [['--metadata-token', 'sometimes'], /--metadata-token must be one of auto, required, off/],
    ];
    for (const [extra, message] of cases) {
      const dir = root();
      // Later options win with commander, so a case's --instance/--metadata replace the good ones.
      const r = render(dir, ...extra);
      assert.notEqual(r.status, 0, `${extra.join(' ')} should fail`);
      assert.match(r.stderr, message, extra.join(' '));
      assert.ok(!/\n\s+at /.test(r.stderr), `no stack trace: ${r.stderr}`);
      assert.deepEqual(readdirSync(dir), [], `${extra.join(' ')} left files behind`);
    }
  });

  test('guest render: hot-plug and detach keep every other ENI on its index; files of the gone ENI and old format are removed', async () => {
    const dir = root();
    assert.equal(render(dir).status, 0); // alinux:3: ifcfg files for eth0, eth1
    const status = (id: string) =>
      ecs.describeNetworkInterfaceAttribute(new $Ecs.DescribeNetworkInterfaceAttributeRequest({ regionId, networkInterfaceId: id })).then((r) => r.body!);
    const thirdId = (await ecs.createNetworkInterface(new $Ecs.CreateNetworkInterfaceRequest({ regionId, ...net }))).body!.networkInterfaceId!;
    await ecs.attachNetworkInterface(new $Ecs.AttachNetworkInterfaceRequest({ regionId, instanceId, networkInterfaceId: thirdId }));
    await pollUntil(async () => (await status(thirdId)).status, 'InUse');
    const thirdMac = (await status(thirdId)).macAddress!;
    const second = render(dir);
    assert.equal(second.status, 0, second.stderr);
    assert.match(readFileSync(join(dir, 'etc/sysconfig/network-scripts/ifcfg-eth2'), 'utf8'), new RegExp(`^HWADDR=${thirdMac}$`, 'm'));

    await ecs.detachNetworkInterface(new $Ecs.DetachNetworkInterfaceRequest({ regionId, instanceId, networkInterfaceId: secondary.id }));
    await pollUntil(async () => (await status(secondary.id)).status, 'Available');
    const r = render(dir, '--distro', 'ubuntu:22.04');
    assert.equal(r.status, 0, r.stderr);
    const indexes = JSON.parse(readFileSync(join(dir, 'var/lib/eniplane-guest/nic-index.json'), 'utf8')).indexes;
    assert.deepEqual(indexes, { [primary.mac]: 0, [thirdMac]: 2 }, 'the third ENI stays eth2 (table 1002) after eth1 left');
    const yaml = readFileSync(join(dir, 'etc/netplan/90-eniplane.yaml'), 'utf8');
    assert.match(yaml, new RegExp(`eth2:\\n\\s+match:\\n\\s+macaddress: "${thirdMac}"`));
    assert.match(yaml, /table: 1002/);
    assert.ok(!yaml.includes(secondary.mac) && !/eth1:/.test(yaml));
    assert.match(r.stdout, /removed .*ifcfg-eth1:1/);
    assert.ok(!files(dir).some((f) => f.startsWith('etc/sysconfig/')), `old ifcfg files left: ${files(dir).join(', ')}`);
  });

  test('guest render: a target that cannot be written leaves nothing half-written', () => {
    const dir = root();
    // A file where a directory must go: the netplan file is staged first, then etc/sysctl.d fails.
    mkdirSync(join(dir, 'etc'));
    writeFileSync(join(dir, 'etc/sysctl.d'), 'in the way\n');
    const r = render(dir, '--distro', 'ubuntu:22.04');
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /writing under .* failed, nothing was changed: .*etc\/sysctl\.d is not a directory/);
    assert.deepEqual(files(dir), ['etc/sysctl.d'], 'the staged netplan file and its directory are gone');
    assert.ok(!existsSync(join(dir, 'etc/netplan')));
  });
});

describe('eniplane guest render of a dual-stack instance against a real server', () => {
  let server: RunningServer;
  const dirs: string[] = [];
  before(async () => {
    server = await startServer();
  });
  after(async () => {
    await server?.dispose();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  test('guest render --distro ubuntu:22.04: the IPv6 addresses, the IPv6 default route in the secondary table, v6 rules and prefix rules', async () => {
    const ecs = ecsClient(server);
    const vpc = vpcClient(server);
    const vpcId = (await vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId, cidrBlock: '10.8.0.0/16', enableIpv6: true }))).body!.vpcId!;
    const vSwitchId = (await vpc.createVSwitch(new $Vpc.CreateVSwitchRequest({ regionId, vpcId, zoneId, cidrBlock: '10.8.1.0/24', ipv6CidrBlock: 2 }))).body!
      .vSwitchId!;
    const block64 = (await vpc.describeVSwitches(new $Vpc.DescribeVSwitchesRequest({ regionId, vSwitchId }))).body!.vSwitches!.vSwitch![0]!.ipv6CidrBlock!;
    const securityGroupId = (await ecs.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ regionId, vpcId }))).body!.securityGroupId!;
    const instanceId = (
      await ecs.runInstances(
        new $Ecs.RunInstancesRequest({ regionId, instanceType: 'ecs.g7.large', imageId: IMAGE, vSwitchId, securityGroupId, ipv6AddressCount: 1 }),
      )
    ).body!.instanceIdSets!.instanceIdSet![0]!;
    const eni = (
      await ecs.createNetworkInterface(
        new $Ecs.CreateNetworkInterfaceRequest({ regionId, vSwitchId, securityGroupId, ipv6AddressCount: 2, ipv6PrefixCount: 1, ipv4PrefixCount: 1 }),
      )
    ).body!;
    await ecs.attachNetworkInterface(new $Ecs.AttachNetworkInterfaceRequest({ regionId, instanceId, networkInterfaceId: eni.networkInterfaceId }));
    const dir = mkdtempSync(join(tmpdir(), 'eniplane-render-v6-'));
    dirs.push(dir);
    const r = runCli(['guest', 'render', '--instance', instanceId, '--metadata', server.metadataUrl, '--root', dir, '--distro', 'ubuntu:22.04']);
    assert.equal(r.status, 0, r.stderr);
    const yaml = readFileSync(join(dir, 'etc/netplan/90-eniplane.yaml'), 'utf8');
    const gateway = block64.replace(/::\/64$/, ':ffff:ffff:ffff:fff7');
    for (const s of eni.ipv6Sets!.ipv6Set!) assert.ok(yaml.includes(`${s.ipv6Address}/64`), `${s.ipv6Address}/64 in\n${yaml}`);
    assert.ok(yaml.includes(gateway), `the IPv6 gateway ${gateway} in\n${yaml}`);
    assert.ok(yaml.includes(eni.ipv6PrefixSets!.ipv6PrefixSet![0]!.ipv6Prefix!), 'a rule for the /80 prefix');
    assert.ok(yaml.includes(eni.ipv4PrefixSets!.ipv4PrefixSet![0]!.ipv4Prefix!), 'a rule for the /28 prefix');
  });
});

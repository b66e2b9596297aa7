/**
 * `npm run bench:dataplane [-- OPTIONS]` (root, Linux): the netns data plane (issue 15).
 *
 * Seeds, in-process on SQLite (harness/in-process.ts), N running `ecs.g7.xlarge` instances with
 * 4 ENIs each (the primary and 3 attached secondaries) in one VPC, then runs `eniplane serve
 * --dataplane netns` on it, with its own namespace prefix (`bdp-`). Measured:
 *
 *  - **cold**: the first reconciler pass on a machine with none of it (the pass's own `ms` and
 *    command count, from the server's log). Same-run reference: one `ip` command's cost, measured
 *    here; the floor of a pass that spawns one process per command is commands × that cost.
 *  - **restart**: the server stopped and started again with nothing changed: its first pass must
 *    run no command (adopt what exists); its time against the cold pass.
 *  - **memory and kernel objects per ENI**: MemAvailable and Slab (/proc/meminfo) before the cold
 *    pass and after it, over the ENIs realized; namespaces, links, routes, neighbors, nft rules.
 *  - **attach**: `--rounds` times, an ENI attached to a running instance (InUse at once: delays
 *    none) → its interface in the instance's namespace (polled every 5 ms); then `eniplane guest
 *    apply` in the namespace, and the first TCP connection to the ENI's address from another
 *    instance (a prober process already running in that instance's namespace, so no process start
 *    is timed). Same-run reference: the reconciler interval.
 *
 * Options: --instances 100  --rounds 10  --interval 250  --deadline 900  --out FILE
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import * as $Ecs from '@alicloud/ecs20140526';
import { migrateToLatest, openStore, sqliteFileIn } from '../src/store/db.ts';
import { ecsClient } from '../test/helpers/clients.ts';
import type { RunningServer } from '../test/helpers/server.ts';
import { commandLine, positive, ROOT } from './harness/cli.ts';
import { inProcessApi } from './harness/in-process.ts';
import { describeMachine, fmt, machine, markdownTable, writeReport } from './harness/report.ts';
import { installDeadline, runMain, startEniplane, track, type Server } from './harness/server.ts';
import { median } from './harness/stats.ts';

const REGION = 'cn-hangzhou';
const ZONE = 'cn-hangzhou-i';
const ECS_VERSION = '2014-05-26';
const VPC_VERSION = '2016-04-28';
const IMAGE = 'aliyun_3_x64_20G_alibase_20240819.vhd';
const TYPE = 'ecs.g7.xlarge'; // 4 ENIs, hot-plug
const PREFIX = 'bdp-';
const BIN = join(ROOT, 'bin/eniplane.js');

process.env.ENIPLANE_DATAPLANE_PREFIX = PREFIX;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function ip(args: string[]): string {
  const r = spawnSync('ip', args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`ip ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}
const ipJson = <T>(args: string[]): T => JSON.parse(ip(['-j', ...args]) || '[]') as T;
const ownNamespaces = () =>
  ipJson<{ name: string }[]>(['netns', 'list'])
    .map((n) => n.name)
    .filter((n) => n.startsWith(PREFIX));

function meminfo(): { availableKiB: number; slabKiB: number } {
  const text = readFileSync('/proc/meminfo', 'utf8');
  const kib = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text)?.[1] ?? NaN);
  return { availableKiB: kib('MemAvailable'), slabKiB: kib('Slab') };
}

interface Seeded {
  dir: string;
  key: { accessKeyId: string; accessKeySecret: string };
  vswitchId: string;
  securityGroupId: string;
  enis: number;
  seconds: number;
}

async function seed(instances: number): Promise<Seeded> {
  const started = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'eniplane-bench-dataplane-'));
  const store = await openStore({ kind: 'sqlite', file: sqliteFileIn(dir) });
  try {
    await migrateToLatest(store);
    const api = inProcessApi(store, { quotas: { enisPerRegion: instances * 4 + 100 } });
    const account = await api.createAccount('dataplane-bench');
    const call = (action: string, version: string, params: Record<string, string>) =>
      api.call(account.accountId, action, version, { RegionId: REGION, ...params });
    const vpcId = (await call('CreateVpc', VPC_VERSION, { CidrBlock: '10.0.0.0/8' })).VpcId as string;
    const vswitchId = (await call('CreateVSwitch', VPC_VERSION, { VpcId: vpcId, ZoneId: ZONE, CidrBlock: '10.1.0.0/18' })).VSwitchId as string;
    // A basic group: its members reach each other (the attach rounds' prober needs that); it holds 2,000 addresses.
    const securityGroupId = (await call('CreateSecurityGroup', ECS_VERSION, { VpcId: vpcId })).SecurityGroupId as string;
    let next = 0;
    const worker = async () => {
      while (next < instances) {
        next++;
        const run = await call('RunInstances', ECS_VERSION, { InstanceType: TYPE, ImageId: IMAGE, VSwitchId: vswitchId, SecurityGroupId: securityGroupId });
        const instanceId = (run.InstanceIdSets as { InstanceIdSet: string[] }).InstanceIdSet[0]!;
        for (let k = 0; k < 3; k++) {
          const eni = (await call('CreateNetworkInterface', ECS_VERSION, { VSwitchId: vswitchId, 'SecurityGroupIds.1': securityGroupId }))
            .NetworkInterfaceId as string;
          await call('AttachNetworkInterface', ECS_VERSION, { InstanceId: instanceId, NetworkInterfaceId: eni });
        }
      }
    };
    await Promise.all(Array.from({ length: 4 }, worker));
    return {
      dir,
      key: { accessKeyId: account.accessKeyId, accessKeySecret: account.accessKeySecret },
      vswitchId,
      securityGroupId,
      enis: instances * 4,
      seconds: (Date.now() - started) / 1000,
    };
  } finally {
    await store.close();
  }
}

interface FirstPass {
  commands: number;
  failed: number;
  ms: number;
  /** From the spawn of `serve` to the log line of its first pass. */
  sinceStartMs: number;
}

async function serveDataplane(seeded: Seeded, intervalMs: number): Promise<{ server: Server; first: FirstPass }> {
  const t0 = performance.now();
  const server = await startEniplane({
    name: 'eniplane --dataplane netns',
    storeArgs: ['--data-dir', seeded.dir],
    // The seed's ENI count, raised in the server too (the attach rounds create more).
    extraArgs: ['--dataplane', 'netns', '--dataplane-interval', String(intervalMs), '--quotas', `max-elastic-network-interfaces=${seeded.enis + 100}`],
    logLevel: 'info',
  });
  const pattern = /"commands":(\d+),"failed":(\d+),"ms":(\d+),"msg":"dataplane: first pass done"/;
  for (;;) {
    const m = pattern.exec(server.output());
    if (m) return { server, first: { commands: Number(m[1]), failed: Number(m[2]), ms: Number(m[3]), sinceStartMs: performance.now() - t0 } };
    await sleep(20);
  }
}

/** The kernel objects the data plane made, counted. */
function kernelObjects(): Record<string, number> {
  const namespaces = ownNamespaces();
  const routers = namespaces.filter((n) => n.startsWith(`${PREFIX}vpc-`));
  const count = { namespaces: namespaces.length, links: 0, routes: 0, neighbors: 0, nftRules: 0 };
  for (const ns of namespaces) count.links += ipJson<unknown[]>(['-n', ns, 'link', 'show']).filter((l) => (l as { ifname: string }).ifname !== 'lo').length;
  for (const ns of routers) {
    count.routes += ipJson<unknown[]>(['-n', ns, '-4', 'route', 'show']).length;
    count.neighbors += ipJson<unknown[]>(['-n', ns, '-4', 'neigh', 'show', 'nud', 'permanent']).length;
    const r = spawnSync('ip', ['netns', 'exec', ns, 'nft', '-j', 'list', 'ruleset'], { encoding: 'utf8' });
    if (r.status === 0) count.nftRules += (JSON.parse(r.stdout) as { nftables: object[] }).nftables.filter((o) => 'rule' in o).length;
  }
  return count;
}

/** One `ip` command, as the reconciler runs each: the same-run reference for a pass's floor. */
async function oneIpCommandMs(ns: string, samples = 30): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < samples; i++) {
    const t0 = performance.now();
    await new Promise<void>((resolve, reject) => {
      const child = spawn('ip', ['-n', ns, 'link', 'set', 'lo', 'up'], { stdio: 'ignore' });
      child.on('error', reject);
      child.on('close', () => resolve());
    });
    times.push(performance.now() - t0);
  }
  return median(times);
}

/** A TCP prober living in an instance's namespace: "ip port" in, "ok"/"fail" out (refused = reached). */
function startProber(ns: string): { probe(ipAddress: string): Promise<boolean>; stop(): void } {
  const script = `const net=require('net');require('readline').createInterface({input:process.stdin}).on('line',(l)=>{const [h,p]=l.split(' ');
const s=net.connect({host:h,port:Number(p),timeout:200});const done=(r)=>{s.destroy();console.log(r)};
s.on('connect',()=>done('ok'));s.on('error',(e)=>done(e.code==='ECONNREFUSED'?'ok':'fail'));s.on('timeout',()=>done('fail'));});`;
  const child = spawn('ip', ['netns', 'exec', ns, process.execPath, '-e', script], { stdio: ['pipe', 'pipe', 'inherit'] });
  track(child);
  const answers: ((line: string) => void)[] = [];
  createInterface({ input: child.stdout }).on('line', (line) => answers.shift()?.(line));
  return {
    probe(ipAddress) {
      return new Promise((resolve) => {
        answers.push((line) => resolve(line === 'ok'));
        child.stdin.write(`${ipAddress} 9\n`);
      });
    },
    stop: () => child.kill(),
  };
}

interface AttachSample {
  linkMs: number;
  applyMs: number;
  packetMs: number;
  totalMs: number;
}

async function attachRounds(server: Server, seeded: Seeded, rounds: number): Promise<AttachSample[]> {
  const ecs = ecsClient({ endpoint: `127.0.0.1:${server.port}` } as RunningServer, { key: seeded.key });
  const metadataUrl = /metadata listening on (http:\/\/\S+)/.exec(server.output())![1]!;
  const launch = async () =>
    (
      await ecs.runInstances(
        new $Ecs.RunInstancesRequest({
          regionId: REGION,
          instanceType: TYPE,
          imageId: IMAGE,
          vSwitchId: seeded.vswitchId,
          securityGroupId: seeded.securityGroupId,
        }),
      )
    ).body!.instanceIdSets!.instanceIdSet![0]!;
  const target = await launch();
  const prober = await launch();
  const targetNs = `${PREFIX}${target}`;
  // Both instances' primary NICs up before anything is timed.
  for (const ns of [targetNs, `${PREFIX}${prober}`]) {
    while (
      !ownNamespaces().includes(ns) ||
      !ipJson<{ ifname: string; flags: string[] }[]>(['-n', ns, 'link', 'show']).some((l) => l.ifname === 'eth0' && l.flags.includes('UP'))
    )
      await sleep(20);
  }
  const probe = startProber(`${PREFIX}${prober}`);
  const stateDir = mkdtempSync(join(tmpdir(), 'eniplane-bench-guest-'));
  const samples: AttachSample[] = [];
  try {
    for (let round = 0; round < rounds; round++) {
      const eniId = (
        await ecs.createNetworkInterface(
          new $Ecs.CreateNetworkInterfaceRequest({ regionId: REGION, vSwitchId: seeded.vswitchId, securityGroupId: seeded.securityGroupId }),
        )
      ).body!.networkInterfaceId!;
      await ecs.attachNetworkInterface(new $Ecs.AttachNetworkInterfaceRequest({ regionId: REGION, instanceId: target, networkInterfaceId: eniId }));
      const eni = (
        await ecs.describeNetworkInterfaceAttribute(new $Ecs.DescribeNetworkInterfaceAttributeRequest({ regionId: REGION, networkInterfaceId: eniId }))
      ).body!;
      if (eni.status !== 'InUse') throw new Error(`${eniId} is ${eni.status}, not InUse`);
      const t0 = performance.now();
      const mac = eni.macAddress!.toLowerCase();
      while (!ipJson<{ address: string }[]>(['-n', targetNs, 'link', 'show']).some((l) => l.address === mac)) await sleep(5);
      const linkMs = performance.now() - t0;
      const a0 = performance.now();
      const apply = spawnSync(
        process.execPath,
        [BIN, 'guest', 'apply', '--netns', targetNs, '--instance', target, '--metadata', metadataUrl, '--state-dir', stateDir, '--wait-seconds', '5'],
        { encoding: 'utf8' },
      );
      if (apply.status !== 0) throw new Error(`guest apply: ${apply.stderr}`);
      const applyMs = performance.now() - a0;
      const p0 = performance.now();
      while (!(await probe.probe(eni.privateIpAddress!))) if (performance.now() - p0 > 10_000) throw new Error(`${eni.privateIpAddress} never answered`);
      const packetMs = performance.now() - p0;
      samples.push({ linkMs, applyMs, packetMs, totalMs: performance.now() - t0 });
      console.log(`  round ${round + 1}: link ${fmt(linkMs)} ms, guest apply ${fmt(applyMs)} ms, first packet ${fmt(packetMs, 1)} ms after it`);
      await ecs.detachNetworkInterface(new $Ecs.DetachNetworkInterfaceRequest({ regionId: REGION, instanceId: target, networkInterfaceId: eniId }));
      while (ipJson<{ address: string }[]>(['-n', targetNs, 'link', 'show']).some((l) => l.address === mac)) await sleep(10);
      await ecs.deleteNetworkInterface(new $Ecs.DeleteNetworkInterfaceRequest({ regionId: REGION, networkInterfaceId: eniId }));
    }
  } finally {
    probe.stop();
    rmSync(stateDir, { recursive: true, force: true });
  }
  return samples;
}

async function main() {
  const { values } = parseArgs({
    options: {
      instances: { type: 'string', default: '100' },
      rounds: { type: 'string', default: '10' },
      interval: { type: 'string', default: '250' },
      deadline: { type: 'string', default: '900' },
      out: { type: 'string', default: 'bench/results/dataplane.json' },
    },
  });
  if (process.getuid?.() !== 0) throw new Error('bench:dataplane needs root (network namespaces)');
  const instances = positive('instances', values.instances);
  const rounds = positive('rounds', values.rounds);
  const intervalMs = positive('interval', values.interval);
  installDeadline(positive('deadline', values.deadline) * 1000, 'bench:dataplane');
  const host = machine();
  console.log(`bench:dataplane on ${describeMachine(host)}`);
  const down = () => spawnSync(process.execPath, [BIN, 'dataplane', 'down'], { stdio: 'ignore' });
  down();

  console.log(`seeding ${instances} instances with 4 ENIs each…`);
  const seeded = await seed(instances);
  console.log(`  seeded in ${fmt(seeded.seconds, 1)} s`);
  let server: Server | undefined;
  try {
    const before = meminfo();
    const cold = await serveDataplane(seeded, intervalMs);
    server = cold.server;
    if (cold.first.failed > 0) throw new Error(`the cold pass had ${cold.first.failed} failed commands:\n${server.output()}`);
    await sleep(1000); // let the kernel settle its deferred frees before reading memory
    const after = meminfo();
    const objects = kernelObjects();
    const ipMs = await oneIpCommandMs(
      `${PREFIX}${ownNamespaces()
        .find((n) => n.startsWith(`${PREFIX}vpc-`))!
        .slice(PREFIX.length)}`,
    );
    console.log(`  cold: ${cold.first.commands} commands in ${fmt(cold.first.ms)} ms; one ip command ${fmt(ipMs, 2)} ms`);
    await server.stop();

    const restart = await serveDataplane(seeded, intervalMs);
    server = restart.server;
    console.log(`  restart: ${restart.first.commands} commands in ${fmt(restart.first.ms)} ms`);

    const attach = await attachRounds(server, seeded, rounds);
    const pick = (k: keyof AttachSample) => median(attach.map((s) => s[k]));
    const perEni = (n: number) => fmt(n / seeded.enis, 2);
    const memoryKiB = before.availableKiB - after.availableKiB;
    const slabKiB = after.slabKiB - before.slabKiB;
    const floorMs = cold.first.commands * ipMs;

    const reconcileTable = markdownTable(
      ['pass', 'commands:', 'ms:', 'reference:', 'ratio:'],
      [
        [
          `cold: ${instances} instances × 4 ENIs from nothing`,
          cold.first.commands,
          fmt(cold.first.ms),
          `commands × one ip command (${fmt(ipMs, 2)} ms)`,
          fmt(cold.first.ms / floorMs, 2),
        ],
        ['restart, nothing changed', restart.first.commands, fmt(restart.first.ms), 'the cold pass', fmt(restart.first.ms / cold.first.ms, 3)],
      ],
    );
    const attachTable = markdownTable(
      ['from InUse to', `median ms (${rounds} rounds):`, 'min–max ms:', `÷ interval (${intervalMs} ms):`],
      (
        [
          ['the interface in the namespace', 'linkMs'],
          ['`guest apply` done (its own run time)', 'applyMs'],
          ['the first packet after `guest apply` (prober already running)', 'packetMs'],
          ['all of it: a hot-plugged ENI carrying traffic', 'totalMs'],
        ] as const
      ).map(([what, k]) => [
        what,
        fmt(pick(k), 1),
        `${fmt(Math.min(...attach.map((s) => s[k])), 1)}–${fmt(Math.max(...attach.map((s) => s[k])), 1)}`,
        fmt(pick(k) / intervalMs, 2),
      ]),
    );
    const objectsTable = markdownTable(
      ['what', `total (${seeded.enis} ENIs, ${instances} instances):`, 'per ENI:'],
      [
        ['memory (MemAvailable drop), KiB', fmt(memoryKiB), perEni(memoryKiB)],
        ['of it slab, KiB', fmt(slabKiB), perEni(slabKiB)],
        ['namespaces', objects.namespaces!, perEni(objects.namespaces!)],
        ['links (veth ends, lo excluded)', objects.links!, perEni(objects.links!)],
        ['router routes', objects.routes!, perEni(objects.routes!)],
        ['router permanent neighbors', objects.neighbors!, perEni(objects.neighbors!)],
        ['nftables rules', objects.nftRules!, perEni(objects.nftRules!)],
      ],
    );
    console.log(`\n${reconcileTable}\n\n${attachTable}\n\n${objectsTable}\n`);
    writeReport(values.out, {
      command: commandLine('bench:dataplane'),
      machine: host,
      instances,
      enis: seeded.enis,
      intervalMs,
      cold: cold.first,
      restart: restart.first,
      oneIpCommandMs: ipMs,
      attach,
      memory: { before, after, memoryKiB, slabKiB },
      objects,
      tables: { reconcileTable, attachTable, objectsTable },
    });
  } finally {
    await server?.stop();
    down();
    rmSync(seeded.dir, { recursive: true, force: true });
  }
}

runMain('bench:dataplane', main);

/**
 * The seeds' scenario with real packets (Linux, root): against an eniplane started with
 * `--dataplane netns`, the official SDKs create a VPC, a service instance, a standby and a client,
 * then do what "Create and use an ENI" describes:
 *
 *   1. create a secondary ENI with a secondary private IP and bind it to the running service
 *      instance (hot-plug); "Step 1" inside the instance: `ip a` shows the new NIC, with the ENI's
 *      MAC, down and unconfigured (`eniplane dataplane exec`);
 *   2. configure it as the guest tool does (`eniplane guest apply --netns`, reading the metadata)
 *      and serve on the ENI's address: the client connects;
 *   3. failover: the service instance is stopped, the ENI unbound and bound to the standby,
 *      configured there; the client's next connection to the same address reaches the standby.
 *
 *   sudo ENIPLANE_ENDPOINT=127.0.0.1:8080 node --import tsx examples/dataplane-seeds.ts
 *
 * Keys: ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET, else .eniplane/credentials.json.
 * ENIPLANE_METADATA: the metadata listener (default http://127.0.0.1:8081). The namespaces are
 * the server's (`ep-<instance-id>`, or ENIPLANE_DATAPLANE_PREFIX). Asynchronous states are polled,
 * so any --delays works.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as EcsSdk from '@alicloud/ecs20140526';
import type * as VpcSdk from '@alicloud/vpc20160428';

// The SDKs are CommonJS with `exports.default`.
const require = createRequire(import.meta.url);
const Ecs = require('@alicloud/ecs20140526') as typeof EcsSdk;
const Vpc = require('@alicloud/vpc20160428') as typeof VpcSdk;
const { Config } = require('@alicloud/openapi-core').$OpenApiUtil as typeof import('@alicloud/openapi-core').$OpenApiUtil;

const ENIPLANE = fileURLToPath(new URL('../bin/eniplane.js', import.meta.url));
const endpoint = process.env.ENIPLANE_ENDPOINT ?? '127.0.0.1:8080';
const metadata = process.env.ENIPLANE_METADATA ?? 'http://127.0.0.1:8081';
const prefix = process.env.ENIPLANE_DATAPLANE_PREFIX || 'ep-';
const regionId = 'cn-hangzhou';
const zoneId = 'cn-hangzhou-i';
const imageId = 'aliyun_3_x64_20G_alibase_20240819.vhd';
const SERVICE_PORT = 8000;

function credentials(): { accessKeyId: string; accessKeySecret: string } {
  if (process.env.ALIBABA_CLOUD_ACCESS_KEY_ID) {
    return { accessKeyId: process.env.ALIBABA_CLOUD_ACCESS_KEY_ID, accessKeySecret: process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET ?? '' };
  }
  return JSON.parse(readFileSync(process.env.ENIPLANE_CREDENTIALS ?? '.eniplane/credentials.json', 'utf8')) as { accessKeyId: string; accessKeySecret: string };
}
const config = new Config({ ...credentials(), endpoint, protocol: 'http', regionId });
const ecs = new Ecs.default(config);
const vpc = new Vpc.default(config);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, read: () => Promise<T> | T, ok: (v: T) => boolean, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(v)} after ${ms / 1000} s`);
    await sleep(200);
  }
}

/** `eniplane …` to completion; its output, or an error with it. */
function eniplane(...args: string[]): string {
  const r = spawnSync(process.execPath, [ENIPLANE, ...args], { encoding: 'utf8', timeout: 60_000 });
  if (r.status !== 0) throw new Error(`eniplane ${args.join(' ')}: exit ${r.status}\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

const eniStatus = async (networkInterfaceId: string) =>
  (await ecs.describeNetworkInterfaceAttribute(new Ecs.DescribeNetworkInterfaceAttributeRequest({ regionId, networkInterfaceId }))).body!;
const instanceStatus = async (instanceId: string) =>
  (await ecs.describeInstanceStatus(new Ecs.DescribeInstanceStatusRequest({ regionId, instanceId: [instanceId] }))).body!.instanceStatuses!.instanceStatus![0]!
    .status!;

/**
 * A service in the instance: answers every connection with its instance ID, bound to one address.
 * Started with `ip netns exec` itself (what `dataplane exec` runs), which becomes the service
 * process, so stopping it leaves nothing behind.
 */
function serve(instanceId: string, address: string) {
  const script = `require('net').createServer((s)=>s.end(process.argv[1]+'\\n')).listen(${SERVICE_PORT},process.argv[2],()=>console.log('listening'))`;
  const child = spawn('ip', ['netns', 'exec', `${prefix}${instanceId}`, process.execPath, '-e', script, instanceId, address], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const ready = new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (d: Buffer) => d.toString().includes('listening') && resolve());
    child.once('exit', (code) => reject(new Error(`the service in ${instanceId} exited (${code})`)));
  });
  return { ready, stop: () => child.kill() };
}

/** From the client instance: connect to the service address and read who answered. */
function ask(clientId: string, address: string): string {
  const script = `const s=require('net').connect({host:process.argv[1],port:${SERVICE_PORT},timeout:2000});let b='';
s.on('data',(d)=>b+=d);s.on('end',()=>{console.log(b.trim());process.exit(0)});s.on('error',(e)=>{console.log(e.code);process.exit(1)});
s.on('timeout',()=>{console.log('timeout');process.exit(1)})`;
  const r = spawnSync(process.execPath, [ENIPLANE, 'dataplane', 'exec', clientId, '--', process.execPath, '-e', script, address], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  return r.stdout.trim();
}

async function main() {
  const vpcId = (await vpc.createVpc(new Vpc.CreateVpcRequest({ regionId, cidrBlock: '192.168.0.0/16', vpcName: 'seeds' }))).body!.vpcId!;
  await until(
    'the VPC',
    async () => (await vpc.describeVpcAttribute(new Vpc.DescribeVpcAttributeRequest({ regionId, vpcId }))).body!.status,
    (s) => s === 'Available',
  );
  const vSwitchId = (await vpc.createVSwitch(new Vpc.CreateVSwitchRequest({ regionId, vpcId, zoneId, cidrBlock: '192.168.1.0/24' }))).body!.vSwitchId!;
  await until(
    'the vSwitch',
    async () => (await vpc.describeVSwitchAttributes(new Vpc.DescribeVSwitchAttributesRequest({ regionId, vSwitchId }))).body!.status,
    (s) => s === 'Available',
  );
  // A basic group: its members reach each other.
  const securityGroupId = (await ecs.createSecurityGroup(new Ecs.CreateSecurityGroupRequest({ regionId, vpcId }))).body!.securityGroupId!;
  const launch = async (name: string) => {
    const run = await ecs.runInstances(
      new Ecs.RunInstancesRequest({ regionId, instanceType: 'ecs.g7.large', imageId, vSwitchId, securityGroupId, instanceName: name }),
    );
    const id = run.body!.instanceIdSets!.instanceIdSet![0]!;
    await until(
      `${name} running`,
      () => instanceStatus(id),
      (s) => s === 'Running',
    );
    return id;
  };
  const service = await launch('service');
  const standby = await launch('standby');
  const client = await launch('client');
  console.log(`instances: service ${service}, standby ${standby}, client ${client}`);

  // 1. A secondary ENI with one secondary private IP, bound to the running service instance.
  const eniId = (
    await ecs.createNetworkInterface(
      new Ecs.CreateNetworkInterfaceRequest({ regionId, vSwitchId, securityGroupId, secondaryPrivateIpAddressCount: 1, networkInterfaceName: 'service-eni' }),
    )
  ).body!.networkInterfaceId!;
  await ecs.attachNetworkInterface(new Ecs.AttachNetworkInterfaceRequest({ regionId, instanceId: service, networkInterfaceId: eniId }));
  const eni = await until(
    'the ENI bound',
    () => eniStatus(eniId),
    (e) => e.status === 'InUse',
  );
  const mac = eni.macAddress!;
  const address = eni.privateIpAddress!;
  const ipA = await until(
    'the NIC in the instance',
    () => eniplane('dataplane', 'exec', service, '--', 'ip', 'a'),
    (out) => out.includes(mac),
  );
  console.log(`ENI ${eniId} (${mac}, ${address}) bound to ${service}; inside it, \`ip a\` shows:\n${ipA}`);

  // 2. The guest configures it from the metadata, then a service listens on the ENI's address.
  const stateDir = mkdtempSync(join(tmpdir(), 'eniplane-seeds-'));
  try {
    const apply = (instanceId: string) =>
      eniplane(
        'guest',
        'apply',
        '--netns',
        `${prefix}${instanceId}`,
        '--instance',
        instanceId,
        '--metadata',
        metadata,
        '--state-dir',
        join(stateDir, instanceId),
      );
    apply(service);
    const first = serve(service, address);
    await first.ready;
    console.log(`the client asks ${address}:${SERVICE_PORT}: answered by ${ask(client, address)}`);

    // 3. Failover: the service instance stops; its ENI moves to the standby with MAC and addresses.
    await ecs.stopInstance(new Ecs.StopInstanceRequest({ regionId, instanceId: service }));
    await until(
      'the service instance stopped',
      () => instanceStatus(service),
      (s) => s === 'Stopped',
    );
    first.stop();
    console.log(`the service instance is stopped: the client asks ${address}: ${ask(client, address)}`);
    await ecs.detachNetworkInterface(new Ecs.DetachNetworkInterfaceRequest({ regionId, instanceId: service, networkInterfaceId: eniId }));
    await until(
      'the ENI unbound',
      () => eniStatus(eniId),
      (e) => e.status === 'Available',
    );
    await ecs.attachNetworkInterface(new Ecs.AttachNetworkInterfaceRequest({ regionId, instanceId: standby, networkInterfaceId: eniId }));
    await until(
      'the ENI bound to the standby',
      () => eniStatus(eniId),
      (e) => e.status === 'InUse',
    );
    await until(
      'the NIC in the standby',
      () => eniplane('dataplane', 'exec', standby, '--', 'ip', 'link'),
      (out) => out.includes(mac),
    );
    apply(standby);
    const second = serve(standby, address);
    await second.ready;
    console.log(`failover done: the client asks ${address}:${SERVICE_PORT}: answered by ${ask(client, address)}`);
    second.stop();
  } finally {
    rmSync(stateDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);

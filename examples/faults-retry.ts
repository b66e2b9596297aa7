/**
 * A client's retry paths, driven by injected faults, with the official SDKs against a running
 * eniplane (README "Fault injection"):
 *
 *   1. ResetAccount: the account starts empty, as a test suite's setup would have it;
 *   2. AddFault: CreateNetworkInterface answers ServiceUnavailable (503) twice; the client's
 *      retry loop (backoff, the same ClientToken on every attempt) gets one ENI on the third try;
 *   3. AddFault AsyncResult=Fail: the attach is accepted but ends back in Available (as a real
 *      attach can); the client's wait loop sees it and attaches again, which ends InUse;
 *   4. ListFaults shows what each rule matched and answered; ClearFaults removes them.
 *
 *   ENIPLANE_ENDPOINT=127.0.0.1:8080 node --import tsx examples/faults-retry.ts
 *
 * Keys: ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET, else .eniplane/credentials.json.
 * eniplane's own actions (AddFault, ResetAccount...) are product Eniplane, Version 2026-12-01:
 * any generic client reaches them, here @alicloud/pop-core. It resets the account it runs as.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type * as EcsSdk from '@alicloud/ecs20140526';
import type * as VpcSdk from '@alicloud/vpc20160428';
import type RPCClientType from '@alicloud/pop-core';

const require = createRequire(import.meta.url);
const Ecs = require('@alicloud/ecs20140526') as typeof EcsSdk;
const Vpc = require('@alicloud/vpc20160428') as typeof VpcSdk;
const RPCClient = require('@alicloud/pop-core') as typeof RPCClientType;
const { Config } = require('@alicloud/openapi-core').$OpenApiUtil as typeof import('@alicloud/openapi-core').$OpenApiUtil;

function credentials(): { accessKeyId: string; accessKeySecret: string } {
  if (process.env.ALIBABA_CLOUD_ACCESS_KEY_ID) {
    return { accessKeyId: process.env.ALIBABA_CLOUD_ACCESS_KEY_ID, accessKeySecret: process.env.ALIBABA_CLOUD_ACCESS_KEY_SECRET ?? '' };
  }
  const file = JSON.parse(readFileSync(process.env.ENIPLANE_CREDENTIALS ?? '.eniplane/credentials.json', 'utf8')) as {
    accessKeyId: string;
    accessKeySecret: string;
  };
  return { accessKeyId: file.accessKeyId, accessKeySecret: file.accessKeySecret };
}

const regionId = 'cn-hangzhou';
const zoneId = 'cn-hangzhou-i';
const endpoint = process.env.ENIPLANE_ENDPOINT ?? '127.0.0.1:8080';
const config = new Config({ ...credentials(), endpoint, protocol: 'http', regionId });
const ecs = new (Ecs.default as unknown as typeof EcsSdk.default.default)(config);
const vpc = new (Vpc.default as unknown as typeof VpcSdk.default.default)(config);
/** eniplane's own API: faults and reset. */
const eniplane = new RPCClient({ ...credentials(), endpoint: `http://${endpoint}`, apiVersion: '2026-12-01' });

/** Codes a client should retry: temporary failures and conflicts, as the cloud's SDK guides say. */
const RETRYABLE = new Set(['ServiceUnavailable', 'InternalError', 'Throttling', 'Throttling.User', 'Operation.Conflict', 'OperationConflict']);

/** The client under test: retries retryable codes with exponential backoff, at most `attempts` times. */
async function withRetries<T>(what: string, call: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      const code = (err as { code?: string }).code ?? '';
      if (!RETRYABLE.has(code) || attempt >= attempts) throw err;
      const backoff = 50 * 2 ** (attempt - 1);
      console.log(`  ${what}: attempt ${attempt} answered ${code} (HTTP ${(err as { statusCode?: number }).statusCode}); retrying in ${backoff} ms`);
      await new Promise((r) => setTimeout(r, backoff));
    }
  }
}

async function eniStatus(networkInterfaceId: string) {
  const res = await ecs.describeNetworkInterfaces(new Ecs.DescribeNetworkInterfacesRequest({ regionId, networkInterfaceId: [networkInterfaceId] }));
  return res.body!.networkInterfaceSets!.networkInterfaceSet![0]!.status!;
}

/** Waits while the ENI is in `passing` (Attaching...), answering the status it settles in. */
async function settle(networkInterfaceId: string, passing: string): Promise<string> {
  for (let i = 0; i < 600; i++) {
    const status = await eniStatus(networkInterfaceId);
    if (status !== passing) return status;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${networkInterfaceId} still ${passing} after 60 s`);
}

/** The client under test: attaches, waits, and attaches again when the attach ended back in Available (what Terway does). */
async function attachUntilInUse(instanceId: string, networkInterfaceId: string, attempts = 3): Promise<number> {
  for (let attempt = 1; attempt <= attempts; attempt++) {
    await ecs.attachNetworkInterface(new Ecs.AttachNetworkInterfaceRequest({ regionId, instanceId, networkInterfaceId }));
    const status = await settle(networkInterfaceId, 'Attaching');
    if (status === 'InUse') return attempt;
    console.log(`  attach ${attempt} of ${networkInterfaceId} ended in ${status}; attaching again`);
  }
  throw new Error(`${networkInterfaceId} not attached after ${attempts} attempts`);
}

async function waitAvailable(read: () => Promise<string | undefined>) {
  for (let i = 0; i < 600 && (await read()) !== 'Available'; i++) await new Promise((r) => setTimeout(r, 100));
}

async function main() {
  // 1. A clean account: what a test suite's setup (or each test's) does.
  const reset = await eniplane.request<{ Removed: Record<string, number> }>('ResetAccount', {}, { method: 'POST' });
  console.log(
    `ResetAccount: removed ${Object.entries(reset.Removed)
      .map(([k, n]) => `${n} ${k}`)
      .join(', ')}`,
  );

  const vpcId = (await vpc.createVpc(new Vpc.CreateVpcRequest({ regionId, cidrBlock: '192.168.0.0/16' }))).body!.vpcId!;
  await waitAvailable(async () => (await vpc.describeVpcs(new Vpc.DescribeVpcsRequest({ regionId, vpcId }))).body!.vpcs!.vpc![0]!.status);
  const vSwitchId = (await vpc.createVSwitch(new Vpc.CreateVSwitchRequest({ regionId, vpcId, zoneId, cidrBlock: '192.168.1.0/24' }))).body!.vSwitchId!;
  await waitAvailable(
    async () => (await vpc.describeVSwitches(new Vpc.DescribeVSwitchesRequest({ regionId, vSwitchId }))).body!.vSwitches!.vSwitch![0]!.status,
  );
  const securityGroupId = (await ecs.createSecurityGroup(new Ecs.CreateSecurityGroupRequest({ regionId, vpcId }))).body!.securityGroupId!;
  const instanceId = (
    await ecs.runInstances(
      new Ecs.RunInstancesRequest({ regionId, instanceType: 'ecs.g7.large', imageId: 'aliyun_3_x64_20G_alibase_20240819.vhd', vSwitchId, securityGroupId }),
    )
  ).body!.instanceIdSets!.instanceIdSet![0]!;
  // RunInstances answers at once; the instance is Pending, then Starting, then Running.
  for (let i = 0; i < 600; i++) {
    const res = await ecs.describeInstances(new Ecs.DescribeInstancesRequest({ regionId, instanceIds: JSON.stringify([instanceId]) }));
    if (res.body!.instances!.instance![0]!.status === 'Running') break;
    await new Promise((r) => setTimeout(r, 100));
  }

  // 2. The next two CreateNetworkInterface calls fail with 503: the retry loop, one ClientToken for every attempt.
  await eniplane.request('AddFault', { TargetAction: 'Ecs:CreateNetworkInterface', Code: 'ServiceUnavailable', Count: 2 }, { method: 'POST' });
  const token = `faults-retry-${Date.now()}`;
  const eniId = await withRetries('CreateNetworkInterface', async () => {
    const res = await ecs.createNetworkInterface(
      new Ecs.CreateNetworkInterfaceRequest({ regionId, vSwitchId, securityGroupIds: [securityGroupId], clientToken: token }),
    );
    return res.body!.networkInterfaceId!;
  });
  const all = (await ecs.describeNetworkInterfaces(new Ecs.DescribeNetworkInterfacesRequest({ regionId, vSwitchId, maxResults: 100 }))).body!
    .networkInterfaceSets!.networkInterfaceSet!;
  const secondary = all.filter((e) => e.type === 'Secondary').length;
  console.log(`CreateNetworkInterface: ${eniId} after the retries; the vSwitch holds ${secondary} secondary ENI (the failed attempts made none)`);

  // 3. The next attach of this ENI is accepted but ends back in Available: the wait loop attaches again.
  await eniplane.request('AddFault', { TargetAction: 'Ecs:AttachNetworkInterface', ResourceId: eniId, AsyncResult: 'Fail', Count: 1 }, { method: 'POST' });
  const attempts = await attachUntilInUse(instanceId, eniId);
  console.log(`AttachNetworkInterface: ${eniId} InUse on ${instanceId} after ${attempts} attach(es)`);

  // 4. What each rule did, then none.
  const faults = await eniplane.request<{ Faults: { Fault: { TargetAction: string; MatchedCount: number; InjectedCount: number }[] } }>('ListFaults', {});
  for (const f of faults.Faults.Fault) console.log(`fault ${f.TargetAction}: matched ${f.MatchedCount}, injected ${f.InjectedCount}`);
  const cleared = await eniplane.request<{ RemovedCount: number }>('ClearFaults', {}, { method: 'POST' });
  console.log(`ClearFaults: removed ${cleared.RemovedCount}`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, test } from 'node:test';
import * as $Ecs from '@alicloud/ecs20140526';
import * as $Vpc from '@alicloud/vpc20160428';
import { draw } from '../../src/domain/faults.ts';
import { createAccount, runCli } from '../helpers/cli.ts';
import { ecsClient, eniplaneClient, popClient, vpcClient, type Key } from '../helpers/clients.ts';
import { expectApiError } from '../helpers/expect-error.ts';
import { freshPostgresDatabase, startServer, type RunningServer } from '../helpers/server.ts';

/**
 * Fault injection (README "Fault injection"): rules added through eniplane's own API (AddFault,
 * through the generic pop-core client) or the CLI, then met by the official ECS and VPC SDKs:
 * by action, resource ID, tag, count and seeded probability, with latency; refused rules; an
 * injected failure changes nothing; per account; logged with the RequestId; and the asynchronous
 * failures (an attach ending back in Available, a slower detach, a delete that fails) with real
 * delays.
 */
const REGION = 'cn-hangzhou';
const ZONE = 'cn-hangzhou-i';
const IMAGE = 'aliyun_3_x64_20G_alibase_20240819.vhd';

type Own = ReturnType<typeof eniplaneClient>;
type FaultView = { FaultId: string; MatchedCount: number; InjectedCount: number; TargetAction: string };

/** AddFault, answering the new rule's ID. */
async function addFault(own: Own, params: Record<string, unknown>): Promise<string> {
  const body = await own.request<{ FaultId: string }>('AddFault', params, { method: 'POST' });
  return body.FaultId;
}

async function listFaults(own: Own): Promise<FaultView[]> {
  return (await own.request<{ Faults: { Fault: FaultView[] } }>('ListFaults', {})).Faults.Fault;
}

/** The code a pop-core call was refused with. */
async function refusedWith(call: Promise<unknown>): Promise<string> {
  try {
    await call;
  } catch (err) {
    return (err as { code: string }).code;
  }
  return 'accepted';
}

function clients(server: RunningServer, key?: Key) {
  const ecs = ecsClient(server, key ? { key } : {});
  const vpc = vpcClient(server, key ? { key } : {});
  return {
    ecs,
    vpc,
    own: eniplaneClient(server, key),
    async network() {
      const vpcId = (await vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId: REGION, cidrBlock: '10.0.0.0/8' }))).body!.vpcId!;
      const vSwitchId = (await vpc.createVSwitch(new $Vpc.CreateVSwitchRequest({ regionId: REGION, vpcId, zoneId: ZONE, cidrBlock: '10.1.0.0/24' }))).body!
        .vSwitchId!;
      const securityGroupId = (await ecs.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ regionId: REGION, vpcId }))).body!.securityGroupId!;
      return { vpcId, vSwitchId, securityGroupId };
    },
    async eni(net: { vSwitchId: string; securityGroupId: string }, extra: Partial<$Ecs.CreateNetworkInterfaceRequest> = {}) {
      return (
        await ecs.createNetworkInterface(
          new $Ecs.CreateNetworkInterfaceRequest({ regionId: REGION, vSwitchId: net.vSwitchId, securityGroupIds: [net.securityGroupId], ...extra }),
        )
      ).body!.networkInterfaceId!;
    },
    async enis() {
      const body = (await ecs.describeNetworkInterfaces(new $Ecs.DescribeNetworkInterfacesRequest({ regionId: REGION, maxResults: 500 }))).body!;
      return body.networkInterfaceSets!.networkInterfaceSet!;
    },
    async eniView(id: string) {
      const body = (await ecs.describeNetworkInterfaces(new $Ecs.DescribeNetworkInterfacesRequest({ regionId: REGION, networkInterfaceId: [id] }))).body!;
      return body.networkInterfaceSets!.networkInterfaceSet![0]!;
    },
    async available(vSwitchId: string) {
      const body = (await vpc.describeVSwitchAttributes(new $Vpc.DescribeVSwitchAttributesRequest({ regionId: REGION, vSwitchId }))).body!;
      return Number(body.availableIpAddressCount);
    },
    async vpcCount() {
      return (await vpc.describeVpcs(new $Vpc.DescribeVpcsRequest({ regionId: REGION, pageSize: 50 }))).body!.totalCount!;
    },
    async instance(net: { vSwitchId: string; securityGroupId: string }) {
      const res = await ecs.runInstances(
        new $Ecs.RunInstancesRequest({
          regionId: REGION,
          instanceType: 'ecs.g7.large',
          imageId: IMAGE,
          vSwitchId: net.vSwitchId,
          securityGroupId: net.securityGroupId,
        }),
      );
      return res.body!.instanceIdSets!.instanceIdSet![0]!;
    },
  };
}

describe('fault injection', () => {
  let server: RunningServer;
  let c: ReturnType<typeof clients>;
  let net: Awaited<ReturnType<ReturnType<typeof clients>['network']>>;

  before(async () => {
    server = await startServer({ args: ['--log-level', 'info'] });
    c = clients(server);
    net = await c.network();
  });
  after(() => server.dispose());
  beforeEach(async () => {
    await c.own.request('ClearFaults', {});
  });

  test('AddFault by action: every call answers the code and status, until the rule is removed; other actions are untouched', async () => {
    const id = await addFault(c.own, { TargetAction: 'Vpc:DescribeVpcs', Code: 'InternalError' });
    for (let i = 0; i < 3; i++) await expectApiError(c.vpc.describeVpcs(new $Vpc.DescribeVpcsRequest({ regionId: REGION })), 'InternalError', 500);
    await c.vpc.describeVSwitches(new $Vpc.DescribeVSwitchesRequest({ regionId: REGION }));
    await c.ecs.describeRegions(new $Ecs.DescribeRegionsRequest({}));
    const [rule] = await listFaults(c.own);
    assert.deepEqual([rule!.FaultId, rule!.TargetAction, rule!.MatchedCount, rule!.InjectedCount], [id, 'Vpc:DescribeVpcs', 3, 3]);
    await c.own.request('RemoveFault', { FaultId: id });
    assert.equal(await c.vpcCount(), 1);
    assert.equal(await refusedWith(c.own.request('RemoveFault', { FaultId: id })), 'InvalidFaultId.NotFound');
  });

  test('AddFault Count: the first N calls fail (ServiceUnavailable 503), changing nothing; the next creates', async () => {
    await addFault(c.own, { TargetAction: 'CreateVpc', Code: 'ServiceUnavailable', Count: 2 });
    const before = await c.vpcCount();
    for (let i = 0; i < 2; i++) {
      await expectApiError(c.vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId: REGION, cidrBlock: '192.168.0.0/16' })), 'ServiceUnavailable', 503);
    }
    assert.equal(await c.vpcCount(), before, 'a refused CreateVpc made nothing');
    const vpcId = (await c.vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId: REGION, cidrBlock: '192.168.0.0/16' }))).body!.vpcId!;
    assert.equal(await c.vpcCount(), before + 1);
    await c.vpc.deleteVpc(new $Vpc.DeleteVpcRequest({ regionId: REGION, vpcId }));
    const [rule] = await listFaults(c.own);
    assert.deepEqual([rule!.MatchedCount, rule!.InjectedCount], [3, 2]);
  });

  test("AddFault ResourceId: only calls naming that ENI answer the product's conflict code; its addresses stay as they were", async () => {
    const target = await c.eni(net);
    const other = await c.eni(net);
    await addFault(c.own, { TargetAction: 'Ecs:AssignPrivateIpAddresses', ResourceId: target, Code: 'Operation.Conflict' });
    const free = await c.available(net.vSwitchId);
    const assign = (networkInterfaceId: string) =>
      c.ecs.assignPrivateIpAddresses(new $Ecs.AssignPrivateIpAddressesRequest({ regionId: REGION, networkInterfaceId, secondaryPrivateIpAddressCount: 1 }));
    await expectApiError(assign(target), 'Operation.Conflict', 403);
    assert.equal((await c.eniView(target)).privateIpSets!.privateIpSet!.length, 1, 'nothing assigned');
    assert.equal(await c.available(net.vSwitchId), free, 'no address taken');
    await assign(other);
    assert.equal((await c.eniView(other)).privateIpSets!.privateIpSet!.length, 2);
    // The ID anywhere among the values: in a list parameter too.
    await addFault(c.own, { TargetAction: 'Ecs:DescribeNetworkInterfaces', ResourceId: target, Code: 'InternalError' });
    await expectApiError(
      c.ecs.describeNetworkInterfaces(new $Ecs.DescribeNetworkInterfacesRequest({ regionId: REGION, networkInterfaceId: [other, target] })),
      'InternalError',
    );
    await c.ecs.describeNetworkInterfaces(new $Ecs.DescribeNetworkInterfacesRequest({ regionId: REGION, networkInterfaceId: [other] }));
  });

  test('AddFault TagKey/TagValue: calls naming a resource with the tag, or creating one with it, answer a code of the action', async () => {
    const red = await c.eni(net, { tag: [new $Ecs.CreateNetworkInterfaceRequestTag({ key: 'team', value: 'red' })] });
    const blue = await c.eni(net, { tag: [new $Ecs.CreateNetworkInterfaceRequestTag({ key: 'team', value: 'blue' })] });
    await addFault(c.own, { TargetAction: 'Ecs:DeleteNetworkInterface', TagKey: 'team', TagValue: 'red', Code: 'InvalidOperation.InvalidEniState' });
    await addFault(c.own, { TargetAction: 'Ecs:CreateNetworkInterface', TagKey: 'team', TagValue: 'red', Code: 'InvalidVSwitchId.IpNotEnough' });
    const remove = (networkInterfaceId: string) =>
      c.ecs.deleteNetworkInterface(new $Ecs.DeleteNetworkInterfaceRequest({ regionId: REGION, networkInterfaceId }));
    await expectApiError(remove(red), 'InvalidOperation.InvalidEniState', 400);
    assert.equal((await c.eniView(red)).status, 'Available', 'still there');
    await remove(blue);
    const count = (await c.enis()).length;
    await expectApiError(c.eni(net, { tag: [new $Ecs.CreateNetworkInterfaceRequestTag({ key: 'team', value: 'red' })] }), 'InvalidVSwitchId.IpNotEnough');
    assert.equal((await c.enis()).length, count, 'no ENI created');
    const green = await c.eni(net, { tag: [new $Ecs.CreateNetworkInterfaceRequestTag({ key: 'team', value: 'green' })] });
    await remove(green);
    // Any value of the key.
    await c.own.request('ClearFaults', {});
    await addFault(c.own, { TargetAction: 'Ecs:DeleteNetworkInterface', TagKey: 'team', Code: 'InternalError' });
    await expectApiError(remove(red), 'InternalError');
  });

  test('AddFault Probability with a Seed: the same calls fail in every run, drawn from the seed and the match number', async () => {
    const outcomes = async () => {
      await c.own.request('ClearFaults', {});
      await addFault(c.own, { TargetAction: 'Ecs:DescribeRegions', Code: 'ServiceUnavailable', Probability: 0.5, Seed: 'fixed-seed' });
      const seen: boolean[] = [];
      for (let i = 0; i < 24; i++) {
        seen.push(
          await c.ecs.describeRegions(new $Ecs.DescribeRegionsRequest({})).then(
            () => false,
            () => true,
          ),
        );
      }
      return seen;
    };
    const first = await outcomes();
    const failed = first.filter(Boolean).length;
    assert.ok(failed > 3 && failed < 21, `some but not all calls fail: ${failed} of 24`);
    assert.deepEqual(await outcomes(), first, 'a new rule with the same seed repeats the sequence');
    assert.deepEqual(
      first,
      first.map((_, i) => draw('fixed-seed', i + 1) < 0.5),
      'the n-th matching call fails when the seed’s n-th draw is below the probability (README)',
    );
  });

  test('AddFault LatencyMs: the answer comes that much later, and the call then runs (or answers its code)', async () => {
    await addFault(c.own, { TargetAction: 'Ecs:DescribeRegions', LatencyMs: 600, Count: 1 });
    let t0 = performance.now();
    await c.ecs.describeRegions(new $Ecs.DescribeRegionsRequest({}));
    assert.ok(performance.now() - t0 >= 590, `answered after ${performance.now() - t0} ms`);
    await addFault(c.own, { TargetAction: 'Vpc:DescribeVSwitches', LatencyMs: 400, Code: 'InternalError' });
    t0 = performance.now();
    await expectApiError(c.vpc.describeVSwitches(new $Vpc.DescribeVSwitchesRequest({ regionId: REGION })), 'InternalError');
    assert.ok(performance.now() - t0 >= 390);
  });

  test('AddFault refuses a rule the action could not answer, or that makes no sense, and stores nothing', async () => {
    const refused = {
      'InvalidParameter.Code': { TargetAction: 'Ecs:AttachNetworkInterface', Code: 'InvalidVpcId.NotFound' },
      'InvalidParameter.Action': { TargetAction: 'DescribeRegions', Code: 'InternalError' },
      'MissingParameter.Effect': { TargetAction: 'Ecs:AttachNetworkInterface' },
      'InvalidParameter.AsyncResult': { TargetAction: 'Vpc:CreateVpc', AsyncResult: 'Fail' },
      'InvalidParameter.Conflict': { TargetAction: 'Ecs:AttachNetworkInterface', AsyncResult: 'Fail', Code: 'InternalError' },
      InvalidParameter: { TargetAction: 'Ecs:AttachNetworkInterface', Code: 'InternalError', Probability: 0 },
    };
    for (const [code, params] of Object.entries(refused)) assert.equal(await refusedWith(addFault(c.own, params)), code, JSON.stringify(params));
    for (const target of ['Ecs:DeleteVpcs', 'Eniplane:ResetAccount', 'ClearFaults', 'DescribeSnapshots']) {
      assert.equal(await refusedWith(addFault(c.own, { TargetAction: target, Code: 'InternalError' })), 'InvalidParameter.Action', target);
    }
    assert.deepEqual(await listFaults(c.own), []);
    // The V1 ECS endpoint does not answer eniplane's own actions: they have their own Version.
    assert.equal(await refusedWith(popClient(server, 'ecs').request('ListFaults', {})), 'InvalidAction.NotFound');
  });

  test('an injected failure changes nothing: a ClientToken retry after it creates the ENI once', async () => {
    await addFault(c.own, { TargetAction: 'Ecs:CreateNetworkInterface', Code: 'InternalError', Count: 1 });
    const before = { enis: (await c.enis()).length, free: await c.available(net.vSwitchId) };
    const create = () =>
      c.ecs.createNetworkInterface(
        new $Ecs.CreateNetworkInterfaceRequest({
          regionId: REGION,
          vSwitchId: net.vSwitchId,
          securityGroupIds: [net.securityGroupId],
          clientToken: 'retry-me',
        }),
      );
    await expectApiError(create(), 'InternalError', 500);
    assert.deepEqual({ enis: (await c.enis()).length, free: await c.available(net.vSwitchId) }, before);
    const first = (await create()).body!.networkInterfaceId!;
    assert.equal((await create()).body!.networkInterfaceId, first, 'the token replays the one ENI');
    assert.deepEqual({ enis: (await c.enis()).length, free: await c.available(net.vSwitchId) }, { enis: before.enis + 1, free: before.free - 1 });
  });

  test("faults are per account: another account's calls and rules are its own", async () => {
    const key = createAccount(server, 'faults-other');
    const other = clients(server, key);
    await addFault(c.own, { TargetAction: 'Vpc:DescribeVSwitches', Code: 'InternalError' });
    await other.vpc.describeVSwitches(new $Vpc.DescribeVSwitchesRequest({ regionId: REGION }));
    assert.deepEqual(await listFaults(other.own), []);
    await addFault(other.own, { TargetAction: 'Vpc:DescribeVpcs', Code: 'OperationConflict' });
    await expectApiError(other.vpc.describeVpcs(new $Vpc.DescribeVpcsRequest({ regionId: REGION })), 'OperationConflict', 409);
    await c.vpc.describeVpcs(new $Vpc.DescribeVpcsRequest({ regionId: REGION }));
    assert.equal(await refusedWith(c.own.request('RemoveFault', { FaultId: (await listFaults(other.own))[0]!.FaultId })), 'InvalidFaultId.NotFound');
    await other.own.request('ClearFaults', {});
  });

  test('every injected fault is logged with its RequestId and the rule', async () => {
    const id = await addFault(c.own, { TargetAction: 'Vpc:DescribeVpcs', Code: 'InternalError' });
    const err = await expectApiError(c.vpc.describeVpcs(new $Vpc.DescribeVpcsRequest({ regionId: REGION })), 'InternalError');
    const requestId = err.data!.RequestId as string;
    // The server's stdout reaches this process on its own schedule, not before the answer: wait for the line.
    const find = () =>
      server
        .output()
        .split('\n')
        .filter((l) => l.includes('"fault injected"'))
        .map((l) => JSON.parse(l) as { requestId: string; action: string; fault: { id: string; code: string } })
        .find((l) => l.requestId === requestId);
    const deadline = Date.now() + 10_000;
    while (!find() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    const line = find();
    assert.ok(line, `a "fault injected" line with RequestId ${requestId}`);
    assert.deepEqual([line.action, line.fault.id, line.fault.code], ['Vpc:DescribeVpcs', id, 'InternalError']);
  });

  test('CLI: eniplane faults add|list|clear work on the store while the server runs; the next call sees them', async () => {
    const add = runCli(['faults', 'add', 'Vpc:DescribeVSwitches', '--code', 'ServiceUnavailable', '--count', '1', '--latency', '10', ...server.storeArgs]);
    assert.equal(add.status, 0, add.stderr);
    assert.match(add.stdout, /Vpc:DescribeVSwitches: answers ServiceUnavailable, \+10 ms; at most 1 time/);
    await expectApiError(c.vpc.describeVSwitches(new $Vpc.DescribeVSwitchesRequest({ regionId: REGION })), 'ServiceUnavailable', 503);
    await c.vpc.describeVSwitches(new $Vpc.DescribeVSwitchesRequest({ regionId: REGION }));
    const list = runCli(['faults', 'list', '--json', ...server.storeArgs]);
    assert.equal(list.status, 0, list.stderr);
    const [rule] = JSON.parse(list.stdout) as FaultView[];
    assert.deepEqual([rule!.TargetAction, rule!.MatchedCount, rule!.InjectedCount], ['Vpc:DescribeVSwitches', 2, 1]);
    const bad = runCli(['faults', 'add', 'Ecs:AttachNetworkInterface', '--code', 'NoSuchCode', ...server.storeArgs]);
    assert.notEqual(bad.status, 0);
    assert.match(bad.stderr, /InvalidParameter\.Code: Ecs:AttachNetworkInterface never answers "NoSuchCode"/);
    const noAccount = runCli(['faults', 'list', '--account', 'nobody', ...server.storeArgs]);
    assert.notEqual(noAccount.status, 0);
    assert.match(noAccount.stderr, /no account with the ID or name "nobody"/);
    runCli(['faults', 'add', 'Vpc:DescribeVpcs', '--code', 'InternalError', ...server.storeArgs]);
    await expectApiError(c.vpc.describeVpcs(new $Vpc.DescribeVpcsRequest({ regionId: REGION })), 'InternalError');
    const clear = runCli(['faults', 'clear', ...server.storeArgs]);
    assert.equal(clear.status, 0, clear.stderr);
    assert.match(clear.stdout, /removed 2 fault rule/);
    await c.vpc.describeVpcs(new $Vpc.DescribeVpcsRequest({ regionId: REGION }));
  });
});

describe('asynchronous faults, with real delays', () => {
  let server: RunningServer;
  let c: ReturnType<typeof clients>;
  let net: Awaited<ReturnType<ReturnType<typeof clients>['network']>>;
  let instanceId: string;

  before(async () => {
    // 1 s transitions: at 300 ms a loaded CI machine answered the status read after the attach
    // once the attach was already over, and the test never saw the Attaching it asserts.
    server = await startServer({ args: ['--delays', 'none,eniAttach=1000,eniDetach=1000,eniDelete=1000'] });
    c = clients(server);
    net = await c.network();
    instanceId = await c.instance(net);
  });
  after(() => server.dispose());

  /** Polls an ENI until its status is no longer `passing`; answers every status seen. */
  async function settle(id: string, passing: string): Promise<string[]> {
    const seen: string[] = [];
    const deadline = Date.now() + 15_000;
    for (;;) {
      const s = (await c.eniView(id)).status!;
      if (seen.at(-1) !== s) seen.push(s);
      if (s !== passing) return seen;
      assert.ok(Date.now() < deadline, `still ${passing} after 15 s`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  const attach = (networkInterfaceId: string) =>
    c.ecs.attachNetworkInterface(new $Ecs.AttachNetworkInterfaceRequest({ regionId: REGION, instanceId, networkInterfaceId }));
  const detach = (networkInterfaceId: string) =>
    c.ecs.detachNetworkInterface(new $Ecs.DetachNetworkInterfaceRequest({ regionId: REGION, instanceId, networkInterfaceId }));
  const instanceEnis = async () => {
    const body = (await c.ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId: REGION, instanceIds: JSON.stringify([instanceId]) }))).body!;
    return body.instances!.instance![0]!.networkInterfaces!.networkInterface!.map((n) => n.networkInterfaceId!);
  };

  test('AsyncResult=Fail on AttachNetworkInterface: accepted, Attaching, then back in Available on no instance; the next attach works', async () => {
    const eni = await c.eni(net);
    await addFault(c.own, { TargetAction: 'AttachNetworkInterface', ResourceId: eni, AsyncResult: 'Fail', Count: 1 });
    await attach(eni);
    const first = await c.eniView(eni);
    assert.deepEqual([first.status, first.instanceId], ['Attaching', instanceId]);
    assert.deepEqual(await settle(eni, 'Attaching'), ['Attaching', 'Available']);
    const after = await c.eniView(eni);
    assert.equal(after.instanceId ?? '', '');
    assert.ok(!(await instanceEnis()).includes(eni), 'the instance does not list it');
    await attach(eni);
    assert.deepEqual(await settle(eni, 'Attaching'), ['Attaching', 'InUse']);
    assert.ok((await instanceEnis()).includes(eni));
    await detach(eni);
    await settle(eni, 'Detaching');
  });

  test('AsyncDelayMs on DetachNetworkInterface: the detach lasts that much longer, then ends in Available', async () => {
    const eni = await c.eni(net);
    await attach(eni);
    await settle(eni, 'Attaching');
    await addFault(c.own, { TargetAction: 'Ecs:DetachNetworkInterface', AsyncDelayMs: 6000, Count: 1 });
    const t0 = Date.now();
    await detach(eni);
    // Well past the configured 1 s, still Detaching (the fault's due time is 7 s away).
    await new Promise((r) => setTimeout(r, 2500));
    assert.equal((await c.eniView(eni)).status, 'Detaching');
    assert.deepEqual(await settle(eni, 'Detaching'), ['Detaching', 'Available']);
    assert.ok(Date.now() - t0 >= 6000, `Available after ${Date.now() - t0} ms`);
  });

  test('AsyncResult=Fail on DetachNetworkInterface: Detaching, then InUse on its instance again', async () => {
    const eni = await c.eni(net);
    await attach(eni);
    await settle(eni, 'Attaching');
    await addFault(c.own, { TargetAction: 'Ecs:DetachNetworkInterface', AsyncResult: 'Fail', Count: 1 });
    await detach(eni);
    assert.deepEqual(await settle(eni, 'Detaching'), ['Detaching', 'InUse']);
    assert.equal((await c.eniView(eni)).instanceId, instanceId);
    await detach(eni);
    assert.deepEqual(await settle(eni, 'Detaching'), ['Detaching', 'Available']);
  });

  test('AsyncResult=Fail on DeleteNetworkInterface: Deleting, then Available again with its addresses and groups; deleting again removes it', async () => {
    const eni = await c.eni(net, { secondaryPrivateIpAddressCount: 1 });
    const before = await c.eniView(eni);
    await addFault(c.own, { TargetAction: 'Ecs:DeleteNetworkInterface', AsyncResult: 'Fail', Count: 1 });
    const remove = () => c.ecs.deleteNetworkInterface(new $Ecs.DeleteNetworkInterfaceRequest({ regionId: REGION, networkInterfaceId: eni }));
    await remove();
    assert.deepEqual(await settle(eni, 'Deleting'), ['Deleting', 'Available']);
    const back = await c.eniView(eni);
    assert.deepEqual(
      back.privateIpSets!.privateIpSet!.map((p) => p.privateIpAddress).sort(),
      before.privateIpSets!.privateIpSet!.map((p) => p.privateIpAddress).sort(),
    );
    assert.deepEqual(back.securityGroupIds!.securityGroupId, [net.securityGroupId]);
    await remove();
    const deadline = Date.now() + 15_000;
    while ((await c.enis()).some((e) => e.networkInterfaceId === eni)) {
      assert.ok(Date.now() < deadline, 'gone within 15 s');
      await new Promise((r) => setTimeout(r, 50));
    }
  });
});

describe('faults on several replicas (PostgreSQL)', () => {
  // One server per SQLite data directory: this runs in the PostgreSQL pass (npm test sets
  // ENIPLANE_TEST_PG there, and in CI a PostgreSQL that cannot be reached fails the run), skipped
  // in the SQLite pass, like the store's PostgreSQL-only cases.
  const skip = !process.env.ENIPLANE_TEST_PG ? 'needs PostgreSQL (ENIPLANE_TEST_PG): runs in the PostgreSQL pass of npm test' : false;

  test('a rule added through one replica applies on the next call to another; Count is shared', { skip }, async () => {
    const db = await freshPostgresDatabase();
    const one = await startServer({ dbUrl: db.url });
    const two = await startServer({ dbUrl: db.url });
    try {
      await addFault(eniplaneClient(one), { TargetAction: 'Vpc:DescribeVpcs', Code: 'ServiceUnavailable', Count: 2 });
      const describe = (s: RunningServer) => vpcClient(s).describeVpcs(new $Vpc.DescribeVpcsRequest({ regionId: REGION }));
      await expectApiError(describe(two), 'ServiceUnavailable', 503);
      await expectApiError(describe(one), 'ServiceUnavailable', 503);
      await describe(two);
      await describe(one);
      const [rule] = await listFaults(eniplaneClient(two));
      assert.deepEqual([rule!.MatchedCount, rule!.InjectedCount], [4, 2]);
      await eniplaneClient(two).request('ClearFaults', {});
      await describe(one);
    } finally {
      await Promise.all([one.stop(), two.stop()]);
      await db.drop();
    }
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import * as $Ecs from '@alicloud/ecs20140526';
import * as $Vpc from '@alicloud/vpc20160428';
import { ecsClient, popClient, vpcClient, type Key } from '../helpers/clients.ts';
import { expectApiError } from '../helpers/expect-error.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

const regionId = 'cn-hangzhou';
const zoneId = 'cn-hangzhou-i';
const IMAGE = 'aliyun_3_x64_20G_alibase_20240819.vhd';
const ISO_SECONDS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

async function md(server: RunningServer, instance: string, path: string, headers: Record<string, string> = {}) {
  const res = await fetch(`${server.metadataUrl}/latest/meta-data/${path}`, { headers: { 'X-Eniplane-Instance-Id': instance, ...headers } });
  return { status: res.status, body: await res.text() };
}

/** What the credential providers read: the role from the listing, then its JSON. */
async function roleCredentials(server: RunningServer, instance: string, headers: Record<string, string> = {}) {
  const list = await md(server, instance, 'ram/security-credentials/', headers);
  assert.equal(list.status, 200, list.body);
  const role = list.body.trim();
  const doc = await md(server, instance, `ram/security-credentials/${role}`, headers);
  assert.equal(doc.status, 200, doc.body);
  const json = JSON.parse(doc.body) as Record<string, string>;
  return {
    role,
    body: doc.body,
    json,
    key: { accessKeyId: json.AccessKeyId!, accessKeySecret: json.AccessKeySecret!, securityToken: json.SecurityToken! } as Key,
  };
}

async function setup(server: RunningServer) {
  const ecs = ecsClient(server);
  const vpc = vpcClient(server);
  const vpcId = (await vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId, cidrBlock: '10.0.0.0/16' }))).body!.vpcId!;
  const vSwitchId = (await vpc.createVSwitch(new $Vpc.CreateVSwitchRequest({ regionId, vpcId, zoneId, cidrBlock: '10.0.1.0/24' }))).body!.vSwitchId!;
  const securityGroupId = (await ecs.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ regionId, vpcId }))).body!.securityGroupId!;
  const run = async (extra: Partial<$Ecs.RunInstancesRequest> = {}) =>
    (await ecs.runInstances(new $Ecs.RunInstancesRequest({ regionId, instanceType: 'ecs.g7.large', imageId: IMAGE, vSwitchId, securityGroupId, ...extra })))
      .body!.instanceIdSets!.instanceIdSet![0]!;
  return { ecs, run };
}

const describeRoles = (ecs: ReturnType<typeof ecsClient>, q: Partial<$Ecs.DescribeInstanceRamRoleRequest>) =>
  ecs.describeInstanceRamRole(new $Ecs.DescribeInstanceRamRoleRequest({ regionId, ...q })).then((r) => r.body!);

describe('RAM roles and temporary credentials', () => {
  let server: RunningServer;
  let w: Awaited<ReturnType<typeof setup>>;
  before(async () => {
    server = await startServer();
    w = await setup(server);
  });
  after(() => server.dispose());

  test('RunInstances: RamRoleName attaches the role; DescribeInstanceRamRole lists it by instance and by role', async () => {
    const id = await w.run({ ramRoleName: 'TerwayRole' });
    const other = await w.run();
    const byIds = await describeRoles(w.ecs, { instanceIds: JSON.stringify([id, other]) });
    assert.equal(byIds.totalCount, 1);
    assert.equal(byIds.regionId, regionId);
    assert.deepEqual(
      byIds.instanceRamRoleSets!.instanceRamRoleSet!.map((r) => [r.instanceId, r.ramRoleName]),
      [[id, 'TerwayRole']],
    );
    const byRole = await describeRoles(w.ecs, { ramRoleName: 'TerwayRole' });
    assert.ok(byRole.instanceRamRoleSets!.instanceRamRoleSet!.some((r) => r.instanceId === id));
    await expectApiError(
      w.ecs.runInstances(new $Ecs.RunInstancesRequest({ regionId, instanceType: 'ecs.g7.large', imageId: IMAGE, ramRoleName: 'bad role!' })),
      'InvalidRamRole.NotFound',
      404,
    );
    await expectApiError(describeRoles(w.ecs, {}), 'MissingParameter', 400);
  });

  test("metadata ram/security-credentials/<role>: the cloud's JSON, in normal and token mode, 6 hours of life", async () => {
    const id = await w.run({ ramRoleName: 'EcsRole-1' });
    const c = await roleCredentials(server, id);
    assert.equal(c.role, 'EcsRole-1');
    assert.deepEqual(Object.keys(c.json), ['AccessKeyId', 'AccessKeySecret', 'Expiration', 'SecurityToken', 'LastUpdated', 'Code']);
    assert.match(c.body, /^\{\n {2}"AccessKeyId" : "STS\./);
    assert.equal(c.json.Code, 'Success');
    assert.match(c.json.Expiration!, ISO_SECONDS);
    assert.match(c.json.LastUpdated!, ISO_SECONDS);
    assert.equal(Date.parse(c.json.Expiration!) - Date.parse(c.json.LastUpdated!), 6 * 3600 * 1000);
    assert.ok(Date.parse(c.json.Expiration!) > Date.now() + 5 * 3600 * 1000);
    // Token mode gives the same set.
    const token = await (
      await fetch(`${server.metadataUrl}/latest/api/token`, {
        method: 'PUT',
        headers: { 'X-Eniplane-Instance-Id': id, 'X-aliyun-ecs-metadata-token-ttl-seconds': '21600' },
      })
    ).text();
    await w.ecs.modifyInstanceMetadataOptions(new $Ecs.ModifyInstanceMetadataOptionsRequest({ regionId, instanceId: id, httpTokens: 'required' }));
    assert.equal((await md(server, id, 'ram/security-credentials/')).status, 403);
    const t = await roleCredentials(server, id, { 'X-aliyun-ecs-metadata-token': token });
    assert.equal(t.json.AccessKeyId, c.json.AccessKeyId);
    // An instance without a role has no ram/ item.
    assert.equal((await md(server, await w.run(), 'ram/security-credentials/')).status, 404);
  });

  test("STS credentials: the V3 SDK (x-acs-security-token) and pop-core V1 (SecurityToken) act for the instance's account", async () => {
    const id = await w.run({ ramRoleName: 'WorkerRole' });
    const { key } = await roleCredentials(server, id);
    const v3 = ecsClient(server, { key });
    const seen = (await v3.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId, instanceIds: JSON.stringify([id]) }))).body!;
    assert.equal(seen.instances!.instance![0]!.instanceId, id);
    const v1sdk = ecsClient(server, { key, v1: true });
    assert.equal(
      (await v1sdk.describeInstanceRamRole(new $Ecs.DescribeInstanceRamRoleRequest({ regionId, instanceIds: JSON.stringify([id]) }))).body!.totalCount,
      1,
    );
    const pop = popClient(server, 'ecs', key);
    const r = (await pop.request('DescribeInstances', { RegionId: regionId, InstanceIds: JSON.stringify([id]) }, { method: 'POST' })) as {
      Instances: { Instance: { InstanceId: string }[] };
    };
    assert.equal(r.Instances.Instance[0]!.InstanceId, id);
  });

  test("STS credentials: a tampered, foreign or missing token, or a wrong secret, is refused with the gateway's codes", async () => {
    const a = (await roleCredentials(server, await w.run({ ramRoleName: 'RoleA' }))).key;
    const b = (await roleCredentials(server, await w.run({ ramRoleName: 'RoleB' }))).key;
    const call = (key: Key, v1 = false) => ecsClient(server, { key, v1 }).describeRegions(new $Ecs.DescribeRegionsRequest({}));
    const tampered = a.securityToken!.replace(/^(.)/, (c) => (c === 'e' ? 'f' : 'e'));
    await expectApiError(call({ ...a, securityToken: tampered }), 'InvalidSecurityToken.Malformed', 400);
    await expectApiError(call({ ...a, securityToken: tampered }, true), 'InvalidSecurityToken.Malformed', 400);
    await expectApiError(call({ ...a, securityToken: b.securityToken }), 'InvalidSecurityToken.MismatchWithAccessKey', 400);
    await expectApiError(call({ accessKeyId: a.accessKeyId, accessKeySecret: a.accessKeySecret }), 'MissingSecurityToken', 400);
    await expectApiError(call({ ...a, accessKeySecret: b.accessKeySecret }), 'SignatureDoesNotMatch', 400);
    await expectApiError(call({ ...a, accessKeySecret: b.accessKeySecret }, true), 'SignatureDoesNotMatch', 400);
    assert.ok((await call(a)).body!.regions);
  });

  test("AttachInstanceRamRole / DetachInstanceRamRole: per-instance results; a detached role's credentials stop working", async () => {
    const one = await w.run();
    const two = await w.run({ ramRoleName: 'Other' });
    const attached = (
      await w.ecs.attachInstanceRamRole(new $Ecs.AttachInstanceRamRoleRequest({ regionId, instanceIds: JSON.stringify([one, two]), ramRoleName: 'NodeRole' }))
    ).body!;
    assert.equal(attached.ramRoleName, 'NodeRole');
    assert.equal(attached.totalCount, 2);
    assert.equal(attached.failCount, 1);
    const results = attached.attachInstanceRamRoleResults!.attachInstanceRamRoleResult!;
    assert.deepEqual({ ...results.find((r) => r.instanceId === one) }, { instanceId: one, success: true, code: '200', message: 'success' });
    assert.equal(results.find((r) => r.instanceId === two)!.success, false);
    // The same role again: nothing changes, success.
    const again = (
      await w.ecs.attachInstanceRamRole(new $Ecs.AttachInstanceRamRoleRequest({ regionId, instanceIds: JSON.stringify([one]), ramRoleName: 'NodeRole' }))
    ).body!;
    assert.equal(again.failCount, 0);
    await expectApiError(
      w.ecs.attachInstanceRamRole(new $Ecs.AttachInstanceRamRoleRequest({ regionId, instanceIds: 'i-x', ramRoleName: 'NodeRole' })),
      'InvalidInstanceIds.Malformed',
      400,
    );
    await expectApiError(
      w.ecs.attachInstanceRamRole(new $Ecs.AttachInstanceRamRoleRequest({ regionId, instanceIds: JSON.stringify([one]), ramRoleName: 'no/such' })),
      'InvalidRamRole.NotFound',
      404,
    );
    await expectApiError(
      w.ecs.attachInstanceRamRole(
        new $Ecs.AttachInstanceRamRoleRequest({ regionId, instanceIds: JSON.stringify(['i-bp1doesnotexist0000']), ramRoleName: 'NodeRole' }),
      ),
      'InvalidInstanceId.NotFound',
      404,
    );

    const { key } = await roleCredentials(server, one);
    await ecsClient(server, { key }).describeRegions(new $Ecs.DescribeRegionsRequest({}));
    const detached = (
      await w.ecs.detachInstanceRamRole(new $Ecs.DetachInstanceRamRoleRequest({ regionId, instanceIds: JSON.stringify([one]), ramRoleName: 'NodeRole' }))
    ).body!;
    assert.equal(detached.failCount, 0);
    const d = detached.detachInstanceRamRoleResults!.detachInstanceRamRoleResult![0]!;
    assert.equal(d.success, true);
    assert.deepEqual(
      d.instanceRamRoleSets!.instanceRamRoleSet!.map((s) => ({ ...s })),
      [{ instanceId: one, ramRoleName: 'NodeRole' }],
    );
    await expectApiError(ecsClient(server, { key }).describeRegions(new $Ecs.DescribeRegionsRequest({})), 'InvalidSecurityToken.Expired', 400);
    assert.equal((await md(server, one, 'ram/security-credentials/')).status, 404);
    assert.equal((await describeRoles(w.ecs, { instanceIds: JSON.stringify([one]) })).totalCount, 0);
    // Re-attached: the old set stays refused, a new one works.
    await w.ecs.attachInstanceRamRole(new $Ecs.AttachInstanceRamRoleRequest({ regionId, instanceIds: JSON.stringify([one]), ramRoleName: 'NodeRole' }));
    const fresh = (await roleCredentials(server, one)).key;
    assert.notEqual(fresh.accessKeyId, key.accessKeyId);
    await ecsClient(server, { key: fresh }).describeRegions(new $Ecs.DescribeRegionsRequest({}));
    await expectApiError(ecsClient(server, { key }).describeRegions(new $Ecs.DescribeRegionsRequest({})), 'InvalidSecurityToken.Expired', 400);
    // Detaching a role the instance does not have fails on its line.
    const none = (
      await w.ecs.detachInstanceRamRole(new $Ecs.DetachInstanceRamRoleRequest({ regionId, instanceIds: JSON.stringify([one]), ramRoleName: 'Other' }))
    ).body!;
    assert.equal(none.failCount, 1);
  });
});

describe('RAM role credentials over time', () => {
  let server: RunningServer;
  before(async () => {
    server = await startServer({ args: ['--ram-credential-lifetime', '3'] });
  });
  after(() => server.dispose());

  test('metadata: credentials expire on time and a new set is served before the old one expires', async () => {
    const w = await setup(server);
    const id = await w.run({ ramRoleName: 'ShortLived' });
    const first = await roleCredentials(server, id);
    assert.equal(Date.parse(first.json.Expiration!) - Date.parse(first.json.LastUpdated!), 3000);
    await ecsClient(server, { key: first.key }).describeRegions(new $Ecs.DescribeRegionsRequest({}));
    // Renewal comes half the lifetime (1.5 s) before expiry here; wait for a new set.
    let next = first;
    const deadline = Date.now() + 5000;
    while (next.key.accessKeyId === first.key.accessKeyId && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      next = await roleCredentials(server, id);
    }
    assert.notEqual(next.key.accessKeyId, first.key.accessKeyId);
    assert.ok(Date.parse(next.json.Expiration!) > Date.parse(first.json.Expiration!));
    assert.ok(Date.now() < Date.parse(first.json.Expiration!) + 1000, 'the new set came before the old one expired');
    await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(first.json.Expiration!) - Date.now()) + 1100));
    await expectApiError(ecsClient(server, { key: first.key }).describeRegions(new $Ecs.DescribeRegionsRequest({})), 'InvalidSecurityToken.Expired', 400);
    const latest = await roleCredentials(server, id);
    await ecsClient(server, { key: latest.key }).describeRegions(new $Ecs.DescribeRegionsRequest({}));
  });

  test('serve: refuses a metadata listener beyond loopback', async () => {
    await assert.rejects(startServer({ args: ['--metadata-host', '0.0.0.0'] }), /must stay on loopback/);
  });
});

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';
import * as $Ecs from '@alicloud/ecs20140526';
import * as $Vpc from '@alicloud/vpc20160428';
import { createAccount, runCli } from '../helpers/cli.ts';
import { ecsClient, vpcClient, type Key } from '../helpers/clients.ts';
import { callV3 } from '../helpers/raw-client.ts';
import { TEST_KEY, type RunningServer } from '../helpers/server.ts';
import type { Store } from '../../src/store/db.ts';
import { storeStateSource } from '../../src/store/transfer/store-source.ts';

/**
 * A varied state made through the API with the official SDKs (every kind of row the migrations
 * create: accounts and keys, VPCs and vSwitches with IPv6, security groups and rules, instances,
 * ENIs with secondary addresses, IPv4 and IPv6 prefixes, attachments, tags, an EIP, a RAM role, a
 * ClientToken, spent nonces, a console session), and what reads it back, for the backup and copy tests.
 */

const regionId = 'cn-hangzhou';
const zoneId = 'cn-hangzhou-i';
const IMAGE = 'aliyun_3_x64_20G_alibase_20240819.vhd';

/** What `populate` made that a test replays after a copy: a ClientToken call, a signed request, a console session. */
export interface Populated {
  keys: Key[];
  /** CreateNetworkInterface with a ClientToken, and the ENI it made. */
  tokenCall: { request: $Ecs.CreateNetworkInterfaceRequest; eniId: string };
  /** A request already sent once: sending it again must be refused as a replay (SignatureNonceUsed). */
  replay: (server: RunningServer) => ReturnType<typeof callV3>;
  /** The console's session cookie. */
  consoleCookie: string;
}

export async function populate(server: RunningServer): Promise<Populated> {
  const ecs = ecsClient(server);
  const vpc = vpcClient(server);
  const { vpcId } = (await vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId, cidrBlock: '192.168.0.0/16', vpcName: 'moved', enableIpv6: true }))).body!;
  const vsw = async (cidrBlock: string, ipv6CidrBlock?: number) =>
    (await vpc.createVSwitch(new $Vpc.CreateVSwitchRequest({ regionId, vpcId, zoneId, cidrBlock, vSwitchName: `vsw-${cidrBlock}`, ipv6CidrBlock }))).body!
      .vSwitchId!;
  const vsw1 = await vsw('192.168.1.0/24');
  const vsw6 = await vsw('192.168.2.0/24', 1);
  const group = async (name: string) =>
    (await ecs.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ regionId, vpcId, securityGroupName: name }))).body!.securityGroupId!;
  const sg1 = await group('web');
  const sg2 = await group('db');
  await ecs.authorizeSecurityGroup(
    new $Ecs.AuthorizeSecurityGroupRequest({
      regionId,
      securityGroupId: sg1,
      permissions: [
        new $Ecs.AuthorizeSecurityGroupRequestPermissions({ ipProtocol: 'TCP', portRange: '443/443', sourceCidrIp: '0.0.0.0/0', description: 'https' }),
      ],
    }),
  );
  const instances = (
    await ecs.runInstances(
      new $Ecs.RunInstancesRequest({
        regionId,
        instanceType: 'ecs.g7.xlarge',
        imageId: IMAGE,
        vSwitchId: vsw1,
        securityGroupId: sg1,
        amount: 2,
        instanceName: 'node',
      }),
    )
  ).body!.instanceIdSets!.instanceIdSet!;
  const create = async (extra: Partial<$Ecs.CreateNetworkInterfaceRequest>) =>
    (await ecs.createNetworkInterface(new $Ecs.CreateNetworkInterfaceRequest({ regionId, vSwitchId: vsw1, securityGroupId: sg1, ...extra }))).body!
      .networkInterfaceId!;
  const tokenRequest = new $Ecs.CreateNetworkInterfaceRequest({
    regionId,
    vSwitchId: vsw1,
    securityGroupIds: [sg1, sg2],
    clientToken: 'moved-token-1',
    networkInterfaceName: 'with-token',
    secondaryPrivateIpAddressCount: 2,
  });
  const tokenEni = (await ecs.createNetworkInterface(tokenRequest)).body!.networkInterfaceId!;
  const withPrefix = await create({ ipv4PrefixCount: 1, description: 'prefix' });
  const dual = await create({ vSwitchId: vsw6, ipv6AddressCount: 2, ipv6PrefixCount: 1, networkInterfaceName: 'dual' });
  const plain = await create({ networkInterfaceName: 'plain' });
  const doomed = await create({ networkInterfaceName: 'doomed' });
  await ecs.assignPrivateIpAddresses(new $Ecs.AssignPrivateIpAddressesRequest({ regionId, networkInterfaceId: plain, secondaryPrivateIpAddressCount: 3 }));
  for (const eni of [tokenEni, withPrefix])
    await ecs.attachNetworkInterface(new $Ecs.AttachNetworkInterfaceRequest({ regionId, networkInterfaceId: eni, instanceId: instances[0]! }));
  await ecs.deleteNetworkInterface(new $Ecs.DeleteNetworkInterfaceRequest({ regionId, networkInterfaceId: doomed }));
  await ecs.tagResources(
    new $Ecs.TagResourcesRequest({
      regionId,
      resourceType: 'eni',
      resourceId: [plain, dual],
      tag: [new $Ecs.TagResourcesRequestTag({ key: 'team', value: 'net' }), new $Ecs.TagResourcesRequestTag({ key: 'env', value: 'prod' })],
    }),
  );
  await ecs.tagResources(
    new $Ecs.TagResourcesRequest({
      regionId,
      resourceType: 'instance',
      resourceId: [instances[1]!],
      tag: [new $Ecs.TagResourcesRequestTag({ key: 'role', value: 'db' })],
    }),
  );
  const eip = (await vpc.allocateEipAddress(new $Vpc.AllocateEipAddressRequest({ regionId, name: 'public' }))).body!.allocationId!;
  await vpc.associateEipAddress(new $Vpc.AssociateEipAddressRequest({ regionId, allocationId: eip, instanceId: plain, instanceType: 'NetworkInterface' }));
  await ecs.attachInstanceRamRole(new $Ecs.AttachInstanceRamRoleRequest({ regionId, instanceIds: JSON.stringify([instances[1]!]), ramRoleName: 'NodeRole' }));

  // A second account with a VPC of its own.
  const other = createAccount(server, 'other-team');
  await vpcClient(server, { key: other }).createVpc(new $Vpc.CreateVpcRequest({ regionId, cidrBlock: '10.0.0.0/8', vpcName: 'other' }));

  // A signed request whose nonce is spent now: a replay after the move must still be refused.
  const date = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  const nonce = `moved-nonce-${Date.now()}`;
  const replay = (to: RunningServer) => callV3(to.endpoint, 'DescribeRegions', '2014-05-26', {}, { nonce, date });
  assert.equal((await replay(server)).status, 200);

  const signIn = await fetch(`http://${server.endpoint}/console/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ AccessKeyId: TEST_KEY.accessKeyId, AccessKeySecret: TEST_KEY.accessKeySecret }),
  });
  assert.equal(signIn.status, 200);
  const consoleCookie = /eniplane_console=[^;]+/.exec(signIn.headers.get('set-cookie') ?? '')![0];
  return { keys: [TEST_KEY, other], tokenCall: { request: tokenRequest, eniId: tokenEni }, replay, consoleCookie };
}

/** Everything `populate` made, as the official SDKs read it back from `server` (RequestIds left out). */
export async function readView(server: RunningServer, keys: readonly Key[]): Promise<unknown[]> {
  const out: unknown[] = [];
  const plain = (body: { toMap(): Record<string, unknown> } | undefined) => {
    const map = body!.toMap();
    delete map.RequestId;
    return map;
  };
  for (const key of keys) {
    const ecs = ecsClient(server, { key });
    const vpc = vpcClient(server, { key });
    const enis = (await ecs.describeNetworkInterfaces(new $Ecs.DescribeNetworkInterfacesRequest({ regionId, maxResults: 500 }))).body!;
    out.push(plain(enis));
    out.push(plain((await ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId, pageSize: 100 }))).body));
    out.push(plain((await vpc.describeVpcs(new $Vpc.DescribeVpcsRequest({ regionId, pageSize: 50 }))).body));
    out.push(plain((await vpc.describeVSwitches(new $Vpc.DescribeVSwitchesRequest({ regionId, pageSize: 50 }))).body));
    out.push(plain((await vpc.describeEipAddresses(new $Vpc.DescribeEipAddressesRequest({ regionId, pageSize: 50 }))).body));
    out.push(plain((await ecs.describeInstanceRamRole(new $Ecs.DescribeInstanceRamRoleRequest({ regionId, ramRoleName: 'NodeRole' }))).body));
    const groups = (await ecs.describeSecurityGroups(new $Ecs.DescribeSecurityGroupsRequest({ regionId, maxResults: 100 }))).body!;
    out.push(plain(groups));
    for (const g of groups.securityGroups?.securityGroup ?? [])
      out.push(
        plain(
          (await ecs.describeSecurityGroupAttribute(new $Ecs.DescribeSecurityGroupAttributeRequest({ regionId, securityGroupId: g.securityGroupId }))).body,
        ),
      );
    const eniIds = (enis.networkInterfaceSets?.networkInterfaceSet ?? []).map((e) => e.networkInterfaceId!);
    if (eniIds.length > 0)
      out.push(plain((await ecs.listTagResources(new $Ecs.ListTagResourcesRequest({ regionId, resourceType: 'eni', resourceId: eniIds }))).body));
  }
  return out;
}

/**
 * Every row of every table, as stored, sorted: what a copy must carry over unchanged. Spent
 * nonces are one set whichever table holds them (SQLite's log becomes PostgreSQL's keyed table).
 */
export async function tableContents(store: Store): Promise<Record<string, string[]>> {
  const source = storeStateSource(store);
  return source.read(async (reader) => {
    const out: Record<string, string[]> = {};
    for (const t of reader.tables) {
      const name = t.name === 'signature_nonce_log' ? 'signature_nonces' : t.name;
      const rows = (out[name] ??= []);
      for await (const batch of reader.rows(t.name)) {
        for (const row of batch.rows) {
          const obj = Object.fromEntries(batch.columns.map((c, i) => [c, row[i]]).sort(([a], [b]) => String(a).localeCompare(String(b))));
          rows.push(JSON.stringify(obj));
        }
      }
    }
    for (const rows of Object.values(out)) rows.sort();
    await reader.done();
    return out;
  });
}

/** Runs `eniplane db ...` and fails with its output when it does not exit 0. */
export function db(args: string[]): string {
  const r = runCli(['db', ...args]);
  assert.equal(r.status, 0, `eniplane db ${args.join(' ')}:\n${r.stdout}${r.stderr}`);
  return r.stdout;
}

const BIN = fileURLToPath(new URL('../../bin/eniplane.js', import.meta.url));

/** Runs `eniplane db ...` without blocking this process (the test's clients keep writing meanwhile). */
export function dbAsync(args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, 'db', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (status) => resolve({ status, stdout, stderr }));
  });
}

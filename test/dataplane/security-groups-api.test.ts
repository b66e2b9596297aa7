import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as $Ecs from '@alicloud/ecs20140526';
import * as $Vpc from '@alicloud/vpc20160428';
import { ecsClient, vpcClient } from '../helpers/clients.ts';
import { runCli } from '../helpers/cli.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';
import { IMAGE, ownPrefix, netnsSkip, ownNamespaces, reaches, regionId, SERVER_ARGS, until, zoneId } from './kit.ts';

// Security groups enforced on real packets, driven through the official SDK (issue 15, test 2):
// the reconciler compiles each VPC's ruleset on every pass, so a rule change applies within a
// second. A dropped SYN times out; a SYN let through meets a closed port and is refused, which
// counts as reached.

ownPrefix('sga-');
const skip = netnsSkip();

describe('data plane: security groups on real packets, through the API', { skip }, () => {
  const dataDir = skip ? '' : mkdtempSync(join(tmpdir(), 'eniplane-dp-sg-'));
  let server: RunningServer | undefined;
  let ecs: ReturnType<typeof ecsClient>;
  let serverGroup: string;
  let clientGroup: string;
  let web: { id: string; ip: string };
  let client: { id: string; ip: string };
  let peer: { id: string; ip: string };

  const launch = async (vSwitchId: string, securityGroupId: string) => {
    const run = await ecs.runInstances(new $Ecs.RunInstancesRequest({ regionId, instanceType: 'ecs.g7.large', imageId: IMAGE, vSwitchId, securityGroupId }));
    const id = run.body!.instanceIdSets!.instanceIdSet![0]!;
    const inst = (await ecs.describeInstances(new $Ecs.DescribeInstancesRequest({ regionId, instanceIds: JSON.stringify([id]) }))).body!.instances!
      .instance![0]!;
    return { id, ip: inst.vpcAttributes!.privateIpAddress!.ipAddress![0]! };
  };
  const authorize = (securityGroupId: string, p: Record<string, string>) =>
    ecs.authorizeSecurityGroup(
      new $Ecs.AuthorizeSecurityGroupRequest({ regionId, securityGroupId, permissions: [new $Ecs.AuthorizeSecurityGroupRequestPermissions(p)] }),
    );
  const revoke = (securityGroupId: string, p: Record<string, string>) =>
    ecs.revokeSecurityGroup(
      new $Ecs.RevokeSecurityGroupRequest({ regionId, securityGroupId, permissions: [new $Ecs.RevokeSecurityGroupRequestPermissions(p)] }),
    );
  /** Waits (at most 3 s: a pass is 100 ms here) until `from` does or does not reach `to:port`. */
  const becomes = (from: { id: string }, to: { ip: string }, port: number, want: boolean) =>
    until(
      `${from.id} → ${to.ip}:${port} ${want ? 'reached' : 'dropped'}`,
      () => reaches(from.id, to.ip, port),
      (v) => v === want,
      3000,
      50,
    );

  before(async () => {
    server = await startServer({ dataDir, args: SERVER_ARGS });
    ecs = ecsClient(server);
    const vpc = vpcClient(server);
    const vpcId = (await vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId, cidrBlock: '10.3.0.0/16' }))).body!.vpcId!;
    const vsw = (await vpc.createVSwitch(new $Vpc.CreateVSwitchRequest({ regionId, vpcId, cidrBlock: '10.3.0.0/24', zoneId }))).body!.vSwitchId!;
    serverGroup = (await ecs.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ regionId, vpcId, securityGroupName: 'web' }))).body!.securityGroupId!;
    clientGroup = (await ecs.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ regionId, vpcId, securityGroupName: 'clients' }))).body!
      .securityGroupId!;
    web = await launch(vsw, serverGroup);
    peer = await launch(vsw, serverGroup);
    client = await launch(vsw, clientGroup);
    // The instances' primaries are configured once they run: the client reaches the gateway (never filtered).
    await until(
      'the client namespace is up',
      () => reaches(client.id, '10.3.0.253', 9),
      (v) => v,
      20_000,
    );
  });

  after(async () => {
    await server?.stop();
    runCli(['dataplane', 'down']);
    assert.deepEqual(ownNamespaces(), [], 'no ep- namespace is left');
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  test('inbound: nothing without a rule; a port rule opens that port only; a revoke closes it again within a second', async () => {
    await becomes(client, web, 8080, false);
    await authorize(serverGroup, { ipProtocol: 'TCP', portRange: '8080/8080', sourceCidrIp: `${client.ip}/32`, policy: 'accept', priority: '1' });
    await becomes(client, web, 8080, true);
    assert.equal(reaches(client.id, web.ip, 9090), false, 'another port stays closed');
    await revoke(serverGroup, { ipProtocol: 'TCP', portRange: '8080/8080', sourceCidrIp: `${client.ip}/32`, policy: 'accept', priority: '1' });
    await becomes(client, web, 8080, false);
  });

  test('a group as the source; a drop of higher priority wins over an accept', async () => {
    await authorize(serverGroup, { ipProtocol: 'TCP', portRange: '7000/7100', sourceGroupId: clientGroup, policy: 'accept', priority: '50' });
    await becomes(client, web, 7070, true);
    await authorize(serverGroup, { ipProtocol: 'TCP', portRange: '7070/7070', sourceCidrIp: '0.0.0.0/0', policy: 'drop', priority: '10' });
    await becomes(client, web, 7070, false);
    assert.equal(reaches(client.id, web.ip, 7071), true, 'the rest of the range stays open');
  });

  test('members of a basic group reach each other until its inner-access policy is Drop', async () => {
    await becomes(peer, web, 9, true);
    await ecs.modifySecurityGroupPolicy(new $Ecs.ModifySecurityGroupPolicyRequest({ regionId, securityGroupId: serverGroup, innerAccessPolicy: 'Drop' }));
    await becomes(peer, web, 9, false);
    await ecs.modifySecurityGroupPolicy(new $Ecs.ModifySecurityGroupPolicyRequest({ regionId, securityGroupId: serverGroup, innerAccessPolicy: 'Accept' }));
    await becomes(peer, web, 9, true);
  });

  test('outbound: an egress drop rule stops the client’s connections', async () => {
    await authorize(serverGroup, { ipProtocol: 'TCP', portRange: '6000/6000', sourceGroupId: clientGroup, policy: 'accept', priority: '1' });
    await becomes(client, web, 6000, true);
    await ecs.authorizeSecurityGroupEgress(
      new $Ecs.AuthorizeSecurityGroupEgressRequest({
        regionId,
        securityGroupId: clientGroup,
        permissions: [
          new $Ecs.AuthorizeSecurityGroupEgressRequestPermissions({
            ipProtocol: 'TCP',
            portRange: '6000/6000',
            destCidrIp: `${web.ip}/32`,
            policy: 'drop',
            priority: '1',
          }),
        ],
      }),
    );
    await becomes(client, web, 6000, false);
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import * as $Ecs from '@alicloud/ecs20140526';
import * as $Vpc from '@alicloud/vpc20160428';
import pg from 'pg';
import { ecsClient, vpcClient } from '../helpers/clients.ts';
import { startServer, type RunningServer } from '../helpers/server.ts';

/**
 * Calls that lock two security groups take them in ID order, so calls crossing between the same
 * two groups wait for each other instead of deadlocking. On PostgreSQL a deadlock is broken after
 * deadlock_timeout (1 s) by aborting one transaction, which store/tx.ts retries: the calls still
 * succeed, so success proves nothing. What these tests read is PostgreSQL's own count of
 * deadlocks in the server's database (pg_stat_database), after the server has stopped (a backend
 * flushes its statistics when it exits).
 */

const regionId = 'cn-hangzhou';
const ROUNDS = 30;

function databaseUrlOf(server: RunningServer): string {
  const i = server.storeArgs.indexOf('--db');
  assert.ok(i >= 0, `a PostgreSQL test server has --db in its store flags: ${server.storeArgs.join(' ')}`);
  return server.storeArgs[i + 1]!;
}

/** Stops the server and returns how many deadlocks PostgreSQL counted in its database. */
async function deadlocksAfterStopping(server: RunningServer): Promise<number> {
  const url = new URL(databaseUrlOf(server));
  const database = url.pathname.slice(1);
  await server.stop();
  url.pathname = '/postgres';
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    // The server's connections are closed; their backends flush statistics as they exit.
    for (let i = 0; i < 100; i++) {
      const { rows } = await client.query('select count(*)::int as n from pg_stat_activity where datname = $1', [database]);
      if (rows[0].n === 0) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    await client.query('select pg_stat_clear_snapshot()');
    const { rows } = await client.query('select deadlocks::int as n from pg_stat_database where datname = $1', [database]);
    return rows[0].n as number;
  } finally {
    await client.end();
  }
}

describe('lock order between security groups', { skip: !process.env.ENIPLANE_TEST_PG && 'needs PostgreSQL (runs in the PostgreSQL pass)' }, () => {
  async function twoGroups(server: RunningServer) {
    const vpc = vpcClient(server);
    const ecs = ecsClient(server);
    const vpcId = (await vpc.createVpc(new $Vpc.CreateVpcRequest({ regionId, cidrBlock: '10.0.0.0/8' }))).body!.vpcId!;
    const group = async () => (await ecs.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ regionId, vpcId }))).body!.securityGroupId!;
    return { ecs, vpc, vpcId, a: await group(), b: await group() };
  }

  test('AuthorizeSecurityGroup on A referencing B, and on B referencing A, at once: no deadlock', async () => {
    const server = await startServer();
    try {
      const { ecs, a, b } = await twoGroups(server);
      const authorize = (securityGroupId: string, sourceGroupId: string, port: number) =>
        ecs.authorizeSecurityGroup(
          new $Ecs.AuthorizeSecurityGroupRequest({
            regionId,
            securityGroupId,
            permissions: [new $Ecs.AuthorizeSecurityGroupRequestPermissions({ ipProtocol: 'tcp', portRange: `${port}/${port}`, sourceGroupId })],
          }),
        );
      const revoke = (securityGroupId: string, sourceGroupId: string, port: number) =>
        ecs.revokeSecurityGroup(
          new $Ecs.RevokeSecurityGroupRequest({
            regionId,
            securityGroupId,
            permissions: [new $Ecs.RevokeSecurityGroupRequestPermissions({ ipProtocol: 'tcp', portRange: `${port}/${port}`, sourceGroupId })],
          }),
        );
      // A group holds at most 20 rules that reference groups: each round's rules go again.
      for (let round = 0; round < ROUNDS; round++) {
        await Promise.all([authorize(a, b, 1000 + round), authorize(b, a, 1000 + round)]);
        const rules = await ecs.describeSecurityGroupAttribute(new $Ecs.DescribeSecurityGroupAttributeRequest({ regionId, securityGroupId: a }));
        assert.equal(rules.body!.permissions!.permission!.length, 1);
        await Promise.all([revoke(a, b, 1000 + round), revoke(b, a, 1000 + round)]);
      }
    } finally {
      const deadlocks = await deadlocksAfterStopping(server).finally(() => server.dispose());
      assert.equal(deadlocks, 0, 'deadlocks counted by PostgreSQL');
    }
  });

  test('ModifySecurityGroupRule of a rule of A to reference B, and of a rule of B to reference A, at once: no deadlock', async () => {
    const server = await startServer();
    try {
      const { ecs, vpcId, a, b } = await twoGroups(server);
      const c = (await ecs.createSecurityGroup(new $Ecs.CreateSecurityGroupRequest({ regionId, vpcId }))).body!.securityGroupId!;
      const ruleOf = async (securityGroupId: string) => {
        await ecs.authorizeSecurityGroup(
          new $Ecs.AuthorizeSecurityGroupRequest({
            regionId,
            securityGroupId,
            permissions: [new $Ecs.AuthorizeSecurityGroupRequestPermissions({ ipProtocol: 'tcp', portRange: '22/22', sourceGroupId: c })],
          }),
        );
        const attr = await ecs.describeSecurityGroupAttribute(new $Ecs.DescribeSecurityGroupAttributeRequest({ regionId, securityGroupId }));
        return attr.body!.permissions!.permission![0]!.securityGroupRuleId!;
      };
      const inA = await ruleOf(a);
      const inB = await ruleOf(b);
      const point = (securityGroupId: string, securityGroupRuleId: string, sourceGroupId: string) =>
        ecs.modifySecurityGroupRule(new $Ecs.ModifySecurityGroupRuleRequest({ regionId, securityGroupId, securityGroupRuleId, sourceGroupId }));
      for (let round = 0; round < ROUNDS; round++) {
        await Promise.all([point(a, inA, b), point(b, inB, a)]);
        await Promise.all([point(a, inA, c), point(b, inB, c)]);
      }
      const attr = await ecs.describeSecurityGroupAttribute(new $Ecs.DescribeSecurityGroupAttributeRequest({ regionId, securityGroupId: a }));
      assert.equal(attr.body!.permissions!.permission![0]!.sourceGroupId, c);
    } finally {
      const deadlocks = await deadlocksAfterStopping(server).finally(() => server.dispose());
      assert.equal(deadlocks, 0, 'deadlocks counted by PostgreSQL');
    }
  });

  test('JoinSecurityGroup of an ENI in A to B, and of an ENI in B to A, at once: no deadlock', async () => {
    const server = await startServer();
    try {
      const { ecs, vpc, vpcId, a, b } = await twoGroups(server);
      const vSwitchId = (await vpc.createVSwitch(new $Vpc.CreateVSwitchRequest({ regionId, vpcId, cidrBlock: '10.1.0.0/24', zoneId: 'cn-hangzhou-i' }))).body!
        .vSwitchId!;
      const eni = async (securityGroupId: string) =>
        (await ecs.createNetworkInterface(new $Ecs.CreateNetworkInterfaceRequest({ regionId, vSwitchId, securityGroupId }))).body!.networkInterfaceId!;
      const inA = await eni(a);
      const inB = await eni(b);
      const join = (networkInterfaceId: string, securityGroupId: string) =>
        ecs.joinSecurityGroup(new $Ecs.JoinSecurityGroupRequest({ regionId, networkInterfaceId, securityGroupId }));
      const leave = (networkInterfaceId: string, securityGroupId: string) =>
        ecs.leaveSecurityGroup(new $Ecs.LeaveSecurityGroupRequest({ regionId, networkInterfaceId, securityGroupId }));
      for (let round = 0; round < ROUNDS; round++) {
        await Promise.all([join(inA, b), join(inB, a)]);
        await Promise.all([leave(inA, b), leave(inB, a)]);
      }
      const attr = await ecs.describeNetworkInterfaceAttribute(new $Ecs.DescribeNetworkInterfaceAttributeRequest({ regionId, networkInterfaceId: inA }));
      assert.deepEqual(attr.body!.securityGroupIds!.securityGroupId, [a]);
    } finally {
      const deadlocks = await deadlocksAfterStopping(server).finally(() => server.dispose());
      assert.equal(deadlocks, 0, 'deadlocks counted by PostgreSQL');
    }
  });
});

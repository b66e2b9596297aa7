import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as $Ecs from '@alicloud/ecs20140526';
import { ecsClient } from '../helpers/clients.ts';
import { runExample } from '../helpers/run-example.ts';
import { startServer } from '../helpers/server.ts';

test('examples/trunk-enis.ts: a trunk ENI on a node, two member ENIs with their VLAN IDs, the EniLinked refusal, then everything detached and deleted, with real delays', async () => {
  const server = await startServer({
    args: ['--delays', 'none,vpcCreate=200,vswitchCreate=200,eniAttach=300,eniDetach=300,eniDelete=300,instanceCreate=300,instanceStart=300'],
  });
  try {
    const run = await runExample('examples/trunk-enis.ts', server.endpoint);
    assert.equal(run.status, 0, run.stderr + run.stdout);
    assert.match(run.stdout, /member eni-\S+: Type Member, InstanceId i-\S+, trunk eni-\S+, VLAN 1, 192\.168\.2\.\d+/);
    assert.match(run.stdout, /member eni-\S+: Type Member, InstanceId i-\S+, trunk eni-\S+, VLAN 2, 192\.168\.2\.\d+/);
    const m =
      /node (i-\S+) \(ecs\.g7\.xlarge: 4 ENIs of its own, 20 in all\): trunk (eni-\S+) with 2 members listed by Type=Member, 2 in its attachment; detaching the trunk with members: InvalidOperation\.EniLinked; members and trunk detached and deleted/.exec(
        run.stdout,
      );
    assert.ok(m, run.stdout);
    // Only the node's primary ENI is left.
    const left = await ecsClient(server).describeNetworkInterfaces(
      new $Ecs.DescribeNetworkInterfacesRequest({ regionId: 'cn-hangzhou', instanceId: m[1], maxResults: 100 }),
    );
    assert.deepEqual(
      left.body!.networkInterfaceSets!.networkInterfaceSet!.map((e) => e.type),
      ['Primary'],
    );
  } finally {
    await server.dispose();
  }
});

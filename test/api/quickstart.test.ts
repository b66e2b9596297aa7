import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import * as $Ecs from '@alicloud/ecs20140526';
import * as $Vpc from '@alicloud/vpc20160428';
import { ecsClient, vpcClient } from '../helpers/clients.ts';
import { TEST_KEY, startServer } from '../helpers/server.ts';

test('README quick start: examples/quickstart.mjs creates a VPC, vSwitch and security group, polling through Pending; all survive a restart', async () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'eniplane-quickstart-'));
  try {
    // Short but real delays, so the example's polling is exercised.
    const server = await startServer({ dataDir, args: ['--delays', 'realistic,vpcCreate=300,vswitchCreate=300'] });
    const run = spawnSync(process.execPath, ['examples/quickstart.mjs'], {
      env: {
        ...process.env,
        ENIPLANE_ENDPOINT: server.endpoint,
        ALIBABA_CLOUD_ACCESS_KEY_ID: TEST_KEY.accessKeyId,
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: TEST_KEY.accessKeySecret,
      },
      encoding: 'utf8',
      timeout: 60_000,
    });
    await server.stop();
    assert.equal(run.status, 0, run.stderr);
    const m = /VPC (vpc-\S+), vSwitch (vsw-\S+) \(192\.168\.1\.0\/24, 252 free addresses\), security group (sg-\S+)/.exec(run.stdout);
    assert.ok(m, run.stdout);

    const again = await startServer({ dataDir });
    try {
      const vpcs = await vpcClient(again).describeVpcs(new $Vpc.DescribeVpcsRequest({ regionId: 'cn-hangzhou', vpcId: m[1] }));
      assert.equal(vpcs.body!.vpcs!.vpc![0]!.vSwitchIds!.vSwitchId![0], m[2]);
      const sgs = await ecsClient(again).describeSecurityGroups(new $Ecs.DescribeSecurityGroupsRequest({ regionId: 'cn-hangzhou', vpcId: m[1] }));
      assert.equal(sgs.body!.securityGroups!.securityGroup![0]!.securityGroupId, m[3]);
    } finally {
      await again.stop();
    }
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
});

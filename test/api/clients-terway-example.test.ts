import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import * as $Ecs from '@alicloud/ecs20140526';
import { ecsClient } from '../helpers/clients.ts';
import { TEST_KEY, startServer } from '../helpers/server.ts';

function runExample(endpoint: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['examples/terway-node.mjs'], {
      env: {
        ...process.env,
        ENIPLANE_ENDPOINT: endpoint,
        ALIBABA_CLOUD_ACCESS_KEY_ID: TEST_KEY.accessKeyId,
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: TEST_KEY.accessKeySecret,
        TERWAY_TIME_SCALE: '0.1',
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill(), 90_000);
    child.on('exit', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

test("examples/terway-node.mjs: a Terway node's ENI workflow (daemon ENI, idempotent retry, pod ENI from another vSwitch, release) succeeds against default settings with real delays", async () => {
  const server = await startServer({ args: ['--delays', 'none,eniAttach=300,eniDetach=300,eniDelete=300,instanceCreate=300,instanceStart=300'] });
  try {
    const run = await runExample(server.endpoint);
    assert.equal(run.status, 0, run.stderr + run.stdout);
    const m =
      /Terway node (i-\S+) \(ecs\.g7\.xlarge, 15 addresses per ENI\): daemon ENI (eni-\S+) in (vsw-\S+) with 6 addresses, pod ENI (eni-\S+) in (vsw-\S+); both attached, detached and deleted/.exec(
        run.stdout,
      );
    assert.ok(m, run.stdout);
    assert.notEqual(m[3], m[5], 'the pod ENI came from the other vSwitch');
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

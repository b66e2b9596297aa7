import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { TEST_KEY, startServer } from '../helpers/server.ts';

function runExample(endpoint: string, args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    // NODE_TEST_CONTEXT would make a `node --test` child report to this runner instead of printing its results.
    const { NODE_TEST_CONTEXT: _, ...env } = process.env;
    const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
      env: {
        ...env,
        ENIPLANE_ENDPOINT: endpoint,
        ALIBABA_CLOUD_ACCESS_KEY_ID: TEST_KEY.accessKeyId,
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: TEST_KEY.accessKeySecret,
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

test('examples/faults-retry.ts: a reset account, a create retried through two injected 503s with one ClientToken, an attach that ends in Available attached again; with real delays', async () => {
  const server = await startServer({ args: ['--delays', 'none,vpcCreate=200,vswitchCreate=200,eniAttach=300,instanceCreate=300'] });
  try {
    const run = await runExample(server.endpoint, ['examples/faults-retry.ts']);
    assert.equal(run.status, 0, run.stderr + run.stdout);
    const out = run.stdout;
    assert.match(out, /ResetAccount: removed 0 Instances/);
    assert.equal(out.match(/CreateNetworkInterface: attempt \d answered ServiceUnavailable \(HTTP 503\)/g)?.length, 2, out);
    assert.match(out, /CreateNetworkInterface: eni-\S+ after the retries; the vSwitch holds 1 secondary ENI/);
    assert.match(out, /attach 1 of eni-\S+ ended in Available; attaching again/);
    assert.match(out, /AttachNetworkInterface: eni-\S+ InUse on i-\S+ after 2 attach\(es\)/);
    assert.match(out, /fault Ecs:CreateNetworkInterface: matched 3, injected 2/);
    assert.match(out, /fault Ecs:AttachNetworkInterface: matched 2, injected 1/);
    assert.match(out, /ClearFaults: removed 2/);
    // Run again on the same account: its reset removes what the first run made.
    const again = await runExample(server.endpoint, ['examples/faults-retry.ts']);
    assert.equal(again.status, 0, again.stderr + again.stdout);
    assert.match(again.stdout, /ResetAccount: removed 1 Instances, 2 NetworkInterfaces, 0 EipAddresses, 1 Vpcs, 1 VSwitches, 1 SecurityGroups/);
  } finally {
    await server.dispose();
  }
});

test('examples/reset-between-tests.ts: a node:test suite with ResetAccount in beforeEach passes, each test on an empty account', async () => {
  const server = await startServer();
  try {
    const run = await runExample(server.endpoint, ['--test', 'examples/reset-between-tests.ts']);
    assert.equal(run.status, 0, run.stderr + run.stdout);
    assert.match(run.stdout, /# pass 3/);
  } finally {
    await server.dispose();
  }
});

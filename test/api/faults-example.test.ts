import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runExample } from '../helpers/run-example.ts';
import { startServer } from '../helpers/server.ts';

test('examples/faults-retry.ts: a reset account, a create retried through two injected 503s with one ClientToken, an attach that ends in Available attached again; with real delays', async () => {
  const server = await startServer({ args: ['--delays', 'none,vpcCreate=200,vswitchCreate=200,eniAttach=300,instanceCreate=300'] });
  try {
    const run = await runExample('examples/faults-retry.ts', server.endpoint);
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
    const again = await runExample('examples/faults-retry.ts', server.endpoint);
    assert.equal(again.status, 0, again.stderr + again.stdout);
    assert.match(again.stdout, /ResetAccount: removed 1 Instances, 2 NetworkInterfaces, 0 EipAddresses, 1 Vpcs, 1 VSwitches, 1 SecurityGroups/);
  } finally {
    await server.dispose();
  }
});

test('examples/reset-between-tests.ts: a node:test suite with ResetAccount in beforeEach passes, each test on an empty account', async () => {
  const server = await startServer();
  try {
    const run = await runExample(['--test', 'examples/reset-between-tests.ts'], server.endpoint);
    assert.equal(run.status, 0, run.stderr + run.stdout);
    assert.match(run.stdout, /# pass 3/);
  } finally {
    await server.dispose();
  }
});

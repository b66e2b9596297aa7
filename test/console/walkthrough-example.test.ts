import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { after, before, test } from 'node:test';
import { startServer, TEST_KEY, type RunningServer } from '../helpers/server.ts';
import { browserAvailable, CHROMIUM } from './harness.ts';

function runExample(server: RunningServer): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'examples/console-walkthrough.ts'], {
      env: {
        ...process.env,
        ENIPLANE_ENDPOINT: server.endpoint,
        ENIPLANE_METADATA: server.metadataUrl,
        ENIPLANE_CHROMIUM: CHROMIUM,
        ALIBABA_CLOUD_ACCESS_KEY_ID: TEST_KEY.accessKeyId,
        ALIBABA_CLOUD_ACCESS_KEY_SECRET: TEST_KEY.accessKeySecret,
      },
    });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill(), 120_000);
    child.on('exit', (status) => {
      clearTimeout(timer);
      resolve({ status, output });
    });
  });
}

let server: RunningServer;
let ready = false;
before(async (t) => {
  ready = browserAvailable(t as never);
  // Every asynchronous state really happens (Pending VPC and vSwitch, Pending/Starting instance,
  // Attaching ENI), shortened so the walkthrough stays quick.
  if (ready)
    server = await startServer({
      args: ['--delays', 'none,vpcCreate=300,vswitchCreate=300,instanceCreate=500,instanceStart=500,eniAttach=800'],
    });
});
after(() => server?.dispose());

test('examples/console-walkthrough.ts: both seed documents’ console steps in Chromium, seen through the API and the metadata service', async (t) => {
  if (!ready) return t.skip('no Chromium');
  const run = await runExample(server);
  assert.equal(run.status, 0, run.output);
  assert.match(run.output, /Custom Launch with Existing ENI (eni-\S+) as the primary ENI: (i-\S+), Running/);
  assert.match(run.output, /Bind Secondary ENI (eni-\S+) → OK: InUse/);
  const listed = /Assign New IP ×2 → Modify: the dialog lists (192\.168\.1\.\d+), (192\.168\.1\.\d+), (192\.168\.1\.\d+)/.exec(run.output);
  assert.ok(listed, run.output);
  assert.match(run.output, new RegExp(`DescribeNetworkInterfaces: eni-\\S+ InUse on i-\\S+, ${listed.slice(1).join(', ').replaceAll('.', '\\.')}`));
  assert.match(run.output, /private-ipv4s: \["192\.168\.1\.\d+","192\.168\.1\.\d+","192\.168\.1\.\d+"\]/);
});

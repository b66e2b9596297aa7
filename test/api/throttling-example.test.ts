import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { TEST_KEY, startServer } from '../helpers/server.ts';

function runExample(endpoint: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'examples/throttling-retry.ts'], {
      env: {
        ...process.env,
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

test("examples/throttling-retry.ts: a burst meets Throttling.User; retried by hand after retryAfter, then by the SDK's own retryOptions", async () => {
  const server = await startServer({ args: ['--throttle', 'DescribeNetworkInterfaces=5/s'] });
  try {
    const run = await runExample(server.endpoint);
    assert.equal(run.status, 0, run.stderr + run.stdout);
    const first = /call (\d+): Throttling\.User \(HTTP 400\), retry after (\d+) ms/.exec(run.stdout);
    assert.ok(first, run.stdout);
    // 5 calls pass per clock second: the first throttled one is the 6th, or later when the burst straddles a second.
    assert.ok(Number(first[1]) >= 6 && Number(first[2]) <= 1000, run.stdout);
    const byHand = /by hand: 12 calls done in (\d+) ms, (\d+) throttled/.exec(run.stdout);
    assert.ok(byHand && Number(byHand[2]) >= 1, run.stdout);
    // 12 calls at 5 per clock second span at least two window boundaries.
    const sdk = /with retryOptions: 12 concurrent calls all answered in (\d+) ms/.exec(run.stdout);
    assert.ok(sdk && Number(sdk[1]) >= 1000, run.stdout);
  } finally {
    await server.dispose();
  }
});

test('examples/throttling-retry.ts: against a server without --throttle it says so and fails', async () => {
  const server = await startServer();
  try {
    const run = await runExample(server.endpoint);
    assert.equal(run.status, 1);
    assert.match(run.stdout, /no call was throttled: start the server with --throttle/);
  } finally {
    await server.dispose();
  }
});

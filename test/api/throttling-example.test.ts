import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runExample } from '../helpers/run-example.ts';
import { startServer } from '../helpers/server.ts';

test("examples/throttling-retry.ts: a burst meets Throttling.User; retried by hand after retryAfter, then by the SDK's own retryOptions", async () => {
  const server = await startServer({ args: ['--throttle', 'DescribeNetworkInterfaces=5/s'] });
  try {
    const run = await runExample('examples/throttling-retry.ts', server.endpoint);
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
    const run = await runExample('examples/throttling-retry.ts', server.endpoint);
    assert.equal(run.status, 1);
    assert.match(run.stdout, /no call was throttled: start the server with --throttle/);
  } finally {
    await server.dispose();
  }
});

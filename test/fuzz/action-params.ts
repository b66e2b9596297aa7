/**
 * Every declared action's parameters, fuzzed from the declarations (schema-params.ts), signed so
 * they reach decoding and the action, through app.inject on an in-process server (target.ts); run
 * by action-params-{0,1}.test.ts, each for every other action.
 * Oracles for every request: a success or the cloud's 4xx envelope, never a 5xx (oracles.ts);
 * nothing logged as an error; a refused request commits no write to any table but the nonce
 * tables (counted by triggers, and cross-checked by hashing every table through Kysely on a
 * sample); the heap after the run within a margin of the heap after the warm-up.
 */
import assert from 'node:assert/strict';
import type { TestContext } from 'node:test';
import { allActions } from '../../src/api/registry.ts';
import { fuzz, rateOf, runsFor } from './fuzz-run.ts';
import { heapAfterGc, MiB } from './memory.ts';
import { BEFORE_SIGNATURE_CODES, judgeRpcAnswer, Tally } from './oracles.ts';
import { buildRpcRequest, describeRequest, rpcCallArbitrary } from './rpc-requests.ts';
import { changedTables, startFuzzTarget } from './target.ts';

/** One request in this many is bracketed by full snapshots of the store (the triggers' cross-check). */
const SNAPSHOT_EVERY = 250;
/** Heap growth allowed from the end of the warm-up to the end of the run (see README "Fuzzing"). */
const HEAP_MARGIN = 48 * MiB;

export async function fuzzActionParams(file: string, half: 0 | 1, t: TestContext): Promise<void> {
  const runs = runsFor(0.35);
  const tally = new Tally();
  // Every other declared action: two files share the actions, so two cores can share the work.
  const actions = allActions().filter((_, i) => i % 2 === half);
  const warmUp = Math.min(2000, Math.floor(runs / 10));
  let sent = 0;
  // The write counters after the previous request: one read per request instead of two (unset
  // after a failed run, whose request may not have been counted).
  let lastWrites: { state: number; nonces: number } | undefined;
  const target = await startFuzzTarget(`action-params-${half}`);
  try {
    let heapAtWarm = 0;
    const started = { wall: performance.now(), cpu: process.cpuUsage() };
    await fuzz(file, runs, rpcCallArbitrary(actions, target.fixture), async (call) => {
      sent++;
      const writesBefore = lastWrites ?? (await target.writes());
      lastWrites = undefined;
      target.errorLog.length = 0; // a failed run's lines must not be blamed on the next one (shrinking reruns)
      await new Promise(setImmediate); // the event loop turns between requests, as on a real server
      if (sent === warmUp) heapAtWarm = heapAfterGc();
      // One second per request: timestamps stay fresh, and spent nonces age out of the 30-minute
      // memory like a real server's do, so the heap measures what a request leaves behind.
      target.clock.advance(1000);
      const key = call.otherKey ? target.fixture.other.key : target.fixture.main.key;
      const req = buildRpcRequest(call, { key, now: target.clock.now(), nonce: `params-${sent}`, host: 'localhost:80' });
      const context = describeRequest(call.action, req);
      const snapshotBefore = sent % SNAPSHOT_EVERY === 0 ? await target.snapshot() : undefined;
      const res = await target.api.inject(req);
      const verdict = judgeRpcAnswer({ status: res.statusCode, contentType: String(res.headers['content-type'] ?? ''), body: res.body }, context);
      tally.record(call.action, verdict);
      assert.deepEqual(target.errorLog.splice(0), [], `the server logged an error\n  request: ${context}`);
      const writesAfter = await target.writes();
      if (verdict.kind === 'success') {
        lastWrites = writesAfter;
        return;
      }
      assert.equal(writesAfter.state, writesBefore.state, `refused with ${verdict.code}, yet rows were written\n  request: ${context}`);
      if (BEFORE_SIGNATURE_CODES.has(verdict.code))
        assert.equal(writesAfter.nonces, writesBefore.nonces, `refused with ${verdict.code}, yet a nonce was spent`);
      if (snapshotBefore) {
        assert.deepEqual(
          changedTables(snapshotBefore, await target.snapshot(), false),
          [],
          `refused with ${verdict.code}, yet tables changed\n  request: ${context}`,
        );
      }
      lastWrites = writesAfter;
    });
    t.diagnostic(rateOf(runs, started));
    const heapGrowth = heapAfterGc() - heapAtWarm;
    t.diagnostic(tally.summary());
    t.diagnostic(`heap growth after the warm-up: ${(heapGrowth / MiB).toFixed(1)} MiB (margin ${HEAP_MARGIN / MiB} MiB)`);
    assert.ok(heapGrowth < HEAP_MARGIN, `the heap grew by ${(heapGrowth / MiB).toFixed(1)} MiB over ${runs} requests`);

    // The fuzzer must get past the gateway and into the actions, or it tests nothing but signatures.
    if (runs >= 5000) {
      assert.ok(tally.pastGateway > 0.9 * tally.total, `only ${tally.pastGateway} of ${tally.total} requests got past the signature checks`);
      assert.ok(tally.successes > 0.03 * tally.total, `only ${tally.successes} successes in ${tally.total}`);
      const unreached = actions.map((a) => a.def.name).filter((name) => !tally.reachedByAction.has(name));
      assert.deepEqual(unreached, [], 'actions the fuzzer never got to');
    }
  } finally {
    await target.close();
  }
}

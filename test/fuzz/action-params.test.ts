/**
 * Every declared action's parameters, fuzzed from the declarations (schema-params.ts), signed so
 * they reach decoding and the action, through app.inject on an in-process server (target.ts).
 * Oracles for every request: a success or the cloud's 4xx envelope, never a 5xx (oracles.ts);
 * nothing logged as an error; a refused request commits no write to any table but the nonce
 * tables (counted by triggers, and cross-checked by hashing every table through Kysely on a
 * sample); the heap after the run within a margin of the heap after the warm-up.
 */
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { allActions } from '../../src/api/registry.ts';
import { fuzz, runsFor } from './fuzz-run.ts';
import { heapAfterGc, MiB } from './memory.ts';
import { BEFORE_SIGNATURE_CODES, judgeRpcAnswer, Tally } from './oracles.ts';
import { buildRpcRequest, describeRequest, rpcCallArbitrary } from './rpc-requests.ts';
import { changedTables, startFuzzTarget, type FuzzTarget } from './target.ts';

const FILE = fileURLToPath(import.meta.url);
/** This file's share of ENIPLANE_FUZZ_RUNS: most of the suite's requests. */
const RUNS = runsFor(0.7);
/** One request in this many is bracketed by full snapshots of the store (the triggers' cross-check). */
const SNAPSHOT_EVERY = 250;
/** Heap growth allowed from the end of the warm-up to the end of the run (see README "Fuzzing"). */
const HEAP_MARGIN = 48 * MiB;

let target: FuzzTarget;
before(async () => {
  target = await startFuzzTarget('action-params');
});
after(() => target.close());

test('every action, parameters generated from its declaration: a success or a 4xx envelope, and a refusal changes nothing', async (t) => {
  const tally = new Tally();
  const actions = allActions();
  const warmUp = Math.min(2000, Math.floor(RUNS / 10));
  let sent = 0;
  let heapAtWarm = 0;
  await fuzz(FILE, RUNS, rpcCallArbitrary(actions, target.fixture), async (call) => {
    sent++;
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
    const writesBefore = await target.writes();
    const res = await target.api.inject(req);
    const verdict = judgeRpcAnswer({ status: res.statusCode, contentType: String(res.headers['content-type'] ?? ''), body: res.body }, context);
    tally.record(call.action, verdict);
    assert.deepEqual(target.errorLog.splice(0), [], `the server logged an error\n  request: ${context}`);
    if (verdict.kind === 'success') return;
    const writesAfter = await target.writes();
    assert.equal(writesAfter.state, writesBefore.state, `refused with ${verdict.code}, yet rows were written\n  request: ${context}`);
    if (BEFORE_SIGNATURE_CODES.has(verdict.code)) assert.equal(writesAfter.nonces, writesBefore.nonces, `refused with ${verdict.code}, yet a nonce was spent`);
    if (snapshotBefore) {
      assert.deepEqual(
        changedTables(snapshotBefore, await target.snapshot(), false),
        [],
        `refused with ${verdict.code}, yet tables changed\n  request: ${context}`,
      );
    }
  });
  const heapGrowth = heapAfterGc() - heapAtWarm;
  t.diagnostic(tally.summary());
  t.diagnostic(`heap growth after the warm-up: ${(heapGrowth / MiB).toFixed(1)} MiB (margin ${HEAP_MARGIN / MiB} MiB)`);
  assert.ok(heapGrowth < HEAP_MARGIN, `the heap grew by ${(heapGrowth / MiB).toFixed(1)} MiB over ${RUNS} requests`);

  // The fuzzer must get past the gateway and into the actions, or it tests nothing but signatures.
  if (RUNS >= 5000) {
    assert.ok(tally.pastGateway > 0.9 * tally.total, `only ${tally.pastGateway} of ${tally.total} requests got past the signature checks`);
    assert.ok(tally.successes > 0.03 * tally.total, `only ${tally.successes} successes in ${tally.total}`);
    const unreached = actions.map((a) => a.def.name).filter((name) => !tally.reachedByAction.has(name));
    assert.deepEqual(unreached, [], 'actions the fuzzer never got to');
  }
});

/**
 * The signature's inputs and headers, fuzzed around valid calls (signature-inputs.ts), through
 * app.inject on an in-process server. Oracles: a success or the cloud's 4xx envelope; a request
 * tampered with after signing is refused; a refused request commits no write outside the nonce
 * tables, and one refused before its signature is proven spends no nonce either.
 */
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, test } from 'node:test';
import { fuzz, rateOf, runsFor } from './fuzz-run.ts';
import { BEFORE_SIGNATURE_CODES, judgeRpcAnswer, Tally } from './oracles.ts';
import { describeRequest } from './rpc-requests.ts';
import { baseCalls, buildSignatureRequest, signatureCaseArbitrary } from './signature-inputs.ts';
import { startFuzzTarget, type FuzzTarget } from './target.ts';

const FILE = fileURLToPath(import.meta.url);
const RUNS = runsFor(0.12);

let target: FuzzTarget;
before(async () => {
  target = await startFuzzTarget('signatures');
});
after(() => target.close());

test('signature inputs and headers, V1 and V3: the envelope, tampering refused, a refusal changes nothing', async (t) => {
  const tally = new Tally();
  const calls = baseCalls(target.fixture);
  let sent = 0;
  let tampered = 0;
  const started = { wall: performance.now(), cpu: process.cpuUsage() };
  await fuzz(FILE, RUNS, signatureCaseArbitrary(calls.length), async (c) => {
    sent++;
    target.errorLog.length = 0; // a failed run's lines must not be blamed on the next one (shrinking reruns)
    await new Promise(setImmediate); // the event loop turns between requests, as on a real server
    target.clock.advance(1000);
    const built = buildSignatureRequest(c, calls, {
      fixture: target.fixture,
      temporary: await target.temporaryKey(),
      now: target.clock.now(),
      nonce: `sig-${sent}`,
      spentNonce: `sig-${Math.max(1, sent - 1 - (sent % 7))}`,
      host: 'localhost:80',
    });
    const context = `${describeRequest(calls[c.call]!.action, built.request)}\n  case: ${JSON.stringify(c).slice(0, 2000)}`;
    const writesBefore = await target.writes();
    const res = await target.api.inject(built.request);
    const verdict = judgeRpcAnswer({ status: res.statusCode, contentType: String(res.headers['content-type'] ?? ''), body: res.body }, context);
    tally.record(calls[c.call]!.action, verdict);
    assert.deepEqual(target.errorLog.splice(0), [], `the server logged an error\n  request: ${context}`);
    if (built.tampered) {
      tampered++;
      assert.equal(verdict.kind, 'refused', `a request changed after signing was accepted\n  request: ${context}`);
    }
    if (verdict.kind === 'success') return;
    const writesAfter = await target.writes();
    assert.equal(writesAfter.state, writesBefore.state, `refused with ${verdict.code}, yet rows were written\n  request: ${context}`);
    if (BEFORE_SIGNATURE_CODES.has(verdict.code)) {
      assert.equal(
        writesAfter.nonces,
        writesBefore.nonces,
        `refused with ${verdict.code} before the signature was proven, yet a nonce was spent\n  request: ${context}`,
      );
    }
  });
  t.diagnostic(rateOf(RUNS, started));
  t.diagnostic(`${tally.summary()}; ${tampered} tampered after signing, all refused`);
  if (RUNS >= 1000) {
    // Both kinds of outcome must occur, or the generator has drifted into testing one path only.
    assert.ok(tally.successes > 0.05 * tally.total, `only ${tally.successes} successes in ${tally.total}`);
    assert.ok(tampered > 0.1 * tally.total, `only ${tampered} tampered requests in ${tally.total}`);
  }
});

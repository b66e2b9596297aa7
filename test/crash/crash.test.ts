import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCrash, type CrashOptions, type CrashResult } from './harness.ts';

/**
 * The crash harness (harness.ts), CI-sized: 20 SIGKILLs under 8 concurrent writing clients, on
 * SQLite (the SQLite pass of `npm test`) and on PostgreSQL with two replicas (its PostgreSQL pass,
 * ENIPLANE_TEST_PG; CI runs both and fails without PostgreSQL). `npm run bench:crash` runs more
 * kills for BENCHMARKS.md.
 */
const PG = process.env.ENIPLANE_TEST_PG;
const pgSkip = PG ? false : 'runs in the PostgreSQL pass (ENIPLANE_TEST_PG=postgres://USER@HOST:PORT)';
if (pgSkip) console.error(`\n*** SKIPPED: the PostgreSQL case of test/crash (${pgSkip}). CI fails without PostgreSQL. ***\n`);

const CI_SIZE: Omit<CrashOptions, 'store'> = { kills: 20, clients: 8, windowMs: [200, 700], survivorMs: 300 };

function assertNothingLost(r: CrashResult): void {
  assert.equal(r.kills, 20);
  assert.deepEqual(r.lost, [], `lost writes:\n  ${r.lost.join('\n  ')}`);
  assert.deepEqual(r.violations, [], `violations:\n  ${r.violations.join('\n  ')}`);
  // The kills landed on writes: acknowledged ones to keep, and some left without an answer.
  assert.ok(r.acknowledged >= 200, `${r.acknowledged} acknowledged writes`);
  assert.ok(r.unanswered > 0, 'some writes were in flight when the server died');
}

test(
  'crash (SQLite): 20 SIGKILLs under 8 writing clients; after each restart every acknowledged write is there, every unanswered one whole or absent, every invariant holds',
  { skip: PG ? 'ran in the SQLite pass' : false, timeout: 300_000 },
  async () => {
    const r = await runCrash({ store: 'sqlite', ...CI_SIZE, progress: (line) => console.log(line) });
    console.log(`crash (SQLite): ${JSON.stringify({ ...r, restartMs: undefined })}`);
    assertNothingLost(r);
  },
);

test(
  'crash (PostgreSQL, 2 replicas): 20 SIGKILLs of one replica or the other under 8 writing clients; nothing acknowledged is lost, every invariant holds',
  { skip: pgSkip, timeout: 300_000 },
  async () => {
    const r = await runCrash({ store: 'postgres', ...CI_SIZE, pgServer: PG, progress: (line) => console.log(line) });
    console.log(`crash (PostgreSQL): ${JSON.stringify({ ...r, restartMs: undefined })}`);
    assertNothingLost(r);
  },
);

/**
 * `npm run bench:statements [-- OPTIONS]`: where the time of one call goes, for profiling work on
 * the store: each call kind runs in-process (harness/in-process.ts: no HTTP, no signature), over
 * the ENI workloads' request streams (harness/eni-streams.ts), 32 at a time, on a seeded SQLite file, and every better-sqlite3 `all`/`run`/`get` is
 * timed by its SQL text. Prints µs per call, the part spent inside SQLite, and the statements that
 * cost most. With --profile DIR, each call kind's window is also written as a .cpuprofile
 * (summarise with `node --import tsx bench/tools/profile-summary.ts DIR`); statements are not timed then.
 *
 * Not a benchmark of record (no same-run baseline, no server): a tool for finding the next cost.
 *
 * Options: --enis 3000  --calls noop,instance,page,create,assign  --count 3000  --profile DIR
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import SQLite from 'better-sqlite3';
import { migrateToLatest, openStore, sqliteFileIn } from '../src/store/db.ts';
import { positive } from './harness/cli.ts';
import { assignOne, createInCells, describeByInstance, describeByVSwitch } from './harness/eni-streams.ts';
import { inProcessApi } from './harness/in-process.ts';
import { fmt } from './harness/report.ts';
import { SIGNED_NOOP, type ListedRequest } from './harness/scenario.ts';
import { ENI_QUOTA, seedFresh, type SeedState } from './harness/seed.ts';

const { values: opts } = parseArgs({
  options: {
    enis: { type: 'string', default: '3000' },
    calls: { type: 'string', default: 'noop,instance,page,create,assign' },
    count: { type: 'string', default: '3000' },
    profile: { type: 'string' },
  },
});
const COUNT = Math.floor(positive('count', opts.count));
const CONCURRENCY = 32;

const WARMUP_CALLS = 200;

/** Each call kind's requests, over what the seed made; reads go round and round, writes each once. */
function callKinds(state: SeedState, writes: number): Record<string, { requests: ListedRequest[]; cycle: boolean }> {
  // The no-op as the first seeded account (the bench key's root account does not exist in-process).
  const noop = SIGNED_NOOP.requests.map((r) => ({ ...r, key: state.cells[0]!.key }));
  return {
    noop: { requests: noop, cycle: true },
    instance: { requests: describeByInstance(state), cycle: true },
    page: { requests: describeByVSwitch(state), cycle: true },
    create: { requests: createInCells(state, writes), cycle: false },
    assign: { requests: assignOne(state, writes), cycle: false },
  };
}

/** Times every better-sqlite3 statement run while `on`, by SQL text. */
function statementTimer() {
  const times = new Map<string, { runs: number; ns: bigint }>();
  let on = false;
  const probe = new SQLite(':memory:');
  const proto = Object.getPrototypeOf(probe.prepare('select 1')) as Record<string, (...a: unknown[]) => unknown>;
  probe.close();
  for (const method of ['all', 'run', 'get']) {
    const original = proto[method]!;
    proto[method] = function (this: { source: string }, ...args: unknown[]) {
      if (!on) return original.apply(this, args);
      const started = process.hrtime.bigint();
      try {
        return original.apply(this, args);
      } finally {
        const entry = times.get(this.source) ?? { runs: 0, ns: 0n };
        entry.runs++;
        entry.ns += process.hrtime.bigint() - started;
        times.set(this.source, entry);
      }
    };
  }
  return {
    times,
    start: () => {
      times.clear();
      on = true;
    },
    stop: () => void (on = false),
  };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'eniplane-bench-statements-'));
  // Not installed when profiling: its wrapper would show in the profile.
  const timer = opts.profile ? undefined : statementTimer();
  const session = new Session();
  session.connect();
  try {
    const store = await openStore({ kind: 'sqlite', file: sqliteFileIn(dir) });
    await migrateToLatest(store);
    const api = inProcessApi(store);
    const writes = WARMUP_CALLS + COUNT;
    const state = await seedFresh(api, Math.floor(positive('enis', opts.enis)), Math.ceil(writes / ENI_QUOTA) + 1);
    const kinds = callKinds(state, writes);
    for (const name of opts.calls.split(',')) {
      const kind = kinds[name];
      if (!kind) throw new Error(`--calls takes ${Object.keys(kinds).join(', ')}; got "${name}"`);
      if (!kind.cycle && kind.requests.length < writes)
        throw new Error(`${name}: the seed has room for ${kind.requests.length} calls, not ${writes} (raise --enis)`);
      const { requests } = kind;
      const run = async (from: number, count: number) => {
        let next = from;
        await Promise.all(
          Array.from({ length: CONCURRENCY }, async () => {
            while (next < from + count) {
              const r = requests[next++ % requests.length]!;
              const body = await api.call(state.accountIds[r.key]!, r.action, r.version, r.params);
              if (typeof body.Code === 'string') throw new Error(`${name}: ${JSON.stringify(body)}`);
            }
          }),
        );
      };
      await run(0, WARMUP_CALLS); // warm-up: statements prepared, templates built, code optimised
      if (opts.profile) {
        await session.post('Profiler.enable');
        await session.post('Profiler.start');
      } else timer!.start();
      const started = process.hrtime.bigint();
      await run(WARMUP_CALLS, COUNT);
      const perCall = Number(process.hrtime.bigint() - started) / 1000 / COUNT;
      timer?.stop();
      if (opts.profile) {
        const { profile } = await session.post('Profiler.stop');
        mkdirSync(opts.profile, { recursive: true });
        writeFileSync(join(opts.profile, `${name}.cpuprofile`), JSON.stringify(profile));
        console.log(`${name}: ${fmt(perCall)} µs per call (profiled)`);
        continue;
      }
      const inSqlite = [...timer!.times.values()].reduce((n, t) => n + t.ns, 0n);
      console.log(`${name}: ${fmt(perCall)} µs per call, ${fmt(Number(inSqlite) / 1000 / COUNT)} µs of it inside SQLite`);
      for (const [text, t] of [...timer!.times].sort((a, b) => Number(b[1].ns - a[1].ns)).slice(0, 12)) {
        console.log(`  ${fmt(Number(t.ns) / 1000 / COUNT, 1).padStart(7)} µs  ${(t.runs / COUNT).toFixed(2)}×  ${text.replace(/\s+/g, ' ').slice(0, 110)}`);
      }
    }
    await store.close();
  } finally {
    session.disconnect();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});

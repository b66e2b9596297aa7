/**
 * `npm run bench:statements [-- OPTIONS]`: where the time of one call goes, for profiling work on
 * the store: each call kind runs in-process (bench/in-process.ts: dispatch, no HTTP, no
 * signature), 32 at a time, on a seeded SQLite file, and every better-sqlite3 `all`/`run`/`get` is
 * timed by its SQL text. Prints µs per call, the part spent inside SQLite, and the statements that
 * cost most. With --profile DIR, each call kind's window is also written as a .cpuprofile
 * (summarise with `node --import tsx bench/profile-summary.ts DIR`); statements are not timed then.
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
import { addCreateCells, createEniParams, ECS, emptySeed, seedTo, type SeedState } from './eni-seed.ts';
import { fmt, positive } from './harness.ts';
import { inProcessCaller } from './in-process.ts';

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

type Params = [accountId: string, action: string, version: string, params: Record<string, string>];

/** Each call kind: the i-th call's arguments, over what the seed made. */
function callKinds(state: SeedState): Record<string, (i: number) => Params> {
  const cells = state.cells.filter((c) => c.instanceId !== undefined);
  const full = state.cells.filter((c) => c.enis.length >= 100);
  const available = cells.flatMap((c) => c.enis.slice(3).map((eni) => ({ c, eni })));
  return {
    noop: () => [cells[0]!.accountId, 'DescribeRegions', ECS, {}],
    instance: (i) => {
      const c = cells[i % cells.length]!;
      return [c.accountId, 'DescribeNetworkInterfaces', ECS, { RegionId: c.regionId, InstanceId: c.instanceId! }];
    },
    page: (i) => {
      const c = full[i % full.length]!;
      return [c.accountId, 'DescribeNetworkInterfaces', ECS, { RegionId: c.regionId, VSwitchId: c.vswitchId, MaxResults: '100' }];
    },
    create: (i) => {
      const c = state.createCells[i % state.createCells.length]!;
      return [c.accountId, 'CreateNetworkInterface', ECS, createEniParams(c)];
    },
    // One address each to ENIs that hold one and may hold ten: at most 9 passes over them.
    assign: (i) => {
      const { c, eni } = available[i % available.length]!;
      return [c.accountId, 'AssignPrivateIpAddresses', ECS, { RegionId: c.regionId, NetworkInterfaceId: eni, SecondaryPrivateIpAddressCount: '1' }];
    },
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
    const call = inProcessCaller(store);
    const state = emptySeed();
    await addCreateCells(store, call, state, Math.ceil((COUNT + 200) / 100) + 1, 8);
    await seedTo(store, call, state, Math.floor(positive('enis', opts.enis)), 16, () => {});
    const kinds = callKinds(state);
    for (const name of opts.calls.split(',')) {
      const make = kinds[name];
      if (!make) throw new Error(`--calls takes ${Object.keys(kinds).join(', ')}; got "${name}"`);
      const run = async (from: number, count: number) => {
        let next = from;
        await Promise.all(
          Array.from({ length: CONCURRENCY }, async () => {
            while (next < from + count) {
              const body = await call(...make(next++));
              if (typeof body.Code === 'string') throw new Error(`${name}: ${JSON.stringify(body)}`);
            }
          }),
        );
      };
      await run(0, 200); // warm-up: statements prepared, templates built, code optimised
      if (opts.profile) {
        await session.post('Profiler.enable');
        await session.post('Profiler.start');
      } else timer!.start();
      const started = process.hrtime.bigint();
      await run(200, COUNT);
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

/**
 * `npm run bench:throttle [-- OPTIONS]`: what flow control costs a call. The signed no-op (ECS
 * DescribeRegions, V3, fresh nonce) served with `--throttle none` and with a rule that never
 * throttles (`*=1000000/min`: every call counted, none refused), alternating round by round in
 * one run (ABBA order); the ratio is the cost. Then the counters alone, in-process: the single process's
 * memory counter against the throttle_counters table on SQLite (why SQLite counts in memory),
 * and on PostgreSQL with --pg.
 *
 * Options: --concurrency 32  --warmup 2  --duration 5  --rounds 3  --counts 20000  --deadline 300
 *          --pg (also PostgreSQL servers and the table there; admin URL ENIPLANE_BENCH_PG)  --out FILE
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { windowAt } from '../src/domain/throttle.ts';
import { migrateToLatest, openStore, sqliteFileIn, type Store } from '../src/store/db.ts';
import { sharedThrottleCounter, singleProcessThrottleCounter, type ThrottleCounter } from '../src/store/repos/throttle.ts';
import { commandLine, positive, ROOT } from './harness/cli.ts';
import { LoadGenerator, scenario, type Measured, type Pace } from './harness/loadgen.ts';
import { describeMachine, fmt, machine, markdownTable, progressLine, writeReport } from './harness/report.ts';
import { SIGNED_NOOP } from './harness/scenario.ts';
import { installDeadline, runMain, startEniplane, type Server } from './harness/server.ts';
import { formatSpread, spread } from './harness/stats.ts';

const PERMISSIVE = '*=1000000/min';
const PG_ADMIN_URL = process.env.ENIPLANE_BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A fresh PostgreSQL database (dropped by the returned function). */
async function freshDatabase(label: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `eniplane_bench_throttle_${label}_${process.pid}`;
  const run = async (sql: string) => {
    const c = new pg.Client({ connectionString: PG_ADMIN_URL });
    await c.connect();
    try {
      await c.query(sql);
    } finally {
      await c.end();
    }
  };
  await run(`create database ${name}`);
  const u = new URL(PG_ADMIN_URL);
  u.pathname = `/${name}`;
  return { url: u.toString(), drop: () => run(`drop database if exists ${name} with (force)`) };
}

/** Microseconds per count of `counter`, one call at a time (as one request's hook sees it). */
async function countCost(counter: ThrottleCounter, counts: number): Promise<number> {
  const started = process.hrtime.bigint();
  for (let i = 0; i < counts; i++) {
    const now = Date.now();
    // Ten accounts, one API, a minute window: the hot path of a busy server.
    await counter.count({ accountId: `10000000000000${i % 10}`, regionId: 'cn-hangzhou', api: 'Ecs:DescribeRegions', window: windowAt(now, 60_000) }, now);
  }
  return Number(process.hrtime.bigint() - started) / 1000 / counts;
}

async function main(): Promise<void> {
  const { values: opts } = parseArgs({
    options: {
      concurrency: { type: 'string', default: '32' },
      warmup: { type: 'string', default: '2' },
      duration: { type: 'string', default: '5' },
      rounds: { type: 'string', default: '3' },
      counts: { type: 'string', default: '20000' },
      deadline: { type: 'string', default: '300' },
      pg: { type: 'boolean', default: false },
      out: { type: 'string', default: join(ROOT, 'bench/results/throttle.json') },
    },
  });
  const pace: Pace = {
    concurrency: Math.floor(positive('concurrency', opts.concurrency)),
    warmupMs: positive('warmup', opts.warmup) * 1000,
    durationMs: positive('duration', opts.duration) * 1000,
  };
  const rounds = Math.floor(positive('rounds', opts.rounds));
  const counts = Math.floor(positive('counts', opts.counts));
  installDeadline(positive('deadline', opts.deadline) * 1000, 'bench:throttle');
  const info = machine();
  console.log(`bench: ${describeMachine(info)}`);
  console.log(`bench: concurrency ${pace.concurrency}, warm-up ${pace.warmupMs / 1000} s, window ${pace.durationMs / 1000} s, ${rounds} round(s)`);

  const cleanups: (() => Promise<void>)[] = [];
  const results: (Measured & { round: number; store: string; throttle: string })[] = [];
  const ratioRows: (string | number)[][] = [];
  const loadgen = new LoadGenerator();
  try {
    for (const dialect of opts.pg ? (['sqlite', 'postgres'] as const) : (['sqlite'] as const)) {
      const servers: [string, Server][] = [];
      for (const throttle of ['none', PERMISSIVE]) {
        let storeArgs: string[];
        if (dialect === 'sqlite') {
          const dir = mkdtempSync(join(tmpdir(), 'eniplane-bench-throttle-'));
          cleanups.push(async () => rmSync(dir, { recursive: true, force: true }));
          storeArgs = ['--data-dir', dir];
        } else {
          const db = await freshDatabase(throttle === 'none' ? 'none' : 'permissive');
          cleanups.push(() => db.drop());
          storeArgs = ['--db', db.url];
        }
        const server = await startEniplane({ name: `eniplane ${dialect} --throttle ${throttle}`, storeArgs, extraArgs: ['--throttle', throttle] });
        cleanups.unshift(() => server.stop());
        servers.push([throttle, server]);
      }
      for (let round = 1; round <= rounds; round++) {
        // ABBA: each server goes first every other round, so neither always gets the warmer machine.
        for (const [throttle, server] of round % 2 ? servers : [...servers].reverse()) {
          const name = `DescribeRegions (signed no-op), ${dialect}, --throttle ${throttle}`;
          const r = await loadgen.run(scenario(name, [server.port], pace, SIGNED_NOOP), { server: [server.child.pid!] });
          results.push({ ...r, round, store: dialect, throttle });
          console.log(progressLine(`${name} (round ${round})`, r));
          for (const s of r.errorSamples) console.log(`    error: ${s}`);
        }
      }
      const of = (t: string) => results.filter((r) => r.store === dialect && r.throttle === t);
      const none = of('none');
      const permissive = of(PERMISSIVE);
      const ratios = permissive.map((r, i) => r.requestsPerSecond / none[i]!.requestsPerSecond);
      const cpu = permissive.map((r, i) => (r.serverCpuUsPerRequest ?? NaN) / (none[i]!.serverCpuUsPerRequest ?? NaN));
      ratioRows.push([dialect, formatSpread(spread(ratios)), formatSpread(spread(cpu))]);
    }
  } finally {
    loadgen.close();
    for (const c of cleanups) await c();
  }

  // The counters alone.
  const counterRows: (string | number)[][] = [];
  counterRows.push(['memory (one SQLite process: the server)', (await countCost(singleProcessThrottleCounter(), counts)).toFixed(2)]);
  const dir = mkdtempSync(join(tmpdir(), 'eniplane-bench-throttle-'));
  const stores: [string, Store, (() => Promise<void>) | undefined][] = [
    ['throttle_counters on SQLite', await openStore({ kind: 'sqlite', file: sqliteFileIn(dir) }), undefined],
  ];
  if (opts.pg) {
    const db = await freshDatabase('counter');
    stores.push(['throttle_counters on PostgreSQL (replicas: the server)', await openStore({ kind: 'postgres', url: db.url }), () => db.drop()]);
  }
  for (const [label, store, drop] of stores) {
    await migrateToLatest(store);
    counterRows.push([label, (await countCost(sharedThrottleCounter(store), counts)).toFixed(2)]);
    await store.close();
    await drop?.();
  }
  rmSync(dir, { recursive: true, force: true });

  const table = markdownTable(
    ['scenario', 'round:', 'req/s:', 'p50 ms:', 'p99 ms:', 'errors:', 'server CPU µs/req:', 'other load:'],
    results.map((r) => [
      r.name,
      r.round,
      fmt(r.requestsPerSecond),
      r.latencyMs.p50.toFixed(2),
      r.latencyMs.p99.toFixed(2),
      r.errors + r.warmupErrors,
      r.serverCpuUsPerRequest ?? '?',
      `${r.otherCpuPercent ?? '?'}%`,
    ]),
  );
  const ratioTable = markdownTable([`store`, `req/s, ${PERMISSIVE} / none:`, 'server CPU per req, ratio:'], ratioRows);
  const counterTable = markdownTable(['counter', `µs per count (${counts} counts, one at a time):`], counterRows);
  const totalErrors = results.reduce((n, r) => n + r.errors + r.warmupErrors, 0);
  console.log(`\n${table}\n\n${ratioTable}\n\n${counterTable}\n\nErrors: ${totalErrors}.\n`);
  writeReport(opts.out, {
    command: commandLine('bench:throttle'),
    date: new Date().toISOString(),
    machine: info,
    settings: { ...pace, rounds, counts, delays: 'none' },
    totalErrors,
    results,
    markdown: `${table}\n\n${ratioTable}\n\n${counterTable}`,
  });
  if (totalErrors > 0) process.exitCode = 1;
}

runMain('bench:throttle', main);

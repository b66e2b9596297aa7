/**
 * `npm run bench:crash [-- OPTIONS]`: the crash harness (test/crash/harness.ts) at any size, for
 * the result table of BENCHMARKS.md: SIGKILLs under concurrent writing clients on SQLite and on
 * PostgreSQL with two replicas, and after each restart every acknowledged write checked, every
 * unanswered one whole or absent, every invariant checked. `npm test` runs it CI-sized (20 kills,
 * test/crash/crash.test.ts). Exits 1 when anything was lost or violated.
 *
 * Options: --stores sqlite,postgres  --kills 100  --clients 16  --window 200-1500 (ms of writes
 *          before each kill)  --survivor 300 (ms the clients go on through the surviving replica)
 *          --deadline 3600  --out FILE
 * PostgreSQL: ENIPLANE_TEST_PG (default postgres://postgres@127.0.0.1:5432).
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runCrash, type CrashResult } from '../test/crash/harness.ts';
import { commandLine, listOption, positive, ROOT } from './harness/cli.ts';
import { describeMachine, fmt, machine, markdownTable, writeReport } from './harness/report.ts';
import { installDeadline, runMain } from './harness/server.ts';
import { median } from './harness/stats.ts';

async function main(): Promise<void> {
  const { values: opts } = parseArgs({
    options: {
      stores: { type: 'string', default: 'sqlite,postgres' },
      kills: { type: 'string', default: '100' },
      clients: { type: 'string', default: '16' },
      window: { type: 'string', default: '200-1500' },
      survivor: { type: 'string', default: '300' },
      deadline: { type: 'string', default: '3600' },
      out: { type: 'string', default: join(ROOT, 'bench/results/crash.json') },
    },
  });
  const stores = listOption('stores', opts.stores, ['sqlite', 'postgres'] as const);
  const kills = Math.floor(positive('kills', opts.kills));
  const clients = Math.floor(positive('clients', opts.clients));
  const m = /^(\d+)-(\d+)$/.exec(opts.window);
  if (!m || Number(m[1]) > Number(m[2])) throw new Error(`--window takes MIN-MAX milliseconds, got "${opts.window}"`);
  const windowMs: [number, number] = [Number(m[1]), Number(m[2])];
  const survivorMs = Math.floor(positive('survivor', opts.survivor));
  installDeadline(positive('deadline', opts.deadline) * 1000, 'bench:crash');
  const info = machine();
  console.log(`bench:crash: ${describeMachine(info)}`);

  const results: CrashResult[] = [];
  for (const store of stores) {
    console.log(`bench:crash: ${store}, ${kills} kills, ${clients} clients, ${windowMs.join('-')} ms of writes before each`);
    results.push(
      await runCrash({
        store,
        kills,
        clients,
        windowMs,
        survivorMs,
        pgServer: process.env.ENIPLANE_TEST_PG ?? 'postgres://postgres@127.0.0.1:5432',
        progress: (line) => console.log(line),
      }),
    );
  }
  const table = markdownTable(
    [
      'store',
      'SIGKILLs:',
      'clients:',
      'acknowledged writes:',
      'unanswered at a kill:',
      'lost writes:',
      'invariant violations:',
      'restart, median ms:',
      'seconds:',
    ],
    results.map((r) => [
      r.store === 'sqlite' ? 'SQLite' : `PostgreSQL, ${r.replicas} replicas (one killed each round)`,
      r.kills,
      clients,
      fmt(r.acknowledged),
      fmt(r.unanswered),
      r.lost.length,
      r.violations.length,
      fmt(median(r.restartMs)),
      fmt(r.seconds),
    ]),
  );
  console.log(`\n${table}\n`);
  for (const r of results) for (const line of [...r.lost, ...r.violations].slice(0, 20)) console.log(`  ${r.store}: ${line}`);
  writeReport(opts.out, {
    command: commandLine('bench:crash'),
    date: new Date().toISOString(),
    machine: info,
    settings: { stores, kills, clients, windowMs, survivorMs },
    results,
    markdown: table,
  });
  if (results.some((r) => r.lost.length > 0 || r.violations.length > 0)) process.exitCode = 1;
}

runMain('bench:crash', main);

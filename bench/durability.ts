/**
 * `npm run bench:durability [-- OPTIONS]`: what `serve --durability full` (SQLite synchronous=FULL:
 * the WAL synced at every commit) costs against the default `normal` (synced at checkpoints), in
 * one run. Rounds alternate the two settings (normal first in odd rounds, full first in even
 * ones), each on a fresh copy of one seed (create cells: harness/seed.ts) served by a fresh
 * server: the signed no-op (it commits too: its nonce is appended to the log before the answer)
 * and CreateNetworkInterface, 32 concurrent signed clients. Reports the medians per setting and
 * the full/normal ratio of each round's pair (geometric mean, 90% interval).
 *
 * Options: --rounds 3  --concurrency 32  --warmup 1  --duration 5  --max-writes 12000  --deadline 900  --out FILE
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { commandLine, positive, ROOT } from './harness/cli.ts';
import { createInCells } from './harness/eni-streams.ts';
import { LoadGenerator, scenario, type Measured, type Pace } from './harness/loadgen.ts';
import { describeMachine, fmt, machine, markdownTable, progressLine, writeReport } from './harness/report.ts';
import { SIGNED_NOOP, SIGNED_NOOP_NAME } from './harness/scenario.ts';
import { emptySeed, growInChild } from './harness/seed.ts';
import { installDeadline, runMain, startEniplane } from './harness/server.ts';
import { sqliteSeed } from './harness/stores.ts';
import { createCellsFor } from './enis.ts';
import { formatEstimate, median, ratioEstimate } from './harness/stats.ts';

const LEVELS = ['normal', 'full'] as const;
type Level = (typeof LEVELS)[number];
const SCENARIOS = [SIGNED_NOOP_NAME, 'CreateNetworkInterface'] as const;

async function main(): Promise<void> {
  const { values: opts } = parseArgs({
    options: {
      rounds: { type: 'string', default: '3' },
      concurrency: { type: 'string', default: '32' },
      warmup: { type: 'string', default: '1' },
      duration: { type: 'string', default: '5' },
      'max-writes': { type: 'string', default: '12000' },
      deadline: { type: 'string', default: '900' },
      out: { type: 'string', default: join(ROOT, 'bench/results/durability.json') },
    },
  });
  const rounds = Math.floor(positive('rounds', opts.rounds));
  const pace: Pace = {
    concurrency: Math.floor(positive('concurrency', opts.concurrency)),
    warmupMs: positive('warmup', opts.warmup) * 1000,
    durationMs: positive('duration', opts.duration) * 1000,
  };
  const maxWrites = Math.floor(positive('max-writes', opts['max-writes']));
  installDeadline(positive('deadline', opts.deadline) * 1000, 'bench:durability');
  const info = machine();
  console.log(`bench:durability: ${describeMachine(info)}`);

  const seed = sqliteSeed();
  const loadgen = new LoadGenerator();
  const results: (Measured & { level: Level; round: number })[] = [];
  try {
    const state = await growInChild(
      { type: 'seed', target: seed.target, state: emptySeed(), size: 0, createCells: createCellsFor(maxWrites), parallel: 16 },
      'sqlite',
      () => {},
    );
    const creates = createInCells(state, maxWrites);
    console.log(`bench:durability: ${state.createCells.length} create cells, ${fmt(creates.length)} creations listed per round`);
    for (let round = 1; round <= rounds; round++) {
      for (const level of round % 2 ? LEVELS : [...LEVELS].reverse()) {
        const copy = await seed.copy(`${level}-${round}`);
        const server = await startEniplane({ name: `eniplane --durability ${level}`, storeArgs: copy.storeArgs, extraArgs: ['--durability', level] });
        try {
          for (const [name, request] of [
            [SIGNED_NOOP_NAME, SIGNED_NOOP],
            ['CreateNetworkInterface', { keys: state.keys, requests: creates, cycle: false }],
          ] as const) {
            const r = await loadgen.run(scenario(name, [server.port], pace, request), { server: [server.child.pid!] });
            results.push({ ...r, level, round });
            console.log(progressLine(`round ${round}, ${level}: ${name}`, r));
            for (const s of r.errorSamples) console.log(`    error: ${s}`);
          }
        } finally {
          await server.stop();
          await copy.drop();
        }
      }
    }
  } finally {
    loadgen.close();
    await seed.drop();
  }

  const rows: (string | number)[][] = [];
  for (const name of SCENARIOS) {
    const of = (level: Level) => results.filter((r) => r.name === name && r.level === level);
    const ratios = Array.from({ length: rounds }, (_, i) => {
      const pair = LEVELS.map((level) => of(level).find((r) => r.round === i + 1)!);
      return pair[1]!.requestsPerSecond / pair[0]!.requestsPerSecond;
    });
    for (const level of LEVELS) {
      const rs = of(level);
      rows.push([
        name,
        `--durability ${level}`,
        fmt(median(rs.map((r) => r.requestsPerSecond))),
        median(rs.map((r) => r.latencyMs.p50)).toFixed(2),
        median(rs.map((r) => r.latencyMs.p99)).toFixed(2),
        level === 'full' ? formatEstimate(ratioEstimate(ratios)) : '1',
        rs.reduce((n, r) => n + r.errors + r.warmupErrors, 0),
      ]);
    }
  }
  const totalErrors = results.reduce((n, r) => n + r.errors + r.warmupErrors, 0);
  const table = markdownTable(['scenario', 'setting', 'req/s (median):', 'p50 ms:', 'p99 ms:', '× normal (90% interval):', 'errors:'], rows);
  console.log(`\n${table}\n`);
  writeReport(opts.out, {
    command: commandLine('bench:durability'),
    date: new Date().toISOString(),
    machine: info,
    settings: { rounds, ...pace, maxWrites, delays: 'none', store: 'sqlite (file, WAL)' },
    totalErrors,
    results,
    markdown: table,
  });
  if (totalErrors > 0) process.exitCode = 1;
}

runMain('bench:durability', main);

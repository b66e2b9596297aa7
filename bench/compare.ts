/**
 * `npm run bench:compare -- --baseline DIR [OPTIONS]`: the signed no-op and the ENI workloads
 * (bench/enis.ts), served by a baseline checkout and by this tree, in one run, and the ratio
 * current / baseline per workload with its spread. Both servers are started the same way
 * (harness/server.ts: `node <tree>/bin/eniplane.js serve`, --delays none, the bench key, a SQLite
 * data dir) and driven over HTTP by this tree's harness only, so the baseline's own bench/
 * (whatever its layout) plays no part.
 *
 * The machines this runs on are shared: other users' load comes and goes within seconds, and
 * two windows a minute apart can differ by 2× for that alone. So each round starts both trees'
 * servers at once, each on a fresh copy of one seed, warms both up, and measures every workload in
 * short slices alternating between the trees (A B B A …, who goes first changing by slice,
 * workload and round): each pair of adjacent slices gives one ratio. A server process keeps its
 * own speed for its whole life (its JIT, its heap), so a round's pairs are not independent: each
 * round gives one ratio (its pairs' geometric mean), and the report gives the rounds' geometric
 * mean with a 90% interval over rounds, and the range of the pairs. More rounds narrow the
 * interval; longer slices do less. A list sent once (writes) carries on from one slice to the
 * next, so no request is repeated. The seed is made once, in-process, by this tree's code (harness/seed.ts):
 * the two trees must share the store schema, which is checked (their migration lists must match).
 *
 * Options: --baseline DIR (required)  --current DIR (default: this tree)  --rounds 4  --slices 2
 *          --slice 1 (seconds per slice)  --warmup 0.5  --enis 2000  --max-writes 10000  --concurrency 32
 *          --deadline 600  --out FILE
 *          --long (8 rounds of 2 slices of 4 s, warm-up 2 s, 10,000 ENIs, 30,000 writes: ≈ 20 minutes)
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createCellsFor, ENI_WORKLOADS, eniWorkloads, type EniWorkloads } from './enis.ts';
import { commandLine, positive, ROOT } from './harness/cli.ts';
import { LoadGenerator, scenario, type Measured, type Pace } from './harness/loadgen.ts';
import { describeMachine, fmt, machine, markdownTable, progressLine, writeReport } from './harness/report.ts';
import { SIGNED_NOOP, type RequestSpec } from './harness/scenario.ts';
import { emptySeed, growInChild } from './harness/seed.ts';
import { installDeadline, runMain, startEniplane, type Server } from './harness/server.ts';
import { formatEstimate, median, ratioEstimate, spread, type RatioEstimate, type Spread } from './harness/stats.ts';
import { sqliteSeed } from './harness/stores.ts';

type Tree = 'baseline' | 'current';
const TREES: readonly Tree[] = ['baseline', 'current'];

const SHORT = { rounds: '4', slices: '2', slice: '1', warmup: '0.5', enis: '2000', 'max-writes': '10000' };
const LONG = { rounds: '8', slices: '2', slice: '4', warmup: '2', enis: '10000', 'max-writes': '30000' };
/** Unmeasured load on each freshly started server before a round's first window, in turns. */
const SERVER_WARM_UP_MS = 2000;
const SERVER_WARM_UP_TURNS = 2;
/** Warm-up of every slice but a tree's first in a workload: only long enough to open the connections and fill the pipeline. */
const SLICE_WARM_UP_MS = 250;

/** A tree's migration files: a seed made by one tree's code is only valid for another with the same list. */
function migrationsOf(root: string): string[] | undefined {
  const dir = join(root, 'src/store/migrations');
  return existsSync(dir) ? readdirSync(dir).sort() : undefined;
}

interface Slice {
  workload: string;
  tree: Tree;
  round: number;
  slice: number;
  measured: Measured;
}

interface WorkloadComparison {
  workload: string;
  /** current / baseline requests/s: the geometric mean of the rounds' ratios, with a 90% interval over rounds. */
  throughputRatio: RatioEstimate;
  /** The pairs' ratios themselves: their range. */
  throughputRange: Spread;
  /** current / baseline server CPU per request (below 1: the current tree spends less). */
  cpuRatio: RatioEstimate | undefined;
  /** Over all of a tree's slices: requests over window time. */
  baselineRequestsPerSecond: number;
  currentRequestsPerSecond: number;
  baselineCpuUsPerRequest: number | undefined;
  currentCpuUsPerRequest: number | undefined;
  /** Median CPU used by the rest of the machine during these slices, in % of one core. */
  otherLoadPercent: number;
  /** A list sent once ran out before the last slice. */
  ranOut: boolean;
}

/** Requests/s and server CPU per request over several slices of one tree. */
function pooled(slices: readonly Slice[]): { requestsPerSecond: number; cpuUsPerRequest: number | undefined } {
  const requests = slices.reduce((n, s) => n + s.measured.requests, 0);
  const seconds = slices.reduce((n, s) => n + s.measured.windowMs / 1000, 0);
  const cpu = slices.every((s) => s.measured.serverCpuUsPerRequest !== undefined)
    ? slices.reduce((n, s) => n + s.measured.serverCpuUsPerRequest! * s.measured.requests, 0) / Math.max(1, requests)
    : undefined;
  return { requestsPerSecond: seconds > 0 ? requests / seconds : 0, cpuUsPerRequest: cpu === undefined ? undefined : Math.round(cpu) };
}

/**
 * The ratio's estimate over rounds: a round's pairs share their two server processes (whose speed
 * is their own for their whole life), so each round gives one ratio (its pairs' geometric mean),
 * and the interval is over rounds.
 */
function byRound(ratios: readonly { round: number; ratio: number }[]): RatioEstimate {
  const rounds = [...new Set(ratios.map((r) => r.round))];
  return ratioEstimate(rounds.map((round) => ratioEstimate(ratios.filter((r) => r.round === round).map((r) => r.ratio)).mean));
}

function compare(slices: readonly Slice[]): WorkloadComparison[] {
  return ENI_WORKLOADS.map((workload) => {
    const mine = slices.filter((s) => s.workload === workload && s.measured.requests > 0);
    const pairs: { round: number; baseline: Measured; current: Measured }[] = [];
    for (const b of mine.filter((s) => s.tree === 'baseline')) {
      const c = mine.find((s) => s.tree === 'current' && s.round === b.round && s.slice === b.slice);
      if (c) pairs.push({ round: b.round, baseline: b.measured, current: c.measured });
    }
    if (pairs.length === 0) throw new Error(`${workload}: no pair of slices with requests in both trees`);
    const throughput = pairs.map((p) => ({ round: p.round, ratio: p.current.requestsPerSecond / p.baseline.requestsPerSecond }));
    const cpu = pairs
      .filter((p) => p.baseline.serverCpuUsPerRequest && p.current.serverCpuUsPerRequest)
      .map((p) => ({ round: p.round, ratio: p.current.serverCpuUsPerRequest! / p.baseline.serverCpuUsPerRequest! }));
    const base = pooled(mine.filter((s) => s.tree === 'baseline'));
    const current = pooled(mine.filter((s) => s.tree === 'current'));
    return {
      workload,
      throughputRatio: byRound(throughput),
      throughputRange: spread(throughput.map((t) => t.ratio)),
      cpuRatio: new Set(cpu.map((c) => c.round)).size > 1 ? byRound(cpu) : undefined,
      baselineRequestsPerSecond: base.requestsPerSecond,
      currentRequestsPerSecond: current.requestsPerSecond,
      baselineCpuUsPerRequest: base.cpuUsPerRequest,
      currentCpuUsPerRequest: current.cpuUsPerRequest,
      otherLoadPercent: median(pairs.flatMap((p) => [p.baseline.otherCpuPercent ?? 0, p.current.otherCpuPercent ?? 0])),
      ranOut: mine.some((s) => s.measured.stoppedEarly !== undefined),
    };
  });
}

/**
 * From the 90% intervals: slower when requests/s are confidently more than 3% below the baseline's;
 * not slower when they are confidently no more than 5% below, or when server CPU per request is
 * confidently no more than 5% above (the steadier measure on a shared machine); unclear otherwise,
 * which on a busy machine is common: more rounds or --long narrow the intervals.
 */
function verdict(c: WorkloadComparison): string {
  if (c.throughputRatio.high < 0.97) return '**slower**';
  if (c.throughputRatio.low >= 0.95 || (c.cpuRatio !== undefined && c.cpuRatio.high <= 1.05)) return 'not slower';
  return 'unclear (noise)';
}

/** The rest of a request list from `offset`: a list sent once carries on; a cycling one just turns further. */
function from(request: RequestSpec, offset: number): RequestSpec {
  if (request.cycle) {
    const k = offset % request.requests.length;
    return { ...request, requests: [...request.requests.slice(k), ...request.requests.slice(0, k)] };
  }
  return { ...request, requests: request.requests.slice(offset) };
}

async function main(): Promise<void> {
  const { values: opts } = parseArgs({
    options: {
      baseline: { type: 'string' },
      current: { type: 'string', default: ROOT },
      long: { type: 'boolean', default: false },
      rounds: { type: 'string' },
      slices: { type: 'string' },
      slice: { type: 'string' },
      warmup: { type: 'string' },
      enis: { type: 'string' },
      'max-writes': { type: 'string' },
      concurrency: { type: 'string', default: '32' },
      deadline: { type: 'string', default: '600' },
      out: { type: 'string', default: join(ROOT, 'bench/results/compare.json') },
    },
  });
  if (!opts.baseline) throw new Error('--baseline DIR is required: a checkout of the tree to compare against (with node_modules)');
  const defaults = opts.long ? LONG : SHORT;
  const option = (name: keyof typeof SHORT) => positive(name, opts[name] ?? defaults[name]);
  const roots: Record<Tree, string> = { baseline: resolve(opts.baseline), current: resolve(opts.current) };
  for (const [tree, root] of Object.entries(roots)) {
    if (!existsSync(join(root, 'bin/eniplane.js'))) throw new Error(`--${tree} ${root}: no bin/eniplane.js there`);
  }
  const [baseMigrations, currentMigrations] = [migrationsOf(roots.baseline), migrationsOf(roots.current)];
  if (baseMigrations && currentMigrations && baseMigrations.join() !== currentMigrations.join()) {
    throw new Error(`the two trees' migrations differ (${baseMigrations.length} vs ${currentMigrations.length} files): one seed cannot serve both`);
  }
  const rounds = Math.floor(option('rounds'));
  const slices = Math.floor(option('slices'));
  const concurrency = Math.floor(positive('concurrency', opts.concurrency));
  const firstPace: Pace = { concurrency, warmupMs: option('warmup') * 1000, durationMs: option('slice') * 1000 };
  const nextPace: Pace = { ...firstPace, warmupMs: SLICE_WARM_UP_MS };
  const enis = Math.floor(option('enis'));
  const maxWrites = Math.floor(option('max-writes'));
  installDeadline(positive('deadline', opts.deadline) * (opts.long ? 3000 : 1000), 'bench:compare');

  const started = Date.now();
  const info = machine();
  console.log(`bench:compare: ${describeMachine(info)}`);
  console.log(`bench:compare: baseline ${roots.baseline}, current ${roots.current}`);
  console.log(
    `bench:compare: ${rounds} rounds of ${slices} slices per tree and workload, ${firstPace.durationMs / 1000} s each; ${fmt(enis)} ENIs, concurrency ${concurrency}`,
  );
  const seed = sqliteSeed();
  const loadgen = new LoadGenerator();
  const measured: Slice[] = [];
  try {
    const msg = { type: 'seed' as const, target: seed.target, state: emptySeed(), size: enis, createCells: createCellsFor(maxWrites), parallel: 16 };
    const state = await growInChild(msg, 'sqlite', (n) => console.log(`  seeding: ${fmt(n)} ENIs`));
    console.log(`bench:compare: seeded ${fmt(state.enis)} ENIs in ${fmt((Date.now() - started) / 1000)} s`);
    for (let round = 1; round <= rounds; round++) {
      // Both trees' servers up at once, each on its own copy; the one not being measured sits idle.
      const copies = { baseline: await seed.copy(`baseline_${round}`), current: await seed.copy(`current_${round}`) };
      const servers = new Map<Tree, Server>();
      const runs = new Map<Tree, EniWorkloads>();
      try {
        const startOrder = round % 2 === 1 ? TREES : [...TREES].reverse();
        for (const tree of startOrder) {
          const server = await startEniplane({ name: `eniplane (${tree})`, root: roots[tree], storeArgs: copies[tree].storeArgs });
          servers.set(tree, server);
          runs.set(tree, eniWorkloads({ servers: [server], state, maxWrites, label: `r${round} ${tree.padEnd(8)}` }));
        }
        // A server measured just after it started runs cold, and the other's start-up competes for
        // the CPU: both serve the no-op, unmeasured, in turns, until both have had the same.
        for (let turn = 0; turn < SERVER_WARM_UP_TURNS; turn++) {
          for (const tree of startOrder) {
            const warm: Pace = { concurrency, warmupMs: 0, durationMs: SERVER_WARM_UP_MS / SERVER_WARM_UP_TURNS };
            await loadgen.run(scenario('warm-up', [servers.get(tree)!.port], warm, SIGNED_NOOP), { server: [] });
          }
        }
        for (let i = 0; i < ENI_WORKLOADS.length; i++) {
          const name = ENI_WORKLOADS[i]!;
          const requests = new Map<Tree, RequestSpec>();
          for (const tree of TREES) requests.set(tree, await runs.get(tree)!.workloads[i]!.prepare());
          const sent = new Map<Tree, number>(TREES.map((t) => [t, 0]));
          const failed = new Map<Tree, number>(TREES.map((t) => [t, 0]));
          for (let k = 0; k < slices; k++) {
            const order = (round + i + k) % 2 === 0 ? TREES : [...TREES].reverse();
            for (const tree of order) {
              const run = runs.get(tree)!;
              const request = from(requests.get(tree)!, sent.get(tree)!);
              if (request.requests.length === 0) continue;
              const pace = k === 0 ? firstPace : nextPace;
              const r = await loadgen.run(scenario(name, run.ports, pace, request), run.owners);
              console.log(progressLine(`r${round}.${k + 1} ${tree.padEnd(8)} ${name}`, r));
              for (const s of r.errorSamples) console.log(`    error: ${s}`);
              sent.set(tree, sent.get(tree)! + r.nextSlot);
              failed.set(tree, failed.get(tree)! + r.errors + r.warmupErrors);
              measured.push({ workload: name, tree, round, slice: k + 1, measured: r });
            }
          }
          for (const tree of TREES) runs.get(tree)!.workloads[i]!.done(sent.get(tree)!, failed.get(tree)!);
        }
      } finally {
        for (const r of runs.values()) r.close();
        await Promise.all([...servers.values()].map((s) => s.stop()));
        await Promise.all(Object.values(copies).map((c) => c.drop()));
      }
    }
  } finally {
    loadgen.close();
    await seed.drop();
  }

  const comparisons = compare(measured);
  const us = (v: number | undefined) => (v === undefined ? '?' : fmt(v));
  const table = markdownTable(
    [
      'workload',
      'baseline req/s:',
      'current req/s:',
      'current / baseline req/s [90% interval]:',
      'range of the pairs:',
      'server CPU µs/req, baseline → current:',
      'current / baseline CPU per req [90% interval]:',
      'other load:',
      'verdict',
    ],
    comparisons.map((c) => [
      `${c.workload}${c.ranOut ? ' (ran out)' : ''}`,
      fmt(c.baselineRequestsPerSecond),
      fmt(c.currentRequestsPerSecond),
      `**${formatEstimate(c.throughputRatio)}**`,
      `${c.throughputRange.min.toFixed(2)}–${c.throughputRange.max.toFixed(2)}`,
      `${us(c.baselineCpuUsPerRequest)} → ${us(c.currentCpuUsPerRequest)}`,
      c.cpuRatio ? formatEstimate(c.cpuRatio) : '?',
      `${fmt(c.otherLoadPercent)}%`,
      verdict(c),
    ]),
  );
  const totalErrors = measured.reduce((n, s) => n + s.measured.errors + s.measured.warmupErrors, 0);
  const command = commandLine('bench:compare');
  const summary =
    `${command}: ${rounds} rounds × ${slices} slices of ${firstPace.durationMs / 1000} s per tree and workload, ${fmt(enis)} ENIs (SQLite), ${concurrency} clients; ` +
    `ratios: geometric means of ${comparisons[0]!.throughputRatio.n} rounds' ratios (each the geometric mean of its pairs of adjacent slices), with 90% intervals. Errors: ${totalErrors}. Machine: ${describeMachine(info)}.`;
  console.log(`\n${table}\n\n${summary}\n`);
  writeReport(opts.out, {
    command,
    date: new Date().toISOString(),
    machine: info,
    trees: roots,
    settings: {
      rounds,
      slices,
      sliceMs: firstPace.durationMs,
      warmupMs: firstPace.warmupMs,
      concurrency,
      enis,
      maxWrites,
      delays: 'none',
      store: 'sqlite (file, WAL)',
    },
    comparisons,
    totalErrors,
    elapsedSeconds: Math.round((Date.now() - started) / 1000),
    slices: measured,
    markdown: `${table}\n\n${summary}`,
  });
  if (totalErrors > 0) process.exitCode = 1;
}

runMain('bench:compare', main);

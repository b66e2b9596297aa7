/**
 * `npm run bench:compare -- --baseline DIR [OPTIONS]`: the signed no-op and the ENI workloads
 * (bench/enis.ts), served by a baseline checkout and by this tree in turn, in one run, and the
 * ratio current / baseline per workload with its spread over the rounds. Both servers are started
 * the same way (harness/server.ts: `node <tree>/bin/eniplane.js serve`, --delays none, the bench
 * key, a SQLite data dir) and driven over HTTP by this tree's harness only, so the baseline's own
 * bench/ (whatever its layout) plays no part. Each round starts both trees' servers, each on a
 * fresh copy of one seed, and measures them workload by workload, A B then B A in turn: the two
 * windows of a pair are seconds apart, so the load other users put on a shared machine, which
 * drifts over minutes, weighs on both alike, and the order favours neither. The seed
 * is made once, in-process, by this tree's code (harness/seed.ts): the two trees must share the
 * store schema, which is checked (their migration lists must match).
 *
 * Options: --baseline DIR (required)  --current DIR (default: this tree)  --rounds 4  --warmup 1
 *          --duration 1.5  --enis 2000  --max-writes 4000  --concurrency 32  --deadline 600  --out FILE
 *          --long (rounds 5, warm-up 2 s, window 8 s, 10,000 ENIs, 30,000 writes: the figures of record)
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createCellsFor, ENI_WORKLOADS, eniSteps, type EniRow } from './enis.ts';
import { commandLine, positive, ROOT } from './harness/cli.ts';
import { LoadGenerator, scenario, type Pace } from './harness/loadgen.ts';
import { SIGNED_NOOP } from './harness/scenario.ts';
import { describeMachine, fmt, machine, markdownTable, writeReport } from './harness/report.ts';
import { emptySeed, growInChild } from './harness/seed.ts';
import { installDeadline, runMain, startEniplane, type Server } from './harness/server.ts';
import { formatSpread, median, spread, type Spread } from './harness/stats.ts';
import { sqliteSeed } from './harness/stores.ts';

type Tree = 'baseline' | 'current';
const TREES: readonly Tree[] = ['baseline', 'current'];

const SHORT = { rounds: '4', warmup: '1', duration: '1.5', enis: '2000', 'max-writes': '4000' };
/** Unmeasured load on each freshly started server before a round's first window. */
const WARM_UP_MS = 3000;
const LONG = { rounds: '5', warmup: '2', duration: '8', enis: '10000', 'max-writes': '30000' };

/** A tree's migration files: a seed made by one tree's code is only valid for another with the same list. */
function migrationsOf(root: string): string[] | undefined {
  const dir = join(root, 'src/store/migrations');
  return existsSync(dir) ? readdirSync(dir).sort() : undefined;
}

export interface WorkloadComparison {
  workload: string;
  /** current / baseline requests/s, one per round. */
  throughputRatio: Spread;
  /** current / baseline server CPU per request, one per round (below 1: the current tree spends less). */
  cpuRatio: Spread | undefined;
  baselineRequestsPerSecond: number;
  currentRequestsPerSecond: number;
  baselineCpuUsPerRequest: number | undefined;
  currentCpuUsPerRequest: number | undefined;
  /** Median CPU used by the rest of the machine during these windows, in % of one core. */
  otherLoadPercent: number;
  ranOut: boolean;
}

/** Per workload: each round's current run against the same round's baseline run. */
function compare(rows: (EniRow & { tree: Tree; round: number })[], rounds: number): WorkloadComparison[] {
  return ENI_WORKLOADS.map((workload) => {
    const of = (tree: Tree, round: number) => rows.find((r) => r.name === workload && r.tree === tree && r.round === round)!;
    const pairs = Array.from({ length: rounds }, (_, i) => [of('baseline', i + 1), of('current', i + 1)] as const);
    const cpuPairs = pairs.filter(([b, c]) => b.serverCpuUsPerRequest !== undefined && c.serverCpuUsPerRequest !== undefined);
    const medianOf = (tree: Tree, pick: (r: EniRow) => number | undefined) => {
      const values = rows.filter((r) => r.name === workload && r.tree === tree).map(pick);
      return values.every((v) => v !== undefined) ? median(values as number[]) : undefined;
    };
    return {
      workload,
      throughputRatio: spread(pairs.map(([b, c]) => c.requestsPerSecond / b.requestsPerSecond)),
      cpuRatio: cpuPairs.length > 0 ? spread(cpuPairs.map(([b, c]) => c.serverCpuUsPerRequest! / b.serverCpuUsPerRequest!)) : undefined,
      baselineRequestsPerSecond: medianOf('baseline', (r) => r.requestsPerSecond)!,
      currentRequestsPerSecond: medianOf('current', (r) => r.requestsPerSecond)!,
      baselineCpuUsPerRequest: medianOf('baseline', (r) => r.serverCpuUsPerRequest),
      currentCpuUsPerRequest: medianOf('current', (r) => r.serverCpuUsPerRequest),
      otherLoadPercent: median(pairs.flat().map((r) => r.otherCpuPercent ?? 0)),
      ranOut: pairs.flat().some((r) => r.stoppedEarly !== undefined),
    };
  });
}

/**
 * Requests/s on a machine shared with other work swing by tens of percent from window to window;
 * server CPU per request swings less. A workload is called slower only when both say so, and
 * cleared only when both say it is not; anything else is noise, to be settled by a --long run.
 */
function verdict(c: WorkloadComparison): string {
  const cpu = c.cpuRatio?.median ?? 1;
  if (c.throughputRatio.median < 0.95 && cpu > 1.05) return '**slower**';
  if (c.throughputRatio.median >= 0.95 && cpu <= 1.05) return 'not slower';
  return 'unclear (noise)';
}

async function main(): Promise<void> {
  const { values: opts } = parseArgs({
    options: {
      baseline: { type: 'string' },
      current: { type: 'string', default: ROOT },
      long: { type: 'boolean', default: false },
      rounds: { type: 'string' },
      warmup: { type: 'string' },
      duration: { type: 'string' },
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
  const pace: Pace = {
    concurrency: Math.floor(positive('concurrency', opts.concurrency)),
    warmupMs: option('warmup') * 1000,
    durationMs: option('duration') * 1000,
  };
  const enis = Math.floor(option('enis'));
  const maxWrites = Math.floor(option('max-writes'));
  installDeadline(positive('deadline', opts.deadline) * (opts.long ? 3000 : 1000), 'bench:compare');

  const started = Date.now();
  const info = machine();
  console.log(`bench:compare: ${describeMachine(info)}`);
  console.log(`bench:compare: baseline ${roots.baseline}, current ${roots.current}`);
  console.log(
    `bench:compare: ${rounds} rounds (interleaved by workload), ${fmt(enis)} ENIs, concurrency ${pace.concurrency}, warm-up ${pace.warmupMs / 1000} s, window ${pace.durationMs / 1000} s`,
  );
  const seed = sqliteSeed();
  const loadgen = new LoadGenerator();
  const rows: (EniRow & { tree: Tree; round: number })[] = [];
  try {
    const msg = { type: 'seed' as const, target: seed.target, state: emptySeed(), size: enis, createCells: createCellsFor(maxWrites), parallel: 16 };
    const state = await growInChild(msg, 'sqlite', (n) => console.log(`  seeding: ${fmt(n)} ENIs`));
    console.log(`bench:compare: seeded ${fmt(state.enis)} ENIs in ${fmt((Date.now() - started) / 1000)} s`);
    for (let round = 1; round <= rounds; round++) {
      // Both trees' servers up at once, each on its own copy; the one not being measured sits idle.
      const copies = { baseline: await seed.copy(`baseline_${round}`), current: await seed.copy(`current_${round}`) };
      const servers: Server[] = [];
      const runs = new Map<Tree, ReturnType<typeof eniSteps>>();
      try {
        const startOrder = round % 2 === 1 ? TREES : [...TREES].reverse();
        for (const tree of startOrder) {
          const server = await startEniplane({ name: `eniplane (${tree})`, root: roots[tree], storeArgs: copies[tree].storeArgs });
          servers.push(server);
          runs.set(tree, eniSteps({ servers: [server], state, loadgen, pace, maxWrites, label: `r${round} ${tree.padEnd(8)}` }));
        }
        // A server measured just after it started runs cold (and the other one's start-up competes
        // for the CPU): both serve the no-op, unmeasured, before the first window.
        for (const tree of startOrder) {
          const server = servers[startOrder.indexOf(tree)]!;
          await loadgen.run(scenario('warm-up', [server.port], { ...pace, warmupMs: 0, durationMs: WARM_UP_MS }, SIGNED_NOOP), { server: [] });
        }
        for (let i = 0; i < ENI_WORKLOADS.length; i++) {
          // Who goes first alternates by workload and by round (A B, B A, ...): drift in the machine's load favours neither.
          const order = (round + i) % 2 === 0 ? TREES : [...TREES].reverse();
          for (const tree of order) rows.push({ ...(await runs.get(tree)!.steps[i]!()), tree, round });
        }
      } finally {
        for (const r of runs.values()) r.close();
        await Promise.all(servers.map((s) => s.stop()));
        await Promise.all(Object.values(copies).map((c) => c.drop()));
      }
    }
  } finally {
    loadgen.close();
    await seed.drop();
  }

  const comparisons = compare(rows, rounds);
  const us = (v: number | undefined) => (v === undefined ? '?' : fmt(v));
  const table = markdownTable(
    [
      'workload',
      'baseline req/s:',
      'current req/s:',
      'current / baseline req/s, median (range):',
      'server CPU µs/req, baseline → current:',
      'CPU ratio:',
      'other load:',
      'verdict',
    ],
    comparisons.map((c) => [
      `${c.workload}${c.ranOut ? ' (ran out)' : ''}`,
      fmt(c.baselineRequestsPerSecond),
      fmt(c.currentRequestsPerSecond),
      `**${formatSpread(c.throughputRatio)}**`,
      `${us(c.baselineCpuUsPerRequest)} → ${us(c.currentCpuUsPerRequest)}`,
      c.cpuRatio ? formatSpread(c.cpuRatio) : '?',
      `${fmt(c.otherLoadPercent)}%`,
      verdict(c),
    ]),
  );
  const totalErrors = rows.reduce((n, r) => n + r.errors + r.warmupErrors, 0);
  const command = commandLine('bench:compare');
  const summary =
    `${command}; ${rounds} rounds, ${fmt(enis)} ENIs (SQLite), ${pace.concurrency} clients, warm-up ${pace.warmupMs / 1000} s, window ${pace.durationMs / 1000} s; ` +
    `medians of the rounds, ratios paired round by round. Errors: ${totalErrors}. Machine: ${describeMachine(info)}.`;
  console.log(`\n${table}\n\n${summary}\n`);
  writeReport(opts.out, {
    command,
    date: new Date().toISOString(),
    machine: info,
    trees: roots,
    settings: { rounds, ...pace, enis, maxWrites, delays: 'none', store: 'sqlite (file, WAL)' },
    comparisons,
    totalErrors,
    elapsedSeconds: Math.round((Date.now() - started) / 1000),
    results: rows,
    markdown: `${table}\n\n${summary}`,
  });
  if (totalErrors > 0) process.exitCode = 1;
}

runMain('bench:compare', main);

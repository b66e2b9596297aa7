/**
 * `npm run bench:metrics [-- OPTIONS]`: the cost of observability. The signed no-op and
 * CreateNetworkInterface, served by two `eniplane serve` processes of this tree, one with
 * `--metrics on` and one with `--metrics off`, in one run: each round starts both on fresh copies
 * of one SQLite seed, warms both up, then measures each workload in short slices alternating
 * between them (A B B A …, who goes first changing by slice, workload and round), as
 * bench/compare.ts does for two trees. Each round gives one ratio on / off per workload (its
 * pairs' geometric mean); the report gives the rounds' geometric mean with a 90% interval, for
 * requests/s and for p99 latency. While the metrics server is measured, /metrics is scraped every
 * --scrape-interval seconds (Prometheus' default is 15 s: this is harsher), so the "on" figures
 * include the scrapes' own cost; their duration is reported too.
 *
 * Before that, the metrics' own work per request alone, in this process (src/app/metrics.ts: a
 * request counted, a transaction timed), in nanoseconds: steadier than any HTTP figure on a shared
 * machine, and the floor of what metrics cost a request.
 *
 * Options: --rounds 4  --slices 2  --slice 2 (seconds per slice)  --warmup 0.5  --max-writes 8000
 *          --concurrency 32  --scrape-interval 1 (0: no scraping)
 *          --deadline 600  --out FILE
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createMetrics } from '../src/app/metrics.ts';
import { systemClock } from '../src/lib/clock.ts';
import { createLogger } from '../src/lib/logger.ts';
import { openStore } from '../src/store/db.ts';
import { createCellsFor } from './enis.ts';
import { commandLine, positive, ROOT } from './harness/cli.ts';
import { createInCells } from './harness/eni-streams.ts';
import { LoadGenerator, scenario, type Measured, type Pace } from './harness/loadgen.ts';
import { describeMachine, fmt, machine, markdownTable, progressLine, writeReport } from './harness/report.ts';
import { SIGNED_NOOP, SIGNED_NOOP_NAME, type RequestSpec } from './harness/scenario.ts';
import { emptySeed, growInChild, type SeedState } from './harness/seed.ts';
import { installDeadline, runMain, startEniplane, type Server } from './harness/server.ts';
import { formatEstimate, median, ratioEstimate, type RatioEstimate } from './harness/stats.ts';
import { sqliteSeed } from './harness/stores.ts';

type Mode = 'on' | 'off';
const MODES: readonly Mode[] = ['on', 'off'];
const CREATE_NAME = 'CreateNetworkInterface';
const WORKLOADS = [SIGNED_NOOP_NAME, CREATE_NAME] as const;
/**
 * Unmeasured no-op load on each freshly started server before a round's first window, in turns:
 * long enough that neither is still compiling its hot paths (the metrics server loads more code;
 * with 2 s, its first no-op window ran up to 40% slower than its later ones).
 */
const SERVER_WARM_UP_MS = 6000;
const SERVER_WARM_UP_TURNS = 3;
/** Warm-up of every slice but a mode's first in a workload: long enough to open the connections and fill the pipeline. */
const SLICE_WARM_UP_MS = 250;

interface Slice {
  workload: string;
  mode: Mode;
  round: number;
  slice: number;
  measured: Measured;
}

interface Scrape {
  round: number;
  ms: number;
  bytes: number;
}

/** The rest of a request list from `offset`: a list sent once carries on; a cycling one just turns further. */
function from(request: RequestSpec, offset: number): RequestSpec {
  if (request.cycle) {
    const k = offset % request.requests.length;
    return { ...request, requests: [...request.requests.slice(k), ...request.requests.slice(0, k)] };
  }
  return { ...request, requests: request.requests.slice(offset) };
}

function requestsFor(workload: string, state: SeedState, maxWrites: number): RequestSpec {
  return workload === CREATE_NAME ? { keys: state.keys, requests: createInCells(state, maxWrites), cycle: false } : SIGNED_NOOP;
}

/** Scrapes /metrics every `intervalMs` until stopped: how long each scrape took. */
function scraper(server: Server, intervalMs: number, round: number, into: Scrape[]): () => Promise<void> {
  if (intervalMs <= 0) return async () => {};
  let running: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    running = running.then(async () => {
      const started = performance.now();
      const res = await fetch(`http://127.0.0.1:${server.port}/metrics`);
      const text = await res.text();
      if (res.status !== 200) throw new Error(`GET /metrics answered ${res.status}: ${text.slice(0, 200)}`);
      into.push({ round, ms: performance.now() - started, bytes: text.length });
    });
  }, intervalMs);
  return async () => {
    clearInterval(timer);
    await running;
  };
}

// ---------------------------------------------------------------------------------------------
// The metrics' own work per request, in-process

interface HotPath {
  /** ns per answered request counted (a success: its counter and latency histogram). */
  requestNs: number;
  /** ns per store transaction timed. */
  transactionNs: number;
}

/** The metrics' per-request work alone, in a loop (best of 5 runs of 200,000): what every request pays with metrics on, sockets and scrapes aside. */
async function hotPath(): Promise<HotPath> {
  const store = await openStore({ kind: 'memory' });
  try {
    const metrics = createMetrics({ store, clock: systemClock, log: createLogger('warn') });
    const outcome = { product: 'Ecs', action: 'DescribeRegions', version: '2014-05-26', code: '', status: 200, seconds: 0.0004 };
    const observeTransaction = store.transactionObserver!;
    const best = (fn: () => void) => {
      let min = Infinity;
      for (let run = 0; run < 5; run++) {
        const n = 200_000;
        const started = process.hrtime.bigint();
        for (let i = 0; i < n; i++) fn();
        min = Math.min(min, Number(process.hrtime.bigint() - started) / n);
      }
      return min;
    };
    const result = { requestNs: best(() => metrics.observeRequest(outcome)), transactionNs: best(() => observeTransaction('write', 0.0004, 'commit')) };
    metrics.close();
    return result;
  } finally {
    await store.close();
  }
}

// ---------------------------------------------------------------------------------------------
// Over HTTP

interface Comparison {
  workload: string;
  throughput: RatioEstimate;
  p99: RatioEstimate;
  onRequestsPerSecond: number;
  offRequestsPerSecond: number;
  onP99Ms: number;
  offP99Ms: number;
  onCpuUsPerRequest: number | undefined;
  offCpuUsPerRequest: number | undefined;
  otherLoadPercent: number;
  ranOut: boolean;
}

function compare(slices: readonly Slice[]): Comparison[] {
  return WORKLOADS.map((workload) => {
    const mine = slices.filter((s) => s.workload === workload && s.measured.requests > 0);
    const pairs: { round: number; on: Measured; off: Measured }[] = [];
    for (const off of mine.filter((s) => s.mode === 'off')) {
      const on = mine.find((s) => s.mode === 'on' && s.round === off.round && s.slice === off.slice);
      if (on) pairs.push({ round: off.round, on: on.measured, off: off.measured });
    }
    if (pairs.length === 0) throw new Error(`${workload}: no pair of slices with requests in both modes`);
    const byRound = (ratio: (p: (typeof pairs)[number]) => number) => {
      const rounds = [...new Set(pairs.map((p) => p.round))];
      return ratioEstimate(rounds.map((round) => ratioEstimate(pairs.filter((p) => p.round === round).map(ratio)).mean));
    };
    const of = (mode: Mode) => mine.filter((s) => s.mode === mode).map((s) => s.measured);
    const rate = (ms: Measured[]) => ms.reduce((n, m) => n + m.requests, 0) / ms.reduce((n, m) => n + m.windowMs / 1000, 0);
    const cpu = (ms: Measured[]) =>
      ms.every((m) => m.serverCpuUsPerRequest !== undefined)
        ? Math.round(
            ms.reduce((n, m) => n + m.serverCpuUsPerRequest! * m.requests, 0) /
              Math.max(
                1,
                ms.reduce((n, m) => n + m.requests, 0),
              ),
          )
        : undefined;
    return {
      workload,
      throughput: byRound((p) => p.on.requestsPerSecond / p.off.requestsPerSecond),
      p99: byRound((p) => p.on.latencyMs.p99 / p.off.latencyMs.p99),
      onRequestsPerSecond: rate(of('on')),
      offRequestsPerSecond: rate(of('off')),
      onP99Ms: median(of('on').map((m) => m.latencyMs.p99)),
      offP99Ms: median(of('off').map((m) => m.latencyMs.p99)),
      onCpuUsPerRequest: cpu(of('on')),
      offCpuUsPerRequest: cpu(of('off')),
      otherLoadPercent: median(pairs.flatMap((p) => [p.on.otherCpuPercent ?? 0, p.off.otherCpuPercent ?? 0])),
      ranOut: mine.some((s) => s.measured.stoppedEarly !== undefined),
    };
  });
}

async function main(): Promise<void> {
  const { values: opts } = parseArgs({
    options: {
      rounds: { type: 'string', default: '4' },
      slices: { type: 'string', default: '2' },
      slice: { type: 'string', default: '2' },
      warmup: { type: 'string', default: '0.5' },
      'max-writes': { type: 'string', default: '8000' },
      concurrency: { type: 'string', default: '32' },
      'scrape-interval': { type: 'string', default: '1' },
      deadline: { type: 'string', default: '600' },
      out: { type: 'string', default: join(ROOT, 'bench/results/metrics.json') },
    },
  });
  const rounds = Math.floor(positive('rounds', opts.rounds));
  const slices = Math.floor(positive('slices', opts.slices));
  const concurrency = Math.floor(positive('concurrency', opts.concurrency));
  const firstPace: Pace = { concurrency, warmupMs: positive('warmup', opts.warmup) * 1000, durationMs: positive('slice', opts.slice) * 1000 };
  const nextPace: Pace = { ...firstPace, warmupMs: SLICE_WARM_UP_MS };
  const maxWrites = Math.floor(positive('max-writes', opts['max-writes']));
  const scrapeMs = Number(opts['scrape-interval']) * 1000;
  if (!Number.isFinite(scrapeMs) || scrapeMs < 0) throw new Error(`--scrape-interval: seconds, 0 or more, got "${opts['scrape-interval']}"`);
  installDeadline(positive('deadline', opts.deadline) * 1000, 'bench:metrics');

  const started = Date.now();
  const info = machine();
  console.log(`bench:metrics: ${describeMachine(info)}`);
  console.log(
    `bench:metrics: ${rounds} rounds of ${slices} slices per mode and workload, ${firstPace.durationMs / 1000} s each; concurrency ${concurrency}; ` +
      `/metrics scraped every ${scrapeMs > 0 ? `${scrapeMs / 1000} s` : '(never)'} while the metrics server is measured`,
  );
  const hot = await hotPath();
  console.log(`bench:metrics: in-process, a request counted: ${fmt(hot.requestNs)} ns; a transaction timed: ${fmt(hot.transactionNs)} ns`);
  const seed = sqliteSeed();
  const loadgen = new LoadGenerator();
  const measured: Slice[] = [];
  const scrapes: Scrape[] = [];
  try {
    const msg = { type: 'seed' as const, target: seed.target, state: emptySeed(), size: 0, createCells: createCellsFor(maxWrites), parallel: 16 };
    const state = await growInChild(msg, 'sqlite', () => {});
    console.log(`bench:metrics: seeded ${state.createCells.length} create cells in ${fmt((Date.now() - started) / 1000)} s`);
    for (let round = 1; round <= rounds; round++) {
      const copies = { on: await seed.copy(`metrics-on-${round}`), off: await seed.copy(`metrics-off-${round}`) };
      const servers = new Map<Mode, Server>();
      try {
        const startOrder = round % 2 === 1 ? MODES : [...MODES].reverse();
        for (const mode of startOrder) {
          servers.set(mode, await startEniplane({ name: `eniplane (metrics ${mode})`, storeArgs: copies[mode].storeArgs, extraArgs: ['--metrics', mode] }));
        }
        for (let turn = 0; turn < SERVER_WARM_UP_TURNS; turn++) {
          for (const mode of startOrder) {
            const warm: Pace = { concurrency, warmupMs: 0, durationMs: SERVER_WARM_UP_MS / SERVER_WARM_UP_TURNS };
            await loadgen.run(scenario('warm-up', [servers.get(mode)!.port], warm, SIGNED_NOOP), { server: [] });
          }
        }
        for (let w = 0; w < WORKLOADS.length; w++) {
          const workload = WORKLOADS[w]!;
          const requests = requestsFor(workload, state, maxWrites);
          const sent = new Map<Mode, number>(MODES.map((m) => [m, 0]));
          for (let k = 0; k < slices; k++) {
            const order = (round + w + k) % 2 === 0 ? MODES : [...MODES].reverse();
            for (const mode of order) {
              const server = servers.get(mode)!;
              const request = from(requests, sent.get(mode)!);
              if (request.requests.length === 0) continue;
              const stopScraping = mode === 'on' ? scraper(server, scrapeMs, round, scrapes) : async () => {};
              const r = await loadgen.run(scenario(workload, [server.port], k === 0 ? firstPace : nextPace, request), { server: [server.child.pid!] });
              await stopScraping();
              console.log(progressLine(`r${round}.${k + 1} metrics ${mode.padEnd(3)} ${workload}`, r));
              for (const s of r.errorSamples) console.log(`    error: ${s}`);
              sent.set(mode, sent.get(mode)! + r.nextSlot);
              measured.push({ workload, mode, round, slice: k + 1, measured: r });
            }
          }
        }
      } finally {
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
      'off req/s:',
      'on req/s:',
      'on / off req/s [90% interval]:',
      'off p99 ms:',
      'on p99 ms:',
      'on / off p99 [90% interval]:',
      'server CPU µs/req, off → on:',
      'other load:',
    ],
    comparisons.map((c) => [
      `${c.workload}${c.ranOut ? ' (ran out)' : ''}`,
      fmt(c.offRequestsPerSecond),
      fmt(c.onRequestsPerSecond),
      `**${formatEstimate(c.throughput)}**`,
      fmt(c.offP99Ms, 2),
      fmt(c.onP99Ms, 2),
      formatEstimate(c.p99),
      `${us(c.offCpuUsPerRequest)} → ${us(c.onCpuUsPerRequest)}`,
      `${fmt(c.otherLoadPercent)}%`,
    ]),
  );
  const scrapeMsList = scrapes.map((s) => s.ms);
  const scrapeLine =
    scrapes.length === 0
      ? 'No scrapes.'
      : `GET /metrics while measuring: ${scrapes.length} scrapes, median ${fmt(median(scrapeMsList), 1)} ms, max ${fmt(Math.max(...scrapeMsList), 1)} ms, ` +
        `${fmt(median(scrapes.map((s) => s.bytes)) / 1024, 1)} KiB each.`;
  const hotLine =
    `The metrics' own work, in-process (best of 5 × 200,000): **${fmt(hot.requestNs)} ns** per request counted (its counter and latency histogram), ` +
    `**${fmt(hot.transactionNs)} ns** per store transaction timed.`;
  const totalErrors = measured.reduce((n, s) => n + s.measured.errors + s.measured.warmupErrors, 0);
  const command = commandLine('bench:metrics');
  const summary =
    `${command}: ${rounds} rounds × ${slices} slices of ${firstPace.durationMs / 1000} s per mode and workload (SQLite), ${concurrency} clients; ` +
    `ratios: geometric means of ${comparisons[0]!.throughput.n} rounds' ratios (each the geometric mean of its pairs of adjacent slices), with 90% intervals. ` +
    `${scrapeLine} Errors: ${totalErrors}. Machine: ${describeMachine(info)}.`;
  console.log(`\n${table}\n\n${hotLine}\n\n${summary}\n`);
  writeReport(opts.out, {
    command,
    date: new Date().toISOString(),
    machine: info,
    settings: {
      rounds,
      slices,
      sliceMs: firstPace.durationMs,
      warmupMs: firstPace.warmupMs,
      concurrency,
      maxWrites,
      scrapeIntervalMs: scrapeMs,
      store: 'sqlite (file, WAL)',
    },
    comparisons,
    hotPath: hot,
    scrapes,
    totalErrors,
    elapsedSeconds: Math.round((Date.now() - started) / 1000),
    slices: measured,
    markdown: `${table}\n\n${hotLine}\n\n${summary}`,
  });
  if (totalErrors > 0) process.exitCode = 1;
}

runMain('bench:metrics', main);

/**
 * `npm run bench [-- OPTIONS]`: the signed no-op (ECS DescribeRegions, signed V3, fresh nonce per
 * request) against a bare Fastify route (harness/bare-route.ts: same Fastify version and options,
 * no auth, no store), alternating round by round so each signed round has its own reference.
 * What one signed call costs before it does anything.
 *
 * Options: --concurrency 32  --warmup 2  --duration 8  --rounds 3  --deadline 300  --out FILE
 *          --profile DIR (the eniplane server runs with --cpu-prof; summarise with bench/tools/profile-summary.ts)
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { commandLine, positive, ROOT } from './harness/cli.ts';
import { LoadGenerator, scenario, type Measured, type Pace } from './harness/loadgen.ts';
import { describeMachine, fmt, machine, markdownTable, progressLine, writeReport } from './harness/report.ts';
import { SIGNED_NOOP, SIGNED_NOOP_NAME } from './harness/scenario.ts';
import { installDeadline, runMain, startBareRoute, startEniplane } from './harness/server.ts';
import { formatSpread, spread } from './harness/stats.ts';

const BARE_NAME = 'bare Fastify route (unsigned)';

async function main(): Promise<void> {
  const { values: opts } = parseArgs({
    options: {
      concurrency: { type: 'string', default: '32' },
      warmup: { type: 'string', default: '2' },
      duration: { type: 'string', default: '8' },
      rounds: { type: 'string', default: '3' },
      deadline: { type: 'string', default: '300' },
      out: { type: 'string', default: join(ROOT, 'bench/results/noop.json') },
      profile: { type: 'string' },
    },
  });
  const pace: Pace = {
    concurrency: Math.floor(positive('concurrency', opts.concurrency)),
    warmupMs: positive('warmup', opts.warmup) * 1000,
    durationMs: positive('duration', opts.duration) * 1000,
  };
  const rounds = Math.floor(positive('rounds', opts.rounds));
  installDeadline(positive('deadline', opts.deadline) * 1000, 'bench');

  const info = machine();
  console.log(`bench: ${describeMachine(info)}`);
  console.log(`bench: concurrency ${pace.concurrency}, warm-up ${pace.warmupMs / 1000} s, window ${pace.durationMs / 1000} s, ${rounds} round(s)`);
  const dataDir = mkdtempSync(join(tmpdir(), 'eniplane-bench-'));
  const bare = await startBareRoute();
  const eniplane = await startEniplane({
    name: 'eniplane',
    storeArgs: ['--data-dir', dataDir],
    ...(opts.profile ? { profileDir: resolve(opts.profile) } : {}),
  });
  const loadgen = new LoadGenerator();
  const results: (Measured & { round: number })[] = [];
  try {
    for (let round = 1; round <= rounds; round++) {
      // The bare route gets the same request bytes (it ignores their signature), signed up front.
      for (const [name, server, request] of [
        [BARE_NAME, bare, { ...SIGNED_NOOP, presigned: true }],
        [SIGNED_NOOP_NAME, eniplane, SIGNED_NOOP],
      ] as const) {
        const r = await loadgen.run(scenario(name, [server.port], pace, request), { server: [server.child.pid!] });
        results.push({ ...r, round });
        console.log(progressLine(`${name} (round ${round})`, r));
        for (const s of r.errorSamples) console.log(`    error: ${s}`);
      }
    }
  } finally {
    loadgen.close();
    await Promise.all([bare.stop(), eniplane.stop()]);
    rmSync(dataDir, { recursive: true, force: true });
  }

  const bareRuns = results.filter((r) => r.name === BARE_NAME);
  const signedRuns = results.filter((r) => r.name === SIGNED_NOOP_NAME);
  const ratios = signedRuns.map((r, i) => r.requestsPerSecond / bareRuns[i]!.requestsPerSecond);
  const ratio = spread(ratios);
  const totalErrors = results.reduce((n, r) => n + r.errors + r.warmupErrors, 0);
  const table = markdownTable(
    ['scenario', 'round:', 'req/s:', '× bare:', 'p50 ms:', 'p99 ms:', 'errors:', 'server CPU µs/req:', 'load-gen CPU:', 'other load:'],
    results.map((r) => [
      r.name,
      r.round,
      fmt(r.requestsPerSecond),
      r.name === BARE_NAME ? '1.00' : ratios[signedRuns.indexOf(r)]!.toFixed(2),
      r.latencyMs.p50.toFixed(2),
      r.latencyMs.p99.toFixed(2),
      r.errors + r.warmupErrors,
      r.serverCpuUsPerRequest ?? '?',
      `${fmt(r.clientCpuPercent)}%`,
      `${r.otherCpuPercent ?? '?'}%`,
    ]),
  );
  const summary = `Signed no-op / bare route, median (range) of ${ratios.length} round(s): **${formatSpread(ratio)}×**. Errors: ${totalErrors}.`;
  console.log(`\n${table}\n\n${summary}\n`);
  writeReport(opts.out, {
    command: commandLine('bench'),
    date: new Date().toISOString(),
    machine: info,
    settings: { ...pace, rounds, delays: 'none', store: 'sqlite (file, WAL)' },
    ratioToBare: ratio,
    totalErrors,
    results,
    markdown: `${table}\n\n${summary}`,
  });
  if (opts.profile) console.log(`bench: server CPU profile written to ${resolve(opts.profile)}`);
  if (totalErrors > 0) process.exitCode = 1;
}

runMain('bench', main);

/**
 * `npm run bench [-- OPTIONS]`: throughput and latency of eniplane's signed API against a bare
 * Fastify route measured in the same run. Starts both servers and a separate load-generator
 * process, runs every scenario for a warm-up and a fixed window, writes bench/results/latest.json
 * and prints a Markdown table for BENCHMARKS.md. Everything is bounded: each window in time and
 * request count, each request by a timeout, the whole run by --deadline.
 *
 * Options: --concurrency N (32)  --warmup S (2)  --duration S (8)  --rounds N (3)
 *          --max-creates N (30000)  --deadline S (300)  --out FILE  --profile DIR (server --cpu-prof)
 *          --only regions|vswitches (a subset, for profiling; the report then lacks the other part)
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { resolveAction } from '../src/api/registry.ts';
import {
  fmt,
  installDeadline,
  killChildren,
  LoadGenerator,
  machine,
  positive,
  REQUEST_TIMEOUT_MS,
  ROOT,
  startProcess,
  type Measured,
  type Server,
} from './harness.ts';
import { KeepAliveConnection } from './http-client.ts';
import type { RequestSpec, ScenarioSpec, VpcPages, VpcSlot } from './scenario.ts';
import { BENCH_KEY, signedV3Request } from './sign.ts';
import { median } from './stats.ts';

const ECS_VERSION = '2014-05-26';
const VPC_VERSION = '2016-04-28';
const VSWITCHES_PER_VPC = 150;
const VPCS_PER_REGION = 10;

const { values: opts } = parseArgs({
  options: {
    concurrency: { type: 'string', default: '32' },
    warmup: { type: 'string', default: '2' },
    duration: { type: 'string', default: '8' },
    rounds: { type: 'string', default: '3' },
    'max-creates': { type: 'string', default: '30000' },
    deadline: { type: 'string', default: '300' },
    out: { type: 'string', default: join(ROOT, 'bench/results/latest.json') },
    profile: { type: 'string' },
    only: { type: 'string' },
  },
});

const CONCURRENCY = Math.floor(positive('concurrency', opts.concurrency));
const WARMUP_MS = positive('warmup', opts.warmup) * 1000;
const DURATION_MS = positive('duration', opts.duration) * 1000;
const ROUNDS = Math.floor(positive('rounds', opts.rounds));
const MAX_CREATES = Math.floor(positive('max-creates', opts['max-creates']));
const DEADLINE_MS = positive('deadline', opts.deadline) * 1000;
const ONLY = opts.only;
if (ONLY !== undefined && ONLY !== 'regions' && ONLY !== 'vswitches') throw new Error(`--only must be regions or vswitches, got "${ONLY}"`);
// Far above what these machines reach in one window; it only bounds memory (8 bytes each).
const MAX_MEASURED = 4_000_000;

installDeadline(DEADLINE_MS, 'bench');

// ---------------------------------------------------------------------------------------------
// Direct calls from the runner (setup and checks; never measured)

async function call(conn: KeepAliveConnection, port: number, action: string, version: string, params: Record<string, string>) {
  const res = await conn.request(signedV3Request(`127.0.0.1:${port}`, BENCH_KEY, action, version, params));
  return { status: res.status, body: JSON.parse(res.body.toString('utf8')) as Record<string, unknown> };
}

async function mustCall(conn: KeepAliveConnection, port: number, action: string, version: string, params: Record<string, string>) {
  const r = await call(conn, port, action, version, params);
  if (r.status !== 200) throw new Error(`${action} failed during setup: HTTP ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

interface RegionInfo {
  regionId: string;
  zones: { zoneId: string }[];
}

// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const started = Date.now();
  const info = machine();
  console.log(`bench: ${info.nproc} CPUs (${info.cpuModel}), ${info.memoryGiB} GiB, Node ${info.node}`);
  console.log(`bench: concurrency ${CONCURRENCY}, warm-up ${WARMUP_MS / 1000} s, window ${DURATION_MS / 1000} s, ${ROUNDS} round(s)`);

  const dataDir = mkdtempSync(join(tmpdir(), 'eniplane-bench-'));
  const env: NodeJS.ProcessEnv = { ...process.env, ENIPLANE_ACCESS_KEY_ID: BENCH_KEY.accessKeyId, ENIPLANE_ACCESS_KEY_SECRET: BENCH_KEY.accessKeySecret };
  delete env.ENIPLANE_CHECK_RESULTS;
  const profileArgs = opts.profile ? ['--cpu-prof', `--cpu-prof-dir=${resolve(opts.profile)}`] : [];
  if (opts.profile) mkdirSync(resolve(opts.profile), { recursive: true });

  const bare = await startProcess('bare', ['--import', 'tsx', join(ROOT, 'bench/bare-server.ts')], process.env, /bare listening on http:\/\/[^:]+:(\d+)/);
  const eniplane = await startProcess(
    'eniplane',
    [
      ...profileArgs,
      join(ROOT, 'bin/eniplane.js'),
      'serve',
      '--port',
      '0',
      '--metadata-port',
      '0',
      '--data-dir',
      dataDir,
      '--delays',
      'none',
      '--log-level',
      'warn',
    ],
    env,
    /listening on http:\/\/[^:]+:(\d+)/,
  );
  const loadgen = new LoadGenerator();
  const results: (Measured & { target: string; round?: number })[] = [];
  const spec = (name: string, port: number, request: RequestSpec): ScenarioSpec => ({
    name,
    host: '127.0.0.1',
    port,
    concurrency: CONCURRENCY,
    warmupMs: WARMUP_MS,
    durationMs: DURATION_MS,
    maxRequests: MAX_MEASURED,
    requestTimeoutMs: REQUEST_TIMEOUT_MS,
    request,
  });
  const runScenario = async (name: string, target: Server, request: RequestSpec, round?: number) => {
    const r = await loadgen.run(spec(name, target.port, request), { server: target.child.pid === undefined ? [] : [target.child.pid] });
    const entry = { ...r, target: target.name, ...(round !== undefined ? { round } : {}) };
    results.push(entry);
    console.log(
      `  ${name.padEnd(34)} ${fmt(r.requestsPerSecond).padStart(7)} req/s  p50 ${fmt(r.latencyMs.p50, 2)} ms  p99 ${fmt(r.latencyMs.p99, 2)} ms  errors ${r.errors + r.warmupErrors}` +
        `  server CPU ${r.serverCpuPercent ?? '?'}% (${r.serverCpuUsPerRequest ?? '?'} µs/req)  client CPU ${fmt(r.clientCpuPercent)}%  other load ${r.otherCpuPercent ?? '?'}%${r.stoppedEarly ? `  (stopped early: ${r.stoppedEarly})` : ''}`,
    );
    for (const s of r.errorSamples) console.log(`    error: ${s}`);
    return entry;
  };

  try {
    const conn = new KeepAliveConnection('127.0.0.1', eniplane.port, REQUEST_TIMEOUT_MS);

    // DescribeRegions: the ECS flavour when this build has it, else the VPC one. (An ECS-versioned
    // call falls through to the VPC action when ECS lacks it, so ask the registry which one answers.)
    const ecsResolution = resolveAction('DescribeRegions', ECS_VERSION);
    const hasEcs = ecsResolution.kind === 'found' && ecsResolution.action.def.product === 'Ecs';
    const regionsVersion = hasEcs ? ECS_VERSION : VPC_VERSION;
    const regionsFlavour = hasEcs ? 'ECS' : 'VPC';
    if (!hasEcs) console.log(`bench: this build has no ECS DescribeRegions; using the VPC flavour (${VPC_VERSION})`);
    await mustCall(conn, eniplane.port, 'DescribeRegions', regionsVersion, {});
    const describeRegions: RequestSpec = { kind: 'fixed', action: 'DescribeRegions', version: regionsVersion, params: {} };
    const regionsName = `DescribeRegions (${regionsFlavour}, signed V3)`;

    // 1. The no-op action against the bare route, alternating, so each round has its own baseline.
    console.log('bench: bare route vs signed DescribeRegions');
    for (let round = 1; round <= (ONLY === 'vswitches' ? 1 : ROUNDS); round++) {
      // The bare server gets the same request bytes (it ignores their signature), signed up front.
      await runScenario('bare Fastify route (unsigned)', bare, { ...describeRegions, presigned: true }, round);
      if (ONLY !== 'vswitches') await runScenario(regionsName, eniplane, describeRegions, round);
    }
    if (ONLY === 'regions') {
      console.log(results.map((r) => `${r.name}: ${fmt(r.requestsPerSecond)} req/s`).join('\n'));
      return;
    }

    // 2. CreateVSwitch, spread over enough VPCs (10 per region, 150 vSwitches each) that no quota is hit.
    const catalog = JSON.parse(readFileSync(join(ROOT, 'src/catalog/regions.json'), 'utf8')) as { regions: RegionInfo[] };
    const vpcCount = Math.min(catalog.regions.length * VPCS_PER_REGION, Math.ceil(MAX_CREATES / VSWITCHES_PER_VPC));
    console.log(`bench: creating ${vpcCount} VPCs (10.0.0.0/8) across ${Math.min(vpcCount, catalog.regions.length)} regions`);
    const vpcs: VpcSlot[] = [];
    for (let i = 0; i < vpcCount; i++) {
      const region = catalog.regions[i % catalog.regions.length]!;
      const body = await mustCall(conn, eniplane.port, 'CreateVpc', VPC_VERSION, { RegionId: region.regionId, CidrBlock: '10.0.0.0/8', VpcName: `bench-${i}` });
      vpcs.push({ vpcId: String(body.VpcId), regionId: region.regionId, zoneIds: region.zones.map((z) => z.zoneId) });
    }
    const create = await runScenario('CreateVSwitch (signed V3)', eniplane, {
      kind: 'create-vswitch',
      version: VPC_VERSION,
      vpcs,
      perVpc: VSWITCHES_PER_VPC,
      firstSlot: 0,
    });

    // 3. DescribeVSwitches by VpcId over what was created, every page of 50 in turn.
    const pages: VpcPages[] = [];
    let storeVSwitches = 0;
    for (const vpc of vpcs) {
      const body = await mustCall(conn, eniplane.port, 'DescribeVSwitches', VPC_VERSION, { RegionId: vpc.regionId, VpcId: vpc.vpcId, PageSize: '1' });
      const total = Number(body.TotalCount);
      storeVSwitches += total;
      if (total > 0) pages.push({ vpcId: vpc.vpcId, regionId: vpc.regionId, total });
    }
    const expected = (create.nextSlot ?? 0) - create.errors - create.warmupErrors;
    console.log(`bench: ${storeVSwitches} vSwitches in the store (${expected} successful creations) in ${pages.length} VPCs`);
    if (storeVSwitches !== expected) throw new Error(`store holds ${storeVSwitches} vSwitches, expected ${expected}`);
    const describe = await runScenario('DescribeVSwitches (signed V3, PageSize 50)', eniplane, {
      kind: 'describe-vswitches',
      version: VPC_VERSION,
      vpcs: pages,
      pageSize: 50,
    });
    conn.close();

    // Ratios: each DescribeRegions round against its own bare round; the other scenarios against the median bare.
    const bareRuns = results.filter((r) => r.target === 'bare');
    const regionRuns = results.filter((r) => r.name === regionsName);
    const roundRatios = regionRuns.map((r, i) => r.requestsPerSecond / bareRuns[i]!.requestsPerSecond);
    const bareMedian = median(bareRuns.map((r) => r.requestsPerSecond));
    const ratioOf = (r: (typeof results)[number]) =>
      r.target === 'bare' ? 1 : r.name === regionsName ? roundRatios[regionRuns.indexOf(r as never)]! : r.requestsPerSecond / bareMedian;
    const regionsRatio = roundRatios.length > 0 ? median(roundRatios) : Number.NaN;
    // The round least disturbed by other processes on the machine (a shared machine is noisy).
    const otherLoadOf = (i: number) => Math.max(bareRuns[i]!.otherCpuPercent ?? 0, regionRuns[i]!.otherCpuPercent ?? 0);
    const quietest = roundRatios.map((_, i) => i).sort((a, b) => otherLoadOf(a) - otherLoadOf(b))[0] ?? 0;
    const targetMet = regionsRatio >= 0.5;
    const totalErrors = results.reduce((n, r) => n + r.errors + r.warmupErrors, 0);

    const rows = results.map((r) => ({ ...r, ratioToBare: Math.round(ratioOf(r) * 1000) / 1000 }));
    const table = [
      '| scenario | round | req/s | × bare | p50 ms | p99 ms | errors | server CPU | server CPU µs/req | load-gen CPU | other load |',
      '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
      ...rows.map(
        (r) =>
          `| ${r.name} | ${r.round ?? '–'} | ${fmt(r.requestsPerSecond)} | ${r.ratioToBare.toFixed(2)} | ${r.latencyMs.p50.toFixed(2)} | ${r.latencyMs.p99.toFixed(2)} | ${r.errors + r.warmupErrors} | ${r.serverCpuPercent ?? '?'}% | ${r.serverCpuUsPerRequest ?? '?'} | ${fmt(r.clientCpuPercent)}% | ${r.otherCpuPercent ?? '?'}% |`,
      ),
    ].join('\n');
    const summary = [
      roundRatios.length === 0
        ? 'Signed DescribeRegions: not run (--only vswitches).'
        : `Signed DescribeRegions (${regionsFlavour} flavour) / bare route, median of ${roundRatios.length} round(s): **${regionsRatio.toFixed(2)}×** ` +
          `(rounds: ${roundRatios.map((x) => x.toFixed(2)).join(', ')}; quietest round, ${quietest + 1}, with ${otherLoadOf(quietest)}% other load: ${roundRatios[quietest]!.toFixed(2)}×) — target ≥ 0.50×: **${targetMet ? 'met' : 'NOT met'}**.`,
      `CreateVSwitch: ${create.issued} requests issued, ${create.errors + create.warmupErrors} errors; DescribeVSwitches ran over ${storeVSwitches} vSwitches in ${pages.length} VPCs (${describe.errors + describe.warmupErrors} errors). Errors in all scenarios: ${totalErrors}.`,
    ].join('\n');

    const report = {
      command: `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
      date: new Date().toISOString(),
      machine: info,
      settings: {
        concurrency: CONCURRENCY,
        warmupMs: WARMUP_MS,
        durationMs: DURATION_MS,
        rounds: ROUNDS,
        maxCreates: MAX_CREATES,
        delays: 'none',
        store: 'sqlite (file, WAL)',
      },
      describeRegionsFlavour: { product: regionsFlavour, version: regionsVersion },
      describeRegionsRatio:
        roundRatios.length > 0 ? { median: regionsRatio, rounds: roundRatios, quietestRound: quietest + 1, target: 0.5, met: targetMet } : null,
      store: { vpcs: vpcs.length, vswitches: storeVSwitches, describedVpcs: pages.length },
      totalErrors,
      elapsedSeconds: Math.round((Date.now() - started) / 1000),
      results: rows,
      markdown: `${table}\n\n${summary}`,
    };
    mkdirSync(dirname(resolve(opts.out)), { recursive: true });
    writeFileSync(resolve(opts.out), `${JSON.stringify(report, null, 2)}\n`);
    console.log(`\n${table}\n\n${summary}\n`);
    console.log(`bench: machine: nproc ${info.nproc}, ${info.cpuModel}, ${info.memoryGiB} GiB RAM, Node ${info.node}, ${info.os}`);
    console.log(`bench: results written to ${resolve(opts.out)} (${report.elapsedSeconds} s)`);
    if (totalErrors > 0) process.exitCode = 1;
  } finally {
    loadgen.close();
    await Promise.all([bare.stop(), eniplane.stop()]);
    if (opts.profile) console.log(`bench: server CPU profile written to ${resolve(opts.profile)}`);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(),
  (err: Error) => {
    console.error(`bench failed: ${err.stack ?? err}`);
    killChildren();
    process.exit(1);
  },
);

/**
 * `npm run bench:vswitches [-- OPTIONS]`: CreateVSwitch and DescribeVSwitches (by VpcId, pages of
 * 50 over what the creations made), against the signed no-op measured first on the same server.
 * The VPCs are made first (10.0.0.0/8, at most 10 per region); each creation takes the next unused
 * /24 of a VPC, never more than 150 per VPC, so none can hit a quota or an overlap.
 *
 * Options: --concurrency 32  --warmup 2  --duration 8  --max-creates 30000  --deadline 300  --out FILE
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { commandLine, positive, ROOT } from './harness/cli.ts';
import { ApiClient } from './harness/client.ts';
import { LoadGenerator, scenario, type Measured, type Pace } from './harness/loadgen.ts';
import { describeMachine, fmt, machine, markdownTable, progressLine, writeReport } from './harness/report.ts';
import { SIGNED_NOOP, SIGNED_NOOP_NAME, type ListedRequest, type RequestSpec } from './harness/scenario.ts';
import { REGIONS, VPC } from './harness/seed.ts';
import { installDeadline, runMain, startEniplane } from './harness/server.ts';
import { BENCH_KEY } from './harness/sign.ts';

const VSWITCHES_PER_VPC = 150;
const VPCS_PER_REGION = 10;
const PAGE_SIZE = 50;

async function main(): Promise<void> {
  const { values: opts } = parseArgs({
    options: {
      concurrency: { type: 'string', default: '32' },
      warmup: { type: 'string', default: '2' },
      duration: { type: 'string', default: '8' },
      'max-creates': { type: 'string', default: '30000' },
      deadline: { type: 'string', default: '300' },
      out: { type: 'string', default: join(ROOT, 'bench/results/vswitches.json') },
    },
  });
  const pace: Pace = {
    concurrency: Math.floor(positive('concurrency', opts.concurrency)),
    warmupMs: positive('warmup', opts.warmup) * 1000,
    durationMs: positive('duration', opts.duration) * 1000,
  };
  const maxCreates = Math.floor(positive('max-creates', opts['max-creates']));
  installDeadline(positive('deadline', opts.deadline) * 1000, 'bench:vswitches');

  const info = machine();
  console.log(`bench:vswitches: ${describeMachine(info)}`);
  const dataDir = mkdtempSync(join(tmpdir(), 'eniplane-bench-'));
  const server = await startEniplane({ name: 'eniplane', storeArgs: ['--data-dir', dataDir] });
  const api = new ApiClient(server.port);
  const loadgen = new LoadGenerator();
  const results: Measured[] = [];
  const measure = async (name: string, request: RequestSpec) => {
    const r = await loadgen.run(scenario(name, [server.port], pace, request), { server: [server.child.pid!] });
    results.push(r);
    console.log(progressLine(name, r));
    for (const s of r.errorSamples) console.log(`    error: ${s}`);
    return r;
  };
  try {
    const noop = await measure(SIGNED_NOOP_NAME, SIGNED_NOOP);

    const vpcCount = Math.min(REGIONS.length * VPCS_PER_REGION, Math.ceil(maxCreates / VSWITCHES_PER_VPC));
    console.log(`bench:vswitches: creating ${vpcCount} VPCs (10.0.0.0/8) across ${Math.min(vpcCount, REGIONS.length)} regions`);
    const vpcs: { vpcId: string; regionId: string; zoneIds: string[] }[] = [];
    for (let i = 0; i < vpcCount; i++) {
      const region = REGIONS[i % REGIONS.length]!;
      const body = await api.call(BENCH_KEY, 'CreateVpc', VPC, { RegionId: region.regionId, CidrBlock: '10.0.0.0/8', VpcName: `bench-${i}` });
      vpcs.push({ vpcId: String(body.VpcId), regionId: region.regionId, zoneIds: region.zones.map((z) => z.zoneId) });
    }
    // Slot k is the (k mod 150)-th /24 of VPC floor(k / 150): VPCs filled one after another, zones in turn.
    const creates: ListedRequest[] = vpcs.flatMap((vpc, v) =>
      Array.from({ length: VSWITCHES_PER_VPC }, (_, index) => ({
        key: 0,
        action: 'CreateVSwitch',
        version: VPC,
        params: {
          RegionId: vpc.regionId,
          VpcId: vpc.vpcId,
          ZoneId: vpc.zoneIds[index % vpc.zoneIds.length]!,
          CidrBlock: `10.${index >> 8}.${index & 255}.0/24`,
          VSwitchName: `bench-${v * VSWITCHES_PER_VPC + index}`,
        },
      })),
    );
    const create = await measure('CreateVSwitch', { keys: [BENCH_KEY], requests: creates.slice(0, maxCreates), cycle: false });

    // Every page of every VPC in turn, after checking the store holds what the creations made.
    const pages: ListedRequest[] = [];
    let stored = 0;
    for (const vpc of vpcs) {
      const total = Number((await api.call(BENCH_KEY, 'DescribeVSwitches', VPC, { RegionId: vpc.regionId, VpcId: vpc.vpcId, PageSize: '1' })).TotalCount);
      stored += total;
      for (let page = 1; page <= Math.ceil(total / PAGE_SIZE); page++) {
        const params = { RegionId: vpc.regionId, VpcId: vpc.vpcId, PageNumber: String(page), PageSize: String(PAGE_SIZE) };
        pages.push({ key: 0, action: 'DescribeVSwitches', version: VPC, params });
      }
    }
    const expected = create.nextSlot - create.errors - create.warmupErrors;
    if (stored !== expected) throw new Error(`the store holds ${stored} vSwitches, expected ${expected}`);
    const checked = `${fmt(stored)} vSwitches in ${vpcs.length} VPCs`;
    await measure(`DescribeVSwitches by VpcId (PageSize ${PAGE_SIZE})`, { keys: [BENCH_KEY], requests: pages, cycle: true });

    const totalErrors = results.reduce((n, r) => n + r.errors + r.warmupErrors, 0);
    const table = markdownTable(
      ['scenario', 'req/s:', '× no-op:', 'p50 ms:', 'p99 ms:', 'errors:', 'server CPU µs/req:', 'other load:'],
      results.map((r) => [
        r.name,
        fmt(r.requestsPerSecond),
        (r.requestsPerSecond / noop.requestsPerSecond).toFixed(2),
        r.latencyMs.p50.toFixed(2),
        r.latencyMs.p99.toFixed(2),
        r.errors + r.warmupErrors,
        r.serverCpuUsPerRequest ?? '?',
        `${r.otherCpuPercent ?? '?'}%`,
      ]),
    );
    const summary = `DescribeVSwitches ran over ${checked}. Errors: ${totalErrors}.`;
    console.log(`\n${table}\n\n${summary}\n`);
    writeReport(opts.out, {
      command: commandLine('bench:vswitches'),
      date: new Date().toISOString(),
      machine: info,
      settings: { ...pace, maxCreates, delays: 'none', store: 'sqlite (file, WAL)' },
      totalErrors,
      results,
      markdown: `${table}\n\n${summary}`,
    });
    if (totalErrors > 0) process.exitCode = 1;
  } finally {
    api.close();
    loadgen.close();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

runMain('bench:vswitches', main);

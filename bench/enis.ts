/**
 * `npm run bench:enis [-- OPTIONS]`: the ENI benchmarks of issue 3 on SQLite, and on PostgreSQL
 * with one and with two replicas (issue 4), in one run. For each store size, the seed (accounts,
 * VPCs, vSwitches, security groups, instances and ENIs, all made through the API in-process,
 * bench/eni-seed.ts) is grown to that many ENIs; each store then runs on a fresh copy of it
 * (bench/bench-stores.ts): the signed no-op DescribeRegions as the baseline, then
 * DescribeNetworkInterfaces by InstanceId and by VSwitchId (a page of 100),
 * AssignPrivateIpAddresses, CreateNetworkInterface and AttachNetworkInterface, each from the
 * separate load generator (bench/loadgen.ts) with 32 concurrent signed clients, spread round-robin
 * over the replicas. Resident memory of every server process is read after each round.
 *
 * Options: --stores sqlite,pg1,pg2  --sizes 1000,100000  --concurrency 32  --warmup 2  --duration 8
 *          --max-writes 30000 (requests listed per write scenario)  --seed-parallel 16
 *          --deadline 1500  --out FILE  --profile DIR (servers run with --cpu-prof, one folder per round)
 */
import { fork } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { type SeedStore, postgresSeed, sqliteSeed, type RoundStore } from './bench-stores.ts';
import { ECS, ENIS_PER_INSTANCE, emptySeed, instanceIdsOf, runInstancesParams, type SeedState } from './eni-seed.ts';
import type { FromSeeder, ToSeeder } from './eni-seeder.ts';
import {
  assignOne,
  attachPairs,
  createInCells,
  describeByInstance,
  describeByVSwitch,
  seededAttachTargets,
  VSWITCH_PAGE,
  type AttachTarget,
} from './eni-streams.ts';
import {
  fmt,
  installDeadline,
  killChildren,
  LoadGenerator,
  machine,
  positive,
  REQUEST_TIMEOUT_MS,
  residentMiB,
  ROOT,
  startProcess,
  type Measured,
  type Server,
} from './harness.ts';
import { KeepAliveConnection } from './http-client.ts';
import type { ListedRequest, ScenarioSpec } from './scenario.ts';
import { BENCH_KEY, signedV3Request, type BenchKey } from './sign.ts';

const { values: opts } = parseArgs({
  options: {
    stores: { type: 'string', default: 'sqlite,pg1,pg2' },
    sizes: { type: 'string', default: '1000,100000' },
    concurrency: { type: 'string', default: '32' },
    warmup: { type: 'string', default: '2' },
    duration: { type: 'string', default: '8' },
    'max-writes': { type: 'string', default: '30000' },
    'seed-parallel': { type: 'string', default: '16' },
    deadline: { type: 'string', default: '1500' },
    out: { type: 'string', default: join(ROOT, 'bench/results/enis.json') },
    profile: { type: 'string' },
  },
});

type StoreKind = 'sqlite' | 'pg1' | 'pg2';
const STORES = opts.stores.split(',').map((s) => s.trim()) as StoreKind[];
for (const s of STORES) if (s !== 'sqlite' && s !== 'pg1' && s !== 'pg2') throw new Error(`--stores takes sqlite, pg1 and pg2, got "${s}"`);
const SIZES = opts.sizes
  .split(',')
  .map((s) => Math.floor(positive('sizes', s)))
  .sort((a, b) => a - b);
const CONCURRENCY = Math.floor(positive('concurrency', opts.concurrency));
const WARMUP_MS = positive('warmup', opts.warmup) * 1000;
const DURATION_MS = positive('duration', opts.duration) * 1000;
const MAX_WRITES = Math.floor(positive('max-writes', opts['max-writes']));
const SEED_PARALLEL = Math.floor(positive('seed-parallel', opts['seed-parallel']));
const DEADLINE_MS = positive('deadline', opts.deadline) * 1000;
const MAX_MEASURED = 4_000_000;
const REPLICAS: Record<StoreKind, number> = { sqlite: 1, pg1: 1, pg2: 2 };
const STORE_NAMES: Record<StoreKind, string> = { sqlite: 'SQLite', pg1: 'PostgreSQL, 1 replica', pg2: 'PostgreSQL, 2 replicas' };

installDeadline(DEADLINE_MS, 'bench:enis');

// ---------------------------------------------------------------------------------------------
// Calls from the runner over HTTP (preparation between scenarios; never measured)

async function apiCall(
  conn: KeepAliveConnection,
  port: number,
  key: BenchKey,
  action: string,
  version: string,
  params: Record<string, string>,
): Promise<Record<string, unknown>> {
  const res = await conn.request(signedV3Request(`127.0.0.1:${port}`, key, action, version, params));
  const body = JSON.parse(res.body.toString('utf8')) as Record<string, unknown>;
  if (res.status !== 200) throw new Error(`${action} failed during preparation: HTTP ${res.status} ${JSON.stringify(body)}`);
  return body;
}

function eniIdsOf(body: Record<string, unknown>): string[] {
  return (body.NetworkInterfaceSets as { NetworkInterfaceSet: { NetworkInterfaceId: string }[] }).NetworkInterfaceSet.map((e) => e.NetworkInterfaceId);
}

// ---------------------------------------------------------------------------------------------

interface Row extends Measured {
  store: StoreKind;
  size: number;
  /** ENIs in the store when the scenario started. */
  enisInStore: number;
  ratioToNoop: number;
}

interface MemoryRow {
  store: StoreKind;
  size: number;
  enisAfterRound: number;
  residentMiB: (number | undefined)[];
  storeBytes: number;
}

async function startServers(kind: StoreKind, size: number, round: RoundStore): Promise<Server[]> {
  const env: NodeJS.ProcessEnv = { ...process.env, ENIPLANE_ACCESS_KEY_ID: BENCH_KEY.accessKeyId, ENIPLANE_ACCESS_KEY_SECRET: BENCH_KEY.accessKeySecret };
  delete env.ENIPLANE_CHECK_RESULTS;
  const servers: Server[] = [];
  for (let i = 0; i < REPLICAS[kind]; i++) {
    const profileDir = opts.profile ? resolve(opts.profile, `${kind}-${size}`) : undefined;
    if (profileDir) mkdirSync(profileDir, { recursive: true });
    const profileArgs = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
    const args = [
      ...profileArgs,
      join(ROOT, 'bin/eniplane.js'),
      'serve',
      '--port',
      '0',
      '--metadata-port',
      '0',
      '--delays',
      'none',
      '--log-level',
      'warn',
      ...round.serveArgs,
    ];
    servers.push(await startProcess(`eniplane ${kind} #${i + 1}`, args, env, /API listening on http:\/\/[^:]+:(\d+)/));
  }
  return servers;
}

/** One store at one size: the six scenarios on a fresh copy of the seed. */
async function runRound(kind: StoreKind, size: number, seed: SeedStore, state: SeedState, loadgen: LoadGenerator): Promise<{ rows: Row[]; memory: MemoryRow }> {
  const round = await seed.copy(`${kind}_${size}`);
  const servers = await startServers(kind, size, round);
  const ports = servers.map((s) => s.port);
  const conn = new KeepAliveConnection('127.0.0.1', ports[0]!, REQUEST_TIMEOUT_MS);
  const rows: Row[] = [];
  let enis = state.enis;
  let noop = Number.NaN;
  const owners = { server: servers.map((s) => s.child.pid!).filter((p) => p !== undefined), database: () => round.backendPids() };
  const run = async (name: string, keys: BenchKey[], requests: ListedRequest[], cycle: boolean): Promise<Row> => {
    if (requests.length === 0) throw new Error(`${name}: nothing to send (the store is too small for this scenario)`);
    const spec: ScenarioSpec = {
      name,
      host: '127.0.0.1',
      port: ports[0]!,
      ports,
      concurrency: CONCURRENCY,
      warmupMs: WARMUP_MS,
      durationMs: DURATION_MS,
      maxRequests: MAX_MEASURED,
      requestTimeoutMs: REQUEST_TIMEOUT_MS,
      request: { kind: 'list', keys, requests, cycle },
    };
    const r = await loadgen.run(spec, owners);
    const row: Row = { ...r, store: kind, size, enisInStore: enis, ratioToNoop: r.requestsPerSecond / noop };
    rows.push(row);
    console.log(
      `  ${kind.padEnd(6)} ${name.padEnd(44)} ${fmt(r.requestsPerSecond).padStart(6)} req/s  p50 ${fmt(r.latencyMs.p50, 2)} ms  p99 ${fmt(r.latencyMs.p99, 2)} ms  errors ${r.errors + r.warmupErrors}` +
        `  server ${r.serverCpuUsPerRequest ?? '?'} µs/req${r.databaseCpuUsPerRequest !== undefined ? `  db ${r.databaseCpuUsPerRequest} µs/req` : ''}  other load ${r.otherCpuPercent ?? '?'}%${r.stoppedEarly ? `  (stopped early: ${r.stoppedEarly})` : ''}`,
    );
    for (const s of r.errorSamples) console.log(`    error: ${s}`);
    return row;
  };
  try {
    // Each connection of the no-op round signs with the bench key (the root account).
    const noopRow = await run('DescribeRegions (signed no-op)', [BENCH_KEY], [{ key: 0, action: 'DescribeRegions', version: ECS, params: {} }], true);
    noop = noopRow.requestsPerSecond;
    noopRow.ratioToNoop = 1;

    const byVSwitch = describeByVSwitch(state);
    const first = await apiCall(conn, ports[0]!, state.keys[byVSwitch[0]!.key]!, 'DescribeNetworkInterfaces', ECS, byVSwitch[0]!.params);
    if (eniIdsOf(first).length !== VSWITCH_PAGE)
      throw new Error(`DescribeNetworkInterfaces by VSwitchId answered ${eniIdsOf(first).length} ENIs, not ${VSWITCH_PAGE}`);
    await run('DescribeNetworkInterfaces by InstanceId', state.keys, describeByInstance(state), true);
    await run(`DescribeNetworkInterfaces by VSwitchId (MaxResults ${VSWITCH_PAGE})`, state.keys, byVSwitch, true);
    await run('AssignPrivateIpAddresses (1 address)', state.keys, assignOne(state, MAX_WRITES), false);

    const create = await run('CreateNetworkInterface', state.keys, createInCells(state, MAX_WRITES), false);
    // What the creations left: list each touched create cell's ENIs and give them instances with room.
    const created = create.nextSlot ?? 0;
    const targets: AttachTarget[] = [];
    let listed = 0;
    let instances = 0;
    for (const cell of state.createCells) {
      if (listed >= created) break;
      const ids = eniIdsOf(
        await apiCall(conn, ports[0]!, state.keys[cell.key]!, 'DescribeNetworkInterfaces', ECS, {
          RegionId: cell.regionId,
          VSwitchId: cell.vswitchId,
          MaxResults: '100',
        }),
      );
      listed += ids.length;
      if (ids.length === 0) continue;
      const amount = Math.ceil(ids.length / (ENIS_PER_INSTANCE - 1));
      const ids2 = instanceIdsOf(await apiCall(conn, ports[0]!, state.keys[cell.key]!, 'RunInstances', ECS, runInstancesParams(cell, amount)));
      instances += ids2.length;
      ids2.forEach((instanceId, i) =>
        targets.push({ cell, instanceId, free: ENIS_PER_INSTANCE - 1, enis: ids.slice(i * (ENIS_PER_INSTANCE - 1), (i + 1) * (ENIS_PER_INSTANCE - 1)) }),
      );
    }
    const succeeded = created - create.errors - create.warmupErrors;
    if (listed !== succeeded) throw new Error(`the create cells hold ${listed} ENIs, but ${succeeded} creations succeeded`);
    enis += listed + instances;
    console.log(`  ${kind.padEnd(6)} (${listed} ENIs created; ${instances} instances added for them; ${fmt(enis)} ENIs in the store)`);
    // The created ENIs first, then the seeded instances' free slots.
    await run(
      'AttachNetworkInterface',
      state.keys,
      [...attachPairs(targets, MAX_WRITES), ...attachPairs(seededAttachTargets(state), MAX_WRITES)].slice(0, MAX_WRITES),
      false,
    );

    const memory: MemoryRow = { store: kind, size, enisAfterRound: enis, residentMiB: servers.map((s) => residentMiB(s.child.pid)), storeBytes: 0 };
    conn.close();
    await Promise.all(servers.map((s) => s.stop()));
    memory.storeBytes = await round.size();
    return { rows, memory };
  } finally {
    conn.close();
    await Promise.all(servers.map((s) => s.stop()));
    await round.drop();
  }
}

/** Grows one seed in a child process (bench/eni-seeder.ts); the state comes back with the new cells. */
function runSeeder(msg: ToSeeder, label: string): Promise<SeedState> {
  const child = fork(join(ROOT, 'bench/eni-seeder.ts'), [], { cwd: ROOT, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolveState, reject) => {
    child.on('message', (m: FromSeeder) => {
      if (m.type === 'progress') console.log(`  seeding ${label}: ${fmt(m.enis)} ENIs`);
      else if (m.type === 'done') resolveState(m.state);
      else reject(new Error(`seeding ${label} failed: ${m.message}`));
    });
    // After its last message: a no-op once the state has come back.
    child.once('exit', (code) => setImmediate(() => reject(new Error(`seeder for ${label} exited with ${code}`))));
    child.send(msg);
  });
}

function mib(bytes: number): string {
  return fmt(bytes / 2 ** 20, 1);
}

async function main(): Promise<void> {
  const started = Date.now();
  const info = machine();
  console.log(`bench:enis: ${info.nproc} CPUs (${info.cpuModel}), ${info.memoryGiB} GiB, Node ${info.node}, ${info.os}`);
  console.log(
    `bench:enis: stores ${STORES.join(', ')}; sizes ${SIZES.join(', ')}; concurrency ${CONCURRENCY}, warm-up ${WARMUP_MS / 1000} s, window ${DURATION_MS / 1000} s`,
  );
  const runId = `${process.pid}`;
  const seeds = new Map<'sqlite' | 'postgres', { store: SeedStore; state: SeedState }>();
  if (STORES.includes('sqlite')) seeds.set('sqlite', { store: sqliteSeed(), state: emptySeed() });
  if (STORES.some((s) => s !== 'sqlite')) seeds.set('postgres', { store: await postgresSeed(runId), state: emptySeed() });
  const loadgen = new LoadGenerator();
  const rows: Row[] = [];
  const memory: MemoryRow[] = [];
  const seeding: { dialect: string; size: number; seconds: number; perSecond: number; storeBytes: number }[] = [];
  try {
    for (const size of SIZES) {
      // The seeds grow side by side, one child process each.
      await Promise.all(
        [...seeds].map(async ([dialect, seed]) => {
          const t0 = performance.now();
          const before = seed.state.enis;
          seed.state = await runSeeder(
            { type: 'seed', target: seed.store.target, state: seed.state, size, createCells: Math.ceil(MAX_WRITES / 100), parallel: SEED_PARALLEL },
            dialect,
          );
          const seconds = (performance.now() - t0) / 1000;
          const storeBytes = await seed.store.size();
          const made = seed.state.enis - before;
          seeding.push({ dialect, size, seconds: Math.round(seconds), perSecond: Math.round(made / seconds), storeBytes });
          console.log(
            `bench:enis: ${dialect} seeded to ${fmt(seed.state.enis)} ENIs (${fmt(made)} in ${fmt(seconds)} s, ${fmt(made / seconds)}/s; ${seed.state.cells.length} cells); ${mib(storeBytes)} MiB`,
          );
        }),
      );
      for (const kind of STORES) {
        const seed = seeds.get(kind === 'sqlite' ? 'sqlite' : 'postgres')!;
        console.log(`bench:enis: ${STORE_NAMES[kind]}, ${fmt(size)} ENIs`);
        const r = await runRound(kind, size, seed.store, seed.state, loadgen);
        rows.push(...r.rows);
        memory.push(r.memory);
      }
    }
  } finally {
    loadgen.close();
    for (const seed of seeds.values()) await seed.store.drop();
  }

  const totalErrors = rows.reduce((n, r) => n + r.errors + r.warmupErrors, 0);
  const table = [
    '| store | ENIs | scenario | req/s | × no-op | p50 ms | p99 ms | errors | server CPU µs/req | PostgreSQL CPU µs/req | other load |',
    '| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map(
      (r) =>
        `| ${STORE_NAMES[r.store]} | ${fmt(r.enisInStore)} | ${r.name}${r.stoppedEarly ? ' (ran out)' : ''} | ${fmt(r.requestsPerSecond)} | ${r.ratioToNoop.toFixed(2)} | ${r.latencyMs.p50.toFixed(2)} | ${r.latencyMs.p99.toFixed(2)} | ${r.errors + r.warmupErrors} | ${r.serverCpuUsPerRequest ?? '?'} | ${r.databaseCpuUsPerRequest ?? '–'} | ${r.otherCpuPercent ?? '?'}% |`,
    ),
  ].join('\n');
  const memoryTable = [
    '| store | ENIs seeded | ENIs after the round | resident memory per server (VmRSS, MiB) | store on disk after the round (MiB) |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...memory.map(
      (m) =>
        `| ${STORE_NAMES[m.store]} | ${fmt(m.size)} | ${fmt(m.enisAfterRound)} | ${m.residentMiB.map((x) => (x === undefined ? '?' : fmt(x, 1))).join(' + ')} | ${mib(m.storeBytes)} |`,
    ),
  ].join('\n');
  const seedTable = [
    '| seed | ENIs | seconds | ENIs/s | on disk (MiB) |',
    '| --- | ---: | ---: | ---: | ---: |',
    ...seeding.map((s) => `| ${s.dialect} | ${fmt(s.size)} | ${s.seconds} | ${fmt(s.perSecond)} | ${mib(s.storeBytes)} |`),
  ].join('\n');
  const targets = rows
    .filter((r) => r.name === 'CreateNetworkInterface' || (r.name.startsWith('DescribeNetworkInterfaces') && r.size >= 100_000))
    .map((r) =>
      r.name === 'CreateNetworkInterface'
        ? `${STORE_NAMES[r.store]}, ${fmt(r.size)}: CreateNetworkInterface ${r.ratioToNoop.toFixed(2)}× the no-op (target ≥ 0.30×): ${r.ratioToNoop >= 0.3 ? 'met' : 'NOT met'}`
        : `${STORE_NAMES[r.store]}, ${fmt(r.size)}: ${r.name} p99 ${r.latencyMs.p99.toFixed(2)} ms (target < 20 ms): ${r.latencyMs.p99 < 20 ? 'met' : 'NOT met'}`,
    )
    .join('\n');
  const report = {
    command: `npm run bench:enis${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
    date: new Date().toISOString(),
    machine: info,
    settings: { stores: STORES, sizes: SIZES, concurrency: CONCURRENCY, warmupMs: WARMUP_MS, durationMs: DURATION_MS, maxWrites: MAX_WRITES, delays: 'none' },
    seeding,
    totalErrors,
    elapsedSeconds: Math.round((Date.now() - started) / 1000),
    results: rows,
    memory,
    markdown: `${table}\n\n${memoryTable}\n\n${seedTable}\n\n${targets}`,
  };
  mkdirSync(dirname(resolve(opts.out)), { recursive: true });
  writeFileSync(resolve(opts.out), `${JSON.stringify(report, null, 2)}\n`);
  console.log(`\n${report.markdown}\n`);
  console.log(`bench:enis: machine: nproc ${info.nproc}, ${info.cpuModel}, ${info.memoryGiB} GiB RAM, Node ${info.node}, ${info.os}`);
  console.log(`bench:enis: results written to ${resolve(opts.out)} (${report.elapsedSeconds} s)`);
  if (opts.profile) console.log(`bench:enis: server CPU profiles in ${resolve(opts.profile)}/<store>-<size>/`);
  if (totalErrors > 0) process.exitCode = 1;
}

main().then(
  () => process.exit(),
  (err: Error) => {
    console.error(`bench:enis failed: ${err.stack ?? err}`);
    killChildren();
    process.exit(1);
  },
);

/**
 * `npm run bench:enis [-- OPTIONS]`: the ENI workloads on SQLite, and on PostgreSQL with one and
 * with two replicas, in one run. For each store size the seed (harness/seed.ts: accounts, VPCs,
 * vSwitches, security groups, instances and ENIs, made through the API in-process) is grown to
 * that many ENIs; each store then runs on a fresh copy of it (harness/stores.ts) the workloads of
 * runEniWorkloads below, from the separate load generator with 32 concurrent signed clients spread
 * round-robin over the replicas. Resident memory of every server process is read after each round.
 * bench/compare.ts runs the same workloads against a baseline checkout and this tree.
 *
 * Options: --stores sqlite,pg1,pg2  --sizes 1000,100000  --concurrency 32  --warmup 2  --duration 8
 *          --max-writes 30000 (requests listed per write scenario)  --seed-parallel 16
 *          --deadline 1500  --out FILE  --profile DIR (servers run with --cpu-prof, one folder per round)
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { commandLine, isMain, listOption, positive, ROOT } from './harness/cli.ts';
import { ApiClient } from './harness/client.ts';
import { residentMiB } from './harness/cpu.ts';
import {
  assignOne,
  attachPairs,
  createInCells,
  describeByInstance,
  describeByVSwitch,
  seededAttachTargets,
  VSWITCH_PAGE,
  type AttachTarget,
} from './harness/eni-streams.ts';
import { LoadGenerator, scenario, type CpuOwners, type Measured, type Pace } from './harness/loadgen.ts';
import { describeMachine, fmt, machine, markdownTable, mib, progressLine, writeReport } from './harness/report.ts';
import { SIGNED_NOOP, SIGNED_NOOP_NAME, type ListedRequest, type RequestSpec } from './harness/scenario.ts';
import { ECS, emptySeed, ENI_QUOTA, ENIS_PER_INSTANCE, growInChild, instanceIdsOf, runInstancesParams, type SeedState } from './harness/seed.ts';
import { installDeadline, runMain, startEniplane, type Server } from './harness/server.ts';
import { postgresSeed, sqliteSeed, type SeedStore } from './harness/stores.ts';

// ---------------------------------------------------------------------------------------------
// The workloads (also run by bench/compare.ts)

export interface EniRow extends Measured {
  /** ENIs in the store when the scenario started. */
  enisInStore: number;
  /** Requests/s over the signed no-op's, measured just before on the same servers. */
  ratioToNoop: number;
}

export const ENI_WORKLOADS = [
  SIGNED_NOOP_NAME,
  'DescribeNetworkInterfaces by InstanceId',
  `DescribeNetworkInterfaces by VSwitchId (MaxResults ${VSWITCH_PAGE})`,
  'AssignPrivateIpAddresses (1 address)',
  'CreateNetworkInterface',
  'AttachNetworkInterface',
] as const;

function eniIdsOf(body: Record<string, unknown>): string[] {
  return (body.NetworkInterfaceSets as { NetworkInterfaceSet: { NetworkInterfaceId: string }[] }).NetworkInterfaceSet.map((e) => e.NetworkInterfaceId);
}

/** Where a run's workloads go: servers on a fresh copy of the seed `state` describes (several: replicas on one database). */
export interface EniTarget {
  servers: Server[];
  state: SeedState;
  /** Requests listed per write scenario. */
  maxWrites: number;
  /** PostgreSQL: the database's backends, whose CPU is the store's share of a request. */
  databasePids?: () => number[];
  /** Prefix of each console line. */
  label: string;
}

/** One workload: its unmeasured preparation, then its measured requests (one window or several slices). */
export interface EniWorkload {
  name: string;
  /** Checks and setup over HTTP (never measured); returns what the load generator sends. */
  prepare(): Promise<RequestSpec>;
  /** What the measured runs did: `sent` requests went out (the list's next unused one), `failed` of them failed. */
  done(sent: number, failed: number): void;
}

export interface EniWorkloads {
  workloads: EniWorkload[];
  ports: number[];
  owners: CpuOwners;
  /** ENIs in the store now (the seed's, plus what Create and the preparation for Attach added). */
  enisInStore(): number;
  close(): void;
}

/**
 * The six ENI workloads, in order, on servers serving a fresh copy of the seed: the signed no-op
 * (the run's unit), DescribeNetworkInterfaces by InstanceId and by VSwitchId (a page of 100),
 * AssignPrivateIpAddresses, CreateNetworkInterface, then AttachNetworkInterface of what the
 * creations made (the preparation lists it and adds instances for it) and of the seeded
 * instances' free slots. Every stream is built so that no request can legitimately fail. The
 * measuring is left to the caller: one window each (runEniWorkloads), or slices interleaved with
 * another tree's (bench/compare.ts).
 */
export function eniWorkloads(target: EniTarget): EniWorkloads {
  const { servers, state, maxWrites, label } = target;
  const ports = servers.map((s) => s.port);
  const owners: CpuOwners = {
    server: servers.map((s) => s.child.pid).filter((p) => p !== undefined),
    ...(target.databasePids ? { database: target.databasePids } : {}),
  };
  const api = new ApiClient(ports[0]!);
  let enis = state.enis;
  let created = 0;
  const list = (requests: ListedRequest[], cycle: boolean, keys = state.keys): RequestSpec => {
    if (requests.length === 0) throw new Error('nothing to send (the store is too small for this workload)');
    return { keys, requests, cycle };
  };
  const ignore = () => {};
  const workloads: EniWorkload[] = [
    { name: ENI_WORKLOADS[0], prepare: async () => SIGNED_NOOP, done: ignore },
    { name: ENI_WORKLOADS[1], prepare: async () => list(describeByInstance(state), true), done: ignore },
    {
      name: ENI_WORKLOADS[2],
      async prepare() {
        const byVSwitch = describeByVSwitch(state);
        const page = await api.call(state.keys[byVSwitch[0]!.key]!, 'DescribeNetworkInterfaces', ECS, byVSwitch[0]!.params);
        if (eniIdsOf(page).length !== VSWITCH_PAGE)
          throw new Error(`DescribeNetworkInterfaces by VSwitchId answered ${eniIdsOf(page).length} ENIs, not ${VSWITCH_PAGE}`);
        return list(byVSwitch, true);
      },
      done: ignore,
    },
    { name: ENI_WORKLOADS[3], prepare: async () => list(assignOne(state, maxWrites), false), done: ignore },
    {
      name: ENI_WORKLOADS[4],
      prepare: async () => list(createInCells(state, maxWrites), false),
      done: (sent, failed) => (created = sent - failed),
    },
    {
      name: ENI_WORKLOADS[5],
      async prepare() {
        // What the creations left: list each touched create cell's ENIs and give them instances with room.
        const targets: AttachTarget[] = [];
        let listed = 0;
        let instances = 0;
        for (const cell of state.createCells) {
          if (listed >= created) break;
          const key = state.keys[cell.key]!;
          const ids = eniIdsOf(
            await api.call(key, 'DescribeNetworkInterfaces', ECS, { RegionId: cell.regionId, VSwitchId: cell.vswitchId, MaxResults: '100' }),
          );
          listed += ids.length;
          if (ids.length === 0) continue;
          const free = ENIS_PER_INSTANCE - 1;
          const made = instanceIdsOf(await api.call(key, 'RunInstances', ECS, runInstancesParams(cell, Math.ceil(ids.length / free))));
          instances += made.length;
          made.forEach((instanceId, i) => targets.push({ cell, instanceId, free, enis: ids.slice(i * free, (i + 1) * free) }));
        }
        if (listed !== created) throw new Error(`the create cells hold ${listed} ENIs, but ${created} creations succeeded`);
        enis += listed + instances;
        console.log(`  ${label} (${listed} ENIs created; ${instances} instances added for them; ${fmt(enis)} ENIs in the store)`);
        // The created ENIs first, then the seeded instances' free slots.
        return list([...attachPairs(targets, maxWrites), ...attachPairs(seededAttachTargets(state), maxWrites)].slice(0, maxWrites), false);
      },
      done: ignore,
    },
  ];
  return { workloads, ports, owners, enisInStore: () => enis, close: () => api.close() };
}

/** The six workloads one after another, one window each, × no-op against the first (bench:enis). */
async function runEniWorkloads(target: EniTarget, loadgen: LoadGenerator, pace: Pace): Promise<EniRow[]> {
  const run = eniWorkloads(target);
  const rows: EniRow[] = [];
  try {
    for (const workload of run.workloads) {
      const request = await workload.prepare();
      const enis = run.enisInStore();
      const r = await loadgen.run(scenario(workload.name, run.ports, pace, request), run.owners);
      console.log(progressLine(`${target.label} ${workload.name}`, r));
      for (const s of r.errorSamples) console.log(`    error: ${s}`);
      workload.done(r.nextSlot, r.errors + r.warmupErrors);
      rows.push({ ...r, enisInStore: enis, ratioToNoop: r.requestsPerSecond / (rows[0]?.requestsPerSecond ?? r.requestsPerSecond) });
    }
    return rows;
  } finally {
    run.close();
  }
}

/** Create cells a run needs: each holds ENI_QUOTA creations. */
export function createCellsFor(maxWrites: number): number {
  return Math.ceil(maxWrites / ENI_QUOTA);
}

// ---------------------------------------------------------------------------------------------
// npm run bench:enis

type StoreKind = 'sqlite' | 'pg1' | 'pg2';
const REPLICAS: Record<StoreKind, number> = { sqlite: 1, pg1: 1, pg2: 2 };
const STORE_NAMES: Record<StoreKind, string> = { sqlite: 'SQLite', pg1: 'PostgreSQL, 1 replica', pg2: 'PostgreSQL, 2 replicas' };

interface MemoryRow {
  store: StoreKind;
  size: number;
  enisAfterRound: number;
  residentMiB: (number | undefined)[];
  storeBytes: number;
}

async function main(): Promise<void> {
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
  const stores = listOption<StoreKind>('stores', opts.stores, ['sqlite', 'pg1', 'pg2']);
  const sizes = opts.sizes
    .split(',')
    .map((s) => Math.floor(positive('sizes', s)))
    .sort((a, b) => a - b);
  const pace: Pace = {
    concurrency: Math.floor(positive('concurrency', opts.concurrency)),
    warmupMs: positive('warmup', opts.warmup) * 1000,
    durationMs: positive('duration', opts.duration) * 1000,
  };
  const maxWrites = Math.floor(positive('max-writes', opts['max-writes']));
  const seedParallel = Math.floor(positive('seed-parallel', opts['seed-parallel']));
  installDeadline(positive('deadline', opts.deadline) * 1000, 'bench:enis');

  const started = Date.now();
  const info = machine();
  console.log(`bench:enis: ${describeMachine(info)}`);
  console.log(
    `bench:enis: stores ${stores.join(', ')}; sizes ${sizes.join(', ')}; concurrency ${pace.concurrency}, warm-up ${pace.warmupMs / 1000} s, window ${pace.durationMs / 1000} s`,
  );
  const seeds = new Map<'sqlite' | 'postgres', { store: SeedStore; state: SeedState }>();
  if (stores.includes('sqlite')) seeds.set('sqlite', { store: sqliteSeed(), state: emptySeed() });
  if (stores.some((s) => s !== 'sqlite')) seeds.set('postgres', { store: await postgresSeed(`${process.pid}`), state: emptySeed() });
  const loadgen = new LoadGenerator();
  const rows: (EniRow & { store: StoreKind; size: number })[] = [];
  const memory: MemoryRow[] = [];
  const seeding: { dialect: string; size: number; seconds: number; perSecond: number; storeBytes: number }[] = [];
  try {
    for (const size of sizes) {
      // The seeds grow side by side, one child process each.
      await Promise.all(
        [...seeds].map(async ([dialect, seed]) => {
          const t0 = performance.now();
          const before = seed.state.enis;
          const msg = {
            type: 'seed' as const,
            target: seed.store.target,
            state: seed.state,
            size,
            createCells: createCellsFor(maxWrites),
            parallel: seedParallel,
          };
          seed.state = await growInChild(msg, dialect, (n) => console.log(`  seeding ${dialect}: ${fmt(n)} ENIs`));
          const seconds = (performance.now() - t0) / 1000;
          const storeBytes = await seed.store.size();
          const made = seed.state.enis - before;
          seeding.push({ dialect, size, seconds: Math.round(seconds), perSecond: Math.round(made / seconds), storeBytes });
          console.log(
            `bench:enis: ${dialect} seeded to ${fmt(seed.state.enis)} ENIs (${fmt(made)} in ${fmt(seconds)} s, ${fmt(made / seconds)}/s; ${seed.state.cells.length} cells); ${mib(storeBytes)} MiB`,
          );
        }),
      );
      for (const kind of stores) {
        const seed = seeds.get(kind === 'sqlite' ? 'sqlite' : 'postgres')!;
        console.log(`bench:enis: ${STORE_NAMES[kind]}, ${fmt(size)} ENIs`);
        const round = await seed.store.copy(`${kind}_${size}`);
        const servers: Server[] = [];
        try {
          for (let i = 0; i < REPLICAS[kind]; i++) {
            const profileDir = opts.profile ? resolve(opts.profile, `${kind}-${size}`) : undefined;
            servers.push(await startEniplane({ name: `eniplane ${kind} #${i + 1}`, storeArgs: round.storeArgs, ...(profileDir ? { profileDir } : {}) }));
          }
          const target = { servers, state: seed.state, maxWrites, databasePids: () => round.backendPids(), label: kind.padEnd(6) };
          const made = await runEniWorkloads(target, loadgen, pace);
          rows.push(...made.map((r) => ({ ...r, store: kind, size })));
          const last = made[made.length - 1]!;
          const residents = servers.map((s) => residentMiB(s.child.pid));
          await Promise.all(servers.map((s) => s.stop()));
          memory.push({ store: kind, size, enisAfterRound: last.enisInStore, residentMiB: residents, storeBytes: await round.size() });
        } finally {
          await Promise.all(servers.map((s) => s.stop()));
          await round.drop();
        }
      }
    }
  } finally {
    loadgen.close();
    for (const seed of seeds.values()) await seed.store.drop();
  }

  const totalErrors = rows.reduce((n, r) => n + r.errors + r.warmupErrors, 0);
  const table = markdownTable(
    ['store', 'ENIs:', 'scenario', 'req/s:', '× no-op:', 'p50 ms:', 'p99 ms:', 'errors:', 'server CPU µs/req:', 'PostgreSQL CPU µs/req:', 'other load:'],
    rows.map((r) => [
      STORE_NAMES[r.store],
      fmt(r.enisInStore),
      `${r.name}${r.stoppedEarly ? ' (ran out)' : ''}`,
      fmt(r.requestsPerSecond),
      r.ratioToNoop.toFixed(2),
      r.latencyMs.p50.toFixed(2),
      r.latencyMs.p99.toFixed(2),
      r.errors + r.warmupErrors,
      r.serverCpuUsPerRequest ?? '?',
      r.databaseCpuUsPerRequest ?? '–',
      `${r.otherCpuPercent ?? '?'}%`,
    ]),
  );
  const memoryTable = markdownTable(
    ['store', 'ENIs seeded:', 'ENIs after the round:', 'resident memory per server (VmRSS, MiB):', 'store on disk after the round (MiB):'],
    memory.map((m) => [
      STORE_NAMES[m.store],
      fmt(m.size),
      fmt(m.enisAfterRound),
      m.residentMiB.map((x) => (x === undefined ? '?' : fmt(x, 1))).join(' + '),
      mib(m.storeBytes),
    ]),
  );
  const seedTable = markdownTable(
    ['seed', 'ENIs:', 'seconds:', 'ENIs/s:', 'on disk (MiB):'],
    seeding.map((s) => [s.dialect, fmt(s.size), s.seconds, fmt(s.perSecond), mib(s.storeBytes)]),
  );
  const markdown = `${table}\n\n${memoryTable}\n\n${seedTable}`;
  console.log(`\n${markdown}\n`);
  console.log(`bench:enis: machine: ${describeMachine(info)}`);
  writeReport(opts.out, {
    command: commandLine('bench:enis'),
    date: new Date().toISOString(),
    machine: info,
    settings: { stores, sizes, ...pace, maxWrites, delays: 'none' },
    seeding,
    totalErrors,
    elapsedSeconds: Math.round((Date.now() - started) / 1000),
    results: rows,
    memory,
    markdown,
  });
  if (opts.profile) console.log(`bench:enis: server CPU profiles in ${resolve(opts.profile)}/<store>-<size>/`);
  if (totalErrors > 0) process.exitCode = 1;
}

if (isMain(import.meta.url)) runMain('bench:enis', main);

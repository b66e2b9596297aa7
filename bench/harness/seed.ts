import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './cli.ts';
import type { Caller, InProcessApi } from './in-process.ts';
import type { FromSeeder, ToSeeder } from './seeder-process.ts';
import { track } from './server.ts';
import type { BenchKey } from './sign.ts';

/**
 * The ENI benchmarks' data set (bench/enis.ts, bench/compare.ts, bench/floors.ts,
 * bench/statements.ts), made through the API in-process (harness/in-process.ts), never by raw
 * inserts.
 *
 * The account's ENI quota is 100 per region (src/domain/eni-rules.ts), so the ENIs are spread
 * over cells: one cell is one (account, region) with a VPC, a /20 vSwitch, a security group, one
 * instance (type ecs.ebmg5.24xlarge: 32 ENIs, hot-plug) and up to 100 secondary ENIs, the first
 * 3 of them attached to the instance. A full cell is 101 ENIs (the instance's primary counts: it
 * is an ENI DescribeNetworkInterfaces lists) and at most 100 × 10 + 1 addresses, well inside the
 * vSwitch (4,092 usable) and the security group (2,000). Cells go region by region within an
 * account, 25 regions per account.
 *
 * Create cells are separate accounts' (account, region) pairs with a VPC, vSwitch and group but no
 * ENI: CreateNetworkInterface fills them, 100 each, so no creation can hit the quota.
 */

export const ECS = '2014-05-26';
export const VPC = '2016-04-28';
/** 32 ENIs per instance, hot-plug: 31 attachable secondary slots. */
const INSTANCE_TYPE = 'ecs.ebmg5.24xlarge';
export const ENIS_PER_INSTANCE = 32;
const IMAGE = 'aliyun_3_x64_20G_alibase_20240819.vhd';
export const ENI_QUOTA = 100;
/** Secondary ENIs of each seeded cell attached to its instance (DescribeNetworkInterfaces by InstanceId then returns 4). */
export const ATTACHED_PER_CELL = 3;
/** An Available ENI holds at most 10 addresses; seeded ones hold 1. */
export const AVAILABLE_ENI_MAX_IPS = 10;

export interface RegionInfo {
  regionId: string;
  zones: { zoneId: string }[];
}
export const REGIONS: RegionInfo[] = (JSON.parse(readFileSync(new URL('../../src/catalog/regions.json', import.meta.url), 'utf8')) as { regions: RegionInfo[] })
  .regions;

export interface Cell {
  accountId: string;
  /** Index into SeedState.keys: the account's key pair, for the load generator. */
  key: number;
  regionId: string;
  vpcId: string;
  vswitchId: string;
  securityGroupId: string;
  instanceId?: string;
  /** Secondary ENIs, in creation order; the first ATTACHED_PER_CELL are attached to the instance. */
  enis: string[];
}

export interface SeedState {
  keys: BenchKey[];
  /** Account IDs, in key order. */
  accountIds: string[];
  cells: Cell[];
  createCells: Cell[];
  /** ENIs the seed made (primaries included). */
  enis: number;
}

/** ENIs in a full cell: the instance's primary plus the quota's 100 secondary ones. */
const FULL_CELL = 1 + ENI_QUOTA;

async function newAccount(api: InProcessApi, state: SeedState, name: string): Promise<number> {
  const key = await api.createAccount(name);
  state.keys.push({ accessKeyId: key.accessKeyId, accessKeySecret: key.accessKeySecret });
  state.accountIds.push(key.accountId);
  return state.keys.length - 1;
}

async function newCell(call: Caller, state: SeedState, key: number, region: RegionInfo, name: string): Promise<Cell> {
  const accountId = state.accountIds[key]!;
  const vpc = await call(accountId, 'CreateVpc', VPC, { RegionId: region.regionId, CidrBlock: '10.0.0.0/8', VpcName: name });
  const vpcId = String(vpc.VpcId);
  const zoneId = region.zones[0]!.zoneId;
  const vsw = await call(accountId, 'CreateVSwitch', VPC, {
    RegionId: region.regionId,
    VpcId: vpcId,
    ZoneId: zoneId,
    CidrBlock: '10.0.0.0/20',
    VSwitchName: name,
  });
  const sg = await call(accountId, 'CreateSecurityGroup', ECS, { RegionId: region.regionId, VpcId: vpcId, SecurityGroupName: name });
  return { accountId, key, regionId: region.regionId, vpcId, vswitchId: String(vsw.VSwitchId), securityGroupId: String(sg.SecurityGroupId), enis: [] };
}

/** RunInstances' parameters for `amount` instances in the cell's vSwitch and group. */
export function runInstancesParams(cell: Cell, amount: number): Record<string, string> {
  return {
    RegionId: cell.regionId,
    InstanceType: INSTANCE_TYPE,
    ImageId: IMAGE,
    VSwitchId: cell.vswitchId,
    SecurityGroupId: cell.securityGroupId,
    Amount: String(amount),
  };
}

/** The instance IDs a RunInstances answer lists. */
export function instanceIdsOf(body: Record<string, unknown>): string[] {
  return (body.InstanceIdSets as { InstanceIdSet: string[] }).InstanceIdSet;
}

/** RunInstances in the cell's vSwitch; `amount` Running instances (delays none). */
async function runInstances(call: Caller, cell: Cell, amount: number): Promise<string[]> {
  return instanceIdsOf(await call(cell.accountId, 'RunInstances', ECS, runInstancesParams(cell, amount)));
}

export function createEniParams(cell: Cell): Record<string, string> {
  return { RegionId: cell.regionId, VSwitchId: cell.vswitchId, SecurityGroupId: cell.securityGroupId };
}

/** Runs `jobs` with at most `parallel` in flight (distinct cells, so they rarely wait on each other's locks). */
async function inParallel<T>(items: T[], parallel: number, job: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await job(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(parallel, items.length) }, worker));
}

/** ENIs a cell holds now. */
function cellEnis(cell: Cell): number {
  return (cell.instanceId ? 1 : 0) + cell.enis.length;
}

/**
 * Grows the seeded cells until the seed has made `target` ENIs: the last cell is completed first,
 * then new cells, each filled to 101 (the last one possibly partly).
 */
export async function seedTo(api: InProcessApi, state: SeedState, target: number, parallel: number, progress: (done: number) => void): Promise<void> {
  const call = api.call;
  const plan: { cell: Cell | { create: number }; add: number }[] = [];
  let planned = state.enis;
  const last = state.cells[state.cells.length - 1];
  if (last && planned < target) {
    const add = Math.min(FULL_CELL - cellEnis(last), target - planned);
    if (add > 0) plan.push({ cell: last, add });
    planned += add;
  }
  let index = state.cells.length;
  while (planned < target) {
    const add = Math.min(FULL_CELL, target - planned);
    plan.push({ cell: { create: index++ }, add });
    planned += add;
  }
  // Accounts first (one per 25 cells, created one after another: account names are unique).
  const accountOf = new Map<number, number>();
  for (const p of plan) {
    if (!('create' in p.cell)) continue;
    const a = Math.floor(p.cell.create / REGIONS.length);
    if (!accountOf.has(a)) {
      const existing = state.cells.find((c, i) => Math.floor(i / REGIONS.length) === a);
      accountOf.set(a, existing ? existing.key : await newAccount(api, state, `bench-seed-${a}`));
    }
  }
  const made: Cell[] = [];
  await inParallel(plan, parallel, async (p) => {
    let cell: Cell;
    let add = p.add;
    if ('create' in p.cell) {
      const i = p.cell.create;
      cell = await newCell(call, state, accountOf.get(Math.floor(i / REGIONS.length))!, REGIONS[i % REGIONS.length]!, `bench-seed-${i}`);
      made[i - state.cells.length] = cell;
    } else cell = p.cell;
    if (!cell.instanceId && add > 0) {
      cell.instanceId = (await runInstances(call, cell, 1))[0]!;
      add--;
      state.enis++;
      progress(state.enis);
    }
    for (; add > 0; add--) {
      const eni = await call(cell.accountId, 'CreateNetworkInterface', ECS, createEniParams(cell));
      const eniId = String(eni.NetworkInterfaceId);
      cell.enis.push(eniId);
      if (cell.enis.length <= ATTACHED_PER_CELL) {
        await call(cell.accountId, 'AttachNetworkInterface', ECS, { RegionId: cell.regionId, NetworkInterfaceId: eniId, InstanceId: cell.instanceId! });
      }
      state.enis++;
      if (state.enis % 1000 === 0) progress(state.enis);
    }
  });
  state.cells.push(...made);
}

/** Cells CreateNetworkInterface fills, `count` of them, in accounts of their own. */
export async function addCreateCells(api: InProcessApi, state: SeedState, count: number, parallel: number): Promise<void> {
  const first = state.createCells.length;
  const keys = new Map<number, number>();
  for (let i = first; i < first + count; i++) {
    const a = Math.floor(i / REGIONS.length);
    if (!keys.has(a)) keys.set(a, await newAccount(api, state, `bench-create-${a}`));
  }
  const made: Cell[] = [];
  await inParallel(
    Array.from({ length: count }, (_, k) => first + k),
    parallel,
    async (i) => {
      made[i - first] = await newCell(api.call, state, keys.get(Math.floor(i / REGIONS.length))!, REGIONS[i % REGIONS.length]!, `bench-create-${i}`);
    },
  );
  state.createCells.push(...made);
}

export function emptySeed(): SeedState {
  return { keys: [], accountIds: [], cells: [], createCells: [], enis: 0 };
}

/** A seed grown to `enis` ENIs with `createCells` empty create cells, from scratch (the in-process benchmarks' setup). */
export async function seedFresh(api: InProcessApi, enis: number, createCells: number, parallel = 16): Promise<SeedState> {
  const state = emptySeed();
  await addCreateCells(api, state, createCells, parallel);
  await seedTo(api, state, enis, parallel, () => {});
  return state;
}

/** Grows one seed in a child process (harness/seeder-process.ts); the state comes back with the new cells. */
export function growInChild(msg: ToSeeder, label: string, progress: (enis: number) => void): Promise<SeedState> {
  const child = fork(join(ROOT, 'bench/harness/seeder-process.ts'), [], {
    cwd: ROOT,
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  track(child);
  return new Promise((resolveState, reject) => {
    child.on('message', (m: FromSeeder) => {
      if (m.type === 'progress') progress(m.enis);
      else if (m.type === 'done') resolveState(m.state);
      else reject(new Error(`seeding ${label} failed: ${m.message}`));
    });
    // After its last message: a no-op once the state has come back.
    child.once('exit', (code) => setImmediate(() => reject(new Error(`seeder for ${label} exited with ${code}`))));
    child.send(msg);
  });
}

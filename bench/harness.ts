import { fork, spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { availableParallelism, cpus, release, totalmem, type as osType } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FromLoadgen, ScenarioResult, ScenarioSpec, ToLoadgen } from './scenario.ts';

/**
 * What the bench runners share (bench/run.ts, bench/enis.ts): child processes (servers and the
 * load generator), CPU accounting from /proc, the machine's description and number formatting.
 */

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const REQUEST_TIMEOUT_MS = 15_000;

const children: ChildProcess[] = [];

export function killChildren(): void {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
}

/** Ends the whole run (children included) once `ms` have passed, and on Ctrl-C. */
export function installDeadline(ms: number, what: string): void {
  const timer = setTimeout(() => {
    console.error(`${what}: deadline of ${ms / 1000} s passed; stopping`);
    killChildren();
    process.exit(2);
  }, ms);
  timer.unref();
  process.once('SIGINT', () => {
    killChildren();
    process.exit(130);
  });
}

export interface Server {
  name: string;
  child: ChildProcess;
  port: number;
  output: () => string;
  stop(): Promise<void>;
}

/** Spawns a Node process and waits until its output matches `ready`, whose first group is the port. */
export async function startProcess(name: string, args: string[], env: NodeJS.ProcessEnv, ready: RegExp): Promise<Server> {
  const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const port = await new Promise<number>((resolvePort, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} did not start in 30 s:\n${out}`)), 30_000);
    const onData = () => {
      const m = ready.exec(out);
      if (m) {
        clearTimeout(timer);
        child.stdout!.off('data', onData);
        resolvePort(Number(m[1]));
      }
    };
    child.stdout!.on('data', onData);
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`${name} exited before listening:\n${out}`));
    });
  });
  return {
    name,
    child,
    port,
    output: () => out,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** CPU seconds (user + system) a process has used so far, from /proc; undefined elsewhere. */
export function cpuSecondsOf(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // utime and stime are fields 14 and 15 of the file (11 and 12 after the command name), in clock ticks (100/s on Linux).
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

/** CPU seconds the whole machine has been busy (every CPU, all processes), from /proc/stat. */
export function machineBusySeconds(): number | undefined {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal: busy is all but idle and iowait.
    const [user = 0, nice = 0, system = 0, , , irq = 0, softirq = 0, steal = 0] = fields;
    return (user + nice + system + irq + softirq + steal) / 100;
  } catch {
    return undefined;
  }
}

/** Resident memory of a process in MiB (VmRSS from /proc/<pid>/status); undefined elsewhere. */
export function residentMiB(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const m = /^VmRSS:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Math.round((Number(m[1]) / 1024) * 10) / 10 : undefined;
  } catch {
    return undefined;
  }
}

/** CPU seconds used by each of `pids`, keyed by pid (processes that are gone are left out). */
function cpuByPid(pids: readonly number[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const pid of pids) {
    const s = cpuSecondsOf(pid);
    if (s !== undefined) out.set(pid, s);
  }
  return out;
}

/** CPU used between two samples by the processes present in both. */
function usedBetween(start: Map<number, number>, end: Map<number, number>): number | undefined {
  if (start.size === 0) return undefined;
  let used = 0;
  for (const [pid, s] of start) {
    const e = end.get(pid);
    if (e !== undefined) used += e - s;
  }
  return used;
}

interface CpuSample {
  at: number;
  server: Map<number, number>;
  database: Map<number, number>;
  loadgen?: number;
  machine?: number;
}

export type Measured = ScenarioResult & {
  /** The server processes' CPU use over the window (all replicas together), in % of one core. */
  serverCpuPercent?: number;
  serverCpuUsPerRequest?: number;
  /** The database server's CPU for this store (PostgreSQL backends), in % of one core and per request. */
  databaseCpuPercent?: number;
  databaseCpuUsPerRequest?: number;
  /** CPU used by everything else on the machine during the window (other users), in % of one core. */
  otherCpuPercent?: number;
};

/** Whose CPU a window is charged to: the eniplane processes, and (PostgreSQL) the database's backends, listed at each sample. */
export interface CpuOwners {
  server: readonly number[];
  database?: () => number[];
}

export class LoadGenerator {
  private readonly child: ChildProcess;
  private listener: ((msg: FromLoadgen) => void) | undefined;
  private readonly ready: Promise<void>;

  constructor() {
    this.child = fork(join(ROOT, 'bench/loadgen.ts'), [], { cwd: ROOT, execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    children.push(this.child);
    this.ready = new Promise((r, reject) => {
      this.listener = (msg) => msg.type === 'ready' && r();
      this.child.once('exit', (code) => reject(new Error(`load generator exited with ${code}`)));
    });
    this.child.on('message', (msg: FromLoadgen) => this.listener?.(msg));
  }

  /** Runs one scenario; CPU use (servers, database, load generator, whole machine) is sampled at the window's start and end. */
  async run(spec: ScenarioSpec, owners: CpuOwners): Promise<Measured> {
    await this.ready;
    const sample = (): CpuSample => ({
      at: performance.now(),
      server: cpuByPid(owners.server),
      database: cpuByPid(owners.database?.() ?? []),
      loadgen: cpuSecondsOf(this.child.pid),
      machine: machineBusySeconds(),
    });
    let start: CpuSample | undefined;
    let end: CpuSample | undefined;
    const result = await new Promise<ScenarioResult>((resolveResult, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`scenario ${spec.name} did not finish`)),
        spec.warmupMs + spec.durationMs + 2 * REQUEST_TIMEOUT_MS + 10_000,
      );
      this.listener = (msg) => {
        if (msg.type === 'window-start') start = sample();
        else if (msg.type === 'window-end') end = sample();
        else if (msg.type === 'result') {
          clearTimeout(timer);
          resolveResult(msg.result);
        } else if (msg.type === 'failed') {
          clearTimeout(timer);
          reject(new Error(msg.message));
        }
      };
      this.child.send({ type: 'run', spec } satisfies ToLoadgen);
    });
    if (!start || !end) return result;
    const seconds = (end.at - start.at) / 1000;
    const server = usedBetween(start.server, end.server);
    const database = usedBetween(start.database, end.database);
    const loadgen = start.loadgen !== undefined && end.loadgen !== undefined ? end.loadgen - start.loadgen : undefined;
    const machine = start.machine !== undefined && end.machine !== undefined ? end.machine - start.machine : undefined;
    const out: Measured = { ...result };
    const served = result.requestsPerSecond * seconds;
    if (server !== undefined && seconds > 0) {
      out.serverCpuPercent = Math.round((server / seconds) * 100);
      if (result.requests > 0) out.serverCpuUsPerRequest = Math.round((server * 1e6) / served);
    }
    if (database !== undefined && seconds > 0) {
      out.databaseCpuPercent = Math.round((database / seconds) * 100);
      if (result.requests > 0) out.databaseCpuUsPerRequest = Math.round((database * 1e6) / served);
    }
    if (server !== undefined && loadgen !== undefined && machine !== undefined && seconds > 0) {
      out.otherCpuPercent = Math.max(0, Math.round(((machine - server - (database ?? 0) - loadgen) / seconds) * 100));
    }
    return out;
  }

  close(): void {
    if (this.child.connected) this.child.send({ type: 'exit' } satisfies ToLoadgen);
  }
}

export interface MachineInfo {
  nproc: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  os: string;
}

export function machine(): MachineInfo {
  const cpuList = cpus();
  return {
    nproc: availableParallelism(),
    cpuModel: cpuList[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    os: `${osType()} ${release()}`,
  };
}

export function fmt(n: number, digits = 0): string {
  return n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** A positive number from a command-line option, or a clear error naming it. */
export function positive(name: string, text: string | undefined): number {
  const n = Number(text);
  if (!Number.isFinite(n) || n <= 0) throw new Error(`--${name} must be a positive number, got "${text}"`);
  return n;
}

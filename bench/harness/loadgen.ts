import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './cli.ts';
import { REQUEST_TIMEOUT_MS } from './client.ts';
import { cpuByPid, cpuSecondsOf, machineBusySeconds, usedBetween } from './cpu.ts';
import type { FromLoadgen, RequestSpec, ScenarioResult, ScenarioSpec, ToLoadgen } from './scenario.ts';
import { track } from './server.ts';

/**
 * The load generator as the benchmark sees it: a separate process (harness/loadgen-process.ts)
 * that runs one scenario at a time, while this side charges the window's CPU to the servers, the
 * database, the load generator and everything else on the machine.
 */

// Far above what these machines reach in one window; it only bounds memory (8 bytes each).
const MAX_MEASURED = 4_000_000;

/** How long and how hard every scenario of a run drives its server. */
export interface Pace {
  concurrency: number;
  warmupMs: number;
  durationMs: number;
}

/** A scenario of `request` against servers listening on `ports` of 127.0.0.1. */
export function scenario(name: string, ports: number[], pace: Pace, request: RequestSpec): ScenarioSpec {
  return { name, host: '127.0.0.1', ports, ...pace, maxRequests: MAX_MEASURED, requestTimeoutMs: REQUEST_TIMEOUT_MS, request };
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
    this.child = fork(join(ROOT, 'bench/harness/loadgen-process.ts'), [], {
      cwd: ROOT,
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    track(this.child);
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

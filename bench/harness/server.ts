import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './cli.ts';
import { BENCH_KEY } from './sign.ts';

/**
 * The processes a benchmark starts: eniplane servers (from this tree or another checkout, e.g. a
 * baseline for bench/compare.ts), the bare route and the load generator. Each is killed when the
 * run ends, fails, passes its deadline or is interrupted.
 */

const children: ChildProcess[] = [];

/** Registers a child so that a failed or interrupted run does not leave it behind. */
export function track(child: ChildProcess): void {
  children.push(child);
}

function killChildren(): void {
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

/** Runs a benchmark's main: exit when it is done (exit code as it set it), kill every child if it fails. */
export function runMain(what: string, main: () => Promise<void>): void {
  main().then(
    () => process.exit(),
    (err: Error) => {
      console.error(`${what} failed: ${err.stack ?? err}`);
      killChildren();
      process.exit(1);
    },
  );
}

export interface Server {
  name: string;
  child: ChildProcess;
  port: number;
  output: () => string;
  stop(): Promise<void>;
}

/** Spawns a Node process and waits until its output matches `ready`, whose first group is the port. */
async function startProcess(name: string, args: string[], env: NodeJS.ProcessEnv, ready: RegExp, cwd = ROOT): Promise<Server> {
  const child = spawn(process.execPath, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
  track(child);
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

export interface EniplaneOptions {
  /** Label in logs and errors. */
  name: string;
  /** The checkout whose bin/eniplane.js runs (default: this tree). */
  root?: string;
  /** The store: `--data-dir DIR` (SQLite) or `--db URL` (PostgreSQL). */
  storeArgs: string[];
  /** A folder for the server's V8 CPU profile (--cpu-prof). */
  profileDir?: string;
  /** More `serve` flags (a benchmark of a newer feature: bench/dataplane.ts's `--dataplane netns`). */
  extraArgs?: string[];
  /** Log level (default warn; the data plane's pass timings are logged at info). */
  logLevel?: string;
}

/**
 * `eniplane serve` as every benchmark runs it: free ports, `--delays none` (no asynchronous state
 * waits: a benchmark measures the calls, not the simulated cloud), warnings only in the log, and
 * the bench key as the root account's key pair. Only flags every version of the server has, so a
 * baseline checkout starts the same way.
 */
export async function startEniplane(options: EniplaneOptions): Promise<Server> {
  const env: NodeJS.ProcessEnv = { ...process.env, ENIPLANE_ACCESS_KEY_ID: BENCH_KEY.accessKeyId, ENIPLANE_ACCESS_KEY_SECRET: BENCH_KEY.accessKeySecret };
  // Checks meant for the test suites, not for measurements.
  delete env.ENIPLANE_CHECK_RESULTS;
  delete env.ENIPLANE_CHECK_QUERIES;
  const root = options.root ?? ROOT;
  if (options.profileDir) mkdirSync(options.profileDir, { recursive: true });
  const profileArgs = options.profileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.profileDir}`] : [];
  const args = [
    ...profileArgs,
    join(root, 'bin/eniplane.js'),
    'serve',
    '--port',
    '0',
    '--metadata-port',
    '0',
    '--delays',
    'none',
    '--log-level',
    options.logLevel ?? 'warn',
    ...options.storeArgs,
    ...(options.extraArgs ?? []),
  ];
  return startProcess(options.name, args, env, /API listening on http:\/\/[^:]+:(\d+)/, root);
}

/** The bare Fastify route (harness/bare-route.ts): the reference a signed no-op is held against. */
export function startBareRoute(): Promise<Server> {
  return startProcess('bare', ['--import', 'tsx', join(ROOT, 'bench/harness/bare-route.ts')], process.env, /bare listening on http:\/\/[^:]+:(\d+)/);
}

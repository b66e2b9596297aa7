import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const TEST_KEY = { accessKeyId: 'LTAItestkey000000000001', accessKeySecret: 'test-secret-0123456789abcdefghij' };

const BIN = fileURLToPath(new URL('../../bin/eniplane.js', import.meta.url));

export interface RunningServer {
  endpoint: string;
  /** The instance metadata service, e.g. `http://127.0.0.1:40123` (its own listener, a free port). */
  metadataUrl: string;
  host: string;
  port: number;
  dataDir: string;
  /** The storage flags the server was started with, for CLI commands on the same store. */
  storeArgs: string[];
  process: ChildProcess;
  output: () => string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** Stops the server and removes its data directory. */
  dispose(): Promise<void>;
}

/**
 * With ENIPLANE_TEST_PG set to a PostgreSQL server URL (postgres://USER@HOST:PORT), every test
 * server gets a fresh database there instead of SQLite: the same suites then run on PostgreSQL.
 */
const PG_SERVER = process.env.ENIPLANE_TEST_PG;

export async function freshPostgresDatabase(server = PG_SERVER): Promise<{ url: string; drop(): Promise<void> }> {
  const { default: pg } = await import('pg');
  const name = `eniplane_test_${process.pid}_${Date.now().toString(36)}_${Math.floor(Math.random() * 1e6)}`;
  const admin = new pg.Client({ connectionString: `${server}/postgres` });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  return {
    url: `${server}/${name}`,
    async drop() {
      const c = new pg.Client({ connectionString: `${server}/postgres` });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

export interface StartOptions {
  dataDir?: string;
  args?: string[];
  env?: Record<string, string>;
  /** Leave out the fixed test key pair (to exercise first-start key creation). */
  noFixedKey?: boolean;
  /**
   * A database URL to serve from instead of a fresh database: several servers on one database
   * (replicas, test/replicas). The caller creates and drops it.
   */
  dbUrl?: string;
}

/**
 * Starts a real `eniplane serve` process on 127.0.0.1 with a free port, SQLite in a temporary
 * directory, no delays, results checked against their declared schemas and query templates
 * against Kysely's own build (store/query-template.ts).
 */
export async function startServer(opts: StartOptions = {}): Promise<RunningServer> {
  const dataDir = opts.dataDir ?? mkdtempSync(join(tmpdir(), 'eniplane-test-'));
  const env: Record<string, string> = {
    ...(process.env as Record<string, string>),
    ENIPLANE_CHECK_RESULTS: '1',
    ENIPLANE_CHECK_QUERIES: '1',
    ...(opts.noFixedKey ? {} : { ENIPLANE_ACCESS_KEY_ID: TEST_KEY.accessKeyId, ENIPLANE_ACCESS_KEY_SECRET: TEST_KEY.accessKeySecret }),
    ...opts.env,
  };
  if (opts.noFixedKey) {
    delete env.ENIPLANE_ACCESS_KEY_ID;
    delete env.ENIPLANE_ACCESS_KEY_SECRET;
  }
  // A caller-chosen data directory is about SQLite files (restarts, locks): it stays on SQLite.
  const pgdb = PG_SERVER && !opts.dataDir && !opts.dbUrl ? await freshPostgresDatabase() : undefined;
  const store = opts.dbUrl ? ['--db', opts.dbUrl] : pgdb ? ['--db', pgdb.url] : ['--data-dir', dataDir];
  // A fixed seed: IDs, MACs and automatic address picks repeat run after run, so a test that
  // depends on where a random pick lands fails every time, not once in thirty.
  const child = spawn(
    process.execPath,
    [
      BIN,
      'serve',
      '--port',
      '0',
      ...store,
      '--delays',
      'none',
      '--log-level',
      'warn',
      '--seed',
      'eniplane-tests',
      '--metadata-port',
      '0',
      ...(opts.args ?? []),
    ],
    {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    // Generous: a loaded 2-core machine starting several servers at once can take many seconds.
    // A server that never got there is killed, or it would keep the test process alive.
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start in 60 s:\n${out}`));
    }, 60_000);
    const onData = () => {
      // The API line, then the metadata service's: both listeners are up once the second is printed.
      const m = /API listening on https?:\/\/[^:]+:(\d+)/.exec(out);
      if (m && /metadata listening on http:\/\//.test(out)) {
        clearTimeout(timer);
        resolve(Number(m[1]));
      }
    };
    child.stdout!.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code} before listening:\n${out}`));
    });
  });
  const stop = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    return exited;
  };
  return {
    endpoint: `127.0.0.1:${port}`,
    metadataUrl: /metadata listening on (http:\/\/\S+)/.exec(out)![1]!,
    host: '127.0.0.1',
    port,
    dataDir,
    storeArgs: store,
    process: child,
    output: () => out,
    stop,
    async dispose() {
      await stop();
      await pgdb?.drop();
      if (!opts.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

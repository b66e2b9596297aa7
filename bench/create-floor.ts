/**
 * `npm run bench:create-floor [-- OPTIONS]`: how much of CreateNetworkInterface's cost is SQLite's
 * own work, set against the signed no-op measured in the same run (issue 3's target: Create at
 * 30% of the no-op's throughput, i.e. at most 3.3× its cost per request on a CPU-bound server).
 *
 *   1. Seeds a SQLite store in-process (bench/eni-seed.ts) and copies the file three times.
 *   2. Runs the creations in-process on the seed with Kysely's query log on, capturing every
 *      statement of every creation in order (BEGIN and COMMIT included).
 *   3. Replays that exact stream on copy 1 with better-sqlite3 alone: each text prepared once,
 *      the same pragmas as the server, no Kysely and no eniplane code. The same rows reach the
 *      same schema, so this is what any implementation of these rules on this store pays per
 *      creation: the floor. (It leaves out the signature nonce each signed request appends, which
 *      the no-op pays as well, so the floor is if anything low.)
 *   4. Times the same kind of creations through dispatch, in-process, 32 at a time, on copy 2.
 *   5. Serves copy 3 with `eniplane serve` and measures the signed no-op (DescribeRegions, 32
 *      clients, the separate load generator): its server CPU per request is the unit.
 *
 * Options: --enis 20000 (seeded ENIs)  --creates 3000  --concurrency 32  --warmup 2  --duration 8
 *          --deadline 900  --out FILE
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import { migrateToLatest, openStore, sqliteFileIn, sqlitePragmas, type Store } from '../src/store/db.ts';
import type { Schema } from '../src/store/schema.ts';
import { cachingDatabase } from '../src/store/statement-cache.ts';
import { addCreateCells, ECS, emptySeed, ENI_QUOTA, seedTo, type SeedState } from './eni-seed.ts';
import { createInCells } from './eni-streams.ts';
import { fmt, installDeadline, killChildren, LoadGenerator, machine, positive, REQUEST_TIMEOUT_MS, ROOT, startProcess } from './harness.ts';
import { inProcessCaller } from './in-process.ts';
import type { ListedRequest } from './scenario.ts';
import { BENCH_KEY } from './sign.ts';

const { values: opts } = parseArgs({
  options: {
    enis: { type: 'string', default: '20000' },
    creates: { type: 'string', default: '3000' },
    concurrency: { type: 'string', default: '32' },
    warmup: { type: 'string', default: '2' },
    duration: { type: 'string', default: '8' },
    deadline: { type: 'string', default: '900' },
    out: { type: 'string', default: join(ROOT, 'bench/results/create-floor.json') },
  },
});
const ENIS = Math.floor(positive('enis', opts.enis));
const CREATES = Math.floor(positive('creates', opts.creates));
const CONCURRENCY = Math.floor(positive('concurrency', opts.concurrency));
installDeadline(positive('deadline', opts.deadline) * 1000, 'bench:create-floor');

interface Statement {
  sql: string;
  parameters: readonly unknown[];
}

/** A store on `file` whose every statement, transaction control included, is appended to `log`. */
function loggedStore(file: string, log: Statement[]): Store {
  const database = new SQLite(file);
  sqlitePragmas(database);
  const sqlite = cachingDatabase(database);
  const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database: sqlite }), log: (e) => void log.push({ sql: e.query.sql, parameters: e.query.parameters }) });
  return { db, dialect: 'sqlite', location: file, sqlite, close: () => db.destroy() };
}

function copyOf(file: string, name: string): string {
  const dir = join(dirname(file), name);
  mkdirSync(dir);
  const to = sqliteFileIn(dir);
  copyFileSync(file, to);
  return to;
}

/** The captured stream again, on raw better-sqlite3: total and COMMIT time, in µs per creation. */
function replay(file: string, stream: readonly Statement[], creations: number): { totalUs: number; commitUs: number; statementsPerCreate: number } {
  const database = new SQLite(file);
  sqlitePragmas(database);
  const prepared = new Map<string, SQLite.Statement>();
  const plan = stream.map((s) => {
    let st = prepared.get(s.sql);
    if (!st) prepared.set(s.sql, (st = database.prepare(s.sql)));
    return { st, reader: st.reader, commit: /^commit$/i.test(s.sql), parameters: s.parameters };
  });
  let commitNs = 0n;
  const started = process.hrtime.bigint();
  for (const p of plan) {
    if (p.commit) {
      const t = process.hrtime.bigint();
      p.st.run(p.parameters);
      commitNs += process.hrtime.bigint() - t;
      continue;
    }
    try {
      if (p.reader) p.st.all(p.parameters);
      else p.st.run(p.parameters);
    } catch (err) {
      // A random MAC, ID or address that was taken: the capture holds the failed statement, the
      // rollback and the retry (store/tx.ts), and so does the replay.
      if ((err as { code?: string }).code?.startsWith('SQLITE_CONSTRAINT') !== true) throw err;
    }
  }
  const totalNs = process.hrtime.bigint() - started;
  database.close();
  return { totalUs: Number(totalNs) / 1000 / creations, commitUs: Number(commitNs) / 1000 / creations, statementsPerCreate: stream.length / creations };
}

async function runAll(store: Store, state: SeedState, requests: readonly ListedRequest[], concurrency: number): Promise<number> {
  const call = inProcessCaller(store);
  let next = 0;
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < requests.length) {
        const r = requests[next++]!;
        const body = await call(state.accountIds[r.key]!, r.action, r.version, r.params);
        if (typeof body.NetworkInterfaceId !== 'string') throw new Error(`${r.action} failed: ${JSON.stringify(body)}`);
      }
    }),
  );
  return Number(process.hrtime.bigint() - started) / 1000 / requests.length;
}

async function main(): Promise<void> {
  const info = machine();
  console.log(`bench:create-floor: ${info.nproc} CPUs (${info.cpuModel}), Node ${info.node}; ${fmt(ENIS)} ENIs seeded, ${fmt(CREATES)} creations`);
  const root = mkdtempSync(join(tmpdir(), 'eniplane-bench-floor-'));
  const loadgen = new LoadGenerator();
  try {
    const seedFile = sqliteFileIn(join(root, 'seed'));
    const seedStore = await openStore({ kind: 'sqlite', file: seedFile });
    await migrateToLatest(seedStore);
    const state = emptySeed();
    const seedCall = inProcessCaller(seedStore);
    await addCreateCells(seedStore, seedCall, state, Math.ceil((2 * CREATES) / ENI_QUOTA) + 1, 16);
    await seedTo(seedStore, seedCall, state, ENIS, 16, () => {});
    await seedStore.close(); // merges the WAL: one file is the whole database
    const [replayFile, dispatchFile, serveFile] = ['replay', 'dispatch', 'serve'].map((n) => copyOf(seedFile, n));
    // The first CREATES creations for the capture, the next CREATES (other cells) for dispatch.
    const all = createInCells(state, 2 * CREATES);
    const captureRequests = all.slice(0, CREATES);
    const dispatchRequests = all.slice(CREATES);

    const stream: Statement[] = [];
    const logged = loggedStore(seedFile, stream);
    for (const r of captureRequests) await inProcessCaller(logged)(state.accountIds[r.key]!, r.action, r.version, r.params);
    await logged.close();
    const floor = replay(replayFile!, stream, CREATES);
    console.log(`  SQLite alone (the captured statements replayed): ${fmt(floor.totalUs)} µs per creation, COMMIT ${fmt(floor.commitUs)} µs of it; ${fmt(floor.statementsPerCreate, 1)} statements each`);

    const dispatchStore = await openStore({ kind: 'sqlite', file: dispatchFile! });
    const dispatchUs = await runAll(dispatchStore, state, dispatchRequests, CONCURRENCY);
    await dispatchStore.close();
    console.log(`  CreateNetworkInterface through dispatch, in-process, ${CONCURRENCY} at a time: ${fmt(dispatchUs)} µs per creation`);

    const env: NodeJS.ProcessEnv = { ...process.env, ENIPLANE_ACCESS_KEY_ID: BENCH_KEY.accessKeyId, ENIPLANE_ACCESS_KEY_SECRET: BENCH_KEY.accessKeySecret };
    const server = await startProcess('eniplane', [join(ROOT, 'bin/eniplane.js'), 'serve', '--port', '0', '--metadata-port', '0', '--delays', 'none', '--log-level', 'warn', '--data-dir', dirname(serveFile!)], env, /API listening on http:\/\/[^:]+:(\d+)/);
    let noopUs: number;
    let noopRps: number;
    try {
      const r = await loadgen.run(
        {
          name: 'DescribeRegions (signed no-op)',
          host: '127.0.0.1',
          port: server.port,
          ports: [server.port],
          concurrency: CONCURRENCY,
          warmupMs: positive('warmup', opts.warmup) * 1000,
          durationMs: positive('duration', opts.duration) * 1000,
          maxRequests: 4_000_000,
          requestTimeoutMs: REQUEST_TIMEOUT_MS,
          request: { kind: 'list', keys: [BENCH_KEY], requests: [{ key: 0, action: 'DescribeRegions', version: ECS, params: {} }], cycle: true },
        },
        { server: [server.child.pid!] },
      );
      if (r.serverCpuUsPerRequest === undefined) throw new Error('no server CPU reading for the no-op');
      noopUs = r.serverCpuUsPerRequest;
      noopRps = r.requestsPerSecond;
    } finally {
      await server.stop();
    }
    console.log(`  signed no-op over HTTP: ${fmt(noopRps)} req/s, ${fmt(noopUs)} µs of server CPU per request`);
    const allowed = noopUs / 0.3;
    console.log(
      `  => SQLite alone is ${fmt(floor.totalUs / noopUs, 1)}× the no-op's cost; the target allows ${fmt(1 / 0.3, 1)}× (${fmt(allowed)} µs) for the whole request` +
        ` (dispatch in-process: ${fmt(dispatchUs / noopUs, 1)}×)`,
    );
    const result = { machine: info, enis: ENIS, creates: CREATES, concurrency: CONCURRENCY, floor, dispatchUs, noop: { requestsPerSecond: noopRps, serverCpuUsPerRequest: noopUs } };
    mkdirSync(dirname(opts.out), { recursive: true });
    writeFileSync(opts.out, `${JSON.stringify(result, null, 2)}\n`);
  } finally {
    loadgen.close();
    rmSync(root, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    killChildren();
    process.exit(1);
  },
);

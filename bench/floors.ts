/**
 * `npm run bench:floors [-- OPTIONS]`: what SQLite alone costs for the two calls whose issue-3
 * targets are not met, measured by replaying their exact statements on better-sqlite3 with no
 * eniplane code, in one run with the signed no-op.
 *
 * CreateNetworkInterface (target: 30% of the no-op's throughput). A signed Create does all the
 * no-op does (HTTP, signature, nonce, envelope) and then its SQL, so on a CPU-bound server it
 * reaches at most no-op ÷ (no-op + SQL) of the no-op's throughput:
 *   1. Seeds a SQLite store in-process (harness/seed.ts) and copies the file three times.
 *   2. Runs creations in-process on the seed with Kysely's query log on, capturing every statement
 *      of every creation in order (BEGIN, COMMIT and the retries of a taken MAC included).
 *   3. Replays that exact stream on copy 1: each text prepared once, the server's pragmas. The
 *      same rows reach the same schema, so this is what any implementation of these rules on this
 *      store pays per creation: the floor. (It leaves out the signature nonce each signed request
 *      appends, which the no-op pays as well, so the floor is if anything low.)
 *   4. Times the same kind of creations in-process (harness/in-process.ts), 32 at a time, on copy 2.
 *
 * DescribeNetworkInterfaces by VSwitchId, a page of 100 (target: p99 under 20 ms with 32 clients,
 * each keeping one request in flight; on one server thread a request waits for the 31 ahead of
 * it, so the whole call must take well under 20 / 32 ms = 625 µs):
 *   5. Captures the statements of one page per full cell, and replays them on copy 1 with rows as
 *      plain arrays (better-sqlite3's cheapest way to read): the reading alone, before any JSON.
 *
 * The unit:
 *   6. Serves copy 3 with `eniplane serve` and measures the signed no-op (DescribeRegions, 32
 *      clients, the separate load generator): its server CPU per request.
 *
 * Options: --enis 20000 (seeded ENIs)  --creates 3000  --concurrency 32  --warmup 2  --duration 8
 *          --deadline 900  --out FILE
 */
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import SQLite from 'better-sqlite3';
import { migrateToLatest, openStore, sqliteFileIn, sqlitePragmas, type Store } from '../src/store/db.ts';
import { commandLine, positive, ROOT } from './harness/cli.ts';
import { createInCells, describeByVSwitch } from './harness/eni-streams.ts';
import { inProcessApi } from './harness/in-process.ts';
import { LoadGenerator, scenario } from './harness/loadgen.ts';
import { describeMachine, fmt, machine, writeReport } from './harness/report.ts';
import { SIGNED_NOOP, SIGNED_NOOP_NAME, type ListedRequest } from './harness/scenario.ts';
import { ENI_QUOTA, seedFresh, type SeedState } from './harness/seed.ts';
import { installDeadline, runMain, startEniplane } from './harness/server.ts';

const { values: opts } = parseArgs({
  options: {
    enis: { type: 'string', default: '20000' },
    creates: { type: 'string', default: '3000' },
    concurrency: { type: 'string', default: '32' },
    warmup: { type: 'string', default: '2' },
    duration: { type: 'string', default: '8' },
    deadline: { type: 'string', default: '900' },
    out: { type: 'string', default: join(ROOT, 'bench/results/floors.json') },
  },
});
const ENIS = Math.floor(positive('enis', opts.enis));
const CREATES = Math.floor(positive('creates', opts.creates));
const CONCURRENCY = Math.floor(positive('concurrency', opts.concurrency));
installDeadline(positive('deadline', opts.deadline) * 1000, 'bench:floors');

interface Statement {
  sql: string;
  parameters: readonly unknown[];
}

function copyOf(file: string, name: string): string {
  const dir = join(dirname(file), name);
  mkdirSync(dir);
  const to = sqliteFileIn(dir);
  copyFileSync(file, to);
  return to;
}

/** A captured stream again, on raw better-sqlite3 (rows as arrays): total and COMMIT time, in µs per call. */
function replay(file: string, stream: readonly Statement[], calls: number): { totalUs: number; commitUs: number; statementsPerCall: number } {
  const database = new SQLite(file);
  sqlitePragmas(database);
  const prepared = new Map<string, SQLite.Statement>();
  const plan = stream.map((s) => {
    let st = prepared.get(s.sql);
    if (!st) {
      st = database.prepare(s.sql);
      if (st.reader) st.raw(true);
      prepared.set(s.sql, st);
    }
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
  return { totalUs: Number(totalNs) / 1000 / calls, commitUs: Number(commitNs) / 1000 / calls, statementsPerCall: stream.length / calls };
}

async function runAll(store: Store, state: SeedState, requests: readonly ListedRequest[], concurrency: number): Promise<number> {
  const call = inProcessApi(store).call;
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
  console.log(`bench:floors: ${describeMachine(info)}; ${fmt(ENIS)} ENIs seeded, ${fmt(CREATES)} creations`);
  const root = mkdtempSync(join(tmpdir(), 'eniplane-bench-floors-'));
  const loadgen = new LoadGenerator();
  try {
    const seedFile = sqliteFileIn(join(root, 'seed'));
    const seedStore = await openStore({ kind: 'sqlite', file: seedFile });
    await migrateToLatest(seedStore);
    const state = await seedFresh(inProcessApi(seedStore), ENIS, Math.ceil((2 * CREATES) / ENI_QUOTA) + 1);
    await seedStore.close(); // merges the WAL: one file is the whole database
    const [replayFile, inProcessFile, serveFile] = ['replay', 'in-process', 'serve'].map((n) => copyOf(seedFile, n));
    // The first CREATES creations for the capture, the next CREATES (other cells) for the in-process timing.
    const all = createInCells(state, 2 * CREATES);
    const captureRequests = all.slice(0, CREATES);
    const inProcessRequests = all.slice(CREATES);

    const stream: Statement[] = [];
    const logged = await openStore({ kind: 'sqlite', file: seedFile }, { log: (q) => void stream.push(q) });
    for (const r of captureRequests) await inProcessApi(logged).call(state.accountIds[r.key]!, r.action, r.version, r.params);
    await logged.close();
    // Pages: every full cell's vSwitch, each read once (a read changes nothing, so one copy serves both replays).
    const pages = describeByVSwitch(state);
    const pageStream: Statement[] = [];
    const pageLogged = await openStore({ kind: 'sqlite', file: seedFile }, { log: (q) => void pageStream.push(q) });
    for (const r of pages) {
      const body = await inProcessApi(pageLogged).call(state.accountIds[r.key]!, r.action, r.version, r.params);
      const listed = (body.NetworkInterfaceSets as { NetworkInterfaceSet: unknown[] }).NetworkInterfaceSet.length;
      if (listed !== 100) throw new Error(`a page listed ${listed} ENIs, not 100`);
    }
    await pageLogged.close();
    const pageFloor = replay(replayFile!, pageStream, pages.length);
    console.log(
      `  DescribeNetworkInterfaces by VSwitchId, a page of 100, SQLite alone: ${fmt(pageFloor.totalUs)} µs per page; ${fmt(pageFloor.statementsPerCall, 1)} statements each (${pages.length} pages)`,
    );

    const floor = replay(replayFile!, stream, CREATES);
    console.log(
      `  SQLite alone (the captured statements replayed): ${fmt(floor.totalUs)} µs per creation, COMMIT ${fmt(floor.commitUs)} µs of it; ${fmt(floor.statementsPerCall, 1)} statements each`,
    );

    const inProcessStore = await openStore({ kind: 'sqlite', file: inProcessFile! });
    const inProcessUs = await runAll(inProcessStore, state, inProcessRequests, CONCURRENCY);
    await inProcessStore.close();
    console.log(`  CreateNetworkInterface in-process (no HTTP), ${CONCURRENCY} at a time: ${fmt(inProcessUs)} µs per creation`);

    const server = await startEniplane({ name: 'eniplane', storeArgs: ['--data-dir', dirname(serveFile!)] });
    let noopUs: number;
    let noopRps: number;
    try {
      const pace = { concurrency: CONCURRENCY, warmupMs: positive('warmup', opts.warmup) * 1000, durationMs: positive('duration', opts.duration) * 1000 };
      const r = await loadgen.run(scenario(SIGNED_NOOP_NAME, [server.port], pace, SIGNED_NOOP), { server: [server.child.pid!] });
      if (r.serverCpuUsPerRequest === undefined) throw new Error('no server CPU reading for the no-op');
      noopUs = r.serverCpuUsPerRequest;
      noopRps = r.requestsPerSecond;
    } finally {
      await server.stop();
    }
    console.log(`  signed no-op over HTTP: ${fmt(noopRps)} req/s, ${fmt(noopUs)} µs of server CPU per request`);
    // A signed Create does all the no-op does (HTTP, signature, nonce, envelope), then its SQL.
    const bestRatio = noopUs / (noopUs + floor.totalUs);
    console.log(
      `  => Create: SQLite alone is ${fmt(floor.totalUs / noopUs, 1)}× the no-op's cost; with the no-op's own work on top, a Create can reach at most` +
        ` ${bestRatio.toFixed(2)}× the no-op's throughput (target 0.30×; in-process alone it is ${fmt(inProcessUs / noopUs, 1)}× the no-op)`,
    );
    const pageBudgetUs = 20_000 / CONCURRENCY;
    console.log(
      `  => a page of 100: SQLite alone is ${fmt(pageFloor.totalUs)} µs, ${fmt(pageFloor.totalUs / noopUs, 1)}× the no-op; p99 < 20 ms with ${CONCURRENCY} in flight needs the whole call under ${fmt(pageBudgetUs)} µs`,
    );
    writeReport(opts.out, {
      command: commandLine('bench:floors'),
      date: new Date().toISOString(),
      machine: info,
      enis: ENIS,
      creates: CREATES,
      concurrency: CONCURRENCY,
      floor,
      bestCreateRatio: bestRatio,
      inProcessUs,
      pageFloor,
      pages: pages.length,
      noop: { requestsPerSecond: noopRps, serverCpuUsPerRequest: noopUs },
    });
  } finally {
    loadgen.close();
    rmSync(root, { recursive: true, force: true });
  }
}

runMain('bench:floors', main);

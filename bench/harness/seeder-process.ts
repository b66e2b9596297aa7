import { sql } from 'kysely';
import { migrateToLatest, openStore, type StoreTarget } from '../../src/store/db.ts';
import { addCreateCells, seedTo, type SeedState } from './seed.ts';
import { inProcessApi } from './in-process.ts';

/**
 * A child process that grows one seed (harness/seed.ts) and hands its state back: the SQLite
 * and PostgreSQL seeds then grow side by side, one process each, instead of taking turns on one
 * event loop (seeding is CPU-bound in the caller: Kysely and the action code).
 */

export type ToSeeder = { type: 'seed'; target: StoreTarget; state: SeedState; size: number; createCells: number; parallel: number };
export type FromSeeder = { type: 'progress'; enis: number } | { type: 'done'; state: SeedState } | { type: 'failed'; message: string };

function send(msg: FromSeeder, then?: () => void): void {
  process.send!(msg, undefined, {}, () => then?.());
}

async function seed(msg: ToSeeder): Promise<SeedState> {
  const store = await openStore(msg.target);
  try {
    await migrateToLatest(store);
    const api = inProcessApi(store);
    const state = msg.state;
    if (state.createCells.length < msg.createCells) await addCreateCells(api, state, msg.createCells - state.createCells.length, msg.parallel);
    let shown = Date.now();
    await seedTo(api, state, msg.size, msg.parallel, (enis) => {
      if (Date.now() - shown < 15_000) return;
      shown = Date.now();
      send({ type: 'progress', enis });
    });
    // PostgreSQL's default autovacuum would have analyzed tables grown this much; this machine's
    // cluster runs with autovacuum = off (conf.d/90-ci.conf), and without statistics the planner
    // picks sequential scans of private_ips at 100k ENIs (bench notes in BENCHMARKS.md). The round
    // copies (CREATE DATABASE … TEMPLATE) inherit the statistics.
    if (store.dialect === 'postgres') await sql`ANALYZE`.execute(store.db);
    return state;
  } finally {
    await store.close();
  }
}

process.on('message', (msg: ToSeeder) => {
  seed(msg).then(
    // Exit once the answer is out (process.exit right after send could drop it).
    (state) => send({ type: 'done', state }, () => process.exit(0)),
    (err: Error) => send({ type: 'failed', message: err.stack ?? String(err) }, () => process.exit(1)),
  );
});

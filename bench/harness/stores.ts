import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { sqliteFileIn, type StoreTarget } from '../../src/store/db.ts';

/**
 * Where the ENI bench keeps its data. The seed is grown in one database per dialect, through the
 * API; every measured round runs on a copy of it taken just before (SQLite: the file, after a
 * checkpoint; PostgreSQL: CREATE DATABASE … TEMPLATE), so the rounds never see each other's
 * creations, attachments or addresses, and every round starts from the same seeded state.
 */

const PG_ADMIN_URL = process.env.ENIPLANE_BENCH_PG ?? 'postgres://postgres@127.0.0.1:5432/postgres';

function pgUrl(database: string): string {
  const u = new URL(PG_ADMIN_URL);
  u.pathname = `/${database}`;
  return u.toString();
}

async function admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: PG_ADMIN_URL });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Database names are ours (letters, digits, underscores): safe to splice into DDL. */
function ident(name: string): string {
  if (!/^[a-z0-9_]+$/.test(name)) throw new Error(`bad database name ${name}`);
  return name;
}

export interface SeedStore {
  dialect: 'sqlite' | 'postgres';
  /** Where the seeder opens it (closed again before any copy: SQLite's WAL merged, no PostgreSQL session left on the template). */
  target: StoreTarget;
  /** Bytes on disk (SQLite: database and WAL files; PostgreSQL: pg_database_size). */
  size(): Promise<number>;
  /** A copy to run servers on; `storeArgs` are the store options of `eniplane serve`. */
  copy(label: string): Promise<RoundStore>;
  drop(): Promise<void>;
}

export interface RoundStore {
  storeArgs: string[];
  /** PostgreSQL: the database's backends, whose CPU is the store's share of a request. */
  backendPids(): number[];
  size(): Promise<number>;
  drop(): Promise<void>;
}

function filesSize(dir: string): number {
  return readdirSync(dir)
    .filter((f) => f.startsWith('eniplane.sqlite'))
    .reduce((n, f) => n + statSync(join(dir, f)).size, 0);
}

export function sqliteSeed(): SeedStore {
  const dir = mkdtempSync(join(tmpdir(), 'eniplane-bench-enis-seed-'));
  const file = sqliteFileIn(dir);
  return {
    dialect: 'sqlite',
    target: { kind: 'sqlite', file },
    size: async () => filesSize(dir),
    async copy(label) {
      // The seed store is closed (its last connection checkpoints the WAL into the file), so one file is the whole database.
      if (existsSync(`${file}-wal`) && statSync(`${file}-wal`).size > 0) throw new Error('the SQLite seed has an unmerged WAL; close it before copying');
      const roundDir = mkdtempSync(join(tmpdir(), `eniplane-bench-enis-${label}-`));
      copyFileSync(file, sqliteFileIn(roundDir));
      return {
        storeArgs: ['--data-dir', roundDir],
        backendPids: () => [],
        size: async () => filesSize(roundDir),
        drop: async () => rmSync(roundDir, { recursive: true, force: true }),
      };
    },
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Backends of one database: PostgreSQL titles them "postgres: [CLUSTER: ]USER DATABASE HOST(PORT) STATE". */
function backendsOf(database: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const title = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (title.startsWith('postgres: ') && title.split(/[\s\0]+/).includes(database)) pids.push(Number(entry));
    } catch {
      // gone already
    }
  }
  return pids;
}

export async function postgresSeed(runId: string): Promise<SeedStore> {
  const seedDb = ident(`eniplane_bench_${runId}_seed`);
  const made = new Set<string>([seedDb]);
  await admin((c) => c.query(`CREATE DATABASE ${seedDb}`));
  const dbSize = (db: string) => admin(async (c) => Number((await c.query('SELECT pg_database_size($1) AS n', [db])).rows[0].n));
  return {
    dialect: 'postgres',
    // The seeder's own sessions need not wait for each commit's WAL flush (a crash only loses the seed).
    target: { kind: 'postgres', url: `${pgUrl(seedDb)}?options=-c%20synchronous_commit%3Doff` },
    size: () => dbSize(seedDb),
    async copy(label) {
      const db = ident(`eniplane_bench_${runId}_${label}`);
      made.add(db);
      // FILE_COPY: a plain copy of the files (the default in 15, WAL_LOG, writes it all to the WAL too).
      await admin((c) => c.query(`CREATE DATABASE ${db} TEMPLATE ${seedDb} STRATEGY FILE_COPY`));
      return {
        storeArgs: ['--db', pgUrl(db)],
        backendPids: () => backendsOf(db),
        size: () => dbSize(db),
        async drop() {
          await admin((c) => c.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`));
          made.delete(db);
        },
      };
    },
    async drop() {
      for (const db of made) await admin((c) => c.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`));
      made.clear();
    },
  };
}

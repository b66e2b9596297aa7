import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, sql, type CompiledQuery, type LogEvent, type MigrationResultSet } from 'kysely';
import pg from 'pg';
import { migrationProvider, migrations } from './migrations/index.ts';
import type { Dialect, Schema } from './schema.ts';
import { cachingDatabase, type CachingDatabase } from './statement-cache.ts';

export interface Store {
  db: Kysely<Schema>;
  dialect: Dialect;
  /** Where the data lives, for messages: a file path, ':memory:' or a redacted URL. */
  location: string;
  /** SQLite only: the connection Kysely runs on, with its statement cache (for hot statements that skip query building). */
  sqlite?: CachingDatabase;
  /** Query templates check each run against Kysely's own build (OpenStoreOptions.checkQueries). */
  checkQueries: boolean;
  /** Told of every transaction and consistent read store/tx.ts runs (the metrics' store time); set through observeTransactions. */
  transactionObserver?: TransactionObserver;
  close(): Promise<void>;
}

/** How a transaction (store/tx.ts) ended: committed, rolled back by its caller's error, or a conflict to retry. */
export type TransactionOutcome = 'commit' | 'rollback' | 'conflict';

/** A transaction's kind, how long it held the store in seconds (waiting for SQLite's one connection included), and its outcome. */
export type TransactionObserver = (kind: 'write' | 'read', seconds: number, outcome: TransactionOutcome) => void;

export interface OpenStoreOptions {
  /**
   * Check every query template run against Kysely's ordinary build of the same query, and throw
   * when they differ (store/query-template.ts). Costs a build per run: tests turn it on (the CLI
   * reads ENIPLANE_CHECK_QUERIES=1), servers in production leave it off.
   */
  checkQueries?: boolean;
  /** Every statement run, transaction control included (the benches capture with it). */
  log?: QueryLog;
  /** SQLite: when a commit is on disk (sqliteDurability). Default normal. */
  durability?: Durability;
}

/**
 * SQLite's commit durability (`serve --durability`). Under WAL, `normal` (synchronous=NORMAL)
 * syncs the WAL only at checkpoints: a commit survives the process being killed (it is in the
 * operating system's cache), but the last commits before a power loss or an operating system crash
 * can be lost (never the database's integrity). `full` (synchronous=FULL) syncs the WAL at every
 * commit, so an answered write survives those too, at a cost measured in BENCHMARKS.md.
 */
export type Durability = 'normal' | 'full';

export function parseDurability(value: string): Durability {
  if (value !== 'normal' && value !== 'full') throw new Error(`--durability takes normal or full, got "${value}"`);
  return value;
}

export type StoreTarget = { kind: 'sqlite'; file: string } | { kind: 'memory' } | { kind: 'postgres'; url: string };

// PostgreSQL returns bigint as text by default; our bigints are epoch milliseconds, safe as numbers.
pg.types.setTypeParser(20, (v) => Number(v));

export class StoreError extends Error {}

/** The settings every SQLite connection of ours runs with (the server's, the CLI's, the benches'). */
export function sqlitePragmas(database: SQLite.Database, durability: Durability = 'normal'): void {
  // WAL lets CLI commands read while the server writes; the busy timeout covers their brief locks.
  database.pragma('journal_mode = WAL');
  database.pragma(durability === 'full' ? 'synchronous = FULL' : 'synchronous = NORMAL');
  // Checkpoints fsync and block the event loop; every signed request writes its nonce, so
  // checkpoint less often (a WAL of up to ~40 MB).
  database.pragma('wal_autocheckpoint = 10000');
  database.pragma('busy_timeout = 5000');
  database.pragma('foreign_keys = ON');
}

/** Kysely's query log: every statement run, transaction control included (the benches capture with it). */
export type QueryLog = (query: CompiledQuery) => void;

function logOption(log: QueryLog | undefined): { log?: (event: LogEvent) => void } {
  return log ? { log: (event) => log(event.query) } : {};
}

function openSqlite(file: string, log?: QueryLog, durability?: Durability): { db: Kysely<Schema>; sqlite: CachingDatabase } {
  const database = new SQLite(file);
  sqlitePragmas(database, durability);
  const sqlite = cachingDatabase(database);
  return { db: new Kysely<Schema>({ dialect: new SqliteDialect({ database: sqlite }), ...logOption(log) }), sqlite };
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}

export async function openStore(target: StoreTarget, { checkQueries = false, log, durability }: OpenStoreOptions = {}): Promise<Store> {
  if (target.kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: target.url, max: 16 });
    // An idle connection the database ended (a restart, a failover, pg_terminate_backend) is an
    // 'error' event on the pool, which would crash the process unheard. The pool drops that
    // connection itself and the next query opens another; readiness (GET /readyz) tells whether
    // the database answers.
    pool.on('error', () => {});
    const db = new Kysely<Schema>({ dialect: new PostgresDialect({ pool }), ...logOption(log) });
    return { db, dialect: 'postgres', location: redact(target.url), checkQueries, close: () => db.destroy() };
  }
  const file = target.kind === 'memory' ? ':memory:' : target.file;
  const { db, sqlite } = openSqlite(file, log, durability);
  return { db, dialect: 'sqlite', location: file, sqlite, checkQueries, close: () => db.destroy() };
}

export function sqliteFileIn(dataDir: string): string {
  mkdirSync(dataDir, { recursive: true });
  return join(dataDir, 'eniplane.sqlite');
}

/**
 * Brings the schema up to date. Replicas starting together are safe: Kysely's migrator takes a
 * lock (a row lock on PostgreSQL) around the run. A database migrated by newer code is refused.
 */
export async function migrateToLatest(store: Store): Promise<MigrationResultSet> {
  await assertNotNewerThanCode(store);
  const migrator = new Migrator({ db: store.db, provider: migrationProvider });
  const result = await migrator.migrateToLatest();
  if (result.error) throw new StoreError(`migration failed on ${store.location}: ${String((result.error as Error).message ?? result.error)}`);
  return result;
}

export async function migrationStatus(store: Store): Promise<{ name: string; executedAt: Date | undefined }[]> {
  const migrator = new Migrator({ db: store.db, provider: migrationProvider });
  const list = await migrator.getMigrations();
  return list.map((m) => ({ name: m.name, executedAt: m.executedAt }));
}

/**
 * Why the store cannot serve now, or undefined when it can: the database answers, and every
 * migration of this code is applied (none unknown to it). Two cheap queries, for readiness probes.
 */
export async function unreadiness(store: Store): Promise<string | undefined> {
  try {
    await sql`select 1`.execute(store.db);
  } catch (err) {
    return `the database does not answer: ${String((err as Error | null)?.message ?? err)}`;
  }
  let applied = new Set<string>();
  try {
    const rows = await store.db
      .selectFrom('kysely_migration' as never)
      .select('name' as never)
      .execute();
    applied = new Set(rows.map((r) => (r as { name: string }).name));
  } catch {
    // No migrator table yet: nothing applied.
  }
  const pending = Object.keys(migrations).filter((name) => !applied.has(name));
  if (pending.length > 0) return `migrations not applied: ${pending.join(', ')}`;
  const unknown = [...applied].filter((name) => !(name in migrations));
  if (unknown.length > 0) return `the database was migrated by a newer eniplane (unknown migrations: ${unknown.join(', ')})`;
  return undefined;
}

/** The migrations a database has run, in order; empty for a new database. */
export async function appliedMigrations(db: Kysely<Schema>): Promise<string[]> {
  try {
    const rows = await db
      // The migrator's own bookkeeping table.
      .selectFrom('kysely_migration' as never)
      .select('name' as never)
      .orderBy('name' as never)
      .execute();
    return rows.map((r) => (r as { name: string }).name);
  } catch {
    return []; // a new database
  }
}

export async function assertNotNewerThanCode(store: Store): Promise<void> {
  const applied = await appliedMigrations(store.db);
  const unknown = applied.filter((name) => !(name in migrations));
  if (unknown.length > 0) {
    throw new StoreError(
      `the database at ${store.location} was migrated by a newer eniplane (unknown migrations: ${unknown.join(', ')}); upgrade eniplane before starting it`,
    );
  }
}

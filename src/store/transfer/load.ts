import { Migrator, sql, type Kysely, type Transaction } from 'kysely';
import { appliedMigrations, assertNotNewerThanCode, migrateToLatest, StoreError, type Store } from '../db.ts';
import { migrationProvider, migrations as codeMigrations } from '../migrations/index.ts';
import type { Schema } from '../schema.ts';
import type { StateReader, StateSource } from './state-source.ts';
import { tablesIn } from './store-source.ts';
import { TABLES, type TableSpec } from './tables.ts';

/** Bound parameters per INSERT: under SQLite's limit (32,766) and PostgreSQL's (65,535). */
const MAX_PARAMETERS = 30_000;
/** Rows per INSERT at most, however narrow the table. */
const MAX_ROWS = 1000;

type AnyDb = Kysely<Record<string, Record<string, unknown>>>;

/** A load refused before anything changed: the target holds a state, or cannot take this one. */
export class LoadRefusedError extends StoreError {}

export interface LoadOptions {
  /** Replace a target that already holds a state (its rows are deleted in the same transaction as the load). */
  force?: boolean;
  /** How to name the way around a refusal, in its message (e.g. "use --force"). */
  forceHint?: string;
}

export interface LoadResult {
  /** Rows written, per target table. */
  tables: { name: string; rows: number }[];
  rows: number;
  /** The migrations the state came with; the target was then brought to the code's latest. */
  sourceMigration: string;
  /** Rows the target held, deleted because of `force`. */
  replacedRows: number;
  /** Milliseconds the rows took (the load's transaction), migrations left out. */
  rowsMs: number;
}

/** The code's migrations in the order the migrator runs them. */
function codeMigrationNames(): string[] {
  return Object.keys(codeMigrations).sort();
}

/** Rows per table of the target that are not empty (the rows migrations seed are no state). */
async function nonEmptyTables(db: Kysely<Schema> | Transaction<Schema>, present: ReadonlySet<string>): Promise<{ name: string; rows: number }[]> {
  const out: { name: string; rows: number }[] = [];
  for (const t of TABLES) {
    if (!present.has(t.name) || t.seeded) continue;
    const n = Number(
      (
        await (db as unknown as AnyDb)
          .selectFrom(t.name)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    if (n > 0) out.push({ name: t.name, rows: n });
  }
  return out;
}

/**
 * The migrations of a state must be the code's first ones (a state from this or an older
 * eniplane); a newer eniplane's state is refused.
 */
function checkSourceMigrations(source: StateSource, applied: readonly string[]): string {
  const known = codeMigrationNames();
  if (applied.length === 0) throw new LoadRefusedError(`${source.location} holds no eniplane state (no migration has run there)`);
  const unknown = applied.filter((m) => !known.includes(m));
  if (unknown.length > 0)
    throw new LoadRefusedError(`${source.location} was written by a newer eniplane (unknown migrations: ${unknown.join(', ')}); upgrade eniplane first`);
  if (applied.some((m, i) => known[i] !== m)) throw new LoadRefusedError(`${source.location} ran the migrations out of order: ${applied.join(', ')}`);
  return applied[applied.length - 1]!;
}

/** Brings an empty target to exactly `name` (down as well as up: it holds nothing to lose). */
async function migrateTargetTo(target: Store, name: string): Promise<void> {
  const result = await new Migrator({ db: target.db, provider: migrationProvider }).migrateTo(name);
  if (result.error) throw new StoreError(`migrating ${target.location} to ${name} failed: ${String((result.error as Error).message ?? result.error)}`);
}

/** The rows of a batch as objects for INSERT, in chunks that stay under the parameter limit. */
function* chunks(columns: readonly string[], rows: readonly (readonly unknown[])[]): Iterable<Record<string, unknown>[]> {
  const size = Math.max(1, Math.min(MAX_ROWS, Math.floor(MAX_PARAMETERS / Math.max(1, columns.length))));
  for (let i = 0; i < rows.length; i += size) {
    yield rows.slice(i, i + size).map((row) => Object.fromEntries(columns.map((c, j) => [c, row[j]])));
  }
}

/**
 * Spent nonces of SQLite's append-only log (decision 0004), loaded into PostgreSQL: there replicas
 * decide replays by `signature_nonces`' key, so the log's nonces go there, each kept until the
 * later of its expiry times.
 */
async function mergeNonces(trx: Transaction<Schema>, rows: Record<string, unknown>[]): Promise<void> {
  const byKey = new Map<string, Record<string, unknown>>();
  for (const r of rows) {
    const key = `${String(r.access_key_id)}\n${String(r.nonce)}`;
    const seen = byKey.get(key);
    if (!seen || Number(seen.expires_at) < Number(r.expires_at)) byKey.set(key, r);
  }
  await (trx as unknown as AnyDb)
    .insertInto('signature_nonces')
    .values([...byKey.values()])
    .onConflict((oc) => oc.columns(['access_key_id', 'nonce']).doUpdateSet({ expires_at: sql`greatest(signature_nonces.expires_at, excluded.expires_at)` }))
    .execute();
}

async function insertTable(trx: Transaction<Schema>, target: Store, reader: StateReader, table: TableSpec): Promise<{ name: string; rows: number }> {
  const db = trx as unknown as AnyDb;
  const intoSharedNonces = table.name === 'signature_nonce_log' && target.dialect === 'postgres';
  let rows = 0;
  for await (const batch of reader.rows(table.name)) {
    for (const values of chunks(batch.columns, batch.rows)) {
      if (intoSharedNonces) await mergeNonces(trx, values);
      else await db.insertInto(table.name).values(values).execute();
      rows += values.length;
    }
  }
  return { name: intoSharedNonces ? 'signature_nonces' : table.name, rows };
}

/**
 * Loads a whole state into `target`, which must hold none (or, with `force`, whose state it
 * replaces): the target is first migrated to the state's own migration, every table is inserted in
 * one transaction on the target, in batches (nothing is committed unless all of it is, and a
 * target that holds a state is refused inside that transaction too), then the target is migrated
 * to this eniplane's latest, as `serve` would. IDs and values are copied as they are.
 */
export async function loadState(target: Store, source: StateSource, opts: LoadOptions = {}): Promise<LoadResult> {
  await assertNotNewerThanCode(target);
  const result = await source.read(async (reader) => {
    const sourceMigration = checkSourceMigrations(source, reader.migrations);
    const before = await nonEmptyTables(target.db, await tablesIn(target.db, target.dialect));
    if (before.length > 0 && !opts.force) {
      const held = before.map((t) => `${t.name} ${t.rows}`).join(', ');
      throw new LoadRefusedError(`${target.location} already holds a state (${held})${opts.forceHint ? `; ${opts.forceHint}` : ''}`);
    }
    const targetApplied = await appliedMigrations(target.db);
    if (before.length > 0 && targetApplied.length > reader.migrations.length) {
      throw new LoadRefusedError(
        `${target.location} holds a state migrated by a newer eniplane than ${source.location} (${targetApplied.at(-1)} against ${sourceMigration}); load it into an empty database`,
      );
    }
    if (targetApplied.at(-1) !== sourceMigration) await migrateTargetTo(target, sourceMigration);
    const present = await tablesIn(target.db, target.dialect);
    const missing = reader.tables.filter((t) => !present.has(t.name));
    if (missing.length > 0) throw new StoreError(`${target.location} lacks ${missing.map((t) => t.name).join(', ')} after migrating to ${sourceMigration}`);

    const started = performance.now();
    const loaded = await target.db.transaction().execute(async (trx) => {
      let replacedRows = 0;
      const held = await nonEmptyTables(trx, present);
      if (held.length > 0) {
        if (!opts.force) throw new LoadRefusedError(`${target.location} received a state while the load began (${held.map((t) => t.name).join(', ')})`);
        for (const t of [...TABLES].reverse()) if (present.has(t.name)) await (trx as unknown as AnyDb).deleteFrom(t.name).execute();
        replacedRows = held.reduce((n, t) => n + t.rows, 0);
      }
      // What the target's migrations seeded gives way to the source's rows.
      for (const t of TABLES) if (t.seeded && present.has(t.name)) await (trx as unknown as AnyDb).deleteFrom(t.name).execute();
      const tables: { name: string; rows: number }[] = [];
      for (const t of reader.tables) tables.push(await insertTable(trx, target, reader, t));
      await reader.done();
      return { tables, rows: tables.reduce((n, t) => n + t.rows, 0), sourceMigration, replacedRows };
    });
    return { ...loaded, rowsMs: performance.now() - started };
  });
  await migrateToLatest(target);
  // Fresh tables have no planner statistics until autovacuum comes around (and it may be off).
  if (target.dialect === 'postgres') await sql`analyze`.execute(target.db);
  return result;
}

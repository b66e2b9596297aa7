import { existsSync, statSync } from 'node:fs';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql, type Transaction } from 'kysely';
import { appliedMigrations, type Store } from '../db.ts';
import { inReadSnapshot, type Reader } from '../read-snapshot.ts';
import type { Schema } from '../schema.ts';
import type { RowBatch, StateReader, StateSource } from './state-source.ts';
import { TABLES, isMigratorTable } from './tables.ts';

/** Rows read per statement: a few hundred kilobytes of the widest table. */
export const READ_BATCH = 2000;

/** Untyped access to any table of ours by name (the tables are the schema's; only their names vary here). */
type AnyDb = Kysely<Record<string, Record<string, unknown>>>;

/** The tables a database holds, by name (its schema's, on PostgreSQL). */
export async function tablesIn(db: Reader, dialect: Store['dialect']): Promise<Set<string>> {
  const rows =
    dialect === 'postgres'
      ? (await sql<{ name: string }>`select tablename as name from pg_tables where schemaname = current_schema()`.execute(db)).rows
      : (await sql<{ name: string }>`select name from sqlite_master where type = 'table'`.execute(db)).rows;
  return new Set(rows.map((r) => r.name));
}

/** Tables of the database that are neither ours nor the migrator's (a newer eniplane's, or someone else's). */
export function foreignTables(present: ReadonlySet<string>): string[] {
  const ours = new Set(TABLES.map((t) => t.name));
  return [...present].filter((name) => !ours.has(name as never) && !isMigratorTable(name) && !name.startsWith('sqlite_')).sort();
}

/**
 * Every row of one table in key order, a batch at a time, each batch starting after the last key
 * read (a keyset: every batch costs the same, however far into the table).
 */
async function* keysetBatches(trx: Transaction<Schema>, table: string, key: readonly string[], batch: number): AsyncIterable<RowBatch> {
  const db = trx as unknown as AnyDb;
  let after: unknown[] | undefined;
  for (;;) {
    let query = db.selectFrom(table).selectAll();
    if (after) {
      const last = after;
      // (k1, k2, …) > (v1, v2, …): row values compare lexicographically on SQLite and PostgreSQL alike.
      query = query.where(({ eb, refTuple, tuple }) =>
        key.length === 1 ? eb(key[0]!, '>', last[0]) : eb(refTuple(...(key as [string, string])), '>', tuple(...(last as [unknown, unknown]))),
      );
    }
    for (const k of key) query = query.orderBy(k);
    const rows = await query.limit(batch).execute();
    if (rows.length === 0) return;
    const columns = Object.keys(rows[0]!);
    yield { columns, rows: rows.map((r) => columns.map((c) => r[c])) };
    if (rows.length < batch) return;
    const lastRow = rows[rows.length - 1]!;
    after = key.map((k) => lastRow[k]);
  }
}

/** A reader over one read snapshot of `store`. */
export function storeStateSource(store: Store, opts: { batch?: number } = {}): StateSource {
  const batch = opts.batch ?? READ_BATCH;
  return {
    location: store.location,
    kind: store.dialect,
    read: (fn) =>
      inReadSnapshot(store, async (trx) => {
        const migrations = await appliedMigrations(trx);
        const present = await tablesIn(trx, store.dialect);
        const tables = TABLES.filter((t) => present.has(t.name));
        const reader: StateReader = {
          migrations,
          tables,
          async *rows(table) {
            const spec = tables.find((t) => t.name === table);
            if (!spec) throw new Error(`${store.location} has no table ${table}`);
            const expected = Number(
              (
                await (trx as unknown as AnyDb)
                  .selectFrom(table)
                  .select((eb) => eb.fn.countAll<number>().as('n'))
                  .executeTakeFirstOrThrow()
              ).n,
            );
            let read = 0;
            for await (const b of keysetBatches(trx, table, spec.key, batch)) {
              read += b.rows.length;
              yield b;
            }
            if (read !== expected) throw new Error(`read ${read} rows of ${table} from ${store.location}, which holds ${expected}`);
          },
          done: async () => {},
        };
        return fn(reader);
      }),
    close: () => store.close(),
  };
}

/**
 * A SQLite database file opened read-only (a backup, or a data directory a server may be writing
 * to: WAL lets this reader see one committed state while the server goes on).
 */
export function openSqliteReadOnly(file: string): Store {
  if (!existsSync(file) || !statSync(file).isFile()) throw new Error(`no SQLite database at ${file}`);
  const database = new SQLite(file, { readonly: true, fileMustExist: true });
  database.pragma('busy_timeout = 5000');
  const db = new Kysely<Schema>({ dialect: new SqliteDialect({ database }) });
  return { db, dialect: 'sqlite', location: file, checkQueries: false, close: () => db.destroy() };
}

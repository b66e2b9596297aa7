import type { Database, Statement } from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/**
 * Statements a store keeps prepared. Kysely's SQLite driver calls `prepare` for every query it
 * runs, and SQLite's parse and plan cost more than running most of ours (`npm run bench:statements`
 * measures both). The SQL Kysely compiles from one query shape
 * is always the same text, so preparing each text once is safe.
 *
 * Bounded because some texts vary with their input (`in (?, ?, …)` lists, multi-row inserts);
 * the oldest entry goes first. A better-sqlite3 statement may be reused as soon as `all`/`run`
 * returned (the driver never iterates one lazily except in `streamQuery`, which we do not use),
 * and SQLite re-prepares a cached statement by itself after a schema change.
 *
 * Rows come back as arrays (better-sqlite3's raw mode) and are made into objects by a function
 * compiled once per statement from its column names. better-sqlite3 builds each row object
 * property by property, a cost that grows with the columns (an ENI row has 19); the compiled
 * object literal gets one hidden class and about halved reading a page of ENIs when it came in
 * (BENCHMARKS.md, history). The objects are the same: later columns of a duplicated
 * name win, as in better-sqlite3.
 */
export const STATEMENT_CACHE_SIZE = 1000;

export interface CachingDatabase extends SqliteDatabase {
  /** How many prepares were served from the cache and how many reached SQLite (for tests). */
  readonly stats: { hits: number; prepares: number; size: number };
}

type RowMaker = (values: unknown[]) => Record<string, unknown>;

/** `(v) => ({ "a": v[0], "b": v[1] })` for these column names; undefined for a name an object literal can't carry as data. */
function compileRowMaker(columns: readonly string[]): RowMaker | undefined {
  // In an object literal `__proto__: x` sets the prototype instead of making a property.
  if (columns.includes('__proto__')) return undefined;
  const fields = columns.map((name, i) => `${JSON.stringify(name)}: v[${i}]`).join(', ');
  return new Function('v', `return { ${fields} };`) as RowMaker;
}

/** A reader that hands Kysely objects built from raw rows (see above); writers pass straight through. */
function rowsAsObjects(statement: Statement): SqliteStatement {
  if (!statement.reader) return statement as unknown as SqliteStatement;
  let columnCount = 0;
  let make: RowMaker = () => ({});
  const compile = () => {
    const names = statement.columns().map((c) => c.name);
    columnCount = names.length;
    make = compileRowMaker(names) ?? ((v) => Object.fromEntries(names.map((n, i) => [n, v[i]])));
  };
  compile();
  statement.raw(true);
  const toObject = (row: unknown[]) => {
    // A schema change (SQLite re-prepares the statement by itself) can change a `select *`'s
    // columns. A rename that keeps their number is not seen: migrations run before any query of ours.
    if (row.length !== columnCount) compile();
    return make(row);
  };
  return {
    reader: true,
    all: (parameters: ReadonlyArray<unknown>) => (statement.all(parameters) as unknown[][]).map(toObject),
    run: (parameters: ReadonlyArray<unknown>) => statement.run(parameters),
    *iterate(parameters: ReadonlyArray<unknown>) {
      for (const row of statement.iterate(parameters) as Iterable<unknown[]>) yield toObject(row);
    },
  } as SqliteStatement;
}

export function cachingDatabase(database: Database, capacity = STATEMENT_CACHE_SIZE): CachingDatabase {
  const cache = new Map<string, SqliteStatement>();
  const stats = { hits: 0, prepares: 0, size: 0 };
  return {
    stats,
    close() {
      cache.clear();
      database.close();
    },
    prepare(sql: string): SqliteStatement {
      let statement = cache.get(sql);
      if (statement) {
        stats.hits++;
        return statement;
      }
      statement = rowsAsObjects(database.prepare(sql));
      stats.prepares++;
      if (cache.size >= capacity) cache.delete(cache.keys().next().value!);
      cache.set(sql, statement);
      stats.size = cache.size;
      return statement;
    },
  };
}

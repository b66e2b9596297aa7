import type { Database, Statement } from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/**
 * Statements a store keeps prepared. Kysely's SQLite driver calls `prepare` for every query it
 * runs, and SQLite's parse and plan cost more than running most of ours (15–80 µs against
 * 5–40 µs on the bench machine: BENCHMARKS.md). The SQL Kysely compiles from one query shape
 * is always the same text, so preparing each text once is safe.
 *
 * Bounded because some texts vary with their input (`in (?, ?, …)` lists, multi-row inserts);
 * the oldest entry goes first. A better-sqlite3 statement may be reused as soon as `all`/`run`
 * returned (the driver never iterates one lazily except in `streamQuery`, which we do not use),
 * and SQLite re-prepares a cached statement by itself after a schema change.
 */
export const STATEMENT_CACHE_SIZE = 1000;

export interface CachingDatabase extends SqliteDatabase {
  /** How many prepares were served from the cache and how many reached SQLite (for tests). */
  readonly stats: { hits: number; prepares: number; size: number };
}

export function cachingDatabase(database: Database, capacity = STATEMENT_CACHE_SIZE): CachingDatabase {
  const cache = new Map<string, Statement>();
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
        return statement as unknown as SqliteStatement;
      }
      statement = database.prepare(sql);
      stats.prepares++;
      if (cache.size >= capacity) cache.delete(cache.keys().next().value!);
      cache.set(sql, statement);
      stats.size = cache.size;
      return statement as unknown as SqliteStatement;
    },
  };
}

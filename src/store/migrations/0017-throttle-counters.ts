import { PostgresAdapter, sql, type Kysely } from 'kysely';

/**
 * Throttling counters (serve --throttle): one row per account, region, API and fixed window,
 * incremented by one `INSERT ... ON CONFLICT DO UPDATE ... RETURNING` per call, so every replica
 * on the same PostgreSQL database counts into the same row. A single SQLite process counts in
 * memory instead (store/repos/throttle.ts); the table exists there too, unused by the server.
 * The window's end is part of the key (two rules' windows may start together) and is what
 * pruning walks. On PostgreSQL the table is UNLOGGED: counters need no durability (a crash loses
 * at most the current windows' counts), and a commit that wrote no WAL does not wait for a WAL
 * flush, which every call's increment would otherwise do.
 */

export async function up(db: Kysely<any>): Promise<void> {
  const unlogged = db.getExecutor().adapter instanceof PostgresAdapter;
  await db.schema
    .createTable('throttle_counters')
    .$call((t) => (unlogged ? t.modifyFront(sql`unlogged`) : t))
    .addColumn('account_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('region_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('api', 'varchar(160)', (c) => c.notNull())
    .addColumn('window_start', 'bigint', (c) => c.notNull())
    .addColumn('window_end', 'bigint', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('throttle_counters_pk', ['account_id', 'region_id', 'api', 'window_start', 'window_end'])
    .execute();
  await db.schema.createIndex('throttle_counters_window_end').on('throttle_counters').column('window_end').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('throttle_counters').execute();
}

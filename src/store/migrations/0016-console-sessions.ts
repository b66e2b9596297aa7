import type { Kysely } from 'kysely';

/**
 * Web console sessions (src/console-server): one row per signed-in browser. The cookie carries a
 * random token; only its SHA-256 is stored, so a copy of the database signs no one in. Rows live
 * in the store, not in a replica's memory, so any replica behind a load balancer knows a session.
 */

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('console_sessions')
    .addColumn('token_hash', 'varchar(64)', (c) => c.primaryKey())
    .addColumn('account_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('access_key_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('csrf_token', 'varchar(64)', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  // Pruning expired sessions.
  await db.schema.createIndex('console_sessions_expiry').on('console_sessions').column('expires_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('console_sessions').execute();
}

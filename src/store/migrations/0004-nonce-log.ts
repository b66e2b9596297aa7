import type { Kysely } from 'kysely';

/**
 * An append-only log of spent SignatureNonces for the single-process SQLite store. There the
 * server's memory decides replays (one process holds the data directory's lock) and this log
 * only makes them survive a restart: appending a row touches the table's last page, where an
 * insert into `signature_nonces` lands at a random place in its primary-key index (nonces are
 * random) and dirtied a page of it per request. PostgreSQL replicas keep deciding replays with
 * `signature_nonces`' primary key, the one place every replica sees.
 */

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('signature_nonce_log')
    .addColumn('access_key_id', 'varchar(64)', (c) => c.notNull())
    .addColumn('nonce', 'varchar(128)', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  // Expiry times grow with the clock, so this index is appended to as well; pruning walks it.
  await db.schema.createIndex('signature_nonce_log_expiry').on('signature_nonce_log').column('expires_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('signature_nonce_log').execute();
}

import type { Kysely } from 'kysely';

/**
 * One account per name, enforced by the database. Replicas starting together on a fresh
 * PostgreSQL database each look for the root account, find none and create one: without this
 * index both succeed, and a later start may bind the fixed key pair to the other "root",
 * hiding every resource made so far. With it, the second insert fails and that start retries,
 * finding the first one's account (services/accounts.ts).
 */

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('accounts_name_unique').on('accounts').column('name').unique().execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('accounts_name_unique').execute();
}

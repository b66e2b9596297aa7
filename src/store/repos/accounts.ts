import type { Kysely } from 'kysely';
import type { Schema } from '../schema.ts';

export interface AccountKey {
  accountId: string;
  accessKeyId: string;
  secret: string;
}

export async function countAccounts(db: Kysely<Schema>): Promise<number> {
  const row = await db
    .selectFrom('accounts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function findAccountByName(db: Kysely<Schema>, name: string) {
  return db.selectFrom('accounts').selectAll().where('name', '=', name).executeTakeFirst();
}

export async function listAccounts(db: Kysely<Schema>) {
  return db
    .selectFrom('accounts')
    .leftJoin('access_keys', 'access_keys.account_id', 'accounts.id')
    .select(['accounts.id', 'accounts.name', 'accounts.created_at', 'access_keys.access_key_id'])
    .orderBy('accounts.created_at')
    .orderBy('accounts.id')
    .execute();
}

export async function insertAccount(db: Kysely<Schema>, account: { id: string; name: string; createdAt: number }): Promise<void> {
  await db.insertInto('accounts').values({ id: account.id, name: account.name, created_at: account.createdAt }).execute();
}

export async function insertAccessKey(db: Kysely<Schema>, key: AccountKey, createdAt: number): Promise<void> {
  await db.insertInto('access_keys').values({ access_key_id: key.accessKeyId, account_id: key.accountId, secret: key.secret, created_at: createdAt }).execute();
}

/** Sets a key's secret, creating the key if needed (fixed credentials from the environment). */
export async function upsertAccessKey(db: Kysely<Schema>, key: AccountKey, createdAt: number): Promise<void> {
  await db
    .insertInto('access_keys')
    .values({ access_key_id: key.accessKeyId, account_id: key.accountId, secret: key.secret, created_at: createdAt })
    .onConflict((oc) => oc.column('access_key_id').doUpdateSet({ secret: key.secret, account_id: key.accountId }))
    .execute();
}

export async function findAccessKey(db: Kysely<Schema>, accessKeyId: string): Promise<AccountKey | undefined> {
  const row = await db.selectFrom('access_keys').select(['access_key_id', 'account_id', 'secret']).where('access_key_id', '=', accessKeyId).executeTakeFirst();
  return row && { accessKeyId: row.access_key_id, accountId: row.account_id, secret: row.secret };
}

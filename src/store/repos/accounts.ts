import type { Account, AccountKey, AccountListing } from '../../domain/models/account.ts';
import type { Tx } from '../schema.ts';

export async function countAccounts(tx: Tx): Promise<number> {
  const row = await tx.db
    .selectFrom('accounts')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export async function findAccountByName(tx: Tx, name: string): Promise<Account | undefined> {
  const row = await tx.db.selectFrom('accounts').selectAll().where('name', '=', name).executeTakeFirst();
  return row && { id: row.id, name: row.name, createdAt: row.created_at };
}

export async function findAccountById(tx: Tx, id: string): Promise<Account | undefined> {
  const row = await tx.db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
  return row && { id: row.id, name: row.name, createdAt: row.created_at };
}

export async function listAccounts(tx: Tx): Promise<AccountListing[]> {
  const rows = await tx.db
    .selectFrom('accounts')
    .leftJoin('access_keys', 'access_keys.account_id', 'accounts.id')
    .select(['accounts.id', 'accounts.name', 'accounts.created_at', 'access_keys.access_key_id'])
    .orderBy('accounts.created_at')
    .orderBy('accounts.id')
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, createdAt: r.created_at, accessKeyId: r.access_key_id }));
}

export async function insertAccount(tx: Tx, account: Account): Promise<void> {
  await tx.db.insertInto('accounts').values({ id: account.id, name: account.name, created_at: account.createdAt }).execute();
}

export async function insertAccessKey(tx: Tx, key: AccountKey, createdAt: number): Promise<void> {
  await tx.db
    .insertInto('access_keys')
    .values({ access_key_id: key.accessKeyId, account_id: key.accountId, secret: key.secret, created_at: createdAt })
    .execute();
}

/** Sets a key's secret, creating the key if needed (fixed credentials from the environment). */
export async function upsertAccessKey(tx: Tx, key: AccountKey, createdAt: number): Promise<void> {
  await tx.db
    .insertInto('access_keys')
    .values({ access_key_id: key.accessKeyId, account_id: key.accountId, secret: key.secret, created_at: createdAt })
    .onConflict((oc) => oc.column('access_key_id').doUpdateSet({ secret: key.secret, account_id: key.accountId }))
    .execute();
}

export async function findAccessKey(tx: Tx, accessKeyId: string): Promise<AccountKey | undefined> {
  const row = await tx.db
    .selectFrom('access_keys')
    .select(['access_key_id', 'account_id', 'secret'])
    .where('access_key_id', '=', accessKeyId)
    .executeTakeFirst();
  return row && { accessKeyId: row.access_key_id, accountId: row.account_id, secret: row.secret };
}

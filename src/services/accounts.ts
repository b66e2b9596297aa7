import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { newAccessKeyPair, newAccountId } from '../domain/ids.ts';
import type { Clock } from '../lib/clock.ts';
import type { Random } from '../lib/random.ts';
import type { Store } from '../store/db.ts';
import { inTransaction, readerOf } from '../store/tx.ts';
import { countAccounts, findAccountById, findAccountByName, insertAccessKey, insertAccount, upsertAccessKey } from '../store/repos/accounts.ts';
import type { Account, AccountKey } from '../domain/models/account.ts';
import { DEFAULT_RESOURCE_GROUP_DISPLAY_NAME, DEFAULT_RESOURCE_GROUP_NAME, defaultResourceGroupId } from '../domain/resource-groups.ts';
import { insertResourceGroup } from '../store/repos/resource-groups.ts';
import type { Tx } from '../store/schema.ts';

/** An account and its default resource group, which every cloud account has from the start. */
async function insertAccountWithDefaultGroup(tx: Tx, account: Account): Promise<void> {
  await insertAccount(tx, account);
  await insertResourceGroup(tx, {
    id: defaultResourceGroupId(account.id),
    accountId: account.id,
    name: DEFAULT_RESOURCE_GROUP_NAME,
    displayName: DEFAULT_RESOURCE_GROUP_DISPLAY_NAME,
    isDefault: true,
    createdAt: account.createdAt,
  });
}

export interface FixedKey {
  accessKeyId: string;
  accessKeySecret: string;
}

export interface RootAccountOutcome {
  /** The key pair created on this start, to be shown once; undefined when nothing was created. */
  created?: AccountKey & { accountName: string };
  /** Whether keys were configured (fixed ones from the environment, or an account that already existed). */
  keysConfigured: boolean;
}

export const ROOT_ACCOUNT_NAME = 'root';

/**
 * Makes sure the store has a root account. Fixed keys (ENIPLANE_ACCESS_KEY_ID/SECRET) become the
 * root account's key pair; otherwise the first start creates an account and a random pair.
 */
export async function ensureRootAccount(store: Store, fixed: FixedKey | undefined, clock: Clock, random: Random): Promise<RootAccountOutcome> {
  const existing = await countAccounts(readerOf(store));
  // Replicas starting together race to create the root account; the unique account name makes
  // all but one fail, and their retry finds the winner's account (migration 0006).
  return inTransaction(store, async (trx) => {
    let root = await findAccountByName(trx, ROOT_ACCOUNT_NAME);
    let createdAccount = false;
    if (!root) {
      root = { id: newAccountId(random), name: ROOT_ACCOUNT_NAME, createdAt: clock.now() };
      await insertAccountWithDefaultGroup(trx, root);
      createdAccount = true;
    }
    if (fixed) {
      await upsertAccessKey(trx, { accountId: root.id, accessKeyId: fixed.accessKeyId, secret: fixed.accessKeySecret }, clock.now());
      return { keysConfigured: true };
    }
    if (!createdAccount) return { keysConfigured: existing > 0 };
    const pair = newAccessKeyPair(random);
    const key = { accountId: root.id, accessKeyId: pair.accessKeyId, secret: pair.accessKeySecret };
    await insertAccessKey(trx, key, clock.now());
    return { created: { ...key, accountName: root.name }, keysConfigured: false };
  });
}

export async function createAccount(store: Store, name: string, clock: Clock, random: Random): Promise<AccountKey & { accountName: string }> {
  // Retried like the root account: a racing twin's insert makes this one find the name taken.
  return inTransaction(store, async (trx) => {
    if (await findAccountByName(trx, name)) throw new Error(`an account named "${name}" already exists`);
    const id = newAccountId(random);
    await insertAccountWithDefaultGroup(trx, { id, name, createdAt: clock.now() });
    const pair = newAccessKeyPair(random);
    const key = { accountId: id, accessKeyId: pair.accessKeyId, secret: pair.accessKeySecret };
    await insertAccessKey(trx, key, clock.now());
    return { ...key, accountName: name };
  });
}

/** Keeps a created key pair next to the data, readable by its owner only. */
export function writeCredentialsFile(dataDir: string, key: AccountKey & { accountName: string }): string {
  const file = join(dataDir, key.accountName === ROOT_ACCOUNT_NAME ? 'credentials.json' : `credentials-${key.accountName}.json`);
  writeFileSync(
    file,
    JSON.stringify({ account: key.accountName, accountId: key.accountId, accessKeyId: key.accessKeyId, accessKeySecret: key.secret }, null, 2) + '\n',
    { mode: 0o600 },
  );
  chmodSync(file, 0o600);
  return file;
}

/** An account by its ID or its name (CLI --account); the root account when none is named. */
export async function findAccount(store: Store, ref: string | undefined): Promise<Account> {
  const reader = readerOf(store);
  const name = ref ?? ROOT_ACCOUNT_NAME;
  const account = (ref !== undefined ? await findAccountById(reader, ref) : undefined) ?? (await findAccountByName(reader, name));
  if (!account)
    throw new Error(
      ref === undefined
        ? `no root account in ${store.location} yet (eniplane serve creates it)`
        : `no account with the ID or name "${ref}" in ${store.location}`,
    );
  return account;
}

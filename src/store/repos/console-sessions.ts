import type { Tx } from '../schema.ts';

export interface ConsoleSession {
  accountId: string;
  accessKeyId: string;
  csrfToken: string;
  createdAt: number;
  expiresAt: number;
}

export async function insertConsoleSession(tx: Tx, tokenHash: string, session: ConsoleSession): Promise<void> {
  await tx.db
    .insertInto('console_sessions')
    .values({
      token_hash: tokenHash,
      account_id: session.accountId,
      access_key_id: session.accessKeyId,
      csrf_token: session.csrfToken,
      created_at: session.createdAt,
      expires_at: session.expiresAt,
    })
    .execute();
}

/** The session of a token hash, expired or not: the caller decides what expiry means. */
export async function findConsoleSession(tx: Tx, tokenHash: string): Promise<ConsoleSession | undefined> {
  const row = await tx.db.selectFrom('console_sessions').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
  return (
    row && {
      accountId: row.account_id,
      accessKeyId: row.access_key_id,
      csrfToken: row.csrf_token,
      createdAt: Number(row.created_at),
      expiresAt: Number(row.expires_at),
    }
  );
}

export async function deleteConsoleSession(tx: Tx, tokenHash: string): Promise<void> {
  await tx.db.deleteFrom('console_sessions').where('token_hash', '=', tokenHash).execute();
}

/** Deletes the sessions that expired at or before `before`. */
export async function pruneConsoleSessions(tx: Tx, before: number): Promise<void> {
  await tx.db.deleteFrom('console_sessions').where('expires_at', '<=', before).execute();
}

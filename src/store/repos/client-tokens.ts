import type { Tx } from '../schema.ts';

export async function findClientToken(tx: Tx, accountId: string, action: string, token: string) {
  return tx.db
    .selectFrom('client_tokens')
    .select(['params_hash', 'response'])
    .where('account_id', '=', accountId)
    .where('action', '=', action)
    .where('token', '=', token)
    .executeTakeFirst();
}

/**
 * Stored in the same transaction as the action's own writes, so a token is recorded exactly
 * when its resource exists; the primary key stops a racing twin on another replica.
 */
export async function insertClientToken(
  tx: Tx,
  row: { accountId: string; action: string; token: string; paramsHash: string; response: string; createdAt: number },
): Promise<void> {
  await tx.db
    .insertInto('client_tokens')
    .values({
      account_id: row.accountId,
      action: row.action,
      token: row.token,
      params_hash: row.paramsHash,
      response: row.response,
      created_at: row.createdAt,
    })
    .execute();
}

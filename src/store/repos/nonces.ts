import type { Kysely } from 'kysely';
import type { Schema } from '../schema.ts';

/**
 * Records a SignatureNonce. The primary key makes a replay impossible on every replica sharing
 * the database: the second insert of the same (key, nonce) inserts nothing.
 */
export async function recordNonce(db: Kysely<Schema>, accessKeyId: string, nonce: string, expiresAt: number): Promise<boolean> {
  const result = await db
    .insertInto('signature_nonces')
    .values({ access_key_id: accessKeyId, nonce, expires_at: expiresAt })
    .onConflict((oc) => oc.columns(['access_key_id', 'nonce']).doNothing())
    .executeTakeFirst();
  return Number(result.numInsertedOrUpdatedRows ?? 0) === 1;
}

export async function pruneNonces(db: Kysely<Schema>, now: number): Promise<number> {
  const result = await db.deleteFrom('signature_nonces').where('expires_at', '<', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}

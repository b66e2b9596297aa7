import type { Kysely } from 'kysely';
import type { Schema } from '../schema.ts';

export async function pruneNonces(db: Kysely<Schema>, now: number): Promise<number> {
  const result = await db.deleteFrom('signature_nonces').where('expires_at', '<', now).executeTakeFirst();
  return Number(result.numDeletedRows);
}

export interface NonceRecorder {
  /** True when this call recorded the nonce, false for a replay. */
  record(accessKeyId: string, nonce: string, expiresAt: number): Promise<boolean>;
}

interface PendingNonce {
  accessKeyId: string;
  nonce: string;
  expiresAt: number;
  resolve(recorded: boolean): void;
  reject(err: unknown): void;
}

/** Rows per INSERT: 3 parameters each, far below SQLite's and PostgreSQL's parameter limits. */
const MAX_BATCH = 256;

/**
 * Nonce recording with group commit: the nonces of every request that reaches this point in one
 * event-loop turn are written by one multi-row `INSERT ... ON CONFLICT DO NOTHING RETURNING`,
 * so one statement and one commit serve them all, instead of one each. Each caller still waits
 * until its nonce is in the database, and the primary key still decides every replay: a nonce
 * the insert did not return was already there. Within one batch, the first claim of a nonce wins
 * and later ones are replays, exactly as two single inserts in that order would have it.
 */
export function nonceRecorder(db: Kysely<Schema>): NonceRecorder {
  let queue: PendingNonce[] = [];
  let scheduled = false;

  async function insertBatch(batch: PendingNonce[]): Promise<void> {
    const claims = new Map<string, PendingNonce>();
    const replays: PendingNonce[] = [];
    for (const p of batch) {
      const key = `${p.accessKeyId}\n${p.nonce}`;
      if (claims.has(key)) replays.push(p);
      else claims.set(key, p);
    }
    try {
      const inserted = await db
        .insertInto('signature_nonces')
        .values([...claims.values()].map((p) => ({ access_key_id: p.accessKeyId, nonce: p.nonce, expires_at: p.expiresAt })))
        .onConflict((oc) => oc.columns(['access_key_id', 'nonce']).doNothing())
        .returning(['access_key_id', 'nonce'])
        .execute();
      const recorded = new Set(inserted.map((r) => `${r.access_key_id}\n${r.nonce}`));
      for (const [key, p] of claims) p.resolve(recorded.has(key));
      for (const p of replays) p.resolve(false);
    } catch (err) {
      for (const p of batch) p.reject(err);
    }
  }

  function flush(): void {
    scheduled = false;
    const batch = queue;
    queue = [];
    for (let i = 0; i < batch.length; i += MAX_BATCH) void insertBatch(batch.slice(i, i + MAX_BATCH));
  }

  return {
    record(accessKeyId, nonce, expiresAt) {
      return new Promise<boolean>((resolve, reject) => {
        queue.push({ accessKeyId, nonce, expiresAt, resolve, reject });
        if (!scheduled) {
          scheduled = true;
          // After the I/O callbacks of this turn: every request parsed in it joins the batch.
          setImmediate(flush);
        }
      });
    },
  };
}

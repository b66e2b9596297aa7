import type { Tx } from '../schema.ts';

/**
 * A named secret shared by every replica: the first caller's candidate is inserted, a racing
 * insert is ignored (the primary key arbitrates), and everyone reads back the one that won.
 */
export async function ensureServiceSecret(tx: Tx, name: string, candidate: string, now: number): Promise<string> {
  await tx.db
    .insertInto('service_secrets')
    .values({ name, secret: candidate, created_at: now })
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  const row = await tx.db.selectFrom('service_secrets').select('secret').where('name', '=', name).executeTakeFirstOrThrow();
  return row.secret;
}

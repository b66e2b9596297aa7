import { openStore } from '../../src/store/db.ts';
import type { Snapshot } from '../../src/store/check/invariants.ts';
import { readStoreSnapshot } from '../../src/store/check/snapshot.ts';

/**
 * Reads the whole state the invariants are about straight from PostgreSQL, in one REPEATABLE
 * READ transaction so every table is seen at the same instant, with statuses as they show at `now`.
 */
export async function readSnapshot(dbUrl: string, now: number): Promise<Snapshot> {
  const store = await openStore({ kind: 'postgres', url: dbUrl });
  try {
    return await readStoreSnapshot(store, now);
  } finally {
    await store.close();
  }
}

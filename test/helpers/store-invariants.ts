import { checkInvariants, type Snapshot } from '../../src/store/check/invariants.ts';
import { instanceTypeLimits } from '../../src/store/check/check-store.ts';
import { readStoreSnapshot } from '../../src/store/check/snapshot.ts';
import { openStore, sqliteFileIn } from '../../src/store/db.ts';
import { readApiView } from '../replicas/api-view.ts';
import type { Key } from './clients.ts';
import type { RunningServer } from './server.ts';

/** What a test server's store holds, on either dialect (its --db URL, or the SQLite file of its --data-dir, read alongside the server). */
export async function serverStoreSnapshot(server: RunningServer, now = Date.now()): Promise<Snapshot> {
  const url = server.storeArgs.includes('--db') ? server.storeArgs[server.storeArgs.indexOf('--db') + 1] : undefined;
  const store = await openStore(url ? { kind: 'postgres', url } : { kind: 'sqlite', file: sqliteFileIn(server.dataDir) });
  try {
    return await readStoreSnapshot(store, now);
  } finally {
    await store.close();
  }
}

/** The invariant checker (src/store/check) on a server's store and on what its API shows the accounts of `keys`: its violations. */
export async function storeViolations(server: RunningServer, keys: readonly Key[]): Promise<string[]> {
  const snapshot = await serverStoreSnapshot(server);
  const api = await readApiView(server, keys);
  return checkInvariants({ snapshot, api, types: instanceTypeLimits() });
}

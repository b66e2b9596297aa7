import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { readApiView } from '../replicas/api-view.ts';
import { checkInvariants, type Acks, type InstanceTypeLimits, type Snapshot } from '../replicas/invariants.ts';
import { readSnapshot, snapshotFrom } from '../replicas/snapshot.ts';
import type { Key } from './clients.ts';
import type { RunningServer } from './server.ts';

/** Each instance type's ENI and per-ENI address limits, from the catalog (data, not the code under test). */
const catalog = JSON.parse(readFileSync(new URL('../../src/catalog/instance-types.json', import.meta.url), 'utf8')) as {
  instanceTypes: {
    instanceTypeId: string;
    eniQuantity: number;
    eniPrivateIpAddressQuantity: number;
    eniIpv6AddressQuantity: number;
    eniTotalQuantity: number;
    eniTrunkSupported: boolean;
  }[];
};
const TYPES = new Map<string, InstanceTypeLimits>(
  catalog.instanceTypes.map((t) => [
    t.instanceTypeId,
    {
      eniQuantity: t.eniQuantity,
      ipsPerEni: t.eniPrivateIpAddressQuantity,
      eniTotalQuantity: t.eniTotalQuantity,
      trunkSupported: t.eniTrunkSupported,
      ipv6PerEni: t.eniIpv6AddressQuantity,
    },
  ]),
);

const NO_ACKS: Acks = {
  createdEnis: [],
  assignedIps: [],
  attached: [],
  createdVpcs: [],
  createdGroups: [],
  tokenCalls: [],
  nonceTrials: [],
  serverErrors: [],
  unknown: [],
  killedReplicas: [],
};

/** What a test server's store holds, on either dialect (its --db URL, or the SQLite file of its --data-dir, read alongside the server). */
export async function readStoreSnapshot(server: RunningServer, now = Date.now()): Promise<Snapshot> {
  const db = server.storeArgs[server.storeArgs.indexOf('--db') + 1];
  if (server.storeArgs.includes('--db') && db) return readSnapshot(db, now);
  const sqlite = new SQLite(join(server.dataDir, 'eniplane.sqlite'), { readonly: true });
  try {
    sqlite.exec('begin');
    const snapshot = await snapshotFrom(async <T>(text: string) => sqlite.prepare(text).all() as T[], now);
    sqlite.exec('commit');
    return snapshot;
  } finally {
    sqlite.close();
  }
}

/** The invariant checker (test/replicas/invariants.ts) on a server's store and on what its API shows the accounts of `keys`: its violations. */
export async function storeViolations(server: RunningServer, keys: readonly Key[]): Promise<string[]> {
  const snapshot = await readStoreSnapshot(server);
  const api = await readApiView(server, keys);
  return checkInvariants({ snapshot, api, acks: NO_ACKS, types: TYPES });
}

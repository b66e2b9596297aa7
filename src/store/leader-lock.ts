import pg from 'pg';
import type { StoreTarget } from './db.ts';

/**
 * A lock that makes one process among the replicas of a store the only one doing a job (the data
 * plane's reconciler). PostgreSQL: a session advisory lock on a connection of its own, held as long
 * as that connection lives, so a replica that dies releases it and another takes over at its next
 * try. SQLite: one process per data directory already (store/lock.ts), so always held.
 */
export interface LeaderLock {
  /** True while this process holds the lock (tries to take it when it does not). */
  hold(): Promise<boolean>;
  release(): Promise<void>;
}

export function leaderLock(target: StoreTarget, name: string): LeaderLock {
  if (target.kind !== 'postgres') return { hold: async () => true, release: async () => {} };
  let client: pg.Client | undefined;
  let held = false;
  const drop = () => {
    const c = client;
    client = undefined;
    held = false;
    void c?.end().catch(() => {});
  };
  return {
    async hold() {
      try {
        if (!client) {
          const c = new pg.Client({ connectionString: target.url });
          // A lost connection loses the lock with it: the next try starts over.
          c.on('error', () => {
            if (client === c) drop();
          });
          await c.connect();
          client = c;
        }
        if (held) {
          await client.query('select 1');
          return true;
        }
        const r = await client.query<{ ok: boolean }>('select pg_try_advisory_lock(hashtextextended($1, 0)) as ok', [`eniplane:leader:${name}`]);
        held = r.rows[0]?.ok === true;
        return held;
      } catch {
        drop();
        return false;
      }
    },
    async release() {
      const c = client;
      client = undefined;
      held = false;
      await c?.end().catch(() => {});
    },
  };
}

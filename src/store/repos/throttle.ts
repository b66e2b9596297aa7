import type { Kysely } from 'kysely';
import type { ThrottleWindow } from '../../domain/throttle.ts';
import type { Store } from '../db.ts';
import type { Schema } from '../schema.ts';

/** One call to count: who, where, which API (`Product:Action`), in which window. */
export interface ThrottledCount {
  accountId: string;
  regionId: string;
  api: string;
  window: ThrottleWindow;
}

/** Counts calls per (account, region, API, window). */
export interface ThrottleCounter {
  /** Counts one call; gives the calls counted in its window so far, this one included. */
  count(call: ThrottledCount, now: number): number | Promise<number>;
}

/** How often each counter drops the windows that have ended. */
const PRUNE_INTERVAL_MS = 60_000;

/** Removes the counters of windows that ended before `now` (an index range on window_end). */
export async function pruneThrottleCounters(db: Kysely<Schema>, now: number): Promise<void> {
  await db.deleteFrom('throttle_counters').where('window_end', '<', now).execute();
}

/**
 * For replicas on one PostgreSQL database: one statement per call, the row of the window created
 * by the first call and incremented by the others, on whichever replica they land. The database
 * serializes the increments of one row, so N replicas admit exactly `limit` calls per window
 * between them. Autocommitted on its own, outside the action's transaction: a throttled call
 * changes nothing else, and a call the action then refuses has still been counted, as on the cloud.
 */
export function sharedThrottleCounter(db: Kysely<Schema>): ThrottleCounter {
  let lastPrune = 0;
  return {
    async count(call, now) {
      if (now - lastPrune > PRUNE_INTERVAL_MS) {
        lastPrune = now;
        await pruneThrottleCounters(db, now);
      }
      const row = await db
        .insertInto('throttle_counters')
        .values({
          account_id: call.accountId,
          region_id: call.regionId,
          api: call.api,
          window_start: call.window.start,
          window_end: call.window.end,
          count: 1,
        })
        .onConflict((oc) =>
          oc.columns(['account_id', 'region_id', 'api', 'window_start', 'window_end']).doUpdateSet((eb) => ({ count: eb('throttle_counters.count', '+', 1) })),
        )
        .returning('count')
        .executeTakeFirstOrThrow();
      return Number(row.count);
    },
  };
}

/**
 * For the single SQLite process (it holds the data directory's lock, so no other process counts):
 * a map in memory, no statement per call. Counters are lost on a restart, which at worst admits
 * one window's calls twice; windows are seconds to minutes long.
 */
export function singleProcessThrottleCounter(): ThrottleCounter {
  // One counter per (account, region, API, window size), restarted when its window moves on.
  const counters = new Map<string, { start: number; end: number; count: number }>();
  let lastPrune = 0;
  return {
    count(call, now) {
      if (now - lastPrune > PRUNE_INTERVAL_MS) {
        lastPrune = now;
        for (const [key, c] of counters) if (c.end < now) counters.delete(key);
      }
      const { start, end } = call.window;
      const key = `${call.accountId}\n${call.regionId}\n${call.api}\n${end - start}`;
      const counter = counters.get(key);
      if (counter?.start === start) return ++counter.count;
      counters.set(key, { start, end, count: 1 });
      return 1;
    },
  };
}

/** The counter that fits the store: memory for one SQLite process, the shared table for PostgreSQL replicas. */
export function throttleCounterFor(store: Pick<Store, 'db' | 'dialect'>): ThrottleCounter {
  return store.dialect === 'sqlite' ? singleProcessThrottleCounter() : sharedThrottleCounter(store.db);
}

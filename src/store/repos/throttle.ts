import type { Kysely } from 'kysely';
import type { ThrottleWindow } from '../../domain/throttle.ts';
import type { Store } from '../db.ts';
import { present, queryTemplate } from '../query-template.ts';
import type { Schema, ThrottleCountersTable, Tx } from '../schema.ts';
import { readerOf } from '../tx.ts';

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
 * The batch's statement, built by Kysely once per number of rows (store/query-template.ts): on
 * PostgreSQL it runs once per event-loop turn of a busy server, and building it each time was a
 * third of what counting cost.
 */
const countTemplate = queryTemplate(
  (v: { rows: ThrottleCountersTable[] }) => present(v.rows),
  (tx: Tx, v) =>
    tx.db
      .insertInto('throttle_counters')
      .values(v.rows)
      .onConflict((oc) =>
        oc
          .columns(['account_id', 'region_id', 'api', 'window_start', 'window_end'])
          .doUpdateSet((eb) => ({ count: eb('throttle_counters.count', '+', eb.ref('excluded.count')) })),
      )
      .returning(['account_id', 'region_id', 'api', 'window_start', 'window_end', 'count']),
);

interface PendingCount {
  call: ThrottledCount;
  now: number;
  resolve(count: number): void;
  reject(err: unknown): void;
}

const keyOf = (c: ThrottledCount) => `${c.accountId}\n${c.regionId}\n${c.api}\n${c.window.start}\n${c.window.end}`;

/** Rows per INSERT: 6 parameters each, far below either database's parameter limit. */
const MAX_BATCH = 256;

/**
 * For replicas on one PostgreSQL database: every replica counts into the same row of
 * throttle_counters, and the database serializes the increments of a row, so N replicas admit
 * exactly `limit` calls per window between them. Busy callers all hit the same few rows (one per
 * account and API in the current window), so the calls that reach `count` in one event-loop turn
 * are counted by one statement: `INSERT ... VALUES (…, k) ... ON CONFLICT DO UPDATE SET count =
 * count + excluded.count RETURNING count` adds each row's k calls at once, and the calls get the
 * k counts that end at the returned total, in the order they came. Rows are written in key order,
 * so two batches touching the same rows cannot deadlock. Autocommitted on its own, outside the
 * action's transaction: a throttled call changes nothing else, and a call the action then refuses
 * has still been counted, as on the cloud.
 */
export function sharedThrottleCounter(store: Store): ThrottleCounter {
  const tx = readerOf(store);
  const db = store.db;
  let lastPrune = 0;
  let queue: PendingCount[] = [];
  let scheduled = false;

  const write = async (batch: PendingCount[], now: number) => {
    if (now - lastPrune > PRUNE_INTERVAL_MS) {
      lastPrune = now;
      await pruneThrottleCounters(db, now);
    }
    const byKey = new Map<string, PendingCount[]>();
    for (const p of batch) {
      const key = keyOf(p.call);
      const waiting = byKey.get(key);
      if (waiting) waiting.push(p);
      else byKey.set(key, [p]);
    }
    const keys = [...byKey.keys()].sort();
    const rows = await countTemplate(tx, {
      rows: keys.map((key) => {
        const [first, ...more] = byKey.get(key)!;
        const c = first!.call;
        return {
          account_id: c.accountId,
          region_id: c.regionId,
          api: c.api,
          window_start: c.window.start,
          window_end: c.window.end,
          count: 1 + more.length,
        };
      }),
    });
    for (const row of rows) {
      const key = keyOf({
        accountId: row.account_id,
        regionId: row.region_id,
        api: row.api,
        window: { start: Number(row.window_start), end: Number(row.window_end) },
      });
      const waiting = byKey.get(key)!;
      const first = Number(row.count) - waiting.length + 1;
      waiting.forEach((p, i) => p.resolve(first + i));
    }
  };

  const flush = () => {
    scheduled = false;
    const batch = queue;
    queue = [];
    for (let i = 0; i < batch.length; i += MAX_BATCH) {
      const slice = batch.slice(i, i + MAX_BATCH);
      write(slice, slice[slice.length - 1]!.now).catch((err: unknown) => {
        for (const p of slice) p.reject(err);
      });
    }
  };

  return {
    count(call, now) {
      return new Promise((resolve, reject) => {
        queue.push({ call, now, resolve, reject });
        if (!scheduled) {
          scheduled = true;
          // After the I/O callbacks of this turn: every request parsed in it joins the batch.
          setImmediate(flush);
        }
      });
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
export function throttleCounterFor(store: Store): ThrottleCounter {
  return store.dialect === 'sqlite' ? singleProcessThrottleCounter() : sharedThrottleCounter(store);
}

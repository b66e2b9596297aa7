import { sql } from 'kysely';
import type { Tx } from '../schema.ts';

/**
 * What the metrics read at scrape time (app/metrics.ts): counts over whole tables, on every
 * replica's shared store. Each is one statement; their cost grows with the table, which
 * BENCHMARKS.md measures ("metrics on/off").
 */

export interface InFlight {
  resource: 'eni' | 'instance';
  /** The status shown now (Attaching, Detaching, Deleting; Pending, Starting, Stopping). */
  status: string;
  count: number;
}

/**
 * ENIs and instances whose asynchronous state is still running at `now`: a due time still ahead
 * (an instance's second stage included), grouped by the status they show.
 */
export async function asyncStatesInFlight(tx: Tx, now: number): Promise<InFlight[]> {
  // Each count reads a partial index of the transitions still ahead (migration 0018), never the table.
  const enis = await tx.db
    .selectFrom('network_interfaces')
    .select(['status', sql<number>`count(*)`.as('count')])
    .where('next_status', 'is not', null)
    .where('transition_at', '>', now)
    .groupBy('status')
    .execute();
  // An instance shows its first stage (status) until transition_at, then its second (next_status) until final_at: two disjoint counts.
  const firstStage = await tx.db
    .selectFrom('instances')
    .select(['status', sql<number>`count(*)`.as('count')])
    .where('next_status', 'is not', null)
    .where('transition_at', '>', now)
    .groupBy('status')
    .execute();
  const secondStage = await tx.db
    .selectFrom('instances')
    .select([sql<string>`next_status`.as('status'), sql<number>`count(*)`.as('count')])
    .where('final_status', 'is not', null)
    .where('final_at', '>', now)
    .where('transition_at', '<=', now)
    .groupBy('next_status')
    .execute();
  const instances = new Map<string, number>();
  for (const r of [...firstStage, ...secondStage]) instances.set(r.status, (instances.get(r.status) ?? 0) + Number(r.count));
  return [
    ...enis.map((r) => ({ resource: 'eni' as const, status: r.status, count: Number(r.count) })),
    ...[...instances].map(([status, count]) => ({ resource: 'instance' as const, status, count })),
  ];
}

/** The tables that grow with traffic rather than with resources: spent signature nonces and ClientTokens. */
export const GROWING_TABLES = ['signature_nonces', 'signature_nonce_log', 'client_tokens'] as const;
export type GrowingTable = (typeof GROWING_TABLES)[number];

/** Rows in each growing table (expired nonces not yet pruned included: what the table holds). */
export async function growingTableRows(tx: Tx): Promise<Record<GrowingTable, number>> {
  const out = {} as Record<GrowingTable, number>;
  for (const table of GROWING_TABLES) {
    const row = await tx.db
      .selectFrom(table)
      .select(sql<number>`count(*)`.as('rows'))
      .executeTakeFirstOrThrow();
    out[table] = Number(row.rows);
  }
  return out;
}

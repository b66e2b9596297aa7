import { sql, type ExpressionBuilder, type SelectQueryBuilder } from 'kysely';
import { GONE, type AsyncState } from '../../domain/async-state.ts';
import type { TagFilter } from '../../domain/tags.ts';
import type { Schema, Tx } from '../schema.ts';

type AsyncTable = 'vpcs' | 'vswitches';

/** Rows whose deletion has completed are invisible, on every replica, from the moment it is due. */
export function notGone<T extends AsyncTable>(now: number) {
  return (eb: ExpressionBuilder<Schema, T>) =>
    eb.or([eb(sql.ref('next_status'), 'is', null), eb(sql.ref('next_status'), '!=', GONE), eb(sql.ref('transition_at'), '>', now)]);
}

/** Restricts a query on `table.id` to resources carrying every tag filter. */
export function whereTagged<DB extends Schema, TB extends keyof DB & string, O>(
  qb: SelectQueryBuilder<DB, TB, O>,
  idColumn: string,
  accountId: string,
  filters: readonly TagFilter[],
): SelectQueryBuilder<DB, TB, O> {
  let q = qb;
  for (const f of filters) {
    q = q.where(sql.ref(idColumn), 'in', (eb: ExpressionBuilder<DB, TB>) => {
      let sub = (eb as unknown as ExpressionBuilder<Schema, 'tags'>)
        .selectFrom('tags')
        .select('tags.resource_id')
        .where('tags.account_id', '=', accountId)
        .where('tags.tag_key', '=', f.key);
      if (f.value !== undefined) sub = sub.where('tags.tag_value', '=', f.value);
      return sub as never;
    }) as typeof q;
  }
  return q;
}

/**
 * A column reference SQLite's planner will not use an index for (a unary `+`), for queries that
 * also name a more selective indexed column. Without statistics SQLite prefers the index that
 * matches more `=` terms (an ENI's account and region: up to the whole quota of rows) over the one
 * that finds a handful (an instance's ENIs). PostgreSQL plans from statistics: a plain reference.
 */
export function unindexedOnSqlite(tx: Tx, column: string) {
  return tx.dialect === 'sqlite' ? sql<string>`+${sql.ref(column)}` : sql.ref<string>(column);
}

/**
 * A LIMIT value for Kysely's `.limit()`. Bound as a plain parameter, SQLite
 * re-prepares the statement every time it runs (it plans with a bound LIMIT's value, so a new
 * binding expires the plan), which cost as much as running the ENI listing by instance itself
 * when it was measured. Behind a cast the value is not used for planning and the cached statement
 * is reused. PostgreSQL reads the same text.
 */
export function rowCount(n: number) {
  return sql<number>`cast(${n} as integer)`;
}

/** Locks a row for the rest of the transaction on PostgreSQL; SQLite serialises writers already. */
export function forUpdate<Q extends { forUpdate(): Q }>(tx: Tx, qb: Q): Q {
  return tx.dialect === 'postgres' ? qb.forUpdate() : qb;
}

/**
 * Serialises one quota's count-then-insert (VPCs, security groups or ENIs of an account in a
 * region) across replicas: a transaction-scoped advisory lock on PostgreSQL, held until commit
 * or rollback, so the count taken after it sees every creation committed before. Under READ
 * COMMITTED each statement reads a fresh snapshot, which is what makes "lock, then count" exact.
 * There is no row that stands for "this account's ENIs in this region", and one lock per quota
 * keeps unrelated creations from waiting on each other. SQLite runs one writer at a time already.
 */
export async function lockQuota(tx: Tx, quota: 'vpcs' | 'security-groups' | 'enis', accountId: string, regionId: string): Promise<void> {
  if (tx.dialect !== 'postgres') return;
  await sql`select pg_advisory_xact_lock(hashtextextended(${`eniplane:quota:${quota}:${accountId}:${regionId}`}, 0))`.execute(tx.db);
}

export function toCount(row: { n: number | string | bigint } | undefined): number {
  return Number(row?.n ?? 0);
}

/** The columns every resource with an asynchronous state has (domain/async-state.ts). */
interface AsyncStateColumns {
  status?: string;
  next_status?: string | null;
  transition_at?: number | null;
}

/** Writes the changed parts of an asynchronous state into a row update: one mapping for every resource that has one. */
export function setAsyncStateColumns(changes: Partial<AsyncState>, out: AsyncStateColumns): void {
  if (changes.status !== undefined) out.status = changes.status;
  if (changes.nextStatus !== undefined) out.next_status = changes.nextStatus;
  if (changes.transitionAt !== undefined) out.transition_at = changes.transitionAt;
}
